import { describe, expect, it } from 'vitest';
import { entropy, sampleSoftmax, sanitizeSoftmax, softmax, softmaxJacobianNorm, sweepSoftmax } from '../../../src/core/simulations/softmaxSaturation';

const sample = (d: number, keys = 128, queries = 64, seed = 3) => sampleSoftmax(sanitizeSoftmax({ d, keys, queries, seed }).params);

describe('softmax saturation against d', () => {
  it('entropy falls as d grows without scaling', () => {
    const entropies = [1, 4, 16, 64, 256, 1024].map((d) => sample(d).stats.none.entropy);
    for (let i = 1; i < entropies.length; i++) expect(entropies[i]).toBeLessThan(entropies[i - 1]!);
    // At d = 1024 the logits have std ≈ 32: the weights are nearly one-hot.
    expect(entropies.at(-1)).toBeLessThan(0.5);
  });

  // With 1/√d the logits given q are N(0, ‖q‖²/d) ≈ N(0, 1). For Gaussian logits of variance σ² and many keys,
  // H ≈ log N + log E[e^s] − E[s e^s]/E[e^s] = log N + σ²/2 − σ² = log N − σ²/2, i.e. ln 128 − 0.5 = 4.352.
  it('entropy stays roughly flat at ln N − ½ with 1/√d scaling', () => {
    for (const d of [4, 16, 64, 256, 1024]) expect(Math.abs(sample(d).stats.sqrt.entropy - (Math.log(128) - 0.5))).toBeLessThan(0.2);
  });

  // Without scaling the mean ‖J‖ first rises (two-way splits have the largest Jacobian) and then falls toward 0
  // as the weights become one-hot; with 1/√d it stays put. Uniform weights 1/N would give ‖J‖² = 1/N − 1/N².
  it('the softmax Jacobian collapses at large d without scaling and stays put with it', () => {
    const small = sample(1, 16);
    const large = sample(1024, 16);
    expect(large.stats.none.jacobianNorm).toBeLessThan(0.25 * large.stats.sqrt.jacobianNorm);
    expect(Math.abs(large.stats.sqrt.jacobianNorm - small.stats.sqrt.jacobianNorm)).toBeLessThan(0.05);
    expect(large.stats.sqrt.jacobianNorm).toBeGreaterThan(Math.sqrt(1 / 16 - 1 / 256));
  });

  it('the sweep shows the same trends across the d grid', () => {
    const sweep = sweepSoftmax({ keys: 64, seed: 2 });
    expect(sweep.dims[0]).toBe(1);
    expect(sweep.dims.at(-1)).toBe(1024);
    expect(sweep.stats.none.at(-1)!.entropy).toBeLessThan(sweep.stats.none[0]!.entropy - 2);
    const scaled = sweep.stats.sqrt.map((s) => s.entropy);
    expect(Math.max(...scaled) - Math.min(...scaled)).toBeLessThan(0.6);
    expect(sweep.maxEntropy).toBeCloseTo(Math.log(64), 12);
  });

  // Var(q·k) = Σ Var(q_i k_i) = d for independent N(0, 1) entries.
  it('raw logits have variance ≈ d', () => {
    const logits = sample(256, 4096, 1).rawLogits;
    const mean = logits.reduce((a, b) => a + b, 0) / logits.length;
    const variance = logits.reduce((a, b) => a + (b - mean) ** 2, 0) / logits.length;
    expect(variance / 256).toBeGreaterThan(0.85);
    expect(variance / 256).toBeLessThan(1.15);
  });
});

describe('softmax helpers', () => {
  it('softmax is stable for huge logits and entropy/Jacobian match hand values', () => {
    const weights = softmax(new Float64Array([1000, 1000]));
    expect([...weights]).toEqual([0.5, 0.5]);
    // Two equal weights: H = ln 2; ‖J‖² = 2·¼ − 2·2·⅛ + (½)² = ½ − ½ + ¼ = ¼, so ‖J‖ = ½.
    expect(entropy(weights)).toBeCloseTo(Math.LN2, 12);
    expect(softmaxJacobianNorm(weights)).toBeCloseTo(0.5, 12);
    expect(softmaxJacobianNorm(new Float64Array([1, 0, 0]))).toBe(0);
  });

  it('limits the work for huge d·N with a message instead of freezing', () => {
    const { params, messages } = sanitizeSoftmax({ d: 4096, keys: 4096, queries: 64 });
    expect(params.queries).toBe(1);
    expect(messages.join(' ')).toMatch(/queries/);
    expect(sanitizeSoftmax({ d: 'x', keys: -1 }).messages).toHaveLength(2);
  });
});
