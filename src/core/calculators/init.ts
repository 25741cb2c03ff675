// init-std: the std and uniform bound of Xavier / Kaiming / LeCun / PyTorch-default init, and the forward
// variance gain of the layer (notes topic weight-init-xavier-he). Formulas from src/core/formulas/init.ts.
import { ACTIVATION_NAMES, type ActivationName } from '../formulas/activations';
import {
  activationOfGainName,
  activationVarianceFactor,
  calculateGain,
  fansOfShape,
  GAIN_NONLINEARITIES,
  isGainNonlinearity,
  kaimingSpread,
  layerVarianceGain,
  lecunSpread,
  PYTORCH_DEFAULT_INIT_SLOPE,
  pytorchDefaultBiasBound,
  xavierSpread,
} from '../formulas/init';
import type { Fans, GainNonlinearity, InitSpread } from '../formulas/init';
import { defineCalculator, fmt, numList, optNum, str } from './inputs';
import type { Calculator, ParsedInputs } from './types';

const SCHEMES = ['kaiming', 'xavier', 'lecun', 'pytorch-default'] as const;
type Scheme = (typeof SCHEMES)[number];
const MAX_FAN = 1e12;

function fansOf(inputs: ParsedInputs): Fans | undefined {
  if (inputs.weight_shape !== undefined) return fansOfShape(numList(inputs, 'weight_shape'));
  const fanIn = optNum(inputs, 'fan_in');
  const fanOut = optNum(inputs, 'fan_out') ?? fanIn;
  return fanIn === undefined || fanOut === undefined ? undefined : { fanIn, fanOut };
}

/** Every name the nonlinearity input takes: calculate_gain's and the activations whose variance the product knows. */
const NONLINEARITIES = [...GAIN_NONLINEARITIES, ...ACTIVATION_NAMES.filter((name) => !isGainNonlinearity(name))];

const nonlinearityOf = (inputs: ParsedInputs): string | undefined => inputs.nonlinearity as string | undefined;

/** The activation after the layer, for the variance gain (calculate_gain's layer names are the identity). */
const activationOf = (nonlinearity: string | undefined): ActivationName =>
  nonlinearity === undefined ? 'linear' : isGainNonlinearity(nonlinearity) ? activationOfGainName(nonlinearity) : (nonlinearity as ActivationName);

/** The gain each scheme uses: given explicitly, from calculate_gain, or the PyTorch function's default. */
function gainOf(inputs: ParsedInputs, scheme: Scheme): { gain: number; text: string } {
  const explicit = optNum(inputs, 'gain');
  if (scheme === 'pytorch-default') return { gain: calculateGain('leaky_relu', PYTORCH_DEFAULT_INIT_SLOPE), text: 'gain = calculate_gain(leaky_relu, a = √5) = √(2/(1 + 5))' };
  if (explicit !== undefined) return { gain: explicit, text: 'gain' };
  const nonlinearity = nonlinearityOf(inputs);
  // kaiming_*_ defaults to nonlinearity='leaky_relu', a=0 (so √2); xavier takes gain=1; LeCun is gain 1.
  if (nonlinearity !== undefined && !isGainNonlinearity(nonlinearity)) {
    // calculate_gain raises for it; the functions' own defaults apply (kaiming: leaky_relu with a = 0).
    if (scheme === 'kaiming') return { gain: calculateGain('leaky_relu', 0), text: `gain (calculate_gain has none for ${nonlinearity}; kaiming's default leaky_relu, a = 0)` };
    return { gain: 1, text: `gain (calculate_gain has none for ${nonlinearity}; the default 1)` };
  }
  if (scheme === 'kaiming') {
    const name: GainNonlinearity = nonlinearity ?? 'leaky_relu';
    const param = optNum(inputs, 'a') ?? 0;
    return { gain: calculateGain(name, param), text: `gain = calculate_gain('${name}'${name === 'leaky_relu' ? `, ${fmt(param)}` : ''})` };
  }
  if (nonlinearity === undefined || scheme === 'lecun') return { gain: 1, text: 'gain' };
  const param = optNum(inputs, 'a');
  return { gain: calculateGain(nonlinearity, param), text: `gain = calculate_gain('${nonlinearity}'${nonlinearity === 'leaky_relu' ? `, ${fmt(param ?? 0.01)}` : ''})` };
}

function check(inputs: ParsedInputs): string[] {
  const scheme = str(inputs, 'scheme') as Scheme;
  if (inputs.weight_shape !== undefined && (inputs.fan_in !== undefined || inputs.fan_out !== undefined)) return ['give either weight_shape or fan_in/fan_out, not both'];
  if (inputs.weight_shape !== undefined && numList(inputs, 'weight_shape').length < 2) {
    return ['weight_shape needs at least 2 dimensions: fan in and fan out cannot be computed for fewer (PyTorch raises)'];
  }
  if (inputs.weight_shape === undefined && inputs.fan_in === undefined) return ['give fan_in (and fan_out for xavier) or weight_shape, e.g. weight_shape=64,3,7,7'];
  if (scheme === 'xavier' && inputs.weight_shape === undefined && inputs.fan_out === undefined) return ['xavier needs fan_out too (or weight_shape)'];
  const fans = fansOf(inputs);
  if (fans && (fans.fanIn > MAX_FAN || fans.fanOut > MAX_FAN)) return [`the fans (${fans.fanIn}, ${fans.fanOut}) exceed ${MAX_FAN}`];
  if (fans) {
    const used = scheme === 'xavier' ? 'fan_in + fan_out' : scheme === 'kaiming' && str(inputs, 'mode') === 'fan_out' ? 'fan_out' : 'fan_in';
    const value = used === 'fan_in + fan_out' ? fans.fanIn + fans.fanOut : used === 'fan_out' ? fans.fanOut : fans.fanIn;
    if (value < 1) return [`${used} is 0: the std divides by it (and PyTorch skips zero-element weights)`];
  }
  if (scheme === 'pytorch-default' && inputs.gain !== undefined) return ['pytorch-default has a fixed gain (kaiming_uniform_ with a = √5); leave gain empty'];
  return [];
}

function spreadOf(scheme: Scheme, fans: Fans, fan: number, gain: number): InitSpread {
  if (scheme === 'xavier') return xavierSpread(fans, gain);
  if (scheme === 'lecun') return gain === 1 ? lecunSpread(fans.fanIn) : kaimingSpread(fans.fanIn, gain);
  return kaimingSpread(fan, gain);
}

function run(inputs: ParsedInputs) {
  const scheme = str(inputs, 'scheme') as Scheme;
  const fans = fansOf(inputs) as Fans;
  const mode = str(inputs, 'mode');
  const fan = scheme === 'kaiming' && mode === 'fan_out' ? fans.fanOut : fans.fanIn;
  const { gain, text: gainText } = gainOf(inputs, scheme);
  const spread = spreadOf(scheme, fans, fan, gain);
  const activation = activationOf(nonlinearityOf(inputs));
  const param = activation === 'leaky_relu' ? optNum(inputs, 'a') : undefined;
  const varianceGain = layerVarianceGain(fans.fanIn, spread.variance, activation, param);
  const preactivationVariance = fans.fanIn * spread.variance;
  const lines = [`fan_in = ${fans.fanIn}, fan_out = ${fans.fanOut}; ${gainText} = ${fmt(gain)}`];
  if (scheme === 'xavier') lines.push(`std = gain·√(2/(fan_in + fan_out)) = ${fmt(gain)}·√(2/(${fans.fanIn} + ${fans.fanOut})) = ${fmt(spread.std)}; bound = gain·√(6/(fan_in + fan_out)) = ${fmt(spread.uniformBound)}`);
  else lines.push(`std = gain/√${scheme === 'kaiming' ? mode : 'fan_in'} = ${fmt(gain)}/√${fan} = ${fmt(spread.std)}; bound = √3·std = ${fmt(spread.uniformBound)}`);
  const factor = activationVarianceFactor(activation, preactivationVariance, param);
  lines.push(
    `Var(w) = ${fmt(spread.variance)}; for a unit-variance input Var(z) = fan_in·Var(w) = ${fmt(preactivationVariance)}, and the variance gain per layer = E[φ(z)²] = Var(z)·E[φ(z)²]/Var(z) = ${fmt(preactivationVariance)}·${fmt(factor)} (${activation}) = ${fmt(varianceGain)}`,
  );
  const result: Record<string, unknown> = {
    fan_in: fans.fanIn,
    fan_out: fans.fanOut,
    gain,
    std: spread.std,
    uniform_bound: spread.uniformBound,
    variance: spread.variance,
    variance_gain: varianceGain,
  };
  const notes: string[] = [];
  if (scheme === 'pytorch-default') {
    result.bias_bound = pytorchDefaultBiasBound(fans.fanIn);
    notes.push(`nn.Linear / nn.ConvNd default: weight U(±1/√fan_in) = U(±${fmt(spread.uniformBound)}), Var = 1/(3·fan_in); bias U(±1/√fan_in)`);
  }
  if (inputs.nonlinearity === undefined) notes.push('no nonlinearity given: the variance gain assumes a linear layer (no activation after it)');
  else if (activation !== 'linear' && activation !== 'relu' && activation !== 'leaky_relu') {
    notes.push(`E[φ(z)²]/Var(z) of ${activation} depends on Var(z): the gain holds for a unit-variance input; deeper layers see another Var(z) (the editor's variance chain and the simulation propagate it)`);
  }
  if (inputs.weight_shape !== undefined) notes.push('weight_shape is PyTorch\'s weight layout: Linear (out, in), ConvNd (out, in/groups, *k), ConvTransposeNd (in, out/groups, *k)');
  return {
    result,
    formula: lines.join('\n'),
    latex: '\\text{Xavier: }\\operatorname{Var}=\\frac{2g^2}{\\text{fan}_{\\text{in}}+\\text{fan}_{\\text{out}}},\\quad \\text{Kaiming: }\\operatorname{Var}=\\frac{g^2}{\\text{fan}},\\quad b=\\sqrt3\\,\\sigma',
    topic: 'weight-init-xavier-he',
    notes,
  };
}

export const initStdCalculator: Calculator = defineCalculator({
  id: 'init-std',
  title: 'Init std and uniform bound (Xavier / Kaiming / LeCun / PyTorch default)',
  description: 'Std, uniform bound and variance of a weight init from fan_in/fan_out (or the weight shape), gain or nonlinearity, and mode; plus the per-layer forward variance gain.',
  topic: 'weight-init-xavier-he',
  inputs: [
    { name: 'scheme', kind: 'enum', default: 'kaiming', rule: { options: SCHEMES }, description: 'Init scheme.' },
    { name: 'fan_in', kind: 'int', optional: true, rule: { min: 0, max: MAX_FAN }, description: 'Fan-in (C_in·ΠK for a conv).', example: '576' },
    { name: 'fan_out', kind: 'int', optional: true, rule: { min: 0, max: MAX_FAN }, description: 'Fan-out (C_out·ΠK for a conv); empty means fan_in.', example: '1152' },
    { name: 'weight_shape', kind: 'list', optional: true, rule: { item: 'int', min: 0, max: 1e9, minItems: 1, maxItems: 8 }, description: 'Instead of fans: the weight shape (fans as torch.nn.init computes them).', example: '64,3,7,7', aliases: ['shape'] },
    { name: 'nonlinearity', kind: 'enum', optional: true, rule: { options: NONLINEARITIES }, description: 'The activation after the layer: sets the gain (calculate_gain) and the variance gain E[φ(z)²].', example: 'relu' },
    { name: 'a', kind: 'float', optional: true, rule: { min: 0, max: 1e6 }, description: "leaky_relu's negative slope (kaiming's a; default 0 for kaiming, 0.01 for calculate_gain).", example: '0.01', aliases: ['param', 'negative_slope'] },
    { name: 'gain', kind: 'float', optional: true, rule: { min: 0, max: 1e6, exclusiveMin: true }, description: 'An explicit gain (xavier_*_ gain=...), overriding the nonlinearity\'s.', example: '1.414' },
    { name: 'mode', kind: 'enum', default: 'fan_in', rule: { options: ['fan_in', 'fan_out'] }, description: 'Kaiming only: preserve the forward (fan_in) or backward (fan_out) variance.' },
  ],
  check,
  run,
});
