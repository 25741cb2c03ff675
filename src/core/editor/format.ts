// Text forms of shapes and values for hovers, hints, lenses and panels. Kept apart from the analysis so
// the editor's main thread can format results without loading the interpreter. An unknown is `?`, never
// `None` (its reason goes in the hover).
import type { JsonShape } from '../analysis/summary';
import type { ValueShape } from '../analysis/trace';

export function formatShape(shape: JsonShape): string {
  if (shape === null) return '?';
  if (shape.length > 0 && shape.every((d) => Array.isArray(d) || d === null)) return `(${(shape as JsonShape[]).map(formatShape).join(', ')})`;
  return `[${(shape as (number | string)[]).join(', ')}]`;
}

/** `[2, 64, 128]`, `([2, 64, 128], [2, 64, 128])`, `?` for an unknown or a tensor of unknown rank. */
export function formatValue(v: ValueShape): string {
  switch (v.kind) {
    case 'tensor':
      return v.shape ? `[${v.shape.join(', ')}]` : '?';
    case 'tuple':
      return `(${v.items.map(formatValue).join(', ')}${v.items.length === 1 ? ',' : ''})`;
    case 'list':
      return `list(${v.items.map(formatValue).join(', ')})`;
    case 'unknown':
      return '?';
    case 'none':
      return 'None';
    case 'scalar':
    case 'other':
      return v.text;
  }
}

/** The reasons a value (or part of it) is unknown, for the hover or tooltip. */
export function unknownReasons(v: ValueShape): string[] {
  if (v.kind === 'unknown') return [v.reason];
  if (v.kind === 'tensor' && !v.shape) return ['the rank of the tensor is not known'];
  if (v.kind === 'tuple' || v.kind === 'list') return [...new Set(v.items.flatMap(unknownReasons))];
  return [];
}

/** Runs of equal texts in order: `[[a, 3], [b, 1]]` for a, a, a, b. */
export function runs(texts: readonly string[]): [string, number][] {
  const out: [string, number][] = [];
  for (const t of texts) {
    const last = out[out.length - 1];
    if (last && last[0] === t) last[1]++;
    else out.push([t, 1]);
  }
  return out;
}
