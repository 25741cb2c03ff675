// Output-size, receptive-field and cost formulas of convolution and pooling layers (notes topics
// conv-output-size, receptive-field, conv-parameter-count). Written once over Arith<T>.
import type { Arith } from './arith';

export interface ConvAxis<T> {
  readonly size: T;
  readonly kernel: T;
  readonly stride: T;
  readonly padding: T;
  readonly dilation: T;
}

/** Effective kernel extent with dilation: D·(K − 1) + 1. */
export function effectiveKernel<T>(a: Arith<T>, kernel: T, dilation: T): T {
  return a.add(a.mul(dilation, a.sub(kernel, a.lit(1))), a.lit(1));
}

/** PyTorch Conv/MaxPool/AvgPool (ceil_mode=False): ⌊(L + 2P − D(K − 1) − 1)/S⌋ + 1. */
export function convOutputSize<T>(a: Arith<T>, x: ConvAxis<T>): T {
  const span = a.sub(a.sub(a.add(x.size, a.mul(a.lit(2), x.padding)), a.mul(x.dilation, a.sub(x.kernel, a.lit(1)))), a.lit(1));
  return a.add(a.floorDiv(span, x.stride), a.lit(1));
}

/**
 * Pooling output size. With ceil_mode PyTorch rounds up, then drops the last window when it would start
 * inside the right padding: if (out − 1)·S ≥ L + P then out − 1 (aten/src/ATen/native/Pool.h).
 * Returns undefined when that correction cannot be decided (symbolic input).
 */
export function poolOutputSize<T>(a: Arith<T>, x: ConvAxis<T>, ceilMode: boolean): T | undefined {
  if (!ceilMode) return convOutputSize(a, x);
  const span = a.sub(a.sub(a.add(x.size, a.mul(a.lit(2), x.padding)), a.mul(x.dilation, a.sub(x.kernel, a.lit(1)))), a.lit(1));
  const out = a.add(a.ceilDiv(span, x.stride), a.lit(1));
  const lastStartsInPadding = a.greaterOrEqual(a.mul(a.sub(out, a.lit(1)), x.stride), a.add(x.size, x.padding));
  if (lastStartsInPadding === undefined) return undefined;
  return lastStartsInPadding ? a.sub(out, a.lit(1)) : out;
}

/** ConvTranspose: (L − 1)·S − 2P + D(K − 1) + output_padding + 1. */
export function convTransposeOutputSize<T>(a: Arith<T>, x: ConvAxis<T> & { readonly outputPadding: T }): T {
  const grown = a.mul(a.sub(x.size, a.lit(1)), x.stride);
  return a.add(
    a.add(a.add(a.sub(grown, a.mul(a.lit(2), x.padding)), a.mul(x.dilation, a.sub(x.kernel, a.lit(1)))), x.outputPadding),
    a.lit(1),
  );
}

/** Receptive field along one axis, tracked as (size r, jump j, start s) of the output's first unit. */
export interface ReceptiveField {
  readonly size: number;
  readonly jump: number;
  readonly start: number;
}

export const inputReceptiveField: ReceptiveField = { size: 1, jump: 1, start: 0.5 };

/**
 * One layer's effect: r' = r + (K_eff − 1)·j, j' = j·S, s' = s + ((K_eff − 1)/2 − P)·j
 * (Araujo et al., "Computing Receptive Fields of CNNs", Distill 2019; start is the centre of the first unit).
 */
export function receptiveFieldStep(rf: ReceptiveField, layer: { kernel: number; stride: number; padding: number; dilation: number }): ReceptiveField {
  const kEff = layer.dilation * (layer.kernel - 1) + 1;
  return {
    size: rf.size + (kEff - 1) * rf.jump,
    jump: rf.jump * layer.stride,
    start: rf.start + ((kEff - 1) / 2 - layer.padding) * rf.jump,
  };
}

/** Weights of a conv: C_out · (C_in / groups) · ΠK, plus C_out biases. */
export function convParameterCount(inChannels: number, outChannels: number, kernel: readonly number[], groups: number, bias: boolean): number {
  const kernelVolume = kernel.reduce((p, k) => p * k, 1);
  return outChannels * (inChannels / groups) * kernelVolume + (bias ? outChannels : 0);
}

/** MACs of a conv: one multiply-add per weight per output position: ΠL_out · C_out · (C_in / groups) · ΠK. */
export function convMacs<T>(a: Arith<T>, outputSpatial: readonly T[], inChannels: number, outChannels: number, kernel: readonly number[], groups: number): T {
  const perPosition = outChannels * (inChannels / groups) * kernel.reduce((p, k) => p * k, 1);
  return outputSpatial.reduce((acc, l) => a.mul(acc, l), a.lit(perPosition));
}

/** The padding that keeps L_out = ⌈L/S⌉ for 'same' (stride 1 in PyTorch): total D(K − 1), left gets ⌊total/2⌋. */
export function samePadding(kernel: number, dilation: number): { left: number; right: number } {
  const total = dilation * (kernel - 1);
  return { left: Math.floor(total / 2), right: total - Math.floor(total / 2) };
}

/** Total padding range [low, high] (left + right, ≥ 0) for which a conv/pool axis gives `wanted` outputs. */
export interface PaddingRange {
  readonly low: number;
  readonly high: number;
}

/**
 * Inverse of convOutputSize for the padding: ⌊(L + T − D(K − 1) − 1)/S⌋ + 1 = out holds exactly when
 * (out − 1)·S ≤ L + T − K_eff ≤ out·S − 1, T the total padding. Undefined when no T ≥ 0 works.
 */
export function convTotalPaddingRange(size: number, kernel: number, stride: number, dilation: number, wanted: number): PaddingRange | undefined {
  const kEff = dilation * (kernel - 1) + 1;
  const low = Math.max(0, (wanted - 1) * stride + kEff - size);
  const high = wanted * stride - 1 + kEff - size;
  return wanted >= 1 && low <= high ? { low, high } : undefined;
}

/** The symmetric paddings P (T = 2P) giving `wanted` outputs, smallest first; undefined when none exists. */
export function convSymmetricPaddingRange(size: number, kernel: number, stride: number, dilation: number, wanted: number): PaddingRange | undefined {
  const total = convTotalPaddingRange(size, kernel, stride, dilation, wanted);
  if (total === undefined) return undefined;
  const low = Math.ceil(total.low / 2);
  const high = Math.floor(total.high / 2);
  return low <= high ? { low, high } : undefined;
}

/**
 * Inverse of convTransposeOutputSize: the padding P and output_padding p (0 ≤ p < max(S, D), PyTorch's rule)
 * with (L − 1)·S − 2P + D(K − 1) + p + 1 = out. With `padding` given only p is solved; otherwise the
 * smallest P ≥ 0 that works. Undefined when no such pair exists.
 */
export function convTransposePaddingFor(
  size: number,
  kernel: number,
  stride: number,
  dilation: number,
  wanted: number,
  padding?: number,
): { padding: number; outputPadding: number } | undefined {
  const limit = Math.max(stride, dilation);
  // Excess E = (L − 1)·S + D(K − 1) + 1 − out must equal 2P − p.
  const excess = (size - 1) * stride + dilation * (kernel - 1) + 1 - wanted;
  const solveFor = (p: number) => ({ padding: p, outputPadding: 2 * p - excess });
  const fits = (s: { outputPadding: number }) => s.outputPadding >= 0 && s.outputPadding < limit;
  if (padding !== undefined) {
    const s = solveFor(padding);
    return fits(s) ? s : undefined;
  }
  const s = solveFor(Math.max(0, Math.ceil(excess / 2)));
  return fits(s) ? s : undefined;
}
