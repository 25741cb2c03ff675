// CC-13: Xavier init on a Linear/Conv whose output enters a ReLU, without the ReLU gain.
import { chainVarianceGain, layerVarianceGain, xavierSpread } from '../../formulas/init';
import type { Expr } from '../../python/ast';
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { initCalls } from '../inits';
import type { LayerRef } from '../inits';
import { argument, dottedName, isCall, lastPart, numberValue } from '../../python/syntax';
import type { RuleReport } from '../types';

const RELU_FAMILY = new Set(['relu', 'leaky_relu']);

/** True when an explicit gain already accounts for the ReLU (calculate_gain('relu'), or a number ≥ √2). */
function gainFitsRelu(gain: Expr | undefined): boolean | undefined {
  if (!gain) return false;
  const value = numberValue(gain);
  if (value !== undefined) return value >= Math.SQRT2 - 1e-6;
  if (isCall(gain) && lastPart(dottedName(gain.fn) ?? '') === 'calculate_gain') {
    const nonlinearity = argument(gain, 0, 'nonlinearity');
    return nonlinearity?.k === 'str' ? RELU_FAMILY.has(nonlinearity.value) : undefined;
  }
  // An expression we cannot evaluate: stay silent.
  return undefined;
}

/** Forward variance gain of Xavier (gain 1) + ReLU for one layer: fan_in·2/(fan_in+fan_out)·½; ½ when fans are unknown or equal. */
const xavierReluGain = (layer: LayerRef): number =>
  layer.fans ? layerVarianceGain(layer.fans.fanIn, xavierSpread(layer.fans).variance, 'relu') : 0.5;

const format = (x: number): string => (x >= 0.01 ? String(Number(x.toPrecision(3))) : x.toExponential(2));

export const cc13 = defineRule('CC-13', (context) => {
  const calls = initCalls(context).filter((c) => /^xavier_(uniform|normal)_$/.test(c.fn) && c.prefix !== '');
  const flagged = calls
    .map((c) => ({ c, fits: gainFitsRelu(argument(c.call, 1, 'gain')), reluLayers: c.layers.filter((l) => l.activation && RELU_FAMILY.has(l.activation)) }))
    .filter((x) => x.fits === false && x.reluLayers.length > 0);
  // The depth L of the detected chain: every Xavier-initialised layer that feeds a ReLU, per class.
  const reports: RuleReport[] = [];
  for (const { c, reluLayers } of flagged) {
    const chain = flagged.filter((x) => x.reluLayers[0]!.info === reluLayers[0]!.info).flatMap((x) => x.reluLayers);
    const gains = chain.map(xavierReluGain);
    const labels = reluLayers.map((l) => l.label).join(', ');
    const variant = c.fn === 'xavier_normal_' ? 'kaiming_normal_' : 'kaiming_uniform_';
    const weightText = context.source.textOf(c.weight.r);
    reports.push({
      message:
        `Xavier init on ${labels}, whose output enters a ReLU: Xavier suits tanh/sigmoid. ReLU keeps half the second moment, so each layer scales the ` +
        `forward variance by fan_in·Var(W)·½ ≈ ${format(gains[0]!)}; over the ${chain.length} layer(s) detected here ${format(chainVarianceGain(gains))}. Use Kaiming (He) init.`,
      range: c.call.r,
      fixes: [
        fix(`Use ${c.prefix}.${variant}(…, nonlinearity='relu')`, replace(c.call.r, `${c.prefix}.${variant}(${weightText}, nonlinearity='relu')`)),
        fix(`Pass gain=${c.prefix}.calculate_gain('relu')`, replace(c.call.r, `${c.prefix}.${c.fn}(${weightText}, gain=${c.prefix}.calculate_gain('relu'))`)),
      ],
    });
  }
  return reports;
});
