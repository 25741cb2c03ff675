// CC-20: attention scores masked with 0 (masked_fill(mask, 0) or scores * mask) before the softmax, as the
// evaluation computed them (facts/attention.ts): the fill value is the evaluation's value.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import type { RuleReport } from '../types';
import { scorePaths } from '../facts/attention';
import { numberOf } from '../facts/optimizers';

const MESSAGE = 'Masking scores with 0 before the softmax still gives masked positions weight (e⁰ = 1). Fill them with -inf.';

export const cc20 = defineRule('CC-20', (context) => {
  const reports: RuleReport[] = [];
  const seen = new Set<unknown>();
  for (const path of scorePaths(context.facts())) {
    if (!path.product) continue;
    for (const fill of path.maskFills) {
      const value = fill.args.keywords.get('value') ?? fill.args.positional[1];
      const valueExpr = fill.expr.args.find((a) => a.kind === 'kw' && a.name === 'value')?.value ?? fill.expr.args.filter((a) => a.kind === 'pos')[1]?.value;
      if (fill.file !== context.path || !valueExpr || seen.has(valueExpr) || numberOf(value)?.value !== 0 || numberOf(value)?.likely) continue;
      seen.add(valueExpr);
      reports.push({ message: MESSAGE, range: valueExpr.r, fixes: [fix("Fill with float('-inf')", replace(valueExpr.r, "float('-inf')"))] });
    }
    for (const product of path.maskProducts) {
      const e = product.expr;
      if (product.file !== context.path || e.k !== 'bin' || seen.has(e)) continue;
      seen.add(e);
      const [scores, mask] = /mask/i.test(context.source.textOf(e.right.r)) ? [e.left, e.right] : [e.right, e.left];
      const scoresText = context.source.textOf(scores.r);
      const scoresCode = scores.k === 'name' || scores.k === 'attr' || scores.k === 'call' ? scoresText : `(${scoresText})`;
      reports.push({
        message: MESSAGE,
        range: e.r,
        fixes: [fix("Use masked_fill(mask == 0, float('-inf'))", replace(e.r, `${scoresCode}.masked_fill(${context.source.textOf(mask.r)} == 0, float('-inf'))`))],
      });
    }
  }
  return reports;
});
