// CC-18: softmax over q·kᵀ scores with no 1/√d_k scaling (info variant: divided by d_k instead of √d_k).
// The scores, their scaling and the scaling of q and k are the evaluation's values (facts/attention.ts),
// through variables and helpers; a function that names a scale (a `scale` argument) is trusted.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import type { RuleReport } from '../types';
import type { Value } from '../../interp/values';
import type { CheckFacts } from '../facts/facts';
import { scaledOnTheWay, scorePaths } from '../facts/attention';
import { walkBodyExprs } from '../../python/syntax';
import type { FunctionDef, Module } from '../../python/ast';

const SCALE_WORDS = /scal|sqrt|temp|tau|rsqrt/i;
const DIMENSION_NAMES = /^(d|dk|d_k|d_head|head_dim|headdim|d_model|dim|embed_dim|head_size|hidden_size|key_dim|d_key)$/i;

/** The code around the softmax names a scale (a `scale` parameter or attribute): trust it. */
function mentionsScale(body: FunctionDef | Module): boolean {
  let found = false;
  walkBodyExprs(body.body, (e) => {
    const name = e.k === 'name' ? e.id : e.k === 'attr' ? e.name : undefined;
    // `scaled_dot_product_attention` in another branch scales only that branch.
    if (name && SCALE_WORDS.test(name) && !/dot_product/.test(name)) found = true;
  });
  return found;
}

/** A divisor that is the dimension itself (an int named like one, with no square root on its way). */
function isDimension(facts: CheckFacts, factor: Value, name: string | undefined): boolean {
  if (!name || !DIMENSION_NAMES.test(name)) return false;
  if (factor.kind === 'float') return false;
  const p = facts.producerOf(factor);
  return !(p?.kind === 'op' && p.op === '**') && !(p?.kind === 'call' && /sqrt/.test(facts.builtinName(p) ?? ''));
}

export const cc18 = defineRule('CC-18', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const seen = new Set<unknown>();
  for (const path of scorePaths(facts)) {
    const product = path.product;
    if (!product || product.event.file !== context.path || seen.has(product.expr)) continue;
    if (path.scaling) {
      const factorExpr = path.scaling.factorExpr;
      const name = factorExpr?.k === 'name' ? factorExpr.id : factorExpr?.k === 'attr' ? factorExpr.name : undefined;
      if (path.scaling.op.op.startsWith('/') && factorExpr && isDimension(facts, path.scaling.factor, name)) {
        seen.add(product.expr);
        const text = context.source.textOf(factorExpr.r);
        reports.push({
          message: `The attention scores are divided by ${text}, the dimension; the standard scale is its square root: Var(q·k) = d, so dividing by √d gives unit-variance logits.`,
          range: factorExpr.r,
          severity: 'info',
          fixes: [fix('Divide by the square root', replace(factorExpr.r, `${text} ** 0.5`))],
        });
      }
      continue;
    }
    if (scaledOnTheWay(facts, product.q) || scaledOnTheWay(facts, product.k)) continue;
    const def = facts.defOf(product.event);
    if (mentionsScale(def ?? facts.driven.module)) continue;
    seen.add(product.expr);
    const qExpr = product.expr.k === 'bin' ? product.expr.left : product.expr.k === 'call' ? product.expr.args.find((a) => a.kind === 'pos')?.value : undefined;
    const qText = qExpr ? context.source.textOf(qExpr.r) : undefined;
    const qCode = qExpr && (qExpr.k === 'name' || qExpr.k === 'attr') ? qText : `(${qText})`;
    reports.push({
      message: 'These attention scores q·kᵀ reach the softmax unscaled: Var(q·k) = d_k, so the logits have std √d_k, the softmax acts like a hardmax and its gradients vanish. Divide by √d_k.',
      range: product.expr.r,
      ...(qText ? { fixes: [fix('Divide the scores by √d_k', replace(product.expr.r, `(${context.source.textOf(product.expr.r)}) / ${qCode}.size(-1) ** 0.5`))] } : {}),
    });
  }
  return reports;
});
