// CC-14: Kaiming (ReLU gain) init on a layer followed by tanh or sigmoid.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { initCalls } from '../inits';
import { argument } from '../../python/syntax';
import type { RuleReport } from '../types';

export const cc14 = defineRule('CC-14', (context) => {
  const reports: RuleReport[] = [];
  for (const c of initCalls(context)) {
    const match = /^kaiming_(uniform|normal)_$/.exec(c.fn);
    if (!match || c.prefix === '') continue;
    // kaiming_*(tensor, a, mode, nonlinearity): the default nonlinearity is leaky_relu (a ReLU gain).
    const nonlinearity = argument(c.call, 3, 'nonlinearity');
    if (nonlinearity && (nonlinearity.k !== 'str' || !/^(relu|leaky_relu)$/.test(nonlinearity.value))) continue;
    const saturating = c.layers.filter((l) => l.activation === 'tanh' || l.activation === 'sigmoid');
    if (saturating.length === 0 || saturating.length !== c.layers.filter((l) => l.activation).length) continue;
    const activation = saturating[0]!.activation!;
    const weightText = context.source.textOf(c.weight.r);
    reports.push({
      message:
        `Kaiming init on ${saturating.map((l) => l.label).join(', ')}, which feeds a ${activation}: its ReLU gain √2 doubles the variance per layer, ` +
        `pushing ${activation} units into saturation where gradients shrink. Use Xavier${activation === 'tanh' ? ' with gain 5/3' : ''}.`,
      range: c.call.r,
      fixes: [fix(`Use ${c.prefix}.xavier_${match[1]}_ with the ${activation} gain`, replace(c.call.r, `${c.prefix}.xavier_${match[1]}_(${weightText}, gain=${c.prefix}.calculate_gain('${activation}'))`))],
    });
  }
  return reports;
});
