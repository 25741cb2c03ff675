// CC-29: nn.GroupNorm(num_groups, num_channels) with constants where num_channels % num_groups ≠ 0.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { constantInt, largestDivisorAtMost } from '../constants';
import { torchClassOfCall } from '../models';
import { argument } from '../../python/syntax';
import { locatedCalls, scopesOf } from '../training';
import type { RuleReport } from '../types';

export const cc29 = defineRule('CC-29', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    for (const { call } of locatedCalls(scope.body)) {
      if (torchClassOfCall(call) !== 'GroupNorm') continue;
      const groupsArg = argument(call, 0, 'num_groups');
      const groups = constantInt(groupsArg, scope);
      const channels = constantInt(argument(call, 1, 'num_channels'), scope);
      if (!groupsArg || groups === undefined || channels === undefined || groups <= 0 || channels % groups === 0) continue;
      const suggestion = largestDivisorAtMost(channels, groups);
      reports.push({
        message: `num_channels ${channels} is not divisible by num_groups ${groups}; PyTorch raises "num_channels must be divisible by num_groups".`,
        range: call.r,
        fixes: [fix(`Use num_groups=${suggestion}`, replace(groupsArg.r, String(suggestion)))],
      });
    }
  }
  return reports;
});
