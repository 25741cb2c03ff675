// CC-31: a functional dropout (F.dropout and friends) run without `training=`, so it stays on after
// model.eval(), unless the code around it only runs it in training (`if self.training:`).
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import type { RuleReport } from '../types';
import type { Expr } from '../../python/ast';
import { walkExpr } from '../../python/syntax';

const FUNCTIONAL_DROPOUTS = /(^|\.)functional\.(dropout|dropout1d|dropout2d|dropout3d|alpha_dropout|feature_alpha_dropout)$/;

/** True when a test reads a training flag (`self.training`, `training`, `is_training`). */
function readsTraining(test: Expr): boolean {
  let found = false;
  walkExpr(test, (e) => {
    if ((e.k === 'attr' && /training$/.test(e.name)) || (e.k === 'name' && /training$/.test(e.id))) found = true;
  });
  return found;
}

export const cc31 = defineRule('CC-31', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const seen = new Set<unknown>();
  const moduleClass = facts.driven.session.torch.moduleClass;
  for (const c of facts.localCalls) {
    if (seen.has(c.expr) || c.callee.kind !== 'builtin' || !FUNCTIONAL_DROPOUTS.test(c.callee.name)) continue;
    // F.dropout(input, p, training, inplace): a third positional argument is `training`; *args may hold it.
    if (c.args.keywords.has('training') || c.args.positional.length >= 3 || c.expr.args.some((a) => a.kind === 'star' || a.kind === 'dstar')) continue;
    if (facts.ancestorsOf(c).some((s) => (s.k === 'if' && s.branches.some((b) => readsTraining(b.test))) || (s.k === 'while' && readsTraining(s.test)))) continue;
    seen.add(c.expr);
    const frame = c.context.functions.at(-1);
    const isMethod = frame?.fn.definingClass?.mro.includes(moduleClass) === true && frame.fn.params[0]?.name === 'self';
    const own = c.callee.name.slice(c.callee.name.lastIndexOf('.') + 1);
    const last = c.expr.args[c.expr.args.length - 1];
    reports.push({
      message: isMethod
        ? `${own}() defaults to training=True, so this dropout stays on after model.eval(). Pass training=self.training.`
        : `${own}() defaults to training=True, so this dropout stays on in evaluation. Pass the caller's self.training as training=.`,
      range: c.expr.r,
      ...(last && isMethod ? { fixes: [fix('Pass training=self.training', replace({ start: last.value.r.end, end: last.value.r.end }, ', training=self.training'))] } : {}),
    });
  }
  return reports;
});
