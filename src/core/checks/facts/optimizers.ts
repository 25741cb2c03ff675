// Optimizers as the evaluation built them: their class and hyperparameters (literal, from a config object,
// or the default of a command-line argument), and where the code constructed them.
import type { Value } from '../../interp/values';
import { libraryObjectOf, likelyValueOf } from '../../interp/library';
import type { LibraryObjectInfo } from '../../interp/library';
import type { CheckFacts } from './facts';
import type { RecordedCall } from './recorder';

export interface OptimizerConstruction {
  readonly call: RecordedCall;
  readonly info: LibraryObjectInfo;
}

export function optimizerConstructions(facts: CheckFacts): OptimizerConstruction[] {
  const out: OptimizerConstruction[] = [];
  const seen = new Set<unknown>();
  for (const c of facts.calls) {
    const info = libraryObjectOf(c.result);
    if (info?.kind !== 'optimizer' || seen.has(c.expr)) continue;
    seen.add(c.expr);
    out.push({ call: c, info });
  }
  return out;
}

/** A hyperparameter as a number: its value, or the default an unknown (a command-line argument) most likely has. */
export function numberOf(v: Value | undefined): { value: number; likely: boolean } | undefined {
  if (!v) return undefined;
  if (v.kind === 'int' && typeof v.value === 'number') return { value: v.value, likely: false };
  if (v.kind === 'float') return { value: v.value, likely: false };
  if (v.kind === 'bool') return { value: v.value ? 1 : 0, likely: false };
  const likely = likelyValueOf(v);
  const inner = likely && likely !== v ? numberOf(likely) : undefined;
  return inner ? { value: inner.value, likely: true } : undefined;
}

/** The items of a tuple/list hyperparameter (`betas`) as numbers, when all are known. */
export function numbersOf(v: Value | undefined): number[] | undefined {
  const items = v?.kind === 'tuple' || v?.kind === 'list' ? v.items : likelyValueOf(v)?.kind === 'tuple' || likelyValueOf(v)?.kind === 'list' ? (likelyValueOf(v) as { items: readonly Value[] }).items : undefined;
  if (!items) return undefined;
  const out = items.map((i) => numberOf(i)?.value);
  return out.every((x) => x !== undefined) ? (out as number[]) : undefined;
}
