// Prefill from a hovered layer: constructor arguments as Python source text become calculator inputs.
import { describe, expect, it } from 'vitest';
import { findCalculator, prefillForLayer } from '../../../src/core/calculators';

describe('prefillForLayer', () => {
  it('fills conv-out and conv-params from nn.Conv2d(3, 64, kernel_size=(7, 7), stride=2, padding=3, bias=False)', () => {
    const prefill = prefillForLayer('nn.Conv2d', { in_channels: '3', out_channels: '64', kernel_size: '(7, 7)', stride: '2', padding: '3', bias: 'False' });
    expect(prefill.map((p) => p.id)).toEqual(['conv-out', 'conv-params']);
    expect(prefill[0]!.inputs).toEqual({ kernel: '(7, 7)', stride: '2', padding: '3' });
    expect(prefill[1]!.inputs).toMatchObject({ dims: '2', in_channels: '3', out_channels: '64', kernel: '(7, 7)', bias: 'False' });
    // With the input size the UI knows, the prefilled conv-out computes ⌊(224 + 6 − 6 − 1)/2⌋ + 1 = 112 per axis.
    expect(findCalculator('conv-out')?.compute({ ...prefill[0]!.inputs, in: '224,224' })).toMatchObject({ ok: true, result: [112, 112] });
    // conv-params: 64·3·49 = 9408 weights, no bias.
    expect(findCalculator('conv-params')?.compute(prefill[1]!.inputs)).toMatchObject({ ok: true, result: { params: 9408 } });
  });

  it("keeps padding='same' and the pooling mode", () => {
    expect(prefillForLayer('Conv1d', { kernel_size: '5', padding: "'same'" })[0]!.inputs).toEqual({ kernel: '5', padding: "'same'" });
    expect(findCalculator('conv-out')?.compute({ in: '20', kernel: '5', padding: "'same'" })).toMatchObject({ ok: true, result: 20 });
    expect(prefillForLayer('nn.AvgPool2d', { kernel_size: '2', ceil_mode: 'True' })[0]!.inputs).toEqual({ kernel: '2', ceil_mode: 'True', mode: 'avg' });
  });

  it('maps Linear fans, MultiheadAttention heads and Adam betas', () => {
    expect(prefillForLayer('nn.Linear', { in_features: '512', out_features: '256' })[0]).toEqual({ id: 'init-std', inputs: { scheme: 'pytorch-default', fan_in: '512', fan_out: '256' } });
    expect(prefillForLayer('nn.MultiheadAttention', { embed_dim: '512', num_heads: '8', dropout: '0.1' })[0]!.inputs).toEqual({ embed_dim: '512', num_heads: '8' });
    expect(prefillForLayer('optim.AdamW', { lr: '3e-4', betas: '(0.9, 0.95)' })[0]!.inputs).toEqual({ beta1: '0.9', beta2: '0.95', lr: '3e-4' });
    expect(prefillForLayer('nn.ReLU', {})).toEqual([]);
  });
});
