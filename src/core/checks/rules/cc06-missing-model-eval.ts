// CC-06: evaluation code that never calls model.eval(), while a model in the file has Dropout or BatchNorm.
import { defineRule } from '../rule';
import { fix, insertLineBefore } from '../fixes';
import { callSitesOf, evalRegions, scopeCallsEval } from '../evaluation';
import type { ModuleClassInfo } from '../models';
import { sequentialItems, torchClassOfCall } from '../models';
import { dottedName, walkBodyExprs } from '../../python/syntax';
import type { RuleReport } from '../types';

const MODE_DEPENDENT = /^(Dropout\d?d?|AlphaDropout|FeatureAlphaDropout|BatchNorm[123]d|SyncBatchNorm)$/;

/** Modules whose behaviour differs between train() and eval(): Dropout and BatchNorm, however they are declared. */
function modeDependentLayers(info: ModuleClassInfo): string[] {
  const found = new Set<string>();
  for (const value of info.attributes.values()) {
    for (const e of [value, ...sequentialItems(value)]) {
      const cls = torchClassOfCall(e);
      if (cls && MODE_DEPENDENT.test(cls)) found.add(cls);
    }
  }
  if (info.forward)
    walkBodyExprs(info.forward.body, (e) => {
      if (e.k === 'call' && /(^|\.)dropout\d?d?$/.test(dottedName(e.fn) ?? '')) found.add('F.dropout');
    });
  return [...found];
}

export const cc06 = defineRule('CC-06', (context) => {
  const layers = [...new Set(context.classes.classes.flatMap(modeDependentLayers))];
  if (layers.length === 0) return [];
  const reports: RuleReport[] = [];
  for (const region of evalRegions(context)) {
    if (scopeCallsEval(region.scope)) continue;
    // A caller that switches to eval() before calling this function covers it.
    const name = region.evalFunction?.name;
    if (name && callSitesOf(context, name).some((site) => scopeCallsEval(site.scope))) continue;
    const first = region.evalFunction ? region.evalFunction.body[0] : region.loop;
    reports.push({
      message: `Evaluation runs ${region.model}(...) without ${region.model}.eval(); the models here use ${layers.join(', ')}, which behave differently in training mode (dropout stays on, BatchNorm uses batch statistics).`,
      range: region.modelCall.r,
      ...(first ? { fixes: [fix(`Call ${region.model}.eval() first`, insertLineBefore(context.source, first, `${region.model}.eval()`))] } : {}),
    });
  }
  return reports;
});
