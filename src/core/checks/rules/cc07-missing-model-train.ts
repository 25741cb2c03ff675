// CC-07: inside the epoch loop, the last mode switch of a trained model is eval() (directly or in a function
// it calls) and nothing switches it back before the next epoch's training step: from the second epoch on,
// training runs in eval mode.
import { defineRule } from '../rule';
import { fix, insertLineBefore } from '../fixes';
import type { RuleReport } from '../types';
import type { Expr } from '../../python/ast';
import { sameIteration } from '../facts/facts';
import { modeOf, modeReaches, modeSwitches, modelCalls, trainingSteps } from '../facts/training';
import type { RecordedCall, RecordedEvent } from '../facts/recorder';
import { exprText, receiverLabel } from '../facts/labels';

export const cc07 = defineRule('CC-07', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const seen = new Set<unknown>();
  const isModelCall = new Set<RecordedEvent>(modelCalls(facts));
  for (const step of trainingSteps(facts)) {
    const at = step.step.context.loops.findIndex((l) => sameIteration(l, step.iteration));
    const epoch = step.step.context.loops[at - 1];
    if (!epoch) continue;
    const inEpoch = (e: { context: { loops: readonly { stmt: unknown; run: number; iteration: number }[] } }): boolean => e.context.loops.some((l) => l.stmt === epoch.stmt && l.run === epoch.run && l.iteration === epoch.iteration);
    // The models trained in this step's iteration.
    const iterationCalls = facts.eventsInIteration(step.iteration).filter((e): e is RecordedCall => isModelCall.has(e));
    const trained = new Set(iterationCalls.map((c) => c.callee));
    for (const model of trained) {
      const forwards = iterationCalls.filter((c) => c.callee === model);
      const first = forwards[0];
      if (!first) continue;
      const switches = modeSwitches(facts).filter((c) => inEpoch(c) && modeReaches(facts, c.receiver!, model));
      // A switch before the first training forward of the epoch decides its mode; otherwise the last one
      // of the previous epoch does.
      if (switches.some((c) => c.seq < first.seq)) continue;
      const last = switches[switches.length - 1];
      if (!last || modeOf(facts, last) !== 'eval') continue;
      const site = callSiteIn(last, epoch.depth);
      const key = site && `${site.expr.r.start.line}:${site.expr.r.start.character}`;
      if (!site || !key || site.file !== context.path || seen.has(key)) continue;
      seen.add(key);
      const name = receiverLabel(context, last, 'model');
      const direct = site.expr === last.expr;
      const loop = epoch.stmt;
      const firstStmt = loop.k === 'for' || loop.k === 'while' ? loop.body[0] : undefined;
      reports.push({
        message: `${direct ? `${name}.eval()` : `${site.expr.k === 'name' ? site.expr.id : exprText(context, site.expr.k === 'call' ? site.expr.fn : site.expr, 'this call')}() calls ${name}.eval()`} inside the epoch loop, and nothing calls ${name}.train() again: from the second epoch on, dropout is off and BatchNorm stops learning statistics.`,
        range: site.expr.r,
        ...(firstStmt && epoch.file === context.path ? { fixes: [fix(`Call ${name}.train() at the start of each epoch`, insertLineBefore(context.source, firstStmt, `${name}.train()`))] } : {}),
      });
    }
  }
  return reports;
});

/** The call in the function at `depth` (the epoch loop's) through which the switch ran: itself, or the call that led to it. */
function callSiteIn(e: RecordedCall, depth: number): { expr: Expr; file: string } | undefined {
  if (e.context.functions.length === depth) return { expr: e.expr, file: e.file };
  const frame = e.context.functions[depth];
  if (!frame) return undefined;
  return { expr: { k: 'name', id: frame.fn.name, r: frame.callRange }, file: frame.callFile };
}
