// CC-33: nn.Dropout(p) with p ≥ 0.8, or p given by a name like keep_prob: PyTorch's p is the drop probability.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { torchClassOfCall } from '../models';
import { argument, dottedName, lastPart, numberValue } from '../../python/syntax';
import { locatedCalls, scopesOf } from '../training';
import type { RuleReport } from '../types';

const HIGH_DROP = 0.8;
const KEEP_NAME = /keep/i;

export const cc33 = defineRule('CC-33', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    for (const { call } of locatedCalls(scope.body)) {
      const cls = torchClassOfCall(call);
      if (!cls || !/^(Dropout[123]?d?|AlphaDropout)$/.test(cls)) continue;
      const p = argument(call, 0, 'p');
      if (!p) continue;
      const value = numberValue(scope.resolve(p));
      const name = dottedName(p);
      if (value !== undefined && value >= HIGH_DROP && value < 1) {
        const keep = Number((1 - value).toFixed(6));
        reports.push({
          message: `${cls}(p=${value}) drops ${Math.round(value * 100)}% of the units: PyTorch's p is the drop probability, not the keep probability. If you meant to keep ${Math.round(value * 100)}%, use p=${keep}.`,
          range: p.r,
          fixes: [fix(`Use p=${keep}`, replace(p.r, String(keep)))],
        });
      } else if (name && KEEP_NAME.test(lastPart(name))) {
        reports.push({
          message: `${cls}(p=${name}): PyTorch's p is the drop probability, but this looks like a keep probability. Use p = 1 - ${name}.`,
          range: p.r,
          fixes: [fix(`Use 1 - ${name}`, replace(p.r, `1 - ${name}`))],
        });
      }
    }
  }
  return reports;
});
