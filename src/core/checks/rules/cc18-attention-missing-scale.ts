// CC-18: softmax over q·kᵀ scores with no 1/√d_k scaling (info variant: divided by d_k instead of √d_k).
import type { Expr } from '../../python/ast';
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { scorePaths } from '../attention';
import { dottedName, identifiersIn, lastPart, walkExpr } from '../../python/syntax';
import { scopesOf } from '../training';
import type { Scope } from '../training';
import type { RuleReport } from '../types';
import { walkBodyExprs } from '../../python/syntax';

const SCALE_WORDS = /scal|sqrt|temp|tau|norm|rsqrt/i;
const DIMENSION_NAMES = /^(d|dk|d_k|d_head|head_dim|headdim|d_model|dim|embed_dim|head_size|hidden_size|key_dim|d_key)$/i;

/** True when an operand's definition already scales it (q = q * scale, q = F.normalize(q), ...). */
function isScaled(e: Expr, scope: Scope): boolean {
  const resolved = scope.resolve(e);
  let scaled = false;
  walkExpr(resolved, (n) => {
    if (n.k === 'bin' && (n.op === '*' || n.op === '/' || n.op === '**')) scaled = true;
  });
  return scaled || identifiersIn(resolved).some((id) => SCALE_WORDS.test(id));
}

/** True when the divisor is named like the dimension and its definition takes no square root. */
function dividesByDimension(factor: Expr, scope: Scope): boolean {
  const name = dottedName(factor);
  if (!name || !DIMENSION_NAMES.test(lastPart(name))) return false;
  const resolved = scope.resolve(factor);
  // A literal could already be a square root (8 = √64): stay silent.
  if (resolved.k === 'num') return false;
  let rooted = false;
  walkExpr(resolved, (n) => {
    if ((n.k === 'bin' && n.op === '**') || (n.k === 'name' && /sqrt/.test(n.id)) || (n.k === 'attr' && /sqrt/.test(n.name))) rooted = true;
  });
  return !rooted;
}

export const cc18 = defineRule('CC-18', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    const paths = scorePaths(scope);
    if (paths.length === 0) continue;
    let mentionsScale = false;
    walkBodyExprs(scope.body, (e) => {
      if ((e.k === 'name' && SCALE_WORDS.test(e.id) && !/norm/i.test(e.id)) || (e.k === 'attr' && SCALE_WORDS.test(e.name) && !/norm/i.test(e.name))) mentionsScale = true;
    });
    for (const path of paths) {
      const product = path.product;
      if (!product) continue;
      if (path.scaling) {
        if (path.scaling.op === '/' && dividesByDimension(path.scaling.factor, scope)) {
          reports.push({
            message: `The attention scores are divided by ${context.source.textOf(path.scaling.factor.r)}, the dimension; the standard scale is its square root: Var(q·k) = d, so dividing by √d gives unit-variance logits.`,
            range: path.scaling.factor.r,
            severity: 'info',
            fixes: [fix('Divide by the square root', replace(path.scaling.factor.r, `${context.source.textOf(path.scaling.factor.r)} ** 0.5`))],
          });
        }
        continue;
      }
      if (mentionsScale || isScaled(product.q, scope) || isScaled(product.k, scope)) continue;
      const qText = context.source.textOf(product.q.r);
      const qCode = product.q.k === 'name' || product.q.k === 'attr' ? qText : `(${qText})`;
      reports.push({
        message: 'These attention scores q·kᵀ reach the softmax unscaled: Var(q·k) = d_k, so the logits have std √d_k, the softmax acts like a hardmax and its gradients vanish. Divide by √d_k.',
        range: product.expr.r,
        fixes: [fix('Divide the scores by √d_k', replace(product.expr.r, `(${context.source.textOf(product.expr.r)}) / ${qCode}.size(-1) ** 0.5`))],
      });
    }
  }
  return reports;
});
