// Order statistics and summaries: median / nanmedian / mode / kthvalue (values and indices along a dim),
// quantile, aminmax, cummax / cummin, msort, dist, histc, cov / corrcoef, renorm. 0 MACs by the catalogue
// convention.
import type { Dim } from '../../../dims/dims';
import type { DType } from '../../../values';
import { NONE, bool, float, int, str, tensor, tuple } from '../../../values';
import type { ArgSpec, ForwardResult, OpEntry } from '../../types';
import { type Args, type KnownTensor, defineDualOp, fail, result } from '../define';
import { broadcastShapes, isFloating, normalizeDim } from '../shapes';
import { reducedShape } from './reduction';

const keepdim: ArgSpec = { name: 'keepdim', default: bool(false) };

/** (values, indices) along dim; without dim (median/nanmedian only) a 0-d value. */
function valuesAndIndices(t: KnownTensor, a: Args, dimOptional: boolean): ForwardResult {
  if (dimOptional && a.isNone('dim')) return result(tensor([], t.dtype));
  const d = normalizeDim(a.int('dim'), t.shape.length);
  const shape = reducedShape(t.shape, t.shape.length === 0 ? undefined : [d], a.bool('keepdim'));
  return result(tuple([tensor(shape, t.dtype), tensor(shape, 'int64')]));
}

const orderOps: OpEntry[] = [
  ...['median', 'nanmedian'].flatMap((name) => defineDualOp({ name, rest: [{ name: 'dim', default: NONE }, keepdim], apply: (t, a) => valuesAndIndices(t, a, true) })),
  ...defineDualOp({ name: 'mode', rest: [{ name: 'dim', default: int(-1) }, keepdim], apply: (t, a) => valuesAndIndices(t, a, false) }),
  ...defineDualOp({
    name: 'kthvalue',
    rest: [{ name: 'k' }, { name: 'dim', default: int(-1) }, keepdim],
    apply: (t, a) => {
      const d = normalizeDim(a.int('dim'), t.shape.length);
      const size = t.shape.length === 0 ? 1 : t.shape[d]!;
      const k = a.int('k');
      if (typeof size === 'number' && (k < 1 || k > size)) fail(`kthvalue(): selected number k out of range for dimension ${d}`, 'k');
      return valuesAndIndices(t, a, false);
    },
  }),
  ...['cummax', 'cummin'].flatMap((name) =>
    defineDualOp({
      name,
      rest: [{ name: 'dim' }],
      apply: (t, a) => {
        normalizeDim(a.int('dim'), t.shape.length);
        return result(tuple([tensor(t.shape, t.dtype), tensor(t.shape, 'int64')]));
      },
    }),
  ),
  ...defineDualOp({ name: 'msort', rest: [], apply: (t) => result(tensor(t.shape, t.dtype)) }),
  ...defineDualOp({
    name: 'aminmax',
    rest: [{ name: 'dim', default: NONE, keywordOnly: true }, { name: 'keepdim', default: bool(false), keywordOnly: true }],
    apply: (t, a) => {
      const shape = reducedShape(t.shape, a.isNone('dim') ? undefined : [normalizeDim(a.int('dim'), t.shape.length)], a.bool('keepdim'));
      return result(tuple([tensor(shape, t.dtype), tensor(shape, t.dtype)]));
    },
  }),
];

/** quantile(q): q a float gives the reduced shape; q a 1-D tensor of n levels prepends n. */
const quantileOps: OpEntry[] = ['quantile', 'nanquantile'].flatMap((name) =>
  defineDualOp({
    name,
    rest: [{ name: 'q' }, { name: 'dim', default: NONE }, keepdim, { name: 'interpolation', default: str('linear'), keywordOnly: true }],
    apply: (t, a) => {
      if (!isFloating(t.dtype) && t.dtype !== 'unknown') fail(`${name}() input tensor must be either float or double dtype`, 'input');
      const q = a.value('q');
      const levels: Dim[] = q?.kind === 'tensor' ? (q.shape ?? []).slice(0, 1) : [];
      if (q?.kind === 'tensor' && (q.shape?.length ?? 0) > 1) fail(`${name}() q must be a scalar or 1D tensor`, 'q');
      const shape = reducedShape(t.shape, a.isNone('dim') ? undefined : [normalizeDim(a.int('dim'), t.shape.length)], a.bool('keepdim'));
      return result(tensor([...levels, ...shape], t.dtype));
    },
  }),
);

const summaryOps: OpEntry[] = [
  ...defineDualOp({
    name: 'dist',
    rest: [{ name: 'other' }, { name: 'p', default: float(2) }],
    apply: (t, a) => {
      broadcastShapes(t.shape, a.tensor('other').shape);
      return result(tensor([], t.dtype));
    },
  }),
  ...defineDualOp({
    name: 'histc',
    rest: [{ name: 'bins', default: int(100) }, { name: 'min', default: int(0) }, { name: 'max', default: int(0) }],
    apply: (t, a) => {
      if (!isFloating(t.dtype) && t.dtype !== 'unknown') fail(`"histogram_cpu" not implemented for '${t.dtype === 'int64' ? 'Long' : t.dtype}'`, 'input');
      return result(tensor([a.dim('bins')], t.dtype));
    },
  }),
  // cov / corrcoef: rows are variables, columns observations; a vector is one variable.
  ...['cov', 'corrcoef'].flatMap((name) =>
    defineDualOp({
      name,
      rest: name === 'cov' ? [{ name: 'correction', default: int(1), keywordOnly: true }, { name: 'fweights', default: NONE, keywordOnly: true }, { name: 'aweights', default: NONE, keywordOnly: true }] : [],
      apply: (t) => {
        if (t.shape.length > 2) fail(`${name}(): expected input to have two or fewer dimensions but got an input with ${t.shape.length} dimensions`, 'input');
        const dtype: DType = isFloating(t.dtype) || t.dtype === 'unknown' ? t.dtype : 'float32';
        return result(t.shape.length === 2 ? tensor([t.shape[0]!, t.shape[0]!], dtype) : tensor([], dtype));
      },
    }),
  ),
  ...['renorm', 'renorm_'].flatMap((name) =>
    defineDualOp({
      name,
      torch: name === 'renorm',
      rest: [{ name: 'p' }, { name: 'dim' }, { name: 'maxnorm' }],
      apply: (t, a) => {
        normalizeDim(a.int('dim'), t.shape.length);
        return result(tensor(t.shape, t.dtype));
      },
    }),
  ),
];

/** Comparisons and lookups that give a bool or index per element: isclose, isin, bucketize, searchsorted. */
const lookupOps: OpEntry[] = [
  ...defineDualOp({
    name: 'isclose',
    rest: [{ name: 'other' }, { name: 'rtol', default: float(1e-5) }, { name: 'atol', default: float(1e-8) }, { name: 'equal_nan', default: bool(false) }],
    apply: (t, a) => result(tensor(broadcastShapes(t.shape, a.tensor('other').shape), 'bool')),
  }),
  defineDualOp({
    name: 'isin',
    method: false,
    rest: [{ name: 'test_elements' }, { name: 'assume_unique', default: bool(false), keywordOnly: true }, { name: 'invert', default: bool(false), keywordOnly: true }],
    apply: (t) => result(tensor(t.shape, 'bool')),
  })[0]!,
  defineDualOp({
    name: 'bucketize',
    method: false,
    rest: [{ name: 'boundaries' }, { name: 'out_int32', default: bool(false), keywordOnly: true }, { name: 'right', default: bool(false), keywordOnly: true }],
    apply: (t, a) => {
      if (a.tensor('boundaries').shape.length !== 1) fail('boundaries tensor must be 1 dimension', 'boundaries');
      return result(tensor(t.shape, a.bool('out_int32') ? 'int32' : 'int64'));
    },
  })[0]!,
  defineDualOp({
    name: 'searchsorted',
    method: false,
    rest: [{ name: 'input' }, { name: 'out_int32', default: bool(false), keywordOnly: true }, { name: 'right', default: bool(false), keywordOnly: true }, { name: 'side', default: NONE, keywordOnly: true }, { name: 'sorter', default: NONE, keywordOnly: true }],
    apply: (sorted, a) => {
      // torch.searchsorted(sorted_sequence, input): one index per element of input.
      const values = a.tensor('input');
      if (sorted.shape.length > 1 && sorted.shape.slice(0, -1).some((d, i) => String(d) !== String(values.shape[i]))) fail('torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries tensor and input value tensor must match', 'input');
      return result(tensor(values.shape, a.bool('out_int32') ? 'int32' : 'int64'));
    },
  })[0]!,
];

/** Integration along a dim (trapezoid / trapz reduce it; cumulative_trapezoid shortens it by one). */
const integrationOps: OpEntry[] = [
  ...['trapezoid', 'trapz', 'cumulative_trapezoid'].map(
    (name) =>
      defineDualOp({
        name,
        method: false,
        rest: [{ name: 'x', default: NONE }, { name: 'dx', default: NONE, keywordOnly: true }, { name: 'dim', default: int(-1), keywordOnly: true }],
        apply: (y, a) => {
          const d = normalizeDim(a.int('dim'), y.shape.length);
          const dtype: DType = isFloating(y.dtype) || y.dtype === 'unknown' ? y.dtype : 'float32';
          if (name === 'cumulative_trapezoid') {
            const n = y.shape[d]!;
            return result(tensor(y.shape.map((s, i) => (i === d ? (typeof n === 'number' ? Math.max(0, n - 1) : s) : s)), dtype));
          }
          return result(tensor(y.shape.filter((_, i) => i !== d), dtype));
        },
      })[0]!,
  ),
  ...defineDualOp({
    name: 'frexp',
    rest: [],
    apply: (t) => {
      if (!isFloating(t.dtype)) fail('torch.frexp() only supports floating-point dtypes', 'input');
      return result(tuple([tensor(t.shape, t.dtype), tensor(t.shape, 'int32')]));
    },
  }),
  // histogram(bins=n) → (hist [n], edges [n + 1]); with a tensor of k edges → (hist [k − 1], edges [k]).
  ...defineDualOp({
    name: 'histogram',
    rest: [{ name: 'bins', default: int(100) }, { name: 'range', default: NONE, keywordOnly: true }, { name: 'weight', default: NONE, keywordOnly: true }, { name: 'density', default: bool(false), keywordOnly: true }],
    apply: (t, a) => {
      if (!isFloating(t.dtype)) fail(`torch.histogram: input tensor and bins tensors should have the same dtype, but got input ${t.dtype} and bins float`, 'input');
      const bins = a.value('bins');
      if (bins?.kind === 'tensor') {
        const k = (bins.shape ?? [])[0] ?? 1;
        return result(tuple([tensor([typeof k === 'number' ? k - 1 : k], t.dtype), tensor([k], t.dtype)]));
      }
      const n = a.int('bins');
      return result(tuple([tensor([n], t.dtype), tensor([n + 1], t.dtype)]));
    },
  }),
];

export const statisticsOps: readonly OpEntry[] = [...orderOps, ...quantileOps, ...summaryOps, ...lookupOps, ...integrationOps];
