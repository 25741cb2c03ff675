// The cost rules of the torch catalogue, one per op family: which gradients an op's backward computes, what
// autograd keeps for it, and whether its output is a view. These are facts of PyTorch's autograd (its
// derivatives.yaml), checked against what PyTorch 1.13 saves (test/oracle/costs.oracle.test.ts measures every
// saved storage with saved_tensors_hooks); the arithmetic is in formulas/costs.ts. Entries attach the rule of
// their family with `cost:`; an entry without a rule has an unknown cost, never a guessed one.
import * as dims from '../../dims/dims';
import type { Dim } from '../../dims/dims';
import { dimArith } from '../../dims/dimArith';
import { elementSteps, productGradientMacs } from '../../formulas/costs';
import type { DataValue } from '../../values';
import type { AutocastPolicy, CostQuery, GradientWork, OpCost, SavedTensor, TensorName, ViewEffect } from '../types';
import type { Args, KnownTensor } from './define';
import { broadcastShapes, normalizeDim, numel } from './shapes';

/** The first tensor of an output (a tuple's first item), or undefined. */
export function firstTensorOf(v: DataValue): KnownTensor | undefined {
  if (v.kind === 'tensor') return v.shape ? (v as KnownTensor) : undefined;
  if (v.kind === 'tuple' || v.kind === 'list') {
    for (const item of v.items) {
      const t = firstTensorOf(item);
      if (t) return t;
    }
  }
  return undefined;
}

/** Elements of the call's (first) output; 0 when it has none. */
const outputElements = (q: CostQuery): Dim => {
  const t = firstTensorOf(q.output);
  return t ? numel(t.shape) : 0;
};

const steps = (elements: Dim, perElement = 1): Dim => elementSteps(dimArith, elements, perElement);

/** Nothing to differentiate and nothing kept: creation, comparisons, indices, integer results. */
export const noGradCost = (): OpCost => ({ noGrad: true });

/** A view or an in-place result: the output shares `tensor`'s storage; nothing is computed or kept. */
export const viewCost = (tensor: TensorName, view: ViewEffect): OpCost => ({ aliases: { tensor, view } });

/** Data movement that allocates and computes nothing arithmetic, and keeps nothing (cat, stack, pad, clone, interpolate nearest). */
export const copyCost = (): OpCost => ({});

// ---------------------------------------------------------------------------------------------------
// torch.autocast's op lists (PyTorch's "Autocast Op Reference"; on CPU as 1.13 runs them, which the cost
// oracle measures: conv1d/2d/3d, linear, matmul, mm, bmm, baddbmm, addmm and einsum's products run in
// bfloat16, conv_transpose, prelu and the RNNs in float32, softmax, layer_norm and the activations in their
// input's type, the losses in float32).

/** Matrix products and convolutions: the lower precision on both devices. */
export const AUTOCAST_LOWER: AutocastPolicy = { cpu: 'lower', cuda: 'lower' };
/** Transposed convolutions: lower precision on CUDA, float32 on CPU (1.13's CPU list casts them to float32). */
export const AUTOCAST_TRANSPOSED_CONV: AutocastPolicy = { cpu: 'float32', cuda: 'lower' };
/** prelu: lower precision on CUDA; CPU runs it in its input's type. */
export const AUTOCAST_LOWER_ON_CUDA: AutocastPolicy = { cuda: 'lower' };
/** RNN/LSTM/GRU: lower precision on CUDA (cuDNN); on CPU autocast reaches the products of each step inside the kernel. */
export const AUTOCAST_RECURRENT: AutocastPolicy = { cuda: 'lower', cpu: 'inside' };
/** softmax, log_softmax, layer_norm, group_norm, sum, exp, log, pow and the like: float32 on CUDA; CPU keeps the input's type. */
export const AUTOCAST_FLOAT32_ON_CUDA: AutocastPolicy = { cuda: 'float32' };
/** The losses (mse, nll, cross-entropy's nll, l1, smooth-l1, bce, kl_div, …): float32 on both devices. */
export const AUTOCAST_FLOAT32: AutocastPolicy = { cpu: 'float32', cuda: 'float32' };

/** Unary math that CUDA's autocast runs in float32 (its fp32 list); CPU 1.13 keeps the input's type. */
const FLOAT32_ON_CUDA_UNARY: ReadonlySet<string> = new Set(['acos', 'asin', 'cosh', 'erfinv', 'exp', 'expm1', 'log', 'log10', 'log2', 'log1p', 'reciprocal', 'rsqrt', 'sinh', 'tan', 'softplus', 'pow', 'normalize']);

/** The autocast policy of an elementwise function by its name (F.softplus, torch.exp, exp_). */
export const unaryAutocast = (name: string): AutocastPolicy | undefined => (FLOAT32_ON_CUDA_UNARY.has(name.replace(/_$/, '').replace(/^.*\./, '')) ? AUTOCAST_FLOAT32_ON_CUDA : undefined);

// ---------------------------------------------------------------------------------------------------
// Products: linear, convolution, matmul family, einsum.

/**
 * A product y = f(x, w) with `macs` multiply-adds: each factor's gradient takes as many (formulas/costs.ts);
 * x is kept for w's gradient and w for x's (PyTorch 1.13 keeps each only when the other needs its gradient).
 */
function productCost(
  q: CostQuery,
  left: TensorName,
  right: TensorName,
  options: { readonly keepAlways?: boolean; readonly leftReshape?: readonly Dim[]; readonly rightReshape?: readonly Dim[]; readonly bias?: TensorName } = {},
): OpCost {
  const gradients: GradientWork[] = [
    { of: left, macs: productGradientMacs(q.macs) },
    { of: right, macs: productGradientMacs(q.macs) },
  ];
  const out = outputElements(q);
  if (options.bias) gradients.push({ of: options.bias, macs: 0, otherOps: out });
  const keep = (tensor: TensorName, other: TensorName, reshape: readonly Dim[] | undefined, what: string): SavedTensor => ({
    what,
    tensor,
    ...(reshape ? { reshapedTo: reshape } : {}),
    ...(options.keepAlways ? {} : { forGradOf: [other] }),
  });
  return {
    otherOps: options.bias ? steps(out) : 0,
    gradients,
    saves: [keep(left, right, options.leftReshape, 'input'), keep(right, left, options.rightReshape, 'weight')],
    autocast: AUTOCAST_LOWER,
  };
}

/** Linear and F.linear: an input of rank > 2 is flattened to rows (a view when contiguous, else a copy). */
export function linearCost(input: KnownTensor, hasBias: boolean, q: CostQuery): OpCost {
  const rank = input.shape.length;
  const features = input.shape[rank - 1]!;
  const reshape = rank > 2 ? [numel(input.shape.slice(0, -1)), features] : undefined;
  return productCost(q, 'input', 'weight', { ...(reshape ? { leftReshape: reshape } : {}), ...(hasBias ? { bias: 'bias' } : {}) });
}

/** Convolutions (and transposed ones) keep their input and weight whatever needs a gradient. */
export function convCost(hasBias: boolean, q: CostQuery, transposed = false): OpCost {
  const cost = productCost(q, 'input', 'weight', { keepAlways: true, ...(hasBias ? { bias: 'bias' } : {}) });
  return transposed ? { ...cost, autocast: AUTOCAST_TRANSPOSED_CONV } : cost;
}

/** Bilinear keeps both inputs (and its weight) for the three gradients. */
export function bilinearCost(hasBias: boolean, q: CostQuery): OpCost {
  const out = outputElements(q);
  return {
    otherOps: hasBias ? steps(out) : 0,
    gradients: [
      { of: 'input1', macs: q.macs },
      { of: 'input2', macs: q.macs },
      { of: 'weight', macs: q.macs },
      ...(hasBias ? [{ of: 'bias', macs: 0, otherOps: out }] : []),
    ],
    saves: [
      { what: 'input1', tensor: 'input1' },
      { what: 'input2', tensor: 'input2' },
    ],
    autocast: AUTOCAST_LOWER,
  };
}

/**
 * torch.matmul folds its operands the way PyTorch 1.13's at::matmul does: (…, n, m) @ (m, p) reshapes the
 * left to rows; batched products expand both to the broadcast batch and reshape to (b, n, m) and (b, m, p),
 * copying an operand whose strides cannot be merged (a transposed head split). 2-D and 1-D products keep
 * their operands as they are.
 */
export function matmulCost(left: KnownTensor, right: KnownTensor, leftName: TensorName, rightName: TensorName, q: CostQuery): OpCost {
  const a = left.shape;
  const b = right.shape;
  if (a.length <= 2 && b.length <= 2) return productCost(q, leftName, rightName);
  if (b.length <= 2 && a.length >= 3) {
    return productCost(q, leftName, rightName, { leftReshape: [numel(a.slice(0, -1)), a[a.length - 1]!] });
  }
  const leftMatrix = a.length === 1 ? [1, a[0]!] : a.slice(-2);
  const rightMatrix = b.length === 1 ? [b[0]!, 1] : b.slice(-2);
  const batch = numel(broadcastShapes(a.length > 2 ? a.slice(0, -2) : [], b.length > 2 ? b.slice(0, -2) : []));
  return productCost(q, leftName, rightName, { leftReshape: [batch, ...leftMatrix], rightReshape: [batch, ...rightMatrix] });
}

/** mm, bmm, baddbmm, einsum of two operands: strided kernels keep the operands as passed. */
export const plainProductCost = (leftName: TensorName, rightName: TensorName, q: CostQuery): OpCost => productCost(q, leftName, rightName);

// ---------------------------------------------------------------------------------------------------
// Elementwise work.

/**
 * What an elementwise function's derivative reads: its input, its output, both, a tensor of its own ('new'),
 * nothing, or (in place) a copy of its input taken before the write ('copy').
 */
export type Keeps = 'input' | 'output' | 'both' | 'new' | 'none' | 'copy';

/**
 * What each elementwise function keeps for its derivative in PyTorch 1.13 (derivatives.yaml; measured by the
 * cost oracle): functions whose derivative is a function of the result keep the result.
 */
export const ELEMENTWISE_KEEPS: Readonly<Record<string, Keeps>> = {
  relu: 'output', relu6: 'input', leaky_relu: 'input', elu: 'input', celu: 'input', selu: 'input', gelu: 'input', silu: 'input',
  mish: 'input', sigmoid: 'output', tanh: 'output', softplus: 'input', softsign: 'both', hardtanh: 'input', hardswish: 'input',
  hardsigmoid: 'input', tanhshrink: 'new', softshrink: 'input', hardshrink: 'input', threshold: 'input', logsigmoid: 'both',
  rrelu: 'both', prelu: 'input', glu: 'input', normalize: 'both',
  sqrt: 'output', rsqrt: 'output', exp: 'output', exp2: 'output', expm1: 'output', reciprocal: 'output',
  log: 'input', log2: 'input', log10: 'input', log1p: 'input', abs: 'input', sin: 'input', cos: 'input', tan: 'output',
  asin: 'input', acos: 'input', atan: 'input', sinh: 'input', cosh: 'input', square: 'input', erf: 'input', erfc: 'input',
  nan_to_num: 'input', sgn: 'input', clamp: 'input', clip: 'input',
  neg: 'none', negative: 'none', floor: 'none', ceil: 'none', round: 'none', trunc: 'none', frac: 'none', sign: 'none',
};

/** Results that never carry a gradient: booleans, integer-valued tests. */
export const NO_GRAD_ELEMENTWISE: ReadonlySet<string> = new Set(['logical_not', 'bitwise_not', 'isnan', 'isinf', 'isfinite', 'signbit']);

/** In-place variants whose derivative PyTorch 1.13 writes in terms of the result (derivatives.yaml: leaky_relu_, elu_, celu_, selu_). */
const IN_PLACE_READS_RESULT: ReadonlySet<string> = new Set(['leaky_relu', 'elu', 'celu', 'selu']);

/**
 * The keeps of an elementwise function by its name (F.relu, torch.exp, relu_), or 'input' when not listed.
 * In place (a trailing `_`, or `inPlace`), a derivative that reads the input makes autograd keep a copy of
 * the input taken before the write (measured in 1.13: ReLU6, SiLU, Hardswish, Hardsigmoid, Hardtanh, Mish
 * with inplace=True each keep a CloneBackward0 tensor), except the variants written in terms of the result.
 */
export function keepsOf(name: string, inPlace = false): Keeps {
  const base = name.replace(/_$/, '');
  const keeps = ELEMENTWISE_KEEPS[base] ?? 'input';
  if (!(inPlace || name.endsWith('_')) || keeps !== 'input') return keeps;
  return IN_PLACE_READS_RESULT.has(base) ? 'output' : 'copy';
}

/**
 * An elementwise function of one tensor (activations, unary math): one step per element forward and one per
 * element of the input gradient. In place, the result is the input's storage (and "output" is that storage).
 */
export function unaryCost(keeps: Keeps, q: CostQuery, subject: TensorName = 'input', inPlace = false): OpCost {
  const out = outputElements(q);
  const saves: SavedTensor[] = [];
  if (keeps === 'input' || keeps === 'both') saves.push({ what: 'input', tensor: inPlace ? 'output' : subject });
  if (keeps === 'output' || keeps === 'both') saves.push({ what: 'output', tensor: 'output' });
  const out0 = firstTensorOf(q.output);
  if (keeps === 'new' && out0) saves.push({ what: 'intermediate', shape: out0.shape });
  if (keeps === 'copy' && out0) saves.push({ what: 'input, copied before the in-place write', shape: out0.shape });
  return {
    otherOps: steps(out),
    gradients: [{ of: subject, macs: 0, otherOps: steps(out) }],
    saves,
    ...(inPlace ? { aliases: { tensor: subject, view: { kind: 'alias' } } } : {}),
  };
}

/** The elementwise function `name` (F.relu, torch.exp, relu_): what it keeps, by keepsOf, and its autocast policy. */
export function namedUnaryCost(name: string, q: CostQuery, subject: TensorName = 'input', inPlace = false): OpCost {
  const cost = unaryCost(keepsOf(name, inPlace), q, subject, inPlace);
  const autocast = unaryAutocast(name);
  return autocast ? { ...cost, autocast } : cost;
}

/** How a binary op's backward reads its operands. */
export type BinaryKind = 'add' | 'mul' | 'div' | 'pow' | 'minmax';

/**
 * a ∘ b with broadcasting. add/sub keep nothing; mul keeps each operand for the other's gradient; div keeps
 * the divisor for both and the dividend for the divisor's; pow and maximum/minimum keep both (pow also its
 * result). A Python scalar operand is kept as a 0-d tensor of a few bytes, which is not counted.
 */
export function binaryCost(kind: BinaryKind, q: CostQuery, self: TensorName, other: TensorName, inPlace = false): OpCost {
  const out = outputElements(q);
  const saves: SavedTensor[] =
    kind === 'add'
      ? []
      : kind === 'mul'
        ? [
            { what: 'other operand', tensor: other, forGradOf: [self] },
            { what: 'operand', tensor: inPlace ? 'output' : self, forGradOf: [other] },
          ]
        : kind === 'div'
          ? [
              { what: 'divisor', tensor: other, forGradOf: [self, other] },
              { what: 'dividend', tensor: inPlace ? 'output' : self, forGradOf: [other] },
            ]
          : kind === 'pow'
            ? [
                { what: 'base', tensor: self },
                { what: 'exponent', tensor: other, forGradOf: [other] },
                { what: 'result', tensor: 'output', forGradOf: [other] },
              ]
            : [
                { what: 'operand', tensor: self },
                { what: 'other operand', tensor: other },
              ];
  return {
    otherOps: steps(out),
    gradients: [
      { of: self, macs: 0, otherOps: steps(out) },
      { of: other, macs: 0, otherOps: steps(out) },
    ],
    saves,
    ...(inPlace ? { aliases: { tensor: self, view: { kind: 'alias' } } } : {}),
  };
}

/** torch.where(c, a, b) and masked_fill: the boolean condition is kept to route the gradient. */
export function selectCost(q: CostQuery, condition: TensorName, values: readonly TensorName[], inPlaceOf?: TensorName): OpCost {
  const out = outputElements(q);
  return {
    otherOps: steps(out),
    gradients: values.map((of) => ({ of, macs: 0, otherOps: steps(out) })),
    saves: [{ what: 'condition', tensor: condition }],
    ...(inPlaceOf ? { aliases: { tensor: inPlaceOf, view: { kind: 'alias' } } } : {}),
  };
}

/** softmax, log_softmax: the output is kept; exp, sum and divide per element. */
export function softmaxCost(q: CostQuery, subject: TensorName = 'input'): OpCost {
  const out = outputElements(q);
  return { otherOps: steps(out, 3), gradients: [{ of: subject, macs: 0, otherOps: steps(out, 3) }], saves: [{ what: 'output', tensor: 'output' }], autocast: AUTOCAST_FLOAT32_ON_CUDA };
}

/**
 * Dropout in training with 0 < p: the mask is kept (the input's element type on CPU, bool on CUDA) and the
 * output is new storage (or the input's, in place). In eval mode or with p = 0 PyTorch returns the input itself.
 */
export function dropoutCost(p: number, training: boolean, inPlace: boolean, q: CostQuery): OpCost {
  if (!training || p === 0) return viewCost('input', { kind: 'alias' });
  const out = firstTensorOf(q.output);
  const elements = out ? numel(out.shape) : 0;
  return {
    otherOps: steps(elements, 2),
    gradients: [{ of: 'input', macs: 0, otherOps: steps(elements) }],
    saves: out ? [{ what: 'dropout mask', shape: out.shape, element: 'mask' }] : [],
    ...(inPlace ? { aliases: { tensor: 'input', view: { kind: 'alias' } } } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// Losses.

/**
 * What a loss keeps for backward (PyTorch 1.13's losses, measured by the cost oracle): some of its own
 * arguments by reference, and new tensors shaped like its first input (a difference's sign, a softmax's
 * log, masks) or like one value per sample.
 */
export interface LossKeeps {
  /** Arguments kept by reference (input, target, input1…). */
  readonly tensors?: readonly TensorName[];
  /** New float tensors shaped like the first input. */
  readonly inputShaped?: number;
  /** New bool tensors shaped like the first input. */
  readonly inputShapedMasks?: number;
  /** New float tensors of one value per element of the unreduced output (per sample). */
  readonly perSample?: number;
  /** New bool tensors of one value per element of the unreduced output. */
  readonly perSampleMasks?: number;
}

/**
 * A loss: two element-steps per input element forward and two for each input's gradient; what it keeps
 * by its LossKeeps. Every loss but multilabel_soft_margin_loss (a composite) is on autocast's float32 lists.
 */
export function lossCost(keeps: LossKeeps, inputs: readonly TensorName[], first: KnownTensor, unreduced: readonly Dim[], floatUnderAutocast: boolean): OpCost {
  const elements = numel(first.shape);
  const saves: SavedTensor[] = [
    ...(keeps.tensors ?? []).map((tensor) => ({ what: tensor, tensor })),
    ...Array.from({ length: keeps.inputShaped ?? 0 }, () => ({ what: 'intermediate shaped like the input', shape: first.shape })),
    ...Array.from({ length: keeps.inputShapedMasks ?? 0 }, () => ({ what: 'mask shaped like the input', shape: first.shape, element: 'bool' as const })),
    ...Array.from({ length: keeps.perSample ?? 0 }, () => ({ what: 'per-sample intermediate', shape: unreduced })),
    ...Array.from({ length: keeps.perSampleMasks ?? 0 }, () => ({ what: 'per-sample mask', shape: unreduced, element: 'bool' as const })),
  ];
  return {
    otherOps: steps(elements, 2),
    gradients: inputs.map((of) => ({ of, macs: 0, otherOps: steps(elements, 2) })),
    saves,
    ...(floatUnderAutocast ? { autocast: AUTOCAST_FLOAT32 } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// Normalisation.

/** A normalisation's backward: three element steps for the input gradient, one each for the affine weight and bias. */
function affineNormGradients(elements: Dim): OpCost['gradients'] {
  return [
    { of: 'input', macs: 0, otherOps: steps(elements, 3) },
    { of: 'weight', macs: 0, otherOps: steps(elements) },
    { of: 'bias', macs: 0, otherOps: steps(elements) },
  ];
}

/**
 * Batch norm keeps its input and, in training, the batch mean and 1/std per channel (float32). Two steps per
 * element forward (normalise, scale and shift), three for the input gradient.
 */
export function batchNormCost(input: KnownTensor, training: boolean): OpCost {
  const channels = input.shape.length >= 2 ? input.shape[1]! : input.shape[0]!;
  const elements = numel(input.shape);
  return {
    otherOps: steps(elements, 2),
    gradients: affineNormGradients(elements),
    saves: [{ what: 'input', tensor: 'input' }, ...(training ? [{ what: 'batch mean and 1/std', shape: [dims.mul(2, channels)], element: 'float32' as const }] : [])],
  };
}

/** Layer/group/instance norm keep their input and a mean and 1/std per normalised group (float32). */
export function groupStatsNormCost(input: KnownTensor, groups: Dim, extra: readonly SavedTensor[] = []): OpCost {
  const elements = numel(input.shape);
  return {
    otherOps: steps(elements, 2),
    gradients: affineNormGradients(elements),
    saves: [{ what: 'input', tensor: 'input' }, { what: 'mean and 1/std', shape: [dims.mul(2, groups)], element: 'float32' }, ...extra],
    autocast: AUTOCAST_FLOAT32_ON_CUDA,
  };
}

/**
 * LocalResponseNorm (a composite in PyTorch): the input, its square padded by size − 1 channels for the
 * average pool, and two tensors shaped like the input (the pow's base and the divisor), as 1.13 keeps them.
 */
export function localResponseNormCost(input: KnownTensor, size: number): OpCost {
  const [n, c, ...spatial] = input.shape as [Dim, Dim, ...Dim[]];
  const elements = numel(input.shape);
  return {
    otherOps: steps(elements, dims.add(size, 4) as number),
    gradients: [{ of: 'input', macs: 0, otherOps: steps(elements, dims.add(size, 4) as number) }],
    saves: [
      { what: 'input', tensor: 'input' },
      { what: 'padded square', shape: [n, dims.add(c, size - 1), ...spatial] },
      { what: 'scale base', shape: input.shape },
      { what: 'divisor', shape: input.shape },
    ],
  };
}

/**
 * RMSNorm as PyTorch's composite runs it (x · rsqrt(mean(x²) + eps) · weight): the input, x², one
 * 1/rms per normalised row and the normalised input (measured on the same ops in 1.13).
 */
export function rmsNormCost(input: KnownTensor, normalizedRank: number, affine: boolean): OpCost {
  const elements = numel(input.shape);
  const rows = input.shape.slice(0, input.shape.length - normalizedRank);
  return {
    otherOps: steps(elements, 3),
    gradients: [{ of: 'input', macs: 0, otherOps: steps(elements, 4) }, ...(affine ? [{ of: 'weight', macs: 0, otherOps: steps(elements) }] : [])],
    saves: [
      { what: 'input', tensor: 'input' },
      { what: 'squared input', shape: input.shape },
      { what: '1/rms per row', shape: [...rows, ...Array<Dim>(normalizedRank).fill(1)] },
      ...(affine ? [{ what: 'normalised input', shape: input.shape }] : []),
    ],
  };
}

/** LayerNorm over the last dims: one mean and 1/std per row. */
export function layerNormCost(input: KnownTensor, normalizedRank: number): OpCost {
  return groupStatsNormCost(input, numel(input.shape.slice(0, input.shape.length - normalizedRank)));
}

// ---------------------------------------------------------------------------------------------------
// Pooling, reductions, indexing.

/** Max pooling keeps its input and the int64 argmax indices; average pooling (adaptive too) keeps its input. */
export function poolCost(kind: 'max' | 'avg', input: KnownTensor, windowElements: Dim, q: CostQuery): OpCost {
  const out = firstTensorOf(q.output);
  const outElements = out ? numel(out.shape) : 0;
  return {
    otherOps: steps(dims.mul(outElements, windowElements)),
    gradients: [{ of: 'input', macs: 0, otherOps: steps(numel(input.shape)) }],
    saves: [{ what: 'input', tensor: 'input' }, ...(kind === 'max' && out ? [{ what: 'argmax indices', shape: out.shape, element: 'int64' as const }] : [])],
  };
}

/**
 * LPPool (a composite: (avg_pool(x^p)·window)^(1/p)): the input, x^p, and four tensors shaped like the
 * output (the pool, its sign, its magnitude and the root), as 1.13 keeps them.
 */
export function lpPoolCost(input: KnownTensor, windowElements: Dim, q: CostQuery): OpCost {
  const out = firstTensorOf(q.output);
  const outShape = out ? out.shape : [];
  return {
    otherOps: dims.add(steps(dims.mul(numel(outShape), windowElements)), steps(numel(input.shape), 2)),
    gradients: [{ of: 'input', macs: 0, otherOps: steps(numel(input.shape), 3) }],
    saves: [
      { what: 'input', tensor: 'input' },
      { what: 'input to the power p', shape: input.shape },
      ...Array.from({ length: 4 }, () => ({ what: 'pooled intermediate', shape: outShape })),
    ],
  };
}

/** MaxUnpool scatters each value to its index: the int64 indices are kept for the gather that is its backward. */
export function maxUnpoolCost(q: CostQuery): OpCost {
  const out = outputElements(q);
  return { otherOps: steps(out), gradients: [{ of: 'input', macs: 0, otherOps: steps(out) }], saves: [{ what: 'indices', tensor: 'indices' }] };
}

/** Adaptive pooling reads each input element about once; it keeps what fixed-window pooling keeps. */
export function adaptivePoolCost(kind: 'max' | 'avg', input: KnownTensor, q: CostQuery): OpCost {
  const cost = poolCost(kind, input, 1, q);
  return { ...cost, otherOps: steps(numel(input.shape)) };
}

/** What a reduction's backward reads. */
export type ReductionKind = 'sum' | 'mean-dims' | 'input' | 'input-output' | 'indices';

/**
 * Reductions: sum and a full mean keep nothing; mean over dims keeps its input (1.13); var/std keep the input;
 * norm, prod, amax, logsumexp keep input and result; max/min over a dim keep int64 indices.
 */
export function reductionCost(kind: ReductionKind, input: KnownTensor, q: CostQuery, subject: TensorName = 'input'): OpCost {
  const elements = numel(input.shape);
  const out = firstTensorOf(q.output);
  const saves: SavedTensor[] =
    kind === 'sum'
      ? []
      : kind === 'mean-dims' || kind === 'input'
        ? [{ what: 'input', tensor: subject }]
        : kind === 'input-output'
          ? [
              { what: 'input', tensor: subject },
              { what: 'result', tensor: 'output' },
            ]
          : out
            ? [{ what: 'indices', shape: out.shape, element: 'int64' }]
            : [];
  return { otherOps: steps(elements), gradients: [{ of: subject, macs: 0, otherOps: steps(elements) }], saves };
}

/** gather / index_select / advanced indexing: the index is kept (gather also its input). */
export function indexCost(index: TensorName, q: CostQuery, subject: TensorName = 'input', keepsInput = false): OpCost {
  return {
    gradients: [{ of: subject, macs: 0, otherOps: steps(outputElements(q)) }],
    saves: [{ what: 'index', tensor: index }, ...(keepsInput ? [{ what: 'input', tensor: subject }] : [])],
  };
}

/** Embedding keeps its int64 indices; the weight's gradient scatters one row per index. */
export function embeddingCost(q: CostQuery): OpCost {
  return { gradients: [{ of: 'weight', macs: 0, otherOps: steps(outputElements(q)) }], saves: [{ what: 'indices', tensor: 'input' }] };
}

/**
 * EmbeddingBag (mode sum, mean or max): the int64 indices (flattened: a 2-D input's view) and offsets, the
 * bag of each index (offset2bag; not made for sum), each bag's size, and max's argmax per bag and column
 * (one per bag otherwise), as 1.13 keeps them.
 */
export function embeddingBagCost(indices: KnownTensor, bags: Dim, width: Dim, mode: 'sum' | 'mean' | 'max', offsetsGiven: boolean, q: CostQuery): OpCost {
  const count = numel(indices.shape);
  const out = outputElements(q);
  return {
    otherOps: steps(dims.mul(count, width)),
    gradients: [{ of: 'weight', macs: 0, otherOps: steps(dims.mul(count, width)) }],
    saves: [
      { what: 'indices', tensor: 'input' },
      offsetsGiven ? { what: 'offsets', tensor: 'offsets' } : { what: 'offsets', shape: [bags], element: 'int64' },
      ...(mode === 'sum' ? [] : [{ what: 'bag of each index', shape: [dims.add(count, 1)], element: 'int64' as const }]),
      { what: 'bag sizes', shape: [bags], element: 'int64' },
      { what: 'argmax per bag', shape: [mode === 'max' ? out : bags], element: 'int64' },
    ],
  };
}

/** A dtype conversion: the same tensor when the type does not change, a new tensor otherwise; nothing is kept. */
export function conversionCost(input: KnownTensor, q: CostQuery): OpCost {
  const out = firstTensorOf(q.output);
  if (out && out.dtype === input.dtype) return viewCost('self', { kind: 'alias' });
  return out && !['float32', 'float64', 'float16', 'bfloat16'].includes(out.dtype) ? noGradCost() : copyCost();
}

// ---------------------------------------------------------------------------------------------------
// Views: the axis bookkeeping of each view family.

/** transpose(d0, d1) as a permutation of a rank-`rank` tensor. */
export function transposeOrder(rank: number, d0: number, d1: number): number[] {
  const order = Array.from({ length: rank }, (_, i) => i);
  const a = normalizeDim(d0, Math.max(rank, 1));
  const b = normalizeDim(d1, Math.max(rank, 1));
  if (rank > 0) [order[a], order[b]] = [order[b]!, order[a]!];
  return order;
}

/** Reads a permute's dims from the call (variadic or a tuple). */
export function permuteOrder(args: Args, name: string, rank: number): number[] {
  return args.varItems(name).map((v) => normalizeDim(v.kind === 'int' && typeof v.value === 'number' ? v.value : Number.NaN, rank));
}

// ---------------------------------------------------------------------------------------------------
// Attention and recurrent layers: composites whose parts PyTorch 1.13 records one by one.

export interface AttentionCostShape {
  readonly batch: Dim;
  readonly heads: number;
  readonly queryLength: Dim;
  readonly keyLength: Dim;
  /** Key positions attended (S plus bias_k / zero-attention positions). */
  readonly attended: Dim;
  readonly embedDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly training: boolean;
  readonly projectionMacs: { readonly query: Dim; readonly key: Dim; readonly value: Dim; readonly output: Dim };
  readonly matrixMacs: { readonly scores: Dim; readonly weighted: Dim };
  /** Separate q/k/v projection weights (kdim or vdim differ), and the output projection weight's name. */
  readonly weights: { readonly separate: boolean; readonly output: TensorName };
}

/**
 * nn.MultiheadAttention and F.multi_head_attention_forward in PyTorch 1.13 (the math path): the projections'
 * inputs (the input itself, or a copy when batch_first transposed it), the scaled queries, keys and values as
 * contiguous (N·heads, len, head_dim) copies, the softmax weights (N·heads·L·S'), in training with dropout the
 * mask and the dropped weights, and the heads' output as the output projection's input. Every part's gradient
 * is a product's: as many MACs as its forward.
 */
export function multiheadAttentionCost(s: AttentionCostShape, q: CostQuery): OpCost {
  const tokens = (length: Dim, width: number): Dim => dims.mul(dims.mul(length, s.batch), width);
  const weights = dims.mul(dims.mul(s.batch, s.heads), dims.mul(s.queryLength, s.attended));
  const inputSave = (tensor: TensorName, length: Dim, width: number): SavedTensor =>
    s.batchFirst ? { what: `${tensor} (transposed copy)`, shape: [tokens(length, width)] } : { what: tensor, tensor, reshapedTo: [dims.mul(length, s.batch), width] };
  // One in-projection reads a tensor passed as several of query, key, value once (one storage, one
  // autocast copy); separate projection weights read key and value apart (two autocast copies).
  const saves: SavedTensor[] = [inputSave('query', s.queryLength, s.embedDim)];
  if (s.weights.separate || !q.same('key', 'query')) saves.push(inputSave('key', s.keyLength, s.kdim));
  if (s.weights.separate || !q.same('value', 'key')) saves.push(inputSave('value', s.keyLength, s.vdim));
  const dropped = s.training && s.dropout > 0;
  saves.push(
    { what: 'scaled queries', shape: [tokens(s.queryLength, s.embedDim)] },
    { what: 'keys', shape: [tokens(s.attended, s.embedDim)] },
    { what: 'values', shape: [tokens(s.attended, s.embedDim)] },
    { what: 'attention weights', shape: [weights] },
    ...(dropped
      ? [
          { what: 'attention dropout mask', shape: [weights], element: 'mask' as const },
          { what: 'dropped attention weights', shape: [weights] },
        ]
      : []),
    { what: 'heads output', shape: [tokens(s.queryLength, s.embedDim)] },
    // The projection matrices, each kept for its input's gradient: the model's own in float32 (held
    // anyway), autocast's cached copies under autocast.
    ...(s.weights.separate
      ? [
          { what: 'query projection weight', tensor: 'q_proj_weight', forGradOf: ['query'] },
          { what: 'key projection weight', tensor: 'k_proj_weight', forGradOf: ['key'] },
          { what: 'value projection weight', tensor: 'v_proj_weight', forGradOf: ['value'] },
        ]
      : [{ what: 'in-projection weight', tensor: 'in_proj_weight', forGradOf: ['query', 'key', 'value'] }]),
    { what: 'output projection weight', tensor: s.weights.output },
  );
  const p = s.projectionMacs;
  const inner = dims.add(s.matrixMacs.scores, s.matrixMacs.weighted);
  const softmaxSteps = steps(weights, 3);
  return {
    otherOps: dims.add(softmaxSteps, dropped ? steps(weights, 2) : 0),
    gradients: [
      // The four projections' weight gradients.
      { of: 'parameters', macs: [p.query, p.key, p.value, p.output].reduce((acc, x) => dims.add(acc, x), 0 as Dim) },
      // Back through the output projection, AV and QKᵀ to the projected queries, keys and values.
      { of: 'parameters', macs: dims.add(inner, dims.add(inner, p.output)), otherOps: softmaxSteps },
      { of: 'query', macs: p.query },
      { of: 'key', macs: p.key },
      { of: 'value', macs: p.value },
    ],
    saves,
    autocast: AUTOCAST_LOWER,
  };
}

/** F.scaled_dot_product_attention (PyTorch ≥ 2.0) on a fused kernel: q, k, v, the output and a float32 log-sum-exp per query row. */
export function scaledDotProductAttentionCost(query: KnownTensor, q: CostQuery): OpCost {
  const rows = numel(query.shape.slice(0, -1));
  const half = dims.floorDiv(q.macs, 2);
  return {
    gradients: [
      { of: 'query', macs: half },
      { of: 'key', macs: half },
      { of: 'value', macs: half },
      // The fused backward recomputes the scores QKᵀ.
      { of: 'query', macs: half },
    ],
    saves: [
      { what: 'query', tensor: 'query' },
      { what: 'key', tensor: 'key' },
      { what: 'value', tensor: 'value' },
      { what: 'output', tensor: 'output' },
      { what: 'log-sum-exp', shape: [rows], element: 'float32' },
    ],
    autocast: AUTOCAST_LOWER,
  };
}

export interface RecurrentCostShape {
  readonly kind: 'RNN' | 'GRU' | 'LSTM';
  readonly layers: number;
  readonly directions: number;
  readonly hidden: number;
  readonly inputSize: number;
  /** N·T rows (T unbatched). */
  readonly steps: Dim;
  /** N (1 unbatched). */
  readonly batch: Dim;
  readonly dropout: number;
  readonly training: boolean;
  /** Forward MACs per layer: [input projection, recurrent projection], all directions. */
  readonly layerMacs: readonly (readonly [Dim, Dim])[];
  /** The input tensor's name: 'input', or 'input.0', a PackedSequence's data. */
  readonly input?: TensorName;
}

/**
 * RNN/GRU/LSTM as PyTorch 1.13 runs them on CPU, step by step: per layer the input (the first layer's, or the
 * previous layer's concatenated output), and per step and direction the gate activations: LSTM and GRU keep
 * 7·H numbers per row and step, a tanh/ReLU RNN H per step plus its initial state. (cuDNN keeps a different,
 * opaque reserve buffer.)
 */
export function recurrentCost(s: RecurrentCostShape): OpCost {
  const perStep = s.kind === 'RNN' ? 1 : 7;
  const rows = s.steps;
  const input = s.input ?? 'input';
  const saves: SavedTensor[] = [{ what: 'input', tensor: input }];
  for (let layer = 0; layer < s.layers; layer++) {
    if (layer > 0) {
      saves.push({ what: `layer ${layer} input`, shape: [dims.mul(rows, s.directions * s.hidden)] });
      if (s.training && s.dropout > 0) saves.push({ what: `layer ${layer} dropout mask`, shape: [dims.mul(rows, s.directions * s.hidden)], element: 'mask' });
    }
    saves.push({ what: `layer ${layer} gates`, shape: [dims.mul(rows, perStep * s.directions * s.hidden)] });
  }
  if (s.kind === 'RNN') saves.push({ what: 'initial states', shape: [dims.mul(s.batch, s.layers * s.directions * s.hidden)] });
  const gradients: GradientWork[] = [];
  s.layerMacs.forEach(([inputMacs, recurrentMacs], layer) => {
    gradients.push({ of: 'parameters', macs: dims.add(inputMacs, recurrentMacs) }, { of: 'parameters', macs: recurrentMacs });
    gradients.push({ of: layer === 0 ? input : 'parameters', macs: inputMacs });
  });
  const gateElements = dims.mul(rows, perStep * s.directions * s.hidden * s.layers);
  return { otherOps: steps(gateElements), gradients: [...gradients, { of: 'parameters', macs: 0, otherOps: steps(gateElements) }], saves, autocast: AUTOCAST_RECURRENT };
}
