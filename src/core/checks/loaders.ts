// DataLoaders of a file with a constant batch size, and whether they feed training (CC-24, CC-25).
import type { Expr } from '../python/ast';
import { constantInt } from './constants';
import type { ModuleClassInfo } from './models';
import { sequentialItems, torchClassOfCall } from './models';
import type { CallExpr } from '../python/syntax';
import { argument, dottedName, lastPart, walkBodyExprs } from '../python/syntax';
import { locatedCalls, scopesOf } from './training';
import type { RuleContext } from './types';

const EVAL_NAME = /(val|valid|test|eval|dev|pred|infer)/i;

export interface TrainingLoader {
  readonly call: CallExpr;
  readonly batchSize: number;
  readonly batchSizeArg: Expr;
}

/** `DataLoader(..., batch_size=N)` with constant N whose variable is not named like evaluation data. */
export function trainingLoaders(context: RuleContext): TrainingLoader[] {
  const out: TrainingLoader[] = [];
  for (const scope of scopesOf(context)) {
    for (const { call, stmt } of locatedCalls(scope.body)) {
      if (lastPart(dottedName(call.fn) ?? '') !== 'DataLoader') continue;
      const batchSizeArg = argument(call, 1, 'batch_size');
      const batchSize = constantInt(batchSizeArg, scope);
      if (!batchSizeArg || batchSize === undefined) continue;
      // Loaders for evaluation (by variable name or shuffle=False with an eval-like dataset) are not training.
      const target = stmt.k === 'assign' ? stmt.targets.map((t) => dottedName(t) ?? '').join(' ') : '';
      const datasetName = dottedName(argument(call, 0, 'dataset')) ?? '';
      if (EVAL_NAME.test(target) || EVAL_NAME.test(datasetName)) continue;
      if (stmt.k !== 'assign' || target === '') continue;
      out.push({ call, batchSize, batchSizeArg });
    }
  }
  return out;
}

/** The BatchNorm classes the file's models use (attributes, Sequential items, or any constructor call). */
export function batchNormClasses(context: RuleContext): Set<string> {
  const found = new Set<string>();
  const note = (e: Expr | undefined): void => {
    const cls = torchClassOfCall(e);
    if (cls && /^(BatchNorm[123]d|SyncBatchNorm)$/.test(cls)) found.add(cls);
  };
  for (const info of context.classes.classes as readonly ModuleClassInfo[]) {
    for (const value of info.attributes.values()) for (const e of [value, ...sequentialItems(value)]) note(e);
    for (const method of info.methods.values()) walkBodyExprs(method.body, (e) => note(e));
  }
  return found;
}
