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

const memo = new WeakMap<CheckFacts, { readonly results: readonly RecordedCall[]; readonly constructions: readonly OptimizerConstruction[] }>();

function optimizerCalls(facts: CheckFacts): { readonly results: readonly RecordedCall[]; readonly constructions: readonly OptimizerConstruction[] } {
  const known = memo.get(facts);
  if (known) return known;
  const results: RecordedCall[] = [];
  const constructions: OptimizerConstruction[] = [];
  const seen = new Set<unknown>();
  // Only an object is an optimizer.
  for (const c of facts.objectResultCalls) {
    const info = libraryObjectOf(c.result);
    if (info?.kind !== 'optimizer') continue;
    results.push(c);
    if (seen.has(c.expr)) continue;
    seen.add(c.expr);
    constructions.push({ call: c, info });
  }
  const found = { results, constructions };
  memo.set(facts, found);
  return found;
}

/** Every call that returned an optimizer, in execution order. */
export const optimizerResults = (facts: CheckFacts): readonly RecordedCall[] => optimizerCalls(facts).results;

/** Each call site that returned an optimizer (its first call there), in execution order. */
export const optimizerConstructions = (facts: CheckFacts): readonly OptimizerConstruction[] => optimizerCalls(facts).constructions;

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
