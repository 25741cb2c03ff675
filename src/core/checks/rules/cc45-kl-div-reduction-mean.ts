// CC-45: F.kl_div / nn.KLDivLoss with reduction='mean' (the default): it divides by the element count.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { torchClassOfCall } from '../models';
import type { CallExpr } from '../../python/syntax';
import { dottedName, hasSplat, keywordArg, positionalArgs } from '../../python/syntax';
import { locatedCalls, scopesOf } from '../training';
import type { RuleReport, QuickFix } from '../types';

const FUNCTIONAL_KL = /^(F|functional|nn\.functional|torch\.nn\.functional)\.kl_div$/;

function batchmeanFix(call: CallExpr): QuickFix | undefined {
  const reduction = keywordArg(call, 'reduction');
  if (reduction) return fix("Use reduction='batchmean'", replace(reduction.r, "'batchmean'"));
  const last = call.args[call.args.length - 1];
  if (last) return fix("Use reduction='batchmean'", replace({ start: last.value.r.end, end: last.value.r.end }, ", reduction='batchmean'"));
  return fix("Use reduction='batchmean'", replace(call.r, `${dottedName(call.fn) ?? 'nn.KLDivLoss'}(reduction='batchmean')`));
}

export const cc45 = defineRule('CC-45', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    for (const { call } of locatedCalls(scope.body)) {
      const functional = FUNCTIONAL_KL.test(dottedName(call.fn) ?? '');
      if ((!functional && torchClassOfCall(call) !== 'KLDivLoss') || hasSplat(call)) continue;
      // kl_div(input, target, size_average, reduce, reduction, log_target); KLDivLoss(size_average, reduce, reduction, log_target).
      const reductionIndex = functional ? 4 : 2;
      const reduction = keywordArg(call, 'reduction') ?? positionalArgs(call)[reductionIndex];
      const legacy = keywordArg(call, 'size_average') ?? keywordArg(call, 'reduce');
      if (legacy || positionalArgs(call).length > (functional ? 2 : 0)) continue;
      if (reduction && !(reduction.k === 'str' && reduction.value === 'mean')) continue;
      const quickFix = batchmeanFix(call);
      reports.push({
        message: `${functional ? 'kl_div' : 'KLDivLoss'} with reduction='mean'${reduction ? '' : ' (the default)'} divides the sum by the number of elements, not the batch size, so the value is not the KL per sample. Use reduction='batchmean'.`,
        range: call.r,
        ...(quickFix ? { fixes: [quickFix] } : {}),
      });
    }
  }
  return reports;
});
