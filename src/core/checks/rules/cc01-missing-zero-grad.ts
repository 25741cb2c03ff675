// CC-01: an optimizer stepped after backward() in a loop iteration that never resets the gradients that
// optimizer updates (its own zero_grad(), a zero_grad() of a model it owns, `p.grad = None`), wherever the
// functions doing it live. Distributed autograd keeps gradients per context and is not a backward here.
import { defineRule } from '../rule';
import { fix, insertLineBefore } from '../fixes';
import type { RuleReport } from '../types';
import { backwardCalls, gradientWrites, iterationEvents, owningOptimizers, resetsGradientsOf, trainingSteps } from '../facts/training';
import type { TrainingStep } from '../facts/training';
import type { CheckFacts } from '../facts/facts';
import type { RecordedCall } from '../facts/recorder';
import type { Stmt } from '../../python/ast';
import { walkExpr } from '../../python/syntax';
import { exprText, optimizerLabel } from '../facts/labels';

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

/**
 * Gradients a step reuses although another optimizer's step already applied them: after the last reset of the
 * step's gradients, a backward reaching its parameters was consumed by another optimizer that owns them too,
 * and the step's own backward came after that (InfoGAN's information loss through the generator, when the
 * generator's zero_grad() is missing). Undefined when the trace does not show it.
 */
function staleGradients(facts: CheckFacts, step: TrainingStep): { reset: RecordedCall; backward: RecordedCall; other: RecordedCall } | undefined {
  const o = step.optimizer;
  const at = step.step.seq;
  let reset: RecordedCall | undefined;
  for (const e of facts.callsNamed('zero_grad')) {
    if (e.seq >= at) break;
    if (resetsGradientsOf(facts, e, o)) reset = e;
  }
  if (!reset) return undefined;
  const since = backwardCalls(facts).filter((b) => b.seq > reset.seq && b.seq < at && owningOptimizers(facts, b)?.includes(o));
  for (const backward of since) {
    const owners = owningOptimizers(facts, backward)!;
    // Only a call named step() steps an optimizer.
    const other = facts.callsNamed('step').find((c) => {
      if (c.seq <= backward.seq || c.seq >= at) return false;
      const stepped = facts.steppedOptimizer(c);
      return stepped !== undefined && stepped !== o && owners.includes(stepped);
    });
    if (other && since.some((b) => b.seq > other.seq)) return { reset, backward, other };
  }
  return undefined;
}

export const cc01 = defineRule('CC-01', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const reported = new Set<unknown>();
  for (const step of trainingSteps(facts)) {
    if (step.step.file !== context.path || reported.has(step.step.expr)) continue;
    const events = iterationEvents(facts, step.iteration);
    const resets = events.some((e) => resetsGradientsOf(facts, e, step.optimizer)) || gradientWrites(facts, step.iteration);
    const stale = resets ? staleGradients(facts, step) : undefined;
    if (resets && !stale) continue;
    // One finding per optimizer and loop: the first of its steps in source order.
    const siblings = trainingSteps(facts).filter((s) => s.optimizer === step.optimizer && s.iteration.stmt === step.iteration.stmt && s.step.file === context.path);
    const first = siblings.reduce((a, b) => (b.step.expr.r.start.line < a.step.expr.r.start.line ? b : a));
    for (const s of siblings) reported.add(s.step.expr);
    const ancestors = facts.ancestorsOf(first.step);
    const name = optimizerLabel(context, first.step);
    const loopStmt = first.iteration.stmt;
    const firstStatement = loopStmt.k === 'for' || loopStmt.k === 'while' ? loopStmt.body[0] : undefined;
    const staleText = stale
      ? `The last reset of the gradients ${name} updates, ${exprText(context, stale.reset.expr, 'a zero_grad()')}, comes before ` +
        `${exprText(context, stale.backward.expr, 'another backward()')}, whose gradients ${optimizerLabel(context, stale.other)}.step() already applied: ` +
        `PyTorch adds into .grad, so this step uses them again. Call ${name}.zero_grad() before this step's own backward().`
      : undefined;
    reports.push({
      message:
        staleText ??
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
