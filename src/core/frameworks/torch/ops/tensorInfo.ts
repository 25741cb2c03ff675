// What a tensor says about itself that follows from its shape and dtype (element_size, nbytes,
// is_floating_point, get_device on the CPU the analysis assumes), conjugate transposes (H, mH, adjoint),
// sum_to_size, tolist / numpy of a tensor whose contents are unknown (the nesting is known), and the
// remaining creation functions (logspace, range, normal, bernoulli, multinomial, randint_like, ...).
import * as dims from '../../../dims/dims';
import type { Dim } from '../../../dims/dims';
import type { DataValue, DType } from '../../../values';
import { NONE, bool, float, int, ndarray, tensor, unknown } from '../../../values';
import type { ArgSpec, OpEntry } from '../../types';
import { defineDualOp, defineOp, fail, giveUp, parseDType, result } from '../define';
import { broadcastShapes, isComplex, isFloating, numel, promoteTypes } from '../shapes';
import { binaryResult } from './elementwise';
import { dataShape } from './creation';

/** Bytes per element of each dtype. */
const ITEM_SIZE: Readonly<Partial<Record<DType, number>>> = { float32: 4, float64: 8, float16: 2, bfloat16: 2, int64: 8, int32: 4, int8: 1, uint8: 1, bool: 1, complex64: 8, complex128: 16 };

const itemSize = (d: DType): number => ITEM_SIZE[d] ?? giveUp(`the element size of dtype ${d} is unknown`);

const method = (name: string, apply: Parameters<typeof defineDualOp>[0]['apply']): OpEntry[] => defineDualOp({ name, torch: false, rest: [], apply });

const infoOps: OpEntry[] = [
  ...method('element_size', (t) => result(int(itemSize(t.dtype)))),
  ...method('nelement', (t) => result(int(numel(t.shape)))),
  // The itemsize and nbytes properties came with PyTorch 2.1.
  defineOp({ name: 'Tensor.itemsize', since: '2.1.0', property: true, signature: [{ name: 'self' }], apply: (a) => result(int(itemSize(a.tensor('self').dtype))) }),
  defineOp({ name: 'Tensor.nbytes', since: '2.1.0', property: true, signature: [{ name: 'self' }], apply: (a) => result(int(dims.mul(numel(a.tensor('self').shape), itemSize(a.tensor('self').dtype)))) }),
  ...defineDualOp({ name: 'is_floating_point', rest: [], apply: (t) => result(bool(isFloating(t.dtype) && !isComplex(t.dtype))) }),
  ...method('is_signed', (t) => result(bool(t.dtype !== 'uint8' && t.dtype !== 'bool'))),
  // The analysis runs every tensor on the CPU (x.device is 'cpu'): get_device() is -1 there.
  ...method('get_device', () => result(int(-1))),
  defineOp({ name: 'Tensor.is_cpu', property: true, signature: [{ name: 'self' }], apply: () => result(bool(true)) }),
  ...defineDualOp({ name: 'is_conj', rest: [], apply: () => result(bool(false)) }),
  ...method('is_neg', () => result(bool(false))),
  // loss.backward() computes gradients and returns None; it changes no shape.
  defineOp({
    name: 'Tensor.backward',
    signature: [{ name: 'self' }, { name: 'gradient', default: NONE }, { name: 'retain_graph', default: NONE }, { name: 'create_graph', default: bool(false) }, { name: 'inputs', default: NONE }],
    apply: () => result(NONE),
  }),
];

const conjugateTransposes: OpEntry[] = [
  defineOp({
    name: 'Tensor.H',
    property: true,
    signature: [{ name: 'self' }],
    apply: (a) => {
      const t = a.tensor('self');
      if (t.shape.length !== 2 && t.shape.length !== 0) fail(`tensor.H is only supported on matrices (2-D tensors). Got ${t.shape.length}-D tensor.`);
      return result(tensor([...t.shape].reverse(), t.dtype));
    },
  }),
  ...['Tensor.mH', 'Tensor.adjoint', 'torch.adjoint'].map((name) =>
    defineOp({
      name,
      property: name === 'Tensor.mH',
      signature: [{ name: name === 'torch.adjoint' ? 'input' : 'self' }],
      apply: (a) => {
        const t = a.tensor(name === 'torch.adjoint' ? 'input' : 'self');
        if (t.shape.length < 2) fail(`tensor.mH is only supported on matrices or batches of matrices. Got ${t.shape.length}-D tensor.`);
        return result(tensor([...t.shape.slice(0, -2), t.shape[t.shape.length - 1]!, t.shape[t.shape.length - 2]!], t.dtype));
      },
    }),
  ),
  defineOp({
    name: 'Tensor.sum_to_size',
    signature: [{ name: 'self' }, { name: 'size', variadic: true }],
    apply: (a) => {
      const t = a.tensor('self');
      const size = a.sizes('size');
      const grown = broadcastShapes(size, t.shape);
      if (grown.length !== t.shape.length || grown.some((d, i) => dims.equal(d, t.shape[i]!) === false)) fail(`size {[${size.map(dims.formatDim).join(', ')}]} is not expandable to size {[${t.shape.map(dims.formatDim).join(', ')}]}.`, 'size');
      return result(tensor(size, t.dtype));
    },
  }),
];

/** Python lists of the tensor's nesting whose elements are unknown (the contents are not tracked here). */
function unknownNesting(shape: readonly Dim[], depth = 0): DataValue {
  if (depth === shape.length) return unknown('an element of a tensor whose contents are not known');
  const n = shape[depth]!;
  if (typeof n !== 'number') return giveUp('tolist() of a tensor of symbolic size');
  return { kind: 'list', items: Array.from({ length: n }, () => unknownNesting(shape, depth + 1)) };
}

const conversionOps: OpEntry[] = [
  defineOp({
    name: 'Tensor.tolist',
    signature: [{ name: 'self' }],
    apply: (a) => {
      const t = a.tensor('self');
      const count = numel(t.shape);
      if (typeof count === 'number' && count > 10_000) return giveUp('tolist() of a large tensor');
      return result(unknownNesting(t.shape));
    },
  }),
  defineOp({
    name: 'Tensor.numpy',
    signature: [{ name: 'self' }, { name: 'force', default: bool(false), keywordOnly: true }],
    apply: (a) => {
      const t = a.tensor('self');
      if (t.dtype === 'bfloat16') fail('Got unsupported ScalarType BFloat16');
      return result(ndarray(t.shape, t.dtype));
    },
  }),
  ...(
    [
      ['cfloat', 'complex64'],
      ['cdouble', 'complex128'],
      ['char', 'int8'],
    ] as const
  ).map(([name, dtype]) =>
    defineOp({ name: `Tensor.${name}`, signature: [{ name: 'self' }, { name: 'memory_format', default: NONE, keywordOnly: true }], apply: (a) => result(tensor(a.tensor('self').shape, dtype)) }),
  ),
];

const factoryKw: readonly ArgSpec[] = [
  { name: 'out', default: NONE, keywordOnly: true },
  { name: 'dtype', default: NONE, keywordOnly: true },
  { name: 'layout', default: NONE, keywordOnly: true },
  { name: 'device', default: NONE, keywordOnly: true },
  { name: 'requires_grad', default: bool(false), keywordOnly: true },
  { name: 'generator', default: NONE, keywordOnly: true },
  { name: 'memory_format', default: NONE, keywordOnly: true },
  { name: 'pin_memory', default: bool(false), keywordOnly: true },
];

const creationOps: OpEntry[] = [
  defineOp({
    name: 'torch.logspace',
    signature: [{ name: 'start' }, { name: 'end' }, { name: 'steps' }, { name: 'base', default: float(10) }, ...factoryKw],
    apply: (a) => {
      const steps = a.dim('steps');
      if (typeof steps === 'number' && steps < 0) fail('number of steps must be non-negative', 'steps');
      return result(tensor([steps], parseDType(a.value('dtype')) ?? 'float32'));
    },
  }),
  // torch.range (deprecated) includes its end: ⌊(end − start)/step⌋ + 1 elements, float by default.
  defineOp({
    name: 'torch.range',
    signature: [{ name: 'start' }, { name: 'end' }, { name: 'step', default: int(1) }, ...factoryKw],
    apply: (a) => {
      const [start, end, step] = [a.float('start'), a.float('end'), a.float('step')];
      if (step === 0) fail('step must be nonzero', 'step');
      if ((end - start) * step < 0) fail('upper bound and larger bound inconsistent with step sign', 'end');
      return result(tensor([Math.floor((end - start) / step) + 1], parseDType(a.value('dtype')) ?? 'float32'));
    },
  }),
  defineOp({
    name: 'torch.randint_like',
    signature: [{ name: 'input' }, { name: 'low' }, { name: 'high', default: NONE }, ...factoryKw],
    apply: (a) => {
      const t = a.tensor('input');
      return result(tensor(t.shape, parseDType(a.value('dtype')) ?? t.dtype));
    },
  }),
  ...['torch.empty_strided', 'Tensor.new_empty_strided'].map((name) =>
    defineOp({
      name,
      signature: [...(name.startsWith('Tensor') ? [{ name: 'self' }] : []), { name: 'size' }, { name: 'stride' }, ...factoryKw],
      apply: (a) => {
        const size = a.sizes('size');
        if (a.sizes('stride').length !== size.length) fail(`mismatch in length of strides and shape`, 'stride');
        const fallback = name.startsWith('Tensor') ? a.tensor('self').dtype : 'float32';
        return result(tensor(size, parseDType(a.value('dtype')) ?? fallback));
      },
    }),
  ),
  defineOp({
    name: 'torch.asarray',
    signature: [{ name: 'obj' }, { name: 'dtype', default: NONE, keywordOnly: true }, { name: 'device', default: NONE, keywordOnly: true }, { name: 'copy', default: NONE, keywordOnly: true }, { name: 'requires_grad', default: bool(false), keywordOnly: true }],
    apply: (a) => {
      const data = dataShape(a.value('obj') ?? NONE);
      return result(tensor(data.shape, parseDType(a.value('dtype')) ?? data.dtype));
    },
  }),
  // normal(mean, std): tensors broadcast; two floats need size=.
  defineOp({
    name: 'torch.normal',
    signature: [{ name: 'mean' }, { name: 'std', default: float(1) }, { name: 'size', default: NONE }, ...factoryKw],
    apply: (a) => {
      const [mean, std] = [a.value('mean'), a.value('std')];
      const shapes = [mean, std].flatMap((v) => (v?.kind === 'tensor' ? [v.shape ?? giveUp('normal() of a tensor of unknown shape')] : []));
      if (shapes.length > 0) return result(tensor(shapes.reduce<Dim[]>((acc, s) => broadcastShapes(acc, s), []), mean?.kind === 'tensor' ? mean.dtype : std?.kind === 'tensor' ? std.dtype : 'float32'));
      if (a.isNone('size')) fail('normal() missing 1 required positional arguments: "size"', 'size');
      return result(tensor(a.sizes('size'), parseDType(a.value('dtype')) ?? 'float32'));
    },
  }),
  ...defineDualOp({ name: 'poisson', method: false, rest: [{ name: 'generator', default: NONE }], apply: (t) => result(tensor(t.shape, t.dtype)) }),
  ...defineDualOp({ name: 'bernoulli', rest: [{ name: 'p', default: NONE }, { name: 'generator', default: NONE, keywordOnly: true }], apply: (t) => result(tensor(t.shape, t.dtype)) }),
  ...defineDualOp({
    name: 'multinomial',
    rest: [{ name: 'num_samples' }, { name: 'replacement', default: bool(false) }, { name: 'generator', default: NONE, keywordOnly: true }],
    apply: (t, a) => {
      if (t.shape.length !== 1 && t.shape.length !== 2) fail(`prob_dist must be 1 or 2 dim`, 'input');
      const n = a.int('num_samples');
      if (n <= 0) fail('cannot sample n_sample <= 0 samples', 'num_samples');
      const categories = t.shape[t.shape.length - 1]!;
      if (!a.bool('replacement') && typeof categories === 'number' && n > categories) fail('cannot sample n_sample > prob_dist.size(-1) samples without replacement', 'num_samples');
      return result(tensor([...t.shape.slice(0, -1), n], 'int64'));
    },
  }),
];

/** dtype arithmetic: promote_types / result_type follow the promotion table; can_cast PyTorch's casting rule. */
const DTYPE_KIND: Readonly<Partial<Record<DType, number>>> = { bool: 0, uint8: 1, int8: 1, int32: 1, int64: 1, float16: 2, bfloat16: 2, float32: 2, float64: 2, complex64: 3, complex128: 3 };
const dtypeArg = (v: DataValue | undefined, what: string): DType => parseDType(v) ?? giveUp(`${what} is not a known dtype`);
const dtypeText = (d: DType): DataValue => ({ kind: 'str', value: `torch.${d}` });

const dtypeOps: OpEntry[] = [
  defineOp({ name: 'torch.promote_types', signature: [{ name: 'type1' }, { name: 'type2' }], apply: (a) => result(dtypeText(promoteTypes(dtypeArg(a.value('type1'), 'type1'), dtypeArg(a.value('type2'), 'type2')))) }),
  defineOp({
    name: 'torch.result_type',
    signature: [{ name: 'tensor1' }, { name: 'tensor2' }],
    apply: (a) => {
      const out = binaryResult(a.value('tensor1'), a.value('tensor2'), 'promote');
      return result(out.kind === 'tensor' ? dtypeText(out.dtype) : giveUp('result_type of two scalars'));
    },
  }),
  defineOp({
    name: 'torch.can_cast',
    signature: [{ name: 'from_' }, { name: 'to' }],
    apply: (a) => {
      const [from, to] = [DTYPE_KIND[dtypeArg(a.value('from_'), 'from_')], DTYPE_KIND[dtypeArg(a.value('to'), 'to')]];
      if (from === undefined || to === undefined) return giveUp('can_cast of a dtype the analysis does not model');
      // Casting never goes to a lower kind (complex → float → integral → bool).
      return result(bool(from <= to));
    },
  }),
];

export const tensorInfoOps: readonly OpEntry[] = [...infoOps, ...conjugateTransposes, ...conversionOps, ...creationOps, ...dtypeOps];
