// Reshaping ops: view/reshape (with -1), flatten/unflatten, permute/transpose/t/T, squeeze/unsqueeze,
// expand/expand_as/repeat, and the joins cat/stack/split/chunk/unbind. All cost 0 MACs.
import * as dims from '../../../dims/dims';
import type { Dim } from '../../../dims/dims';
import { formatDim } from '../../../dims/dims';
import type { DataValue } from '../../../values';
import { NONE, int, tensor, tuple } from '../../../values';
import type { OpEntry } from '../../types';
import { type Args, type KnownTensor, defineDualOp, defineOp, fail, giveUp, result, shapeText, toDim, toKnownTensor } from '../define';
import { knownIndex, normalizeDim, numel, provablyDifferent, promoteTypes } from '../shapes';
import { copyCost, transposeOrder, viewCost } from '../costs';
import type { CostQuery, OpCost, ViewEffect } from '../../types';

const knownNumber = (d: Dim, what: string): number => knownIndex(d, what);

/** The shape `view`/`reshape` produce, inferring one -1, with PyTorch's error when sizes cannot hold. */
export function inferShape(input: readonly Dim[], requested: readonly Dim[]): Dim[] {
  const total = numel(input);
  const inferredAt = requested.flatMap((d, i) => (d === -1 ? [i] : []));
  if (inferredAt.length > 1) fail('only one dimension can be inferred');
  requested.forEach((d) => {
    if (typeof d === 'number' && d < -1) fail(`invalid shape dimension ${d}`);
  });
  const invalid = (): never => fail(`shape '${shapeText(requested)}' is invalid for input of size ${formatDim(total)}`);
  if (inferredAt.length === 0) {
    if (dims.equal(total, numel(requested)) === false) invalid();
    return [...requested];
  }
  const known = numel(requested.filter((d) => d !== -1));
  if (typeof known === 'number' && typeof total === 'number') {
    if (known === 0 || total % known !== 0) invalid();
  } else if (known === 0) {
    invalid();
  }
  const inferred = dims.floorDiv(total, known);
  return requested.map((d) => (d === -1 ? inferred : d));
}

/** Flattens dims start..end (inclusive) into one. A 0-d tensor becomes [1]. */
export function flattenShape(shape: readonly Dim[], startDim: number, endDim: number): Dim[] {
  if (shape.length === 0) return [1];
  const start = normalizeDim(startDim, shape.length);
  const end = normalizeDim(endDim, shape.length);
  if (start > end) fail('flatten() has invalid args: start_dim cannot come after end_dim');
  return [...shape.slice(0, start), numel(shape.slice(start, end + 1)), ...shape.slice(end + 1)];
}

export function unflattenShape(shape: readonly Dim[], dim: number, sizes: readonly Dim[]): Dim[] {
  const d = normalizeDim(dim, shape.length);
  const size = shape[d]!;
  if (sizes.length === 0) fail('unflatten: sizes must be non-empty');
  const inferredCount = sizes.filter((s) => s === -1).length;
  if (inferredCount === 0 && dims.equal(numel(sizes), size) === false) {
    fail(`unflatten: Provided sizes ${shapeText(sizes)} don't multiply up to the size of dim ${d} (${formatDim(size)}) in the input tensor`);
  }
  const resolved = inferredCount > 0 ? inferShape([size], sizes) : sizes;
  return [...shape.slice(0, d), ...resolved, ...shape.slice(d + 1)];
}

export function permuteShape(shape: readonly Dim[], order: readonly number[]): Dim[] {
  if (order.length !== shape.length) {
    fail(`permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${shape.length} is not equal to len(dims) = ${order.length}`);
  }
  const normalized = order.map((d) => normalizeDim(d, shape.length));
  if (new Set(normalized).size !== normalized.length) fail('permute(): duplicate dims are not allowed.');
  return normalized.map((d) => shape[d]!);
}

export function transposeShape(shape: readonly Dim[], dim0: number, dim1: number): Dim[] {
  if (shape.length === 0) return [];
  const a = normalizeDim(dim0, shape.length);
  const b = normalizeDim(dim1, shape.length);
  const out = [...shape];
  out[a] = shape[b]!;
  out[b] = shape[a]!;
  return out;
}

export function squeezeShape(shape: readonly Dim[], dim: number | undefined): Dim[] {
  // A symbolic size is kept: it might be 1 at run time, but the usual intent is that it is not.
  if (dim === undefined) return shape.filter((d) => d !== 1);
  if (shape.length === 0) {
    normalizeDim(dim, 0);
    return [];
  }
  const d = normalizeDim(dim, shape.length);
  return shape[d] === 1 ? shape.filter((_, i) => i !== d) : [...shape];
}

export function unsqueezeShape(shape: readonly Dim[], dim: number): Dim[] {
  const d = normalizeDim(dim, shape.length + 1);
  return [...shape.slice(0, d), 1, ...shape.slice(d)];
}

export function expandShape(shape: readonly Dim[], sizes: readonly Dim[]): Dim[] {
  if (sizes.length < shape.length) {
    fail(`expand(torch.FloatTensor{${shapeText(shape)}}, size=${shapeText(sizes)}): the number of sizes provided (${sizes.length}) must be greater or equal to the number of dimensions in the tensor (${shape.length})`);
  }
  const offset = sizes.length - shape.length;
  return sizes.map((s, i) => {
    const existing = i >= offset ? shape[i - offset]! : undefined;
    if (s === -1) {
      if (existing === undefined) fail(`The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension ${i}`);
      return existing;
    }
    if (existing !== undefined && existing !== 1 && provablyDifferent(existing, s)) {
      fail(`The expanded size of the tensor (${formatDim(s)}) must match the existing size (${formatDim(existing)}) at non-singleton dimension ${i}.  Target sizes: ${shapeText(sizes)}.  Tensor sizes: ${shapeText(shape)}`);
    }
    return s;
  });
}

export function repeatShape(shape: readonly Dim[], repeats: readonly Dim[]): Dim[] {
  if (repeats.length < shape.length) fail('Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
  const padded: Dim[] = [...Array<Dim>(repeats.length - shape.length).fill(1), ...shape];
  return padded.map((d, i) => dims.mul(d, repeats[i]!));
}

/** torch.cat: same rank, same sizes except along dim; PyTorch's messages. */
export function catShapes(shapes: readonly (readonly Dim[])[], dim: number): Dim[] {
  // PyTorch skips legacy empty 1-D tensors of shape [0] in cat.
  const used = shapes.filter((s) => !(s.length === 1 && s[0] === 0));
  if (used.length === 0) return shapes.length > 0 ? [0] : fail('torch.cat(): expected a non-empty list of Tensors');
  const first = used[0]!;
  const d = normalizeDim(dim, first.length);
  used.forEach((s) => {
    if (s.length !== first.length) fail(`Tensors must have same number of dimensions: got ${first.length} and ${s.length}`);
  });
  used.forEach((s, n) => {
    s.forEach((size, i) => {
      if (i !== d && provablyDifferent(size, first[i]!)) {
        fail(`Sizes of tensors must match except in dimension ${d}. Expected size ${formatDim(first[i]!)} but got size ${formatDim(size)} for tensor number ${n} in the list.`);
      }
    });
  });
  const out = [...first];
  out[d] = used.reduce<Dim>((acc, s) => dims.add(acc, s[d]!), 0);
  return out;
}

export function stackShapes(shapes: readonly (readonly Dim[])[], dim: number): Dim[] {
  if (shapes.length === 0) fail('stack expects a non-empty TensorList');
  const first = shapes[0]!;
  shapes.forEach((s, n) => {
    const same = s.length === first.length && s.every((size, i) => !provablyDifferent(size, first[i]!));
    if (!same) fail(`stack expects each tensor to be equal size, but got ${shapeText(first)} at entry 0 and ${shapeText(s)} at entry ${n}`);
  });
  const d = normalizeDim(dim, first.length + 1);
  return [...first.slice(0, d), shapes.length, ...first.slice(d)];
}

/** Pieces of `size` cut every `step` (the last one smaller), as split(int) and chunk do. */
function cutEvery(size: Dim, step: Dim): Dim[] {
  if (typeof size === 'number' && typeof step === 'number') {
    if (step <= 0) return fail(`split_size can only be 0 if dimension size is 0, but got dimension size of ${size}`);
    const pieces: number[] = [];
    for (let start = 0; start < size; start += step) pieces.push(Math.min(step, size - start));
    return pieces.length > 0 ? pieces : [0];
  }
  return giveUp('the number of pieces depends on the symbolic size');
}

export function splitShapes(shape: readonly Dim[], sizeOrSections: DataValue, dim: number): Dim[][] {
  const d = normalizeDim(dim, shape.length);
  const size = shape[d]!;
  let pieces: Dim[];
  if (sizeOrSections.kind === 'list' || sizeOrSections.kind === 'tuple') {
    pieces = sizeOrSections.items.map((v, i) => toDim(v, `split_sizes[${i}]`));
    if (dims.equal(pieces.reduce<Dim>((a, b) => dims.add(a, b), 0), size) === false) {
      fail(`split_with_sizes expects split_sizes to sum exactly to ${formatDim(size)} (input tensor's size at dimension ${d}), but got split_sizes=${shapeText(pieces)}`);
    }
  } else {
    pieces = cutEvery(size, toDim(sizeOrSections, 'split_size'));
  }
  return pieces.map((p) => shape.map((s, i) => (i === d ? p : s)));
}

export function chunkShapes(shape: readonly Dim[], chunks: number, dim: number): Dim[][] {
  if (chunks <= 0) fail('chunk expects `chunks` to be greater than 0, got: ' + chunks);
  const d = normalizeDim(dim, shape.length);
  const size = shape[d]!;
  // Symbolic sizes: assume they divide evenly, the usual intent of `x.chunk(n)`.
  const pieces: Dim[] = typeof size === 'number' ? cutEvery(size, Math.ceil(size / chunks) || 1) : Array<Dim>(chunks).fill(dims.floorDiv(size, chunks));
  return pieces.map((p) => shape.map((s, i) => (i === d ? p : s)));
}

// ---------------------------------------------------------------------------------------------------
// Registration.

const out = (t: KnownTensor, shape: readonly Dim[]) => result(tensor(shape, t.dtype));
const intList = (a: Args, name: string): number[] => a.varItems(name).map((v, i) => knownNumber(toDim(v, `${name}[${i}]`), name));

/** The tensors of a list/tuple argument (cat/stack). */
export function tensorList(a: Args, name: string): KnownTensor[] {
  const v = a.value(name);
  if (v?.kind !== 'list' && v?.kind !== 'tuple') {
    if (v?.kind === 'unknown') return giveUp(`${name} is unknown`);
    return fail(`expected a list or tuple of Tensors for ${name}, got ${v?.kind ?? 'nothing'}`);
  }
  return v.items.map((item, i) => toKnownTensor(item, `${name}[${i}]`, name));
}

const commonDtype = (ts: readonly KnownTensor[]) => ts.reduce((acc, t) => promoteTypes(acc, t.dtype), ts[0]?.dtype ?? 'float32');

/** A view's cost: it shares its subject's storage, with strides the effect gives. */
const viewOf =
  (effect: (t: KnownTensor, a: Args) => ViewEffect) =>
  (t: KnownTensor, a: Args, subject: string, _q: CostQuery): OpCost =>
    viewCost(subject, effect(t, a));
const reshapeView = (copyIfNeeded: boolean) => viewOf(() => ({ kind: 'reshape', copyIfNeeded }));

const viewLike = (name: string): OpEntry[] =>
  defineDualOp({
    name,
    torch: false,
    rest: [{ name: 'shape', variadic: true }],
    apply: (t, a) => out(t, inferShape(t.shape, a.sizes('shape'))),
    cost: reshapeView(name === 'reshape'),
  });

export const shapeOps: readonly OpEntry[] = [
  ...viewLike('view'),
  ...viewLike('reshape'),
  defineOp({
    name: 'torch.reshape',
    signature: [{ name: 'input' }, { name: 'shape' }],
    apply: (a) => {
      const t = a.tensor('input');
      return out(t, inferShape(t.shape, a.sizes('shape')));
    },
    cost: () => viewCost('input', { kind: 'reshape', copyIfNeeded: true }),
  }),
  ...defineDualOp({
    name: 'view_as',
    torch: false,
    rest: [{ name: 'other' }],
    apply: (t, a) => out(t, inferShape(t.shape, a.tensor('other').shape)),
    cost: reshapeView(false),
  }),
  ...defineDualOp({
    name: 'reshape_as',
    torch: false,
    rest: [{ name: 'other' }],
    apply: (t, a) => out(t, inferShape(t.shape, a.tensor('other').shape)),
    cost: reshapeView(true),
  }),
  ...defineDualOp({
    name: 'flatten',
    rest: [
      { name: 'start_dim', default: int(0) },
      { name: 'end_dim', default: int(-1) },
    ],
    apply: (t, a) => out(t, flattenShape(t.shape, a.int('start_dim'), a.int('end_dim'))),
    cost: reshapeView(true),
  }),
  ...defineDualOp({
    name: 'unflatten',
    rest: [{ name: 'dim' }, { name: 'sizes' }],
    apply: (t, a) => out(t, unflattenShape(t.shape, a.int('dim'), a.sizes('sizes'))),
    cost: reshapeView(true),
  }),
  // Tensor.permute(*dims) is variadic; torch.permute(input, dims) takes a tuple.
  defineOp({
    name: 'Tensor.permute',
    signature: [{ name: 'self' }, { name: 'dims', variadic: true }],
    apply: (a) => {
      const t = a.tensor('self');
      return out(t, permuteShape(t.shape, intList(a, 'dims')));
    },
    cost: (a) => {
      const rank = a.tensor('self').shape.length;
      return viewCost('self', { kind: 'permute', order: intList(a, 'dims').map((d) => normalizeDim(d, rank)) });
    },
  }),
  defineOp({
    name: 'torch.permute',
    signature: [{ name: 'input' }, { name: 'dims' }],
    apply: (a) => {
      const t = a.tensor('input');
      return out(t, permuteShape(t.shape, intList(a, 'dims')));
    },
    cost: (a) => {
      const rank = a.tensor('input').shape.length;
      return viewCost('input', { kind: 'permute', order: intList(a, 'dims').map((d) => normalizeDim(d, rank)) });
    },
  }),
  ...['transpose', 'swapaxes', 'swapdims'].flatMap((name) =>
    defineDualOp({
      name,
      rest: [{ name: name === 'swapaxes' ? 'axis0' : 'dim0' }, { name: name === 'swapaxes' ? 'axis1' : 'dim1' }],
      apply: (t, a) => out(t, transposeShape(t.shape, a.int(name === 'swapaxes' ? 'axis0' : 'dim0'), a.int(name === 'swapaxes' ? 'axis1' : 'dim1'))),
      cost: viewOf((t, a) => ({ kind: 'permute', order: transposeOrder(t.shape.length, a.int(name === 'swapaxes' ? 'axis0' : 'dim0'), a.int(name === 'swapaxes' ? 'axis1' : 'dim1')) })),
    }),
  ),
  ...defineDualOp({
    name: 't',
    rest: [],
    apply: (t) => {
      if (t.shape.length > 2) fail(`t() expects a tensor with <= 2 dimensions, but self is ${t.shape.length}D`);
      return out(t, [...t.shape].reverse());
    },
    cost: viewOf((t) => ({ kind: 'permute', order: t.shape.map((_, i) => t.shape.length - 1 - i) })),
  }),
  defineOp({
    name: 'Tensor.T',
    property: true,
    signature: [{ name: 'self' }],
    apply: (a) => {
      const t = a.tensor('self');
      return out(t, [...t.shape].reverse());
    },
    cost: (a) => {
      const rank = a.tensor('self').shape.length;
      return viewCost('self', { kind: 'permute', order: Array.from({ length: rank }, (_, i) => rank - 1 - i) });
    },
  }),
  defineOp({
    name: 'Tensor.mT',
    property: true,
    signature: [{ name: 'self' }],
    apply: (a) => {
      const t = a.tensor('self');
      if (t.shape.length < 2) fail('tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor.');
      return out(t, transposeShape(t.shape, -2, -1));
    },
    cost: (a) => viewCost('self', { kind: 'permute', order: transposeOrder(a.tensor('self').shape.length, -2, -1) }),
  }),
  ...defineDualOp({
    name: 'squeeze',
    rest: [{ name: 'dim', default: NONE }],
    apply: (t, a) => out(t, squeezeShape(t.shape, a.optInt('dim'))),
    cost: reshapeView(false),
  }),
  ...defineDualOp({
    name: 'unsqueeze',
    rest: [{ name: 'dim' }],
    apply: (t, a) => out(t, unsqueezeShape(t.shape, a.int('dim'))),
    cost: reshapeView(false),
  }),
  defineOp({
    name: 'Tensor.expand',
    signature: [{ name: 'self' }, { name: 'size', variadic: true }],
    apply: (a) => {
      const t = a.tensor('self');
      return out(t, expandShape(t.shape, a.sizes('size')));
    },
    cost: () => viewCost('self', { kind: 'expand' }),
  }),
  defineOp({
    name: 'Tensor.expand_as',
    signature: [{ name: 'self' }, { name: 'other' }],
    apply: (a) => {
      const t = a.tensor('self');
      return out(t, expandShape(t.shape, a.tensor('other').shape));
    },
    cost: () => viewCost('self', { kind: 'expand' }),
  }),
  defineOp({
    name: 'Tensor.repeat',
    signature: [{ name: 'self' }, { name: 'repeats', variadic: true }],
    apply: (a) => {
      const t = a.tensor('self');
      return out(t, repeatShape(t.shape, a.sizes('repeats')));
    },
    cost: () => copyCost(),
  }),
  ...['cat', 'concat', 'concatenate'].map((name) =>
    defineOp({
      name: `torch.${name}`,
      signature: [{ name: 'tensors' }, { name: 'dim', default: int(0) }],
      apply: (a) => {
        const ts = tensorList(a, 'tensors');
        return result(tensor(catShapes(ts.map((t) => t.shape), a.int('dim')), commonDtype(ts)));
      },
      cost: () => copyCost(),
    }),
  ),
  defineOp({
    name: 'torch.stack',
    signature: [{ name: 'tensors' }, { name: 'dim', default: int(0) }],
    apply: (a) => {
      const ts = tensorList(a, 'tensors');
      return result(tensor(stackShapes(ts.map((t) => t.shape), a.int('dim')), commonDtype(ts)));
    },
    cost: () => copyCost(),
  }),
  ...defineDualOp({
    name: 'split',
    rest: [{ name: 'split_size_or_sections' }, { name: 'dim', default: int(0) }],
    apply: (t, a) => result(tuple(splitShapes(t.shape, a.value('split_size_or_sections') ?? NONE, a.int('dim')).map((s) => tensor(s, t.dtype)))),
    cost: viewOf(() => ({ kind: 'slice' })),
  }),
  ...defineDualOp({
    name: 'chunk',
    rest: [{ name: 'chunks' }, { name: 'dim', default: int(0) }],
    apply: (t, a) => result(tuple(chunkShapes(t.shape, a.int('chunks'), a.int('dim')).map((s) => tensor(s, t.dtype)))),
    cost: viewOf(() => ({ kind: 'slice' })),
  }),
  ...defineDualOp({
    name: 'unbind',
    rest: [{ name: 'dim', default: int(0) }],
    apply: (t, a) => {
      const d = normalizeDim(a.int('dim'), t.shape.length);
      const count = knownNumber(t.shape[d]!, 'unbind size');
      const rest = t.shape.filter((_, i) => i !== d);
      return result(tuple(Array.from({ length: count }, () => tensor(rest, t.dtype))));
    },
    cost: viewOf((t, a) => ({ kind: 'slice', dropped: [normalizeDim(a.int('dim'), t.shape.length)] })),
  }),
];
