// Weight-initialisation formulas (notes topic weight-init-xavier-he), as torch.nn.init computes them
// (torch/nn/init.py: _calculate_fan_in_and_fan_out, calculate_gain, xavier_*, kaiming_*). Numbers only:
// they need square roots, which the Arith<T> formulas do not have.
import { activationSecondMoment, activationSlope, type ActivationName } from './activations';

/** Every nonlinearity name torch.nn.init.calculate_gain accepts. */
export const GAIN_NONLINEARITIES = [
  'linear',
  'conv1d',
  'conv2d',
  'conv3d',
  'conv_transpose1d',
  'conv_transpose2d',
  'conv_transpose3d',
  'sigmoid',
  'tanh',
  'relu',
  'leaky_relu',
  'selu',
] as const;
export type GainNonlinearity = (typeof GAIN_NONLINEARITIES)[number];

export const isGainNonlinearity = (name: string): name is GainNonlinearity => (GAIN_NONLINEARITIES as readonly string[]).includes(name);

/** The activation a calculate_gain name stands for: the layer names ('conv2d', ...) are the identity. */
export const activationOfGainName = (name: GainNonlinearity): ActivationName =>
  name === 'sigmoid' || name === 'tanh' || name === 'relu' || name === 'leaky_relu' || name === 'selu' ? name : 'linear';

/** calculate_gain's default negative slope for 'leaky_relu' when `param` is None. */
export const DEFAULT_LEAKY_RELU_SLOPE = 0.01;

/** The slope torch's default Linear/Conv init passes as `a` to kaiming_uniform_: √5. */
export const PYTORCH_DEFAULT_INIT_SLOPE = Math.sqrt(5);

const FIXED_GAINS: Readonly<Record<Exclude<GainNonlinearity, 'leaky_relu'>, number>> = {
  linear: 1,
  conv1d: 1,
  conv2d: 1,
  conv3d: 1,
  conv_transpose1d: 1,
  conv_transpose2d: 1,
  conv_transpose3d: 1,
  sigmoid: 1,
  tanh: 5 / 3,
  relu: Math.SQRT2,
  // Found empirically in PyTorch PR #50664; not the self-normalising choice (that is 'linear').
  selu: 3 / 4,
};

/** torch.nn.init.calculate_gain(nonlinearity, param): leaky_relu gives √(2/(1 + slope²)), slope default 0.01. */
export function calculateGain(nonlinearity: GainNonlinearity, param?: number): number {
  if (nonlinearity === 'leaky_relu') {
    const slope = param ?? DEFAULT_LEAKY_RELU_SLOPE;
    return Math.sqrt(2 / (1 + slope * slope));
  }
  return FIXED_GAINS[nonlinearity];
}

export interface Fans {
  readonly fanIn: number;
  readonly fanOut: number;
}

/**
 * torch's _calculate_fan_in_and_fan_out of a weight tensor shape: fan_in = size(1)·Πsize(2:),
 * fan_out = size(0)·Πsize(2:). Undefined for fewer than 2 dimensions (PyTorch raises).
 */
export function fansOfShape(shape: readonly number[]): Fans | undefined {
  const [fanOut, fanIn, ...window] = shape;
  if (fanOut === undefined || fanIn === undefined) return undefined;
  const receptiveField = window.reduce((p, s) => p * s, 1);
  return { fanIn: fanIn * receptiveField, fanOut: fanOut * receptiveField };
}

/** nn.Linear's weight is (out_features, in_features). */
export function linearWeightShape(inFeatures: number, outFeatures: number): number[] {
  return [outFeatures, inFeatures];
}

/** nn.ConvNd's weight is (out_channels, in_channels/groups, *kernel). */
export function convWeightShape(inChannels: number, outChannels: number, kernel: readonly number[], groups = 1): number[] {
  return [outChannels, inChannels / groups, ...kernel];
}

/**
 * nn.ConvTransposeNd's weight is (in_channels, out_channels/groups, *kernel), so torch's "fan_in" of it is
 * out_channels/groups·ΠK: the roles swap compared with ConvNd.
 */
export function convTransposeWeightShape(inChannels: number, outChannels: number, kernel: readonly number[], groups = 1): number[] {
  return [inChannels, outChannels / groups, ...kernel];
}

export type FanMode = 'fan_in' | 'fan_out';

export const fanFor = (fans: Fans, mode: FanMode): number => (mode === 'fan_in' ? fans.fanIn : fans.fanOut);

/** A zero-mean init's spread: the std of the normal variant and the bound b of the uniform U(−b, b) variant. */
export interface InitSpread {
  readonly std: number;
  /** Bound of the uniform variant with the same variance: √3·std. */
  readonly uniformBound: number;
  readonly variance: number;
}

const spreadFromStd = (std: number): InitSpread => ({ std, uniformBound: Math.sqrt(3) * std, variance: std * std });

/** Xavier/Glorot: std = gain·√(2/(fan_in + fan_out)), bound = gain·√(6/(fan_in + fan_out)). */
export function xavierSpread(fans: Fans, gain = 1): InitSpread {
  return spreadFromStd(gain * Math.sqrt(2 / (fans.fanIn + fans.fanOut)));
}

/** Kaiming/He: std = gain/√fan_mode, bound = gain·√(3/fan_mode); gain from calculate_gain(nonlinearity, a). */
export function kaimingSpread(fan: number, gain = Math.SQRT2): InitSpread {
  return spreadFromStd(gain / Math.sqrt(fan));
}

/** LeCun: Var = 1/fan_in (std 1/√fan_in); torch has no lecun_ function, this is kaiming with gain 1. */
export function lecunSpread(fanIn: number): InitSpread {
  return spreadFromStd(1 / Math.sqrt(fanIn));
}

/**
 * torch's default weight init of nn.Linear / nn.ConvNd: kaiming_uniform_(a=√5) ⇒ gain √(2/6) = 1/√3,
 * bound = 1/√fan_in, Var = 1/(3·fan_in). The bias default is U(±1/√fan_in) too.
 */
export function pytorchDefaultSpread(fanIn: number): InitSpread {
  return kaimingSpread(fanIn, calculateGain('leaky_relu', PYTORCH_DEFAULT_INIT_SLOPE));
}

/** Bound of torch's default bias init U(±1/√fan_in) of Linear/ConvNd (0 when fan_in is 0). */
export function pytorchDefaultBiasBound(fanIn: number): number {
  return fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
}

/**
 * E[φ(z)²]/Var(z) of an activation at pre-activation variance q (z ~ N(0, q), zero-mean weights make it so):
 * the factor the next layer's pre-activation variance carries. It is the second moment, not the slope at 0:
 * sigmoid's mean ½ gives 0.293 at q = 1, not 1/16; tanh gives 0.394 at q = 1 and tends to 1 only as q → 0.
 * Only ReLU-like activations have a factor independent of q (½, (1 + a²)/2).
 */
export function activationVarianceFactor(activation: ActivationName, q = 1, param?: number): number {
  return q > 0 ? activationSecondMoment(activation, q, param) / q : activationSlope(activation, 0, param) ** 2;
}

/**
 * Forward variance gain of one layer followed by its activation, E[a_out²]/E[a_in²]: the pre-activation
 * z = Wa + b has Var(z) = fan_in·Var(W)·E[a_in²] + Var(b) (weights zero-mean, independent of a_in), and
 * a_out = φ(z) has E[a_out²] = E[φ(z)²]. The input's second moment defaults to 1 (a normalised input).
 * Xavier + ReLU with fan_in = fan_out and no bias gives ½ per layer, so (½)^L after L layers.
 */
export function layerVarianceGain(
  fanIn: number,
  weightVariance: number,
  activation: ActivationName = 'linear',
  param?: number,
  inputSecondMoment = 1,
  biasVariance = 0,
): number {
  const preactivationVariance = fanIn * weightVariance * inputSecondMoment + biasVariance;
  return activationSecondMoment(activation, preactivationVariance, param) / inputSecondMoment;
}

/** One Linear/Conv layer of a chain, with the activation that follows it. */
export interface ChainLayer {
  readonly fanIn: number;
  readonly weightVariance: number;
  /** Var(b) of the bias init; 0 or absent without a bias (or with a zero bias). */
  readonly biasVariance?: number;
  readonly activation: ActivationName;
  readonly param?: number;
}

/** Each layer's place in the recursion: Var(z_l), E[a_l²] and the gain E[a_l²]/E[a_(l−1)²]. */
export interface ChainStep {
  readonly inputSecondMoment: number;
  readonly preactivationVariance: number;
  readonly secondMoment: number;
  readonly gain: number;
}

/**
 * The mean-field recursion through a chain (Poole et al. 2016; Schoenholz et al. 2017): q_l = fan_in·Var(W)·m_(l−1)
 * + Var(b), m_l = E[φ(z)²] with z ~ N(0, q_l). Per-layer gains differ along the chain when φ is not
 * ReLU-like (a tanh stack settles instead of compounding), so the gains are propagated, not multiplied
 * from a constant. Matches a real PyTorch stack's E[a_l²] within a few percent at width ≥ 256.
 */
export function propagateSecondMoment(layers: readonly ChainLayer[], inputSecondMoment = 1): ChainStep[] {
  const steps: ChainStep[] = [];
  let m = inputSecondMoment;
  for (const layer of layers) {
    const q = layer.fanIn * layer.weightVariance * m + (layer.biasVariance ?? 0);
    const next = activationSecondMoment(layer.activation, q, layer.param);
    steps.push({ inputSecondMoment: m, preactivationVariance: q, secondMoment: next, gain: m > 0 ? next / m : 0 });
    m = next;
  }
  return steps;
}

/** The product of per-layer gains: the variance ratio after a chain of layers. */
export function chainVarianceGain(gains: readonly number[]): number {
  return gains.reduce((p, g) => p * g, 1);
}
