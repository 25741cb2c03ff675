// CC-38: a training loop for a model with RNN/LSTM/GRU layers and no gradient clipping.
import { defineRule } from '../rule';
import { fix, insertLineBefore } from '../fixes';
import { sequentialItems, torchClassOfCall } from '../models';
import type { Expr } from '../../python/ast';
import { callSitesOf } from '../evaluation';
import { argument, calledName, dottedName, isCall } from '../../python/syntax';
import { locatedCalls, scopesOf, trainingLoops } from '../training';
import type { Scope } from '../training';
import type { RuleContext, RuleReport } from '../types';

const RECURRENT = /^(RNN|LSTM|GRU)$/;
const MODEL_NAME = /^(model|net|network|rnn|lstm|gru|encoder|decoder|seq2seq|lm)$/i;

/** True when an expression builds a model class of this file that has a recurrent layer. */
function buildsRecurrent(e: Expr, recurrentClasses: ReadonlySet<string>): boolean {
  return isCall(e) && recurrentClasses.has(dottedName(e.fn) ?? '');
}

/**
 * True when the model a loop trains is one of the recurrent classes: built in the same scope, or passed in
 * as a parameter by every call site of the function (and there is at least one).
 */
function trainsRecurrent(context: RuleContext, scope: Scope, modelUse: Expr, recurrentClasses: ReadonlySet<string>): boolean {
  if (buildsRecurrent(scope.resolve(modelUse), recurrentClasses)) return true;
  const model = dottedName(modelUse) ?? '';
  const def = scope.def;
  const index = def ? def.params.findIndex((p) => p.name === model) : -1;
  if (!def || index < 0) return false;
  const sites = callSitesOf(context, def.name);
  return sites.length > 0 && sites.every((site) => {
    const arg = argument(site.call, index - (def.params[0]?.name === 'self' ? 1 : 0), model);
    return arg !== undefined && buildsRecurrent(site.scope.resolve(arg), recurrentClasses);
  });
}

export const cc38 = defineRule('CC-38', (context) => {
  const recurrentClasses = new Set(
    context.classes.classes
      .filter((info) => [...info.attributes.values()].some((v) => [v, ...sequentialItems(v)].some((e) => RECURRENT.test(torchClassOfCall(e) ?? ''))))
      .map((info) => info.cls.name),
  );
  if (recurrentClasses.size === 0) return [];
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    const calls = locatedCalls(scope.body);
    if (calls.some((c) => /^clip_grad_(norm|value)_?$/.test(calledName(c.call) ?? ''))) continue;
    for (const { loop, steps } of trainingLoops(scope)) {
      const step = steps[0];
      const modelCall = calls.find((c) => c.ancestors.includes(loop) && c.call.fn.k === 'name' && MODEL_NAME.test(c.call.fn.id));
      if (!step || !modelCall || modelCall.call.fn.k !== 'name') continue;
      const model = modelCall.call.fn.id;
      if (!trainsRecurrent(context, scope, modelCall.call.fn, recurrentClasses)) continue;
      reports.push({
        message: 'This loop trains a recurrent model without gradient clipping: backprop through time multiplies by the recurrent Jacobian at every step, so gradients can explode.',
        range: step.call.r,
        fixes: [fix('Clip the gradient norm before step()', insertLineBefore(context.source, step.stmt, `torch.nn.utils.clip_grad_norm_(${model}.parameters(), 1.0)`))],
      });
    }
  }
  return reports;
});
