// CC-35: hand-built smoothed targets `y * (1 - eps) + eps` with no division of eps by the class count.
import type { Expr } from '../../python/ast';
import { defineRule } from '../rule';
import { dottedName, numberValue, walkBodyExprs } from '../../python/syntax';
import { scopesOf } from '../training';
import type { RuleReport } from '../types';

const TARGET_NAME = /^(y|t|targets?|labels?|y_\w+|\w*one_?hot\w*)$/i;
const SMOOTHING_NAME = /(eps|epsilon|smooth|^ls$|label_smoothing)/i;

/** The factors of a product chain. */
const factors = (e: Expr): Expr[] => (e.k === 'bin' && e.op === '*' ? [...factors(e.left), ...factors(e.right)] : [e]);

/** The name `eps` of `targets * (1 - eps)`: a target-like factor times one minus a smoothing-like name. */
function oneMinus(e: Expr): string | undefined {
  const fs = factors(e);
  const hasTargets = fs.some((f) => TARGET_NAME.test(dottedName(f)?.split('.').pop() ?? '') || (f.k === 'call' && /one_hot/.test(dottedName(f.fn) ?? '')));
  const complement = fs.find((f) => f.k === 'bin' && f.op === '-' && numberValue(f.left) === 1);
  const eps = complement?.k === 'bin' ? dottedName(complement.right) : undefined;
  return hasTargets && eps && SMOOTHING_NAME.test(eps) ? eps : undefined;
}

export const cc35 = defineRule('CC-35', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    walkBodyExprs(scope.body, (e) => {
      if (e.k !== 'bin' || e.op !== '+') return;
      for (const [product, other] of [[e.left, e.right], [e.right, e.left]] as const) {
        const eps = oneMinus(product);
        if (!eps || dottedName(other) !== eps) continue;
        reports.push({
          message: `Smoothed targets y·(1 − ${eps}) + ${eps} do not sum to 1 over K classes (they sum to 1 + (K − 1)·${eps}). Label smoothing is (1 − ε)·y + ε/K, or use CrossEntropyLoss(label_smoothing=ε).`,
          range: e.r,
        });
      }
    });
  }
  return reports;
});
