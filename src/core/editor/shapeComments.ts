// Shape annotations in comments (`# [B, 64, H/2, W/2]`, `# -> (N, C, H, W)`, `# shape: [B, T, D]`) and
// their check against the shape the analysis inferred for the same line.
import * as dims from '../dims/dims';
import type { JsonShape } from '../index';

export interface ShapeAnnotation {
  /** The dims as written. */
  readonly dims: readonly string[];
  /** 0-based character range of the annotation (from its `#`) on its line. */
  readonly start: number;
  readonly end: number;
}

const ANNOTATION = /#\s*(?:->\s*|→\s*|(?:shape|out|output)\s*:\s*)?([[(])([^\])]*)[\])]/;
const DIM = /^(?:\.\.\.|[A-Za-z_]\w*|\d+|[\w\s*/+\-()]+)$/;

/** The shape annotation in a line's comment, if the comment starts with one. */
export function parseShapeAnnotation(line: string): ShapeAnnotation | undefined {
  const hash = line.indexOf('#');
  if (hash < 0) return undefined;
  const match = ANNOTATION.exec(line.slice(hash));
  if (!match || match.index !== 0) return undefined;
  const parts = match[2]!.split(',').map((d) => d.trim());
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 0 || !parts.every((d) => d.length > 0 && DIM.test(d))) return undefined;
  return { dims: parts, start: hash, end: hash + match[0].length };
}

/** Sizes an input dimension typically has; floors make some forms agree on tiny sizes only. */
const TYPICAL_SIZES = [224, 97, 64];

/** Two symbolic dims that differ at the sizes models are run on (⌊H/4⌋ vs ⌊H/2⌋), or provably differ. */
function differAtTypicalSizes(a: dims.Dim, b: dims.Dim): boolean {
  if (dims.equal(a, b) !== undefined) return dims.equal(a, b) === false;
  const names = [...new Set([...dims.symbolsOf(a), ...dims.symbolsOf(b)])];
  return TYPICAL_SIZES.some((size) => {
    const env = Object.fromEntries(names.map((n) => [n, size]));
    const x = dims.substitute(a, env);
    const y = dims.substitute(b, env);
    return typeof x === 'number' && typeof y === 'number' && x !== y;
  });
}

/**
 * Why the annotation does not describe the inferred shape, or undefined when it does (or when it cannot
 * be decided). A name matches any size but the same name must match the same size throughout.
 */
export function annotationMismatch(annotation: ShapeAnnotation, inferred: JsonShape): string | undefined {
  if (!Array.isArray(inferred) || inferred.some((d) => Array.isArray(d) || d === null)) return undefined;
  const actual = inferred as (number | string)[];
  const written = annotation.dims;
  const ellipsis = written.indexOf('...');
  if (ellipsis < 0 && written.length !== actual.length) return `rank ${written.length} written, ${actual.length} inferred`;
  if (ellipsis >= 0 && written.length - 1 > actual.length) return `at least rank ${written.length - 1} written, ${actual.length} inferred`;
  const pairs: [string, number | string][] =
    ellipsis < 0
      ? written.map((w, i) => [w, actual[i]!])
      : [
          ...written.slice(0, ellipsis).map((w, i): [string, number | string] => [w, actual[i]!]),
          ...written.slice(ellipsis + 1).map((w, i, rest): [string, number | string] => [w, actual[actual.length - rest.length + i]!]),
        ];
  const bound = new Map<string, number | string>();
  for (const [w, a] of pairs) {
    if (/^[A-Za-z_]\w*$/.test(w)) {
      const previous = bound.get(w);
      if (previous !== undefined && String(previous) !== String(a)) return `${w} stands for both ${previous} and ${a}`;
      bound.set(w, a);
      continue;
    }
    const writtenDim = dims.parseDim(w);
    const actualDim = typeof a === 'number' ? a : dims.parseDim(a);
    if (writtenDim === undefined || actualDim === undefined) continue;
    if (typeof writtenDim === 'number' && typeof actualDim === 'number' && writtenDim !== actualDim) return `${w} written, ${a} inferred`;
    if (typeof writtenDim !== 'number' && typeof actualDim !== 'number' && differAtTypicalSizes(writtenDim, actualDim)) return `${w} written, ${a} inferred`;
  }
  return undefined;
}
