// Upsample, UpsamplingNearest2d, UpsamplingBilinear2d and the shared F.interpolate shape rule:
// each spatial size is `size` or ⌊L·scale_factor⌋ (PyTorch 1.13 computes floor(float(L)·scale)).
import * as dims from '../../dims/dims';
import type { Dim } from '../../dims/dims';
import type { DataValue } from '../../values';
import { NONE, str, tensor } from '../../values';
import type { LayerEntry, ReceptiveFieldEffect, SpatialSizes } from '../types';
import type { AxisReader } from '../../formulas/receptiveField';
import { type Rational, rational, ratDiv, ratFromNumber, ratSub } from '../../formulas/rational';
import { type Args, type KnownTensor, defineLayer, fail, giveUp, result, toDim, withLayerCost } from './define';
import { copyCost } from './costs';

/** Spatial rank each mode needs (undefined: any of 1-3). */
const MODE_RANK: Readonly<Record<string, number | undefined>> = {
  nearest: undefined,
  'nearest-exact': undefined,
  area: undefined,
  linear: 1,
  bilinear: 2,
  bicubic: 2,
  trilinear: 3,
};
const INTERPOLATING = ['linear', 'bilinear', 'bicubic', 'trilinear'];

export interface InterpolateSpec {
  readonly size: readonly Dim[] | Dim | undefined;
  readonly scale: readonly number[] | number | undefined;
  readonly mode: string;
  readonly alignCorners: boolean | undefined;
}

/** ⌊L·s⌋ for a size L that may be symbolic: exact for integer s and 1/s, else through a small rational. */
export function scaleSize(size: Dim, scale: number): Dim {
  if (!Number.isFinite(scale) || scale <= 0) fail(`scale_factor must be a positive finite number, got ${scale}`, 'scale_factor');
  if (typeof size === 'number') return Math.floor(size * scale);
  if (Number.isInteger(scale)) return dims.mul(size, scale);
  const inverse = 1 / scale;
  if (Number.isInteger(inverse)) return dims.floorDiv(size, inverse);
  for (let q = 2; q <= 64; q++) {
    const p = Math.round(scale * q);
    if (Math.abs(p / q - scale) < 1e-12) return dims.floorDiv(dims.mul(size, p), q);
  }
  return giveUp(`scale_factor ${scale} applied to a symbolic size`);
}

export function interpolateShape(input: KnownTensor, spec: InterpolateSpec): Dim[] {
  const rank = input.shape.length;
  if (!(spec.mode in MODE_RANK)) fail(`Input Error: ${spec.mode} is not a supported interpolation mode`, 'mode');
  if (spec.alignCorners !== undefined && !INTERPOLATING.includes(spec.mode)) {
    fail('align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear', 'align_corners');
  }
  if (spec.size !== undefined && spec.scale !== undefined) fail('only one of size or scale_factor should be defined', 'size');
  if (spec.size === undefined && spec.scale === undefined) fail('either size or scale_factor should be defined', 'size');
  if (rank < 3 || rank > 5) {
    fail(`Input Error: Only 3D, 4D and 5D input Tensors supported (got ${rank}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got ${spec.mode})`, 'input');
  }
  const spatialRank = rank - 2;
  const needed = MODE_RANK[spec.mode];
  if (needed !== undefined && needed !== spatialRank) fail(`Got ${rank}D input, but ${spec.mode} mode needs ${needed + 2}D input`, 'input');
  const spatial = input.shape.slice(2);
  let out: Dim[];
  if (spec.size !== undefined) {
    const sizes = Array.isArray(spec.size) ? (spec.size as readonly Dim[]) : Array<Dim>(spatialRank).fill(spec.size as Dim);
    if (sizes.length !== spatialRank) {
      fail(`Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of [${spatial.map(dims.formatDim).join(', ')}] and output size of [${sizes.map(dims.formatDim).join(', ')}].`, 'size');
    }
    out = [...sizes];
  } else {
    const scales = Array.isArray(spec.scale) ? (spec.scale as readonly number[]) : Array<number>(spatialRank).fill(spec.scale as number);
    if (scales.length !== spatialRank) {
      fail(`Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of [${spatial.map(dims.formatDim).join(', ')}] and scale_factor of shape (${scales.join(', ')}).`, 'scale_factor');
    }
    out = spatial.map((l, i) => scaleSize(l, scales[i]!));
  }
  return [...input.shape.slice(0, 2), ...out];
}

/** Taps around ⌊x⌋ each mode reads, and whether an interpolating mode reads only ⌊x⌋ where x is an integer. */
const MODE_TAPS: Readonly<Record<string, { before: number; after: number; exactAtIntegers: boolean } | undefined>> = {
  nearest: { before: 0, after: 0, exactAtIntegers: false },
  'nearest-exact': { before: 0, after: 0, exactAtIntegers: false },
  linear: { before: 0, after: 1, exactAtIntegers: true },
  bilinear: { before: 0, after: 1, exactAtIntegers: true },
  trilinear: { before: 0, after: 1, exactAtIntegers: true },
  bicubic: { before: 1, after: 2, exactAtIntegers: true },
};

/**
 * How F.interpolate reads its input along each axis, by PyTorch's source-index rules (ATen UpSample.h):
 * the step a = 1/scale_factor when a scale is given, else in/out, or (in − 1)/(out − 1) with
 * align_corners; the source x = a·o (nearest), a·(o + ½) (nearest-exact), a·(o + ½) − ½ (linear, cubic)
 * or a·o (align_corners). 'area' (adaptive average pooling) and symbolic sizes are not followed.
 */
export function interpolateReaders(spec: InterpolateSpec, sizes: SpatialSizes | undefined): ReceptiveFieldEffect | undefined {
  const taps = MODE_TAPS[spec.mode];
  if (!taps || !sizes) return undefined;
  const readers: AxisReader[] = [];
  for (let i = 0; i < sizes.input.length; i++) {
    const inSize = sizes.input[i];
    const outSize = sizes.output[i];
    const scale = Array.isArray(spec.scale) ? (spec.scale as readonly number[])[i] : (spec.scale as number | undefined);
    let a: Rational | undefined;
    let b: Rational = rational(0);
    if (spec.alignCorners === true) {
      if (typeof inSize !== 'number' || typeof outSize !== 'number') return undefined;
      a = outSize > 1 ? rational(inSize - 1, outSize - 1) : rational(0);
    } else {
      const factor = scale !== undefined ? ratFromNumber(scale) : undefined;
      if (factor) a = ratDiv(rational(1), factor);
      else if (typeof inSize === 'number' && typeof outSize === 'number' && outSize > 0) a = rational(inSize, outSize);
      if (!a) return undefined;
      if (spec.mode === 'nearest-exact') b = ratDiv(a, rational(2));
      else if (spec.mode !== 'nearest') b = ratSub(ratDiv(a, rational(2)), rational(1, 2));
    }
    readers.push({ kind: 'resample', a, b, ...taps });
  }
  return readers;
}

/** Reads size (int or tuple, maybe symbolic) from an argument. */
export function readSize(v: DataValue | undefined): readonly Dim[] | Dim | undefined {
  if (v === undefined || v.kind === 'none') return undefined;
  if (v.kind === 'tuple' || v.kind === 'list') return v.items.map((item, i) => toDim(item, `size[${i}]`, 'size'));
  return toDim(v, 'size', 'size');
}

export function readScale(a: Args, name: string): readonly number[] | number | undefined {
  const v = a.value(name);
  if (v === undefined || v.kind === 'none') return undefined;
  if (v.kind === 'tuple' || v.kind === 'list') {
    return v.items.map((item) => {
      if (item.kind === 'float') return item.value;
      if (item.kind === 'int' && typeof item.value === 'number') return item.value;
      return giveUp('scale_factor is not a known number', name);
    });
  }
  return a.float(name);
}

const upsampleSignature = [
  { name: 'size', default: NONE },
  { name: 'scale_factor', default: NONE },
];

const upsample = defineLayer<InterpolateSpec>({
  name: 'Upsample',
  signature: [...upsampleSignature, { name: 'mode', default: str('nearest') }, { name: 'align_corners', default: NONE }, { name: 'recompute_scale_factor', default: NONE }],
  configure: (a) => ({
    size: readSize(a.value('size')),
    scale: readScale(a, 'scale_factor'),
    mode: a.str('mode'),
    alignCorners: a.isNone('align_corners') ? undefined : a.bool('align_corners'),
  }),
  forward: (c, a) => {
    const t = a.tensor('input');
    return result(tensor(interpolateShape(t, c), t.dtype));
  },
  receptiveField: interpolateReaders,
});

const fixedModeUpsample = (name: string, mode: string, alignCorners: boolean | undefined) =>
  defineLayer<InterpolateSpec>({
    name,
    signature: upsampleSignature,
    configure: (a) => ({ size: readSize(a.value('size')), scale: readScale(a, 'scale_factor'), mode, alignCorners }),
    forward: (c, a) => {
      const t = a.tensor('input');
      return result(tensor(interpolateShape(t, c), t.dtype));
    },
    receptiveField: interpolateReaders,
  });

// Interpolation keeps nothing for backward (its gradient needs only the sizes).
export const upsampleLayers: readonly LayerEntry[] = [
  upsample,
  fixedModeUpsample('UpsamplingNearest2d', 'nearest', undefined),
  fixedModeUpsample('UpsamplingBilinear2d', 'bilinear', true),
].map((entry) => withLayerCost<InterpolateSpec>(entry, () => copyCost()));
