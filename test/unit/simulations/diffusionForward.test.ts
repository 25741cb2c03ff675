import { describe, expect, it } from 'vitest';
import { noisedCloud, signalToNoise, simulateDiffusion } from '../../../src/core/simulations/diffusionForward';

describe('noise schedules', () => {
  // DDPM linear schedule: β_t = 1e-4 + (0.02 − 1e-4)(t − 1)/999 for t = 1..1000.
  it('linear ᾱ_t matches the closed form Π(1 − β_s)', () => {
    const alphaBar = simulateDiffusion({ schedule: 'linear', steps: 1000, betaStart: 1e-4, betaEnd: 0.02 }).alphaBar;
    // t = 1: 1 − 1e-4. t = 2: β₂ = 1e-4 + 0.0199/999 = 1.199199e-4, ᾱ₂ = 0.9999·(1 − 1.199199e-4).
    expect(alphaBar[1]).toBeCloseTo(0.9999, 15);
    expect(alphaBar[2]).toBeCloseTo(0.9999 * (1 - (1e-4 + 0.0199 / 999)), 15);
    for (const t of [10, 250, 500, 1000]) {
      let logProduct = 0;
      for (let s = 1; s <= t; s++) logProduct += Math.log1p(-(1e-4 + ((0.02 - 1e-4) * (s - 1)) / 999));
      expect(Math.log(alphaBar[t]!)).toBeCloseTo(logProduct, 9);
    }
    // Σβ = 1000·(1e-4 + 0.02)/2 = 10.05, so ᾱ_T ≈ e^{−10.05 − Σβ²/2 − …} ≈ 4.0e-5 (the DDPM value 4.04e-5).
    expect(alphaBar[1000]).toBeGreaterThan(3.9e-5);
    expect(alphaBar[1000]).toBeLessThan(4.2e-5);
  });

  // Nichol & Dhariwal: ᾱ_t = f(t)/f(0), f(t) = cos²(((t/T + s)/(1 + s))·π/2); β clipped at 0.999 only at the very end.
  it('cosine ᾱ_t matches f(t)/f(0)', () => {
    const T = 1000;
    const s = 0.008;
    const f = (t: number) => Math.cos(((t / T + s) / (1 + s)) * (Math.PI / 2)) ** 2;
    const alphaBar = simulateDiffusion({ schedule: 'cosine', steps: T, cosineOffset: s }).alphaBar;
    for (const t of [1, 100, 500, 900, 999]) expect(alphaBar[t]).toBeCloseTo(f(t) / f(0), 10);
    // At T the formula gives 0; the clip β_T = 0.999 leaves ᾱ_T = 0.001·ᾱ_{T−1}.
    expect(alphaBar[T]).toBeCloseTo(0.001 * alphaBar[T - 1]!, 15);
  });

  it('SNR = ᾱ/(1 − ᾱ), undefined before any noise', () => {
    expect(signalToNoise(1)).toBeUndefined();
    expect(signalToNoise(0.5)).toBe(1);
    expect(signalToNoise(0.8)).toBeCloseTo(4, 12);
  });
});

describe('forward process on a point cloud', () => {
  it('keeps unit variance per axis at every t (ᾱ + (1 − ᾱ) = 1 for standardized data)', () => {
    const run = simulateDiffusion({ points: 5000, seed: 2 });
    for (const t of [0, 100, 300, 1000]) {
      const { x } = noisedCloud(run, t);
      const variance = x.reduce((a, v) => a + v * v, 0) / x.length;
      expect(variance).toBeGreaterThan(0.9);
      expect(variance).toBeLessThan(1.1);
    }
  });

  it('starts at the clean data and ends at almost pure noise', () => {
    const run = simulateDiffusion({ seed: 1 });
    expect([...noisedCloud(run, 0).x]).toEqual([...run.clean.x]);
    const end = noisedCloud(run, 1000);
    // √ᾱ_T ≈ 0.0064: the final points are the noise to within 0.0064·|x₀| + (1 − √(1 − ᾱ_T)).
    end.x.forEach((v, i) => expect(Math.abs(v - run.noise.x[i]!)).toBeLessThan(0.05));
  });

  it('reports where SNR crosses 1 (first t with ᾱ_t ≤ ½)', () => {
    const run = simulateDiffusion({});
    const t = run.snrCrossing!;
    expect(run.alphaBar[t]).toBeLessThanOrEqual(0.5);
    expect(run.alphaBar[t - 1]).toBeGreaterThan(0.5);
  });

  it('is deterministic per seed and survives garbage input', () => {
    expect([...simulateDiffusion({ seed: 4 }).clean.x]).toEqual([...simulateDiffusion({ seed: 4 }).clean.x]);
    const run = simulateDiffusion({ steps: -1, betaEnd: 'x', schedule: 'quadratic', t: 1e9 });
    expect(run.messages.length).toBeGreaterThanOrEqual(3);
    expect([...run.alphaBar].every(Number.isFinite)).toBe(true);
  });
});
