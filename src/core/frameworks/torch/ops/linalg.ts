// Matrix products: matmul / @ (all of torch.matmul's rank cases with batch broadcasting), mm, bmm, einsum.
// MACs: the product of every index size (batch · n · m · p), see macs.ts.
import * as dims from '../../../dims/dims';
import type { Dim } from '../../../dims/dims';
import { formatDim } from '../../../dims/dims';
import type { DataValue } from '../../../values';
import { tensor } from '../../../values';
import type { ForwardResult, OpEntry } from '../../types';
import { type KnownTensor, defineDualOp, defineOp, fail, toKnownTensor } from '../define';
import { broadcastShapes, provablyDifferent, promoteTypes } from '../shapes';
import { matmulCost, plainProductCost } from '../costs';

const x = (a: Dim, b: Dim) => `${formatDim(a)}x${formatDim(b)}`;

/** torch.matmul's shape rule and MACs, with PyTorch's messages for the common mismatches. */
export function matmulResult(a: KnownTensor, b: KnownTensor): ForwardResult {
  const sa = a.shape;
  const sb = b.shape;
  const dtype = promoteTypes(a.dtype, b.dtype);
  if (sa.length === 0 || sb.length === 0) fail(`both arguments to matmul need to be at least 1D, but they are ${sa.length}D and ${sb.length}D`);
  if (sa.length === 1 && sb.length === 1) {
    if (provablyDifferent(sa[0]!, sb[0]!)) {
      fail(`inconsistent tensor size, expected tensor [${formatDim(sa[0]!)}] and src [${formatDim(sb[0]!)}] to have the same number of elements, but got ${formatDim(sa[0]!)} and ${formatDim(sb[0]!)} elements respectively`);
    }
    return { output: tensor([], dtype), macs: sa[0]! };
  }
  if (sb.length === 1) {
    const m = sa[sa.length - 1]!;
    if (provablyDifferent(m, sb[0]!)) fail(`size mismatch, got ${formatDim(sa[sa.length - 2]!)}, ${x(sa[sa.length - 2]!, m)},${formatDim(sb[0]!)}`);
    const outShape = sa.slice(0, -1);
    return { output: tensor(outShape, dtype), macs: dims.mul(dims.product(outShape), m) };
  }
  // A 1-D left operand is a row vector whose dim is dropped afterwards.
  const left = sa.length === 1 ? [1, sa[0]!] : sa;
  const n = left[left.length - 2]!;
  const m = left[left.length - 1]!;
  const m2 = sb[sb.length - 2]!;
  const p = sb[sb.length - 1]!;
  if (provablyDifferent(m, m2)) {
    if (sa.length === 3 && sb.length === 3) fail(`Expected size for first two dimensions of batch2 tensor to be: [${formatDim(sa[0]!)}, ${formatDim(m)}] but got: [${formatDim(sb[0]!)}, ${formatDim(m2)}].`);
    const rows = sb.length === 2 ? dims.product(left.slice(0, -1)) : n;
    fail(`mat1 and mat2 shapes cannot be multiplied (${x(rows, m)} and ${x(m2, p)})`);
  }
  const batch = broadcastShapes(left.slice(0, -2), sb.slice(0, -2));
  const outShape = [...batch, ...(sa.length === 1 ? [] : [n]), p];
  return { output: tensor(outShape, dtype), macs: dims.product([...batch, n, m, p]) };
}

function mm(a: KnownTensor, b: KnownTensor): ForwardResult {
  if (a.shape.length !== 2) fail('self must be a matrix');
  if (b.shape.length !== 2) fail('mat2 must be a matrix');
  return matmulResult(a, b);
}

function bmm(a: KnownTensor, b: KnownTensor): ForwardResult {
  if (a.shape.length !== 3) fail('batch1 must be a 3D tensor');
  if (b.shape.length !== 3) fail('batch2 must be a 3D tensor');
  if (provablyDifferent(a.shape[0]!, b.shape[0]!) || provablyDifferent(a.shape[2]!, b.shape[1]!)) {
    fail(`Expected size for first two dimensions of batch2 tensor to be: [${formatDim(a.shape[0]!)}, ${formatDim(a.shape[2]!)}] but got: [${formatDim(b.shape[0]!)}, ${formatDim(b.shape[1]!)}].`);
  }
  return matmulResult(a, b);
}

// ---------------------------------------------------------------------------------------------------
// einsum

interface ParsedEinsum {
  readonly inputs: readonly string[];
  readonly output: string | undefined;
}

/** Splits 'bhqd,bhkd->bhqk' into operand subscripts; '...' is kept as the single character '.'. */
export function parseEinsum(equation: string): ParsedEinsum {
  const compact = equation.replace(/\s+/g, '').replace(/\.\.\./g, '.');
  const [lhs, rhs, ...extra] = compact.split('->');
  if (extra.length > 0 || lhs === undefined) fail('einsum(): invalid equation');
  const valid = /^[a-zA-Z.]*$/;
  const inputs = lhs.split(',');
  for (const s of [...inputs, rhs ?? '']) {
    if (!valid.test(s)) fail(`einsum(): invalid subscript given at index ${s.search(/[^a-zA-Z.]/)} in the equation string, subscripts must be in [a-zA-Z]`);
  }
  return { inputs, output: rhs };
}

export function einsumResult(equation: string, operands: readonly KnownTensor[]): ForwardResult {
  const parsed = parseEinsum(equation);
  if (parsed.inputs.length !== operands.length) fail(`einsum(): ${parsed.inputs.length} operands were specified in the equation but ${operands.length} were given`);
  const sizes = new Map<string, Dim>();
  let ellipsis: Dim[] = [];
  parsed.inputs.forEach((subscripts, k) => {
    const shape = operands[k]!.shape;
    const letters = subscripts.replace('.', '');
    const hasEllipsis = subscripts.includes('.');
    if (hasEllipsis ? shape.length < letters.length : shape.length !== letters.length) {
      fail(`einsum(): the number of subscripts in the equation (${letters.length}) does not match the number of dimensions (${shape.length}) for operand ${k}${hasEllipsis ? '' : ' and no ellipsis was given'}`);
    }
    const dotAt = subscripts.indexOf('.');
    const ellipsisRank = shape.length - letters.length;
    if (hasEllipsis) ellipsis = broadcastShapes(ellipsis, shape.slice(dotAt, dotAt + ellipsisRank));
    [...letters].forEach((letter, i) => {
      const axis = hasEllipsis && i >= dotAt ? i + ellipsisRank : i;
      const size = shape[axis]!;
      const seen = sizes.get(letter);
      if (seen === undefined || seen === 1) sizes.set(letter, size);
      else if (size !== 1 && provablyDifferent(seen, size)) {
        fail(`einsum(): subscript ${letter} has size ${formatDim(size)} for operand ${k} which does not broadcast with previously seen size ${formatDim(seen)}`);
      }
    });
  });
  // Implicit output: letters used exactly once, in alphabetical order, after the ellipsis dims.
  const output =
    parsed.output ??
    (parsed.inputs.some((s) => s.includes('.')) ? '.' : '') +
      [...sizes.keys()].filter((l) => parsed.inputs.join('').split(l).length === 2).sort().join('');
  const outShape = [...output].flatMap((l) => {
    if (l === '.') return ellipsis;
    const size = sizes.get(l);
    return size === undefined ? fail(`einsum(): output subscript ${l} does not appear in the equation for any input operand`) : [size];
  });
  const dtype = operands.reduce((acc, t) => promoteTypes(acc, t.dtype), operands[0]?.dtype ?? 'float32');
  const macs = operands.length < 2 ? 0 : dims.product([...ellipsis, ...sizes.values()]);
  return { output: tensor(outShape, dtype), macs };
}

/** `einsum(eq, a, b)` and `einsum(eq, [a, b])` both arrive as the variadic's items. */
const einsumOperands = (items: readonly DataValue[]): KnownTensor[] => items.map((v, i) => toKnownTensor(v, `einsum operand ${i}`));

export const linalgOps: readonly OpEntry[] = [
  ...defineDualOp({
    name: 'matmul',
    rest: [{ name: 'other' }],
    apply: (t, a) => matmulResult(t, a.tensor('other')),
    cost: (t, a, subject, q) => matmulCost(t, a.tensor('other'), subject, 'other', q),
  }),
  defineOp({
    name: 'Tensor.__matmul__',
    signature: [{ name: 'self' }, { name: 'other' }],
    apply: (a) => matmulResult(a.tensor('self'), a.tensor('other')),
    cost: (a, q) => matmulCost(a.tensor('self'), a.tensor('other'), 'self', 'other', q),
  }),
  defineOp({
    name: 'Tensor.__rmatmul__',
    signature: [{ name: 'self' }, { name: 'other' }],
    apply: (a) => matmulResult(a.tensor('other'), a.tensor('self')),
    cost: (a, q) => matmulCost(a.tensor('other'), a.tensor('self'), 'other', 'self', q),
  }),
  ...defineDualOp({ name: 'mm', rest: [{ name: 'mat2' }], apply: (t, a) => mm(t, a.tensor('mat2')), cost: (_t, _a, subject, q) => plainProductCost(subject, 'mat2', q) }),
  ...defineDualOp({ name: 'bmm', rest: [{ name: 'mat2' }], apply: (t, a) => bmm(t, a.tensor('mat2')), cost: (_t, _a, subject, q) => plainProductCost(subject, 'mat2', q) }),
  ...defineDualOp({
    name: 'mv',
    rest: [{ name: 'vec' }],
    apply: (t, a) => {
      if (t.shape.length !== 2) fail(`vector + matrix @ vector expected, got 1, ${t.shape.length}, 1`);
      return matmulResult(t, a.tensor('vec'));
    },
    cost: (_t, _a, subject, q) => plainProductCost(subject, 'vec', q),
  }),
  ...defineDualOp({
    name: 'dot',
    rest: [{ name: 'other' }],
    apply: (t, a) => {
      const o = a.tensor('other');
      if (t.shape.length !== 1 || o.shape.length !== 1) fail(`1D tensors expected, but got ${t.shape.length}D and ${o.shape.length}D tensors`);
      return matmulResult(t, o);
    },
    cost: (_t, _a, subject, q) => plainProductCost(subject, 'other', q),
  }),
  ...defineDualOp({
    name: 'outer',
    rest: [{ name: 'vec2' }],
    apply: (t, a) => {
      const o = a.tensor('vec2');
      return { output: tensor([t.shape[0] ?? 1, o.shape[0] ?? 1], promoteTypes(t.dtype, o.dtype)), macs: dims.mul(t.shape[0] ?? 1, o.shape[0] ?? 1) };
    },
    cost: (_t, _a, subject, q) => plainProductCost(subject, 'vec2', q),
  }),
  defineOp({
    name: 'torch.einsum',
    signature: [{ name: 'equation' }, { name: 'operands', variadic: true }],
    apply: (a) => einsumResult(a.str('equation'), einsumOperands(a.varItems('operands'))),
    // Two operands contract through bmm on permuted views; other counts have no cost rule yet.
    cost: (a, q) => {
      const operands = a.varItems('operands');
      if (operands.length !== 2) throw new Error('einsum cost is known for two operands');
      const packed = a.value('operands')?.kind === 'tuple' && (a.value('operands') as { items: readonly { kind: string }[] }).items.length === 1;
      return plainProductCost(packed ? 'operands.0.0' : 'operands.0', packed ? 'operands.0.1' : 'operands.1', q);
    },
  }),
];

