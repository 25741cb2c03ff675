// CC-05: after the batch loop, code in the epoch loop logs or stores the loss of the last batch (the value
// backward() ran on in the loop's last iteration) instead of a mean over the batches.
import { defineRule } from '../rule';
import type { RuleReport } from '../types';
import type { Expr } from '../../python/ast';
import { inRun } from '../facts/facts';
import { lossValues } from '../facts/training';
import { exprText } from '../facts/labels';

export const cc05 = defineRule('CC-05', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const seen = new Set<Expr>();
  for (const [loss, backward] of lossValues(facts)) {
    const batchLoop = backward.context.loops[backward.context.loops.length - 1];
    if (!batchLoop || facts.lossOfBackward(backward) !== loss) continue;
    const depth = backward.context.loops.length;
    const epoch = backward.context.loops[depth - 2];
    if (!epoch) continue;
    for (const e of facts.calls) {
      if (e.file !== context.path || e.seq <= backward.seq || inRun(e, batchLoop) || facts.isBackward(e)) continue;
      // Still in the same epoch iteration, after the batch loop ended.
      if (!e.context.loops.some((l) => l.stmt === epoch.stmt && l.run === epoch.run && l.iteration === epoch.iteration)) continue;
      const positional = e.expr.args.filter((a) => a.kind === 'pos');
      const use = e.receiver === loss && e.expr.fn.k === 'attr' ? e.expr.fn.obj : positional[e.args.positional.indexOf(loss)]?.value;
      if (!use || seen.has(use)) continue;
      seen.add(use);
      const name = exprText(context, use, 'loss');
      reports.push({
        message: `After the batch loop, '${name}' holds only the last batch's loss, a noisy estimate of the epoch's. Accumulate ${name}.item() per batch and log the mean.`,
        range: use.r,
      });
    }
  }
  return reports;
});
