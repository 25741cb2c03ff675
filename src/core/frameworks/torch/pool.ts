// Pooling: Max/AvgPool1d/2d/3d (ceil_mode with PyTorch's last-window rule), AdaptiveAvg/MaxPool1d/2d/3d
// (None keeps a size), LPPool1d/2d/3d, MaxUnpool1d/2d/3d, FractionalMaxPool2d/3d. Shared forwards are
// exported for F.max_pool2d and friends.
import * as dims from '../../dims/dims';
import type { Dim } from '../../dims/dims';
import { dimArith } from '../../dims/dimArith';
import type { Arith } from '../../formulas/arith';
import { poolOutputSize } from '../../formulas/conv';
import type { DataValue } from '../../values';
import { NONE, bool, int, tensor, tuple } from '../../values';
import type { ArgSpec, BoundArgs, ForwardResult, LayerEntry, ReceptiveFieldEffect, VarianceRole } from '../types';
import { Args, type KnownTensor, defineLayer, fail, giveUp, shapeText, toDim } from './define';
import { checkOutputPositive, expectRank, numel } from './shapes';
import { adaptivePoolCost, lpPoolCost, maxUnpoolCost, poolCost } from './costs';

export interface PoolConfig {
  readonly spatialRank: number;
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly dilation: readonly number[];
  readonly ceilMode: boolean;
  readonly returnIndices: boolean;
}

/** Reads kernel/stride/padding/dilation the way every pooling op takes them (stride None = kernel). */
export function readPoolConfig(a: Args, spatialRank: number, opts: { dilation: boolean; padding: boolean; returnIndices: boolean }): PoolConfig {
  const kernel = a.ints('kernel_size', spatialRank);
  const strideGiven = !a.isNone('stride') && !(isEmptySequence(a.value('stride')));
  const stride = strideGiven ? a.ints('stride', spatialRank) : kernel;
  const padding = opts.padding ? a.ints('padding', spatialRank) : Array<number>(spatialRank).fill(0);
  const dilation = opts.dilation ? a.ints('dilation', spatialRank) : Array<number>(spatialRank).fill(1);
  if (kernel.some((k) => k <= 0)) fail('kernel_size must be greater than zero', 'kernel_size');
  if (stride.some((s) => s <= 0)) fail('stride must be greater than zero', 'stride');
  if (dilation.some((d) => d <= 0)) fail('dilation should be greater than zero', 'dilation');
  if (padding.some((p) => p < 0)) fail('pad must be non-negative', 'padding');
  return { spatialRank, kernel, stride, padding, dilation, ceilMode: a.bool('ceil_mode'), returnIndices: opts.returnIndices && a.bool('return_indices') };
}

const isEmptySequence = (v: DataValue | undefined): boolean => (v?.kind === 'tuple' || v?.kind === 'list') && v.items.length === 0;

/**
 * The arithmetic for poolOutputSize on one axis. Its only comparison is ceil_mode's "last window starts in
 * the right padding" test; when S + P ≤ D(K − 1) + 1 that can never hold (the last start is at most
 * L + 2P − K_eff + S − 1 < L + P), so the answer is "no" even for a symbolic L.
 */
function ceilModeArith(axis: { kernel: number; stride: number; padding: number; dilation: number }): Arith<Dim> {
  const neverDrops = axis.stride + axis.padding <= axis.dilation * (axis.kernel - 1) + 1;
  return { ...dimArith, greaterOrEqual: (a, b) => dimArith.greaterOrEqual(a, b) ?? (neverDrops ? false : undefined) };
}

/** Pool output shape: (N, C, *L_out) or unbatched (C, *L_out); PyTorch's checks and messages. */
export function poolForward(c: PoolConfig, input: KnownTensor, kind: 'max' | 'avg'): ForwardResult {
  const n = c.spatialRank;
  const shape = input.shape;
  if (shape.length !== n + 1 && shape.length !== n + 2) {
    if (n === 2 && kind === 'max') fail('non-empty 3D or 4D (batch mode) tensor expected for input', 'input');
    expectRank(shape, [n + 1, n + 2]);
  }
  c.padding.forEach((p, i) => {
    if (p * 2 > c.kernel[i]!) fail(`pad should be at most half of kernel size, but got pad=${p} and kernel_size=${c.kernel[i]}`, 'padding');
  });
  const lead = shape.slice(0, shape.length - n);
  const spatial = shape.slice(shape.length - n);
  const out = spatial.map((l, i) => {
    const axis = { size: l, kernel: c.kernel[i]!, stride: c.stride[i]!, padding: c.padding[i]!, dilation: c.dilation[i]! };
    const size = poolOutputSize(ceilModeArith(axis), axis, c.ceilMode);
    return size ?? giveUp('ceil_mode output size depends on the symbolic input size');
  });
  checkOutputPositive(shape.slice(shape.length - n - 1), [shape[shape.length - n - 1]!, ...out], 'pool');
  const output = tensor([...lead, ...out], input.dtype);
  return { output: c.returnIndices ? tuple([output, tensor(output.shape, 'int64')]) : output, macs: 0 };
}

export const poolReceptiveField = (c: PoolConfig): ReceptiveFieldEffect =>
  c.kernel.map((kernel, i) => ({ kind: 'window', kernel, stride: c.stride[i]!, padding: c.padding[i]!, dilation: c.dilation[i]! }));

const maxPoolSignature: readonly ArgSpec[] = [
  { name: 'kernel_size' },
  { name: 'stride', default: NONE },
  { name: 'padding', default: int(0) },
  { name: 'dilation', default: int(1) },
  { name: 'return_indices', default: bool(false) },
  { name: 'ceil_mode', default: bool(false) },
];

const avgPoolSignature = (rank: number): ArgSpec[] => [
  { name: 'kernel_size' },
  { name: 'stride', default: NONE },
  { name: 'padding', default: int(0) },
  { name: 'ceil_mode', default: bool(false) },
  { name: 'count_include_pad', default: bool(true) },
  ...(rank > 1 ? [{ name: 'divisor_override', default: NONE }] : []),
];

/** A max commutes with a monotone activation (relu(maxpool(z)) = maxpool(relu(z))); an average does not. */
const MAX_POOLING: VarianceRole = { kind: 'pooling', commutesWithActivation: true };
const AVERAGE_POOLING: VarianceRole = { kind: 'pooling', commutesWithActivation: false };

const maxPools = [1, 2, 3].map((rank) =>
  defineLayer<PoolConfig>({
    name: `MaxPool${rank}d`,
    signature: maxPoolSignature,
    topic: 'pooling-max-avg',
    configure: (a) => readPoolConfig(a, rank, { dilation: true, padding: true, returnIndices: true }),
    forward: (c, a) => poolForward(c, a.tensor('input'), 'max'),
    cost: (c, a, q) => poolCost('max', a.tensor('input'), numel(c.kernel), q),
    receptiveField: poolReceptiveField,
    traits: { calculators: { ids: ['pool-out'], fixed: { mode: 'max' } }, variance: MAX_POOLING, grid: 'windows' },
  }),
);

const avgPools = [1, 2, 3].map((rank) =>
  defineLayer<PoolConfig>({
    name: `AvgPool${rank}d`,
    signature: avgPoolSignature(rank),
    topic: 'pooling-max-avg',
    configure: (a) => {
      if (rank > 1 && !a.isNone('divisor_override') && a.int('divisor_override') === 0) fail('divisor must be not zero', 'divisor_override');
      return readPoolConfig(a, rank, { dilation: false, padding: true, returnIndices: false });
    },
    forward: (c, a) => poolForward(c, a.tensor('input'), 'avg'),
    cost: (c, a, q) => poolCost('avg', a.tensor('input'), numel(c.kernel), q),
    receptiveField: poolReceptiveField,
    traits: { calculators: { ids: ['pool-out'], fixed: { mode: 'avg' } }, variance: AVERAGE_POOLING, grid: 'windows' },
  }),
);

const lpPools = [1, 2, 3].map((rank) =>
  defineLayer<PoolConfig>({
    name: `LPPool${rank}d`,
    // LPPool3d came with PyTorch 2.2.
    ...(rank === 3 ? { since: '2.2.0' } : {}),
    signature: [{ name: 'norm_type' }, { name: 'kernel_size' }, { name: 'stride', default: NONE }, { name: 'ceil_mode', default: bool(false) }],
    configure: (a) => {
      a.float('norm_type');
      return readPoolConfig(a, rank, { dilation: false, padding: false, returnIndices: false });
    },
    forward: (c, a) => poolForward(c, a.tensor('input'), 'avg'),
    cost: (c, a, q) => lpPoolCost(a.tensor('input'), numel(c.kernel), q),
    receptiveField: poolReceptiveField,
    traits: { grid: 'windows' },
  }),
);

/** Adaptive output sizes: an int, or a tuple whose None entries keep the input's size. */
export type AdaptiveSize = readonly (number | null)[];

export function readAdaptiveSize(v: DataValue | undefined, rank: number): AdaptiveSize {
  const items = v?.kind === 'tuple' || v?.kind === 'list' ? v.items : Array<DataValue>(rank).fill(v ?? NONE);
  if (items.length !== rank) fail(`output_size must have ${rank} elements, got ${items.length}`, 'output_size');
  return items.map((item) => {
    if (item.kind === 'none') return null;
    const d = toDim(item, 'output_size', 'output_size');
    if (typeof d !== 'number') return giveUp('output_size depends on the input', 'output_size');
    return d;
  });
}

export function adaptivePoolForward(size: AdaptiveSize, input: KnownTensor, returnIndices: boolean): ForwardResult {
  const n = size.length;
  expectRank(input.shape, [n + 1, n + 2]);
  const lead = input.shape.slice(0, input.shape.length - n);
  const spatial = input.shape.slice(input.shape.length - n);
  const out: Dim[] = spatial.map((l, i) => size[i] ?? l);
  const output = tensor([...lead, ...out], input.dtype);
  return { output: returnIndices ? tuple([output, tensor(output.shape, 'int64')]) : output, macs: 0 };
}

interface AdaptiveConfig {
  readonly size: AdaptiveSize;
  readonly returnIndices: boolean;
}

const adaptivePools = [1, 2, 3].flatMap((rank) => [
  defineLayer<AdaptiveConfig>({
    name: `AdaptiveAvgPool${rank}d`,
    signature: [{ name: 'output_size' }],
    topic: 'global-average-pooling',
    configure: (a) => ({ size: readAdaptiveSize(a.value('output_size'), rank), returnIndices: false }),
    forward: (c, a) => adaptivePoolForward(c.size, a.tensor('input'), false),
    cost: (_c, a, q) => adaptivePoolCost('avg', a.tensor('input'), q),
    traits: { variance: AVERAGE_POOLING, grid: 'windows' },
  }),
  defineLayer<AdaptiveConfig>({
    name: `AdaptiveMaxPool${rank}d`,
    signature: [{ name: 'output_size' }, { name: 'return_indices', default: bool(false) }],
    topic: 'pooling-max-avg',
    configure: (a) => ({ size: readAdaptiveSize(a.value('output_size'), rank), returnIndices: a.bool('return_indices') }),
    forward: (c, a) => adaptivePoolForward(c.size, a.tensor('input'), c.returnIndices),
    cost: (_c, a, q) => adaptivePoolCost('max', a.tensor('input'), q),
    traits: { variance: MAX_POOLING, grid: 'windows' },
  }),
]);

/** MaxUnpool's output: (in − 1)·stride − 2·padding + kernel per axis, or the given output_size. */
export function maxUnpoolForward(c: PoolConfig, input: KnownTensor, indices: KnownTensor, outputSize: readonly Dim[] | undefined): ForwardResult {
  const n = c.kernel.length;
  expectRank(input.shape, [n + 1, n + 2]);
  if (indices.shape.length !== input.shape.length || indices.shape.some((d, i) => dims.equal(d, input.shape[i]!) === false)) {
    fail(`Expected shape of indices to be same as that of the input tensor (${shapeText(input.shape)}) but got indices tensor with shape: ${shapeText(indices.shape)}`, 'indices');
  }
  const lead = input.shape.slice(0, input.shape.length - n);
  const spatial = input.shape.slice(input.shape.length - n);
  const defaults = spatial.map((l, i) => dims.add(dims.mul(dims.sub(l, 1), c.stride[i]!), c.kernel[i]! - 2 * c.padding[i]!));
  let out: Dim[] = defaults;
  if (outputSize) {
    const given = outputSize.length === n + 2 || outputSize.length === n + 1 ? outputSize.slice(outputSize.length - n) : outputSize;
    if (given.length !== n) fail(`output_size should have ${n} or ${n + 2} elements (got ${outputSize.length})`, 'output_size');
    given.forEach((g, i) => {
      const lo = dims.sub(defaults[i]!, c.stride[i]!);
      const hi = dims.add(defaults[i]!, c.stride[i]!);
      if (typeof g === 'number' && typeof lo === 'number' && typeof hi === 'number' && (g <= lo || g >= hi)) fail(`invalid output_size "${shapeText(given)}" (dim ${i} must be between ${lo + 1} and ${hi - 1})`, 'output_size');
    });
    out = [...given];
  }
  return { output: tensor([...lead, ...out], input.dtype), macs: 0 };
}

/**
 * MaxUnpool: L_out = (L − 1)·S − 2P + K (or forward's output_size). Each input value goes back to the
 * position its index names, inside its pooling window: which one depends on the data, so the field is
 * every position the window could name (a transposed window with the pool's kernel, stride and padding).
 */
const maxUnpools = [1, 2, 3].map((rank) =>
  defineLayer<PoolConfig>({
    name: `MaxUnpool${rank}d`,
    signature: [{ name: 'kernel_size' }, { name: 'stride', default: NONE }, { name: 'padding', default: int(0) }],
    forwardSignature: [{ name: 'input' }, { name: 'indices' }, { name: 'output_size', default: NONE }],
    topic: 'pooling-max-avg',
    configure: (a) => ({ ...readPoolConfig(a, rank, { dilation: false, padding: true, returnIndices: false }), ceilMode: false }),
    forward: (c, a) => maxUnpoolForward(c, a.tensor('input'), a.tensor('indices'), a.isNone('output_size') ? undefined : a.sizes('output_size')),
    cost: (_c, _a, q) => maxUnpoolCost(q),
    receptiveField: (c) => c.kernel.map((kernel, i) => ({ kind: 'transposed', kernel, stride: c.stride[i]!, padding: c.padding[i]!, dilation: 1 })),
  }),
);

/** FractionalMaxPool's output: output_size, or ⌊input · output_ratio⌋ per axis. */
export function fractionalPoolForward(rank: number, a: Args, input: KnownTensor): ForwardResult {
  expectRank(input.shape, [rank + 1, rank + 2]);
  const spatial = input.shape.slice(input.shape.length - rank);
  let out: Dim[];
  if (!a.isNone('output_size')) out = a.ints('output_size', rank);
  else if (!a.isNone('output_ratio')) {
    const v = a.value('output_ratio');
    const ratios = v?.kind === 'tuple' || v?.kind === 'list' ? v.items.map((r) => (r.kind === 'float' ? r.value : r.kind === 'int' && typeof r.value === 'number' ? r.value : giveUp('output_ratio is unknown'))) : Array<number>(rank).fill(a.float('output_ratio'));
    if (ratios.some((r) => !(r > 0 && r < 1))) fail(`output_ratio must be between 0 and 1 (got ${JSON.stringify(ratios)})`, 'output_ratio');
    out = spatial.map((l, i) => (typeof l === 'number' ? Math.floor(l * ratios[i]!) : giveUp('fractional pooling of a symbolic size')));
  } else return fail('FractionalMaxPool requires specifying either an output size, or a pooling ratio', 'output_size');
  const output = tensor([...input.shape.slice(0, input.shape.length - rank), ...out], input.dtype);
  return { output: a.bool('return_indices') ? tuple([output, tensor(output.shape, 'int64')]) : output, macs: 0 };
}

const fractionalPools = [2, 3].map((rank) =>
  defineLayer<BoundArgs>({
    name: `FractionalMaxPool${rank}d`,
    signature: [{ name: 'kernel_size' }, { name: 'output_size', default: NONE }, { name: 'output_ratio', default: NONE }, { name: 'return_indices', default: bool(false) }, { name: '_random_samples', default: NONE }],
    configure: (a) => {
      if (a.isNone('output_size') && a.isNone('output_ratio')) fail('FractionalMaxPool2d requires specifying either an output size, or a pooling ratio');
      return a.raw;
    },
    forward: (c, a) => fractionalPoolForward(rank, new Args(c, `FractionalMaxPool${rank}d`), a.tensor('input')),
    traits: { grid: 'windows' },
  }),
);

export const poolLayers: readonly LayerEntry[] = [...maxPools, ...avgPools, ...lpPools, ...adaptivePools, ...maxUnpools, ...fractionalPools];
