// Weight-initialisation formulas (notes topic weight-init-xavier-he), as torch.nn.init computes them
// (torch/nn/init.py: _calculate_fan_in_and_fan_out, calculate_gain, xavier_*, kaiming_*). Numbers only:
// they need square roots, which the Arith<T> formulas do not have.

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
  if (shape.length < 2) return undefined;
  const receptiveField = shape.slice(2).reduce((p, s) => p * s, 1);
  return { fanIn: shape[1] * receptiveField, fanOut: shape[0] * receptiveField };
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
 * Second moment E[φ(z)²]/Var(z) of an activation for a zero-mean symmetric pre-activation z, in the
 * small-signal sense the gains are derived from: ReLU keeps half the mass (1/2), leaky ReLU (1 + a²)/2,
 * tanh ≈ identity near 0 (1), sigmoid has slope 1/4 at 0 (1/16), SELU's fixed point keeps unit variance (1).
 */
export function activationSecondMomentFactor(nonlinearity: GainNonlinearity, param?: number): number {
  if (nonlinearity === 'relu') return 0.5;
  if (nonlinearity === 'leaky_relu') {
    const slope = param ?? DEFAULT_LEAKY_RELU_SLOPE;
    return (1 + slope * slope) / 2;
  }
  if (nonlinearity === 'sigmoid') return 1 / 16;
  return 1;
}

/**
 * Forward variance gain of one layer followed by its activation: Var_out/Var_in = fan_in·Var(w)·E[φ²]/Var(z)
 * (Var(y) = fan_in·Var(w)·E[x²], weights zero-mean and independent of x). 1 keeps the signal steady;
 * Xavier + ReLU with fan_in = fan_out gives 1/2 per layer, so (1/2)^L after L layers.
 */
export function layerVarianceGain(fanIn: number, weightVariance: number, nonlinearity: GainNonlinearity = 'linear', param?: number): number {
  return fanIn * weightVariance * activationSecondMomentFactor(nonlinearity, param);
}

/** The product of per-layer gains: the variance ratio after a chain of layers. */
export function chainVarianceGain(gains: readonly number[]): number {
  return gains.reduce((p, g) => p * g, 1);
}
