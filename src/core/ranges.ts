// Range arithmetic on the core's 0-based line/character ranges, shared by every editor lookup.
import type { Range } from './values';

export interface Position {
  readonly line: number;
  readonly character: number;
}

/** A key that is equal for equal ranges (for maps and sets). */
export const rangeKey = (r: Range): string => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

const before = (a: Position, b: Position): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);

/** The position lies in the range (both ends included). */
export const containsPosition = (r: Range, p: Position): boolean => before(r.start, p) && before(p, r.end);

/** `inner` lies entirely in `outer`. */
export const rangeWithin = (inner: Range, outer: Range): boolean => before(outer.start, inner.start) && before(inner.end, outer.end);

/** An ordering of ranges by extent, for "the innermost range that contains the cursor". */
export const rangeSize = (r: Range): number => (r.end.line - r.start.line) * 10_000 + (r.end.character - r.start.character);
