// CC-02: zero_grad() between backward() and step(), so the step sees no gradient.
import { defineRule } from '../rule';
import { deleteStatementLines, fix, insertLineBefore } from '../fixes';
import { comparePositions } from '../source';
import { dottedName, identifiersIn, lastPart, receiverOf } from '../../python/syntax';
import type { RuleReport } from '../types';
import { innermostLoop, isBackwardCall, isOptimizerStep, isZeroGradCall, locatedCalls, scopesOf } from '../training';
import type { LocatedCall } from '../training';

const before = (a: LocatedCall, b: LocatedCall): boolean => comparePositions(a.call.r.start, b.call.r.start) < 0;

export const cc02 = defineRule('CC-02', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    const calls = locatedCalls(scope.body);
    for (const zero of calls.filter((c) => isZeroGradCall(c.call))) {
      const loop = innermostLoop(zero.ancestors);
      if (!loop) continue;
      const inLoop = calls.filter((c) => innermostLoop(c.ancestors) === loop);
      const backwards = inLoop.filter((c) => isBackwardCall(c.call));
      if (!backwards.some((b) => before(b, zero))) continue;
      const step = inLoop.find((c) => before(zero, c) && isOptimizerStep(c.call, scope.flow));
      if (!step) continue;
      // A backward between the reset and the step (e.g. GAN generator/discriminator turns) makes it correct.
      if (backwards.some((b) => before(zero, b) && before(b, step))) continue;
      const zeroReceiver = receiverOf(zero.call);
      const stepReceiver = dottedName(receiverOf(step.call));
      const sameOptimizer = dottedName(zeroReceiver) === stepReceiver || /scaler/i.test(stepReceiver ?? '');
      // model.zero_grad() only wipes what the step uses when that optimizer was built from this model's parameters.
      const optimizerCtor = receiverOf(step.call) ? scope.resolve(receiverOf(step.call)!) : undefined;
      const zeroName = dottedName(zeroReceiver);
      const ownsModel = zeroName !== undefined && optimizerCtor?.k === 'call' && optimizerCtor.args.some((a) => identifiersIn(a.value).includes(lastPart(zeroName)));
      if (!sameOptimizer && !ownsModel) continue;
      const first = loop.body[0];
      const movable = zero.stmt.k === 'expr' && zero.stmt.value === zero.call && zero.stmt.r.start.line === zero.stmt.r.end.line && first && first !== zero.stmt;
      reports.push({
        message: 'zero_grad() runs after backward() and before step(): the gradients are wiped before the update, so the step uses nothing.',
        range: zero.call.r,
        ...(movable && first
          ? { fixes: [fix('Move zero_grad() to the top of the loop body', insertLineBefore(context.source, first, context.source.textOf(zero.call.r)), deleteStatementLines(zero.stmt))] }
          : {}),
      });
    }
  }
  return reports;
});
