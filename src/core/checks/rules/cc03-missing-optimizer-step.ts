// CC-03: backward() whose gradients no optimizer ever applies. Per optimizer: the loss reaches models whose
// parameters some optimizers own; the backward is consumed when one of them steps after it and before its
// gradients are reset (its zero_grad, a zero_grad of a model it owns). A GAN's generator loss also reaches
// the discriminator, whose zero_grad() comes before its own step: the discriminator's later step does not
// apply the generator's gradients. Where the values do not tell which optimizers own the reached
// parameters, any step in the loop (or after it in the same call, for full-batch accumulation) counts.
// A hand-written update from `.grad` counts too.
import { defineRule } from '../rule';
import { fix, insertLineAfter } from '../fixes';
import type { RuleReport } from '../types';
import type { Value } from '../../interp/values';
import { optimizerResults } from '../facts/optimizers';
import { backwardCalls, iterationEvents, mentionsGrad, owningOptimizers, resetsGradientsOf } from '../facts/training';
import type { CheckFacts } from '../facts/facts';
import { inRun } from '../facts/facts';
import type { LoopFrame, RecordedCall } from '../facts/recorder';
import { exprText } from '../facts/labels';

const STEPS = ['step', 'optimizer_step', 'optim_step', 'opt_step'];
/** A scheduler's step() changes the learning rate, not the parameters. */
const NOT_AN_UPDATE = /^(scheduler|sampler|loader|dataset)$/;

/** True when `o` steps after the backward and before anything resets the gradients it owns. */
function consumedBy(facts: CheckFacts, b: RecordedCall, o: Value, loop: LoopFrame, entry: number | undefined, frames: number): boolean {
  // Only step() and zero_grad() calls decide.
  for (const e of facts.callsNamed('step', 'zero_grad')) {
    if (e.seq <= b.seq) continue;
    if (!inRun(e, loop) && e.context.functions[frames - 1]?.entry !== entry) continue;
    if (facts.steppedOptimizer(e) === o) return true;
    if (resetsGradientsOf(facts, e, o) && facts.methodOf(e) === 'zero_grad') return false;
  }
  return false;
}

export const cc03 = defineRule('CC-03', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const reported = new Set<unknown>();
  for (const b of backwardCalls(facts)) {
    if (b.file !== context.path) continue;
    const loop = b.context.loops[b.context.loops.length - 1];
    if (!loop || reported.has(b.expr)) continue;
    const events = iterationEvents(facts, loop);
    const frames = b.context.functions.length;
    const entry = b.context.functions[frames - 1]?.entry;
    const owners = owningOptimizers(facts, b);
    const updates = owners
      ? owners.some((o) => consumedBy(facts, b, o, loop, entry, frames))
      : facts.callsNamed(...STEPS).some(
          (c) =>
            !NOT_AN_UPDATE.test(facts.libraryOf(c.receiver)?.info.kind ?? '') &&
            (inRun(c, loop) || (c.seq > b.seq && c.context.functions[frames - 1]?.entry === entry)),
        );
    if (updates) continue;
    if (events.some((e) => mentionsGrad(e.expr))) continue;
    // An optimizer the loop uses (its zero_grad) or that its function built.
    // Its zero_grad may sit in an outer loop of the same training step (meta-learning's task loop inside the batch loop).
    const outer = b.context.loops.find((l) => l.depth === loop.depth) ?? loop;
    const zeros = [...events, ...iterationEvents(facts, outer)].filter(
      (e): e is RecordedCall =>
        e.kind === 'call' && facts.methodOf(e) === 'zero_grad' && (facts.optimizerInfo(e.receiver) !== undefined || (e.expr.fn.k === 'attr' && e.receiver?.kind === 'unknown' && facts.presumedOptimizer(e.expr.fn.obj))),
    );
    // Name the optimizer the loss's models belong to when known.
    const zero = zeros.find((z) => owners?.includes(z.receiver!)) ?? zeros[0];
    const built = optimizerResults(facts).find((c) => c.context.functions[frames - 1]?.entry === entry && c.context.functions.length === frames);
    if (!zero && !built) continue;
    reported.add(b.expr);
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
