// Conv1d/2d/3d, ConvTranspose1d/2d/3d and their Lazy forms, plus the shared conv forward that
// F.conv*d reuses. Output sizes, MACs and receptive-field steps come from formulas/conv.ts.
import type { Dim } from '../../dims/dims';
import { formatDim } from '../../dims/dims';
import { dimArith } from '../../dims/dimArith';
import { convMacs, convOutputSize, convTransposeOutputSize, samePadding } from '../../formulas/conv';
import { NONE, bool, int, str, tensor } from '../../values';
import type { ArgSpec, ForwardResult, LayerCalculators, LayerEntry, LayerTraits, ParameterTensor, ReceptiveFieldEffect } from '../types';
import { type Args, type Flag, type KnownTensor, defineLayer, fail, failAssuming, flagged, giveUp, shapeText } from './define';
import { convCost } from './costs';
import { defaultWeightInit, fanInUniform } from './init';
import { expectRank, provablyDifferent } from './shapes';
import * as dims from '../../dims/dims';

export interface ConvConfig {
  readonly spatialRank: number;
  readonly transposed: boolean;
  /** Undefined only for a Lazy conv before its first call. */
  readonly inChannels: number | undefined;
  readonly outChannels: number;
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  /** Left padding per axis; with 'same' the right side may get one more (rightPadding). */
  readonly padding: readonly number[];
  readonly rightPadding: readonly number[];
  readonly dilation: readonly number[];
  readonly outputPadding: readonly number[];
  readonly groups: number;
  readonly bias: Flag;
  readonly paddingMode: string;
}

const PADDING_MODES = ['zeros', 'reflect', 'replicate', 'circular'];

const deviceDtype: readonly ArgSpec[] = [
  { name: 'device', default: NONE },
  { name: 'dtype', default: NONE },
];

const convSignature = (lazy: boolean): ArgSpec[] => [
  ...(lazy ? [] : [{ name: 'in_channels' }]),
  { name: 'out_channels' },
  { name: 'kernel_size' },
  { name: 'stride', default: int(1) },
  { name: 'padding', default: int(0) },
  { name: 'dilation', default: int(1) },
  { name: 'groups', default: int(1) },
  { name: 'bias', default: bool(true) },
  { name: 'padding_mode', default: str('zeros') },
  ...deviceDtype,
];

const convTransposeSignature = (lazy: boolean): ArgSpec[] => [
  ...(lazy ? [] : [{ name: 'in_channels' }]),
  { name: 'out_channels' },
  { name: 'kernel_size' },
  { name: 'stride', default: int(1) },
  { name: 'padding', default: int(0) },
  { name: 'output_padding', default: int(0) },
  { name: 'groups', default: int(1) },
  { name: 'bias', default: bool(true) },
  { name: 'dilation', default: int(1) },
  { name: 'padding_mode', default: str('zeros') },
  ...deviceDtype,
];

function configureConv(args: Args, spatialRank: number, transposed: boolean, lazy: boolean, owner: string): ConvConfig {
  const inChannels = lazy ? undefined : args.int('in_channels');
  const outChannels = args.int('out_channels');
  const groups = args.int('groups');
  const kernel = args.ints('kernel_size', spatialRank);
  const stride = args.ints('stride', spatialRank);
  const dilation = args.ints('dilation', spatialRank);
  const paddingMode = args.str('padding_mode');
  if (groups <= 0) fail('groups must be a positive integer', 'groups');
  if (kernel.some((k) => k <= 0)) fail('kernel size should be greater than zero', 'kernel_size');
  if (stride.some((s) => s <= 0)) fail('non-positive stride is not supported', 'stride');
  if (dilation.some((d) => d <= 0)) fail('dilation should be greater than zero', 'dilation');
  if (inChannels !== undefined && inChannels % groups !== 0) fail('in_channels must be divisible by groups', 'in_channels');
  if (outChannels % groups !== 0) fail('out_channels must be divisible by groups', 'out_channels');
  if (!PADDING_MODES.includes(paddingMode)) {
    fail(`padding_mode must be one of {'replicate', 'zeros', 'circular', 'reflect'}, but got padding_mode='${paddingMode}'`, 'padding_mode');
  }
  if (transposed && paddingMode !== 'zeros') fail(`Only "zeros" padding mode is supported for ${owner}`, 'padding_mode');
  let padding: number[];
  let rightPadding: number[];
  const paddingValue = args.value('padding');
  if (paddingValue?.kind === 'str' && !transposed) {
    if (paddingValue.value === 'valid') {
      padding = Array<number>(spatialRank).fill(0);
      rightPadding = padding;
    } else if (paddingValue.value === 'same') {
      if (stride.some((s) => s !== 1)) fail("padding='same' is not supported for strided convolutions", 'padding');
      const sides = kernel.map((k, i) => samePadding(k, dilation[i]!));
      padding = sides.map((s) => s.left);
      rightPadding = sides.map((s) => s.right);
    } else {
      return fail(`Invalid padding string '${paddingValue.value}', should be one of {'valid', 'same'}`, 'padding');
    }
  } else {
    padding = args.ints('padding', spatialRank);
    if (padding.some((p) => p < 0)) fail('negative padding is not supported', 'padding');
    rightPadding = padding;
  }
  const outputPadding = transposed ? args.ints('output_padding', spatialRank) : Array<number>(spatialRank).fill(0);
  return {
    spatialRank,
    transposed,
    inChannels,
    outChannels,
    kernel,
    stride,
    padding,
    rightPadding,
    dilation,
    outputPadding,
    groups,
    bias: args.flag('bias'),
    paddingMode,
  };
}

/** Weight shape: (C_out, C_in/g, *K) for conv, (C_in, C_out/g, *K) for transposed conv. */
export function convWeightShape(c: ConvConfig, inChannels: number): number[] {
  return c.transposed ? [inChannels, c.outChannels / c.groups, ...c.kernel] : [c.outChannels, inChannels / c.groups, ...c.kernel];
}

function convParameters(c: ConvConfig): ParameterTensor[] {
  if (c.inChannels === undefined) return [];
  const weight = convWeightShape(c, c.inChannels);
  // PyTorch's fan_in for kaiming is weight.size(1)·ΠK (C_out/g for transposed convs); fan_out is size(0)·ΠK.
  const receptive = c.kernel.reduce((p, k) => p * k, 1);
  const fanIn = weight[1]! * receptive;
  const fanOut = weight[0]! * receptive;
  return [{ name: 'weight', shape: weight, init: defaultWeightInit(fanIn, fanOut) }, ...flagged(c.bias, [{ name: 'bias', shape: [c.outChannels], init: fanInUniform(fanIn) }])];
}

const xSep = (xs: readonly Dim[]): string => xs.map(formatDim).join(' x ');

/** The conv forward shared by nn.ConvNd and F.convNd: checks the input and computes the output and MACs. */
export function convForward(c: ConvConfig & { readonly inChannels: number }, input: KnownTensor, owner: string, args: Args, outputSize?: readonly Dim[]): ForwardResult {
  const n = c.spatialRank;
  const shape = input.shape;
  // Before PyTorch 1.11 a conv took only batched input, with the message of that release.
  if (!args.has('unbatchedConvInput') && shape.length !== n + 2) {
    const weight = convWeightShape(c, c.inChannels);
    fail(`Expected ${n + 2}-dimensional input for ${n + 2}-dimensional weight ${shapeText(weight)}, but got ${shape.length}-dimensional input of size ${shapeText(shape)} instead`, 'input');
  }
  if (shape.length !== n + 1 && shape.length !== n + 2) {
    fail(`Expected ${n + 1}D (unbatched) or ${n + 2}D (batched) input to ${owner}, but got input of size: ${shapeText(shape)}`, 'input');
  }
  const batched = shape.length === n + 2;
  const channels = shape[batched ? 1 : 0]!;
  const spatial = shape.slice(batched ? 2 : 1);
  const weight = convWeightShape(c, c.inChannels);
  const spatialOut = (): Dim[] => (c.transposed ? transposedSpatial(c, spatial, outputSize) : convSpatial(c, spatial));
  if (provablyDifferent(channels, c.inChannels)) {
    const shown = batched ? shape : [1, ...shape];
    const message = `Given ${c.transposed ? 'transposed=1' : `groups=${c.groups}`}, weight of size ${shapeText(weight)}, expected input${shapeText(shown)} to have ${c.inChannels} channels, but got ${formatDim(channels)} channels instead`;
    let assumed: Dim[] | undefined;
    try {
      assumed = [...(batched ? [shape[0]!] : []), c.outChannels, ...spatialOut()];
    } catch {
      // The spatial sizes fail too: nothing sensible to go on with.
    }
    if (assumed) failAssuming(message, 'input', tensor(assumed, input.dtype));
    fail(message, 'input');
  }
  const out = spatialOut();
  const outShape = [...(batched ? [shape[0]!] : []), c.outChannels, ...out];
  const macs = c.transposed
    ? dims.mul(dims.product(shape), (c.outChannels / c.groups) * c.kernel.reduce((p, k) => p * k, 1))
    : dims.mul(batched ? shape[0]! : 1, convMacs(dimArith, out, c.inChannels, c.outChannels, c.kernel, c.groups));
  return { output: tensor(outShape, input.dtype), macs };
}

function convSpatial(c: ConvConfig, spatial: readonly Dim[]): Dim[] {
  const padded = spatial.map((l, i) => dims.add(l, c.padding[i]! + c.rightPadding[i]!));
  const effective = c.kernel.map((k, i) => c.dilation[i]! * (k - 1) + 1);
  if (padded.some((p, i) => dims.greaterOrEqual(p, effective[i]!) === false)) {
    fail(`Calculated padded input size per channel: (${xSep(padded)}). Kernel size: (${xSep(effective)}). Kernel size can't be greater than actual input size`, 'input');
  }
  // 'same' may pad one more on the right: the span then grows by that extra element.
  return spatial.map((l, i) =>
    convOutputSize(dimArith, {
      size: dims.add(l, c.rightPadding[i]! - c.padding[i]!),
      kernel: c.kernel[i]!,
      stride: c.stride[i]!,
      padding: c.padding[i]!,
      dilation: c.dilation[i]!,
    }),
  );
}

function transposedSpatial(c: ConvConfig, spatial: readonly Dim[], outputSize?: readonly Dim[]): Dim[] {
  const bad = c.outputPadding.some((op, i) => op >= c.stride[i]! && op >= c.dilation[i]!);
  if (bad) {
    const axes = c.spatialRank === 1 ? [''] : c.spatialRank === 2 ? ['_height', '_width'] : ['_depth', '_height', '_width'];
    const part = (label: string, xs: readonly number[]) => axes.map((a, i) => `${label}${a}: ${xs[i]}`).join(' ');
    fail(
      `output padding must be smaller than either stride or dilation, but got ${part('output_padding', c.outputPadding)} ${part('stride', c.stride)} ${part('dilation', c.dilation)}`,
      'output_padding',
    );
  }
  const base = spatial.map((l, i) =>
    convTransposeOutputSize(dimArith, {
      size: l,
      kernel: c.kernel[i]!,
      stride: c.stride[i]!,
      padding: c.padding[i]!,
      dilation: c.dilation[i]!,
      outputPadding: c.outputPadding[i]!,
    }),
  );
  if (!outputSize) return base;
  // forward(input, output_size): PyTorch picks the output padding that reaches the requested size.
  const requested = outputSize.slice(-c.spatialRank);
  if (requested.length !== c.spatialRank) fail(`output_size must have ${c.spatialRank} or ${c.spatialRank + 2} elements`, 'output_size');
  requested.forEach((r, i) => {
    const min = dims.sub(base[i]!, c.outputPadding[i]!);
    const extra = dims.sub(r, min);
    if (typeof extra === 'number' && (extra < 0 || extra >= Math.max(c.stride[i]!, c.dilation[i]!))) {
      fail(`requested an output size of ${shapeText(requested)}, but valid sizes range from ${shapeText(base.map((b, j) => dims.sub(b, c.outputPadding[j]!)))}`, 'output_size');
    }
  });
  return [...requested];
}

/** A conv reads a strided window; a transposed conv reads the inputs whose scattered window covers the output. */
export function convReceptiveField(c: ConvConfig): ReceptiveFieldEffect {
  return c.kernel.map((kernel, i) => ({
    kind: c.transposed ? 'transposed' : 'window',
    kernel,
    stride: c.stride[i]!,
    padding: c.padding[i]!,
    dilation: c.dilation[i]!,
  }));
}

function requireInChannels(c: ConvConfig): ConvConfig & { readonly inChannels: number } {
  if (c.inChannels === undefined) return giveUp('lazy module used before its input size is known');
  return c as ConvConfig & { readonly inChannels: number };
}

/** The spatial axes' symbols of an example input, by spatial rank: (L), (H, W), (D, H, W). */
const SPATIAL_SYMBOLS: Readonly<Record<number, readonly string[]>> = { 1: ['L'], 2: ['H', 'W'], 3: ['D', 'H', 'W'] };

function convTraits(spatialRank: number, transposed: boolean, lazy: boolean): LayerTraits {
  const perAxis = ['kernel_size', 'stride', 'padding', 'dilation', ...(transposed ? ['output_padding'] : [])];
  const calculators: LayerCalculators = transposed
    ? { ids: ['convtranspose-out', 'conv-padding'], fixed: { transposed: 'true' } }
    : { ids: ['conv-out', 'conv-params'], fixed: { dims: String(spatialRank) } };
  return {
    grid: 'windows',
    // PyTorch stores kernel_size, stride, padding, dilation (and output_padding) as tuples; padding='same' stays a string.
    tupleAttributes: Object.fromEntries(perAxis.map((name) => [name, spatialRank])),
    ...(lazy ? {} : { inputSize: { argument: 'in_channels', axis: 'channel' } as const, calculators }),
    exampleInput: (args) => {
      const channels = args['in_channels'];
      return channels?.kind === 'int' ? [[dims.sym('B'), channels.value, ...(SPATIAL_SYMBOLS[spatialRank] ?? []).map(dims.sym)]] : undefined;
    },
    variance: { kind: 'dense', chained: !transposed },
    spatialRank,
    ...(transposed || lazy ? {} : { fans: { inputs: 'in_channels', outputs: 'out_channels', kernel: { argument: 'kernel_size', rank: spatialRank } } }),
  };
}

function makeConv(spatialRank: number, transposed: boolean, lazy: boolean): LayerEntry<ConvConfig> {
  const base = `${transposed ? 'ConvTranspose' : 'Conv'}${spatialRank}d`;
  const name = `${lazy ? 'Lazy' : ''}${base}`;
  const signature = transposed ? convTransposeSignature(lazy) : convSignature(lazy);
  return defineLayer<ConvConfig>({
    name,
    signature,
    forwardSignature: transposed ? [{ name: 'input' }, { name: 'output_size', default: NONE }] : [{ name: 'input' }],
    topic: transposed ? 'unet' : 'conv-output-size',
    configure: (args) => configureConv(args, spatialRank, transposed, lazy, base),
    parameters: convParameters,
    forward: (c, args) => {
      const input = args.tensor('input');
      const outputSize = transposed && !args.isNone('output_size') ? args.sizes('output_size') : undefined;
      return convForward(requireInChannels(c), input, `conv${transposed ? '_transpose' : ''}${spatialRank}d`, args, outputSize);
    },
    receptiveField: convReceptiveField,
    cost: (c, _args, q) => convCost(c.bias !== false, q, c.transposed),
    traits: convTraits(spatialRank, transposed, lazy),
    ...(lazy
      ? {
          materialize: (c: ConvConfig, args: Args): ConvConfig => {
            if (c.inChannels !== undefined) return c;
            const input = args.tensor('input');
            expectRank(input.shape, [spatialRank + 1, spatialRank + 2]);
            const channels = input.shape[input.shape.length === spatialRank + 2 ? 1 : 0]!;
            if (typeof channels !== 'number') return giveUp(`${name}: the input's channel count is not known`);
            if (channels % c.groups !== 0) fail('in_channels must be divisible by groups', 'input');
            return { ...c, inChannels: channels };
          },
        }
      : {}),
  });
}

export const convLayers: readonly LayerEntry<ConvConfig>[] = [1, 2, 3].flatMap((rank) => [
  makeConv(rank, false, false),
  makeConv(rank, true, false),
  makeConv(rank, false, true),
  makeConv(rank, true, true),
]);
