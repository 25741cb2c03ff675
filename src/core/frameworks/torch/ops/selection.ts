// Selection and rearrangement ops common in model code: tril/triu/flip/roll (shape kept), narrow,
// index_select, repeat_interleave, meshgrid, randperm, addmm/baddbmm, F.unfold, Tensor.item.
import * as dims from '../../../dims/dims';
import { formatDim } from '../../../dims/dims';
import type { Dim } from '../../../dims/dims';
import { NONE, bool, float, int, str, tensor, tuple, unknown } from '../../../values';
import type { OpEntry } from '../../types';
import { type KnownTensor, defineDualOp, defineOp, fail, giveUp, result, toKnownTensor } from '../define';
import { foldShape, readSlidingBlocks, unfoldShape } from '../shape_layers';
import { pairwiseDistanceShape } from '../distance';
import { broadcastShapes, normalizeDim, promoteTypes } from '../shapes';
import { matmulResult } from './linalg';
import { flattenShape } from './shape';
import { copyCost, indexCost, noGradCost, plainProductCost, unaryCost, viewCost } from '../costs';

const keep = (t: KnownTensor) => result(tensor(t.shape, t.dtype));

const shapeKeeping: OpEntry[] = [
  ...['tril', 'triu'].flatMap((name) =>
    defineDualOp({
      name,
      rest: [{ name: 'diagonal', default: int(0) }],
      apply: (t) => {
        if (t.shape.length < 2) fail(`${name}: input tensor must have at least 2 dimensions`);
        return keep(t);
      },
      cost: (_t, _a, subject, q) => unaryCost('none', q, subject),
    }),
  ),
  ...defineDualOp({ name: 'flip', rest: [{ name: 'dims' }], apply: keep, cost: () => copyCost() }),
  ...defineDualOp({ name: 'roll', rest: [{ name: 'shifts' }, { name: 'dims', default: NONE }], apply: keep, cost: () => copyCost() }),
];

const narrow = defineDualOp({
  name: 'narrow',
  rest: [{ name: 'dim' }, { name: 'start' }, { name: 'length' }],
  apply: (t, a) => {
    const d = normalizeDim(a.int('dim'), t.shape.length);
    const length = a.dim('length');
    const start = a.dim('start');
    const size = t.shape[d]!;
    const end = dims.add(start, length);
    if (typeof end === 'number' && typeof size === 'number' && end > size) fail(`start (${formatDim(start)}) + length (${formatDim(length)}) exceeds dimension size (${size}).`);
    return result(tensor(t.shape.map((s, i) => (i === d ? length : s)), t.dtype));
  },
  cost: (_t, _a, subject) => viewCost(subject, { kind: 'slice' }),
});

const indexSelect = defineDualOp({
  name: 'index_select',
  rest: [{ name: 'dim' }, { name: 'index' }],
  apply: (t, a) => {
    const d = normalizeDim(a.int('dim'), t.shape.length);
    const index = a.tensor('index');
    if (index.shape.length > 1) fail('index_select(): Index is supposed to be a vector');
    return result(tensor(t.shape.map((s, i) => (i === d ? (index.shape[0] ?? 1) : s)), t.dtype));
  },
  cost: (_t, _a, subject, q) => indexCost('index', q, subject),
});

const repeatInterleave = defineDualOp({
  name: 'repeat_interleave',
  rest: [{ name: 'repeats' }, { name: 'dim', default: NONE }, { name: 'output_size', default: NONE, keywordOnly: true }],
  apply: (t, a) => {
    const repeats = a.value('repeats');
    if (repeats?.kind === 'tensor') return giveUp('repeat_interleave with a tensor of repeats depends on its values');
    const r = a.dim('repeats');
    if (a.isNone('dim')) return result(tensor([dims.mul(dims.product(t.shape), r)], t.dtype));
    const d = normalizeDim(a.int('dim'), t.shape.length);
    return result(tensor(t.shape.map((s, i) => (i === d ? dims.mul(s, r) : s)), t.dtype));
  },
  cost: () => copyCost(),
});

const meshgrid = defineOp({
  name: 'torch.meshgrid',
  signature: [{ name: 'tensors', variadic: true }, { name: 'indexing', default: NONE, keywordOnly: true }],
  apply: (a) => {
    const ts = a.varItems('tensors').map((v, i) => toKnownTensor(v, `tensors[${i}]`));
    const sizes = ts.map((t) => (t.shape.length === 0 ? 1 : t.shape[0]!));
    // 'xy' swaps the first two output dims; the default (and 'ij') keeps the input order.
    const xy = a.value('indexing')?.kind === 'str' && a.str('indexing') === 'xy' && sizes.length >= 2;
    const shape = xy ? [sizes[1]!, sizes[0]!, ...sizes.slice(2)] : sizes;
    return result(tuple(ts.map((t) => tensor(shape, t.dtype))));
  },
  cost: () => viewCost('tensors.0', { kind: 'expand' }),
});

const randperm = defineOp({
  name: 'torch.randperm',
  signature: [{ name: 'n' }, { name: 'generator', default: NONE, keywordOnly: true }, { name: 'dtype', default: NONE, keywordOnly: true }, { name: 'device', default: NONE, keywordOnly: true }],
  apply: (a) => {
    const n = a.dim('n');
    if (typeof n === 'number' && n < 0) fail(`n must be non-negative, got${n}`, 'n');
    return result(tensor([n], 'int64'));
  },
  cost: noGradCost,
});

/** addmm(input, mat1, mat2): input broadcast to mat1 @ mat2; baddbmm the batched form. MACs of the product. */
const fusedProducts: OpEntry[] = [
  ...[
    ['addmm', 'mat1', 'mat2'],
    ['baddbmm', 'batch1', 'batch2'],
    ['addbmm', 'batch1', 'batch2'],
  ].flatMap(([name, m1, m2]) =>
    defineDualOp({
      name: name!,
      rest: [{ name: m1! }, { name: m2! }, { name: 'beta', default: int(1), keywordOnly: true }, { name: 'alpha', default: int(1), keywordOnly: true }],
      apply: (t, a) => {
        const product = matmulResult(a.tensor(m1!), a.tensor(m2!));
        const out = product.output;
        if (out.kind !== 'tensor' || out.shape === null) return product;
        // addbmm also sums over the batch: the result is one matrix.
        const productShape = name === 'addbmm' ? out.shape.slice(1) : out.shape;
        return { output: tensor(broadcastShapes(t.shape, productShape), promoteTypes(t.dtype, out.dtype)), macs: product.macs };
      },
      cost: (_t, _a, _subject, q) => plainProductCost(m1!, m2!, q),
    }),
  ),
];

/** F.unfold / F.fold: the layers' shape rules with the arguments of the call. */
const slidingArgs = [
  { name: 'dilation', default: int(1) },
  { name: 'padding', default: int(0) },
  { name: 'stride', default: int(1) },
];
const unfold = defineOp({
  name: 'torch.nn.functional.unfold',
  signature: [{ name: 'input' }, { name: 'kernel_size' }, ...slidingArgs],
  apply: (a) => {
    const t = a.tensor('input');
    return result(tensor(unfoldShape(t.shape, readSlidingBlocks(a)), t.dtype));
  },
  cost: () => copyCost(),
});
const fold = defineOp({
  name: 'torch.nn.functional.fold',
  signature: [{ name: 'input' }, { name: 'output_size' }, { name: 'kernel_size' }, ...slidingArgs],
  apply: (a) => {
    const t = a.tensor('input');
    return result(tensor(foldShape(t.shape, a.ints('output_size', 2), readSlidingBlocks(a)), t.dtype));
  },
  cost: () => copyCost(),
});


/** x.item() is a Python number whose value the analysis does not know. */
const item = defineOp({
  name: 'Tensor.item',
  signature: [{ name: 'self' }],
  apply: (a) => {
    const t = a.tensor('self');
    const count = dims.product(t.shape);
    if (typeof count === 'number' && count !== 1) fail(`a Tensor with ${count} elements cannot be converted to Scalar`);
    return result(unknown('the value of a tensor element (x.item())'));
  },
  cost: noGradCost,
});

/** Tensor.unfold(dimension, size, step): sliding windows appended as a new last dim. */
const tensorUnfold = defineOp({
  name: 'Tensor.unfold',
  signature: [{ name: 'self' }, { name: 'dimension' }, { name: 'size' }, { name: 'step' }],
  apply: (a) => {
    const t = a.tensor('self');
    const d = normalizeDim(a.int('dimension'), t.shape.length);
    const size = a.int('size');
    const step = a.int('step');
    if (step <= 0) fail(`step is ${step} but must be > 0`, 'step');
    const windows = dims.add(dims.floorDiv(dims.sub(t.shape[d]!, size), step), 1);
    return result(tensor([...t.shape.map((s, i) => (i === d ? windows : s)), size], t.dtype));
  },
  cost: () => viewCost('self', { kind: 'strided' }),
});

/** torch.flatten's partner used in ViT-style code: x.flatten(2).transpose(1, 2) is covered elsewhere. */
const ravel = defineDualOp({
  name: 'ravel',
  rest: [],
  apply: (t) => result(tensor(flattenShape(t.shape, 0, -1), t.dtype)),
  cost: (_t, _a, subject) => viewCost(subject, { kind: 'reshape', copyIfNeeded: true }),
});

/** torch.diff(input, n=1, dim=-1): the size along dim shrinks by n (prepend/append add theirs first). */
const diff = defineDualOp({
  name: 'diff',
  rest: [{ name: 'n', default: int(1) }, { name: 'dim', default: int(-1) }, { name: 'prepend', default: NONE }, { name: 'append', default: NONE }],
  apply: (t, a) => {
    if (t.shape.length === 0) fail('diff expects input to be at least one-dimensional');
    const d = normalizeDim(a.int('dim'), t.shape.length);
    const n = a.int('n');
    if (n < 0) fail(`order must be non-negative but got ${n}`, 'n');
    const extra = ['prepend', 'append'].map((name) => a.optTensor(name)?.shape[d] ?? 0).reduce<Dim>((acc, x) => dims.add(acc, x), 0);
    const size = dims.add(t.shape[d]!, extra);
    const shrunk = typeof size === 'number' ? Math.max(0, size - n) : dims.sub(size, n);
    return result(tensor(t.shape.map((s, i) => (i === d ? shrunk : s)), t.dtype));
  },
});

/** F.affine_grid(theta, size): (N, H, W, 2) for a 4-D size, (N, D, H, W, 3) for 5-D. */
const affineGrid = defineOp({
  name: 'torch.nn.functional.affine_grid',
  signature: [{ name: 'theta' }, { name: 'size' }, { name: 'align_corners', default: NONE }],
  apply: (a) => {
    const theta = a.tensor('theta');
    const size = a.sizes('size');
    if (size.length !== 4 && size.length !== 5) fail(`affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. Got size ${JSON.stringify(size)}.`, 'size');
    return result(tensor([size[0]!, ...size.slice(2), size.length - 2], theta.dtype));
  },
});

/** F.grid_sample(input (N, C, H, W), grid (N, H_out, W_out, 2)) → (N, C, H_out, W_out). */
const gridSample = defineOp({
  name: 'torch.nn.functional.grid_sample',
  signature: [{ name: 'input' }, { name: 'grid' }, { name: 'mode', default: str('bilinear') }, { name: 'padding_mode', default: str('zeros') }, { name: 'align_corners', default: NONE }],
  apply: (a) => {
    const input = a.tensor('input');
    const grid = a.tensor('grid');
    if (grid.shape.length !== input.shape.length) fail(`grid_sample(): expected grid to have the same number of dimensions as input, but got ${grid.shape.length} and ${input.shape.length}`, 'grid');
    return result(tensor([input.shape[0]!, input.shape[1]!, ...grid.shape.slice(1, -1)], input.dtype));
  },
});

/** torch.cdist(x1 (…, P, M), x2 (…, R, M)) → (…, P, R); F.pairwise_distance broadcasts and drops the last dim. */
const distances: OpEntry[] = [
  defineOp({
    name: 'torch.cdist',
    signature: [{ name: 'x1' }, { name: 'x2' }, { name: 'p', default: float(2.0) }, { name: 'compute_mode', default: str('use_mm_for_euclid_dist_if_necessary') }],
    apply: (a) => {
      const x1 = a.tensor('x1');
      const x2 = a.tensor('x2');
      if (x1.shape.length < 2 || x2.shape.length < 2) fail('cdist only supports at least 2D tensors, X1 got: ' + x1.shape.length + 'D');
      const batch = broadcastShapes(x1.shape.slice(0, -2), x2.shape.slice(0, -2));
      return result(tensor([...batch, x1.shape[x1.shape.length - 2]!, x2.shape[x2.shape.length - 2]!], x1.dtype));
    },
  }),
  defineOp({
    name: 'torch.nn.functional.pairwise_distance',
    signature: [{ name: 'x1' }, { name: 'x2' }, { name: 'p', default: float(2.0) }, { name: 'eps', default: float(1e-6) }, { name: 'keepdim', default: bool(false) }],
    apply: (a) => {
      const x1 = a.tensor('x1');
      return result(tensor(pairwiseDistanceShape(x1.shape, a.tensor('x2').shape, a.bool('keepdim')), x1.dtype));
    },
  }),
];

export const selectionOps: readonly OpEntry[] = [
  ...diff,
  affineGrid,
  gridSample,
  ...distances,
  ...shapeKeeping,
  ...narrow,
  ...indexSelect,
  ...repeatInterleave,
  meshgrid,
  randperm,
  ...fusedProducts,
  unfold,
  fold,
  item,
  tensorUnfold,
  ...ravel,
];
