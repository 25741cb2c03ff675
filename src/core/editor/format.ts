// Text forms of shapes for hovers, hints, lenses and panels. Kept apart from the analysis so the editor's
// main thread can format results without loading the interpreter.
import type { JsonShape } from '../analysis/summary';

export function formatShape(shape: JsonShape): string {
  if (shape === null) return 'None';
  if (shape.length > 0 && shape.every((d) => Array.isArray(d) || d === null)) return `(${(shape as JsonShape[]).map(formatShape).join(', ')})`;
  return `[${(shape as (number | string)[]).join(', ')}]`;
}
