// CC-54: a recurrent module called in a training loop on the hidden state its own previous call returned,
// with no detach() between batches (truncated BPTT): every backward then runs through all the batches seen
// so far (memory and time grow; "Trying to backward through the graph a second time" once freed).
import { defineRule } from '../rule';
import type { RuleReport } from '../types';
import type { ObjectV } from '../../interp/values';
import type { CheckFacts } from '../facts/facts';
import { allModules, traitsOf } from '../facts/models';
import { backwardCalls } from '../facts/training';
import { inIteration } from '../facts/facts';
import { walkGraph } from '../facts/provenance';
import { exprText } from '../facts/labels';

/** A recurrent layer over a whole sequence (RNN, LSTM, GRU): its catalogue entry says so. */
const isRecurrent = (m: ObjectV): boolean => traitsOf(m)?.recurrent === 'sequence';

/**
 * The modules whose named_modules hold a recurrent layer (themselves included). named_modules of a listed module
 * lists only listed modules (allModules holds everything under each module it lists), so when none of them is
 * recurrent no module holds one: each module's tree is walked only in a file that builds a recurrent layer.
 */
function holdingRecurrent(facts: CheckFacts): Set<ObjectV> {
  const modules = allModules(facts);
  if (!modules.some(isRecurrent)) return new Set();
  return new Set(modules.filter((m) => facts.namedModulesOf(m).some(([, s]) => isRecurrent(s))));
}

export const cc54 = defineRule('CC-54', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const seen = new Set<unknown>();
  const recurrent = holdingRecurrent(facts);
  const backwards = backwardCalls(facts);
  for (const c of facts.localCalls) {
    if (seen.has(c.expr) || !facts.isModule(c.callee) || !recurrent.has(c.callee)) continue;
    const hidden = c.args.positional[1] ?? c.args.keywords.get('hx') ?? c.args.keywords.get('hidden');
    if (!hidden) continue;
    // Only in a training loop's second iteration or later, where the previous iteration's state flows in.
    const loop = [...c.context.loops].reverse().find((l) => l.iteration > 0 && backwards.some((b) => inIteration(b, l)));
    // The call the training loop itself makes (a model's own recurrent layers run inside it).
    if (!loop || c.context.functions.length !== loop.depth) continue;
    let carried = false;
    walkGraph(facts, hidden, (e) => {
      // The same call site's earlier run, or anything that ran inside it (the state its forward returned).
      if (e.seq < c.seq && ((e.kind === 'call' && e.expr === c.expr) || e.context.functions.some((f) => f.callRange === c.expr.r))) carried = true;
      return carried;
    });
    if (!carried) continue;
    seen.add(c.expr);
    const arg = c.expr.args.filter((a) => a.kind === 'pos')[1]?.value;
    const name = exprText(context, arg, 'the hidden state');
    reports.push({
      message: `${name} comes from this model's previous batch without detach(): backward() runs through every batch seen so far (truncated BPTT needs ${name} = ${name}.detach(), or a repackage_hidden helper, at the start of each batch).`,
      range: c.expr.r,
    });
  }
  return reports;
});
