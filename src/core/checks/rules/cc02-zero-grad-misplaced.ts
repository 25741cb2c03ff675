// CC-02: the gradients an optimizer is about to use are reset between the backward() that made them and
// its step(): the last backward before the step comes before a zero_grad() that reaches that optimizer.
import { defineRule } from '../rule';
import { deleteStatementLines, fix, insertLineBefore } from '../fixes';
import type { RuleReport } from '../types';
import { iterationEvents, trainingSteps } from '../facts/training';
import type { RecordedCall } from '../facts/recorder';

export const cc02 = defineRule('CC-02', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const reported = new Set<unknown>();
  for (const step of trainingSteps(facts)) {
    const lastBackward = step.backwards[step.backwards.length - 1]!;
    const zero = iterationEvents(facts, step.iteration).find(
      (e): e is RecordedCall =>
        e.kind === 'call' &&
        e.seq > lastBackward.seq &&
        e.seq < step.step.seq &&
        facts.methodOf(e) === 'zero_grad' &&
        e.receiver !== undefined &&
        // Only a reset known to reach this optimizer's parameters wipes what it is about to use.
        facts.resetsFor(step.optimizer, e.receiver) === true,
    );
    if (!zero || zero.file !== context.path || reported.has(zero.expr)) continue;
    reported.add(zero.expr);
    const ancestors = facts.ancestorsOf(zero);
    const stmt = ancestors[ancestors.length - 1];
    const loop = step.iteration.stmt;
    const first = loop.k === 'for' || loop.k === 'while' ? loop.body[0] : undefined;
    const movable = stmt?.k === 'expr' && stmt.value === zero.expr && stmt.r.start.line === stmt.r.end.line && first && first !== stmt && step.iteration.file === context.path;
    reports.push({
      message: 'zero_grad() runs after backward() and before step(): the gradients are wiped before the update, so the step uses nothing.',
      range: zero.expr.r,
      ...(movable && first && stmt
        ? { fixes: [fix('Move zero_grad() to the top of the loop body', insertLineBefore(context.source, first, context.source.textOf(zero.expr.r)), deleteStatementLines(stmt))] }
        : {}),
    });
  }
  return reports;
});
