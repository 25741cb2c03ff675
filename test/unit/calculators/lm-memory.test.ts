// The transformer-LM training-memory calculator against hand arithmetic and its source's numbers
// (Korthikanti et al. 2022, eq. 1: 34·s·b·h + 5·a·s²·b bytes per layer at 16-bit values and 1-byte masks).
import { describe, expect, it } from 'vitest';
import { findCalculator } from '../../../src/core/calculators';
import { numberArith } from '../../../src/core/formulas/arith';
import { lmLayerActivationBytes, lmParameterCount } from '../../../src/core/formulas/lmMemory';

const calc = findCalculator('lm-training-memory')!;
const ok = (inputs: Record<string, string>) => {
  const out = calc.compute(inputs);
  if (!out.ok) throw new Error(out.errors.join('; '));
  return out;
};

describe('lm-training-memory', () => {
  const gpt2 = { layers: 12, dModel: 768, heads: 12, vocab: 50257, seqLen: 1024, batch: 8 };

  it('GPT-2 small has 124,439,808 parameters (tied output layer), as the released checkpoint does', () => {
    expect(lmParameterCount(numberArith, gpt2, true)).toBe(124_439_808);
  });

  it('is the paper\'s eq. (1) at 2-byte values and 1-byte masks: 34·s·b·h + 5·a·s²·b per layer', () => {
    // 34·1024·8·768 = 213,909,504 and 5·12·1024²·8 = 503,316,480.
    expect(lmLayerActivationBytes(numberArith, gpt2, 2, 1, false)).toBe(213_909_504 + 503_316_480);
    // Full recomputation keeps 2·s·b·h bytes per layer (section 5).
    expect(lmLayerActivationBytes(numberArith, gpt2, 2, 1, true)).toBe(2 * 1024 * 8 * 768);
  });

  it('adds float32 master weights, gradients, AdamW state and autocast\'s weight copies by hand', () => {
    const r = ok({}).result as Record<string, number>;
    const params = 124_439_808;
    expect(r.params_bytes).toBe(params * 4);
    expect(r.grads_bytes).toBe(params * 4);
    // 2 buffers per parameter and a float32 step per tensor: 12·12 + 4 = 148 tensors.
    expect(r.optimizer_bytes).toBe(2 * params * 4 + 148 * 4);
    // bf16 copies of 12h² per layer and the tied output layer's V·h.
    expect(r.weight_copies_bytes).toBe((12 * 12 * 768 * 768 + 50257 * 768) * 2);
    // 12 layers of eq. (1), and outside them 1024·8·768 (mask) + 2·1024·8·768·2 + 4·1024·8·50257 (float32 logits).
    const outer = 1024 * 8 * 768 + 2 * 1024 * 8 * 768 * 2 + 4 * 1024 * 8 * 50257;
    expect(r.activations_bytes).toBe(12 * (213_909_504 + 503_316_480) + outer);
    expect(r.peak_bytes).toBe(2 * params * 4 + r.optimizer_bytes! + r.weight_copies_bytes! + r.activations_bytes!);
  });

  it('pure bf16 halves parameters, gradients and optimizer state; checkpointing keeps one input per layer plus one layer to recompute', () => {
    const r = ok({ amp: 'false', checkpointing: 'true' }).result as Record<string, number>;
    expect(r.params_bytes).toBe(124_439_808 * 2);
    expect(r.weight_copies_bytes).toBe(0);
    const outer = 1024 * 8 * 768 + 2 * 1024 * 8 * 768 * 2 + 4 * 1024 * 8 * 50257;
    expect(r.activations_bytes).toBe(12 * 2 * 1024 * 8 * 768 + (213_909_504 + 503_316_480) + outer);
  });

  it('gives the largest batch that fits: activations grow linearly in the batch', () => {
    const one = ok({ batch: '1' }).result as Record<string, number>;
    const r = ok({ gpu_memory_gb: '24' }).result as Record<string, number>;
    const fixed = one.params_bytes! * 2 + one.optimizer_bytes! + one.weight_copies_bytes!;
    const expected = Math.floor((24 * 2 ** 30 - fixed) / one.activations_bytes!);
    expect(r.largest_batch).toBe(expected);
    const at = ok({ batch: String(expected) }).result as Record<string, number>;
    const next = ok({ batch: String(expected + 1) }).result as Record<string, number>;
    expect(at.peak_bytes).toBeLessThanOrEqual(24 * 2 ** 30);
    expect(next.peak_bytes).toBeGreaterThan(24 * 2 ** 30);
  });

  it('refuses a width the heads do not divide, and amp in fp32', () => {
    const out = calc.compute({ d_model: '100', heads: '12', precision: 'fp32' });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.errors).toEqual(['d_model (100) must be divisible by heads (12)', 'amp runs the products in bf16 or fp16: set precision=bf16 or fp16']);
  });
});
