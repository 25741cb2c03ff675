// The cost arithmetic of a training step, written once: the MAC/FLOP convention, the gradient work of
// products, the element-step count of everything else, bytes per element type, optimizer state, and the
// memory total at its peak. The catalogue's cost rules (frameworks/torch/costs.ts) and the cost analysis use these.
import type { Arith } from './arith';

/** The convention every shown cost number follows, in words (CLI, hover, summary panel, CodeLens). */
export const COST_CONVENTION = '1 MAC = one multiply-add; FLOPs = 2·MACs';
/** The convention of the other-ops count, in words. */
export const OTHER_OPS_CONVENTION = 'other ops: one per element each elementwise, activation, normalisation, softmax, pooling-window or reduction step';

/** FLOPs of multiply-adds: 2 per MAC. */
export const flopsOfMacs = <T>(a: Arith<T>, macs: T): T => a.mul(a.lit(2), macs);

/**
 * The backward of a product (linear, matmul, convolution, einsum of two operands): the gradient with respect
 * to either factor takes exactly the forward multiply-adds, because each forward term x·w adds one term
 * ∂y·w to ∂x and one term ∂y·x to ∂w. A factor that needs no gradient (frozen weight, the model's input)
 * costs nothing: the backward is not a fixed 2× the forward.
 */
export const productGradientMacs = <T>(forwardMacs: T): T => forwardMacs;

/** Element-steps of an op that reads or writes each of `elements` once (elementwise, bias add, norm). */
export const elementSteps = <T>(a: Arith<T>, elements: T, stepsPerElement = 1): T => (stepsPerElement === 1 ? elements : a.mul(a.lit(stepsPerElement), elements));

// ---------------------------------------------------------------------------------------------------
// Bytes.

/** Bytes per element of each tensor element type. */
export const ELEMENT_BYTES = {
  float64: 8,
  float32: 4,
  bfloat16: 2,
  float16: 2,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
  complex64: 8,
} as const;
export type ElementType = keyof typeof ELEMENT_BYTES;

/** The floating-point precision of a training run: the parameters' (and, without AMP, the activations'). */
export type TrainingPrecision = 'float32' | 'bfloat16' | 'float16';

export type OptimizerKind = 'sgd' | 'sgd-momentum' | 'adam' | 'adamw';

/** Per parameter tensor, in its own precision: state tensors of `numel` elements, plus fixed bytes (Adam's step). */
const OPTIMIZER_STATE: Readonly<Record<OptimizerKind, { readonly perElement: number; readonly perTensorBytes: number; readonly what: string }>> = {
  sgd: { perElement: 0, perTensorBytes: 0, what: 'no state' },
  'sgd-momentum': { perElement: 1, perTensorBytes: 0, what: 'momentum_buffer (1 × params)' },
  // PyTorch ≥ 1.12 keeps Adam's step count as a float32 scalar tensor per parameter tensor.
  adam: { perElement: 2, perTensorBytes: 4, what: 'exp_avg and exp_avg_sq (2 × params) and a float32 step per tensor' },
  adamw: { perElement: 2, perTensorBytes: 4, what: 'exp_avg and exp_avg_sq (2 × params) and a float32 step per tensor' },
};

export const OPTIMIZER_KINDS = Object.keys(OPTIMIZER_STATE) as OptimizerKind[];
export const optimizerStateText = (kind: OptimizerKind): string => OPTIMIZER_STATE[kind].what;

/** The optimizer's state bytes for `elements` parameters in `tensors` tensors, held in `bytesPerElement` each. */
export function optimizerStateBytesOf(kind: OptimizerKind, elements: number, tensors: number, bytesPerElement: number): number {
  const rule = OPTIMIZER_STATE[kind];
  return rule.perElement * elements * bytesPerElement + (rule.perElement > 0 ? rule.perTensorBytes * tensors : 0);
}

/** The optimizer's state bytes for parameter tensors of these sizes, held in `bytesPerElement` each. */
export function optimizerStateBytes(kind: OptimizerKind, tensorSizes: readonly number[], bytesPerElement: number): number {
  return optimizerStateBytesOf(kind, tensorSizes.reduce((a, n) => a + n, 0), tensorSizes.length, bytesPerElement);
}

/**
 * Where the bytes of a training step sit. Parameters and gradients are in the training precision, except
 * that AMP keeps float32 parameters (the master weights), float32 gradients and float32 optimizer state.
 */
export interface MemoryBreakdown {
  readonly paramsBytes: number;
  readonly gradsBytes: number;
  readonly optimizerBytes: number;
  readonly activationsBytes: number;
}

/**
 * Peak of one step: parameters, gradients, optimizer state and the saved activations all at once. That is
 * the moment backward starts while last step's gradients are still allocated (`zero_grad()` keeps them in
 * PyTorch 1.x; with `set_to_none=True` they are freed and the peak is lower by up to the gradients).
 */
export const peakBytes = (m: MemoryBreakdown): number => m.paramsBytes + m.gradsBytes + m.optimizerBytes + m.activationsBytes;

// ---------------------------------------------------------------------------------------------------
// Does it fit?

/**
 * Memory that is affine in the batch, M(b) = fixed + perSample·b, read from two evaluations (b1, M1) and
 * (b2, M2): perSample = (M2 − M1)/(b2 − b1) and fixed = M1 − perSample·b1.
 */
export function affineInBatch(b1: number, m1: number, b2: number, m2: number): { readonly fixed: number; readonly perSample: number } {
  const perSample = (m2 - m1) / (b2 - b1);
  return { fixed: m1 - perSample * b1, perSample };
}

/**
 * The largest batch b with fixed + perSample·b ≤ budget: ⌊(budget − fixed)/perSample⌋, 0 when not even one
 * sample fits, undefined when memory does not grow with the batch (perSample ≤ 0: any batch fits as much as one).
 */
export function largestAffineBatch(fixed: number, perSample: number, budget: number): number | undefined {
  if (!(perSample > 0)) return undefined;
  return Math.max(0, Math.floor((budget - fixed) / perSample));
}

/**
 * Bytes in one GB of GPU memory: GPU sizes are binary, a "24 GB" card has 24 GiB (nvidia-smi shows
 * 24576 MiB), so `--gpu-memory 24GB` and the setting's 24 mean 24·2³⁰ bytes.
 */
export const BYTES_PER_GPU_GB = 2 ** 30;
