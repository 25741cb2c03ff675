// NumPy arrays as configuration code uses them: array-likes (scalars, nested lists, ndarrays) read into a
// shape, a dtype and (when small and known) row-major contents; broadcasting of contents; basic indexing
// (ints, slices, newaxis, Ellipsis) as flat positions, for reads and for item assignment.
import type { Dim } from '../../dims/dims';
import * as dims from '../../dims/dims';
import type { DataValue, DType, TensorValue } from '../../values';
import { bool, float, int, ndarray } from '../../values';
import { fail, giveUp } from '../torch/define';
import { broadcastShapes } from '../torch/shapes';

/** Arrays up to this many elements keep their contents (a 200 × 512 sinusoid table fits). */
export const MAX_VALUES = 1 << 18;

/** An array-like read from a Python value. */
export interface ArrayLike {
  readonly shape: readonly Dim[];
  readonly dtype: DType;
  readonly values?: readonly number[];
  /** True for a plain Python scalar (results on scalars are scalars, as np.float64 behaves as a float). */
  readonly scalar?: boolean;
}

const FLOAT_RANK: Partial<Record<DType, number>> = { bool: 0, uint8: 1, int8: 1, int32: 2, int64: 3, float16: 4, float32: 5, bfloat16: 5, float64: 6, complex64: 7, complex128: 8 };

/** NumPy's result type of two arrays (a simplification of np.result_type for the dtypes modelled). */
export function promote(a: DType, b: DType): DType {
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return (FLOAT_RANK[a] ?? 0) >= (FLOAT_RANK[b] ?? 0) ? a : b;
}

export const isFloatDtype = (d: DType): boolean => d === 'float16' || d === 'float32' || d === 'float64' || d === 'bfloat16' || d === 'complex64' || d === 'complex128';

/** The array-like of a Python value, as np.asarray reads it. */
export function readArrayLike(v: DataValue | undefined, what: string): ArrayLike {
  if (v === undefined) return fail(`${what} is missing`, what);
  switch (v.kind) {
    case 'bool':
      return { shape: [], dtype: 'bool', values: [v.value ? 1 : 0], scalar: true };
    case 'int':
      return typeof v.value === 'number' ? { shape: [], dtype: 'int64', values: [v.value], scalar: true } : { shape: [], dtype: 'int64', scalar: true };
    case 'float':
      return { shape: [], dtype: 'float64', values: [v.value], scalar: true };
    case 'tensor':
      if (v.shape === null) return giveUp(`${what} has an unknown shape`, what);
      return { shape: v.shape, dtype: v.dtype, ...(v.values ? { values: v.values } : {}) };
    case 'list':
    case 'tuple':
      return nestedArrayLike(v.items, what);
    case 'unknown':
      return giveUp(`${what} is unknown (${v.reason})`, what);
    default:
      // NumPy makes an array of anything else too (strings, objects, None: dtype <U or object), which the
      // analysis does not model: unknown, never an error.
      return giveUp(`${what}: an array of ${v.kind} (a string or object dtype, not modelled)`, what);
  }
}

function nestedArrayLike(items: readonly DataValue[], what: string): ArrayLike {
  if (items.length === 0) return { shape: [0], dtype: 'float64', values: [] };
  const inner = items.map((item) => readArrayLike(item, what));
  const first = inner[0]!;
  const same = inner.every((s) => s.shape.length === first.shape.length && s.shape.every((d, i) => d === first.shape[i]));
  // NumPy ≥ 1.24 raises on ragged nesting ("inhomogeneous shape").
  if (!same) fail(`setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions.`, what);
  const dtype = inner.reduce<DType>((acc, s) => promote(acc, s.dtype), 'bool');
  const values = inner.every((s) => s.values) ? inner.flatMap((s) => s.values!) : undefined;
  return { shape: [items.length, ...first.shape], dtype, ...(values && values.length <= MAX_VALUES ? { values } : {}) };
}

export const concreteShape = (shape: readonly Dim[]): number[] | undefined => (shape.every((d): d is number => typeof d === 'number') ? (shape as number[]) : undefined);

export const countOf = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

/** Row-major strides of a concrete shape. */
export const stridesOf = (shape: readonly number[]): number[] => {
  const out = Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) out[i] = out[i + 1]! * shape[i + 1]!;
  return out;
};

/** Contents of `a ∘ b` broadcast to `shape` (both concrete), when both contents are known. */
export function broadcastValues(a: ArrayLike, b: ArrayLike, shape: readonly Dim[], f: (x: number, y: number) => number): number[] | undefined {
  const out = concreteShape(shape);
  const sa = concreteShape(a.shape);
  const sb = concreteShape(b.shape);
  if (!out || !sa || !sb || !a.values || !b.values) return undefined;
  const n = countOf(out);
  if (n > MAX_VALUES) return undefined;
  const index = (src: readonly number[], flat: number): number => {
    // Position in `src` of the output element `flat`, with size-1 axes repeated.
    let pos = 0;
    let rest = flat;
    const strides = stridesOf(src);
    for (let axis = out.length - 1; axis >= 0; axis--) {
      const coord = rest % out[axis]!;
      rest = Math.floor(rest / out[axis]!);
      const srcAxis = axis - (out.length - src.length);
      if (srcAxis >= 0 && src[srcAxis] !== 1) pos += coord * strides[srcAxis]!;
    }
    return pos;
  };
  return Array.from({ length: n }, (_, i) => f(a.values![index(sa, i)]!, b.values![index(sb, i)]!));
}

/** NumPy's broadcasting, with its ValueError text when two sizes differ and neither is 1. */
export function broadcast(a: ArrayLike, b: ArrayLike): Dim[] {
  const text = (s: readonly Dim[]): string => `(${s.map(dims.formatDim).join(',')}${s.length === 1 ? ',' : ''})`;
  const rank = Math.max(a.shape.length, b.shape.length);
  for (let i = 1; i <= rank; i++) {
    const [x, y] = [a.shape[a.shape.length - i], b.shape[b.shape.length - i]];
    if (x !== undefined && y !== undefined && x !== 1 && y !== 1 && dims.equal(x, y) === false) fail(`operands could not be broadcast together with shapes ${text(a.shape)} ${text(b.shape)} `);
  }
  return broadcastShapes(a.shape, b.shape);
}

/** A Python scalar for a 0-d result (np.float64 and np.int64 behave as float and int in config code). */
export function scalarOf(dtype: DType, value: number): DataValue {
  if (dtype === 'bool') return bool(value !== 0);
  if (isFloatDtype(dtype)) return float(value);
  return int(value);
}

/** The result value of an op: a Python scalar for 0-d results on scalars and reductions, else an ndarray. */
export function arrayResult(shape: readonly Dim[], dtype: DType, values: readonly number[] | undefined, asScalar: boolean): DataValue {
  if (asScalar && shape.length === 0 && values?.length === 1) return scalarOf(dtype, values[0]!);
  const finite = values && values.every(Number.isFinite) ? [...values] : values?.some((x) => Number.isNaN(x)) ? undefined : values ? [...values] : undefined;
  return ndarray(shape, dtype, finite && finite.length <= MAX_VALUES ? finite : undefined);
}

/** One item of a basic index, normalised by the caller (the interpreter owns slices and Ellipsis). */
export type IndexItem =
  | { readonly kind: 'int'; readonly index: number }
  | { readonly kind: 'slice'; readonly start: number | null; readonly stop: number | null; readonly step: number | null }
  | { readonly kind: 'newaxis' }
  | { readonly kind: 'ellipsis' };

/** The positions (Python's slice.indices) a slice selects along an axis of `size`. */
export function slicePositions(size: number, start: number | null, stop: number | null, step: number | null): number[] {
  const s = step ?? 1;
  if (s === 0) fail('slice step cannot be zero');
  const clamp = (v: number | null, dflt: number, lo: number, hi: number): number => {
    if (v === null) return dflt;
    const x = v < 0 ? v + size : v;
    return Math.min(Math.max(x, lo), hi);
  };
  const out: number[] = [];
  if (s > 0) {
    for (let i = clamp(start, 0, 0, size); i < clamp(stop, size, 0, size); i += s) out.push(i);
  } else {
    for (let i = clamp(start, size - 1, -1, size - 1); i > clamp(stop, -1, -1, size - 1); i += s) out.push(i);
  }
  return out;
}

/** Result shape and the flat source position of each result element, for a basic index of a concrete shape. */
export function indexPositions(shape: readonly number[], items: readonly IndexItem[]): { shape: number[]; positions: number[] } | undefined {
  const consuming = items.filter((it) => it.kind === 'int' || it.kind === 'slice').length;
  if (consuming > shape.length) fail(`too many indices for array: array is ${shape.length}-dimensional, but ${consuming} were indexed`);
  const expanded: IndexItem[] = [];
  let sawEllipsis = false;
  for (const it of items) {
    if (it.kind === 'ellipsis' && !sawEllipsis) {
      sawEllipsis = true;
      for (let k = 0; k < shape.length - consuming; k++) expanded.push({ kind: 'slice', start: null, stop: null, step: null });
    } else if (it.kind !== 'ellipsis') expanded.push(it);
  }
  while (expanded.filter((it) => it.kind !== 'newaxis').length < shape.length) expanded.push({ kind: 'slice', start: null, stop: null, step: null });
  const strides = stridesOf(shape);
  // Per output axis: the source offsets it walks (a newaxis walks [0]); ints add a fixed offset.
  let base = 0;
  const axes: number[][] = [];
  let axis = 0;
  for (const it of expanded) {
    if (it.kind === 'newaxis') {
      axes.push([0]);
      continue;
    }
    const size = shape[axis]!;
    if (it.kind === 'int') {
      if (it.index >= size || it.index < -size) fail(`index ${it.index} is out of bounds for axis ${axis} with size ${size}`);
      base += (it.index < 0 ? it.index + size : it.index) * strides[axis]!;
    } else if (it.kind === 'slice') {
      axes.push(slicePositions(size, it.start, it.stop, it.step).map((p) => p * strides[axis]!));
    }
    axis++;
  }
  const outShape = axes.map((a) => a.length);
  if (countOf(outShape) > MAX_VALUES) return undefined;
  let positions = [base];
  for (const offsets of axes) positions = positions.flatMap((p) => offsets.map((o) => p + o));
  return { shape: outShape, positions };
}

/** numpy values of an ndarray, or undefined. */
export const valuesOf = (t: TensorValue): readonly number[] | undefined => t.values;
