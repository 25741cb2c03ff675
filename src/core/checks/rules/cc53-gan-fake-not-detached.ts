// CC-53: in a loop that trains two models with two optimizers (a GAN), the discriminator's loss reaches the
// generator's output without detach(): its backward() fills the generator's gradients too (wasted work, and
// wrong gradients for the generator's step unless they are reset first). The notes' loop detaches the fakes.
import { defineRule } from '../rule';
import type { RuleReport } from '../types';
import type { Value } from '../../interp/values';
import { trainingSteps } from '../facts/training';
import { walkGraph } from '../facts/provenance';
import type { RecordedCall } from '../facts/recorder';
import { exprText } from '../facts/labels';

export const cc53 = defineRule('CC-53', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const seen = new Set<unknown>();
  const steps = trainingSteps(facts);
  for (const d of steps) {
    const others = steps.filter((g) => g.iteration.stmt === d.iteration.stmt && g.iteration.run === d.iteration.run && g.iteration.iteration === d.iteration.iteration && g.optimizer !== d.optimizer);
    if (others.length === 0) continue;
    // The backward that made the gradients this step uses: the last one before it, after any earlier step.
    const earlier = steps.filter((s) => s.iteration === d.iteration && s.step.seq < d.step.seq).map((s) => s.step.seq);
    const since = Math.max(-1, ...earlier);
    const backward = [...d.backwards].reverse().find((b) => b.seq > since);
    if (!backward) continue;
    const owns = (opt: Value, m: Value): boolean => facts.resetsFor(opt, m) === true;
    walkGraph(facts, facts.lossOfBackward(backward), (e, path) => {
      if (e.kind !== 'call' || !facts.isModule(e.callee)) return false;
      const generator = others.find((g) => owns(g.optimizer, e.callee) && facts.resetsFor(d.optimizer, e.callee) === false);
      if (!generator) return false;
      // Report at the discriminator's call on the generator's output.
      // Only when this optimizer's own model ran on that output (the discriminator on the fakes); the
      // generator's own loss passing through the discriminator is how GANs train.
      const discriminatorCall = [...path].reverse().find((p): p is RecordedCall => p.kind === 'call' && facts.isModule(p.callee) && owns(d.optimizer, p.callee));
      if (!discriminatorCall) return true;
      const site = discriminatorCall;
      if (site.file === context.path && !seen.has(site.expr)) {
        seen.add(site.expr);
        const fake = site.expr.args.find((a) => a.kind === 'pos')?.value;
        reports.push({
          message: `The loss stepped by ${exprText(context, d.step.expr.fn.k === 'attr' ? d.step.expr.fn.obj : undefined, 'this optimizer')} reaches the other model's output${fake ? ` (${exprText(context, fake, 'its input')})` : ''} without detach(): its backward() also fills the generator's gradients. Pass the fake samples detached (fake.detach()).`,
          range: site.expr.r,
        });
      }
      return true;
    });
  }
  return reports;
});
