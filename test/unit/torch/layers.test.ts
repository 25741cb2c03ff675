// Layer entries on symbolic inputs, their default inits, receptive-field effects, lazy materialisation and
// unknown config values. Expected values are worked by hand from PyTorch's formulas (shown in comments).
import { describe, expect, it } from 'vitest';
import { lookupLayer, layerNames, duplicateEntryNames, opNames } from '../../../src/core/frameworks/torch/index';
import { isLayerError } from '../../../src/core/frameworks/types';
import type { DataValue, ForwardResult, LayerEntry, LayerError } from '../../../src/core/frameworks/types';
import { substitute, sym } from '../../../src/core/dims/dims';
import { bool, int, str, tensor, tuple } from './values';
import { bindArgs } from './bind';

function build(name: string, positional: DataValue[] = [], keywords: Record<string, DataValue> = {}): { entry: LayerEntry; config: unknown } {
  const entry = lookupLayer(name);
  if (!entry) throw new Error(`no layer ${name}`);
  const config = entry.configure(bindArgs(entry.signature, positional, keywords));
  if (isLayerError(config)) throw new Error(config.message);
  return { entry, config };
}

function forward(layer: { entry: LayerEntry; config: unknown }, inputs: DataValue[], keywords: Record<string, DataValue> = {}): ForwardResult | LayerError {
  return layer.entry.forward(layer.config, bindArgs(layer.entry.forwardSignature, inputs, keywords));
}

const B = sym('B');
const H = sym('H');
const W = sym('W');
const T = sym('T');

describe('registry', () => {
  it('has every family registered once', () => {
    expect(duplicateEntryNames()).toEqual([]);
    for (const name of ['Conv2d', 'Linear', 'ReLU', 'BatchNorm2d', 'MaxPool2d', 'AdaptiveAvgPool2d', 'Flatten', 'Dropout', 'MultiheadAttention', 'LSTM', 'CrossEntropyLoss']) {
      expect(layerNames()).toContain(name);
    }
    for (const name of ['torch.cat', 'Tensor.view', 'torch.flatten', 'Tensor.__add__', 'Tensor.__matmul__', 'torch.nn.functional.relu', 'torch.einsum']) {
      expect(opNames()).toContain(name);
    }
  });
});

describe('symbolic shapes', () => {
  it('Conv2d(3, 64, 7, stride=2, padding=3) on [B,3,H,W]: ⌊(H + 6 − 6 − 1)/2⌋ + 1', () => {
    const conv = build('Conv2d', [int(3), int(64), int(7)], { stride: int(2), padding: int(3), bias: bool(false) });
    const r = forward(conv, [tensor([B, 3, H, W])]) as ForwardResult;
    const out = r.output.kind === 'tensor' ? r.output.shape! : [];
    expect(out[0]).toEqual(B);
    expect(out[1]).toBe(64);
    expect(substitute(out[2]!, { H: 224 })).toBe(112);
    expect(substitute(out[3]!, { W: 225 })).toBe(113);
    // MACs = 64·3·49 = 9408 per output position: at B=2, 112×112 that is 9408·2·12544 = 236027904.
    expect(substitute(r.macs!, { B: 2, H: 224, W: 224 })).toBe(236027904);
  });
  it('a symbolic channel count cannot be decided, so no error is raised', () => {
    const conv = build('Conv2d', [int(3), int(8), int(3)]);
    expect(isLayerError(forward(conv, [tensor([1, sym('C'), 8, 8])]))).toBe(false);
  });
  it('MaxPool2d(2) halves a symbolic size: ⌊(H − 2)/2⌋ + 1', () => {
    const r = forward(build('MaxPool2d', [int(2)]), [tensor([B, 8, H, W])]) as ForwardResult;
    const out = r.output.kind === 'tensor' ? r.output.shape! : [];
    expect(substitute(out[2]!, { H: 9 })).toBe(4);
  });
  it('ceil_mode with S + P ≤ K never drops the last window, so it is decided symbolically: ⌈(H − 3)/2⌉ + 1', () => {
    const r = forward(build('MaxPool2d', [int(3)], { stride: int(2), ceil_mode: bool(true) }), [tensor([B, 8, H, W])]) as ForwardResult;
    const out = r.output.kind === 'tensor' ? r.output.shape! : [];
    // H = 56: ⌈53/2⌉ + 1 = 28; H = 57: ⌈54/2⌉ + 1 = 28.
    expect(substitute(out[2]!, { H: 56 })).toBe(28);
    expect(substitute(out[2]!, { H: 57 })).toBe(28);
  });
  it('ceil_mode on a symbolic size with S + P > K is undecidable: an Unknown output with a reason', () => {
    const r = forward(build('MaxPool2d', [int(2)], { stride: int(2), padding: int(1), ceil_mode: bool(true) }), [tensor([B, 8, H, W])]) as ForwardResult;
    expect(r.output.kind).toBe('unknown');
    expect(r.output.kind === 'unknown' && r.output.reason).toContain('ceil_mode');
  });
  it('bidirectional batch_first LSTM on [B, T, 10]: output [B, T, 2·20], h_n [2·2, B, 20]', () => {
    const lstm = build('LSTM', [int(10), int(20)], { num_layers: int(2), bidirectional: bool(true), batch_first: bool(true) });
    const r = forward(lstm, [tensor([B, T, 10])]) as ForwardResult;
    expect(r.output).toEqual(tuple([tensor([B, T, 40]), tuple([tensor([4, B, 20]), tensor([4, B, 20])])]));
    // Per step: layer 0: 2 directions · 4·20·(10 + 20) = 4800; layer 1: 2 · 4·20·(40 + 20) = 9600 → 14400.
    expect(substitute(r.macs!, { B: 3, T: 5 })).toBe(14400 * 15);
  });
  it('MultiheadAttention(16, 4) self-attention on [T, B, 16]: MACs N·(4·L·E² + 2·L·S·E)', () => {
    const mha = build('MultiheadAttention', [int(16), int(4)]);
    const x = tensor([T, B, 16]);
    const r = forward(mha, [x, x, x]) as ForwardResult;
    expect(r.output).toEqual(tuple([tensor([T, B, 16]), tensor([B, T, T])]));
    // B=2, T=5: 2·(4·5·256 + 2·5·5·16) = 2·(5120 + 800) = 11840.
    expect(substitute(r.macs!, { B: 2, T: 5 })).toBe(11840);
  });
});

describe('default inits (reset_parameters)', () => {
  it('Linear: kaiming_uniform(a=√5) with fan_in 512, bias uniform(±1/√512)', () => {
    const { entry, config } = build('Linear', [int(512), int(10)]);
    const [weight, bias] = entry.parameters(config);
    expect(weight).toEqual({ name: 'weight', shape: [10, 512], init: { kind: 'kaiming_uniform', a: Math.sqrt(5), mode: 'fan_in', fanIn: 512, fanOut: 10 } });
    expect(bias!.init).toEqual({ kind: 'uniform', low: -1 / Math.sqrt(512), high: 1 / Math.sqrt(512) });
  });
  it('ConvTranspose2d(16, 8, 4, groups=2): weight [16, 4, 4, 4], fan_in = size(1)·16 = 64, bias bound 1/8', () => {
    const { entry, config } = build('ConvTranspose2d', [int(16), int(8), int(4)], { groups: int(2) });
    const [weight, bias] = entry.parameters(config);
    expect(weight!.shape).toEqual([16, 4, 4, 4]);
    expect(weight!.init).toMatchObject({ kind: 'kaiming_uniform', fanIn: 64, fanOut: 256 });
    expect(bias!.init).toEqual({ kind: 'uniform', low: -0.125, high: 0.125 });
  });
  it('LSTM: every tensor uniform(±1/√hidden) = ±0.2 for hidden 25', () => {
    const { entry, config } = build('LSTM', [int(10), int(25)]);
    const params = entry.parameters(config);
    expect(params.map((p) => p.name)).toEqual(['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']);
    for (const p of params) expect(p.init).toEqual({ kind: 'uniform', low: -0.2, high: 0.2 });
  });
  it('Embedding N(0, 1); BatchNorm ones/zeros with flagged buffers; MHA xavier on in_proj (fan_in E, fan_out 3E)', () => {
    const emb = build('Embedding', [int(10), int(3)]);
    expect(emb.entry.parameters(emb.config)[0]!.init).toEqual({ kind: 'normal', mean: 0, std: 1 });
    const bn = build('BatchNorm2d', [int(4)]);
    expect(bn.entry.parameters(bn.config).map((p) => [p.name, p.init.kind === 'constant' ? p.init.value : p.init.kind, !!p.buffer])).toEqual([
      ['weight', 1, false],
      ['bias', 0, false],
      ['running_mean', 0, true],
      ['running_var', 1, true],
      ['num_batches_tracked', 0, true],
    ]);
    const mha = build('MultiheadAttention', [int(16), int(4)]);
    expect(mha.entry.parameters(mha.config)[0]).toEqual({ name: 'in_proj_weight', shape: [48, 16], init: { kind: 'xavier_uniform', gain: 1, fanIn: 16, fanOut: 48 } });
  });
});

describe('SyncBatchNorm (GPU-only in PyTorch, so checked by hand)', () => {
  it('has BatchNorm parameters and buffers and accepts any (N, C, *) input', () => {
    const bn = build('SyncBatchNorm', [int(4)]);
    expect(bn.entry.parameters(bn.config).map((p) => [p.name, p.shape])).toEqual([
      ['weight', [4]],
      ['bias', [4]],
      ['running_mean', [4]],
      ['running_var', [4]],
      ['num_batches_tracked', []],
    ]);
    expect((forward(bn, [tensor([2, 4, 7])]) as ForwardResult).output).toEqual(tensor([2, 4, 7]));
    expect((forward(bn, [tensor([2, 3, 7])]) as LayerError).message).toBe('running_mean should contain 3 elements not 4');
  });
});

describe('receptive-field effects', () => {
  const window = (kernel: number, stride: number, padding: number, dilation: number) => ({ kind: 'window', kernel, stride, padding, dilation });
  it('conv and pooling read a window per axis; pointwise layers declare nothing', () => {
    const conv = build('Conv2d', [int(3), int(8), int(3)], { stride: int(2), padding: int(1), dilation: int(2) });
    expect(conv.entry.receptiveField!(conv.config)).toEqual([window(3, 2, 1, 2), window(3, 2, 1, 2)]);
    const pool = build('MaxPool2d', [int(3), int(2), int(1)]);
    expect(pool.entry.receptiveField!(pool.config)).toEqual([window(3, 2, 1, 1), window(3, 2, 1, 1)]);
    const avg = build('AvgPool1d', [int(4)]);
    expect(avg.entry.receptiveField!(avg.config)).toEqual([window(4, 4, 0, 1)]);
    const relu = build('ReLU');
    expect(relu.entry.receptiveField?.(relu.config)).toBeUndefined();
  });

  it('transposed convs and MaxUnpool read a transposed window; Upsample resamples at 1/scale', () => {
    const up = build('ConvTranspose2d', [int(8), int(4), int(4)], { stride: int(2), padding: int(1) });
    expect(up.entry.receptiveField!(up.config)![0]).toEqual({ kind: 'transposed', kernel: 4, stride: 2, padding: 1, dilation: 1 });
    const unpool = build('MaxUnpool2d', [int(2)]);
    expect(unpool.entry.receptiveField!(unpool.config)![1]).toEqual({ kind: 'transposed', kernel: 2, stride: 2, padding: 0, dilation: 1 });
    // Bilinear ×2, align_corners=False: x = (o + ½)/2 − ½, so a = 1/2 and b = −1/4.
    const bilinear = build('Upsample', [], { scale_factor: int(2), mode: str('bilinear') });
    expect(bilinear.entry.receptiveField!(bilinear.config, { input: [8, 8], output: [16, 16] })![0]).toEqual({
      kind: 'resample',
      a: { n: 1, d: 2 },
      b: { n: -1, d: 4 },
      before: 0,
      after: 1,
      exactAtIntegers: true,
    });
    // align_corners=True needs the sizes: (8 − 1)/(11 − 1) = 7/10; symbolic sizes leave it unknown.
    const aligned = build('Upsample', [], { size: int(11), mode: str('bilinear'), align_corners: bool(true) });
    expect(aligned.entry.receptiveField!(aligned.config, { input: [8, 8], output: [11, 11] })![0]).toMatchObject({ a: { n: 7, d: 10 }, b: { n: 0, d: 1 } });
    expect(aligned.entry.receptiveField!(aligned.config, { input: [sym('H'), 8], output: [11, 11] })).toBeUndefined();
  });

  it('MaxUnpool gives (L − 1)·S − 2P + K, or output_size', () => {
    const unpool = build('MaxUnpool2d', [int(2)]);
    const out = unpool.entry.forward(unpool.config, { input: tensor([1, 3, 5, 5]), indices: tensor([1, 3, 5, 5], 'int64'), output_size: { kind: 'none' } as DataValue });
    expect(isLayerError(out) ? out.message : (out as ForwardResult).output).toMatchObject({ shape: [1, 3, 10, 10] });
    const sized = unpool.entry.forward(unpool.config, { input: tensor([1, 3, 5, 5]), indices: tensor([1, 3, 5, 5], 'int64'), output_size: tuple([int(11), int(11)]) });
    expect(isLayerError(sized) ? sized.message : (sized as ForwardResult).output).toMatchObject({ shape: [1, 3, 11, 11] });
  });
});

describe('lazy layers and unknown config values', () => {
  it('LazyLinear is unknown until materialised, then learns in_features from the input', () => {
    const lazy = build('LazyLinear', [int(4)]);
    expect(lazy.entry.parameters(lazy.config)).toEqual([]);
    const before = forward(lazy, [tensor([2, 7])]) as ForwardResult;
    expect(before.output.kind).toBe('unknown');
    const materialized = lazy.entry.materialize!(lazy.config, { input: tensor([2, 7]) });
    expect(isLayerError(materialized)).toBe(false);
    expect(lazy.entry.parameters(materialized).map((p) => p.shape)).toEqual([[4, 7], [4]]);
  });
  it('a symbolic or unknown constructor value is an error marked unknown, not a PyTorch error', () => {
    const entry = lookupLayer('Linear')!;
    const r = entry.configure(bindArgs(entry.signature, [int(sym('D')), int(4)]));
    expect(isLayerError(r) && r.unknown).toBe(true);
    const r2 = entry.configure(bindArgs(entry.signature, [{ kind: 'unknown', reason: 'config.width' }, int(4)]));
    expect(isLayerError(r2) && r2.unknown).toBe(true);
  });
  it('a wrong kind of constructor value is an error with a message', () => {
    const entry = lookupLayer('Conv2d')!;
    const r = entry.configure(bindArgs(entry.signature, [str('three'), int(4), int(3)]));
    expect(isLayerError(r) && r.message).toBe('Conv2d: in_channels must be an int, got str');
  });
  it('PyTorch config errors: padding string, padding_mode, GroupNorm divisibility', () => {
    const conv = lookupLayer('Conv2d')!;
    const bad = conv.configure(bindArgs(conv.signature, [int(3), int(4), int(3)], { padding: str('full') }));
    expect(isLayerError(bad) && bad.message).toBe("Invalid padding string 'full', should be one of {'valid', 'same'}");
    const mode = conv.configure(bindArgs(conv.signature, [int(3), int(4), int(3)], { padding_mode: str('mirror') }));
    expect(isLayerError(mode) && mode.message).toBe("padding_mode must be one of {'replicate', 'zeros', 'circular', 'reflect'}, but got padding_mode='mirror'");
    const gn = lookupLayer('GroupNorm')!;
    const g = gn.configure(bindArgs(gn.signature, [int(3), int(64)]));
    expect(isLayerError(g) && g.message).toBe('num_channels must be divisible by num_groups');
  });
});

describe('hover links', () => {
  it("every entry's topic is a notes topic id", async () => {
    const { findTopic } = await import('../../../src/core/notes/index');
    const topics = layerNames().flatMap((n) => lookupLayer(n)!.topic ?? []);
    expect(topics.length).toBeGreaterThan(20);
    for (const topic of new Set(topics)) expect(findTopic(topic), topic).toBeDefined();
  });
});

describe('symbolic and numeric runs agree', () => {
  it('pooling and conv output sizes on symbolic H, substituted, equal the numeric sizes', () => {
    const configs = [
      ['MaxPool2d', [int(3)], { stride: int(2), ceil_mode: bool(true) }],
      ['MaxPool2d', [int(2)], { ceil_mode: bool(true) }],
      ['MaxPool2d', [int(3)], { stride: int(2), padding: int(1), ceil_mode: bool(true) }],
      ['AvgPool2d', [int(5)], { stride: int(3), padding: int(2), ceil_mode: bool(true) }],
      ['MaxPool2d', [int(3)], { stride: int(2), dilation: int(2), ceil_mode: bool(true) }],
      ['Conv2d', [int(8), int(8), int(4)], { stride: int(3), padding: int(2), dilation: int(2) }],
      ['ConvTranspose2d', [int(8), int(8), int(3)], { stride: int(2), padding: int(1), output_padding: int(1) }],
    ] as const;
    for (const [name, args, kwargs] of configs) {
      const layer = build(name, [...args], { ...kwargs });
      const symbolic = forward(layer, [tensor([1, 8, H, 9])]) as ForwardResult;
      expect(symbolic.output.kind, name).toBe('tensor');
      if (symbolic.output.kind !== 'tensor') continue;
      for (let h = 12; h <= 40; h++) {
        const numeric = forward(layer, [tensor([1, 8, h, 9])]) as ForwardResult;
        const expected = numeric.output.kind === 'tensor' ? numeric.output.shape![2] : undefined;
        expect(substitute(symbolic.output.shape![2]!, { H: h }), `${name} H=${h}`).toBe(expected);
      }
    }
  });
});

describe('EmbeddingBag and F.embedding_bag count bags by one rule', () => {
  // PyTorch: a 1-D input with N offsets makes N bags, N − 1 with include_last_offset; a 2-D input makes one per row.
  const N = sym('N');
  const indices = tensor([40], 'int64');
  const offsets = tensor([N], 'int64');

  it('EmbeddingBag(10, 3, include_last_offset=True) on N symbolic offsets gives [N - 1, 3]', () => {
    const bag = build('EmbeddingBag', [int(10), int(3)], { include_last_offset: bool(true) });
    const out = forward(bag, [indices, offsets]) as ForwardResult;
    const bags = out.output.kind === 'tensor' ? out.output.shape![0]! : undefined;
    expect(bags === undefined ? undefined : substitute(bags, { N: 5 })).toBe(4);
    const plain = forward(build('EmbeddingBag', [int(10), int(3)]), [tensor([4, 7], 'int64')]) as ForwardResult;
    expect(plain.output.kind === 'tensor' ? plain.output.shape : undefined).toEqual([4, 3]);
  });
});
