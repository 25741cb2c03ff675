// Matrix functions in the torch namespace: products beyond matmul (inner, tensordot, vdot, ger, addmv,
// addr, chain_matmul, cross) with MACs as the product of index sizes (macs.ts), and decompositions /
// inverses over batches of square matrices (det, logdet, slogdet, inverse, pinverse, matrix_exp,
// matrix_power, cholesky*, qr, svd, triangular_solve), which count no MACs (not multiply-add layers).
import * as dims from '../../../dims/dims';
import type { Dim } from '../../../dims/dims';
import { formatDim } from '../../../dims/dims';
import { NONE, bool, float, int, tensor, tuple } from '../../../values';
import type { OpEntry } from '../../types';
import { type KnownTensor, defineDualOp, defineOp, fail, giveUp, result, toDim } from '../define';
import { broadcastShapes, knownIndex, normalizeDim, promoteTypes, provablyDifferent } from '../shapes';
import { matmulResult } from './linalg';

/** A batch of square matrices (…, n, n), with linalg's message otherwise. */
function squareBatch(t: KnownTensor, op: string): { batch: Dim[]; n: Dim } {
  if (t.shape.length < 2) fail(`linalg.${op}: The input tensor A must have at least 2 dimensions.`, 'input');
  const [r, c] = t.shape.slice(-2) as [Dim, Dim];
  if (provablyDifferent(r, c)) fail(`linalg.${op}: A must be batches of square matrices, but they are ${formatDim(r)} by ${formatDim(c)} matrices`, 'input');
  return { batch: t.shape.slice(0, -2), n: r };
}

const squareOps: OpEntry[] = [
  ...(['det', 'logdet'] as const).flatMap((name) => defineDualOp({ name, rest: [], apply: (t) => result(tensor(squareBatch(t, name).batch, t.dtype)) })),
  ...defineDualOp({
    name: 'slogdet',
    rest: [],
    apply: (t) => {
      const { batch } = squareBatch(t, 'slogdet');
      return result(tuple([tensor(batch, t.dtype), tensor(batch, t.dtype)]));
    },
  }),
  ...(['inverse', 'matrix_exp', 'cholesky', 'cholesky_inverse'] as const).flatMap((name) =>
    defineDualOp({
      name,
      rest: name === 'cholesky' || name === 'cholesky_inverse' ? [{ name: 'upper', default: bool(false) }] : [],
      apply: (t) => {
        squareBatch(t, name === 'inverse' ? 'inv' : name);
        return result(tensor(t.shape, t.dtype));
      },
    }),
  ),
  ...defineDualOp({
    name: 'matrix_power',
    rest: [{ name: 'n' }],
    apply: (t) => {
      squareBatch(t, 'matrix_power');
      return result(tensor(t.shape, t.dtype));
    },
  }),
  // pinverse of (…, m, n) is (…, n, m).
  ...defineDualOp({
    name: 'pinverse',
    rest: [{ name: 'rcond', default: float(1e-15) }],
    apply: (t) => {
      if (t.shape.length < 2) fail('linalg.pinv(A): The input tensor A must have at least 2 dimensions.', 'input');
      return result(tensor([...t.shape.slice(0, -2), t.shape[t.shape.length - 1]!, t.shape[t.shape.length - 2]!], t.dtype));
    },
  }),
  // cholesky_solve(B, L): X has B's shape (batch dims broadcast).
  ...defineDualOp({
    name: 'cholesky_solve',
    rest: [{ name: 'input2' }, { name: 'upper', default: bool(false) }],
    apply: (b, a) => {
      const l = a.tensor('input2');
      const batch = broadcastShapes(b.shape.slice(0, -2), l.shape.slice(0, -2));
      return result(tensor([...batch, ...b.shape.slice(-2)], promoteTypes(b.dtype, l.dtype)));
    },
  }),
  // triangular_solve(b, A) → (solution (…, n, k), cloned A).
  ...defineDualOp({
    name: 'triangular_solve',
    rest: [{ name: 'A' }, { name: 'upper', default: bool(true) }, { name: 'transpose', default: bool(false) }, { name: 'unitriangular', default: bool(false) }],
    apply: (b, a) => {
      const A = a.tensor('A');
      squareBatch(A, 'solve_triangular');
      const batch = broadcastShapes(b.shape.slice(0, -2), A.shape.slice(0, -2));
      return result(tuple([tensor([...batch, ...b.shape.slice(-2)], b.dtype), tensor([...batch, ...A.shape.slice(-2)], A.dtype)]));
    },
  }),
];

/** qr(A (…, m, n)) → Q (…, m, k), R (…, k, n) with k = min(m, n) ('reduced'); svd → U, S, V (some=True). */
function minDim(m: Dim, n: Dim): Dim {
  if (typeof m === 'number' && typeof n === 'number') return Math.min(m, n);
  if (dims.equal(m, n) === true) return m;
  return giveUp('min of symbolic matrix sizes');
}

const factorOps: OpEntry[] = [
  ...defineDualOp({
    name: 'qr',
    rest: [{ name: 'some', default: bool(true) }],
    apply: (t, a) => {
      if (t.shape.length < 2) fail('linalg.qr: The input tensor A must have at least 2 dimensions.', 'input');
      const [m, n] = t.shape.slice(-2) as [Dim, Dim];
      const batch = t.shape.slice(0, -2);
      const k = a.bool('some') ? minDim(m, n) : m;
      return result(tuple([tensor([...batch, m, k], t.dtype), tensor([...batch, k, n], t.dtype)]));
    },
  }),
  ...defineDualOp({
    name: 'svd',
    rest: [{ name: 'some', default: bool(true) }, { name: 'compute_uv', default: bool(true) }],
    apply: (t, a) => {
      if (t.shape.length < 2) fail('linalg.svd: The input tensor A must have at least 2 dimensions.', 'input');
      const [m, n] = t.shape.slice(-2) as [Dim, Dim];
      const batch = t.shape.slice(0, -2);
      const k = minDim(m, n);
      const some = a.bool('some');
      const real = t.dtype === 'complex64' ? 'float32' : t.dtype === 'complex128' ? 'float64' : t.dtype;
      return result(tuple([tensor([...batch, m, some ? k : m], t.dtype), tensor([...batch, k], real), tensor([...batch, n, some ? k : n], t.dtype)]));
    },
  }),
];

/** Products: MACs are the product of all index sizes, as for matmul (macs.ts). */
const productOps: OpEntry[] = [
  ...defineDualOp({
    name: 'inner',
    rest: [{ name: 'other' }],
    apply: (t, a) => {
      const o = a.tensor('other');
      if (t.shape.length === 0 || o.shape.length === 0) return result(tensor(t.shape.length === 0 ? o.shape : t.shape, promoteTypes(t.dtype, o.dtype)));
      const [k1, k2] = [t.shape[t.shape.length - 1]!, o.shape[o.shape.length - 1]!];
      if (provablyDifferent(k1, k2)) fail(`inner() the last dimension must match on both input tensors but got shapes [${t.shape.map(formatDim).join(', ')}] and [${o.shape.map(formatDim).join(', ')}]`);
      const shape = [...t.shape.slice(0, -1), ...o.shape.slice(0, -1)];
      return { output: tensor(shape, promoteTypes(t.dtype, o.dtype)), macs: dims.mul(dims.product(shape), k1) };
    },
  }),
  ...defineDualOp({
    name: 'vdot',
    rest: [{ name: 'other' }],
    apply: (t, a) => {
      const o = a.tensor('other');
      if (t.shape.length !== 1 || o.shape.length !== 1) fail(`1D tensors expected, but got ${t.shape.length}D and ${o.shape.length}D tensors`);
      if (provablyDifferent(t.shape[0]!, o.shape[0]!)) fail(`inconsistent tensor size, expected tensor [${formatDim(t.shape[0]!)}] and src [${formatDim(o.shape[0]!)}] to have the same number of elements, but got ${formatDim(t.shape[0]!)} and ${formatDim(o.shape[0]!)} elements respectively`);
      return { output: tensor([], promoteTypes(t.dtype, o.dtype)), macs: t.shape[0]! };
    },
  }),
  ...['ger'].flatMap((name) =>
    defineDualOp({
      name,
      rest: [{ name: 'vec2' }],
      apply: (t, a) => {
        const o = a.tensor('vec2');
        if (t.shape.length !== 1 || o.shape.length !== 1) fail(`outer: Expected 1-D argument self, but got ${t.shape.length}-D`);
        return { output: tensor([t.shape[0]!, o.shape[0]!], promoteTypes(t.dtype, o.dtype)), macs: dims.mul(t.shape[0]!, o.shape[0]!) };
      },
    }),
  ),
  defineOp({
    name: 'torch.tensordot',
    signature: [{ name: 'a' }, { name: 'b' }, { name: 'dims', default: int(2) }, { name: 'out', default: NONE }],
    apply: (args) => {
      const [x, y] = [args.tensor('a'), args.tensor('b')];
      const spec = args.value('dims');
      let left: number[];
      let right: number[];
      if (spec?.kind === 'int') {
        const n = knownIndex(toDim(spec, 'dims'), 'dims');
        if (n < 0) fail(`tensordot expects dims >= 0, but got dims=${n}`);
        left = Array.from({ length: n }, (_, i) => x.shape.length - n + i);
        right = Array.from({ length: n }, (_, i) => i);
      } else if ((spec?.kind === 'tuple' || spec?.kind === 'list') && spec.items.length === 2) {
        const list = (v: (typeof spec.items)[number], rank: number): number[] =>
          (v.kind === 'tuple' || v.kind === 'list' ? v.items : [v]).map((d) => normalizeDim(knownIndex(toDim(d, 'dims'), 'dims'), rank));
        left = list(spec.items[0]!, x.shape.length);
        right = list(spec.items[1]!, y.shape.length);
      } else return giveUp('tensordot dims are unknown');
      if (left.length !== right.length) fail('both dimension lists should have same length');
      left.forEach((d, i) => {
        if (provablyDifferent(x.shape[d]!, y.shape[right[i]!]!)) fail(`contracted dimensions need to match, but first has size ${formatDim(x.shape[d]!)} in dim ${d} and second has size ${formatDim(y.shape[right[i]!]!)} in dim ${right[i]}`);
      });
      const shape = [...x.shape.filter((_, i) => !left.includes(i)), ...y.shape.filter((_, i) => !right.includes(i))];
      return { output: tensor(shape, promoteTypes(x.dtype, y.dtype)), macs: dims.mul(dims.product(shape), dims.product(left.map((d) => x.shape[d]!))) };
    },
  }),
  // addmv(input, mat, vec) = input + mat @ vec; addr(input, vec1, vec2) = input + vec1 ⊗ vec2.
  ...['addmv', 'addmv_'].flatMap((name) =>
    defineDualOp({
      name,
      torch: name === 'addmv',
      rest: [{ name: 'mat' }, { name: 'vec' }, { name: 'beta', default: int(1), keywordOnly: true }, { name: 'alpha', default: int(1), keywordOnly: true }],
      apply: (t, a) => {
        const product = matmulResult(a.tensor('mat'), a.tensor('vec'));
        const out = product.output.kind === 'tensor' && product.output.shape ? broadcastShapes(t.shape, product.output.shape) : t.shape;
        return { output: tensor(name === 'addmv_' ? t.shape : out, t.dtype), macs: product.macs };
      },
    }),
  ),
  ...['addr', 'addr_'].flatMap((name) =>
    defineDualOp({
      name,
      torch: name === 'addr',
      rest: [{ name: 'vec1' }, { name: 'vec2' }, { name: 'beta', default: int(1), keywordOnly: true }, { name: 'alpha', default: int(1), keywordOnly: true }],
      apply: (t, a) => {
        const [v1, v2] = [a.tensor('vec1'), a.tensor('vec2')];
        if (v1.shape.length !== 1 || v2.shape.length !== 1) fail(`addr: Expected 1-D argument vec1, but got ${v1.shape.length}-D`);
        const outer = [v1.shape[0]!, v2.shape[0]!];
        return { output: tensor(name === 'addr_' ? t.shape : broadcastShapes(t.shape, outer), t.dtype), macs: dims.mul(outer[0]!, outer[1]!) };
      },
    }),
  ),
  defineOp({
    name: 'torch.chain_matmul',
    signature: [{ name: 'matrices', variadic: true }],
    apply: (a) => {
      const ms = a.varItems('matrices').map((v, i) => (v.kind === 'tensor' && v.shape ? (v as KnownTensor) : giveUp(`chain_matmul: argument ${i} is not a known tensor`)));
      if (ms.length === 0) fail('chain_matmul(): Expected one or more matrices');
      let acc: KnownTensor = ms[0]!;
      let macs: Dim = 0;
      for (const m of ms.slice(1)) {
        const r = matmulResult(acc, m);
        macs = dims.add(macs, r.macs ?? 0);
        acc = r.output as KnownTensor;
      }
      return { output: tensor(acc.shape, acc.dtype), macs };
    },
  }),
  ...defineDualOp({
    name: 'cross',
    rest: [{ name: 'other' }, { name: 'dim', default: NONE }],
    apply: (t, a) => {
      const o = a.tensor('other');
      const shape = broadcastShapes(t.shape, o.shape);
      const d = a.isNone('dim') ? shape.findIndex((s) => s === 3) : normalizeDim(a.int('dim'), shape.length);
      if (d < 0 || dims.equal(shape[d]!, 3) === false) fail(`linalg.cross: inputs dimension ${d} must have length 3. Got ${t.shape[d] ?? '?'} and ${o.shape[d] ?? '?'}`);
      return result(tensor(shape, promoteTypes(t.dtype, o.dtype)));
    },
  }),
];

export const decompositionOps: readonly OpEntry[] = [...squareOps, ...factorOps, ...productOps];
