// Functional and tensor ops with hand-worked shapes, MACs and errors (messages as PyTorch 1.13 prints them).
import { describe, expect, it } from 'vitest';
import { lookupOp } from '../../../src/core/frameworks/torch/index';
import { isLayerError } from '../../../src/core/frameworks/types';
import type { DataValue, ForwardResult, LayerError } from '../../../src/core/frameworks/types';
import { substitute, sym } from '../../../src/core/dims/dims';
import { NONE, bool, float, int, list, str, tensor, tuple } from './values';
import { bindArgs } from './bind';

/** Calls an op the way model code does: positional args then keywords. */
function call(name: string, positional: DataValue[], keywords: Record<string, DataValue> = {}): ForwardResult | LayerError {
  const op = lookupOp(name);
  if (!op) throw new Error(`no op ${name}`);
  return op.apply(bindArgs(op.signature, positional, keywords));
}

function ok(r: ForwardResult | LayerError): ForwardResult {
  if (isLayerError(r)) throw new Error(`unexpected error: ${r.message}`);
  return r;
}

const shapeOf = (r: ForwardResult | LayerError): unknown => {
  const out = ok(r).output;
  const shape = (v: DataValue): unknown => (v.kind === 'tensor' ? v.shape : v.kind === 'tuple' ? v.items.map(shape) : v.kind);
  return shape(out);
};

const errorOf = (r: ForwardResult | LayerError): string => {
  if (!isLayerError(r)) throw new Error('expected an error');
  return r.message;
};

const t = (...shape: (number | string)[]) => tensor(shape.map((d) => (typeof d === 'string' ? sym(d) : d)));
const B = sym('B');
const H = sym('H');

describe('view / reshape', () => {
  it('infers one -1: 2·3·4 = 24 elements, view(4, -1) → [4, 6]', () => {
    expect(shapeOf(call('Tensor.view', [t(2, 3, 4), int(4), int(-1)]))).toEqual([4, 6]);
  });
  it('accepts a tuple in place of *shape', () => {
    expect(shapeOf(call('Tensor.reshape', [t(2, 3, 4), tuple([int(-1), int(2)])]))).toEqual([12, 2]);
    expect(shapeOf(call('torch.reshape', [t(2, 3, 4), tuple([int(24)])]))).toEqual([24]);
  });
  it('raises when the sizes cannot hold the elements (12 ≠ 2·5)', () => {
    expect(errorOf(call('Tensor.view', [t(3, 4), int(2), int(5)]))).toBe("shape '[2, 5]' is invalid for input of size 12");
    expect(errorOf(call('Tensor.view', [t(3, 4), int(-1), int(5)]))).toBe("shape '[-1, 5]' is invalid for input of size 12");
    expect(errorOf(call('Tensor.view', [t(3, 4), int(-1), int(-1)]))).toBe('only one dimension can be inferred');
  });
  it('keeps symbolic dims: [B, 64, 7, 7].view(B, -1) → [B, 3136] (64·7·7 = 3136)', () => {
    expect(shapeOf(call('Tensor.view', [t('B', 64, 7, 7), int(B), int(-1)]))).toEqual([B, 3136]);
  });
  it('flattens and unflattens', () => {
    expect(shapeOf(call('torch.flatten', [t(2, 3, 4, 5), int(1)]))).toEqual([2, 60]);
    expect(shapeOf(call('Tensor.flatten', [t(2, 3, 4, 5)], { start_dim: int(1), end_dim: int(2) }))).toEqual([2, 12, 5]);
    expect(shapeOf(call('Tensor.unflatten', [t(2, 12), int(1), tuple([int(3), int(-1)])]))).toEqual([2, 3, 4]);
  });
});

describe('permute / transpose / squeeze / expand / repeat', () => {
  it('permutes and transposes', () => {
    expect(shapeOf(call('Tensor.permute', [t(2, 3, 4), int(0), int(2), int(1)]))).toEqual([2, 4, 3]);
    expect(shapeOf(call('torch.permute', [t(2, 3, 4), tuple([int(2), int(0), int(1)])]))).toEqual([4, 2, 3]);
    expect(shapeOf(call('Tensor.transpose', [t(2, 3, 4), int(-2), int(-1)]))).toEqual([2, 4, 3]);
    expect(shapeOf(call('Tensor.t', [t(2, 3)]))).toEqual([3, 2]);
    expect(shapeOf(call('Tensor.T', [t(2, 3, 4)]))).toEqual([4, 3, 2]);
  });
  it('raises on a permutation of the wrong length and an out-of-range dim', () => {
    expect(errorOf(call('Tensor.permute', [t(2, 1, 3), int(0), int(1)]))).toContain('input.dim() = 3 is not equal to len(dims) = 2');
    expect(errorOf(call('Tensor.squeeze', [t(2, 1, 3), int(5)]))).toBe('Dimension out of range (expected to be in range of [-3, 2], but got 5)');
  });
  it('squeezes only size-1 dims and unsqueezes at negative positions', () => {
    expect(shapeOf(call('Tensor.squeeze', [t(2, 1, 3, 1)]))).toEqual([2, 3]);
    expect(shapeOf(call('Tensor.squeeze', [t(2, 1, 3), int(0)]))).toEqual([2, 1, 3]);
    expect(shapeOf(call('Tensor.unsqueeze', [t(2, 3), int(-1)]))).toEqual([2, 3, 1]);
    expect(shapeOf(call('torch.unsqueeze', [t(2, 3), int(0)]))).toEqual([1, 2, 3]);
  });
  it('expands size-1 dims (-1 keeps a size) and repeats by multiplying', () => {
    expect(shapeOf(call('Tensor.expand', [t(1, 3), int(4), int(-1)]))).toEqual([4, 3]);
    expect(shapeOf(call('Tensor.expand', [t(1, 3), int(2), int(5), int(3)]))).toEqual([2, 5, 3]);
    expect(errorOf(call('Tensor.expand', [t(2, 3), int(4), int(3)]))).toBe(
      'The expanded size of the tensor (4) must match the existing size (2) at non-singleton dimension 0.  Target sizes: [4, 3].  Tensor sizes: [2, 3]',
    );
    // [3, 4] padded to [1, 3, 4], times (2, 1, 3) → [2, 3, 12].
    expect(shapeOf(call('Tensor.repeat', [t(3, 4), int(2), int(1), int(3)]))).toEqual([2, 3, 12]);
  });
});

describe('cat / stack / split / chunk', () => {
  it('concatenates along dim with the other sizes checked', () => {
    expect(shapeOf(call('torch.cat', [list([t(2, 3), t(2, 5)]), int(1)]))).toEqual([2, 8]);
    expect(shapeOf(call('torch.cat', [tuple([t('B', 64, 'H'), t('B', 32, 'H')])], { dim: int(1) }))).toEqual([B, 96, H]);
    expect(errorOf(call('torch.cat', [list([t(2, 3), t(3, 4)]), int(1)]))).toBe(
      'Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 for tensor number 1 in the list.',
    );
    expect(errorOf(call('torch.cat', [list([t(2, 3), t(3, 4, 5)]), int(1)]))).toBe('Tensors must have same number of dimensions: got 2 and 3');
  });
  it('stacks along a new dim', () => {
    expect(shapeOf(call('torch.stack', [list([t(2, 3), t(2, 3)])]))).toEqual([2, 2, 3]);
    expect(shapeOf(call('torch.stack', [list([t(2, 3), t(2, 3), t(2, 3)]), int(-1)]))).toEqual([2, 3, 3]);
  });
  it('splits by size (last piece smaller) and by sections', () => {
    expect(shapeOf(call('torch.split', [t(5, 3), int(2)]))).toEqual([[2, 3], [2, 3], [1, 3]]);
    expect(shapeOf(call('Tensor.split', [t(5, 3), list([int(1), int(4)])]))).toEqual([[1, 3], [4, 3]]);
  });
  it('chunks like PyTorch: 10 in 4 → 3,3,3,1; 6 in 4 → 2,2,2 (⌈6/4⌉ = 2)', () => {
    expect(shapeOf(call('Tensor.chunk', [t(10), int(4)]))).toEqual([[3], [3], [3], [1]]);
    expect(shapeOf(call('torch.chunk', [t(6), int(4)]))).toEqual([[2], [2], [2]]);
    expect(shapeOf(call('Tensor.chunk', [t(2, 96), int(3)], { dim: int(-1) }))).toEqual([[2, 32], [2, 32], [2, 32]]);
  });
});

describe('matmul / bmm / einsum', () => {
  it('2-D @ 2-D: [2,3]@[3,4] → [2,4], 2·3·4 = 24 MACs', () => {
    const r = ok(call('Tensor.__matmul__', [t(2, 3), t(3, 4)]));
    expect(shapeOf(r)).toEqual([2, 4]);
    expect(r.macs).toBe(24);
  });
  it('broadcasts batch dims: [2,1,2,3]@[6,3,5] → [2,6,2,5], 2·6·2·3·5 = 360 MACs', () => {
    const r = ok(call('torch.matmul', [t(2, 1, 2, 3), t(6, 3, 5)]));
    expect(shapeOf(r)).toEqual([2, 6, 2, 5]);
    expect(r.macs).toBe(360);
  });
  it('handles vectors: dot → [], matrix·vector → [n], vector·matrix → [p]', () => {
    expect(shapeOf(call('torch.matmul', [t(3), t(3)]))).toEqual([]);
    expect(shapeOf(call('torch.matmul', [t(2, 3), t(3)]))).toEqual([2]);
    expect(shapeOf(call('torch.matmul', [t(3), t(3, 5)]))).toEqual([5]);
  });
  it("raises PyTorch's messages", () => {
    expect(errorOf(call('Tensor.__matmul__', [t(2, 3), t(4, 5)]))).toBe('mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)');
    expect(errorOf(call('torch.bmm', [t(2, 2, 3), t(2, 4, 5)]))).toBe('Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4].');
    expect(errorOf(call('torch.mm', [t(2, 3, 3), t(3, 3)]))).toBe('self must be a matrix');
  });
  it('attention scores with symbolic lengths: [B,h,T,d]@[B,h,d,T] → [B,h,T,T]', () => {
    const T = sym('T');
    expect(shapeOf(call('Tensor.__matmul__', [t('B', 8, 'T', 64), t('B', 8, 64, 'T')]))).toEqual([B, 8, T, T]);
  });
  it("einsum 'bhqd,bhkd->bhqk': [2,4,5,8],[2,4,6,8] → [2,4,5,6], 2·4·5·8·6 = 1920 MACs", () => {
    const r = ok(call('torch.einsum', [str('bhqd,bhkd->bhqk'), t(2, 4, 5, 8), t(2, 4, 6, 8)]));
    expect(shapeOf(r)).toEqual([2, 4, 5, 6]);
    expect(r.macs).toBe(1920);
  });
  it('einsum implicit output (letters used once, sorted), operand list, ellipsis', () => {
    expect(shapeOf(call('torch.einsum', [str('bij,bjk'), t(2, 2, 3), t(2, 3, 4)]))).toEqual([2, 4]);
    expect(shapeOf(call('torch.einsum', [str('ij,jk'), list([t(2, 3), t(3, 4)])]))).toEqual([2, 4]);
    expect(shapeOf(call('torch.einsum', [str('...ij,...jk->...ik'), t(2, 5, 2, 3), t(5, 3, 4)]))).toEqual([2, 5, 2, 4]);
    expect(errorOf(call('torch.einsum', [str('ij,jk'), t(2, 3), t(4, 4)]))).toBe(
      'einsum(): subscript j has size 4 for operand 1 which does not broadcast with previously seen size 3',
    );
  });
});

describe('reductions', () => {
  it('honour dim tuples, negative dims and keepdim', () => {
    expect(shapeOf(call('torch.sum', [t(2, 3, 4), tuple([int(1), int(-1)])], { keepdim: bool(true) }))).toEqual([2, 1, 1]);
    expect(shapeOf(call('Tensor.mean', [t(2, 3, 4), int(-1)]))).toEqual([2, 3]);
    expect(shapeOf(call('Tensor.mean', [t(2, 3, 4)]))).toEqual([]);
    expect(shapeOf(call('Tensor.amax', [t(2, 3, 4)], { dim: int(0) }))).toEqual([3, 4]);
  });
  it('max with a dim returns (values, indices); without, a 0-d tensor; argmax gives int64', () => {
    const r = ok(call('Tensor.max', [t(2, 3), int(1)], { keepdim: bool(true) }));
    expect(shapeOf(r)).toEqual([[2, 1], [2, 1]]);
    expect(r.output.kind === 'tuple' && r.output.items[1]!.kind === 'tensor' && r.output.items[1]!.dtype).toBe('int64');
    expect(shapeOf(call('torch.max', [t(2, 3)]))).toEqual([]);
    expect(shapeOf(call('torch.max', [t(2, 3), t(1, 3)]))).toEqual([2, 3]);
    const arg = ok(call('Tensor.argmax', [t(2, 3)], { dim: int(-1) }));
    expect(arg.output).toEqual(tensor([2], 'int64'));
  });
  it('sum of bool gives int64; mean of int64 raises', () => {
    expect(ok(call('Tensor.sum', [tensor([2, 3], 'bool')])).output).toEqual(tensor([], 'int64'));
    expect(errorOf(call('Tensor.mean', [tensor([2, 3], 'int64')]))).toBe(
      'mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long',
    );
  });
  it('softmax keeps the shape and checks the dim', () => {
    expect(shapeOf(call('torch.softmax', [t(2, 5), int(-1)]))).toEqual([2, 5]);
    expect(shapeOf(call('torch.nn.functional.softmax', [t(2, 5)], { dim: int(1) }))).toEqual([2, 5]);
    expect(errorOf(call('Tensor.softmax', [t(2, 5), int(2)]))).toBe('Dimension out of range (expected to be in range of [-2, 1], but got 2)');
  });
});

describe('elementwise', () => {
  it('broadcasts: [2,1,4] + [3,1] → [2,3,4]', () => {
    expect(shapeOf(call('Tensor.__add__', [t(2, 1, 4), t(3, 1)]))).toEqual([2, 3, 4]);
    expect(shapeOf(call('Tensor.__radd__', [t(2, 3), int(1)]))).toEqual([2, 3]);
    expect(errorOf(call('Tensor.__mul__', [t(2, 3), t(4)]))).toBe('The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1');
  });
  it('promotes dtypes: int64 / int → float32, int64 * 0.5 → float32, comparisons → bool', () => {
    expect(ok(call('Tensor.__truediv__', [tensor([2], 'int64'), int(2)])).output).toEqual(tensor([2], 'float32'));
    expect(ok(call('Tensor.__mul__', [tensor([2], 'int64'), float(0.5)])).output).toEqual(tensor([2], 'float32'));
    expect(ok(call('Tensor.__floordiv__', [tensor([2], 'int64'), int(2)])).output).toEqual(tensor([2], 'int64'));
    expect(ok(call('Tensor.__lt__', [t(2, 3), float(0)])).output).toEqual(tensor([2, 3], 'bool'));
    expect(ok(call('Tensor.__add__', [tensor([2], 'float16'), tensor([2], 'float32')])).output).toEqual(tensor([2], 'float32'));
  });
  it('where broadcasts condition and both branches; masked_fill needs a bool mask', () => {
    expect(shapeOf(call('torch.where', [tensor([2, 1], 'bool'), t(1, 3), float(0)]))).toEqual([2, 3]);
    expect(shapeOf(call('Tensor.masked_fill', [t(2, 4, 4), tensor([4, 4], 'bool'), float(-1e9)]))).toEqual([2, 4, 4]);
    expect(errorOf(call('Tensor.masked_fill', [t(2, 3), tensor([3, 3], 'bool'), int(0)]))).toBe(
      'The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0',
    );
    expect(errorOf(call('Tensor.masked_fill', [t(2, 3), tensor([2, 3], 'int64'), int(0)]))).toContain('only supports boolean masks');
  });
  it('unary math and conversions keep the shape, conversions set the dtype', () => {
    expect(ok(call('torch.sqrt', [tensor([3], 'int64')])).output).toEqual(tensor([3], 'float32'));
    expect(ok(call('Tensor.long', [t(2, 3)])).output).toEqual(tensor([2, 3], 'int64'));
    expect(ok(call('Tensor.to', [t(2), str('torch.float16')])).output).toEqual(tensor([2], 'float16'));
    expect(ok(call('Tensor.to', [t(2), str('cuda')])).output).toEqual(tensor([2], 'float32'));
    expect(ok(call('Tensor.type_as', [t(2), tensor([5], 'float64')])).output).toEqual(tensor([2], 'float64'));
    expect(ok(call('Tensor.numel', [t(2, 3, 4)])).output).toEqual(int(24));
    expect(shapeOf(call('torch.clamp', [t(2, 3)], { min: float(0) }))).toEqual([2, 3]);
  });
});

describe('creation', () => {
  it('takes sizes variadic or as a tuple', () => {
    expect(ok(call('torch.zeros', [int(2), int(3)])).output).toEqual(tensor([2, 3], 'float32'));
    expect(ok(call('torch.ones', [tuple([int(2), int(3)])], { dtype: str('torch.long') })).output).toEqual(tensor([2, 3], 'int64'));
    expect(shapeOf(call('torch.randn', [int(B), int(16)]))).toEqual([B, 16]);
    expect(ok(call('torch.full', [tuple([int(2)]), int(1)])).output).toEqual(tensor([2], 'int64'));
    expect(ok(call('torch.zeros_like', [tensor([4], 'int64')])).output).toEqual(tensor([4], 'int64'));
  });
  it('arange: ⌈(10 − 0)/3⌉ = 4 int64; ⌈1/0.3⌉ = 4 float32; arange(T) → [T]', () => {
    expect(ok(call('torch.arange', [int(0), int(10), int(3)])).output).toEqual(tensor([4], 'int64'));
    expect(ok(call('torch.arange', [float(0), int(1), float(0.3)])).output).toEqual(tensor([4], 'float32'));
    expect(shapeOf(call('torch.arange', [int(sym('T'))]))).toEqual([sym('T')]);
  });
  it('tensor(data) infers the shape and dtype of nested lists', () => {
    expect(ok(call('torch.tensor', [list([list([int(1), int(2)]), list([int(3), int(4)])])])).output).toEqual(tensor([2, 2], 'int64'));
    expect(ok(call('torch.tensor', [float(3)])).output).toEqual(tensor([], 'float32'));
    expect(ok(call('torch.tensor', [list([bool(true)])])).output).toEqual(tensor([1], 'bool'));
  });
});

describe('functional counterparts', () => {
  it('F.conv2d reads channels and kernel from the weight: 8·27·10·10 = 21600 MACs', () => {
    const r = ok(call('torch.nn.functional.conv2d', [t(1, 3, 10, 10), t(8, 3, 3, 3)], { padding: int(1) }));
    expect(shapeOf(r)).toEqual([1, 8, 10, 10]);
    expect(r.macs).toBe(21600);
    expect(errorOf(call('torch.nn.functional.conv2d', [t(1, 4, 10, 10), t(8, 3, 3, 3)]))).toBe(
      'Given groups=1, weight of size [8, 3, 3, 3], expected input[1, 4, 10, 10] to have 3 channels, but got 4 channels instead',
    );
  });
  it('F.linear: [4, 10] with weight [5, 10] → [4, 5], 4·5·10 = 200 MACs', () => {
    const r = ok(call('torch.nn.functional.linear', [t(4, 10), t(5, 10)]));
    expect(shapeOf(r)).toEqual([4, 5]);
    expect(r.macs).toBe(200);
  });
  it('F.max_pool2d / F.adaptive_avg_pool2d / F.interpolate / F.pad', () => {
    expect(shapeOf(call('torch.nn.functional.max_pool2d', [t(1, 3, 9, 9), int(2)]))).toEqual([1, 3, 4, 4]);
    expect(shapeOf(call('torch.nn.functional.avg_pool2d', [t(1, 3, 9, 9), int(3)], { stride: int(2), ceil_mode: bool(true) }))).toEqual([1, 3, 4, 4]);
    expect(shapeOf(call('torch.nn.functional.adaptive_avg_pool2d', [t(1, 3, 9, 9), tuple([int(1), int(1)])]))).toEqual([1, 3, 1, 1]);
    expect(shapeOf(call('torch.nn.functional.interpolate', [t('B', 3, 'H', 8)], { scale_factor: int(2) }))).toEqual([B, 3, { sym: '2 * H' }, 16]);
    // ⌊5·0.5⌋ = 2, ⌊7·0.5⌋ = 3.
    expect(shapeOf(call('torch.nn.functional.interpolate', [t(1, 2, 5, 7)], { scale_factor: float(0.5) }))).toEqual([1, 2, 2, 3]);
    expect(shapeOf(call('torch.nn.functional.pad', [t(2, 3, 4), tuple([int(1), int(2)])]))).toEqual([2, 3, 7]);
    expect(shapeOf(call('torch.nn.functional.pad', [t(2, 3, 4), tuple([int(1), int(2), int(3), int(4)])]))).toEqual([2, 10, 7]);
    expect(errorOf(call('torch.nn.functional.pad', [t(2), tuple([int(1), int(2), int(3), int(4)])]))).toBe('Padding length too large');
    // UNet pads by computed differences: W + D//2 + (D − D//2) = W + D.
    const D = sym('D');
    const half = { sym: 'floor(D / 2)' };
    const padded = shapeOf(call('torch.nn.functional.pad', [t('B', 3, 'H', 'W'), list([int(half), int(D)])])) as unknown[];
    expect(padded.slice(0, 3)).toEqual([B, 3, H]);
    expect(substitute(padded[3] as never, { W: 10, D: 5 })).toBe(17);
  });
  it('F.scaled_dot_product_attention: [2,4,5,8]·[2,4,6,8]ᵀ·[2,4,6,16] → [2,4,5,16], 2·4·5·6·(8+16) = 5760 MACs', () => {
    const r = ok(call('torch.nn.functional.scaled_dot_product_attention', [t(2, 4, 5, 8), t(2, 4, 6, 8), t(2, 4, 6, 16)]));
    expect(shapeOf(r)).toEqual([2, 4, 5, 16]);
    expect(r.macs).toBe(5760);
  });
  it('F.one_hot, F.embedding, F.layer_norm, F.dropout, F.cross_entropy, F.mse_loss', () => {
    expect(ok(call('torch.nn.functional.one_hot', [tensor([3, 4], 'int64'), int(7)])).output).toEqual(tensor([3, 4, 7], 'int64'));
    expect(isLayerError(call('torch.nn.functional.one_hot', [tensor([3], 'int64')]))).toBe(false);
    expect(ok(call('torch.nn.functional.one_hot', [tensor([3], 'int64')])).output.kind).toBe('unknown');
    expect(shapeOf(call('torch.nn.functional.embedding', [tensor([2, 5], 'int64'), t(10, 3)]))).toEqual([2, 5, 3]);
    expect(errorOf(call('torch.nn.functional.layer_norm', [t(2, 32), tuple([int(64)])]))).toBe(
      'Given normalized_shape=[64], expected input with shape [*, 64], but got input of size[2, 32]',
    );
    expect(errorOf(call('torch.nn.functional.dropout', [t(2), float(1.5)]))).toBe('dropout probability has to be between 0 and 1, but got 1.5');
    expect(shapeOf(call('torch.nn.functional.cross_entropy', [t(4, 10), tensor([4], 'int64')]))).toEqual([]);
    expect(shapeOf(call('torch.nn.functional.mse_loss', [t(4, 10), t(4, 10)], { reduction: str('none') }))).toEqual([4, 10]);
  });
});

describe('unknowns', () => {
  it('an unknown input gives an unknown output with a reason, never an error or a throw', () => {
    const r = ok(call('Tensor.view', [{ kind: 'unknown', reason: 'from an unsupported call' }, int(-1)]));
    expect(r.output.kind).toBe('unknown');
    expect(r.macs).toBeNull();
    const unranked = ok(call('torch.cat', [list([tensor(null), t(2, 3)])]));
    expect(unranked.output.kind).toBe('unknown');
  });
  it('a non-tensor where a tensor is needed is an error with a message', () => {
    expect(errorOf(call('torch.matmul', [int(3), t(2)]))).toContain('must be a Tensor');
  });
  it('NONE placeholders in signatures stay bound', () => {
    expect(shapeOf(call('Tensor.squeeze', [t(1, 3)], { dim: NONE }))).toEqual([3]);
  });
});
