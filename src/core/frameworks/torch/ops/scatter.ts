// Ops that write into a copy of the input (or into it, for the _ forms) and keep its shape: scatter,
// scatter_add, scatter_reduce, index_add/copy/fill/reduce/put, masked_scatter, put, and the *_scatter
// embeddings of a slice, a selection or a diagonal. Index ranks are checked as PyTorch checks them.
// 0 MACs by the catalogue convention.
import { NONE, bool, int, tensor } from '../../../values';
import type { ArgSpec, OpEntry } from '../../types';
import { type Args, type KnownTensor, defineDualOp, fail, result } from '../define';
import { broadcastShapes, normalizeDim } from '../shapes';

/** Registers `name` (torch and method) and `name_` (method only), both keeping self's shape and dtype. */
function sameShapeFamily(name: string, rest: readonly ArgSpec[], check: (self: KnownTensor, a: Args) => void): OpEntry[] {
  return [name, `${name}_`].flatMap((n) =>
    defineDualOp({
      name: n,
      torch: n === name,
      rest,
      apply: (t, a) => {
        check(t, a);
        return result(tensor(t.shape, t.dtype));
      },
    }),
  );
}

/** scatter-style: index has the rank of self (a 0-d self takes a 0-d or 1-element index). */
function checkScatterIndex(t: KnownTensor, a: Args, op: string): void {
  normalizeDim(a.int('dim'), t.shape.length);
  const index = a.tensor('index');
  if (index.dtype !== 'int64' && index.dtype !== 'unknown') fail(`${op}(): Expected dtype int64 for index`, 'index');
  if (index.shape.length !== t.shape.length && !(t.shape.length === 0 && index.shape.length <= 1)) {
    fail('Index tensor must have the same number of dimensions as self tensor', 'index');
  }
}

/** index_*-style: a 1-D (or 0-d) index along dim. */
function checkIndexVector(t: KnownTensor, a: Args, op: string): void {
  normalizeDim(a.int('dim'), t.shape.length);
  const index = a.tensor('index');
  if (index.shape.length > 1) fail(`${op}_(): Index is supposed to be a vector`, 'index');
  if (index.dtype !== 'int64' && index.dtype !== 'int32' && index.dtype !== 'unknown') fail(`${op}_(): Expected dtype int32/int64 for index`, 'index');
}

const scatterOps: OpEntry[] = [
  ...sameShapeFamily('scatter', [{ name: 'dim' }, { name: 'index' }, { name: 'src', default: NONE }, { name: 'value', default: NONE }, { name: 'reduce', default: NONE, keywordOnly: true }], (t, a) => checkScatterIndex(t, a, 'scatter')),
  ...sameShapeFamily('scatter_add', [{ name: 'dim' }, { name: 'index' }, { name: 'src' }], (t, a) => checkScatterIndex(t, a, 'scatter_add')),
  ...sameShapeFamily('scatter_reduce', [{ name: 'dim' }, { name: 'index' }, { name: 'src' }, { name: 'reduce' }, { name: 'include_self', default: bool(true), keywordOnly: true }], (t, a) => {
    checkScatterIndex(t, a, 'scatter_reduce');
    const reduce = a.str('reduce');
    if (!['sum', 'prod', 'mean', 'amax', 'amin'].includes(reduce)) fail(`reduce argument must be either sum, prod, mean, amax or amin, got ${reduce}`, 'reduce');
  }),
  ...sameShapeFamily('index_add', [{ name: 'dim' }, { name: 'index' }, { name: 'source' }, { name: 'alpha', default: int(1), keywordOnly: true }], (t, a) => checkIndexVector(t, a, 'index_add')),
  ...sameShapeFamily('index_copy', [{ name: 'dim' }, { name: 'index' }, { name: 'source' }], (t, a) => checkIndexVector(t, a, 'index_copy')),
  ...sameShapeFamily('index_fill', [{ name: 'dim' }, { name: 'index' }, { name: 'value' }], (t, a) => checkIndexVector(t, a, 'index_fill')),
  ...sameShapeFamily('index_reduce', [{ name: 'dim' }, { name: 'index' }, { name: 'source' }, { name: 'reduce' }, { name: 'include_self', default: bool(true), keywordOnly: true }], (t, a) => checkIndexVector(t, a, 'index_reduce')),
  ...sameShapeFamily('index_put', [{ name: 'indices' }, { name: 'values' }, { name: 'accumulate', default: bool(false) }], () => undefined),
  ...sameShapeFamily('put', [{ name: 'index' }, { name: 'source' }, { name: 'accumulate', default: bool(false) }], () => undefined),
  ...sameShapeFamily('masked_scatter', [{ name: 'mask' }, { name: 'source' }], (t, a) => {
    const mask = a.tensor('mask');
    if (mask.dtype !== 'bool' && mask.dtype !== 'unknown') fail('masked_scatter_ only supports boolean masks', 'mask');
    broadcastShapes(t.shape, mask.shape);
  }),
  ...['slice_scatter', 'select_scatter', 'diagonal_scatter', 'as_strided_scatter'].flatMap((name) =>
    defineDualOp({
      name,
      rest:
        name === 'slice_scatter'
          ? [{ name: 'src' }, { name: 'dim', default: int(0) }, { name: 'start', default: NONE }, { name: 'end', default: NONE }, { name: 'step', default: int(1) }]
          : name === 'select_scatter'
            ? [{ name: 'src' }, { name: 'dim' }, { name: 'index' }]
            : name === 'diagonal_scatter'
              ? [{ name: 'src' }, { name: 'offset', default: int(0) }, { name: 'dim1', default: int(0) }, { name: 'dim2', default: int(1) }]
              : [{ name: 'src' }, { name: 'size' }, { name: 'stride' }, { name: 'storage_offset', default: NONE }],
      apply: (t, a) => {
        const src = a.tensor('src');
        if (name === 'slice_scatter') {
          // src must have the shape of self[..., start:end:step, ...] along dim.
          const d = normalizeDim(a.int('dim'), t.shape.length);
          const size = t.shape[d]!;
          if (typeof size === 'number') {
            const step = a.int('step');
            const clamp = (v: number | undefined, dflt: number): number => (v === undefined ? dflt : Math.min(Math.max(v < 0 ? v + size : v, 0), size));
            const [start, end] = [clamp(a.optInt('start'), 0), clamp(a.optInt('end'), size)];
            const expected = t.shape.map((s, i) => (i === d ? Math.max(0, Math.ceil((end - start) / step)) : s));
            if (expected.length !== src.shape.length || expected.some((s, i) => String(s) !== String(src.shape[i]))) {
              fail(`expected src to have a size equal to the slice of self. src size = [${src.shape.join(', ')}], slice size = [${expected.join(', ')}]`, 'src');
            }
          }
        }
        return result(tensor(t.shape, t.dtype));
      },
    }),
  ),
];


export { scatterOps };
