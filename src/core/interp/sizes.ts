// How much an operation on Python values allocates, in the size budget's cells (one list/tuple item,
// dict entry or string character each), computed before the operation runs so it can be refused.
import type { Value } from './values';
import { asDim } from './scalars';

/** A string iterated char by char becomes one value per char, several times the char's own size. */
export const STR_ITEM_CELLS = 4;

const lengthOf = (v: Value): number | undefined =>
  v.kind === 'str' ? v.value.length : v.kind === 'list' || v.kind === 'tuple' ? v.items.length : v.kind === 'dict' ? v.entries.size : undefined;

/** Cells a binary operator's result needs: concatenation, repetition, dict union, `%` formatting; 0 for scalars. */
export function resultCells(op: string, a: Value, b: Value): number {
  const la = lengthOf(a);
  const lb = lengthOf(b);
  if (op === '+' || op === '|') return la !== undefined && lb !== undefined ? la + lb : 0;
  if (op === '%') return a.kind === 'str' ? a.value.length + (lb ?? 0) : 0;
  if (op !== '*') return 0;
  const times = la !== undefined ? asDim(b) : lb !== undefined ? asDim(a) : undefined;
  const length = la ?? lb ?? 0;
  return typeof times === 'number' && times > 0 ? length * times : 0;
}
