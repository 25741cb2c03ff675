// torch.nn.functional counterparts of the layers. Each reuses its layer family's shape rule, so a layer and
// its F.* form can never disagree; config values that a layer gets in __init__ come from the call here
// (F.conv2d reads channels and kernel from the weight tensor).
import * as dims from '../../../dims/dims';
import type { Dim } from '../../../dims/dims';
import type { DataValue } from '../../../values';
import { NONE, bool, float, int, str, tensor } from '../../../values';
import type { ArgSpec, OpEntry } from '../../types';
import { type Args, defineOp, fail, giveUp, result } from '../define';
import { elementwiseOutput, gluShape, implicitSoftmaxDim } from '../activation';
import { multiHeadAttentionForward, scaledDotProductAttention, sdpaSignature } from '../attention';
import { type ConvConfig, convForward, convReceptiveField } from '../conv';
import { checkDropoutProbability } from '../dropout';
import { checkIndices, embeddingBagCount } from '../embedding';
import { linearForward } from '../linear';
import { lossOpEntries } from '../loss';
import { checkBatchNormChannels, checkLayerNormShape } from '../norm';
import { type PadMode, padShape } from '../padding';
import { adaptivePoolForward, fractionalPoolForward, maxUnpoolForward, poolForward, poolReceptiveField, readAdaptiveSize, readPoolConfig } from '../pool';
import { pixelShuffleReaders, pixelShuffleShape, pixelUnshuffleReaders, pixelUnshuffleShape } from '../shape_layers';
import { type InterpolateSpec, interpolateReaders, interpolateShape, readScale, readSize } from '../upsample';
import { normalizeDim } from '../shapes';
import { cosineSimilarityShape } from '../distance';
import { AUTOCAST_LOWER_ON_CUDA, adaptivePoolCost, batchNormCost, convCost, copyCost, dropoutCost, embeddingBagCost, embeddingCost, localResponseNormCost, lpPoolCost, maxUnpoolCost, rmsNormCost, groupStatsNormCost, layerNormCost, linearCost, namedUnaryCost, noGradCost, poolCost, scaledDotProductAttentionCost, softmaxCost, unaryCost } from '../costs';
import { numel } from '../shapes';

const F = (name: string) => `torch.nn.functional.${name}`;
const inplace: ArgSpec = { name: 'inplace', default: bool(false) };

/** Elementwise activations: F.<name>(input, <params>, inplace). torch.<name> too where torch has it. */
const ACTIVATIONS: ReadonlyArray<readonly [string, readonly ArgSpec[]]> = [
  ['relu', [inplace]],
  ['relu_', []],
  ['relu6', [inplace]],
  ['leaky_relu', [{ name: 'negative_slope', default: float(0.01) }, inplace]],
  ['leaky_relu_', [{ name: 'negative_slope', default: float(0.01) }]],
  ['elu', [{ name: 'alpha', default: float(1.0) }, inplace]],
  ['celu', [{ name: 'alpha', default: float(1.0) }, inplace]],
  ['selu', [inplace]],
  ['gelu', [{ name: 'approximate', default: str('none') }]],
  ['silu', [inplace]],
  ['mish', [inplace]],
  ['sigmoid', []],
  ['tanh', []],
  ['softplus', [{ name: 'beta', default: int(1) }, { name: 'threshold', default: int(20) }]],
  ['softsign', []],
  ['hardtanh', [{ name: 'min_val', default: float(-1.0) }, { name: 'max_val', default: float(1.0) }, inplace]],
  ['hardswish', [inplace]],
  ['hardsigmoid', [inplace]],
  ['tanhshrink', []],
  ['softshrink', [{ name: 'lambd', default: float(0.5) }]],
  ['hardshrink', [{ name: 'lambd', default: float(0.5) }]],
  ['threshold', [{ name: 'threshold' }, { name: 'value' }, inplace]],
  ['logsigmoid', []],
  ['rrelu', [{ name: 'lower', default: float(1 / 8) }, { name: 'upper', default: float(1 / 3) }, { name: 'training', default: bool(false) }, inplace]],
  // The in-place functional forms (F.elu_, ...) take the same parameters without inplace.
  ['elu_', [{ name: 'alpha', default: float(1.0) }]],
  ['celu_', [{ name: 'alpha', default: float(1.0) }]],
  ['selu_', []],
  ['hardtanh_', [{ name: 'min_val', default: float(-1.0) }, { name: 'max_val', default: float(1.0) }]],
  ['threshold_', [{ name: 'threshold' }, { name: 'value' }]],
  ['rrelu_', [{ name: 'lower', default: float(1 / 8) }, { name: 'upper', default: float(1 / 3) }, { name: 'training', default: bool(false) }]],
  ['gumbel_softmax', [{ name: 'tau', default: float(1) }, { name: 'hard', default: bool(false) }, { name: 'eps', default: float(1e-10) }, { name: 'dim', default: int(-1) }]],
  ['normalize', [{ name: 'p', default: float(2.0) }, { name: 'dim', default: int(1) }, { name: 'eps', default: float(1e-12) }, { name: 'out', default: NONE }]],
];

const activationOps: OpEntry[] = ACTIVATIONS.map(([name, rest]) =>
  defineOp({
    name: F(name),
    signature: [{ name: 'input' }, ...rest],
    apply: (a) => result(elementwiseOutput(a.value('input'))),
    cost: (a, q) => {
      const inPlace = name.endsWith('_') || (rest.some((r) => r.name === 'inplace') && a.bool('inplace'));
      return namedUnaryCost(name, q, 'input', inPlace);
    },
  }),
);

const softmaxOps: OpEntry[] = ['softmax', 'log_softmax', 'softmin'].map((name) =>
  defineOp({
    name: F(name),
    signature: [{ name: 'input' }, { name: 'dim', default: NONE }, { name: '_stacklevel', default: int(3) }, { name: 'dtype', default: NONE }],
    apply: (a) => {
      const t = a.tensor('input');
      normalizeDim(a.optInt('dim') ?? implicitSoftmaxDim(t.shape.length), t.shape.length);
      return result(tensor(t.shape, t.dtype));
    },
    cost: (_a, q) => softmaxCost(q),
  }),
);

const otherActivations: OpEntry[] = [
  defineOp({
    name: F('glu'),
    signature: [{ name: 'input' }, { name: 'dim', default: int(-1) }],
    apply: (a) => {
      const t = a.tensor('input');
      return result(tensor(gluShape(t.shape, a.int('dim')), t.dtype));
    },
    cost: (_a, q) => unaryCost('input', q),
  }),
  defineOp({
    name: F('prelu'),
    signature: [{ name: 'input' }, { name: 'weight' }],
    apply: (a) => result(elementwiseOutput(a.value('input'))),
    cost: (_a, q) => ({ ...unaryCost('input', q), autocast: AUTOCAST_LOWER_ON_CUDA }),
  }),
];

const dropoutOps: OpEntry[] = ['dropout', 'dropout1d', 'dropout2d', 'dropout3d', 'alpha_dropout', 'feature_alpha_dropout'].map((name) =>
  defineOp({
    name: F(name),
    signature: [{ name: 'input' }, { name: 'p', default: float(0.5) }, { name: 'training', default: bool(!name.includes('alpha')) }, inplace],
    apply: (a) => {
      checkDropoutProbability(a.float('p'));
      return result(elementwiseOutput(a.value('input')));
    },
    cost: (a, q) => dropoutCost(a.float('p'), a.bool('training'), a.bool('inplace'), q),
  }),
);

// ---------------------------------------------------------------------------------------------------
// Convolutions and linear maps, configured from their weight tensors.

function knownSizes(shape: readonly Dim[], what: string): number[] {
  return shape.map((d) => (typeof d === 'number' ? d : giveUp(`${what} has a symbolic size`)));
}

/** Reads an int-or-tuple argument as per-axis numbers. */
const axes = (a: Args, name: string, n: number): number[] => a.ints(name, n);

function functionalConvConfig(a: Args, rank: number, transposed: boolean): ConvConfig & { inChannels: number } {
  const weight = knownSizes(a.tensor('weight').shape, 'weight');
  if (weight.length !== rank + 2) fail(`Expected ${rank + 2}-dimensional weight for ${rank + 2}-dimensional input`, 'weight');
  const groups = a.int('groups');
  const kernel = weight.slice(2);
  const stride = axes(a, 'stride', rank);
  const dilation = axes(a, 'dilation', rank);
  let padding: number[];
  let rightPadding: number[];
  const paddingValue = a.value('padding');
  if (paddingValue?.kind === 'str' && !transposed) {
    if (paddingValue.value === 'valid') padding = rightPadding = Array<number>(rank).fill(0);
    else if (paddingValue.value === 'same') {
      if (stride.some((s) => s !== 1)) fail("padding='same' is not supported for strided convolutions", 'padding');
      padding = kernel.map((k, i) => Math.floor((dilation[i]! * (k - 1)) / 2));
      rightPadding = kernel.map((k, i) => dilation[i]! * (k - 1) - padding[i]!);
    } else return fail(`Invalid padding string '${paddingValue.value}', should be one of {'valid', 'same'}`, 'padding');
  } else {
    padding = axes(a, 'padding', rank);
    rightPadding = padding;
  }
  const [w0, w1] = weight as [number, number];
  const config: ConvConfig & { inChannels: number } = {
    spatialRank: rank,
    transposed,
    inChannels: transposed ? w0 : w1 * groups,
    outChannels: transposed ? w1 * groups : w0,
    kernel,
    stride,
    padding,
    rightPadding,
    dilation,
    outputPadding: transposed ? axes(a, 'output_padding', rank) : Array<number>(rank).fill(0),
    groups,
    bias: !a.isNone('bias'),
    paddingMode: 'zeros',
  };
  return config;
}

const functionalConv = (a: Args, rank: number, transposed: boolean) =>
  convForward(functionalConvConfig(a, rank, transposed), a.tensor('input'), `conv${transposed ? '_transpose' : ''}${rank}d`, a);

const convOps: OpEntry[] = [1, 2, 3].flatMap((rank) => [
  defineOp({
    name: F(`conv${rank}d`),
    signature: [
      { name: 'input' },
      { name: 'weight' },
      { name: 'bias', default: NONE },
      { name: 'stride', default: int(1) },
      { name: 'padding', default: int(0) },
      { name: 'dilation', default: int(1) },
      { name: 'groups', default: int(1) },
    ],
    apply: (a) => functionalConv(a, rank, false),
    receptiveField: (a) => convReceptiveField(functionalConvConfig(a, rank, false)),
    cost: (a, q) => convCost(!a.isNone('bias'), q),
  }),
  defineOp({
    name: F(`conv_transpose${rank}d`),
    signature: [
      { name: 'input' },
      { name: 'weight' },
      { name: 'bias', default: NONE },
      { name: 'stride', default: int(1) },
      { name: 'padding', default: int(0) },
      { name: 'output_padding', default: int(0) },
      { name: 'groups', default: int(1) },
      { name: 'dilation', default: int(1) },
    ],
    apply: (a) => functionalConv(a, rank, true),
    receptiveField: (a) => convReceptiveField(functionalConvConfig(a, rank, true)),
    cost: (a, q) => convCost(!a.isNone('bias'), q, true),
  }),
]);

const linearOp = defineOp({
  name: F('linear'),
  signature: [{ name: 'input' }, { name: 'weight' }, { name: 'bias', default: NONE }],
  apply: (a) => {
    const input = a.tensor('input');
    const weight = a.tensor('weight');
    if (weight.shape.length === 1) {
      // A 1-D weight maps the last dim to a scalar: y = x·w.
      const last = linearForward(input, weight.shape[0]!, 1);
      return { output: tensor(input.shape.slice(0, -1), input.dtype), macs: last.macs };
    }
    if (weight.shape.length !== 2) fail(`linear(): weight must be 1D or 2D, got ${weight.shape.length}D`, 'weight');
    return linearForward(input, weight.shape[1]!, weight.shape[0]!);
  },
  cost: (a, q) => linearCost(a.tensor('input'), !a.isNone('bias'), q),
});

// ---------------------------------------------------------------------------------------------------
// Pooling, interpolation, padding, normalisation, embedding.

const maxPoolSignature: readonly ArgSpec[] = [
  { name: 'input' },
  { name: 'kernel_size' },
  { name: 'stride', default: NONE },
  { name: 'padding', default: int(0) },
  { name: 'dilation', default: int(1) },
  { name: 'ceil_mode', default: bool(false) },
  { name: 'return_indices', default: bool(false) },
];

const poolOps: OpEntry[] = [1, 2, 3].flatMap((rank) => [
  defineOp({
    name: F(`max_pool${rank}d`),
    signature: maxPoolSignature,
    apply: (a) => poolForward(readPoolConfig(a, rank, { dilation: true, padding: true, returnIndices: true }), a.tensor('input'), 'max'),
    receptiveField: (a) => poolReceptiveField(readPoolConfig(a, rank, { dilation: true, padding: true, returnIndices: true })),
    cost: (a, q) => poolCost('max', a.tensor('input'), numel(readPoolConfig(a, rank, { dilation: true, padding: true, returnIndices: true }).kernel), q),
  }),
  defineOp({
    name: F(`avg_pool${rank}d`),
    signature: [
      { name: 'input' },
      { name: 'kernel_size' },
      { name: 'stride', default: NONE },
      { name: 'padding', default: int(0) },
      { name: 'ceil_mode', default: bool(false) },
      { name: 'count_include_pad', default: bool(true) },
      ...(rank > 1 ? [{ name: 'divisor_override', default: NONE }] : []),
    ],
    apply: (a) => poolForward(readPoolConfig(a, rank, { dilation: false, padding: true, returnIndices: false }), a.tensor('input'), 'avg'),
    receptiveField: (a) => poolReceptiveField(readPoolConfig(a, rank, { dilation: false, padding: true, returnIndices: false })),
    cost: (a, q) => poolCost('avg', a.tensor('input'), numel(readPoolConfig(a, rank, { dilation: false, padding: true, returnIndices: false }).kernel), q),
  }),
  defineOp({
    name: F(`adaptive_avg_pool${rank}d`),
    signature: [{ name: 'input' }, { name: 'output_size' }],
    apply: (a) => adaptivePoolForward(readAdaptiveSize(a.value('output_size'), rank), a.tensor('input'), false),
    cost: (a, q) => adaptivePoolCost('avg', a.tensor('input'), q),
  }),
  defineOp({
    name: F(`adaptive_max_pool${rank}d`),
    signature: [{ name: 'input' }, { name: 'output_size' }, { name: 'return_indices', default: bool(false) }],
    apply: (a) => adaptivePoolForward(readAdaptiveSize(a.value('output_size'), rank), a.tensor('input'), a.bool('return_indices')),
    cost: (a, q) => adaptivePoolCost('max', a.tensor('input'), q),
  }),
  defineOp({
    name: F(`lp_pool${rank}d`),
    ...(rank === 3 ? { since: '2.2.0' } : {}),
    signature: [{ name: 'input' }, { name: 'norm_type' }, { name: 'kernel_size' }, { name: 'stride', default: NONE }, { name: 'ceil_mode', default: bool(false) }],
    apply: (a) => poolForward(readPoolConfig(a, rank, { dilation: false, padding: false, returnIndices: false }), a.tensor('input'), 'avg'),
    receptiveField: (a) => poolReceptiveField(readPoolConfig(a, rank, { dilation: false, padding: false, returnIndices: false })),
    cost: (a, q) => lpPoolCost(a.tensor('input'), numel(readPoolConfig(a, rank, { dilation: false, padding: false, returnIndices: false }).kernel), q),
  }),
  // The *_with_indices forms always return (values, indices).
  defineOp({
    name: F(`max_pool${rank}d_with_indices`),
    signature: maxPoolSignature,
    apply: (a) => poolForward({ ...readPoolConfig(a, rank, { dilation: true, padding: true, returnIndices: true }), returnIndices: true }, a.tensor('input'), 'max'),
    receptiveField: (a) => poolReceptiveField(readPoolConfig(a, rank, { dilation: true, padding: true, returnIndices: true })),
  }),
  defineOp({
    name: F(`adaptive_max_pool${rank}d_with_indices`),
    signature: [{ name: 'input' }, { name: 'output_size' }, { name: 'return_indices', default: bool(false) }],
    apply: (a) => adaptivePoolForward(readAdaptiveSize(a.value('output_size'), rank), a.tensor('input'), true),
  }),
  defineOp({
    name: F(`max_unpool${rank}d`),
    signature: [{ name: 'input' }, { name: 'indices' }, { name: 'kernel_size' }, { name: 'stride', default: NONE }, { name: 'padding', default: int(0) }, { name: 'output_size', default: NONE }],
    apply: (a) => maxUnpoolForward(readPoolConfig(a, rank, { dilation: false, padding: true, returnIndices: false }), a.tensor('input'), a.tensor('indices'), a.isNone('output_size') ? undefined : a.sizes('output_size')),
    cost: (_a, q) => maxUnpoolCost(q),
  }),
  ...(rank > 1
    ? [`fractional_max_pool${rank}d`, `fractional_max_pool${rank}d_with_indices`].map((name) =>
        defineOp({
          name: F(name),
          signature: [{ name: 'input' }, { name: 'kernel_size' }, { name: 'output_size', default: NONE }, { name: 'output_ratio', default: NONE }, { name: 'return_indices', default: bool(name.endsWith('_with_indices')) }, { name: '_random_samples', default: NONE }],
          apply: (a) => fractionalPoolForward(rank, a, a.tensor('input')),
        }),
      )
    : []),
]);

const interpolateSpecOf = (a: Args): InterpolateSpec => ({
  size: readSize(a.value('size')),
  scale: readScale(a, 'scale_factor'),
  mode: a.str('mode'),
  alignCorners: a.isNone('align_corners') ? undefined : a.bool('align_corners'),
});

const interpolateOps: OpEntry[] = ['interpolate', 'upsample'].map((name) =>
  defineOp({
    name: F(name),
    signature: [
      { name: 'input' },
      { name: 'size', default: NONE },
      { name: 'scale_factor', default: NONE },
      { name: 'mode', default: str('nearest') },
      { name: 'align_corners', default: NONE },
      { name: 'recompute_scale_factor', default: NONE },
      ...(name === 'interpolate' ? [{ name: 'antialias', default: bool(false) }] : []),
    ],
    apply: (a) => {
      const t = a.tensor('input');
      return result(tensor(interpolateShape(t, interpolateSpecOf(a)), t.dtype));
    },
    cost: () => copyCost(),
    receptiveField: (a, sizes) => interpolateReaders(interpolateSpecOf(a), sizes),
  }),
);

const PAD_MODES: readonly PadMode[] = ['constant', 'reflect', 'replicate', 'circular'];

const padOp = defineOp({
  name: F('pad'),
  signature: [{ name: 'input' }, { name: 'pad' }, { name: 'mode', default: str('constant') }, { name: 'value', default: NONE }],
  apply: (a) => {
    const t = a.tensor('input');
    const mode = a.str('mode') as PadMode;
    if (!PAD_MODES.includes(mode)) fail(`Unrecognised padding mode ${mode}`, 'mode');
    return result(tensor(padShape(t, a.sizes('pad'), mode), t.dtype));
  },
  cost: () => copyCost(),
});

/** The length of a 1-D parameter tensor argument (running_mean, weight), when given. */
function vectorLength(v: DataValue | undefined): Dim | undefined {
  return v?.kind === 'tensor' && v.shape?.length === 1 ? v.shape[0] : undefined;
}

const normOps: OpEntry[] = [
  defineOp({
    name: F('layer_norm'),
    signature: [{ name: 'input' }, { name: 'normalized_shape' }, { name: 'weight', default: NONE }, { name: 'bias', default: NONE }, { name: 'eps', default: float(1e-5) }],
    apply: (a) => {
      const t = a.tensor('input');
      checkLayerNormShape(t, a.sizes('normalized_shape'));
      return result(tensor(t.shape, t.dtype));
    },
    cost: (a) => layerNormCost(a.tensor('input'), a.sizes('normalized_shape').length),
  }),
  defineOp({
    name: F('rms_norm'),
    since: '2.4.0',
    signature: [{ name: 'input' }, { name: 'normalized_shape' }, { name: 'weight', default: NONE }, { name: 'eps', default: NONE }],
    apply: (a) => {
      const t = a.tensor('input');
      checkLayerNormShape(t, a.sizes('normalized_shape'));
      return result(tensor(t.shape, t.dtype));
    },
    cost: (a) => rmsNormCost(a.tensor('input'), a.sizes('normalized_shape').length, !a.isNone('weight')),
  }),
  defineOp({
    name: F('batch_norm'),
    signature: [
      { name: 'input' },
      { name: 'running_mean' },
      { name: 'running_var' },
      { name: 'weight', default: NONE },
      { name: 'bias', default: NONE },
      { name: 'training', default: bool(false) },
      { name: 'momentum', default: float(0.1) },
      { name: 'eps', default: float(1e-5) },
    ],
    apply: (a) => {
      const t = a.tensor('input');
      const features = vectorLength(a.value('running_mean')) ?? vectorLength(a.value('weight'));
      if (features !== undefined) checkBatchNormChannels(t, features);
      return result(tensor(t.shape, t.dtype));
    },
    cost: (a) => batchNormCost(a.tensor('input'), a.bool('training')),
  }),
  defineOp({
    name: F('instance_norm'),
    signature: [
      { name: 'input' },
      { name: 'running_mean', default: NONE },
      { name: 'running_var', default: NONE },
      { name: 'weight', default: NONE },
      { name: 'bias', default: NONE },
      { name: 'use_input_stats', default: bool(true) },
      { name: 'momentum', default: float(0.1) },
      { name: 'eps', default: float(1e-5) },
    ],
    apply: (a) => result(elementwiseOutput(a.value('input'))),
    cost: (a) => {
      const t = a.tensor('input');
      return groupStatsNormCost(t, numel(t.shape.slice(0, 2)));
    },
  }),
  defineOp({
    name: F('group_norm'),
    signature: [{ name: 'input' }, { name: 'num_groups' }, { name: 'weight', default: NONE }, { name: 'bias', default: NONE }, { name: 'eps', default: float(1e-5) }],
    apply: (a) => {
      const t = a.tensor('input');
      const groups = a.int('num_groups');
      const channels = t.shape[1];
      if (typeof channels === 'number' && channels % groups !== 0) {
        fail(`Expected number of channels in input to be divisible by num_groups, but got input of shape [${t.shape.join(', ')}] and num_groups=${groups}`, 'input');
      }
      return result(tensor(t.shape, t.dtype));
    },
    cost: (a) => {
      const t = a.tensor('input');
      return groupStatsNormCost(t, numel([t.shape[0] ?? 1, a.int('num_groups')]));
    },
  }),
  defineOp({
    name: F('local_response_norm'),
    signature: [{ name: 'input' }, { name: 'size' }, { name: 'alpha', default: float(1e-4) }, { name: 'beta', default: float(0.75) }, { name: 'k', default: float(1.0) }],
    apply: (a) => result(elementwiseOutput(a.value('input'))),
    cost: (a) => localResponseNormCost(a.tensor('input'), a.int('size')),
  }),
];

const embeddingOps: OpEntry[] = [
  defineOp({
    name: F('embedding'),
    signature: [
      { name: 'input' },
      { name: 'weight' },
      { name: 'padding_idx', default: NONE },
      { name: 'max_norm', default: NONE },
      { name: 'norm_type', default: float(2.0) },
      { name: 'scale_grad_by_freq', default: bool(false) },
      { name: 'sparse', default: bool(false) },
    ],
    apply: (a) => {
      const input = a.tensor('input');
      const weight = a.tensor('weight');
      checkIndices(input);
      if (weight.shape.length !== 2) fail("'weight' must be 2-D", 'weight');
      return result(tensor([...input.shape, weight.shape[1]!], weight.dtype));
    },
    cost: (_a, q) => embeddingCost(q),
  }),
  defineOp({
    name: F('one_hot'),
    signature: [{ name: 'tensor' }, { name: 'num_classes', default: int(-1) }],
    apply: (a) => {
      const t = a.tensor('tensor');
      if (t.dtype !== 'int64' && t.dtype !== 'unknown') fail('one_hot is only applicable to index tensor.', 'tensor');
      const classes = a.dim('num_classes');
      if (classes === -1) return giveUp('one_hot without num_classes takes its size from the data (max + 1)');
      return result(tensor([...t.shape, classes], 'int64'));
    },
    cost: noGradCost,
  }),
];

const rearrangeOps: OpEntry[] = [
  defineOp({
    name: F('pixel_shuffle'),
    signature: [{ name: 'input' }, { name: 'upscale_factor' }],
    apply: (a) => {
      const t = a.tensor('input');
      return result(tensor(pixelShuffleShape(t.shape, a.int('upscale_factor')), t.dtype));
    },
    receptiveField: (a) => pixelShuffleReaders(a.int('upscale_factor')),
    cost: () => copyCost(),
  }),
  defineOp({
    name: F('pixel_unshuffle'),
    signature: [{ name: 'input' }, { name: 'downscale_factor' }],
    apply: (a) => {
      const t = a.tensor('input');
      return result(tensor(pixelUnshuffleShape(t.shape, a.int('downscale_factor')), t.dtype));
    },
    receptiveField: (a) => pixelUnshuffleReaders(a.int('downscale_factor')),
    cost: () => copyCost(),
  }),
  defineOp({
    name: F('cosine_similarity'),
    signature: [{ name: 'x1' }, { name: 'x2' }, { name: 'dim', default: int(1) }, { name: 'eps', default: float(1e-8) }],
    apply: (a) => {
      const x1 = a.tensor('x1');
      return result(tensor(cosineSimilarityShape(x1.shape, a.tensor('x2').shape, a.int('dim')), x1.dtype));
    },
  }),
];

/** Functional forms of layers whose shape rules live with the layer. */
const layerFunctionals: OpEntry[] = [
  defineOp({
    name: F('bilinear'),
    signature: [{ name: 'input1' }, { name: 'input2' }, { name: 'weight' }, { name: 'bias', default: NONE }],
    apply: (a) => {
      const w = a.tensor('weight');
      if (w.shape.length !== 3) fail(`bilinear(): weight must be 3-dimensional, got ${w.shape.length}`, 'weight');
      const [x1, x2] = [a.tensor('input1'), a.tensor('input2')];
      const [out, in1, in2] = w.shape as [Dim, Dim, Dim];
      const last1 = x1.shape[x1.shape.length - 1] ?? 0;
      const last2 = x2.shape[x2.shape.length - 1] ?? 0;
      if (dims.equal(last1, in1) === false) fail(`bilinear(): input1 size does not match weight size: got ${dims.formatDim(last1)} but expected ${dims.formatDim(in1)}`, 'input1');
      if (dims.equal(last2, in2) === false) fail(`bilinear(): input2 size does not match weight size: got ${dims.formatDim(last2)} but expected ${dims.formatDim(in2)}`, 'input2');
      const shape = [...x1.shape.slice(0, -1), out];
      return { output: tensor(shape, x1.dtype), macs: dims.mul(dims.product(shape), dims.mul(in1, in2)) };
    },
  }),
  ...['channel_shuffle', 'native_channel_shuffle'].map((name) =>
    defineOp({
      name: F(name),
      signature: [{ name: 'input' }, { name: 'groups' }],
      apply: (a) => {
        const t = a.tensor('input');
        const groups = a.int('groups');
        if (groups <= 0) fail(`Number of groups to divide channels in must be positive. Value of groups:${groups}`, 'groups');
        const channels = t.shape[1];
        if (typeof channels === 'number' && channels % groups !== 0) fail(`Number of channels must be divisible by groups. Got ${channels} channels and ${groups} groups.`, 'input');
        return result(tensor(t.shape, t.dtype));
      },
    }),
  ),
  // pdist of (N, M): the N·(N − 1)/2 pairwise distances.
  defineOp({
    name: F('pdist'),
    signature: [{ name: 'input' }, { name: 'p', default: float(2) }],
    apply: (a) => {
      const t = a.tensor('input');
      if (t.shape.length !== 2) fail(`pdist only supports 2D tensors, got: ${t.shape.length}D`, 'input');
      const n = t.shape[0]!;
      return result(tensor([typeof n === 'number' ? (n * (n - 1)) / 2 : dims.floorDiv(dims.mul(n, dims.sub(n, 1)), 2)], t.dtype));
    },
  }),
  // The deprecated upsample_* spellings of interpolate.
  ...(
    [
      ['upsample_nearest', 'nearest'],
      ['upsample_bilinear', 'bilinear'],
    ] as const
  ).map(([name, mode]) =>
    defineOp({
      name: F(name),
      signature: [{ name: 'input' }, { name: 'size', default: NONE }, { name: 'scale_factor', default: NONE }],
      apply: (a) => {
        const t = a.tensor('input');
        const spec = { size: readSize(a.value('size')), scale: readScale(a, 'scale_factor'), mode, alignCorners: mode === 'bilinear' ? true : undefined };
        return result(tensor(interpolateShape(t, spec), t.dtype));
      },
    }),
  ),
  // F.embedding_bag(input, weight, offsets, ...): one row of weight's width per bag.
  defineOp({
    name: F('embedding_bag'),
    signature: [
      { name: 'input' },
      { name: 'weight' },
      { name: 'offsets', default: NONE },
      { name: 'max_norm', default: NONE },
      { name: 'norm_type', default: float(2) },
      { name: 'scale_grad_by_freq', default: bool(false) },
      { name: 'mode', default: str('mean') },
      { name: 'sparse', default: bool(false) },
      { name: 'per_sample_weights', default: NONE },
      { name: 'include_last_offset', default: bool(false) },
      { name: 'padding_idx', default: NONE },
    ],
    apply: (a) => {
      const input = a.tensor('input');
      const weight = a.tensor('weight');
      if (weight.shape.length !== 2) fail(`weight has to be a 2D Tensor, but got Tensor of dimension ${weight.shape.length}`, 'weight');
      const bags = embeddingBagCount(a, input, a.bool('include_last_offset'));
      return result(tensor([bags, weight.shape[1]!], weight.dtype));
    },
    cost: (a, q) => {
      const mode = a.str('mode');
      if (!a.isNone('per_sample_weights') || (mode !== 'sum' && mode !== 'mean' && mode !== 'max')) throw new Error('what embedding_bag keeps with per_sample_weights is not modelled');
      const input = a.tensor('input');
      return embeddingBagCost(input, embeddingBagCount(a, input, a.bool('include_last_offset')), a.tensor('weight').shape[1]!, mode, !a.isNone('offsets'), q);
    },
  }),
  // conv_tbc(input (T, B, C_in), weight (K, C_in, C_out), bias, pad): time-batch-channel 1-D convolution.
  defineOp({
    name: F('conv_tbc'),
    signature: [{ name: 'input' }, { name: 'weight' }, { name: 'bias' }, { name: 'pad', default: int(0) }],
    apply: (a) => {
      const [x, w] = [a.tensor('input'), a.tensor('weight')];
      if (x.shape.length !== 3) fail('Input must have 3 dims: time, batch, in_channel', 'input');
      if (w.shape.length !== 3) fail('Weight tensor must have 3 dims: kernel_width, in_channels, out_channels.', 'weight');
      const [k, cin, cout] = w.shape as [Dim, Dim, Dim];
      if (dims.equal(x.shape[2]!, cin) === false) fail('Input dim 2 (input channels) is not == dim 1 in the weight tensor', 'input');
      const time = dims.add(dims.sub(x.shape[0]!, k), 2 * a.int('pad') + 1);
      const shape = [time, x.shape[1]!, cout];
      return { output: tensor(shape, x.dtype), macs: dims.mul(dims.product(shape), dims.mul(cin, k)) };
    },
  }),
];

const attentionOps: OpEntry[] = [
  multiHeadAttentionForward,
  defineOp({
    name: F('scaled_dot_product_attention'),
    since: '2.0.0',
    signature: sdpaSignature,
    apply: (a) => scaledDotProductAttention(a.tensor('query'), a.tensor('key'), a.tensor('value')),
    cost: (a, q) => scaledDotProductAttentionCost(a.tensor('query'), q),
  }),
];

export const functionalOps: readonly OpEntry[] = [
  ...activationOps,
  ...softmaxOps,
  ...otherActivations,
  ...dropoutOps,
  ...convOps,
  linearOp,
  ...poolOps,
  ...interpolateOps,
  padOp,
  ...normOps,
  ...embeddingOps,
  ...rearrangeOps,
  ...attentionOps,
  ...layerFunctionals,
  ...lossOpEntries,
];
