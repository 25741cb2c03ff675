// CC-26: BatchNorm applied inside the per-time-step loop of a recurrence: a BatchNorm module called in a loop
// iteration that also runs a recurrent cell (RNNCell/LSTMCell/GRUCell), as the evaluation ran forward.
import { defineRule } from '../rule';
import type { RuleReport } from '../types';
import { traitsOf, usesBatchStatistics } from '../facts/models';


export const cc26 = defineRule('CC-26', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const seen = new Set<unknown>();
  for (const c of facts.localCalls) {
    if (seen.has(c.expr) || !facts.isModule(c.callee) || !usesBatchStatistics(c.callee)) continue;
    const loop = c.context.loops.at(-1);
    if (!loop) continue;
    const recurrence = facts.eventsInIteration(loop).some((o) => o.kind === 'call' && facts.isModule(o.callee) && traitsOf(o.callee)?.recurrent === 'cell');
    if (!recurrence) continue;
    seen.add(c.expr);
    const name = context.source.textOf(c.expr.fn.r);
    reports.push({
      message: `${name} is a BatchNorm applied at every time step of the recurrence: the statistics are shared across steps with different distributions. Normalise the recurrent state with LayerNorm instead.`,
      range: c.expr.r,
    });
  }
  return reports;
});
