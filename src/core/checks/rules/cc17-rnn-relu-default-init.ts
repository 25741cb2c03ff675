// CC-17: nn.RNN(nonlinearity='relu') whose recurrent weights keep PyTorch's default init (the catalogue's init
// facts: no `nn.init.*` on weight_hh reached it) and no gradient clipping anywhere in the run: a
// non-saturating recurrence explodes when ρ(W_hh) > 1.
import { defineRule } from '../rule';
import type { RuleReport } from '../types';
import { ctorArg, layersBuiltHere } from '../facts/layers';
import { traitsOf } from '../facts/models';

const CLIPPING = /(^|\.)clip_grad_(norm|value)_?$/;

export const cc17 = defineRule('CC-17', (context) => {
  const facts = context.facts();
  if (facts.builtinCalls(CLIPPING).length > 0) return [];
  const reports: RuleReport[] = [];
  for (const { modules, call } of layersBuiltHere(facts, (m) => traitsOf(m)?.recurrent === 'sequence')) {
    // Only nn.RNN takes a nonlinearity (LSTM and GRU gate theirs).
    const relu = modules.filter((m) => {
      const nonlinearity = ctorArg(m, 'nonlinearity');
      return nonlinearity?.kind === 'str' && nonlinearity.value === 'relu';
    });
    // Any init of a recurrent weight (eye_, orthogonal_, a scaled normal_) is the code taking care of it.
    const defaultInit = relu.filter((m) => ![...(m.module?.params.values() ?? [])].some((p) => p.name.startsWith('weight_hh') && p.initOverride));
    if (defaultInit.length === 0) continue;
    reports.push({
      message: "A ReLU RNN with PyTorch's default recurrent init and no gradient clipping: the recurrence h ← ReLU(W_hh·h + …) does not saturate, so activations and gradients explode whenever ρ(W_hh) > 1. Initialise weight_hh (identity or orthogonal, scaled) and clip gradients.",
      range: call.r,
    });
  }
  return reports;
});
