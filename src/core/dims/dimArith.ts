// Arith over symbolic dims: formulas from src/core/formulas evaluated on shapes that may hold symbols.
// Kept apart from formulas/arith.ts so numeric users of the formulas (calculators, notes) do not load mathjs.
import type { Arith } from '../formulas/arith';
import * as dims from './dims';
import type { Dim } from './dims';

export const dimArith: Arith<Dim> = {
  lit: (n) => n,
  add: dims.add,
  sub: dims.sub,
  mul: dims.mul,
  floorDiv: dims.floorDiv,
  ceilDiv: dims.ceilDiv,
  greaterOrEqual: dims.greaterOrEqual,
};
