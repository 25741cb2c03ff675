// CC-17: nn.RNN(nonlinearity='relu') with neither an init of its recurrent weights nor gradient clipping
// anywhere in the file: a non-saturating recurrence explodes when ρ(W_hh) > 1.
import { defineRule } from '../rule';
import { torchClassOfCall } from '../models';
import { calledName, keywordArg, walkBodyExprs } from '../../python/syntax';
import { locatedCalls, scopesOf } from '../training';
import type { RuleReport } from '../types';

export const cc17 = defineRule('CC-17', (context) => {
  let guarded = false;
  for (const scope of scopesOf(context)) {
    walkBodyExprs(scope.body, (e) => {
      if (e.k === 'attr' && /^weight_hh/.test(e.name)) guarded = true;
      if (e.k === 'call' && /^(clip_grad_(norm|value)_?|orthogonal_|eye_)$/.test(calledName(e) ?? '')) guarded = true;
    });
  }
  if (guarded) return [];
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    for (const { call } of locatedCalls(scope.body)) {
      if (torchClassOfCall(call) !== 'RNN') continue;
      const nonlinearity = keywordArg(call, 'nonlinearity');
      if (nonlinearity?.k !== 'str' || nonlinearity.value !== 'relu') continue;
      reports.push({
        message: "A ReLU RNN with PyTorch's default recurrent init and no gradient clipping: the recurrence h ← ReLU(W_hh·h + …) does not saturate, so activations and gradients explode whenever ρ(W_hh) > 1. Initialise weight_hh (identity or orthogonal, scaled) and clip gradients.",
        range: call.r,
      });
    }
  }
  return reports;
});
