// CC-03: backward() in a loop that also uses an optimizer, with no step anywhere in that loop (nor after
// it in the same call, for full-batch accumulation) and no hand-written update from `.grad`.
import { defineRule } from '../rule';
import { fix, insertLineAfter } from '../fixes';
import type { RuleReport } from '../types';
import { libraryObjectOf } from '../../interp/library';
import { backwardCalls, iterationEvents, mentionsGrad } from '../facts/training';
import { inRun } from '../facts/facts';
import type { RecordedCall } from '../facts/recorder';
import { exprText } from '../facts/labels';

export const cc03 = defineRule('CC-03', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const reportedLoops = new Set<unknown>();
  for (const b of backwardCalls(facts)) {
    if (b.file !== context.path) continue;
    const loop = b.context.loops[b.context.loops.length - 1];
    if (!loop || reportedLoops.has(loop.stmt)) continue;
    const events = iterationEvents(facts, loop);
    const frames = b.context.functions.length;
    // An update: any step-like call in the loop run, or after it within the same function call.
    const entry = b.context.functions[frames - 1]?.entry;
    // A scheduler's step() changes the learning rate, not the parameters.
    const updates = facts.calls.some(
      (c) =>
        /^(step|optimizer_step|optim_step|opt_step)$/.test(facts.methodOf(c) ?? '') &&
        !/^(scheduler|sampler|loader|dataset)$/.test(facts.libraryOf(c.receiver)?.info.kind ?? '') &&
        (inRun(c, loop) || (c.seq > b.seq && c.context.functions[frames - 1]?.entry === entry)),
    );
    if (updates) continue;
    if (events.some((e) => mentionsGrad(e.expr))) continue;
    // An optimizer the loop uses (its zero_grad) or that its function built.
    // Its zero_grad may sit in an outer loop of the same training step (meta-learning's task loop inside the batch loop).
    const outer = b.context.loops.find((l) => l.depth === loop.depth) ?? loop;
    const zero = [...events, ...iterationEvents(facts, outer)].find((e): e is RecordedCall => e.kind === 'call' && facts.methodOf(e) === 'zero_grad' && (facts.optimizerInfo(e.receiver) !== undefined || (e.expr.fn.k === 'attr' && e.receiver?.kind === 'unknown' && facts.presumedOptimizer(e.expr.fn.obj))));
    const built = facts.calls.find((c) => libraryObjectOf(c.result)?.kind === 'optimizer' && c.context.functions[frames - 1]?.entry === entry && c.context.functions.length === frames);
    if (!zero && !built) continue;
    reportedLoops.add(loop.stmt);
    const name = zero && zero.expr.fn.k === 'attr' ? exprText(context, zero.expr.fn.obj, 'optimizer') : 'optimizer';
    const ancestors = facts.ancestorsOf(b);
    const stmt = ancestors[ancestors.length - 1];
    reports.push({
      message: `backward() computes gradients but ${name}.step() is never called, so the parameters never change.`,
      range: b.expr.r,
      ...(stmt ? { fixes: [fix(`Add ${name}.step() after backward()`, insertLineAfter(context.source, stmt, `${name}.step()`))] } : {}),
    });
  }
  return reports;
});
