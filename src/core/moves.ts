// Results kept for statements an edit moved without changing them (lines inserted or deleted above them),
// moved to where the statements now are: every range and line a result holds moves with the statement whose
// place holds it, so the moved result equals one computed afresh there (issue 16). A result holding a place no
// statement's place holds, or a text naming a line (`(line 12)`), cannot be moved and is computed again.
import type { Range } from './values';
import type { Position } from './ranges';

/**
 * Where a statement lies: from line `from` (lines above it that belong with it, such as the comments a check
 * reads) to its end.
 */
export interface StatementPlace {
  readonly from: number;
  readonly start: Position;
  readonly end: Position;
}

/** Moves one range, or says it cannot (undefined). */
export type RangeMove = (range: Range) => Range | undefined;

const compare = (a: Position, b: Position): number => a.line - b.line || a.character - b.character;

/**
 * The move from statements placed at `before` to the same statements placed at `after` (each starting at the
 * same character of its line): a range moves by the lines its statement moved; a range no single place holds
 * cannot move.
 */
export function rangeMover(before: readonly StatementPlace[], after: readonly StatementPlace[]): RangeMove {
  return (range) => {
    if (compare(range.start, range.end) > 0) return undefined;
    const index = before.findIndex((p) => p.from <= range.start.line && compare(range.end, p.end) <= 0);
    const place = before[index];
    if (!place) return undefined;
    const lines = after[index]!.start.line - place.start.line;
    return lines === 0 ? range : { start: { line: range.start.line + lines, character: range.start.character }, end: { line: range.end.line + lines, character: range.end.character } };
  };
}

/** The places statements occupy from their own ranges (no lines above them belong with them). */
export const placesOfRanges = (ranges: readonly Range[]): StatementPlace[] => ranges.map((r) => ({ from: r.start.line, start: r.start, end: r.end }));

/** Statements at `before` and `after` start on the same lines. */
export const samePlaces = (before: readonly StatementPlace[], after: readonly StatementPlace[]): boolean =>
  before === after || (before.length === after.length && before.every((p, i) => p.start.line === after[i]!.start.line));

const isPosition = (value: object): value is Position =>
  typeof (value as Position).line === 'number' && typeof (value as Position).character === 'number' && Object.keys(value).length === 2;
const isRange = (value: object): value is Range => {
  const { start, end } = value as Partial<Range>;
  return typeof start === 'object' && start !== null && typeof end === 'object' && end !== null && isPosition(start) && isPosition(end) && Object.keys(value).length === 2;
};

/** 1-based line numbers a result may hold beside its ranges (0: no place). */
const LINE_FIELDS: ReadonlySet<string> = new Set(['line', 'originLine']);
const NAMED_LINE = /\bline \d/;

/**
 * Plain data (findings, parts, model summaries) with every range moved by `move`; undefined when one cannot be
 * moved or a text names a line. With `file`, only what lies in that file moves: an object's `file` field says
 * where its ranges and its `line` fields (1-based) are, for it and what it holds; the value itself is in `file`.
 */
export function moveRanges<T>(value: T, move: RangeMove, file?: string): T | undefined {
  let failed = false;
  const moveLine = (line: number): number => {
    const moved = line > 0 ? move({ start: { line: line - 1, character: 0 }, end: { line: line - 1, character: 0 } }) : undefined;
    if (line > 0 && !moved) failed = true;
    return moved ? moved.start.line + 1 : line;
  };
  // What nothing inside changed is kept as it is (a moved model's shapes, names and numbers are its old objects).
  const visit = (v: unknown, here: boolean): unknown => {
    if (failed) return v;
    if (typeof v === 'string') {
      if (here && NAMED_LINE.test(v)) failed = true;
      return v;
    }
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const item = visit(v[i], here);
        if (item !== v[i]) (out ??= v.slice())[i] = item;
      }
      return out ?? v;
    }
    if (v instanceof Map) {
      const entries = [...v].map(([k, item]) => [k, visit(item, here)] as const);
      return entries.every(([k, item]) => item === v.get(k)) ? v : new Map(entries);
    }
    if (isRange(v)) {
      if (!here) return v;
      const moved = move(v);
      if (!moved) failed = true;
      return moved ?? v;
    }
    const own = (v as { file?: unknown }).file;
    const inside = typeof own === 'string' && file !== undefined ? own === file : here;
    let out: Record<string, unknown> | undefined;
    for (const key of Object.keys(v)) {
      const item = (v as Record<string, unknown>)[key];
      const moved = inside && file !== undefined && LINE_FIELDS.has(key) && typeof item === 'number' ? moveLine(item) : visit(item, inside);
      if (moved !== item) (out ??= { ...(v as Record<string, unknown>) })[key] = moved;
    }
    return out ?? v;
  };
  const moved = visit(value, true) as T;
  return failed ? undefined : moved;
}
