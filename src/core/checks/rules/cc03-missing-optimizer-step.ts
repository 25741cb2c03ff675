// CC-03: backward() in a training loop with an optimizer in scope but no step() anywhere.
import { defineRule } from '../rule';
import { fix, insertLineAfter } from '../fixes';
import { calledName, dottedName, walkBodyExprs } from '../../python/syntax';
import type { RuleReport } from '../types';
import { innermostLoop, isBackwardCall, isOptimizerExpr, locatedCalls, scopesOf } from '../training';
import type { Scope } from '../training';

/** A name in scope holding an optimizer: assigned from torch.optim.X(...) or a parameter named like one. */
function optimizerInScope(scope: Scope): string | undefined {
  const params = [...scope.flow.params].filter((p) => /^(opt|optim|optimizer)(_\w+)?$/i.test(p));
  if (params[0]) return params[0];
  for (const c of locatedCalls(scope.body)) {
    if (c.stmt.k !== 'assign' || c.stmt.value !== c.call) continue;
    const target = c.stmt.targets[0];
    const name = dottedName(target);
    if (name && target && isOptimizerExpr(target, scope.flow) && /optim/.test(dottedName(c.call.fn) ?? '')) return name;
  }
  return undefined;
}

export const cc03 = defineRule('CC-03', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    const calls = locatedCalls(scope.body);
    // Any call named like a step (opt.step(), scaler.step(opt), self.optimizer_step()) counts as an update.
    if (calls.some((c) => /step/i.test(calledName(c.call) ?? ''))) continue;
    // Reading `.grad` (a manual update `p.data.add_(p.grad, alpha=-lr)`, or inspection) replaces the step.
    let readsGrad = false;
    walkBodyExprs(scope.body, (e) => {
      if (e.k === 'attr' && e.name === 'grad') readsGrad = true;
    });
    if (readsGrad) continue;
    const optimizer = optimizerInScope(scope);
    if (!optimizer) continue;
    const backward = calls.find((c) => isBackwardCall(c.call) && innermostLoop(c.ancestors) !== undefined);
    if (!backward) continue;
    reports.push({
      message: `backward() computes gradients but ${optimizer}.step() is never called, so the parameters never change.`,
      range: backward.call.r,
      fixes: [fix(`Add ${optimizer}.step() after backward()`, insertLineAfter(context.source, backward.stmt, `${optimizer}.step()`))],
    });
  }
  return reports;
});
