import { describe, expect, it } from 'vitest';
import { gradientDescentRate } from '../../../src/core/formulas/optimization';
import { heavyBallRate, quadraticTheory, runOptimizer, sanitizeQuadratic, simulateQuadratic, type QuadraticParams } from '../../../src/core/simulations/optimizers';

const params = (overrides: Partial<QuadraticParams>): QuadraticParams => sanitizeQuadratic({ steps: 500, ...overrides }).params;
const finalLoss = (method: 'gd' | 'momentum' | 'adam', p: QuadraticParams): number => {
  const run = runOptimizer(method, p);
  return run.divergedAt === undefined ? run.loss[run.loss.length - 1]! : Infinity;
};

describe('gradient descent on ½(λ_x x² + λ_y y²)', () => {
  // λ_max = 1, κ = 10: the bound is 2/λ_max = 2. At η = 1.98 the y error shrinks by |1 − 1.98| = 0.98 per step,
  // so the loss by 0.98² per step: 0.98^1000 ≈ 1.7e-9 after 500 steps. At η = 2.02 it grows by 1.02^1000 ≈ 4e8.
  it('converges just below 2/λ_max and diverges just above it', () => {
    const initial = runOptimizer('gd', params({ lr: 1 })).loss[0]!;
    expect(finalLoss('gd', params({ lr: 1.98 }))).toBeLessThan(initial * 1e-6);
    expect(finalLoss('gd', params({ lr: 2.02 }))).toBeGreaterThan(initial * 1e6);
  });

  it('scales the bound with λ_max (λ_max = 4 ⇒ bound 0.5)', () => {
    const initial = runOptimizer('gd', params({ lr: 0.1, lambdaMax: 4 })).loss[0]!;
    expect(finalLoss('gd', params({ lr: 0.495, lambdaMax: 4 }))).toBeLessThan(initial * 1e-6);
    expect(finalLoss('gd', params({ lr: 0.505, lambdaMax: 4 }))).toBeGreaterThan(initial);
  });

  // η* = 2/(λ_min + λ_max) = 2/1.1; both coordinates then shrink by exactly (κ − 1)/(κ + 1) = 9/11 per step.
  it('contracts by (κ − 1)/(κ + 1) at the optimal η', () => {
    const theory = quadraticTheory(params({ kappa: 10 }));
    expect(theory.gdOptimalLr).toBeCloseTo(2 / 1.1, 12);
    expect(theory.gdOptimalRate).toBeCloseTo(9 / 11, 12);
    const run = runOptimizer('gd', params({ kappa: 10, lr: theory.gdOptimalLr, steps: 20 }));
    for (let t = 1; t <= 20; t++) {
      expect(Math.hypot(run.x[t]!, run.y[t]!) / Math.hypot(run.x[t - 1]!, run.y[t - 1]!)).toBeCloseTo(9 / 11, 9);
    }
  });
});

describe('heavy-ball momentum (torch.optim.SGD)', () => {
  // Per eigenvalue the error obeys r² − (1 + μ − ηλ)r + μ = 0. μ = 0.5, λ = 1: at η = 2.97 the roots are
  // (−1.47 ± √0.1609)/2 = −0.534, −0.936 (stable); at η = 3.03 they are −0.473, −1.057 (unstable).
  it('converges just below 2(1 + μ)/λ_max and diverges just above it', () => {
    expect(quadraticTheory(params({ momentum: 0.5 })).momentumStableBelow).toBeCloseTo(3, 12);
    const initial = runOptimizer('momentum', params({ lr: 1, momentum: 0.5 })).loss[0]!;
    expect(finalLoss('momentum', params({ lr: 2.97, momentum: 0.5, steps: 1000 }))).toBeLessThan(initial * 1e-6);
    expect(finalLoss('momentum', params({ lr: 3.03, momentum: 0.5, steps: 1000 }))).toBeGreaterThan(initial * 1e6);
  });

  // κ = 1, λ = 1, lr = 0.5, μ = 0.5 from x = −4: v₁ = −4, x₁ = −2; v₂ = 0.5·(−4) + (−2) = −4, x₂ = 0.
  it('follows PyTorch SGD buffers step by step', () => {
    const run = runOptimizer('momentum', params({ kappa: 1, lr: 0.5, momentum: 0.5, steps: 2, start: [-4, 2] }));
    expect([run.x[1], run.x[2]]).toEqual([-2, 0]);
    expect([run.y[1], run.y[2]]).toEqual([1, 0]);
  });

  // Polyak: κ = 100 ⇒ rate (√κ − 1)/(√κ + 1) = 9/11, μ* = 81/121, lr* = 4/(1 + 0.1)² = 4/1.21.
  it('states the optimal heavy-ball parameters', () => {
    const theory = quadraticTheory(params({ kappa: 100 }));
    expect(theory.momentumOptimalRate).toBeCloseTo(9 / 11, 12);
    expect(theory.momentumOptimalMomentum).toBeCloseTo(81 / 121, 12);
    expect(theory.momentumOptimalLr).toBeCloseTo(4 / 1.21, 12);
  });
});

describe('per-eigendirection rates', () => {
  // Complex roots (b² < 4μ) have |r| = √μ; at lr·λ = 2(1 + μ) one root is exactly −1.
  it('heavy-ball rate is √μ in the complex regime and reaches 1 at lr·λ = 2(1 + μ)', () => {
    expect(heavyBallRate(1, 0.81, 1)).toBeCloseTo(0.9, 12);
    expect(heavyBallRate(3, 0.5, 1)).toBeCloseTo(1, 12);
    expect(heavyBallRate(2.9, 0.5, 1)).toBeLessThan(1);
    expect(heavyBallRate(3.1, 0.5, 1)).toBeGreaterThan(1);
    // μ = 0 reduces to GD: |1 − lr·λ| = |1 − 0.3·2| = 0.4.
    expect(heavyBallRate(0.3, 0, 2)).toBeCloseTo(0.4, 12);
    expect(heavyBallRate(0.3, 0, 2)).toBeCloseTo(gradientDescentRate({ lambdaMin: 2, lambdaMax: 2 }, 0.3), 12);
  });
});

describe('Adam', () => {
  // Step 1: m̂ = g, v̂ = g², so the step is lr·|g|/(|g| + ε) ≈ lr in every coordinate. κ = 1000: g_x = 0.001·(−4)
  // = −0.004, step 0.01·0.004/(0.004 + 1e-8) = 0.0099999750; g_y = 1·2 = 2, step −0.01·2/(2 + 1e-8) ≈ −0.01.
  it('takes a first step of size lr in each coordinate, whatever the gradient scale', () => {
    const run = runOptimizer('adam', params({ lr: 0.01, kappa: 1000, steps: 1, start: [-4, 2] }));
    expect(run.x[1]! - run.x[0]!).toBeCloseTo(0.009999975, 12);
    expect(run.y[1]! - run.y[0]!).toBeCloseTo(-0.01, 8);
  });

  it('reduces the loss on an ill-conditioned quadratic', () => {
    const run = runOptimizer('adam', params({ lr: 0.05, kappa: 100, steps: 2000 }));
    expect(run.loss[run.loss.length - 1]).toBeLessThan(run.loss[0]! * 1e-3);
  });
});

describe('bad input', () => {
  it('replaces invalid numbers with a message and keeps every number finite', () => {
    const run = simulateQuadratic({ lr: Number.NaN, kappa: -5, steps: 'many', momentum: 7, start: [Infinity, 'x'] });
    expect(run.messages.length).toBeGreaterThanOrEqual(4);
    for (const trajectory of run.trajectories) for (const v of [...trajectory.x, ...trajectory.y, ...trajectory.loss]) expect(Number.isFinite(v)).toBe(true);
  });

  it('stops a diverging run before it overflows', () => {
    const run = runOptimizer('gd', params({ lr: 50, steps: 5000 }));
    expect(run.divergedAt).toBeGreaterThan(0);
    expect(run.loss.every(Number.isFinite)).toBe(true);
  });
});
