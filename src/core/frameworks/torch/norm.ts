// Normalisation layers: BatchNorm/InstanceNorm (1d/2d/3d, Lazy BatchNorm), LayerNorm, GroupNorm,
// LocalResponseNorm. Shape-preserving; 0 MACs by the catalogue convention; weight=ones, bias=zeros.
import * as dims from '../../dims/dims';
import type { Dim } from '../../dims/dims';
import { formatDim } from '../../dims/dims';
import { NONE, bool, float, tensor } from '../../values';
import type { ArgSpec, LayerEntry, ParameterTensor } from '../types';
import { type Args, type Flag, type KnownTensor, defineLayer, fail, failAssuming, flagged, giveUp, result, shapeText } from './define';
import { batchNormCost, groupStatsNormCost, layerNormCost, localResponseNormCost, rmsNormCost } from './costs';
import { ones, zeros } from './init';
import { expectRank, provablyDifferent } from './shapes';

const deviceDtype: readonly ArgSpec[] = [
  { name: 'device', default: NONE },
  { name: 'dtype', default: NONE },
];

export interface BatchNormConfig {
  readonly numFeatures: number | undefined;
  readonly affine: Flag;
  readonly trackRunningStats: Flag;
}

const batchNormSignature = (lazy: boolean, affineDefault: boolean, trackDefault: boolean): ArgSpec[] => [
  ...(lazy ? [] : [{ name: 'num_features' }]),
  { name: 'eps', default: float(1e-5) },
  { name: 'momentum', default: float(0.1) },
  { name: 'affine', default: bool(affineDefault) },
  { name: 'track_running_stats', default: bool(trackDefault) },
  ...deviceDtype,
];

function normParameters(c: BatchNormConfig): ParameterTensor[] {
  const n = c.numFeatures;
  if (n === undefined) return [];
  const params: ParameterTensor[] = [];
  params.push(...flagged(c.affine, [{ name: 'weight', shape: [n], init: ones }, { name: 'bias', shape: [n], init: zeros }]));
  if (c.trackRunningStats !== false) {
    params.push(
      { name: 'running_mean', shape: [n], init: zeros, buffer: true },
      { name: 'running_var', shape: [n], init: ones, buffer: true },
      { name: 'num_batches_tracked', shape: [], init: zeros, buffer: true },
    );
  }
  return params;
}

/** F.batch_norm's check: the channel dim (dim 1) must match the statistics' length. */
export function checkBatchNormChannels(input: KnownTensor, numFeatures: Dim, statName = 'running_mean'): void {
  const channels = input.shape[1];
  if (channels === undefined) fail(`${statName} should contain ${formatDim(input.shape[0] ?? 0)} elements not ${formatDim(numFeatures)}`, 'input');
  // Normalization keeps the input's shape: that is what the analysis goes on with past the error.
  if (provablyDifferent(channels, numFeatures)) failAssuming(`${statName} should contain ${formatDim(channels)} elements not ${formatDim(numFeatures)}`, 'input', tensor(input.shape, input.dtype));
}

const BATCH_RANKS: Readonly<Record<number, readonly number[]>> = { 1: [2, 3], 2: [4], 3: [5] };

function makeBatchNorm(spatialRank: number, lazy: boolean): LayerEntry<BatchNormConfig> {
  const name = `${lazy ? 'Lazy' : ''}BatchNorm${spatialRank}d`;
  const ranks = BATCH_RANKS[spatialRank]!;
  return defineLayer<BatchNormConfig>({
    name,
    signature: batchNormSignature(lazy, true, true),
    topic: 'batch-norm',
    configure: (a) => ({ numFeatures: lazy ? undefined : a.int('num_features'), affine: a.flag('affine'), trackRunningStats: a.flag('track_running_stats') }),
    parameters: normParameters,
    forward: (c, a) => {
      const input = a.tensor('input');
      expectRank(input.shape, ranks);
      if (c.numFeatures === undefined) return giveUp(`${name} used before its input size is known`);
      checkBatchNormChannels(input, c.numFeatures, c.trackRunningStats ? 'running_mean' : 'weight');
      return result(tensor(input.shape, input.dtype));
    },
    // Batch statistics are computed (and kept) in training, or always without running statistics.
    cost: (c, a, q) => batchNormCost(a.tensor('input'), q.training || c.trackRunningStats === false),
    traits: { ...(lazy ? {} : { inputSize: { argument: 'num_features', axis: 'channel' } as const }), spatialRank, training: { kind: 'batch-statistics' } },
    ...(lazy
      ? {
          materialize: (c, a) => {
            if (c.numFeatures !== undefined) return c;
            const input = a.tensor('input');
            expectRank(input.shape, ranks);
            const channels = input.shape[1]!;
            if (typeof channels !== 'number') return giveUp(`${name}: the input's channel count is not known`);
            return { ...c, numFeatures: channels };
          },
        }
      : {}),
  });
}

function makeInstanceNorm(spatialRank: number, lazy = false): LayerEntry<BatchNormConfig> {
  const ranks = [spatialRank + 1, spatialRank + 2];
  const name = `${lazy ? 'Lazy' : ''}InstanceNorm${spatialRank}d`;
  return defineLayer<BatchNormConfig>({
    name,
    topic: 'instance-norm',
    traits: { spatialRank },
    // The lazy forms default to affine=True and track_running_stats=True (_LazyNormBase).
    signature: batchNormSignature(lazy, lazy, lazy),
    configure: (a) => ({ numFeatures: lazy ? undefined : a.int('num_features'), affine: a.flag('affine'), trackRunningStats: a.flag('track_running_stats') }),
    ...(lazy
      ? {
          materialize: (c: BatchNormConfig, a: Args): BatchNormConfig => {
            if (c.numFeatures !== undefined) return c;
            const input = a.tensor('input');
            expectRank(input.shape, ranks);
            // PyTorch reads num_features from input.shape[1], batched or not.
            const channels = input.shape[1]!;
            if (typeof channels !== 'number') return giveUp(`${name}: the input's channel count is not known`);
            return { ...c, numFeatures: channels };
          },
        }
      : {}),
    parameters: normParameters,
    forward: (c, a) => {
      const input = a.tensor('input');
      expectRank(input.shape, ranks);
      const batched = input.shape.length === spatialRank + 2;
      const channels = input.shape[batched ? 1 : 0]!;
      const n = c.numFeatures ?? 0;
      if ((c.affine !== false || c.trackRunningStats !== false) && provablyDifferent(channels, n)) {
        // With neither flag known to be set, the mismatch matters only if one of them is.
        if (c.affine !== true && c.trackRunningStats !== true) giveUp(`InstanceNorm${spatialRank}d: the channel check depends on affine / track_running_stats, which are unknown`);
        // PyTorch runs instance norm as a batch norm over N·C channels, hence its message's numbers.
        const batch = batched ? input.shape[0]! : 1;
        // batch_norm checks running_mean before weight, so an instance norm tracking statistics names it.
        const stat = c.trackRunningStats === true ? 'running_mean' : 'weight';
        failAssuming(`${stat} should contain ${formatDim(dims.mul(batch, channels))} elements not ${formatDim(dims.mul(batch, n))}`, 'input', tensor(input.shape, input.dtype));
      }
      return result(tensor(input.shape, input.dtype));
    },
    // Run as a batch norm over N·C channels: a mean and 1/std per (sample, channel), and the weight repeated N times.
    cost: (c, a) => {
      const input = a.tensor('input');
      const groups = input.shape.length === spatialRank + 2 ? dims.mul(input.shape[0]!, input.shape[1]!) : input.shape[0]!;
      return groupStatsNormCost(input, groups, c.affine !== false ? [{ what: 'weight repeated per sample', shape: [groups], element: 'float32' }] : []);
    },
  });
}

/** F.layer_norm's check: the trailing dims must equal normalized_shape. */
export function checkLayerNormShape(input: KnownTensor, normalized: readonly Dim[]): void {
  const tail = input.shape.slice(input.shape.length - normalized.length);
  const mismatch = input.shape.length < normalized.length || tail.some((d, i) => provablyDifferent(d, normalized[i]!));
  if (mismatch) {
    const message = `Given normalized_shape=${shapeText(normalized)}, expected input with shape [*, ${normalized.map(formatDim).join(', ')}], but got input of size${shapeText(input.shape)}`;
    if (input.shape.length < normalized.length) fail(message, 'input');
    failAssuming(message, 'input', tensor(input.shape, input.dtype));
  }
}

interface LayerNormConfig {
  readonly normalizedShape: readonly number[];
  readonly affine: Flag;
}

const layerNorm = defineLayer<LayerNormConfig>({
  name: 'LayerNorm',
  signature: [{ name: 'normalized_shape' }, { name: 'eps', default: float(1e-5) }, { name: 'elementwise_affine', default: bool(true) }, ...deviceDtype],
  topic: 'layer-norm',
  configure: (a) => {
    const v = a.value('normalized_shape');
    const n = v?.kind === 'tuple' || v?.kind === 'list' ? v.items.length : 1;
    return { normalizedShape: a.ints('normalized_shape', n), affine: a.flag('elementwise_affine') };
  },
  parameters: (c) => flagged(c.affine, [{ name: 'weight', shape: c.normalizedShape, init: ones }, { name: 'bias', shape: c.normalizedShape, init: zeros }]),
  forward: (c, a) => {
    const input = a.tensor('input');
    checkLayerNormShape(input, c.normalizedShape);
    return result(tensor(input.shape, input.dtype));
  },
  cost: (c, a) => layerNormCost(a.tensor('input'), c.normalizedShape.length),
  traits: {
    grid: 'tokens',
    // PyTorch stores an int normalized_shape as a 1-tuple.
    tupleAttributes: { normalized_shape: 1 },
    inputSize: { argument: 'normalized_shape', axis: 'last' },
  },
});

/** RMSNorm (PyTorch 2.4): a scale over normalized_shape, initialised to ones, no bias. */
const rmsNorm = defineLayer<LayerNormConfig>({
  name: 'RMSNorm',
  since: '2.4.0',
  signature: [{ name: 'normalized_shape' }, { name: 'eps', default: NONE }, { name: 'elementwise_affine', default: bool(true) }, ...deviceDtype],
  topic: 'layer-norm',
  configure: (a) => {
    const v = a.value('normalized_shape');
    const n = v?.kind === 'tuple' || v?.kind === 'list' ? v.items.length : 1;
    return { normalizedShape: a.ints('normalized_shape', n), affine: a.bool('elementwise_affine') };
  },
  parameters: (c) => (c.affine ? [{ name: 'weight', shape: c.normalizedShape, init: ones }] : []),
  forward: (c, a) => {
    const input = a.tensor('input');
    checkLayerNormShape(input, c.normalizedShape);
    return result(tensor(input.shape, input.dtype));
  },
  cost: (c, a) => rmsNormCost(a.tensor('input'), c.normalizedShape.length, c.affine === true),
  traits: { tupleAttributes: { normalized_shape: 1 }, inputSize: { argument: 'normalized_shape', axis: 'last' }, grid: 'tokens' },
});

interface GroupNormConfig {
  readonly groups: number;
  readonly channels: number;
  readonly affine: Flag;
}

const groupNorm = defineLayer<GroupNormConfig>({
  name: 'GroupNorm',
  topic: 'group-norm',
  signature: [{ name: 'num_groups' }, { name: 'num_channels' }, { name: 'eps', default: float(1e-5) }, { name: 'affine', default: bool(true) }, ...deviceDtype],
  configure: (a) => {
    const groups = a.int('num_groups');
    const channels = a.int('num_channels');
    if (groups <= 0 || channels % groups !== 0) fail('num_channels must be divisible by num_groups', 'num_channels');
    return { groups, channels, affine: a.flag('affine') };
  },
  parameters: (c) => flagged(c.affine, [{ name: 'weight', shape: [c.channels], init: ones }, { name: 'bias', shape: [c.channels], init: zeros }]),
  forward: (c, a) => {
    const input = a.tensor('input');
    if (input.shape.length < 2) fail(`Expected at least 2 dimensions for input tensor but received ${input.shape.length}`, 'input');
    const channels = input.shape[1]!;
    if (c.affine !== false && provablyDifferent(channels, c.channels)) {
      if (c.affine !== true) giveUp('GroupNorm: the channel check depends on affine, which is unknown');
      failAssuming(`Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [${c.channels}] and input of shape ${shapeText(input.shape)}`, 'input', tensor(input.shape, input.dtype));
    }
    if (typeof channels === 'number' && channels % c.groups !== 0) {
      fail(`Expected number of channels in input to be divisible by num_groups, but got input of shape ${shapeText(input.shape)} and num_groups=${c.groups}`, 'input');
    }
    return result(tensor(input.shape, input.dtype));
  },
  cost: (c, a) => {
    const input = a.tensor('input');
    return groupStatsNormCost(input, dims.mul(input.shape[0]!, c.groups));
  },
});

const localResponseNorm = defineLayer<{ readonly size: number }>({
  name: 'LocalResponseNorm',
  signature: [{ name: 'size' }, { name: 'alpha', default: float(1e-4) }, { name: 'beta', default: float(0.75) }, { name: 'k', default: float(1.0) }],
  configure: (a) => ({ size: a.int('size') }),
  cost: (c, a) => localResponseNormCost(a.tensor('input'), c.size),
  forward: (_c, a) => {
    const input = a.tensor('input');
    if (input.shape.length < 3) fail(`Expected 3D or higher dimensionality input (got ${input.shape.length} dimensions)`, 'input');
    return result(tensor(input.shape, input.dtype));
  },
});

/**
 * SyncBatchNorm: a BatchNorm over any (N, C, *) input of at least 2 dims. PyTorch 1.13 runs it on GPU only;
 * the analysis assumes the model runs where its author meant it to.
 */
const syncBatchNorm = defineLayer<BatchNormConfig>({
  name: 'SyncBatchNorm',
  signature: [...batchNormSignature(false, true, true).slice(0, 5), { name: 'process_group', default: NONE }, ...deviceDtype],
  topic: 'batch-norm',
  configure: (a) => ({ numFeatures: a.int('num_features'), affine: a.flag('affine'), trackRunningStats: a.flag('track_running_stats') }),
  parameters: normParameters,
  forward: (c, a) => {
    const input = a.tensor('input');
    if (input.shape.length < 2) fail(`expected at least 2D input (got ${input.shape.length}D input)`, 'input');
    checkBatchNormChannels(input, c.numFeatures ?? 0, c.trackRunningStats ? 'running_mean' : 'weight');
    return result(tensor(input.shape, input.dtype));
  },
  cost: (c, a, q) => batchNormCost(a.tensor('input'), q.training || c.trackRunningStats === false),
  traits: { training: { kind: 'batch-statistics' } },
});

/** Every normalization resets the scale of what passes through it: it ends an init-variance chain. */
const normalization = <C>(entry: LayerEntry<C>): LayerEntry<C> => ({ ...entry, traits: { ...entry.traits, variance: { kind: 'normalization' }, keepsShape: true } });

const normFamily: readonly LayerEntry[] = [
  rmsNorm,
  syncBatchNorm,
  ...[1, 2, 3].flatMap((r) => [makeBatchNorm(r, false), makeBatchNorm(r, true), makeInstanceNorm(r), makeInstanceNorm(r, true)]),
  layerNorm,
  groupNorm,
  localResponseNorm,
];

export const normLayers: readonly LayerEntry[] = normFamily.map(normalization);

