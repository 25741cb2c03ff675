// CC-35: hand-built smoothed targets `y * (1 - eps) + eps` with no division of eps by the class count. A
// query over the evaluation's values: a sum whose one term is the smoothing value itself and whose other
// is a product of the targets with one minus that same value, through variables and helpers. The targets
// are a one-hot encoding the evaluation computed (or, where the analysis has no value, named like targets).
import { defineRule } from '../rule';
import type { Expr } from '../../python/ast';
import type { Value } from '../../interp/values';
import type { CheckFacts } from '../facts/facts';
import { computedFrom, computingEvent, factorsOf, isOperation, numberOf, writtenAs } from '../facts/dataflow';
import type { RuleReport } from '../types';

const TARGET_NAME = /^(y|t|targets?|labels?|y_\w+|\w*one_?hot\w*)$/i;
const SMOOTHING_NAME = /(eps|epsilon|smooth|^ls$|label_smoothing)/i;

/** The same smoothing value: one value, or two equal known numbers. */
function same(a: Value, b: Value): boolean {
  if (a === b) return true;
  const [x, y] = [numberOf(a), numberOf(b)];
  return x !== undefined && x === y;
}

/** The last name of an expression (`eps`, `self.eps` → `eps`). */
const nameOf = (e: Expr | undefined): string | undefined => (e?.k === 'name' ? e.id : e?.k === 'attr' ? e.name : undefined);

/** A smoothing value: a known number in (0, 0.5], or, unknown, a name that says so. */
function isSmoothing(v: Value, written: Expr | undefined): boolean {
  const n = numberOf(v);
  if (n !== undefined) return n > 0 && n <= 0.5;
  return v.kind === 'unknown' && SMOOTHING_NAME.test(nameOf(written) ?? '');
}

/** The targets: a one-hot encoding the evaluation computed, or, with no producer to read, a target-like name. */
function isTargets(facts: CheckFacts, v: Value, written: Expr | undefined): boolean {
  if (v.kind !== 'tensor' && v.kind !== 'unknown') return false;
  if (computedFrom(facts, v, ['one-hot'])) return true;
  return TARGET_NAME.test(nameOf(written) ?? '');
}

export const cc35 = defineRule('CC-35', (context) => {
  const facts = context.facts();
  const reports = new Map<Expr, RuleReport>();
  for (const e of facts.operations('+')) {
    if (e.expr.k !== 'bin' || e.file !== context.path || reports.has(e.expr)) continue;
    for (const [side, product, eps] of [[0, e.operands[0]!, e.operands[1]!], [1, e.operands[1]!, e.operands[0]!]] as const) {
      const epsExpr = side === 0 ? e.expr.right : e.expr.left;
      // An unknown value not named like a smoothing still counts when the targets are a computed one-hot.
      const named = isSmoothing(eps, epsExpr);
      if (!named && eps.kind !== 'unknown') continue;
      const factors = factorsOf(facts, product);
      if (factors.length < 2) continue;
      const complement = factors.find((f) => {
        const p = computingEvent(facts, f);
        if (isOperation(p, '-')) return numberOf(p.operands[0]) === 1 && same(p.operands[1]!, eps);
        // Known numbers: `1 - 0.1` was computed to 0.9 (a number has no producer to read).
        const [keep, smoothing] = [numberOf(f), numberOf(eps)];
        return keep !== undefined && smoothing !== undefined && smoothing < 0.5 && Math.abs(keep - (1 - smoothing)) < 1e-12;
      });
      if (!complement) continue;
      const targets = factors.filter((f) => f !== complement && isTargets(facts, f, writtenAs(facts, product, f)));
      if (targets.length === 0 || (!named && !targets.some((t) => computedFrom(facts, t, ['one-hot'])))) continue;
      const eText = epsExpr.k === 'name' || epsExpr.k === 'attr' || epsExpr.k === 'num' ? context.source.textOf(epsExpr.r) : 'ε';
      reports.set(e.expr, {
        message: `Smoothed targets y·(1 − ${eText}) + ${eText} do not sum to 1 over K classes (they sum to 1 + (K − 1)·${eText}). Label smoothing is (1 − ε)·y + ε/K, or use CrossEntropyLoss(label_smoothing=ε).`,
        range: e.expr.r,
      });
      break;
    }
  }
  return [...reports.values()];
});
