// CC-29: nn.GroupNorm(num_groups, num_channels) where num_channels % num_groups ≠ 0. The catalogue's GroupNorm
// validates its arguments when the evaluation builds the layer (literals, variables, config values alike);
// the rule reports what it rejected.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { largestDivisorAtMost } from '../constants';
import { argument } from '../../python/syntax';
import type { RuleReport } from '../types';
import { ctorArg, layersBuiltHere } from '../facts/layers';
import { numberOf } from '../facts/optimizers';

export const cc29 = defineRule('CC-29', (context) => {
  const reports: RuleReport[] = [];
  for (const { module, call } of layersBuiltHere(context.facts(), /^GroupNorm$/)) {
    if (!/divisible by num_groups/.test(module.module?.layerError ?? '')) continue;
    const groups = numberOf(ctorArg(module, 'num_groups'))?.value;
    const channels = numberOf(ctorArg(module, 'num_channels'))?.value;
    if (groups === undefined || channels === undefined || groups <= 0) continue;
    const groupsArg = argument(call, 0, 'num_groups');
    const suggestion = largestDivisorAtMost(channels, groups);
    reports.push({
      message: `num_channels ${channels} is not divisible by num_groups ${groups}; PyTorch raises "num_channels must be divisible by num_groups".`,
      range: call.r,
      ...(groupsArg ? { fixes: [fix(`Use num_groups=${suggestion}`, replace(groupsArg.r, String(suggestion)))] } : {}),
    });
  }
  return reports;
});
