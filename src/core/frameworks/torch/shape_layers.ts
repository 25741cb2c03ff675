// Layers that only rearrange: Flatten, Unflatten, Identity, PixelShuffle, PixelUnshuffle, ChannelShuffle.
import * as dims from '../../dims/dims';
import type { Dim } from '../../dims/dims';
import { formatDim } from '../../dims/dims';
import { NONE, int, tensor } from '../../values';
import type { LayerEntry, ReceptiveFieldEffect } from '../types';
import { rational } from '../../formulas/rational';
import { type Args, defineLayer, fail, result, withLayerCost } from './define';
import { copyCost, viewCost } from './costs';
import { dimArith } from '../../dims/dimArith';
import { convOutputSize } from '../../formulas/conv';
import { flattenShape, unflattenShape } from './ops/shape';

const flatten = defineLayer<{ readonly start: number; readonly end: number }>({
  name: 'Flatten',
  signature: [
    { name: 'start_dim', default: int(1) },
    { name: 'end_dim', default: int(-1) },
  ],
  configure: (a) => ({ start: a.int('start_dim'), end: a.int('end_dim') }),
  forward: (c, a) => {
    const t = a.tensor('input');
    return result(tensor(flattenShape(t.shape, c.start, c.end), t.dtype));
  },
  traits: { variance: { kind: 'passThrough' }, grid: 'tokens' },
});

const unflatten = defineLayer<{ readonly dim: number; readonly sizes: readonly Dim[] }>({
  name: 'Unflatten',
  signature: [{ name: 'dim' }, { name: 'unflattened_size' }],
  configure: (a) => {
    const v = a.value('unflattened_size');
    if (v?.kind !== 'tuple' && v?.kind !== 'list') return fail('unflattened_size must be tuple of ints, but found type ' + (v?.kind ?? 'nothing'), 'unflattened_size');
    return { dim: a.int('dim'), sizes: a.sizes('unflattened_size') };
  },
  forward: (c, a) => {
    const t = a.tensor('input');
    return result(tensor(unflattenShape(t.shape, c.dim, c.sizes), t.dtype));
  },
  traits: { variance: { kind: 'passThrough' }, grid: 'tokens' },
});

const identity = defineLayer<null>({
  name: 'Identity',
  signature: [
    { name: 'args', variadic: true },
  ],
  configure: () => null,
  forward: (_c, a) => result(a.value('input') ?? NONE),
  traits: { variance: { kind: 'passThrough' }, keepsShape: true },
});

/** (*, C·r², H, W) → (*, C, H·r, W·r), PyTorch's divisibility message. */
export function pixelShuffleShape(shape: readonly Dim[], r: number): Dim[] {
  if (r <= 0) fail(`pixel_shuffle expects a positive upscale_factor, but got ${r}`, 'upscale_factor');
  if (shape.length < 3) fail(`pixel_shuffle expects input to have at least 3 dimensions, but got input with ${shape.length} dimension(s)`, 'input');
  const [c, h, w] = shape.slice(-3) as [Dim, Dim, Dim];
  if (typeof c === 'number' && c % (r * r) !== 0) {
    fail(`pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${c} is not divisible by ${r * r}`, 'input');
  }
  return [...shape.slice(0, -3), dims.floorDiv(c, r * r), dims.mul(h, r), dims.mul(w, r)];
}

/** (*, C, H·r, W·r) → (*, C·r², H, W). */
export function pixelUnshuffleShape(shape: readonly Dim[], r: number): Dim[] {
  if (r <= 0) fail(`pixel_unshuffle expects a positive downscale_factor, but got ${r}`, 'downscale_factor');
  if (shape.length < 3) fail(`pixel_unshuffle expects input to have at least 3 dimensions, but got input with ${shape.length} dimension(s)`, 'input');
  const [c, h, w] = shape.slice(-3) as [Dim, Dim, Dim];
  const check = (size: Dim, label: string) => {
    if (typeof size === 'number' && size % r !== 0) {
      fail(`pixel_unshuffle expects ${label} to be divisible by downscale_factor, but input.size(${label === 'height' ? -2 : -1})=${formatDim(size)} is not divisible by ${r}`, 'input');
    }
  };
  check(h, 'height');
  check(w, 'width');
  return [...shape.slice(0, -3), dims.mul(c, r * r), dims.floorDiv(h, r), dims.floorDiv(w, r)];
}

/** PixelShuffle(r): output row o comes from input row ⌊o/r⌋ (of one of r² channels). */
export const pixelShuffleReaders = (r: number): ReceptiveFieldEffect =>
  Array.from({ length: 2 }, () => ({ kind: 'resample', a: rational(1, r), b: rational(0), before: 0, after: 0, exactAtIntegers: false }));

/** PixelUnshuffle(r): output row o gathers input rows r·o … r·o + r − 1 (into r² channels). */
export const pixelUnshuffleReaders = (r: number): ReceptiveFieldEffect =>
  Array.from({ length: 2 }, () => ({ kind: 'window', kernel: r, stride: r, padding: 0, dilation: 1 }));

const pixelShuffle = defineLayer<{ readonly r: number }>({
  name: 'PixelShuffle',
  signature: [{ name: 'upscale_factor' }],
  configure: (a) => ({ r: a.int('upscale_factor') }),
  forward: (c, a) => {
    const t = a.tensor('input');
    return result(tensor(pixelShuffleShape(t.shape, c.r), t.dtype));
  },
  receptiveField: (c) => (c.r > 0 ? pixelShuffleReaders(c.r) : undefined),
});

const pixelUnshuffle = defineLayer<{ readonly r: number }>({
  name: 'PixelUnshuffle',
  signature: [{ name: 'downscale_factor' }],
  configure: (a) => ({ r: a.int('downscale_factor') }),
  forward: (c, a) => {
    const t = a.tensor('input');
    return result(tensor(pixelUnshuffleShape(t.shape, c.r), t.dtype));
  },
  receptiveField: (c) => (c.r > 0 ? pixelUnshuffleReaders(c.r) : undefined),
});

const channelShuffle = defineLayer<{ readonly groups: number }>({
  name: 'ChannelShuffle',
  signature: [{ name: 'groups' }],
  configure: (a) => {
    const groups = a.int('groups');
    if (groups <= 0) fail(`Number of groups to divide channels in must be positive. Value of groups:${groups}`, 'groups');
    return { groups };
  },
  forward: (c, a) => {
    const t = a.tensor('input');
    const channels = t.shape[1];
    if (typeof channels === 'number' && channels % c.groups !== 0) {
      fail(`Number of channels must be divisible by groups. Got ${channels} channels and ${c.groups} groups.`, 'input');
    }
    return result(tensor(t.shape, t.dtype));
  },
});

export interface SlidingBlocks {
  readonly kernel: readonly number[];
  readonly dilation: readonly number[];
  readonly padding: readonly number[];
  readonly stride: readonly number[];
}

export function readSlidingBlocks(a: Args): SlidingBlocks {
  const blocks = { kernel: a.ints('kernel_size', 2), dilation: a.ints('dilation', 2), padding: a.ints('padding', 2), stride: a.ints('stride', 2) };
  if ([...blocks.kernel, ...blocks.dilation, ...blocks.stride].some((x) => x <= 0)) fail('kernel_size, dilation and stride must be greater than zero');
  if (blocks.padding.some((p) => p < 0)) fail('padding must be non-negative', 'padding');
  return blocks;
}

/** Sliding positions per axis: ⌊(L + 2P − D(K − 1) − 1)/S⌋ + 1, the conv output size. */
const blockCounts = (spatial: readonly Dim[], b: SlidingBlocks): Dim[] =>
  spatial.map((l, i) => convOutputSize(dimArith, { size: l, kernel: b.kernel[i]!, stride: b.stride[i]!, padding: b.padding[i]!, dilation: b.dilation[i]! }));

/** Unfold (im2col): (N, C, H, W) or (C, H, W) → (N, C·ΠK, L), L the number of sliding blocks. */
export function unfoldShape(shape: readonly Dim[], b: SlidingBlocks): Dim[] {
  if (shape.length !== 3 && shape.length !== 4) fail(`Input Error: Only 3D or 4D input Tensors are supported (got ${shape.length}D)`, 'input');
  const lead = shape.slice(0, shape.length - 3);
  const channels = shape[shape.length - 3]!;
  return [...lead, dims.mul(channels, b.kernel[0]! * b.kernel[1]!), dims.product(blockCounts(shape.slice(-2), b))];
}

/** Fold (col2im): (N, C·ΠK, L) or (C·ΠK, L) → (N, C, *output_size), with PyTorch's two checks. */
export function foldShape(shape: readonly Dim[], outputSize: readonly number[], b: SlidingBlocks): Dim[] {
  if (shape.length !== 2 && shape.length !== 3) fail(`Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported (got ${shape.length}D)`, 'input');
  const lead = shape.slice(0, shape.length - 2);
  const [columns, count] = shape.slice(-2) as [Dim, Dim];
  const kernelVolume = b.kernel[0]! * b.kernel[1]!;
  const pair = (xs: readonly number[]) => `(${xs.join(', ')})`;
  if (typeof columns === 'number' && columns % kernelVolume !== 0) {
    fail(`Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)=${columns} and kernel_size=${pair(b.kernel)}.`, 'input');
  }
  const blocks = blockCounts(outputSize, b);
  const expected = dims.product(blocks);
  if (dims.equal(expected, count) === false) {
    fail(
      `Given output_size=${pair(outputSize)}, kernel_size=${pair(b.kernel)}, dilation=${pair(b.dilation)}, padding=${pair(b.padding)}, stride=${pair(b.stride)}, expected size of input's dimension 2 to match the calculated number of sliding blocks ${blocks.map(formatDim).join(' * ')} = ${formatDim(expected)}, but got input.size(2)=${formatDim(count)}.`,
      'input',
    );
  }
  return [...lead, dims.floorDiv(columns, kernelVolume), ...outputSize];
}

const slidingSignature = [
  { name: 'dilation', default: int(1) },
  { name: 'padding', default: int(0) },
  { name: 'stride', default: int(1) },
];

const unfold = defineLayer<SlidingBlocks>({
  name: 'Unfold',
  signature: [{ name: 'kernel_size' }, ...slidingSignature],
  configure: readSlidingBlocks,
  forward: (c, a) => {
    const t = a.tensor('input');
    return result(tensor(unfoldShape(t.shape, c), t.dtype));
  },
});

const fold = defineLayer<SlidingBlocks & { readonly outputSize: readonly number[] }>({
  name: 'Fold',
  signature: [{ name: 'output_size' }, { name: 'kernel_size' }, ...slidingSignature],
  configure: (a) => ({ ...readSlidingBlocks(a), outputSize: a.ints('output_size', 2) }),
  forward: (c, a) => {
    const t = a.tensor('input');
    return result(tensor(foldShape(t.shape, c.outputSize, c), t.dtype));
  },
});

// Flatten and Unflatten are reshapes (views when strides allow), Identity returns its input; the others copy.
export const shapeLayers: readonly LayerEntry[] = [
  withLayerCost(flatten, () => viewCost('input', { kind: 'reshape', copyIfNeeded: true })),
  withLayerCost(unflatten, () => viewCost('input', { kind: 'reshape', copyIfNeeded: true })),
  withLayerCost(identity, () => viewCost('input', { kind: 'alias' })),
  ...[pixelShuffle, pixelUnshuffle, channelShuffle, unfold, fold].map((entry) => withLayerCost<unknown>(entry, () => copyCost())),
];
