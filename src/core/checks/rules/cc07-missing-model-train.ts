// CC-07: model.eval() inside the epoch loop (directly, or in an evaluation function it calls) with no
// model.train() anywhere in that loop, so from the second epoch on training runs in eval mode.
import type { Stmt } from '../../python/ast';
import { defineRule } from '../rule';
import { fix, insertLineBefore } from '../fixes';
import type { CallExpr, LoopStmt } from '../../python/syntax';
import { calledName, dottedName, positionalArgs, receiverOf } from '../../python/syntax';
import type { LocatedCall } from '../training';
import { locatedCalls, scopesOf, trainingLoops } from '../training';
import type { RuleContext, RuleReport } from '../types';

const isTrainModeCall = (call: CallExpr): boolean =>
  calledName(call) === 'train' && receiverOf(call) !== undefined && !(positionalArgs(call)[0]?.k === 'const' && (positionalArgs(call)[0] as { value: string }).value === 'False');
const isEvalCall = (call: CallExpr): boolean => calledName(call) === 'eval' && receiverOf(call) !== undefined && positionalArgs(call).length === 0;

/** Functions of this file that switch to eval() and never back to train(). */
function evalOnlyFunctions(context: RuleContext): Map<string, CallExpr> {
  const out = new Map<string, CallExpr>();
  for (const { def, cls } of context.functions) {
    if (cls) continue;
    const calls = locatedCalls(def.body).map((c) => c.call);
    const evalCall = calls.find(isEvalCall);
    if (evalCall && !calls.some(isTrainModeCall)) out.set(def.name, evalCall);
  }
  return out;
}

const inLoop = (c: LocatedCall, loop: LoopStmt): boolean => c.ancestors.includes(loop as Stmt);

export const cc07 = defineRule('CC-07', (context) => {
  const reports: RuleReport[] = [];
  const evalOnly = evalOnlyFunctions(context);
  for (const scope of scopesOf(context)) {
    const calls = locatedCalls(scope.body);
    for (const { loop: inner } of trainingLoops(scope)) {
      // The epoch loop: the nearest loop around the training loop.
      const innerCall = calls.find((c) => c.ancestors.includes(inner as Stmt));
      const epoch = innerCall?.ancestors.slice(0, innerCall.ancestors.indexOf(inner as Stmt)).reverse().find((s): s is LoopStmt => s.k === 'for' || s.k === 'while');
      if (!epoch) continue;
      const inEpoch = calls.filter((c) => inLoop(c, epoch));
      if (inEpoch.some((c) => isTrainModeCall(c.call))) continue;
      const switching = inEpoch.find((c) => isEvalCall(c.call) || evalOnly.has(dottedName(c.call.fn) ?? ''));
      if (!switching) continue;
      const model = isEvalCall(switching.call) ? dottedName(receiverOf(switching.call)) : dottedName(receiverOf(evalOnly.get(dottedName(switching.call.fn) ?? '')!));
      const name = model ?? 'model';
      const first = epoch.body[0];
      reports.push({
        message: `${isEvalCall(switching.call) ? `${name}.eval()` : `${dottedName(switching.call.fn)}() calls ${name}.eval()`} inside the epoch loop, and nothing calls ${name}.train() again: from the second epoch on, dropout is off and BatchNorm stops learning statistics.`,
        range: switching.call.r,
        ...(first ? { fixes: [fix(`Call ${name}.train() at the start of each epoch`, insertLineBefore(context.source, first, `${name}.train()`))] } : {}),
      });
    }
  }
  return reports;
});
