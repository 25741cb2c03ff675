// CC-37: Adam/AdamW betas=(b1, b2) with b1 > b2 or b2 < 0.9: the second-moment average must be the slow one.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { argument, dottedName, lastPart, numberValue } from '../../python/syntax';
import { locatedCalls, scopesOf } from '../training';
import type { RuleReport } from '../types';

const ADAM_FAMILY = /^(Adam|AdamW|NAdam|RAdam|Adamax|SparseAdam)$/;

export const cc37 = defineRule('CC-37', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    for (const { call } of locatedCalls(scope.body)) {
      const name = dottedName(call.fn);
      if (!name || !ADAM_FAMILY.test(lastPart(name)) || !/(^|\.)optim(\.|$)|^(Adam|AdamW|NAdam|RAdam|Adamax)$/.test(name)) continue;
      const betasArg = argument(call, 2, 'betas');
      const betas = betasArg ? scope.resolve(betasArg) : undefined;
      if (!betasArg || !betas || (betas.k !== 'tuple' && betas.k !== 'list') || betas.items.length !== 2) continue;
      const [b1, b2] = betas.items.map(numberValue);
      if (b1 === undefined || b2 === undefined) continue;
      if (!(b1 > b2 || b2 < 0.9)) continue;
      reports.push({
        message:
          b1 > b2
            ? `betas=(${b1}, ${b2}) looks swapped: β₁ averages the gradient (fast, ~0.9) and β₂ the squared gradient (slow, ~0.999); v must change slowly.`
            : `β₂ = ${b2} averages the squared gradient over only ~${Math.round(1 / (1 - b2))} steps: v̂ becomes noisy and the steps erratic. The standard is β₂ = 0.999.`,
        range: betasArg.r,
        fixes: [fix('Use betas=(0.9, 0.999)', replace(betasArg.r, '(0.9, 0.999)'))],
      });
    }
  }
  return reports;
});
