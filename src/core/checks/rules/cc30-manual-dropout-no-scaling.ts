// CC-30: a hand-written dropout mask (`x * (torch.rand_like(x) > p)`, `torch.bernoulli(...)`) applied with no
// 1/(1−p) rescaling: train and test activations then differ by a factor 1−p. A query over the evaluation's
// values: the mask is a comparison of uniform noise (or a bernoulli draw), followed through variables,
// dtype conversions and helpers to the product that applies it; a division or a further scaling of the
// mask or of the product, wherever it happens, is the rescale.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import type { Value } from '../../interp/values';
import type { Expr } from '../../python/ast';
import type { CheckFacts } from '../facts/facts';
import type { RecordedEvent, RecordedOperation } from '../facts/recorder';
import { callsComputing, computedBy, computes, isOperation } from '../facts/dataflow';
import { inOrder } from '../facts/facts';
import { usesOf } from '../facts/provenance';
import type { RuleReport } from '../types';

interface Mask {
  readonly value: Value;
  /** The drop probability's expression (`p` of `rand_like(x) > p`); absent for a bernoulli draw. */
  readonly p?: Expr;
}

/** Masks drawn in the evaluation: `rand(...) > p` and `bernoulli(...)` results. */
function masksOf(facts: CheckFacts): Mask[] {
  const out: Mask[] = [];
  for (const e of inOrder<RecordedEvent>([facts.operations('>', '>='), callsComputing(facts, 'bernoulli')])) {
    if (isOperation(e, '>', '>=') && e.expr.k === 'cmp' && computedBy(facts, e.operands[0], 'uniform-noise')) out.push({ value: e.result, p: e.expr.right });
    else if (e.kind === 'call' && computes(facts, e) === 'bernoulli') out.push({ value: e.result });
  }
  return out;
}

/** A use that rescales: a division, or a further product / in-place scaling of the masked values. */
function rescales(facts: CheckFacts, use: RecordedEvent): boolean {
  if (isOperation(use, '/', '/=', '*', '*=')) return true;
  const c = computes(facts, use);
  return c === 'divide' || c === 'multiply';
}

/** The products that apply a mask (through conversions), and whether anything on the way rescales. */
function applications(facts: CheckFacts, mask: Value): { products: RecordedOperation[]; rescaled: boolean } {
  const products: RecordedOperation[] = [];
  let rescaled = false;
  let frontier: Value[] = [mask];
  for (let hop = 0; hop < 6 && frontier.length > 0 && !rescaled; hop++) {
    const next: Value[] = [];
    for (const v of frontier)
      for (const use of usesOf(facts, v)) {
        if (isOperation(use, '*', '*=') && products.length === 0) {
          products.push(use);
          // What the product is used for next: a division or scaling there rescales it too.
          for (const after of usesOf(facts, use.result)) if (rescales(facts, after)) rescaled = true;
          for (const after of usesOf(facts, use.result)) if (after.kind === 'call' && after.callee.kind === 'function') next.push(after.result);
        } else if (rescales(facts, use)) rescaled = true;
        else if (use.kind === 'call' && (computes(facts, use) === 'conversion' || use.callee.kind === 'function')) next.push(use.result);
      }
    frontier = next;
  }
  return { products, rescaled };
}

export const cc30 = defineRule('CC-30', (context) => {
  const facts = context.facts();
  const reports = new Map<Expr, RuleReport>();
  for (const mask of masksOf(facts)) {
    const { products, rescaled } = applications(facts, mask.value);
    if (rescaled) continue;
    for (const product of products) {
      if (product.file !== context.path || reports.has(product.expr)) continue;
      const pText = mask.p ? context.source.textOf(mask.p.r) : undefined;
      const pCode = mask.p && (mask.p.k === 'name' || mask.p.k === 'num' || mask.p.k === 'attr') ? pText : `(${pText})`;
      const productText = context.source.textOf(product.expr.r);
      reports.set(product.expr, {
        message: `This hand-written dropout keeps ${pText ? `a 1 − ${pText}` : 'only a'} fraction of the units without dividing by it: at test time (no mask) the activations are 1/(1 − p) times larger than in training. Use nn.Dropout, or divide by 1 − p.`,
        range: product.expr.r,
        ...(pText && mask.p && product.file === facts.path ? { fixes: [fix(`Divide by 1 - ${pText}`, replace(product.expr.r, `${productText} / (1 - ${pCode})`))] } : {}),
      });
    }
  }
  return [...reports.values()];
});
