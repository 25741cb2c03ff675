// CC-22: nn.MultiheadAttention(embed_dim, num_heads) with constants where embed_dim % num_heads ≠ 0.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { constantInt, largestDivisorAtMost } from '../constants';
import { torchClassOfCall } from '../models';
import { argument } from '../../python/syntax';
import { locatedCalls, scopesOf } from '../training';
import type { RuleReport } from '../types';

export const cc22 = defineRule('CC-22', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    for (const { call } of locatedCalls(scope.body)) {
      if (torchClassOfCall(call) !== 'MultiheadAttention') continue;
      const embedArg = argument(call, 0, 'embed_dim');
      const headsArg = argument(call, 1, 'num_heads');
      const embed = constantInt(embedArg, scope);
      const heads = constantInt(headsArg, scope);
      if (!headsArg || embed === undefined || heads === undefined || heads <= 0 || embed % heads === 0) continue;
      const suggestion = largestDivisorAtMost(embed, heads);
      reports.push({
        message: `embed_dim ${embed} is not divisible by num_heads ${heads}: each head gets d/h = ${(embed / heads).toFixed(2)} dims, and PyTorch asserts "embed_dim must be divisible by num_heads".`,
        range: call.r,
        fixes: [fix(`Use num_heads=${suggestion}`, replace(headsArg.r, String(suggestion)))],
      });
    }
  }
  return reports;
});
