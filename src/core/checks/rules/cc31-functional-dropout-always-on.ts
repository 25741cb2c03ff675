// CC-31: F.dropout(x, p) inside a module method without training=self.training: it stays on in eval().
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { dottedName, hasSplat, keywordArg, lastPart, positionalArgs } from '../../python/syntax';
import { locatedCalls, scopesOf } from '../training';
import type { RuleReport } from '../types';

const FUNCTIONAL_DROPOUTS = /^(F|functional|nn\.functional|torch\.nn\.functional)\.(dropout|dropout1d|dropout2d|dropout3d|alpha_dropout|feature_alpha_dropout)$/;

export const cc31 = defineRule('CC-31', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    if (!scope.def) continue;
    // In a module method the fix is training=self.training; a free helper must take the flag from its caller.
    const isMethod = scope.cls !== undefined && scope.def.params[0]?.name === 'self';
    for (const { call } of locatedCalls(scope.body)) {
      const name = dottedName(call.fn);
      if (!name || !FUNCTIONAL_DROPOUTS.test(name) || hasSplat(call)) continue;
      // F.dropout(input, p, training, inplace): a third positional argument is `training`.
      if (keywordArg(call, 'training') || positionalArgs(call).length >= 3) continue;
      const last = call.args[call.args.length - 1];
      reports.push({
        message: isMethod
          ? `${lastPart(name)}() defaults to training=True, so this dropout stays on after model.eval(). Pass training=self.training.`
          : `${lastPart(name)}() defaults to training=True, so this dropout stays on in evaluation. Pass the caller's self.training as training=.`,
        range: call.r,
        ...(last && isMethod ? { fixes: [fix('Pass training=self.training', replace({ start: last.value.r.end, end: last.value.r.end }, ', training=self.training'))] } : {}),
      });
    }
  }
  return reports;
});
