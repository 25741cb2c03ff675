// Ops that rearrange or select whole axes: movedim, broadcast_to / broadcast_tensors, atleast_Nd,
// h/v/d/column stacking and splitting, tile, flips and rot90, diagonals (diag, diagonal, diag_embed,
// diagflat), select / take / take_along_dim, kron, block_diag, cartesian_prod, combinations, and the
// tril/triu index tables. 0 MACs by the catalogue convention.
import * as dims from '../../../dims/dims';
import type { Dim } from '../../../dims/dims';
import type { DataValue } from '../../../values';
import { NONE, int, tensor, tuple } from '../../../values';
import type { ArgSpec, OpEntry } from '../../types';
import { type Args, type KnownTensor, defineDualOp, defineOp, fail, giveUp, result, toDim, toKnownTensor } from '../define';
import { broadcastAll, broadcastShapes, knownIndex, normalizeDim, numel, promoteTypes } from '../shapes';
import { catShapes, expandShape, splitShapes, tensorList } from './shape';

const commonDtype = (ts: readonly KnownTensor[]) => ts.reduce((d, t) => promoteTypes(d, t.dtype), ts[0]?.dtype ?? 'float32');

/** movedim(source, destination) with ints or sequences of ints. */
function movedimShape(shape: readonly Dim[], source: readonly number[], destination: readonly number[]): Dim[] {
  if (source.length !== destination.length) fail(`movedim: Invalid source or destination dims: source (${JSON.stringify(source)} dims) should contain the same number of dims as destination (${JSON.stringify(destination)} dims)`);
  const rank = shape.length;
  const src = source.map((d) => normalizeDim(d, rank));
  const dst = destination.map((d) => normalizeDim(d, rank));
  const order: (number | undefined)[] = Array<number | undefined>(rank).fill(undefined);
  dst.forEach((d, i) => (order[d] = src[i]));
  const rest = [...Array(rank).keys()].filter((d) => !src.includes(d));
  return order.map((d) => shape[d ?? rest.shift()!]!);
}

const intsOf = (a: Args, name: string): number[] => {
  const v = a.value(name);
  const items = v?.kind === 'tuple' || v?.kind === 'list' ? v.items : [v];
  return items.map((item) => knownIndex(toDim(item, name, name), name));
};

const atLeast = (shape: readonly Dim[], rank: number): Dim[] => {
  if (shape.length >= rank) return [...shape];
  if (rank === 3 && shape.length === 2) return [...shape, 1];
  if (rank === 3 && shape.length === 1) return [1, shape[0]!, 1];
  return [...Array<Dim>(rank - shape.length).fill(1), ...shape];
};

const atLeastOps: OpEntry[] = [1, 2, 3].map((rank) =>
  defineOp({
    name: `torch.atleast_${rank}d`,
    signature: [{ name: 'tensors', variadic: true }],
    apply: (a) => {
      const raw = a.value('tensors');
      const single = raw?.kind === 'tuple' && raw.items.length === 1 && raw.items[0]!.kind === 'tensor';
      const outs = a.varItems('tensors').map((v, i) => {
        const t = toKnownTensor(v, `atleast_${rank}d argument ${i}`);
        return tensor(atLeast(t.shape, rank), t.dtype);
      });
      return result(single ? outs[0]! : tuple(outs));
    },
  }),
);

/** hstack / vstack / dstack / column_stack / row_stack, through cat after atleast_Nd as PyTorch defines them. */
const STACKERS: ReadonlyArray<readonly [string, (shape: readonly Dim[]) => Dim[], (rank: number) => number]> = [
  ['hstack', (s) => atLeast(s, 1), (r) => (r === 1 ? 0 : 1)],
  ['vstack', (s) => atLeast(s, 2), () => 0],
  ['row_stack', (s) => atLeast(s, 2), () => 0],
  ['dstack', (s) => atLeast(s, 3), () => 2],
  ['column_stack', (s) => (s.length <= 1 ? [s[0] ?? 1, 1] : [...s]), () => 1],
];

const stackerOps: OpEntry[] = STACKERS.map(([name, lift, axis]) =>
  defineOp({
    name: `torch.${name}`,
    signature: [{ name: 'tensors' }, { name: 'out', default: NONE, keywordOnly: true }],
    apply: (a) => {
      const ts = tensorList(a, 'tensors');
      const shapes = ts.map((t) => lift(t.shape));
      return result(tensor(catShapes(shapes, axis(shapes[0]?.length ?? 1)), commonDtype(ts)));
    },
  }),
);

/**
 * The overloads of tensor_split and h/v/dsplit: one positional argument, or by keyword `sections` (an int),
 * `indices` (a sequence) or, for tensor_split, `tensor_indices_or_sections`.
 */
const SPLIT_SPEC_KEYWORDS = ['sections', 'indices', 'tensor_indices_or_sections'] as const;
const splitSpecArgs = (keywords: readonly string[]): ArgSpec[] => keywords.map((name) => ({ name, default: NONE, keywordOnly: true }));

/** The value saying where to split, from whichever overload was called; a tensor of known values counts too. */
function splitSpec(a: Args, opName: string): DataValue {
  const given = ['indices_or_sections', ...SPLIT_SPEC_KEYWORDS].filter((name) => !a.isNone(name));
  if (given.length !== 1) fail(`${opName}() received an invalid combination of arguments`);
  const v = a.value(given[0]!)!;
  if (v.kind !== 'tensor') return v;
  if (v.values === undefined || v.shape === null) return giveUp(`${opName}: the values of the split tensor are unknown`);
  if (v.shape.length === 0) return int(v.values[0]!);
  return tuple(v.values.map((x) => int(x)));
}

/** tensor_split: n near-equal parts (the first size % n get one more) or split at the given indices. */
function tensorSplitShapes(shape: readonly Dim[], v: DataValue, dim: number): Dim[][] {
  const d = normalizeDim(dim, shape.length);
  const size = knownIndex(shape[d]!, 'tensor_split size');
  let sizes: number[];
  if (v.kind === 'int') {
    const n = knownIndex(toDim(v, 'sections'), 'sections');
    if (n <= 0) fail(`number of sections must be larger than 0, got ${n}`);
    sizes = Array.from({ length: n }, (_, i) => Math.floor(size / n) + (i < size % n ? 1 : 0));
  } else if (v.kind === 'tuple' || v.kind === 'list') {
    const cuts = v.items.map((item) => knownIndex(toDim(item, 'indices'), 'indices'));
    const bounds = [0, ...cuts.map((c) => Math.min(Math.max(c < 0 ? c + size : c, 0), size)), size];
    sizes = bounds.slice(1).map((b, i) => Math.max(0, b - bounds[i]!));
  } else return giveUp('tensor_split indices are unknown');
  return sizes.map((n) => shape.map((s, i) => (i === d ? n : s)));
}

const splitOps: OpEntry[] = [
  ...defineDualOp({
    name: 'tensor_split',
    rest: [{ name: 'indices_or_sections', default: NONE, positionalOnly: true }, { name: 'dim', default: int(0) }, ...splitSpecArgs(SPLIT_SPEC_KEYWORDS)],
    apply: (t, a) => result(tuple(tensorSplitShapes(t.shape, splitSpec(a, 'tensor_split'), a.int('dim')).map((s) => tensor(s, t.dtype)))),
  }),
  // hsplit/vsplit/dsplit split dim 1 (dim 0 for 1-D), 0 and 2 into equal parts (an int must divide the size).
  ...(
    [
      ['hsplit', (t: KnownTensor) => (t.shape.length === 1 ? 0 : 1), 1],
      ['vsplit', () => 0, 2],
      ['dsplit', () => 2, 3],
    ] as const
  ).flatMap(([name, axisOf, minRank]) =>
    defineDualOp({
      name,
      rest: [{ name: 'indices_or_sections', default: NONE, positionalOnly: true }, ...splitSpecArgs(['sections', 'indices'])],
      apply: (t, a) => {
        if (t.shape.length < minRank) fail(`torch.${name} requires a tensor with at least ${minRank} dimension, but got a tensor with ${t.shape.length} dimensions!`);
        const axis = axisOf(t);
        const v = splitSpec(a, name);
        if (v.kind === 'int' && typeof v.value === 'number' && typeof t.shape[axis] === 'number' && (t.shape[axis] as number) % v.value !== 0) {
          fail(`torch.${name} attempted to split along dimension ${axis}, but the size of the dimension ${t.shape[axis]} is not divisible by the split_size ${v.value}!`);
        }
        return result(tuple(tensorSplitShapes(t.shape, v, axis).map((s) => tensor(s, t.dtype))));
      },
    }),
  ),
];

const broadcastOps: OpEntry[] = [
  ...defineDualOp({ name: 'broadcast_to', rest: [{ name: 'size' }], apply: (t, a) => result(tensor(expandShape(t.shape, a.sizes('size')), t.dtype)) }),
  defineOp({
    name: 'torch.broadcast_tensors',
    signature: [{ name: 'tensors', variadic: true }],
    apply: (a) => {
      const ts = a.varItems('tensors').map((v, i) => (v.kind === 'tensor' && v.shape ? (v as KnownTensor) : giveUp(`broadcast_tensors: argument ${i} is not a known tensor`)));
      const shape = broadcastAll(ts.map((t) => t.shape));
      return result(tuple(ts.map((t) => tensor(shape, t.dtype))));
    },
  }),
  defineOp({
    name: 'torch.broadcast_shapes',
    signature: [{ name: 'shapes', variadic: true }],
    apply: (a) => {
      const shapes = a.varItems('shapes').map((v, i) => (v.kind === 'tuple' || v.kind === 'list' ? v.items.map((d) => toDim(d, `shape ${i}`)) : [toDim(v, `shape ${i}`)]));
      return result(tuple(broadcastAll(shapes).map((d) => int(d))));
    },
  }),
  ...['movedim', 'moveaxis'].flatMap((name) =>
    defineDualOp({
      name,
      rest: [{ name: 'source' }, { name: 'destination' }],
      apply: (t, a) => result(tensor(movedimShape(t.shape, intsOf(a, 'source'), intsOf(a, 'destination')), t.dtype)),
    }),
  ),
  ...defineDualOp({ name: 'tile', rest: [{ name: 'dims' }], apply: (t, a) => {
    const reps = a.sizes('dims');
    const rank = Math.max(reps.length, t.shape.length);
    const shape = [...Array<Dim>(rank - t.shape.length).fill(1), ...t.shape];
    const full = [...Array<Dim>(rank - reps.length).fill(1), ...reps];
    return result(tensor(shape.map((d, i) => dims.mul(d, full[i]!)), t.dtype));
  } }),
];

/** fliplr/flipud keep the shape; rot90 swaps the two rotated dims when k is odd. */
const flipOps: OpEntry[] = [
  ...(
    [
      ['fliplr', 2],
      ['flipud', 1],
    ] as const
  ).flatMap(([name, minRank]) =>
    defineDualOp({
      name,
      rest: [],
      apply: (t) => {
        if (t.shape.length < minRank) fail(`Input must be >= ${minRank}-d.`);
        return result(tensor(t.shape, t.dtype));
      },
    }),
  ),
  ...defineDualOp({
    name: 'rot90',
    rest: [{ name: 'k', default: int(1) }, { name: 'dims', default: tuple([int(0), int(1)]) }],
    apply: (t, a) => {
      const [d0, d1] = intsOf(a, 'dims');
      if (d0 === undefined || d1 === undefined) fail('expected total rotation dims == 2');
      if (t.shape.length < 2) fail(`expected total dims >= 2, but got total dims = ${t.shape.length}`);
      const [x, y] = [normalizeDim(d0, t.shape.length), normalizeDim(d1, t.shape.length)];
      if (x === y) fail(`expected rotation dims to be different, but got dim0 = ${x} and dim1 = ${y}`);
      const k = ((a.int('k') % 4) + 4) % 4;
      const out = [...t.shape];
      if (k % 2 === 1) [out[x], out[y]] = [t.shape[y]!, t.shape[x]!];
      return result(tensor(out, t.dtype));
    },
  }),
];

/** The length of a diagonal with offset k of an (n, m) matrix. */
function diagonalLength(n: Dim, m: Dim, k: number): Dim {
  if (typeof n === 'number' && typeof m === 'number') return Math.max(0, k >= 0 ? Math.min(n, m - k) : Math.min(n + k, m));
  if (k === 0 && dims.equal(n, m) === true) return n;
  return giveUp('diagonal length of a symbolic matrix');
}

const diagonalOps: OpEntry[] = [
  ...defineDualOp({
    name: 'diag',
    rest: [{ name: 'diagonal', default: int(0) }],
    apply: (t, a) => {
      const k = a.int('diagonal');
      if (t.shape.length === 1) {
        const n = dims.add(t.shape[0]!, Math.abs(k));
        return result(tensor([n, n], t.dtype));
      }
      if (t.shape.length === 2) return result(tensor([diagonalLength(t.shape[0]!, t.shape[1]!, k)], t.dtype));
      return fail('diag(): Supports 1D or 2D tensors. Got ' + t.shape.length + 'D');
    },
  }),
  ...defineDualOp({
    name: 'diagonal',
    rest: [{ name: 'offset', default: int(0) }, { name: 'dim1', default: int(0) }, { name: 'dim2', default: int(1) }],
    apply: (t, a) => {
      const [d1, d2] = [normalizeDim(a.int('dim1'), t.shape.length), normalizeDim(a.int('dim2'), t.shape.length)];
      if (d1 === d2) fail(`diagonal dimensions cannot be identical ${a.int('dim1')}, ${a.int('dim2')}`);
      const rest = t.shape.filter((_, i) => i !== d1 && i !== d2);
      return result(tensor([...rest, diagonalLength(t.shape[d1]!, t.shape[d2]!, a.int('offset'))], t.dtype));
    },
  }),
  ...defineDualOp({
    name: 'diag_embed',
    rest: [{ name: 'offset', default: int(0) }, { name: 'dim1', default: int(-2) }, { name: 'dim2', default: int(-1) }],
    apply: (t, a) => {
      const rank = t.shape.length + 1;
      const [d1, d2] = [normalizeDim(a.int('dim1'), rank), normalizeDim(a.int('dim2'), rank)];
      if (d1 === d2) fail(`diagonal dimensions cannot be identical ${a.int('dim1')}, ${a.int('dim2')}`);
      const n = dims.add(t.shape[t.shape.length - 1]!, Math.abs(a.int('offset')));
      const rest = [...t.shape.slice(0, -1)];
      const out: Dim[] = [];
      for (let i = 0; i < rank; i++) out.push(i === d1 || i === d2 ? n : rest.shift()!);
      return result(tensor(out, t.dtype));
    },
  }),
  ...defineDualOp({
    name: 'diagflat',
    rest: [{ name: 'offset', default: int(0) }],
    apply: (t, a) => {
      const n = dims.add(numel(t.shape), Math.abs(a.int('offset')));
      return result(tensor([n, n], t.dtype));
    },
  }),
  ...defineDualOp({
    name: 'trace',
    rest: [],
    apply: (t) => {
      if (t.shape.length !== 2) fail(`trace: expected a matrix, but got tensor with dim ${t.shape.length}`);
      return result(tensor([], t.dtype === 'bool' || (t.dtype.startsWith('int') || t.dtype === 'uint8') ? 'int64' : t.dtype));
    },
  }),
];

const selectionOps: OpEntry[] = [
  ...defineDualOp({
    name: 'select',
    rest: [{ name: 'dim' }, { name: 'index' }],
    apply: (t, a) => {
      if (t.shape.length === 0) fail('select() cannot be applied to a 0-dim tensor.');
      const d = normalizeDim(a.int('dim'), t.shape.length);
      const i = a.int('index');
      const size = t.shape[d]!;
      if (typeof size === 'number' && (i >= size || i < -size)) fail(`select(): index ${i} out of range for tensor of size [${t.shape.map(dims.formatDim).join(', ')}] at dimension ${d}`);
      return result(tensor(t.shape.filter((_, k) => k !== d), t.dtype));
    },
  }),
  ...defineDualOp({
    name: 'take',
    rest: [{ name: 'index' }],
    apply: (t, a) => result(tensor(a.tensor('index').shape, t.dtype)),
  }),
  ...defineDualOp({
    name: 'take_along_dim',
    rest: [{ name: 'indices' }, { name: 'dim', default: NONE }],
    apply: (t, a) => {
      const index = a.tensor('indices');
      if (a.isNone('dim')) return result(tensor(index.shape, t.dtype));
      const d = normalizeDim(a.int('dim'), t.shape.length);
      if (index.shape.length !== t.shape.length) fail('torch.take_along_dim(): input and indices should have the same number of dimensions, but got ' + t.shape.length + ' dimensions for input, and ' + index.shape.length + ' dimensions for indices');
      // The other dims broadcast; dim takes the index's size.
      const other = broadcastShapes(t.shape.map((s, i) => (i === d ? 1 : s)), index.shape.map((s, i) => (i === d ? 1 : s)));
      return result(tensor(other.map((s, i) => (i === d ? index.shape[d]! : s)), t.dtype));
    },
  }),
];

const productOps: OpEntry[] = [
  ...defineDualOp({
    name: 'kron',
    rest: [{ name: 'other' }],
    apply: (t, a) => {
      const o = a.tensor('other');
      const rank = Math.max(t.shape.length, o.shape.length);
      const pad = (s: readonly Dim[]) => [...Array<Dim>(rank - s.length).fill(1), ...s];
      const [x, y] = [pad(t.shape), pad(o.shape)];
      return result(tensor(x.map((d, i) => dims.mul(d, y[i]!)), promoteTypes(t.dtype, o.dtype)));
    },
  }),
  defineOp({
    name: 'torch.block_diag',
    signature: [{ name: 'tensors', variadic: true }],
    apply: (a) => {
      const ts = a.varItems('tensors').map((v, i) => (v.kind === 'tensor' && v.shape ? (v as KnownTensor) : giveUp(`block_diag: argument ${i} is not a known tensor`)));
      const as2d = ts.map((t) => {
        if (t.shape.length > 2) fail(`torch.block_diag: Input tensors must have 2 or fewer dimensions. Input ${ts.indexOf(t)} has ${t.shape.length} dimensions`);
        return t.shape.length === 2 ? t.shape : t.shape.length === 1 ? [1, t.shape[0]!] : [1, 1];
      });
      const rows = as2d.reduce<Dim>((acc, s) => dims.add(acc, s[0]!), 0);
      const cols = as2d.reduce<Dim>((acc, s) => dims.add(acc, s[1]!), 0);
      return result(tensor([rows, cols], commonDtype(ts)));
    },
  }),
  defineOp({
    name: 'torch.cartesian_prod',
    signature: [{ name: 'tensors', variadic: true }],
    apply: (a) => {
      const ts = a.varItems('tensors').map((v, i) => (v.kind === 'tensor' && v.shape ? (v as KnownTensor) : giveUp(`cartesian_prod: argument ${i} is not a known tensor`)));
      if (ts.some((t) => t.shape.length !== 1)) fail('Expect a 1D vector, but got shape ' + JSON.stringify(ts.find((t) => t.shape.length !== 1)!.shape));
      if (ts.length === 1) return result(tensor(ts[0]!.shape, ts[0]!.dtype));
      return result(tensor([numel(ts.map((t) => t.shape[0]!)), ts.length], commonDtype(ts)));
    },
  }),
  defineOp({
    name: 'torch.combinations',
    signature: [{ name: 'input' }, { name: 'r', default: int(2) }, { name: 'with_replacement', default: { kind: 'bool', value: false } }],
    apply: (a) => {
      const t = a.tensor('input');
      if (t.shape.length !== 1) fail(`Expect a 1D vector, but got shape [${t.shape.map(dims.formatDim).join(', ')}]`);
      const n = knownIndex(t.shape[0]!, 'combinations size');
      const r = a.int('r');
      const choose = (top: number, k: number): number => (k < 0 || k > top ? 0 : Array.from({ length: k }, (_, i) => (top - i) / (i + 1)).reduce((p, x) => p * x, 1));
      const count = Math.round(a.bool('with_replacement') ? choose(n + r - 1, r) : choose(n, r));
      return result(r === 0 ? tensor([0], t.dtype) : tensor([count, r], t.dtype));
    },
  }),
  ...(['tril_indices', 'triu_indices'] as const).map((name) =>
    defineOp({
      name: `torch.${name}`,
      signature: [{ name: 'row' }, { name: 'col' }, { name: 'offset', default: int(0) }, { name: 'dtype', default: NONE, keywordOnly: true }, { name: 'device', default: NONE, keywordOnly: true }, { name: 'layout', default: NONE, keywordOnly: true }],
      apply: (a) => {
        const [rows, cols, k] = [a.int('row'), a.int('col'), a.int('offset')];
        let count = 0;
        for (let i = 0; i < rows; i++) {
          // Entries (i, j) with j - i <= k (tril) or j - i >= k (triu).
          const lo = name === 'tril_indices' ? 0 : Math.max(0, i + k);
          const hi = name === 'tril_indices' ? Math.min(cols, i + k + 1) : cols;
          count += Math.max(0, hi - lo);
        }
        return result(tensor([2, count], 'int64'));
      },
    }),
  ),
  defineOp({
    name: 'torch.vander',
    signature: [{ name: 'x' }, { name: 'N', default: NONE }, { name: 'increasing', default: { kind: 'bool', value: false } }],
    apply: (a) => {
      const x = a.tensor('x');
      if (x.shape.length !== 1) fail('x must be a one-dimensional tensor.');
      return result(tensor([x.shape[0]!, a.optDim('N') ?? x.shape[0]!], x.dtype === 'bool' ? 'int64' : x.dtype));
    },
  }),
];

/** slice_copy(input, dim, start, end, step): the elements x[..., start:end:step, ...] along dim. */
const sliceCopy = defineOp({
  name: 'torch.slice_copy',
  signature: [{ name: 'input' }, { name: 'dim', default: int(0) }, { name: 'start', default: NONE }, { name: 'end', default: NONE }, { name: 'step', default: int(1) }],
  apply: (a) => {
    const t = a.tensor('input');
    const d = normalizeDim(a.int('dim'), t.shape.length);
    const size = knownIndex(t.shape[d]!, 'slice size');
    const step = a.int('step');
    if (step <= 0) fail('slice step must be positive', 'step');
    const clamp = (v: number | undefined, dflt: number): number => (v === undefined ? dflt : Math.min(Math.max(v < 0 ? v + size : v, 0), size));
    const [start, end] = [clamp(a.optInt('start'), 0), clamp(a.optInt('end'), size)];
    return result(tensor(t.shape.map((s, i) => (i === d ? Math.max(0, Math.ceil((end - start) / step)) : s)), t.dtype));
  },
});

/** unravel_index(indices, shape) (PyTorch 2.2): one int64 tensor of the indices' shape per dim of shape. */
const unravelIndex = defineOp({
  name: 'torch.unravel_index',
  since: '2.2.0',
  signature: [{ name: 'indices' }, { name: 'shape' }],
  apply: (a) => {
    const indices = a.tensor('indices');
    if (indices.dtype !== 'int64' && indices.dtype !== 'int32' && indices.dtype !== 'uint8' && indices.dtype !== 'int8' && indices.dtype !== 'unknown') fail('expected \'indices\' to be integer dtype, but got ' + indices.dtype, 'indices');
    const shape = a.sizes('shape');
    return result(tuple(shape.map(() => tensor(indices.shape, 'int64'))));
  },
});

/** Splits that return views without checks (unsafe_*) share split/chunk's shape rule. */
const unsafeOps: OpEntry[] = [
  ...defineDualOp({
    name: 'unsafe_split',
    rest: [{ name: 'split_size' }, { name: 'dim', default: int(0) }],
    apply: (t, a) => result(tuple(splitShapes(t.shape, a.value('split_size') ?? NONE, a.int('dim')).map((s) => tensor(s, t.dtype)))),
  }),
];

export const arrangementOps: readonly OpEntry[] = [
  ...atLeastOps,
  ...stackerOps,
  ...splitOps,
  ...broadcastOps,
  ...flipOps,
  ...diagonalOps,
  ...selectionOps,
  ...productOps,
  ...unsafeOps,
  sliceCopy,
  unravelIndex,
];
