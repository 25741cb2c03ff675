import { describe, expect, it } from 'vitest';
import { gaussianExpectation } from '../../../src/core/formulas/activations';
import { sanitizeVariance, simulateVariance, type VarianceParams } from '../../../src/core/simulations/activationVariance';

// Reference numbers measured with real PyTorch 1.13 (the notes' topic weight-init-xavier-he; test/oracle/formulas/activation-variance.test.ts runs PyTorch on such stacks):
// 20 nn.Linear(512, 512) layers, zero biases, batch of N(0, 1) inputs, std after layer 20 / input std:
// ReLU — default init 1.4e-8, Xavier 7.6e-4, Kaiming ≈0.85–1.0; tanh — default 1.2e-5, Xavier gain 1 ≈0.16,
// Xavier gain 5/3 ≈0.65. Re-running that PyTorch script with seeds 0, 1, 2 (batch 64) gave default
// 1.20e-8 / 1.39e-8 / 1.47e-8, Xavier 8.1e-4 / 8.7e-4 / 9.8e-4 and Kaiming 0.75 / 0.85 / 1.13: one seed moves
// the last layer's std by up to ~±30%, so the tolerances below are factor-of-1.5 bands around the measurements.
const run = (overrides: Partial<VarianceParams>) => simulateVariance(sanitizeVariance({ width: 512, depth: 20, batch: 64, ...overrides }));

describe('activation std through 20 layers of width 512 (against PyTorch measurements)', () => {
  it('the PyTorch default init shrinks a ReLU stack to ~1.4e-8', () => {
    const std = run({ init: 'default', activation: 'relu' }).activationStd[20];
    expect(std).toBeGreaterThan(1.4e-8 / 1.5);
    expect(std).toBeLessThan(1.4e-8 * 1.5);
  });

  it('Xavier shrinks a ReLU stack to ~7.6e-4', () => {
    const std = run({ init: 'xavier', activation: 'relu' }).activationStd[20];
    expect(std).toBeGreaterThan(7.6e-4 / 1.5);
    expect(std).toBeLessThan(7.6e-4 * 1.5);
  });

  it('Kaiming keeps a ReLU stack within 20% of its first layer (geometric mean over 5 seeds)', () => {
    const ratios = [1, 2, 3, 4, 5].map((seed) => {
      const r = run({ init: 'kaiming', activation: 'relu', seed });
      // Each seed on its own stays inside the band PyTorch showed across seeds (0.75–1.13 of the input std).
      expect(r.activationStd[20]).toBeGreaterThan(0.6);
      expect(r.activationStd[20]).toBeLessThan(1.3);
      return r.activationStd[20]! / r.activationStd[1]!;
    });
    const geometricMean = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
    expect(geometricMean).toBeGreaterThan(0.8);
    expect(geometricMean).toBeLessThan(1.2);
  });

  it('tanh: default init decays to ~1.2e-5, Xavier gain 1 to ~0.16, Xavier gain 5/3 holds ~0.65', () => {
    const defaultStd = run({ init: 'default', activation: 'tanh' }).activationStd[20];
    expect(defaultStd).toBeGreaterThan(1.2e-5 / 1.5);
    expect(defaultStd).toBeLessThan(1.2e-5 * 1.5);
    const xavierStd = run({ init: 'xavier', activation: 'tanh' }).activationStd[20];
    expect(xavierStd).toBeGreaterThan(0.16 / 1.5);
    expect(xavierStd).toBeLessThan(0.16 * 1.5);
    const gainStd = run({ init: 'xavier_gain', activation: 'tanh' }).activationStd[20];
    expect(gainStd).toBeGreaterThan(0.65 / 1.5);
    expect(gainStd).toBeLessThan(0.65 * 1.5);
  });
});

describe('theory curve', () => {
  // Kaiming + ReLU: q_l = 512·(2/512)·E[a²] = 2E[a²] and E[a²] = q/2, so q stays 2 (input E[x²] = 1).
  // std(ReLU(z)) for z ~ N(0, 2) is √2·√(1/2 − 1/(2π)) = √(1 − 1/π) = 0.8257 at every layer.
  it('is flat at √(1 − 1/π) for Kaiming + ReLU, with unit gradient std', () => {
    const r = run({ init: 'kaiming', activation: 'relu', depth: 5, width: 64 });
    for (let l = 1; l <= 5; l++) expect(r.activationStdTheory[l]).toBeCloseTo(Math.sqrt(1 - 1 / Math.PI), 6);
    for (let l = 0; l <= 5; l++) expect(r.gradientStdTheory[l]).toBeCloseTo(1, 6);
  });

  // Default init + ReLU: q_l = fan_in·1/(3 fan_in)·E[a²_{l−1}] and E[a_l²] = q_l/2, so E[a_l²] = 6^−l and
  // q_20 = 2·6^−20; std(ReLU(z)) = √q·√(1/2 − 1/(2π)), i.e. std_20 = √(1 − 1/π)·6^−10 = 0.8257·1.654e-8 = 1.365e-8.
  it('falls by √6 per layer for the default init + ReLU', () => {
    const r = run({ init: 'default', activation: 'relu', width: 64 });
    expect(r.activationStdTheory[20]! / (Math.sqrt(1 - 1 / Math.PI) * 6 ** -10)).toBeCloseTo(1, 6);
  });

  it('integrates Gaussian moments exactly enough (E[z²] = q, E[z⁴] = 3q², E[ReLU slope] = ½)', () => {
    expect(gaussianExpectation((z) => z * z, 9)).toBeCloseTo(9, 10);
    expect(gaussianExpectation((z) => z ** 4, 1e6) / 3e12).toBeCloseTo(1, 10);
    expect(gaussianExpectation((z) => (z > 0 ? 1 : 0), 1)).toBeCloseTo(0.5, 12);
  });
});

describe('gradients', () => {
  // Backward per layer: Var(g_in) = fan_out·Var(w)·E[φ'²]·Var(g_out); Xavier + ReLU: 512·(1/512)·½ = ½ per layer.
  it('follow the backward theory within 30% (Xavier + ReLU: ×½ variance per layer)', () => {
    const r = run({ init: 'xavier', activation: 'relu', depth: 10 });
    expect(r.gradientStdTheory[0]).toBeCloseTo(Math.SQRT1_2 ** 10, 10);
    expect(r.gradientStd[0]! / r.gradientStdTheory[0]!).toBeGreaterThan(0.7);
    expect(r.gradientStd[0]! / r.gradientStdTheory[0]!).toBeLessThan(1.3);
  });
});

describe('orthogonal and host layers', () => {
  it('an orthogonal linear stack preserves the activation std exactly', () => {
    const r = run({ init: 'orthogonal', activation: 'linear', width: 64, depth: 10 });
    // Each sample's norm is kept; the std over the batch therefore stays within sampling noise of 1.
    for (let l = 1; l <= 10; l++) expect(r.activationStd[l]! / r.activationStd[0]!).toBeCloseTo(1, 1);
  });

  it('uses the layers the host sends (fan_in, fan_out, init spec, activation)', () => {
    const setup = sanitizeVariance({ batch: 32 }, [
      { fan_in: 100, fan_out: 50, init: { kind: 'normal', mean: 0, std: 0.2 }, activation: 'relu' },
      { fan_in: 50, fan_out: 10, init: 'kaiming', activation: 'linear' },
    ]);
    expect(setup.layers.map((l) => [l.fanIn, l.fanOut, l.activation])).toEqual([
      [100, 50, 'relu'],
      [50, 10, 'linear'],
    ]);
    const r = simulateVariance(setup);
    // Layer 1: q = 100·0.04·1 = 4, so the pre-activation std is 2 and ReLU's std √(4(1/2 − 1/(2π))) = 1.1676.
    expect(r.activationStdTheory[1]).toBeCloseTo(2 * Math.sqrt(0.5 - 1 / (2 * Math.PI)), 5);
  });

  it('falls back to the default stack with a message when the host layers do not chain', () => {
    const setup = sanitizeVariance({}, [
      { fan_in: 10, fan_out: 20, init: 'default', activation: 'relu' },
      { fan_in: 30, fan_out: 5, init: 'default', activation: 'relu' },
    ]);
    expect(setup.layers).toHaveLength(20);
    expect(setup.messages.join(' ')).toMatch(/cannot be chained/);
  });
});

describe('determinism and bad input', () => {
  it('gives the same numbers for the same seed and different ones for another seed', () => {
    const a = run({ width: 32, depth: 5, seed: 7 });
    const b = run({ width: 32, depth: 5, seed: 7 });
    const c = run({ width: 32, depth: 5, seed: 8 });
    expect([...a.activationStd]).toEqual([...b.activationStd]);
    expect([...a.activationStd]).not.toEqual([...c.activationStd]);
  });

  it('survives malformed host layers', () => {
    const setup = sanitizeVariance({}, [null, { fan_in: 'x', init: { kind: 'unknown', reason: '?' } }, 'conv'] as never);
    expect(setup.layers.length).toBeGreaterThan(0);
    expect([...simulateVariance({ ...setup, params: { ...setup.params, batch: 4 } }).activationStd].every(Number.isFinite)).toBe(true);
  });

  it('never produces NaN from garbage input', () => {
    const setup = sanitizeVariance({ width: -3, depth: Number.NaN, init: 'magic', activation: 42, customStd: Infinity });
    expect(setup.messages.length).toBeGreaterThanOrEqual(4);
    const r = simulateVariance(setup);
    for (const series of [r.activationStd, r.gradientStd, r.activationStdTheory, r.gradientStdTheory]) expect([...series].every(Number.isFinite)).toBe(true);
  });
});
