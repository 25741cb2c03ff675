// Functional and tensor ops against real PyTorch 1.13: output shapes and dtypes (tuples as lists) and
// PyTorch's error text, for each case run in one Python process.
import { spawnSync } from 'node:child_process';
import { TORCH_PYTHON } from '../lib/python';
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
  // Elementwise additions: unary aliases and special functions (dtype on integer input), binary ops.
  ...['absolute', 'acosh', 'asinh', 'atanh', 'arccos', 'arcsin', 'arctan', 'arccosh', 'arcsinh', 'arctanh', 'deg2rad', 'rad2deg', 'digamma', 'erfinv', 'fix', 'i0', 'lgamma', 'sinc', 'logit', 'conj_physical', 'resolve_conj', 'resolve_neg', 'isneginf', 'isposinf', 'isreal'].flatMap(
    (name): OpCase[] => [
      { op: `torch.${name}`, args: [t(2, 3)] },
      { op: `Tensor.${name}`, args: [long(4)] },
    ],
  ),
  ...['absolute_', 'acosh_', 'arctan_', 'fix_', 'sinc_', 'logit_', 'erfinv_', 'digamma_', 'deg2rad_', 'i0_'].map((name): OpCase => ({ op: `Tensor.${name}`, args: [t(2, 3)] })),
  { op: 'torch.polygamma', args: [int(1), t(3)] },
  { op: 'Tensor.mvlgamma', args: [t(2, 3)], kwargs: { p: int(1) } },
  { op: 'torch.logit', args: [t(3)], kwargs: { eps: float(1e-6) } },
  ...['arctan2', 'copysign', 'float_power', 'hypot', 'igamma', 'igammac', 'ldexp', 'logaddexp', 'logaddexp2', 'nextafter', 'xlogy', 'fmax', 'fmin', 'heaviside', 'greater_equal', 'less_equal'].flatMap(
    (name): OpCase[] => [
      { op: `torch.${name}`, args: [t(2, 1), t(3)] },
      { op: `torch.${name}`, args: [long(2, 3), long(3)] },
    ],
  ),
  ...['gcd', 'lcm', 'bitwise_xor', 'bitwise_left_shift', 'bitwise_right_shift'].map((name): OpCase => ({ op: `torch.${name}`, args: [long(2, 1), long(3)] })),
  ...['hypot_', 'copysign_', 'xlogy_', 'float_power_', 'gcd_'].map((name): OpCase => ({ op: `Tensor.${name}`, args: [name === 'gcd_' ? long(2, 3) : tensor([2, 3], name === 'float_power_' ? 'float64' : 'float32'), name === 'gcd_' ? long(3) : t(3)] })),
  { op: 'Tensor.float_power_', args: [t(2, 3), t(3)] },
  { op: 'torch.addcmul', args: [t(3, 1), t(1, 4), t(4)], kwargs: { value: float(0.5) } },
  { op: 'torch.addcdiv', args: [t(2, 3), t(3), t(2, 1)] },
  { op: 'torch.lerp', args: [t(2, 3), t(3), t(2, 1)] },
  { op: 'Tensor.lerp_', args: [t(2, 3), t(3), float(0.5)] },
  { op: 'Tensor.__div__', args: [long(3), int(2)] },
  // Arrangement: movedim, broadcasting, atleast, stacking and splitting, flips, diagonals, selection.
  { op: 'torch.movedim', args: [t(2, 3, 4, 5), int(1), int(-1)] },
  { op: 'Tensor.moveaxis', args: [t(2, 3, 4, 5), tuple([int(0), int(1)]), tuple([int(3), int(2)])] },
  { op: 'torch.broadcast_to', args: [t(3, 1), tuple([int(2), int(3), int(4)])] },
  { op: 'torch.broadcast_to', args: [t(3, 2), tuple([int(3), int(4)])] },
  { op: 'torch.broadcast_tensors', args: [t(3, 1), t(1, 4), t(4)] },
  { op: 'torch.atleast_2d', args: [t(3)] },
  { op: 'torch.atleast_3d', args: [t(2, 3)] },
  { op: 'torch.atleast_1d', args: [t(), t(2, 2)] },
  { op: 'torch.hstack', args: [list([t(2, 3), t(2, 5)])] },
  { op: 'torch.vstack', args: [list([t(3), t(2, 3)])] },
  { op: 'torch.dstack', args: [list([t(2, 3), t(2, 3)])] },
  { op: 'torch.column_stack', args: [list([t(4), t(4, 2)])] },
  { op: 'torch.row_stack', args: [list([t(3), t(3)])] },
  { op: 'torch.tensor_split', args: [t(7, 2), int(3)] },
  { op: 'Tensor.tensor_split', args: [t(2, 9), list([int(2), int(5)]), int(1)] },
  // The overloads by keyword: `indices` (torchvision's MViT splits the class token off with it), `sections`.
  { op: 'torch.tensor_split', args: [t(1, 2, 5, 4)], kwargs: { indices: tuple([int(1)]), dim: int(2) } },
  { op: 'Tensor.tensor_split', args: [t(2, 7)], kwargs: { sections: int(3), dim: int(1) } },
  { op: 'torch.hsplit', args: [t(4, 6)], kwargs: { sections: int(3) } },
  { op: 'Tensor.vsplit', args: [t(6, 4)], kwargs: { indices: list([int(1), int(4)]) } },
  { op: 'torch.hsplit', args: [t(4, 6), int(3)] },
  { op: 'torch.vsplit', args: [t(6, 4), list([int(1), int(4)])] },
  { op: 'torch.dsplit', args: [t(2, 2, 6), int(2)] },
  { op: 'torch.hsplit', args: [t(4, 5), int(3)] },
  { op: 'torch.tile', args: [t(2, 3), tuple([int(2)])] },
  { op: 'Tensor.tile', args: [t(3), tuple([int(2), int(2)])] },
  { op: 'torch.fliplr', args: [t(2, 3)] },
  { op: 'torch.flipud', args: [t(4)] },
  { op: 'torch.rot90', args: [t(2, 3, 4), int(1), list([int(1), int(2)])] },
  { op: 'torch.rot90', args: [t(2, 3), int(2)] },
  { op: 'torch.diag', args: [t(3)], kwargs: { diagonal: int(1) } },
  { op: 'torch.diag', args: [t(3, 5), int(-1)] },
  { op: 'torch.diagonal', args: [t(2, 3, 4)], kwargs: { offset: int(1), dim1: int(1), dim2: int(2) } },
  { op: 'torch.diag_embed', args: [t(2, 3)], kwargs: { offset: int(1) } },
  { op: 'torch.diagflat', args: [t(2, 2)] },
  { op: 'torch.trace', args: [long(3, 4)] },
  { op: 'torch.select', args: [t(2, 3, 4), int(1), int(-1)] },
  { op: 'Tensor.select', args: [t(2, 3), int(0), int(5)] },
  { op: 'torch.take', args: [t(3, 4), long(2, 5)] },
  { op: 'torch.take_along_dim', args: [t(3, 4), long(3, 2), int(1)] },
  { op: 'torch.take_along_dim', args: [t(3, 4), long(5)] },
  { op: 'torch.kron', args: [t(2, 3), t(4, 5)] },
  { op: 'torch.block_diag', args: [t(2, 3), t(4), t()] },
  { op: 'torch.cartesian_prod', args: [t(3), t(4)] },
  { op: 'torch.combinations', args: [t(5)], kwargs: { r: int(3) } },
  { op: 'torch.combinations', args: [t(4)], kwargs: { with_replacement: bool(true) } },
  { op: 'torch.tril_indices', args: [int(4), int(3), int(1)] },
  { op: 'torch.triu_indices', args: [int(3), int(5), int(-1)] },
  { op: 'torch.vander', args: [t(4)], kwargs: { N: int(3) } },
  { op: 'torch.unsafe_split', args: [t(5, 2), int(2)] },
  { op: 'torch.slice_copy', args: [t(3, 10), int(1), int(2), int(9), int(3)] },
  { op: 'torch.permute_copy', args: [t(2, 3, 4), list([int(2), int(0), int(1)])] },
  { op: 'torch.expand_copy', args: [t(3, 1), list([int(3), int(4)])] },
  { op: 'torch.narrow_copy', args: [t(5, 4), int(0), int(1), int(3)] },
  { op: 'torch.unfold_copy', args: [t(10), int(0), int(4), int(2)] },
  // Scatter family: self's shape.
  { op: 'torch.scatter', args: [t(3, 4), int(1), long(3, 2), t(3, 2)] },
  { op: 'Tensor.scatter_add_', args: [t(3, 4), int(0), long(2, 4), t(2, 4)] },
  { op: 'torch.scatter_reduce', args: [t(5), int(0), long(3), t(3), str('amax')] },
  { op: 'torch.scatter', args: [t(3, 4), int(1), long(3), t(3)] },
  { op: 'torch.index_add', args: [t(5, 3), int(0), long(2), t(2, 3)] },
  { op: 'Tensor.index_fill_', args: [t(5, 3), int(1), long(2), float(-1)] },
  { op: 'Tensor.index_copy', args: [t(5, 3), int(0), long(2), t(2, 3)] },
  { op: 'Tensor.masked_scatter', args: [t(2, 3), mask(2, 3), t(6)] },
  { op: 'Tensor.put_', args: [t(2, 3), long(2), t(2)] },
  // Debian's 1.13 build misreads an omitted step of slice_scatter (garbage strides): steps are explicit here.
  { op: 'torch.slice_scatter', args: [t(8, 8), t(2, 8)], kwargs: { start: int(6), end: int(8), step: int(1) } },
  { op: 'torch.slice_scatter', args: [t(8, 8), t(3, 8)], kwargs: { start: int(1), end: int(7), step: int(2) } },
  { op: 'torch.slice_scatter', args: [t(8, 8), t(2, 8)], kwargs: { start: int(1), end: int(7), step: int(2) } },
  { op: 'torch.select_scatter', args: [t(2, 2), t(2), int(0), int(0)] },
  { op: 'torch.diagonal_scatter', args: [t(3, 3), t(3)] },
  // Statistics.
  { op: 'torch.median', args: [t(3, 4)] },
  { op: 'torch.median', args: [t(3, 4), int(1)], kwargs: { keepdim: bool(true) } },
  { op: 'Tensor.nanmedian', args: [t(3, 4), int(0)] },
  { op: 'torch.mode', args: [t(3, 4)] },
  { op: 'torch.kthvalue', args: [t(3, 4), int(2), int(0)] },
  { op: 'torch.kthvalue', args: [t(3, 4), int(5)] },
  { op: 'torch.cummax', args: [t(3, 4), int(1)] },
  { op: 'Tensor.cummin', args: [t(3, 4), int(0)] },
  { op: 'torch.msort', args: [t(3, 4)] },
  { op: 'torch.aminmax', args: [t(3, 4)], kwargs: { dim: int(1), keepdim: bool(true) } },
  { op: 'torch.aminmax', args: [t(3, 4)] },
  { op: 'torch.quantile', args: [t(3, 4), float(0.5)], kwargs: { dim: int(1) } },
  { op: 'torch.quantile', args: [t(3, 4), t(5)] },
  { op: 'torch.nanquantile', args: [t(3, 4), t(2), int(0), bool(true)] },
  { op: 'torch.dist', args: [t(3, 4), t(4)] },
  { op: 'torch.histc', args: [t(10)], kwargs: { bins: int(4) } },
  { op: 'torch.cov', args: [t(3, 5)] },
  { op: 'torch.corrcoef', args: [t(4)] },
  { op: 'torch.renorm', args: [t(3, 4), int(2), int(0), float(1)] },
  { op: 'torch.isclose', args: [t(3, 1), t(4)] },
  { op: 'torch.isin', args: [long(3, 4), long(5)] },
  { op: 'torch.bucketize', args: [t(3, 4), t(5)] },
  { op: 'torch.searchsorted', args: [t(5), t(3, 4)], kwargs: { out_int32: bool(true) } },
  { op: 'torch.trapezoid', args: [t(3, 4)] },
  { op: 'torch.trapz', args: [t(3, 4)], kwargs: { dim: int(0) } },
  { op: 'torch.cumulative_trapezoid', args: [t(3, 4)] },
  { op: 'torch.frexp', args: [t(3)] },
  { op: 'torch.histogram', args: [t(10)], kwargs: { bins: int(4) } },
  { op: 'torch.histogram', args: [t(10)], kwargs: { bins: t(6) } },
  // Matrix functions.
  { op: 'torch.det', args: [t(2, 3, 3)] },
  { op: 'torch.logdet', args: [t(3, 3)] },
  { op: 'torch.slogdet', args: [t(2, 4, 4)] },
  { op: 'torch.det', args: [t(2, 3, 4)] },
  { op: 'torch.inverse', args: [t(2, 3, 4)] },
  { op: 'torch.matrix_exp', args: [t(3, 3)] },
  { op: 'torch.matrix_power', args: [t(2, 3, 3), int(3)] },
  { op: 'torch.pinverse', args: [t(2, 3, 5)] },
  { op: 'torch.cholesky_solve', args: [t(2, 3, 2), t(3, 3)] },
  { op: 'torch.triangular_solve', args: [t(3, 2), t(2, 3, 3)] },
  { op: 'torch.qr', args: [t(5, 3)] },
  { op: 'torch.qr', args: [t(2, 3, 5)], kwargs: { some: bool(false) } },
  { op: 'torch.svd', args: [t(5, 3)] },
  { op: 'torch.svd', args: [t(4, 6)], kwargs: { some: bool(false) } },
  { op: 'torch.inner', args: [t(2, 3), t(4, 3)] },
  { op: 'torch.inner', args: [t(2, 3), t(4, 2)] },
  { op: 'torch.tensordot', args: [t(3, 4, 5), t(4, 5, 6)] },
  { op: 'torch.tensordot', args: [t(3, 4, 5), t(5, 3)], kwargs: { dims: tuple([list([int(0), int(2)]), list([int(1), int(0)])]) } },
  { op: 'torch.vdot', args: [t(4), t(4)] },
  { op: 'torch.ger', args: [t(3), t(4)] },
  { op: 'torch.addmv', args: [t(3), t(3, 4), t(4)] },
  { op: 'torch.addr', args: [t(3, 4), t(3), t(4)] },
  { op: 'torch.chain_matmul', args: [t(2, 3), t(3, 4), t(4, 5)] },
  { op: 'torch.cross', args: [t(4, 3), t(4, 3)], kwargs: { dim: int(1) } },
  { op: 'Tensor.addmm_', args: [t(2, 4), t(2, 3), t(3, 4)] },
  { op: 'Tensor.cumsum_', args: [t(2, 4), int(1)] },
  { op: 'Tensor.tril_', args: [t(3, 3)] },
  // Tensor information, conversions and the remaining creation functions.
  { op: 'Tensor.element_size', args: [long(2)] },
  { op: 'Tensor.nelement', args: [t(2, 3)] },
  { op: 'torch.is_floating_point', args: [long(2)] },
  { op: 'Tensor.is_signed', args: [tensor([2], 'uint8')] },
  { op: 'Tensor.get_device', args: [t(2)] },
  { op: 'Tensor.is_cpu', args: [t(2)] },
  { op: 'Tensor.mH', args: [t(2, 3, 4)] },
  { op: 'Tensor.H', args: [t(3, 4)] },
  { op: 'torch.adjoint', args: [t(2, 3, 4)] },
  { op: 'Tensor.sum_to_size', args: [t(2, 3, 4), int(3), int(1)] },
  { op: 'Tensor.cfloat', args: [t(2)] },
  { op: 'Tensor.char', args: [t(2)] },
  { op: 'torch.logspace', args: [int(0), int(2), int(5)] },
  { op: 'torch.range', args: [int(1), int(4)] },
  { op: 'torch.range', args: [float(0), float(1), float(0.25)] },
  { op: 'torch.randint_like', args: [t(2, 3), int(5)] },
  { op: 'torch.empty_strided', args: [tuple([int(2), int(3)]), tuple([int(1), int(2)])] },
  { op: 'Tensor.new_empty_strided', args: [long(2), tuple([int(2), int(3)]), tuple([int(3), int(1)])] },
  { op: 'torch.asarray', args: [list([int(1), int(2)])] },
  { op: 'torch.normal', args: [t(3, 1), t(4)] },
  { op: 'torch.normal', args: [float(0), float(1), tuple([int(2), int(3)])] },
  { op: 'torch.poisson', args: [t(2, 3)] },
  { op: 'torch.bernoulli', args: [t(2, 3)] },
  { op: 'torch.multinomial', args: [t(5), int(7)] },
  { op: 'torch.promote_types', args: [dtype('int64'), dtype('float16')] },
  { op: 'torch.can_cast', args: [dtype('float32'), dtype('int32')] },
  { op: 'torch.result_type', args: [long(2), float(1)] },
  // Functional forms.
  { op: 'torch.nn.functional.elu_', args: [t(2, 3)] },
  { op: 'torch.nn.functional.threshold_', args: [t(2, 3), float(0.1), float(0)] },
  { op: 'torch.nn.functional.gumbel_softmax', args: [t(2, 5)], kwargs: { tau: float(0.5), hard: bool(true) } },
  { op: 'torch.nn.functional.bilinear', args: [t(4, 3), t(4, 5), t(6, 3, 5), t(6)] },
  { op: 'torch.nn.functional.channel_shuffle', args: [t(1, 6, 2, 2), int(3)] },
  { op: 'torch.nn.functional.pdist', args: [t(5, 3)] },
  { op: 'torch.nn.functional.upsample_nearest', args: [t(1, 3, 4, 4)], kwargs: { scale_factor: int(2) } },
  { op: 'torch.nn.functional.upsample_bilinear', args: [t(1, 3, 4, 4)], kwargs: { size: tuple([int(6), int(7)]) } },
  { op: 'torch.nn.functional.embedding_bag', args: [long(4, 3), t(10, 5)] },
  { op: 'torch.nn.functional.embedding_bag', args: [long(8), t(10, 5), long(3)] },
  { op: 'torch.nn.functional.conv_tbc', args: [t(10, 2, 3), t(3, 3, 4), t(4), int(1)] },
  { op: 'torch.nn.functional.max_pool2d_with_indices', args: [t(1, 2, 7, 7), int(2)] },
  { op: 'torch.nn.functional.adaptive_max_pool1d_with_indices', args: [t(1, 2, 9), int(4)] },
  { op: 'torch.nn.functional.max_unpool2d', args: [t(1, 2, 3, 3), long(1, 2, 3, 3), int(2)] },
  { op: 'torch.nn.functional.max_unpool1d', args: [t(1, 2, 3), long(1, 2, 3), int(2)], kwargs: { output_size: list([int(7)]) } },
  { op: 'torch.nn.functional.fractional_max_pool2d', args: [t(1, 2, 9, 9), int(2)], kwargs: { output_ratio: float(0.5) } },
  { op: 'torch.nn.functional.fractional_max_pool3d_with_indices', args: [t(1, 2, 8, 8, 8), int(2)], kwargs: { output_size: int(3) } },
  { op: 'torch.nn.functional.triplet_margin_with_distance_loss', args: [t(4, 5), t(4, 5), t(4, 5)], kwargs: { reduction: str('none') } },
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
    if isinstance(v, int):
        return {"int": v}
    if isinstance(v, torch.dtype):
        return {"dtype": str(v).replace("torch.", "")}
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
  if (v.kind === 'int') return { int: v.value };
  if (v.kind === 'str' && v.value.startsWith('torch.')) return { dtype: v.value.slice('torch.'.length) };
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
    const run = spawnSync(TORCH_PYTHON, ['-c', SCRIPT], { input: JSON.stringify(payload), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (run.status !== 0) throw new Error(`PyTorch oracle failed (exit ${run.status}): ${run.stderr}`);
    truth = JSON.parse(run.stdout) as Observed[];
  });
  it.each(CASES.map((c, i) => [caseTitle(c, i), i] as const))('%s', (_title, index) => {
    expect(runCatalogue(CASES[index]!)).toEqual(truth[index]);
  });
});
