// DataLoaders as the evaluation built them (CC-24, CC-25): their batch size as a value (a literal, a variable,
// a helper's parameter, a config value, a command-line argument's default), and whether they feed training.
import { libraryObjectOf } from '../../interp/library';
import type { Expr } from '../../python/ast';
import type { CheckFacts } from './facts';
import { exprName } from './facts';
import type { RecordedCall } from './recorder';
import { numberOf } from './optimizers';
import type { ObjectV } from '../../interp/values';
import { allModules, layerName, usesBatchStatistics } from './models';

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
  for (const c of facts.calls) {
    const info = libraryObjectOf(c.result);
    if (c.file !== facts.path || info?.kind !== 'loader' || c.callee.kind === 'function' || seen.has(c.expr)) continue;
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
