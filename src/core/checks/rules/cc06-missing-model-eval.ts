// CC-06: an evaluation loop runs a model that is in training mode at that moment (no eval() reached it
// since its last train(), or ever), while the model has Dropout or BatchNorm.
import { defineRule } from '../rule';
import { fix, insertLineBefore } from '../fixes';
import type { RuleReport } from '../types';
import { evaluationRuns, isEvaluationFunction, isModeDependent, modeAt } from '../facts/training';
import { exprText } from '../facts/labels';
import type { RecordedCall } from '../facts/recorder';

/** True when two events ran in the same call of the same function. */
function sameCall(a: RecordedCall, b: RecordedCall): boolean {
  const fa = a.context.functions.at(-1);
  const fb = b.context.functions.at(-1);
  return fa === undefined ? fb === undefined : fb !== undefined && fa.entry === fb.entry;
}

export const cc06 = defineRule('CC-06', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const seen = new Set<unknown>();
  for (const run of evaluationRuns(facts)) {
    if (run.call.file !== context.path || seen.has(run.call.expr)) continue;
    const mode = modeAt(facts, run.model, run.call);
    if (mode.mode !== 'train' || !isModeDependent(facts, run.model)) continue;
    // train() called by the same function on purpose (updating BatchNorm statistics, as swa_utils.update_bn does).
    if (mode.by && sameCall(mode.by, run.call)) continue;
    seen.add(run.call.expr);
    const name = exprText(context, run.call.expr.fn, 'model');
    // At the top of an evaluation function, else just before the loop.
    const def = facts.defOf(run.call);
    const loop = run.loop?.stmt;
    const before = def && isEvaluationFunction(def.name) ? def.body[0] : loop && (loop.k === 'for' || loop.k === 'while') ? loop : facts.ancestorsOf(run.call).at(-1);
    reports.push({
      message: `Evaluation runs ${name}(...) in training mode: nothing calls ${name}.eval() before it, and the model has layers that behave differently in training (dropout stays on, BatchNorm uses batch statistics).`,
      range: run.call.expr.r,
      ...(before && (run.loop?.file ?? run.call.file) === context.path ? { fixes: [fix(`Call ${name}.eval() first`, insertLineBefore(context.source, before, `${name}.eval()`))] } : {}),
    });
  }
  return reports;
});
