// CC-04: the loss tensor backward() runs on, or a part of it (its graph attached), appended to a list or summed into a
// running total inside the loop, which keeps every batch's autograd graph alive.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import type { RuleReport } from '../types';
import type { Expr } from '../../python/ast';
import { lossComponents, lossValues } from '../facts/training';
import { exprText } from '../facts/labels';

const STORING = /^(append|extend|insert)$/;

export const cc04 = defineRule('CC-04', (context) => {
  const facts = context.facts();
  // The loss backward() runs on, and the parts it sums (each keeps the graph as much as the total does).
  const losses = new Set([...lossValues(facts).keys(), ...lossComponents(facts).keys()]);
  if (losses.size === 0) return [];
  const reports: RuleReport[] = [];
  const seen = new Set<Expr>();
  const report = (value: Expr, into: string): void => {
    if (seen.has(value)) return;
    seen.add(value);
    const name = exprText(context, value, 'loss');
    reports.push({
      message: `'${name}' is a loss tensor with its autograd graph; keeping it in '${into}' keeps every batch's graph alive. Use ${name}.item().`,
      range: value.r,
      fixes: [fix(`Use ${name}.item()`, replace(value.r, `${name}.item()`))],
    });
  };
  // Under no_grad nothing keeps a graph: asked last, of the events that would be reported.
  for (const e of facts.localEvents) {
    if (e.context.loops.length === 0) continue;
    if (e.kind === 'call' && STORING.test(facts.methodOf(e) ?? '') && e.expr.fn.k === 'attr') {
      const at = e.args.positional.findIndex((v) => losses.has(v));
      const arg = e.expr.args.filter((a) => a.kind === 'pos')[at];
      if (at >= 0 && arg && !facts.underNoGrad(e)) report(arg.value, exprText(context, e.expr.fn.obj, 'a list'));
    } else if (e.kind === 'op' && e.op === '+=' && losses.has(e.operands[1]!) && !losses.has(e.operands[0]!) && !losses.has(e.result)) {
      if (facts.underNoGrad(e)) continue;
      // A sum that is itself part of the loss (`style_loss += mse_loss(...)`) builds the loss; it stores nothing.
      const ancestors = facts.ancestorsOf(e);
      const stmt = ancestors[ancestors.length - 1];
      report(e.expr, stmt?.k === 'aug' ? exprText(context, stmt.target, 'a total') : 'a total');
    }
  }
  return reports;
});
