// CC-50: a dense Conv2d with kernel ≥ 5, stride 1 and C_in = C_out: (K−1)/2 stacked 3×3 convs have the
// same receptive field with fewer weights and more nonlinearities. A query over the layers the evaluation
// built: their bound constructor arguments (defaults included) decide, wherever the numbers came from; a
// size the analysis cannot know keeps the rule silent.
import { defineRule } from '../rule';
import type { RuleReport } from '../types';
import type { ObjectV } from '../../interp/values';
import { layersBuiltHere } from '../facts/layers';
import { convolutionRank, ctorNumbers } from '../facts/models';

/** A square kernel size given as K or (K, K). */
function squareKernel(m: ObjectV): number | undefined {
  const sizes = ctorNumbers(m, 'kernel_size');
  if (sizes?.length === 1) return sizes[0];
  return sizes?.length === 2 && sizes[0] === sizes[1] ? sizes[0] : undefined;
}

/** Every entry of an argument is 1 (`stride=1`, `(1, 1)`). */
const allOnes = (m: ObjectV, name: string): boolean => ctorNumbers(m, name)?.every((n) => n === 1) ?? false;

interface LargeKernel {
  readonly kernel: number;
  readonly channels: number;
}

/** The dense, stride-1, undilated square conv with C_in = C_out and an odd kernel ≥ 5 a module is, if it is. */
function largeKernel(m: ObjectV): LargeKernel | undefined {
  const [channelsIn] = ctorNumbers(m, 'in_channels') ?? [];
  const [channelsOut] = ctorNumbers(m, 'out_channels') ?? [];
  const kernel = squareKernel(m);
  if (channelsIn === undefined || channelsIn !== channelsOut || kernel === undefined || kernel < 5 || kernel % 2 === 0) return undefined;
  return allOnes(m, 'stride') && allOnes(m, 'dilation') && allOnes(m, 'groups') ? { kernel, channels: channelsIn } : undefined;
}

export const cc50 = defineRule('CC-50', (context) => {
  const reports: RuleReport[] = [];
  for (const { modules, call } of layersBuiltHere(context.facts(), (m) => convolutionRank(m) === 2)) {
    const found = modules.map(largeKernel).find((k) => k !== undefined);
    if (!found) continue;
    const { kernel, channels } = found;
    const layers = (kernel - 1) / 2;
    const weights = (perChannelSquared: number): string => (perChannelSquared * channels * channels).toLocaleString('en-US');
    reports.push({
      message:
        `One ${kernel}×${kernel} conv (${channels}→${channels}) has ${kernel * kernel}·C² = ${weights(kernel * kernel)} weights; ` +
        `${layers} stacked 3×3 convs see the same ${kernel}×${kernel} receptive field with ${9 * layers}·C² = ${weights(9 * layers)} and ${layers - 1} more nonlinearities.`,
      range: call.r,
    });
  }
  return reports;
});
