// DataLoaders as the evaluation built them (CC-24, CC-25): their batch size as a value (a literal, a variable,
// a helper's parameter, a config value, a command-line argument's default), and whether they feed training.
import { libraryObjectOf } from '../../interp/library';
import type { Expr } from '../../python/ast';
import type { CheckFacts } from './facts';
import { exprName } from './facts';
import type { RecordedCall } from './recorder';
import { numberOf } from './optimizers';
import type { ObjectV } from '../../interp/values';
import { allModules, batchNormRank, layerName, usesBatchStatistics } from './models';
import type { Range } from '../../values';
import { rangeKey } from '../../ranges';

const EVAL_NAME = /(val|valid|test|eval|dev|pred|infer)/i;

export interface TrainingLoader {
  readonly call: RecordedCall;
  readonly batchSize: number;
  /** The batch-size argument as written at the construction (for the finding's range and fix). */
  readonly batchSizeArg: Expr;
}

/** Loaders built in the checked file with a known batch size that read as training data: not named like evaluation data, and stored or shuffled. */
export function trainingLoaders(facts: CheckFacts): TrainingLoader[] {
  const out: TrainingLoader[] = [];
  const seen = new Set<unknown>();
  for (const c of facts.localCalls) {
    const info = libraryObjectOf(c.result);
    if (info?.kind !== 'loader' || c.callee.kind === 'function' || seen.has(c.expr)) continue;
    const batchSize = numberOf(info.args.get('batch_size'));
    const batchSizeArg = c.expr.args.find((a) => a.kind === 'kw' && a.name === 'batch_size')?.value ?? c.expr.args.filter((a) => a.kind === 'pos')[1]?.value;
    if (!batchSize || !batchSizeArg || !Number.isInteger(batchSize.value)) continue;
    const stmt = facts.ancestorsOf(c).at(-1);
    const target = stmt?.k === 'assign' && stmt.value === c.expr ? stmt.targets.map((t) => exprName(t) ?? '').join(' ') : '';
    const dataset = c.expr.args.find((a) => a.kind === 'pos' || (a.kind === 'kw' && a.name === 'dataset'))?.value;
    if (EVAL_NAME.test(target) || (dataset && EVAL_NAME.test(exprName(dataset) ?? ''))) continue;
    const shuffle = info.args.get('shuffle');
    if (target === '' && !(shuffle?.kind === 'bool' && shuffle.value)) continue;
    seen.add(c.expr);
    out.push({ call: c, batchSize: batchSize.value, batchSizeArg });
  }
  return out;
}

/** The batch-statistics norms (BatchNorm1d/2d/3d, SyncBatchNorm) the checked file builds, one module per class name. */
export function batchNormClasses(facts: CheckFacts): Map<string, ObjectV> {
  const found = new Map<string, ObjectV>();
  for (const m of allModules(facts)) if (usesBatchStatistics(m) && m.module?.constructedAt?.file === facts.path && !found.has(layerName(m))) found.set(layerName(m), m);
  return found;
}

/** What CC-24 and CC-25 read of one check unit: its BatchNorm classes (whether one normalises (N, C) inputs) and its training loaders' batch sizes. */
export interface BatchNormLoaderPart {
  readonly norms: readonly { readonly name: string; readonly rankOne: boolean }[];
  readonly loaders: readonly { readonly batchSize: number; readonly batchSizeArg: Range }[];
}

export function batchNormLoaderPart(facts: CheckFacts): BatchNormLoaderPart {
  const norms = [...batchNormClasses(facts)].map(([name, m]) => ({ name, rankOne: batchNormRank(m) === 1 }));
  return { norms, loaders: trainingLoaders(facts).map((l) => ({ batchSize: l.batchSize, batchSizeArg: l.batchSizeArg.r })) };
}

/**
 * The BatchNorm classes and training loaders of the whole file from its units' parts, in the order the units
 * met them; a loader several units build (in the module-level code they share) counts once, as in one evaluation.
 */
export function mergeBatchNormLoaderParts(parts: readonly BatchNormLoaderPart[]): BatchNormLoaderPart {
  const norms = new Map<string, BatchNormLoaderPart['norms'][number]>();
  for (const n of parts.flatMap((p) => p.norms)) if (!norms.has(n.name)) norms.set(n.name, n);
  const loaders = new Map<string, BatchNormLoaderPart['loaders'][number]>();
  for (const l of parts.flatMap((p) => p.loaders)) if (!loaders.has(rangeKey(l.batchSizeArg))) loaders.set(rangeKey(l.batchSizeArg), l);
  return { norms: [...norms.values()], loaders: [...loaders.values()] };
}
