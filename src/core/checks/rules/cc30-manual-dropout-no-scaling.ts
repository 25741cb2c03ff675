// CC-30: a hand-written dropout mask (`x * (torch.rand_like(x) > p)`, `torch.bernoulli(...)`) with no
// 1/(1−p) rescaling anywhere in the function: train and test activations then differ by a factor 1−p.
import type { Expr } from '../../python/ast';
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import type { BinExpr } from '../../python/syntax';
import { calledName, dottedName, isCall, walkBodyExprs } from '../../python/syntax';
import { scopesOf } from '../training';
import type { Scope } from '../training';
import type { RuleReport } from '../types';

const RANDOM_SOURCES = /^(rand|rand_like|uniform_)$/;

/** The drop probability of a mask expression `rand(...) > p` (text of p), or true for a bernoulli mask. */
function maskThreshold(e: Expr, scope: Scope): { p?: Expr } | undefined {
  let mask = scope.resolve(e);
  if (isCall(mask) && /^(float|half|to|type)$/.test(calledName(mask) ?? '') && mask.fn.k === 'attr') mask = scope.resolve(mask.fn.obj);
  if (mask.k === 'cmp' && (mask.op === '>' || mask.op === '>=') && isCall(mask.left) && RANDOM_SOURCES.test(calledName(mask.left) ?? '')) return { p: mask.right };
  if (isCall(mask) && /^bernoulli_?$/.test(calledName(mask) ?? '')) return {};
  return undefined;
}

export const cc30 = defineRule('CC-30', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    if (!scope.def) continue;
    const products: { product: BinExpr; p?: Expr }[] = [];
    let rescaled = false;
    walkBodyExprs(scope.body, (e, parent) => {
      if (e.k === 'bin' && e.op === '/') rescaled = true;
      if ((e.k === 'name' || e.k === 'attr') && /scale|keep|surviv|retain/i.test(dottedName(e) ?? '')) rescaled = true;
      // In-place rescaling of the mask: noise.div_(survival_rate), mask.mul_(1 / (1 - p)).
      if (e.k === 'call' && /^(div_?|mul_|true_divide_?|divide_?)$/.test(calledName(e) ?? '')) rescaled = true;
      if (e.k !== 'bin' || e.op !== '*' || (parent?.k === 'bin' && (parent.op === '/' || parent.op === '*'))) return;
      const threshold = maskThreshold(e.right, scope) ?? maskThreshold(e.left, scope);
      if (threshold) products.push({ product: e, ...(threshold.p ? { p: threshold.p } : {}) });
    });
    if (rescaled) continue;
    for (const { product, p } of products) {
      const pText = p ? context.source.textOf(p.r) : undefined;
      const pCode = p && (p.k === 'name' || p.k === 'num' || p.k === 'attr') ? pText : `(${pText})`;
      reports.push({
        message: `This hand-written dropout keeps ${pText ? `a 1 − ${pText}` : 'only a'} fraction of the units without dividing by it: at test time (no mask) the activations are 1/(1 − p) times larger than in training. Use nn.Dropout, or divide by 1 − p.`,
        range: product.r,
        ...(pText ? { fixes: [fix(`Divide by 1 - ${pText}`, replace(product.r, `${context.source.textOf(product.r)} / (1 - ${pCode})`))] } : {}),
      });
    }
  }
  return reports;
});
