// CC-01: an optimizer stepped after backward() in a loop iteration that never resets the gradients that
// optimizer updates (its own zero_grad(), a zero_grad() of a model it owns, `p.grad = None`), wherever the
// functions doing it live. Distributed autograd keeps gradients per context and is not a backward here.
import { defineRule } from '../rule';
import { fix, insertLineBefore } from '../fixes';
import type { RuleReport } from '../types';
import { gradientWrites, iterationEvents, resetsGradientsOf, trainingSteps } from '../facts/training';
import type { Stmt } from '../../python/ast';
import { walkExpr } from '../../python/syntax';
import { optimizerLabel } from '../facts/labels';

/** Gradient accumulation steps under `if (i + 1) % k == 0:`; the catalogue downgrades it to info. */
function accumulating(ancestors: readonly Stmt[]): boolean {
  let modulo = false;
  for (const s of ancestors) {
    if (s.k !== 'if') continue;
    for (const b of s.branches)
      walkExpr(b.test, (e) => {
        if (e.k === 'bin' && e.op === '%') modulo = true;
      });
  }
  return modulo;
}

export const cc01 = defineRule('CC-01', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const reported = new Set<unknown>();
  for (const step of trainingSteps(facts)) {
    if (step.step.file !== context.path || reported.has(step.step.expr)) continue;
    const events = iterationEvents(facts, step.iteration);
    if (events.some((e) => resetsGradientsOf(facts, e, step.optimizer)) || gradientWrites(facts, step.iteration)) continue;
    // One finding per optimizer and loop: the first of its steps in source order.
    const siblings = trainingSteps(facts).filter((s) => s.optimizer === step.optimizer && s.iteration.stmt === step.iteration.stmt && s.step.file === context.path);
    const first = siblings.reduce((a, b) => (b.step.expr.r.start.line < a.step.expr.r.start.line ? b : a));
    for (const s of siblings) reported.add(s.step.expr);
    const ancestors = facts.ancestorsOf(first.step);
    const name = optimizerLabel(context, first.step);
    const loopStmt = first.iteration.stmt;
    const firstStatement = loopStmt.k === 'for' || loopStmt.k === 'while' ? loopStmt.body[0] : undefined;
    reports.push({
      message:
        `This loop calls backward() and ${name}.step() but never zeroes the gradients ${name} updates: PyTorch adds into .grad, ` +
        'so every step uses the sum of all past gradients. Call zero_grad() once per batch.',
      range: first.step.expr.r,
      ...(accumulating(ancestors) ? { severity: 'info' as const } : {}),
      ...(firstStatement && first.iteration.file === context.path
        ? { fixes: [fix(`Insert ${name}.zero_grad(set_to_none=True) at the top of the loop`, insertLineBefore(context.source, firstStatement, `${name}.zero_grad(set_to_none=True)`))] }
        : {}),
    });
  }
  return reports;
});
