// CC-20: attention scores masked with 0 (masked_fill(mask, 0) or scores * mask) before the softmax.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { fillValue, scorePaths } from '../attention';
import { numberValue } from '../../python/syntax';
import { scopesOf } from '../training';
import type { RuleReport } from '../types';

const MESSAGE = 'Masking scores with 0 before the softmax still gives masked positions weight (e⁰ = 1). Fill them with -inf.';

export const cc20 = defineRule('CC-20', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    for (const path of scorePaths(scope)) {
      for (const fill of path.maskFills) {
        const value = fillValue(fill);
        if (!value || numberValue(value) !== 0) continue;
        reports.push({ message: MESSAGE, range: value.r, fixes: [fix("Fill with float('-inf')", replace(value.r, "float('-inf')"))] });
      }
      for (const product of path.maskProducts) {
        const [scores, mask] = /mask/i.test(context.source.textOf(product.right.r)) ? [product.left, product.right] : [product.right, product.left];
        const scoresText = context.source.textOf(scores.r);
        const scoresCode = scores.k === 'name' || scores.k === 'attr' || scores.k === 'call' ? scoresText : `(${scoresText})`;
        reports.push({
          message: MESSAGE,
          range: product.r,
          fixes: [fix("Use masked_fill(mask == 0, float('-inf'))", replace(product.r, `${scoresCode}.masked_fill(${context.source.textOf(mask.r)} == 0, float('-inf'))`))],
        });
      }
    }
  }
  return reports;
});
