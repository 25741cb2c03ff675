// Tensor creation: zeros/ones/randn/rand/empty/full/arange/linspace/eye/randint/tensor, the *_like forms
// and Tensor.new_*. Default dtype float32; arange and integer data give int64 as PyTorch does.
import * as dims from '../../../dims/dims';
import type { Dim } from '../../../dims/dims';
import type { DataValue, DType } from '../../../values';
import { NONE, bool, int, tensor } from '../../../values';
import type { ArgSpec, OpEntry } from '../../types';
import { type Args, defineOp, fail, giveUp, parseDType, result, toDim } from '../define';
import { noGradCost } from '../costs';

const factoryKw: readonly ArgSpec[] = [
  { name: 'out', default: NONE, keywordOnly: true },
  { name: 'dtype', default: NONE, keywordOnly: true },
  { name: 'layout', default: NONE, keywordOnly: true },
  { name: 'device', default: NONE, keywordOnly: true },
  { name: 'requires_grad', default: bool(false), keywordOnly: true },
  { name: 'pin_memory', default: bool(false), keywordOnly: true },
  { name: 'memory_format', default: NONE, keywordOnly: true },
  { name: 'generator', default: NONE, keywordOnly: true },
];

/** Sizes must be non-negative, as PyTorch checks. */
function checkedSizes(sizes: readonly Dim[]): Dim[] {
  sizes.forEach((s) => {
    if (typeof s === 'number' && s < 0) fail(`Trying to create tensor with negative dimension ${s}: ${JSON.stringify(sizes)}`, 'size');
  });
  return [...sizes];
}

const dtypeOr = (a: Args, fallback: DType): DType => parseDType(a.value('dtype')) ?? fallback;

const sizedFactories: OpEntry[] = ['zeros', 'ones', 'randn', 'rand', 'empty'].map((name) =>
  defineOp({
    name: `torch.${name}`,
    signature: [{ name: 'size', variadic: true }, ...factoryKw],
    apply: (a) => result(tensor(checkedSizes(a.sizes('size')), dtypeOr(a, 'float32'))),
  }),
);

/** The dtype of a Python scalar fill value: bool, int64 or the default float. */
function scalarDtype(v: DataValue | undefined): DType {
  if (v?.kind === 'bool') return 'bool';
  if (v?.kind === 'int') return 'int64';
  return 'float32';
}

const fullOp = defineOp({
  name: 'torch.full',
  signature: [{ name: 'size' }, { name: 'fill_value' }, ...factoryKw],
  apply: (a) => result(tensor(checkedSizes(a.sizes('size')), dtypeOr(a, scalarDtype(a.value('fill_value'))))),
});

const likeFactories: OpEntry[] = ['zeros_like', 'ones_like', 'randn_like', 'rand_like', 'empty_like'].map((name) =>
  defineOp({
    name: `torch.${name}`,
    signature: [{ name: 'input' }, ...factoryKw],
    apply: (a) => {
      const t = a.tensor('input');
      return result(tensor(t.shape, dtypeOr(a, t.dtype)));
    },
  }),
);

const fullLike = defineOp({
  name: 'torch.full_like',
  signature: [{ name: 'input' }, { name: 'fill_value' }, ...factoryKw],
  apply: (a) => {
    const t = a.tensor('input');
    return result(tensor(t.shape, dtypeOr(a, t.dtype)));
  },
});

const newFactories: OpEntry[] = ['new_zeros', 'new_ones', 'new_empty'].map((name) =>
  defineOp({
    name: `Tensor.${name}`,
    signature: [{ name: 'self' }, { name: 'size', variadic: true }, ...factoryKw],
    apply: (a) => result(tensor(checkedSizes(a.sizes('size')), dtypeOr(a, a.tensor('self').dtype))),
  }),
);

const newFull = defineOp({
  name: 'Tensor.new_full',
  signature: [{ name: 'self' }, { name: 'size' }, { name: 'fill_value' }, ...factoryKw],
  apply: (a) => result(tensor(checkedSizes(a.sizes('size')), dtypeOr(a, a.tensor('self').dtype))),
});

/** A number-like argument of arange: int (maybe symbolic) or float. */
function rangeNumber(v: DataValue | undefined, what: string): { value: Dim; isFloat: boolean } {
  if (v?.kind === 'float') {
    if (!Number.isFinite(v.value)) fail(`unsupported range: ${v.value}`, what);
    return { value: v.value, isFloat: true };
  }
  return { value: toDim(v, what, what), isFloat: false };
}

/** arange's length: ⌈(end − start)/step⌉, symbolic when the bounds are. */
export function arangeLength(start: Dim, end: Dim, step: Dim): Dim {
  if (typeof start === 'number' && typeof end === 'number' && typeof step === 'number') {
    if (step === 0) fail('step must be nonzero', 'step');
    if ((end - start) * step < 0 && end !== start) fail('upper bound and larger bound inconsistent with step sign', 'end');
    return Math.max(0, Math.ceil((end - start) / step));
  }
  if (step === 1) return dims.sub(end, start);
  return dims.ceilDiv(dims.sub(end, start), step);
}

const arange = defineOp({
  name: 'torch.arange',
  signature: [{ name: 'start' }, { name: 'end', default: NONE }, { name: 'step', default: int(1) }, ...factoryKw],
  apply: (a) => {
    const onlyEnd = a.isNone('end');
    const start = onlyEnd ? { value: 0, isFloat: false } : rangeNumber(a.value('start'), 'start');
    const end = rangeNumber(a.value(onlyEnd ? 'start' : 'end'), 'end');
    const step = rangeNumber(a.value('step'), 'step');
    const anyFloat = start.isFloat || end.isFloat || step.isFloat;
    if (anyFloat && [start, end, step].some((n) => typeof n.value !== 'number')) return giveUp('arange with float bounds over symbolic sizes');
    return result(tensor([arangeLength(start.value, end.value, step.value)], dtypeOr(a, anyFloat ? 'float32' : 'int64')));
  },
});

const linspace = defineOp({
  name: 'torch.linspace',
  signature: [{ name: 'start' }, { name: 'end' }, { name: 'steps' }, ...factoryKw],
  apply: (a) => result(tensor(checkedSizes([a.dim('steps')]), dtypeOr(a, 'float32'))),
});

const eye = defineOp({
  name: 'torch.eye',
  signature: [{ name: 'n' }, { name: 'm', default: NONE }, ...factoryKw],
  apply: (a) => result(tensor(checkedSizes([a.dim('n'), a.optDim('m') ?? a.dim('n')]), dtypeOr(a, 'float32'))),
});

const randint = defineOp({
  name: 'torch.randint',
  signature: [{ name: 'low' }, { name: 'high', default: NONE }, { name: 'size', default: NONE }, ...factoryKw],
  apply: (a) => {
    // randint(high, size) or randint(low, high, size).
    const sizeValue = a.isNone('size') ? a.value('high') : a.value('size');
    if (sizeValue?.kind !== 'tuple' && sizeValue?.kind !== 'list') return fail('randint() missing required argument: size', 'size');
    return result(tensor(checkedSizes(sizeValue.items.map((v, i) => toDim(v, `size[${i}]`))), dtypeOr(a, 'int64')));
  },
});

/** Shape and element kind of nested Python data, as torch.tensor infers them. */
export function dataShape(v: DataValue): { shape: Dim[]; dtype: DType } {
  switch (v.kind) {
    case 'bool':
      return { shape: [], dtype: 'bool' };
    case 'int':
      return { shape: [], dtype: 'int64' };
    case 'float':
      return { shape: [], dtype: 'float32' };
    case 'tensor':
      if (v.shape === null) return giveUp('torch.tensor of a tensor of unknown shape');
      return { shape: [...v.shape], dtype: v.dtype };
    case 'list':
    case 'tuple': {
      if (v.items.length === 0) return { shape: [0], dtype: 'float32' };
      const inner = v.items.map(dataShape);
      const first = inner[0]!;
      if (inner.some((s) => s.shape.length !== first.shape.length || s.shape.some((d, i) => d !== first.shape[i]))) {
        fail(`expected sequence of length ${first.shape[0] ?? 0} at dim 1 (got a different length)`, 'data');
      }
      const rank = (d: DType) => (d === 'bool' ? 0 : d === 'int64' ? 1 : 2);
      const dtype = inner.reduce<DType>((acc, s) => (rank(s.dtype) > rank(acc) ? s.dtype : acc), 'bool');
      return { shape: [v.items.length, ...first.shape], dtype };
    }
    case 'unknown':
      return giveUp(`torch.tensor data is unknown (${v.reason})`);
    default:
      return fail(`Could not infer dtype of ${v.kind}`, 'data');
  }
}

const tensorFactories: OpEntry[] = ['tensor', 'as_tensor'].map((name) =>
  defineOp({
    name: `torch.${name}`,
    signature: [{ name: 'data' }, ...factoryKw],
    apply: (a) => {
      const data = dataShape(a.value('data') ?? NONE);
      return result(tensor(data.shape, dtypeOr(a, data.dtype)));
    },
  }),
);

/** torch.from_numpy shares the ndarray's memory: same shape, same dtype. */
const fromNumpy = defineOp({
  name: 'torch.from_numpy',
  signature: [{ name: 'ndarray' }],
  apply: (a) => {
    const v = a.value('ndarray');
    if (v?.kind === 'tensor' && v.library !== 'numpy') fail(`expected np.ndarray (got Tensor)`, 'ndarray');
    const arr = a.tensor('ndarray');
    return result(tensor(arr.shape, arr.dtype));
  },
});

/**
 * The legacy typed constructors: `torch.FloatTensor(2, 3)` (sizes, uninitialised), `torch.LongTensor([1, 2])`
 * (data), `torch.Tensor()` (empty). A single int is a size; one sequence, ndarray or tensor is data.
 */
const LEGACY_CONSTRUCTORS: ReadonlyArray<readonly [string, DType]> = [
  ['Tensor', 'float32'],
  ['FloatTensor', 'float32'],
  ['DoubleTensor', 'float64'],
  ['HalfTensor', 'float16'],
  ['BFloat16Tensor', 'bfloat16'],
  ['LongTensor', 'int64'],
  ['IntTensor', 'int32'],
  ['ShortTensor', 'int32'],
  ['CharTensor', 'int8'],
  ['ByteTensor', 'uint8'],
  ['BoolTensor', 'bool'],
];

function legacyConstruct(a: Args, dtype: DType): DataValue {
  const items = a.varItems('args');
  const raw = a.value('args');
  const single = raw?.kind === 'tuple' && raw.items.length === 1 ? raw.items[0]! : undefined;
  if (single && (single.kind === 'list' || single.kind === 'tuple' || single.kind === 'tensor')) return tensor(dataShape(single).shape, dtype);
  if (items.length === 0) return tensor([0], dtype);
  return tensor(checkedSizes(items.map((v, i) => toDim(v, `size[${i}]`, 'args'))), dtype);
}

const legacyConstructors: OpEntry[] = LEGACY_CONSTRUCTORS.map(([name, dtype]) =>
  defineOp({
    name: `torch.${name}`,
    signature: [{ name: 'args', variadic: true }, { name: 'device', default: NONE, keywordOnly: true }],
    apply: (a) => result(legacyConstruct(a, dtype)),
  }),
);

/** x.new(...) builds a tensor of x's dtype the legacy way; x.new_tensor(data) copies data with x's dtype. */
const newLegacy: OpEntry[] = [
  defineOp({
    name: 'Tensor.new',
    signature: [{ name: 'self' }, { name: 'args', variadic: true }, { name: 'device', default: NONE, keywordOnly: true }],
    apply: (a) => result(legacyConstruct(a, a.tensor('self').dtype)),
  }),
  defineOp({
    name: 'Tensor.new_tensor',
    signature: [{ name: 'self' }, { name: 'data' }, ...factoryKw],
    apply: (a) => result(tensor(dataShape(a.value('data') ?? NONE).shape, dtypeOr(a, a.tensor('self').dtype))),
  }),
];

// New tensors carry no gradient and keep nothing (costs.ts).
export const creationOps: readonly OpEntry[] = [fromNumpy, ...legacyConstructors, ...newLegacy, ...sizedFactories, fullOp, ...likeFactories, fullLike, ...newFactories, newFull, arange, linspace, eye, randint, ...tensorFactories].map((entry) => ({ ...entry, cost: noGradCost }));
