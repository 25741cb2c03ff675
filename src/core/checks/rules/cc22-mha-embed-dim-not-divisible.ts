// CC-22: nn.MultiheadAttention(embed_dim, num_heads) where embed_dim % num_heads ≠ 0. The catalogue's
// MultiheadAttention validates its arguments when the evaluation builds the layer (literals, variables,
// config values alike); the rule reports what it rejected.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { largestDivisorAtMost } from '../constants';
import { argument } from '../../python/syntax';
import type { RuleReport } from '../types';
import { ctorArg, layersBuiltHere } from '../facts/layers';
import { numberOf } from '../facts/optimizers';

export const cc22 = defineRule('CC-22', (context) => {
  const reports: RuleReport[] = [];
  for (const { module, call } of layersBuiltHere(context.facts(), /^MultiheadAttention$/)) {
    if (!/divisible by num_heads/.test(module.module?.layerError ?? '')) continue;
    const embed = numberOf(ctorArg(module, 'embed_dim'))?.value;
    const heads = numberOf(ctorArg(module, 'num_heads'))?.value;
    if (embed === undefined || heads === undefined || heads <= 0) continue;
    const headsArg = argument(call, 1, 'num_heads');
    const suggestion = largestDivisorAtMost(embed, heads);
    reports.push({
      message: `embed_dim ${embed} is not divisible by num_heads ${heads}: each head gets d/h = ${(embed / heads).toFixed(2)} dims, and PyTorch asserts "embed_dim must be divisible by num_heads".`,
      range: call.r,
      ...(headsArg ? { fixes: [fix(`Use num_heads=${suggestion}`, replace(headsArg.r, String(suggestion)))] } : {}),
    });
  }
  return reports;
});
