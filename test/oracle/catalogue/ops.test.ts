// Functional and tensor ops against real PyTorch 1.13: output shapes and dtypes (tuples as lists) and
// PyTorch's error text, for each case run in one Python process.
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { lookupOp } from '../../../src/core/frameworks/torch/index';
import { isLayerError } from '../../../src/core/frameworks/types';
import type { DataValue } from '../../../src/core/values';
import { NONE, bool, float, int, str, tensor, tuple } from '../../../src/core/values';
import { parseTorchVersion } from '../../../src/core/frameworks/torch/version';
import { bindArgs } from '../../unit/torch/bind';
import { list } from '../../unit/torch/values';
import { pythonLiteral } from './harness';

interface OpCase {
  readonly op: string;
  readonly args: readonly DataValue[];
  readonly kwargs?: Readonly<Record<string, DataValue>>;
}

const t = (...shape: number[]) => tensor(shape);
const long = (...shape: number[]) => tensor(shape, 'int64');
const mask = (...shape: number[]) => tensor(shape, 'bool');
const cplx = (...shape: number[]) => tensor(shape, 'complex64');
/** A dtype argument: rendered as the torch attribute, passed to the catalogue as the interpreter does. */
const dtype = (name: string) => str(`torch.${name}`);

const CASES: readonly OpCase[] = [
  { op: 'Tensor.view', args: [t(2, 3, 4), int(4), int(-1)] },
  { op: 'Tensor.view', args: [t(3, 4), int(2), int(5)] },
  { op: 'Tensor.reshape', args: [t(2, 3, 4), tuple([int(-1), int(2)])] },
  { op: 'Tensor.view', args: [t(0, 4), int(-1), int(4)] },
  { op: 'torch.flatten', args: [t(2, 3, 4, 5), int(1), int(2)] },
  { op: 'torch.flatten', args: [t()] },
  { op: 'Tensor.unflatten', args: [t(2, 12), int(1), tuple([int(3), int(-1)])] },
  { op: 'Tensor.permute', args: [t(2, 3, 4), int(2), int(0), int(1)] },
  { op: 'Tensor.permute', args: [t(2, 1, 3), int(0), int(1)] },
  { op: 'Tensor.transpose', args: [t(2, 3, 4), int(0), int(-1)] },
  { op: 'Tensor.t', args: [t(2, 3, 4)] },
  { op: 'Tensor.T', args: [t(2, 3, 4)] },
  { op: 'Tensor.squeeze', args: [t(2, 1, 3, 1)] },
  { op: 'Tensor.squeeze', args: [t(2, 1, 3), int(5)] },
  { op: 'Tensor.unsqueeze', args: [t(2, 3), int(-3)] },
  { op: 'Tensor.unsqueeze', args: [t(2, 3), int(3)] },
  { op: 'Tensor.expand', args: [t(1, 3), int(2), int(5), int(-1)] },
  { op: 'Tensor.expand', args: [t(2, 3), int(4), int(3)] },
  { op: 'Tensor.expand_as', args: [t(3, 1), t(2, 3, 4)] },
  { op: 'Tensor.repeat', args: [t(3, 4), int(2), int(1), int(3)] },
  { op: 'Tensor.repeat', args: [t(3, 4), int(2)] },
  { op: 'torch.cat', args: [list([t(2, 3), t(2, 5)]), int(-1)] },
  { op: 'torch.cat', args: [list([t(2, 3), t(3, 4)]), int(1)] },
  { op: 'torch.cat', args: [list([t(2, 3), long(2, 3)])] },
  { op: 'torch.stack', args: [list([t(2, 3), t(2, 3), t(2, 3)]), int(1)] },
  { op: 'torch.stack', args: [list([t(2, 3), t(2, 4)])] },
  { op: 'torch.split', args: [t(5, 3), int(2)] },
  { op: 'Tensor.split', args: [t(5, 3), list([int(1), int(4)])] },
  { op: 'Tensor.split', args: [t(5, 3), list([int(1), int(3)])] },
  { op: 'Tensor.chunk', args: [t(2, 10), int(4), int(1)] },
  { op: 'torch.chunk', args: [t(6), int(4)] },
  { op: 'Tensor.unbind', args: [t(3, 2), int(0)] },
  { op: 'torch.matmul', args: [t(2, 1, 2, 3), t(6, 3, 5)] },
  { op: 'torch.matmul', args: [t(3), t(3)] },
  { op: 'torch.matmul', args: [t(2, 3), t(3)] },
  { op: 'torch.matmul', args: [t(3), t(4, 3, 5)] },
  { op: 'torch.matmul', args: [t(2, 3), t(4)] },
  { op: 'torch.matmul', args: [t(3), t(4, 5)] },
  { op: 'torch.matmul', args: [t(6, 2, 3), t(4, 5)] },
  { op: 'Tensor.__matmul__', args: [t(2, 3), t(4, 5)] },
  { op: 'torch.bmm', args: [t(2, 2, 3), t(2, 4, 5)] },
  { op: 'torch.bmm', args: [t(2, 3), t(3, 3)] },
  { op: 'torch.mm', args: [t(2, 3, 3), t(3, 3)] },
  { op: 'torch.einsum', args: [str('bhqd,bhkd->bhqk'), t(2, 4, 5, 8), t(2, 4, 6, 8)] },
  { op: 'torch.einsum', args: [str('bij,bjk'), t(2, 2, 3), t(2, 3, 4)] },
  { op: 'torch.einsum', args: [str('...ij,...jk->...ik'), t(2, 5, 2, 3), t(5, 3, 4)] },
  { op: 'torch.einsum', args: [str('ii->i'), t(3, 3)] },
  { op: 'torch.einsum', args: [str('ij,jk'), t(2, 3), t(4, 4)] },
  { op: 'torch.sum', args: [t(2, 3, 4), tuple([int(1), int(-1)])], kwargs: { keepdim: bool(true) } },
  { op: 'Tensor.sum', args: [mask(2, 3)] },
  { op: 'Tensor.mean', args: [t(2, 3, 4), int(-1)] },
  { op: 'Tensor.mean', args: [long(2, 3)] },
  { op: 'Tensor.max', args: [t(2, 3), int(1)], kwargs: { keepdim: bool(true) } },
  { op: 'torch.max', args: [t(2, 3)] },
  { op: 'torch.max', args: [t(2, 3), t(1, 3)] },
  { op: 'Tensor.argmax', args: [t(2, 3)], kwargs: { dim: int(-1) } },
  { op: 'Tensor.argmax', args: [t(2, 3)], kwargs: { keepdim: bool(true) } },
  { op: 'torch.amax', args: [t(2, 3, 4), tuple([int(0), int(2)])] },
  { op: 'Tensor.std', args: [t(2, 3, 4), int(1)] },
  { op: 'torch.softmax', args: [t(2, 5), int(-1)] },
  { op: 'Tensor.softmax', args: [t(2, 5), int(2)] },
  { op: 'torch.log_softmax', args: [t(2, 5), int(1)], kwargs: { dtype: dtype('float64') } },
  { op: 'Tensor.topk', args: [t(4, 10), int(3)] },
  { op: 'Tensor.__add__', args: [t(2, 1, 4), t(3, 1)] },
  { op: 'Tensor.__mul__', args: [t(2, 3), t(4)] },
  { op: 'Tensor.__truediv__', args: [long(2), int(2)] },
  { op: 'Tensor.__floordiv__', args: [long(2), int(2)] },
  { op: 'Tensor.__mul__', args: [long(2), float(0.5)] },
  { op: 'Tensor.__add__', args: [tensor([2], 'float16'), t(2)] },
  { op: 'Tensor.__add__', args: [mask(2), int(1)] },
  { op: 'Tensor.__rsub__', args: [t(2, 3), int(1)] },
  { op: 'Tensor.__lt__', args: [t(2, 3), float(0)] },
  { op: 'Tensor.__eq__', args: [long(2, 3), long(3)] },
  { op: 'Tensor.__pow__', args: [long(3), float(0.5)] },
  { op: 'torch.where', args: [mask(2, 1), t(1, 3), float(0)] },
  { op: 'Tensor.masked_fill', args: [t(2, 4, 4), mask(4, 4), float(-1e9)] },
  { op: 'Tensor.masked_fill', args: [t(2, 3), mask(3, 3), int(0)] },
  { op: 'Tensor.masked_fill', args: [t(1, 3), mask(2, 3), int(0)] },
  { op: 'torch.sqrt', args: [long(3)] },
  { op: 'torch.abs', args: [long(3)] },
  { op: 'torch.clamp', args: [t(2, 3)], kwargs: { min: float(0) } },
  { op: 'Tensor.long', args: [t(2, 3)] },
  { op: 'Tensor.to', args: [t(2), dtype('float16')] },
  { op: 'Tensor.type_as', args: [t(2), tensor([5], 'float64')] },
  { op: 'torch.zeros', args: [int(2), int(3)] },
  { op: 'torch.ones', args: [tuple([int(2), int(3)])], kwargs: { dtype: dtype('long') } },
  { op: 'torch.full', args: [tuple([int(2)]), int(1)] },
  { op: 'torch.full', args: [tuple([int(2)]), bool(true)] },
  { op: 'torch.arange', args: [int(0), int(10), int(3)] },
  { op: 'torch.arange', args: [float(0), int(1), float(0.3)] },
  { op: 'torch.arange', args: [int(10), int(0), int(-3)] },
  { op: 'torch.tensor', args: [list([list([int(1), int(2)]), list([int(3), int(4)])])] },
  { op: 'torch.tensor', args: [list([int(1), float(2.5)])] },
  { op: 'torch.zeros_like', args: [long(4)] },
  { op: 'torch.tril', args: [t(5, 5)] },
  { op: 'Tensor.narrow', args: [t(4, 6), int(1), int(2), int(3)] },
  { op: 'torch.repeat_interleave', args: [t(2, 3), int(2)], kwargs: { dim: int(0) } },
  { op: 'torch.meshgrid', args: [t(3), t(4)], kwargs: { indexing: str('xy') } },
  { op: 'torch.addmm', args: [t(5), t(2, 3), t(3, 5)] },
  { op: 'torch.nn.functional.conv2d', args: [t(1, 3, 10, 10), t(8, 3, 3, 3)], kwargs: { padding: int(1) } },
  { op: 'torch.nn.functional.conv2d', args: [t(1, 4, 10, 10), t(8, 2, 3, 3)], kwargs: { groups: int(2), stride: int(2) } },
  { op: 'torch.nn.functional.conv2d', args: [t(1, 4, 10, 10), t(8, 3, 3, 3)] },
  { op: 'torch.nn.functional.conv_transpose2d', args: [t(1, 4, 5, 5), t(4, 3, 3, 3)], kwargs: { stride: int(2) } },
  { op: 'torch.nn.functional.linear', args: [t(4, 10), t(5, 10)] },
  { op: 'torch.nn.functional.max_pool2d', args: [t(1, 3, 9, 9), int(2)] },
  { op: 'torch.nn.functional.avg_pool2d', args: [t(1, 3, 9, 9), int(3)], kwargs: { stride: int(2), ceil_mode: bool(true) } },
  { op: 'torch.nn.functional.adaptive_avg_pool2d', args: [t(1, 3, 9, 9), tuple([int(1), int(1)])] },
  { op: 'torch.nn.functional.interpolate', args: [t(1, 2, 5, 7)], kwargs: { scale_factor: float(0.5) } },
  { op: 'torch.nn.functional.interpolate', args: [t(1, 2, 5)], kwargs: { scale_factor: float(2.7), mode: str('linear') } },
  { op: 'torch.nn.functional.pad', args: [t(2, 3, 4), tuple([int(1), int(2), int(3), int(4)])] },
  { op: 'torch.nn.functional.pad', args: [t(1, 2, 5), tuple([int(2), int(2)])], kwargs: { mode: str('reflect') } },
  { op: 'torch.nn.functional.pad', args: [t(2), tuple([int(1), int(2), int(3), int(4)])] },
  { op: 'torch.nn.functional.one_hot', args: [long(3, 4), int(7)] },
  { op: 'torch.nn.functional.embedding', args: [long(2, 5), t(10, 3)] },
  { op: 'torch.nn.functional.layer_norm', args: [t(2, 32), tuple([int(64)])] },
  { op: 'torch.nn.functional.dropout', args: [t(2), float(1.5)] },
  { op: 'torch.nn.functional.gelu', args: [t(2, 3)] },
  { op: 'torch.nn.functional.glu', args: [t(2, 6)] },
  { op: 'torch.nn.functional.softmax', args: [t(2, 5)], kwargs: { dim: int(1) } },
  { op: 'torch.nn.functional.cross_entropy', args: [t(4, 10), long(4)] },
  { op: 'torch.nn.functional.cross_entropy', args: [t(4, 10, 3), long(4, 3)], kwargs: { reduction: str('none') } },
  { op: 'torch.nn.functional.mse_loss', args: [t(4, 10), t(4, 10)], kwargs: { reduction: str('none') } },
  { op: 'torch.nn.functional.pixel_shuffle', args: [t(1, 8, 3, 3), int(2)] },
  { op: 'torch.nn.functional.unfold', args: [t(2, 3, 8, 8), int(3)], kwargs: { padding: int(1), stride: int(2) } },
  { op: 'torch.nn.functional.cosine_similarity', args: [t(4, 8), t(4, 8)] },
  { op: 'torch.diff', args: [t(2, 5)], kwargs: { n: int(2) } },
  { op: 'torch.diff', args: [t(2, 5)], kwargs: { prepend: t(2, 3), dim: int(1) } },
  { op: 'torch.nn.functional.affine_grid', args: [t(2, 2, 3), tuple([int(2), int(3), int(5), int(7)])], kwargs: { align_corners: bool(false) } },
  { op: 'torch.nn.functional.grid_sample', args: [t(2, 3, 8, 8), t(2, 5, 6, 2)], kwargs: { align_corners: bool(false) } },
  { op: 'torch.cdist', args: [t(3, 4, 5), t(6, 5)] },
  { op: 'torch.nn.functional.pairwise_distance', args: [t(4, 5), t(4, 5)] },
  { op: 'torch.std_mean', args: [t(3, 4), int(1)] },
  { op: 'torch.nn.functional.normalize', args: [t(4, 5)], kwargs: { dim: int(-1) } },
  { op: 'Tensor.new_zeros', args: [long(2), tuple([int(3), int(4)])] },
  { op: 'torch.randint', args: [int(10), tuple([int(2), int(3)])] },
  { op: 'torch.eye', args: [int(3)] },
  { op: 'torch.linspace', args: [int(0), int(1), int(5)] },
  { op: 'torch.gather', args: [t(3, 4), int(1), long(3, 2)] },
  { op: 'Tensor.sort', args: [t(3, 4)], kwargs: { dim: int(0) } },
  { op: 'Tensor.any', args: [mask(3, 4), int(1)] },
  { op: 'torch.nn.functional.log_softmax', args: [t(2, 3, 4)], kwargs: { dim: int(-1) } },
  // Signal processing and complex tensors (audio front ends): 16 000 samples, n_fft 400, hop 160 → 201 × 101.
  { op: 'torch.stft', args: [t(16000), int(400), int(160)], kwargs: { window: t(400), return_complex: bool(true) } },
  { op: 'torch.stft', args: [t(2, 1000), int(64)], kwargs: { center: bool(false), return_complex: bool(true) } },
  { op: 'torch.stft', args: [t(2, 1000), int(64), int(16)] },
  { op: 'Tensor.stft', args: [t(1000), int(64)], kwargs: { onesided: bool(false), return_complex: bool(true) } },
  { op: 'torch.stft', args: [t(1000), int(64)], kwargs: { win_length: int(100), return_complex: bool(true) } },
  { op: 'torch.stft', args: [t(1000), int(64)], kwargs: { window: t(32), return_complex: bool(true) } },
  { op: 'torch.stft', args: [t(2, 3, 1000), int(64)], kwargs: { return_complex: bool(true) } },
  { op: 'torch.istft', args: [cplx(201, 101), int(400), int(160)] },
  { op: 'torch.istft', args: [cplx(201, 101), int(400), int(160)], kwargs: { onesided: bool(false) } },
  { op: 'torch.istft', args: [cplx(5, 201, 101)], kwargs: { n_fft: int(400) } },
  { op: 'torch.stft', args: [t(1000), int(64)], kwargs: { hop_length: int(0), return_complex: bool(true) } },
  { op: 'torch.istft', args: [cplx(2, 33, 20), int(64)], kwargs: { length: int(300) } },
  { op: 'torch.istft', args: [cplx(2, 33, 20), int(64)], kwargs: { center: bool(false) } },
  { op: 'torch.istft', args: [cplx(2, 30, 20), int(64)] },
  { op: 'torch.hann_window', args: [int(400)] },
  { op: 'torch.hamming_window', args: [int(10), bool(false)] },
  { op: 'torch.blackman_window', args: [int(7)], kwargs: { dtype: dtype('float64') } },
  { op: 'torch.bartlett_window', args: [int(5)] },
  { op: 'torch.kaiser_window', args: [int(12)] },
  { op: 'torch.hann_window', args: [int(8)], kwargs: { dtype: dtype('long') } },
  { op: 'torch.view_as_real', args: [cplx(3, 4)] },
  { op: 'torch.view_as_real', args: [t(3, 4)] },
  { op: 'torch.view_as_complex', args: [t(3, 4, 2)] },
  { op: 'torch.view_as_complex', args: [t(3, 4)] },
  { op: 'torch.complex', args: [t(3, 1), t(4)] },
  { op: 'torch.polar', args: [t(3), t(3)] },
  { op: 'Tensor.abs', args: [cplx(2, 3)] },
  { op: 'Tensor.__abs__', args: [cplx(2, 3)] },
  { op: 'Tensor.real', args: [cplx(2, 3)] },
  { op: 'Tensor.imag', args: [cplx(2, 3)] },
  { op: 'torch.angle', args: [cplx(2, 3)] },
  { op: 'torch.is_complex', args: [cplx(2)] },
  // Division with a rounding mode keeps integer dtypes; without, it is true division.
  { op: 'torch.div', args: [long(3), float(2)], kwargs: { rounding_mode: str('floor') } },
  { op: 'torch.div', args: [long(3), int(2)], kwargs: { rounding_mode: str('trunc') } },
  { op: 'Tensor.div', args: [long(3), int(2)] },
  { op: 'Tensor.div_', args: [t(3), int(2)], kwargs: { rounding_mode: str('floor') } },
  { op: 'torch.div', args: [t(3), int(2)], kwargs: { rounding_mode: str('round') } },
  // Legacy constructors: sizes, data, empty.
  { op: 'torch.FloatTensor', args: [int(2), int(3)] },
  { op: 'torch.LongTensor', args: [list([int(1), int(2), int(3)])] },
  { op: 'torch.Tensor', args: [] },
  { op: 'torch.Tensor', args: [list([list([float(1), float(2)]), list([float(3), float(4)])])] },
  { op: 'torch.ByteTensor', args: [int(4)] },
  { op: 'torch.DoubleTensor', args: [tuple([int(2), int(5)])] },
  { op: 'torch.BoolTensor', args: [int(2), int(2)] },
  { op: 'Tensor.new', args: [long(2), int(3), int(4)] },
  { op: 'Tensor.new_tensor', args: [long(2), list([float(1), float(2)])] },
  { op: 'Tensor.new_empty', args: [t(2), tuple([int(3), int(4)])] },
  { op: 'Tensor.new_ones', args: [long(2), int(5)], kwargs: { dtype: dtype('float16') } },
  // The functional multi-head attention (attention-pooling heads): (L=5, N=2, E=8) queries over S=7 keys.
  {
    op: 'torch.nn.functional.multi_head_attention_forward',
    args: [t(5, 2, 8), t(7, 2, 8), t(7, 2, 8), int(8), int(2), t(24, 8), t(24), NONE, NONE, bool(false), float(0), t(8, 8), t(8)],
  },
  {
    op: 'torch.nn.functional.multi_head_attention_forward',
    args: [t(5, 8), t(7, 8), t(7, 8), int(8), int(4), t(24, 8), t(24), t(1, 1, 8), t(1, 1, 8), bool(true), float(0), t(8, 8), t(8)],
    kwargs: { average_attn_weights: bool(false) },
  },
  {
    op: 'torch.nn.functional.multi_head_attention_forward',
    args: [t(5, 2, 8), t(7, 2, 6), t(7, 2, 4), int(8), int(2), NONE, t(24), NONE, NONE, bool(false), float(0), t(8, 8), t(8)],
    kwargs: { use_separate_proj_weight: bool(true), q_proj_weight: t(8, 8), k_proj_weight: t(8, 6), v_proj_weight: t(8, 4), need_weights: bool(false) },
  },
  {
    op: 'torch.nn.functional.multi_head_attention_forward',
    args: [t(5, 2, 8), t(7, 2, 8), t(7, 2, 8), int(8), int(3), t(24, 8), t(24), NONE, NONE, bool(false), float(0), t(8, 8), t(8)],
  },
];

const render = (v: DataValue): string => (v.kind === 'str' && v.value.startsWith('torch.') ? v.value : pythonLiteral(v));

/** Python that resolves 'torch.x', 'torch.nn.functional.x', 'Tensor.x' (method or property) and calls it. */
const SCRIPT = String.raw`
import json, sys, warnings
warnings.filterwarnings("ignore")
import torch, torch.nn.functional as F
torch.set_num_threads(1)

def describe(v):
    if isinstance(v, torch.Tensor):
        return {"shape": list(v.shape), "dtype": str(v.dtype).replace("torch.", "")}
    if isinstance(v, (tuple, list)):
        return [describe(x) for x in v]
    if isinstance(v, bool):
        return v
    return None

out = []
for case in json.load(sys.stdin):
    try:
        args = eval("[%s]" % case["args"])
        kwargs = eval("dict(%s)" % case["kwargs"])
        op = case["op"]
        if op.startswith("Tensor."):
            attr = getattr(args[0], op[len("Tensor."):])
            result = attr(*args[1:], **kwargs) if callable(attr) else attr
        else:
            fn = eval(op.replace("torch.nn.functional.", "F."))
            result = fn(*args, **kwargs)
        out.append({"value": describe(result)})
    except Exception as e:
        out.append({"error": str(e).strip().split("\n")[0]})
print(json.dumps(out))
`;

type Observed = { value?: unknown; error?: string };

function describeValue(v: DataValue): unknown {
  if (v.kind === 'tensor') return { shape: v.shape, dtype: v.dtype };
  if (v.kind === 'tuple' || v.kind === 'list') return v.items.map(describeValue);
  if (v.kind === 'unknown') return { unknown: v.reason };
  if (v.kind === 'bool') return v.value;
  return null;
}

function runCatalogue(c: OpCase): Observed {
  const op = lookupOp(c.op);
  if (!op) return { error: `no catalogue entry for ${c.op}` };
  // The oracle is PyTorch 1.13: the catalogue answers for that release.
  const r = op.apply(bindArgs(op.signature, c.args, c.kwargs ?? {}), { torchVersion: ORACLE_VERSION });
  return isLayerError(r) ? { error: r.message } : { value: describeValue(r.output) };
}

const ORACLE_VERSION = parseTorchVersion('1.13.1')!;

const caseTitle = (c: OpCase, index: number) => `${index}: ${c.op}(${[...c.args.map(render), ...Object.entries(c.kwargs ?? {}).map(([k, v]) => `${k}=${render(v)}`)].join(', ')})`;

describe('functional and tensor ops vs PyTorch 1.13', () => {
  let truth: Observed[] = [];
  beforeAll(() => {
    const payload = CASES.map((c) => ({
      op: c.op,
      args: c.args.map(render).join(', '),
      kwargs: Object.entries(c.kwargs ?? {})
        .map(([k, v]) => `${k}=${render(v)}`)
        .join(', '),
    }));
    const run = spawnSync('/usr/bin/python3', ['-c', SCRIPT], { input: JSON.stringify(payload), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (run.status !== 0) throw new Error(`PyTorch oracle failed (exit ${run.status}): ${run.stderr}`);
    truth = JSON.parse(run.stdout) as Observed[];
  });
  it.each(CASES.map((c, i) => [caseTitle(c, i), i] as const))('%s', (_title, index) => {
    expect(runCatalogue(CASES[index]!)).toEqual(truth[index]);
  });
});
