// Reductions (sum/mean/prod/max/min/amax/amin/argmax/argmin/std/var/norm/all/any/logsumexp) honouring
// dim (int, tuple, negative, None) and keepdim; and the dim-wise ops that keep the shape (softmax,
// log_softmax, cumsum) or return pairs (topk, sort). 0 MACs by the catalogue convention.
import type { Dim } from '../../../dims/dims';
import type { DataValue, DType } from '../../../values';
import { NONE, bool, int, str, tensor, tuple } from '../../../values';
import type { ArgSpec, ForwardResult, OpEntry } from '../../types';
import { type Args, type KnownTensor, defineDualOp, fail, parseDType, result, toDim } from '../define';
import { isFloating, knownIndex, normalizeDim } from '../shapes';
import { binaryResult } from './elementwise';
import { type ReductionKind, indexCost, noGradCost, reductionCost, softmaxCost } from '../costs';
import type { CostQuery, OpCost } from '../../types';

/** A reduction's cost rule by what its backward reads (costs.ts). */
const reduces =
  (kind: ReductionKind | ((t: KnownTensor, a: Args) => ReductionKind)) =>
  (t: KnownTensor, a: Args, subject: string, q: CostQuery): OpCost =>
    reductionCost(typeof kind === 'function' ? kind(t, a) : kind, t, q, subject);
/** mean over all elements keeps nothing; over some dims PyTorch 1.13 keeps the input. */
const meanKind = (_t: KnownTensor, a: Args): ReductionKind => (a.isNone('dim') ? 'sum' : 'mean-dims');

/** The dims a reduction's `dim` argument names; undefined means all dims. */
export function reductionDims(v: DataValue | undefined, rank: number): number[] | undefined {
  if (v === undefined || v.kind === 'none') return undefined;
  const items = v.kind === 'tuple' || v.kind === 'list' ? v.items : [v];
  if (items.length === 0) return undefined;
  const normalized = items.map((item) => normalizeDim(knownIndex(toDim(item, 'dim', 'dim')), rank));
  if (new Set(normalized).size !== normalized.length) fail(`dim ${normalized.find((d, i) => normalized.indexOf(d) !== i)} appears multiple times in the list of dims`, 'dim');
  return normalized;
}

/** Output shape of a reduction over `reduced` (all dims when undefined). */
export function reducedShape(shape: readonly Dim[], reduced: readonly number[] | undefined, keepdim: boolean): Dim[] {
  const all = reduced === undefined;
  if (all && !keepdim) return [];
  return shape.flatMap((d, i) => (all || reduced.includes(i) ? (keepdim ? [1] : []) : [d]));
}

const keepdimArg: ArgSpec = { name: 'keepdim', default: bool(false) };
const dtypeKw: ArgSpec = { name: 'dtype', default: NONE, keywordOnly: true };

const reduceTo = (t: KnownTensor, a: Args, dtype: DType): ForwardResult =>
  result(tensor(reducedShape(t.shape, reductionDims(a.value('dim'), t.shape.length), a.bool('keepdim')), dtype));

/** sum/prod of integer or bool tensors give int64 (unless dtype= says otherwise). */
const sumDtype = (t: KnownTensor, a: Args): DType => parseDType(a.value('dtype')) ?? (isFloating(t.dtype) || t.dtype === 'unknown' ? t.dtype : 'int64');

function meanDtype(t: KnownTensor, a: Args, name: string): DType {
  const requested = parseDType(a.value('dtype'));
  if (requested) return requested;
  if (!isFloating(t.dtype) && t.dtype !== 'unknown') {
    fail(`${name}(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${t.dtype === 'int64' ? 'Long' : t.dtype}`, 'input');
  }
  return t.dtype;
}

const simpleReductions: OpEntry[] = [
  ...defineDualOp({ name: 'sum', rest: [{ name: 'dim', default: NONE }, keepdimArg, dtypeKw], apply: (t, a) => reduceTo(t, a, sumDtype(t, a)), cost: reduces('sum') }),
  ...defineDualOp({ name: 'nansum', rest: [{ name: 'dim', default: NONE }, keepdimArg, dtypeKw], apply: (t, a) => reduceTo(t, a, sumDtype(t, a)), cost: reduces('input') }),
  ...defineDualOp({ name: 'prod', rest: [{ name: 'dim', default: NONE }, keepdimArg, dtypeKw], apply: (t, a) => reduceTo(t, a, sumDtype(t, a)), cost: reduces('input-output') }),
  ...defineDualOp({ name: 'mean', rest: [{ name: 'dim', default: NONE }, keepdimArg, dtypeKw], apply: (t, a) => reduceTo(t, a, meanDtype(t, a, 'mean')), cost: reduces(meanKind) }),
  ...defineDualOp({ name: 'nanmean', rest: [{ name: 'dim', default: NONE }, keepdimArg, dtypeKw], apply: (t, a) => reduceTo(t, a, meanDtype(t, a, 'nanmean')), cost: reduces('input') }),
  ...['amax', 'amin'].flatMap((name) =>
    defineDualOp({ name, rest: [{ name: 'dim', default: tuple([]) }, keepdimArg], apply: (t, a) => reduceTo(t, a, t.dtype), cost: reduces('input-output') }),
  ),
  ...['argmax', 'argmin'].flatMap((name) =>
    defineDualOp({
      name,
      rest: [{ name: 'dim', default: NONE }, keepdimArg],
      apply: (t, a) => {
        const dim = a.optInt('dim');
        // With dim=None the result is a 0-d index into the flattened tensor (keepdim then gives all ones).
        const reduced = dim === undefined ? undefined : [normalizeDim(dim, t.shape.length)];
        return result(tensor(reducedShape(t.shape, reduced, a.bool('keepdim')), 'int64'));
      },
      cost: noGradCost,
    }),
  ),
  ...['std', 'var'].flatMap((name) =>
    defineDualOp({
      name,
      rest: [{ name: 'dim', default: NONE }, { name: 'unbiased', default: bool(true) }, keepdimArg, { name: 'correction', default: NONE, keywordOnly: true }],
      apply: (t, a) => {
        // torch.std(x, True) passes `unbiased` positionally in place of dim.
        const dimValue = a.value('dim');
        const dims = dimValue?.kind === 'bool' ? undefined : reductionDims(dimValue, t.shape.length);
        return result(tensor(reducedShape(t.shape, dims, a.bool('keepdim')), meanDtype(t, a, name)));
      },
      cost: reduces('input'),
    }),
  ),
  ...defineDualOp({
    name: 'norm',
    rest: [{ name: 'p', default: str('fro') }, { name: 'dim', default: NONE }, keepdimArg, { name: 'dtype', default: NONE }],
    apply: (t, a) => reduceTo(t, a, parseDType(a.value('dtype')) ?? t.dtype),
    cost: reduces('input-output'),
  }),
  ...['all', 'any'].flatMap((name) =>
    defineDualOp({ name, rest: [{ name: 'dim', default: NONE }, keepdimArg], apply: (t, a) => reduceTo(t, a, t.dtype === 'uint8' ? 'uint8' : 'bool'), cost: noGradCost }),
  ),
  ...defineDualOp({ name: 'logsumexp', rest: [{ name: 'dim' }, keepdimArg], apply: (t, a) => reduceTo(t, a, t.dtype), cost: reduces('input-output') }),
  ...['count_nonzero'].flatMap((name) =>
    defineDualOp({ name, rest: [{ name: 'dim', default: NONE }], apply: (t, a) => result(tensor(reducedShape(t.shape, reductionDims(a.value('dim'), t.shape.length), false), 'int64')), cost: noGradCost }),
  ),
];

/**
 * max/min: `max(x)` → 0-d; `max(x, dim, keepdim)` → (values, indices); `max(x, other)` → elementwise.
 */
function maxMin(name: string): OpEntry[] {
  return defineDualOp({
    name,
    rest: [{ name: 'dim', default: NONE }, keepdimArg],
    apply: (t, a) => {
      const dim = a.value('dim');
      if (dim === undefined || dim.kind === 'none') return result(tensor([], t.dtype));
      if (dim.kind === 'tensor') return result(binaryResult(t, dim, 'promote'));
      const d = normalizeDim(knownIndex(toDim(dim, 'dim', 'dim')), t.shape.length);
      const shape = reducedShape(t.shape, [d], a.bool('keepdim'));
      return result(tuple([tensor(shape, t.dtype), tensor(shape, 'int64')]));
    },
    // The full reduction keeps input and result; over a dim, the indices; against a tensor, both operands.
    cost: reduces((_t, a) => (a.isNone('dim') ? 'input-output' : a.value('dim')?.kind === 'tensor' ? 'input-output' : 'indices')),
  });
}

/** Ops along one dim that keep the shape. */
const shapeKeeping: OpEntry[] = ['softmax', 'log_softmax', 'cumsum', 'cumprod', 'logcumsumexp'].flatMap((name) =>
  defineDualOp({
    name,
    rest: [{ name: 'dim' }, { name: 'dtype', default: NONE }],
    apply: (t, a) => {
      normalizeDim(a.int('dim'), t.shape.length);
      const dtype = parseDType(a.value('dtype')) ?? (name.startsWith('cum') && !isFloating(t.dtype) ? 'int64' : t.dtype);
      return result(tensor(t.shape, dtype));
    },
    cost: (t, _a, subject, q) => (name.endsWith('softmax') ? softmaxCost(q, subject) : reductionCost(name === 'cumsum' ? 'sum' : 'input-output', t, q, subject)),
  }),
);

const pairs: OpEntry[] = [
  ...['std_mean', 'var_mean'].flatMap((name) =>
    defineDualOp({
      name,
      method: false,
      rest: [{ name: 'dim', default: NONE }, { name: 'unbiased', default: bool(true) }, keepdimArg, { name: 'correction', default: NONE, keywordOnly: true }],
      apply: (t, a) => {
        const dimValue = a.value('dim');
        const reduced = dimValue?.kind === 'bool' ? undefined : reductionDims(dimValue, t.shape.length);
        const out = tensor(reducedShape(t.shape, reduced, a.bool('keepdim')), meanDtype(t, a, name));
        return result(tuple([out, out]));
      },
      cost: reduces('input'),
    }),
  ),
  ...defineDualOp({
    name: 'topk',
    rest: [{ name: 'k' }, { name: 'dim', default: int(-1) }, { name: 'largest', default: bool(true) }, { name: 'sorted', default: bool(true) }],
    apply: (t, a) => {
      const d = normalizeDim(a.int('dim'), t.shape.length);
      const k = a.dim('k');
      const size = t.shape[d] ?? 1;
      if (typeof k === 'number' && typeof size === 'number' && k > size) fail('selected index k out of range', 'k');
      const shape = t.shape.map((s, i) => (i === d ? k : s));
      return result(tuple([tensor(shape, t.dtype), tensor(shape, 'int64')]));
    },
    cost: reduces('indices'),
  }),
  ...defineDualOp({
    name: 'sort',
    rest: [{ name: 'dim', default: int(-1) }, { name: 'descending', default: bool(false) }],
    apply: (t, a) => {
      normalizeDim(a.int('dim'), t.shape.length);
      return result(tuple([tensor(t.shape, t.dtype), tensor(t.shape, 'int64')]));
    },
    cost: reduces('indices'),
  }),
  ...defineDualOp({
    name: 'argsort',
    rest: [{ name: 'dim', default: int(-1) }, { name: 'descending', default: bool(false) }],
    apply: (t, a) => {
      normalizeDim(a.int('dim'), t.shape.length);
      return result(tensor(t.shape, 'int64'));
    },
    cost: noGradCost,
  }),
];

/** torch.gather(input, dim, index): the output has the index's shape. */
const gather = defineDualOp({
  name: 'gather',
  rest: [{ name: 'dim' }, { name: 'index' }],
  apply: (t, a) => {
    normalizeDim(a.int('dim'), t.shape.length);
    const index = a.tensor('index');
    if (index.shape.length !== t.shape.length) fail('Index tensor must have the same number of dimensions as input tensor', 'index');
    if (index.dtype !== 'int64' && index.dtype !== 'unknown') fail('gather(): Expected dtype int64 for index', 'index');
    return result(tensor(index.shape, t.dtype));
  },
  cost: (_t, _a, subject, q) => indexCost('index', q, subject, true),
});

export const reductionOps: readonly OpEntry[] = [...simpleReductions, ...maxMin('max'), ...maxMin('min'), ...shapeKeeping, ...pairs, ...gather];
