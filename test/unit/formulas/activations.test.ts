// The activations' Gaussian second moments: each closed form against the numerical integral (two
// independent derivations), the ReLU-family values by hand, and the quadrature on polynomials.
import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES, activationSecondMoment, activationValue, gaussianExpectation } from '../../../src/core/formulas/activations';
import { activationVarianceFactor, layerVarianceGain, propagateSecondMoment } from '../../../src/core/formulas/init';

const VARIANCES = [1e-6, 0.01, 0.3, 1, 4, 30, 1e3, 1e6];

describe('Gaussian second moments of the activations', () => {
  it('integrates polynomials exactly: E[z²] = q, E[z⁴] = 3q², E[1{z > 0}] = ½', () => {
    for (const q of VARIANCES) {
      expect(gaussianExpectation((z) => z * z, q) / q).toBeCloseTo(1, 12);
      expect(gaussianExpectation((z) => z ** 4, q) / (3 * q * q)).toBeCloseTo(1, 12);
      expect(gaussianExpectation((z) => (z > 0 ? 1 : 0), q)).toBeCloseTo(0.5, 14);
    }
  });

  it('gives the ReLU family by hand: q/2 and (1 + a²)q/2', () => {
    expect(activationSecondMoment('relu', 3)).toBe(1.5);
    expect(activationSecondMoment('leaky_relu', 2, 0.2)).toBeCloseTo(1.04, 14);
    expect(activationVarianceFactor('leaky_relu', 7)).toBeCloseTo((1 + 0.01 ** 2) / 2, 14);
  });

  it('has closed forms (ELU, SELU, GELU) equal to the integral of φ² at every variance', () => {
    for (const name of ACTIVATION_NAMES) {
      for (const q of VARIANCES) {
        const integral = gaussianExpectation((z) => activationValue(name, z) ** 2, q);
        expect(activationSecondMoment(name, q) / integral, `${name} at q = ${q}`).toBeCloseTo(1, 9);
      }
    }
  });

  it("states sigmoid's and tanh's second moments at unit variance, not their slopes at 0", () => {
    // E[σ(z)²] = ¼ + Var(σ(z)) ≈ 0.2934 and E[tanh(z)²] ≈ 0.3943 for z ~ N(0, 1) (PyTorch stacks measure them,
    // test/oracle/formulas/activation-variance.test.ts); the slopes squared would give 1/16 and 1.
    expect(activationSecondMoment('sigmoid', 1)).toBeCloseTo(0.2934, 4);
    expect(activationSecondMoment('tanh', 1)).toBeCloseTo(0.3943, 4);
    // SELU's fixed point: unit variance in, unit second moment out.
    expect(activationSecondMoment('selu', 1)).toBeCloseTo(1, 6);
  });

  it('propagates the recursion with biases: Var(z) = fan_in·Var(W)·E[a²] + Var(b)', () => {
    // fan_in 4, Var(W) ½, Var(b) 1 from E[x²] = 1: Var(z) = 3, E[relu(z)²] = 1.5; then 4·½·1.5 + 1 = 4, 2.
    const steps = propagateSecondMoment([
      { fanIn: 4, weightVariance: 0.5, biasVariance: 1, activation: 'relu' },
      { fanIn: 4, weightVariance: 0.5, biasVariance: 1, activation: 'relu' },
    ]);
    expect(steps.map((s) => [s.preactivationVariance, s.secondMoment, s.gain])).toEqual([
      [3, 1.5, 1.5],
      [4, 2, 2 / 1.5],
    ]);
    expect(layerVarianceGain(4, 0.5, 'relu', undefined, 1.5, 1)).toBeCloseTo(2 / 1.5, 14);
  });
});
