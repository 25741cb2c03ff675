// The numeric claims the derivations make, checked with numbers: seeded Monte Carlo, iteration, finite
// differences and numeric integration — independent of the code under test. Where the product computes the
// claim (a formula of src/core/formulas, a simulation's kernel, a number the notes state), the actual value
// comes from the product and the expected one from hand arithmetic shown in comments or the independent check.
import { describe, expect, it } from 'vitest';
import { numberArith } from '../../../src/core/formulas/arith';
import { convMacs, convOutputSize, convParameterCount, inputReceptiveField, receptiveFieldStep } from '../../../src/core/formulas/conv';
import { alphaBar, betaAt, forwardProcessAt } from '../../../src/core/formulas/diffusion';
import { gradientDescentSteps, heavyBallSteps, adamBiasCorrection } from '../../../src/core/formulas/optimization';
import { klGaussian1d } from '../../../src/core/formulas/probability';
import { attentionMacsNotesConvention, attentionParameterCount, vitTokenCount } from '../../../src/core/formulas/attention';
import { layerVarianceGain, xavierSpread } from '../../../src/core/formulas/init';
import { activationSlope, activationValue } from '../../../src/core/formulas/activations';
import { klToStandardNormal } from '../../../src/core/formulas/probability';
import { sampleSoftmax, scaleFor, softmax, softmaxJacobianNorm } from '../../../src/core/simulations/softmaxSaturation';
import { topics } from '../../../src/core/notes';

/** mulberry32: a small seeded PRNG, so the Monte Carlo checks are reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples by Box–Muller. */
function normal(uniform: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: readonly number[]): number => {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length;
};
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Every text of a topic (summary, formulas' LaTeX and plain forms, derivation steps), found by its title. */
function topicText(title: string): string {
  const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : typeof v === 'object' && v !== null ? Object.values(v).flatMap(strings) : []);
  const topic = topics.find((t) => t.title === title);
  expect(topic, `no topic titled ${title}`).toBeDefined();
  return strings(topic).join('\n');
}

/** The number a topic states where `pattern`'s first group stands (LaTeX thousands `81{,}920` read as 81920). */
function statedNumber(title: string, pattern: RegExp): number {
  return Number((pattern.exec(topicText(title))?.[1] ?? 'NaN').replace(/[,{}]/g, ''));
}

describe('attention-sqrt-d-scaling', () => {
  it('Var(q·k) = d for independent standard normal q, k, and 1 after dividing by √d (seeded Monte Carlo)', () => {
    const randn = normal(rng(42));
    const d = 64;
    const samples = 20_000;
    const dots: number[] = [];
    for (let n = 0; n < samples; n++) {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += randn() * randn();
      dots.push(dot);
    }
    // The estimate's relative standard error is about √(2/n) ≈ 1%, so 5% is a safe band around d = 64.
    expect(Math.abs(variance(dots) / d - 1)).toBeLessThan(0.05);
    expect(Math.abs(variance(dots.map((x) => x / Math.sqrt(d))) - 1)).toBeLessThan(0.05);
    // The panel's own sampler: one query against 4096 keys at d = 4096. Given q each logit q·k_j has variance
    // ‖q‖² ≈ d (relative spread √(2/d) ≈ 2%, and 2% more for the estimate), so 10% is a safe band; the
    // panel's 1/√d scaling brings it to 1.
    const wide = 4096;
    const logits = [...sampleSoftmax({ d: wide, keys: 4096, queries: 1, seed: 42 }).rawLogits];
    expect(Math.abs(variance(logits) / wide - 1)).toBeLessThan(0.1);
    expect(Math.abs(variance(logits.map((x) => x / scaleFor('sqrt', wide))) - 1)).toBeLessThan(0.1);
  });

  it('the general product variance σq²σk² + μq²σk² + μk²σq² holds for non-zero means', () => {
    const randn = normal(rng(7));
    const [mq, sq, mk, sk] = [0.5, 2, -1, 0.5];
    const products = Array.from({ length: 100_000 }, () => (mq + sq * randn()) * (mk + sk * randn()));
    // 4·0.25 + 0.25·0.25 + 1·4 = 1 + 0.0625 + 4 = 5.0625
    expect(variance(products)).toBeCloseTo(5.0625, 0);
    expect(Math.abs(variance(products) / 5.0625 - 1)).toBeLessThan(0.03);
  });

  it('a saturated softmax has a vanishing Jacobian: diag(α) − ααᵀ → 0 as the logits scale up (the simulation’s kernels)', () => {
    const logits = [1, 0.5, -0.3, 0.2];
    const alphaAt = (scale: number): Float64Array => softmax(Float64Array.from(logits, (x) => x * scale));
    // The Frobenius norm entry by entry, as the claim states it, against the simulation's closed form.
    const byEntries = (alpha: Float64Array): number => {
      let sum = 0;
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) sum += ((i === j ? alpha[i]! : 0) - alpha[i]! * alpha[j]!) ** 2;
      return Math.sqrt(sum);
    };
    for (const scale of [1, 4, 64]) expect(softmaxJacobianNorm(alphaAt(scale))).toBeCloseTo(byEntries(alphaAt(scale)), 12);
    // At scale 1 the weights are spread (≈ 0.36, 0.22, 0.10, 0.17 → ‖J‖ ≈ 0.4); at 64 the top logit wins by e^−32.
    expect(softmaxJacobianNorm(alphaAt(1))).toBeGreaterThan(0.3);
    expect(softmaxJacobianNorm(alphaAt(64))).toBeLessThan(1e-10);
  });
});

describe('gd-least-squares-convergence', () => {
  // Diagonal quadratic ½Σλ_i x_i² with λ = (1, 10): GD multiplies coordinate i by (1 − ηλ_i).
  const lambdas = [1, 10];
  const run = (eta: number, steps: number): number[][] => {
    let x = [1, 1];
    const path = [x];
    for (let t = 0; t < steps; t++) {
      x = x.map((xi, i) => xi - eta * lambdas[i]! * xi);
      path.push(x);
    }
    return path;
  };
  const norm = (x: readonly number[]): number => Math.hypot(...x);

  it('converges for η just below 2/λ_max = 0.2 and diverges just above it', () => {
    expect(norm(run(0.99 * 0.2, 3000).at(-1)!)).toBeLessThan(1e-6);
    expect(norm(run(1.01 * 0.2, 3000).at(-1)!)).toBeGreaterThan(1e6);
    expect(gradientDescentSteps({ lambdaMin: 1, lambdaMax: 10 }).stableBound).toBeCloseTo(0.2, 12);
  });

  it('is monotone (no sign flips) iff η ≤ 1/λ_max = 0.1', () => {
    const flips = (eta: number): boolean => run(eta, 20).some((x, t, all) => t > 0 && x[1]! * all[t - 1]![1]! < 0);
    const { monotoneBound } = gradientDescentSteps({ lambdaMin: 1, lambdaMax: 10 });
    expect(monotoneBound).toBeCloseTo(0.1, 12);
    expect(flips(monotoneBound)).toBe(false);
    expect(flips(monotoneBound * 1.1)).toBe(true);
  });

  it('contracts by ρ* = (κ − 1)/(κ + 1) = 9/11 per step at η* = 2/11', () => {
    const path = run(2 / 11, 50);
    const ratio = norm(path[50]!) / norm(path[49]!);
    expect(ratio).toBeCloseTo(9 / 11, 10);
    const steps = gradientDescentSteps({ lambdaMin: 1, lambdaMax: 10 });
    expect(steps.optimalStep).toBeCloseTo(2 / 11, 12);
    expect(steps.optimalRate).toBeCloseTo(9 / 11, 12);
  });
});

describe('momentum', () => {
  // Heavy ball per eigenvalue: e_{t+1} = (1 + μ − αλ)e_t − μe_{t−1}.
  const run = (alpha: number, mu: number, lambda: number, steps: number): number => {
    let [prev, cur] = [1, 1];
    for (let t = 0; t < steps; t++) [prev, cur] = [cur, (1 + mu - alpha * lambda) * cur - mu * prev];
    return Math.abs(cur);
  };

  it('is stable iff αλ < 2(1 + μ)', () => {
    const mu = 0.9;
    // 2(1 + 0.9) = 3.8
    // Roots of r² + 1.8r + 0.9 have |r| = √0.9 ≈ 0.95; those of r² + 2r + 0.9 are −1 ± √0.1, one ≈ −1.32.
    expect(run(3.7, mu, 1, 500)).toBeLessThan(1e-3);
    expect(run(3.9, mu, 1, 500)).toBeGreaterThan(1e3);
    expect(heavyBallSteps({ lambdaMin: 1, lambdaMax: 1 }, mu).stableBound).toBeCloseTo(3.8, 12);
  });

  it('reaches the rate (√κ − 1)/(√κ + 1) with Polyak’s α*, μ* (κ = 100 → 9/11)', () => {
    const spectrum = { lambdaMin: 1, lambdaMax: 100 };
    const { optimalStep, optimalMomentum, optimalRate } = heavyBallSteps(spectrum, 0);
    // α* = 4/(10 + 1)² = 4/121, μ* = (9/11)², rate 9/11
    expect(optimalStep).toBeCloseTo(4 / 121, 12);
    expect(optimalMomentum).toBeCloseTo(81 / 121, 12);
    const worst = Math.max(run(optimalStep, optimalMomentum, 1, 400), run(optimalStep, optimalMomentum, 100, 400), run(optimalStep, optimalMomentum, 30, 400));
    // Per-step rate measured over 400 steps (a polynomial factor from the double root is allowed).
    expect(Math.pow(worst, 1 / 400)).toBeLessThan(optimalRate * 1.02);
    expect(optimalRate).toBeCloseTo(9 / 11, 12);
  });

  it('the EMA attenuates an alternating signal by β/(2 − β)', () => {
    const beta = 0.1;
    let a = 0;
    for (let t = 0; t < 2000; t++) a = (1 - beta) * a + beta * (t % 2 === 0 ? 1 : -1);
    // Steady-state amplitude 0.1/1.9 = 0.05263
    expect(Math.abs(a)).toBeCloseTo(beta / (2 - beta), 6);
  });
});

describe('adam', () => {
  it('the bias correction removes the shrinkage: unrolled EMA weights sum to 1 − β^t', () => {
    const beta1 = 0.9;
    for (const t of [1, 10, 100]) {
      let m = 0;
      for (let s = 1; s <= t; s++) m = beta1 * m + (1 - beta1) * 1;
      // With a constant gradient 1, m_t = 1 − 0.9^t exactly.
      expect(m).toBeCloseTo(1 - beta1 ** t, 12);
      expect(adamBiasCorrection(beta1, 0.999, t).firstMoment).toBeCloseTo(1 - beta1 ** t, 12);
    }
  });

  it('without correction the first step is ≈ 3.16·sign(g): m = 0.1g, √v = √0.001·|g|', () => {
    const g = -0.37;
    // From zero moments, one step leaves m = (1 − β1)g and v = (1 − β2)g²: the product's correction denominators at t = 1.
    const { firstMoment, secondMoment, stepScale } = adamBiasCorrection(0.9, 0.999, 1);
    expect(firstMoment).toBeCloseTo(0.1, 12);
    expect(secondMoment).toBeCloseTo(0.001, 12);
    expect((firstMoment * g) / Math.sqrt(secondMoment * g * g)).toBeCloseTo(-Math.sqrt(10), 10);
    // The correction √(1 − β2)/(1 − β1) = √0.001/0.1 = 0.316 brings the step back to 1·sign(g).
    expect(stepScale * Math.sqrt(10)).toBeCloseTo(1, 12);
  });
});

describe('lr-schedule-decay', () => {
  it('the stationary variance of noisy SGD is ησ²/(λ(2 − ηλ))', () => {
    const [eta, lambda, sigma] = [0.1, 1, 1];
    let v = 0;
    for (let t = 0; t < 10_000; t++) v = (1 - eta * lambda) ** 2 * v + eta * eta * sigma * sigma;
    // 0.1/(1·1.9) = 0.052632
    expect(v).toBeCloseTo(0.1 / 1.9, 10);
  });
});

describe('cnn-arithmetic', () => {
  it('conv output: ⌊(224 + 6 − 6 − 1)/2⌋ + 1 = 112 (ResNet stem)', () => {
    expect(convOutputSize(numberArith, { size: 224, kernel: 7, stride: 2, padding: 3, dilation: 1 })).toBe(112);
  });

  it('receptive field of three 3×3 stride-1 layers is 7×7, and (3,1),(3,2),(5,1),(3,2),(7,3) gives 41 both ways', () => {
    const three = [1, 2, 3].reduce((rf) => receptiveFieldStep(rf, { kernel: 3, stride: 1, padding: 1, dilation: 1 }), inputReceptiveField);
    expect(three.size).toBe(7);
    const layers = [[3, 1], [3, 2], [5, 1], [3, 2], [7, 3]] as const;
    const forward = layers.reduce((rf, [k, s]) => receptiveFieldStep(rf, { kernel: k, stride: s, padding: 0, dilation: 1 }), inputReceptiveField);
    // Backward recurrence of the notes: r_{l−1} = s_l·r_l + k_l − s_l from r_L = 1.
    const backward = [...layers].reverse().reduce((r, [k, s]) => s * r + k - s, 1);
    expect(forward.size).toBe(41);
    expect(backward).toBe(41);
  });

  it('27C² vs 49C²: three 3×3 convs hold 45% fewer weights than one 7×7', () => {
    for (const c of [1, 16, 64]) {
      expect(3 * convParameterCount(c, c, [3, 3], 1, false)).toBe(27 * c * c);
      expect(convParameterCount(c, c, [7, 7], 1, false)).toBe(49 * c * c);
    }
    expect(1 - 27 / 49).toBeCloseTo(0.449, 3);
    // 2 × (3×3) vs 5×5: 18 vs 25, −28%
    expect(1 - 18 / 25).toBeCloseTo(0.28, 10);
  });

  it('depthwise separable: (K²C + CF)/(K²CF) = 1/F + 1/K²', () => {
    const [c, f, k] = [128, 256, 3];
    const separable = convParameterCount(c, c, [k, k], c, false) + convParameterCount(c, f, [1, 1], 1, false);
    expect(separable / convParameterCount(c, f, [k, k], 1, false)).toBeCloseTo(1 / f + 1 / (k * k), 12);
  });

  it('doubling channels when halving H and W keeps a 3×3 conv’s MACs and halves the activations', () => {
    const [h, c] = [56, 64];
    const before = convMacs(numberArith, [h, h], c, c, [3, 3], 1);
    const after = convMacs(numberArith, [h / 2, h / 2], 2 * c, 2 * c, [3, 3], 1);
    expect(after).toBe(before);
    expect(((h / 2) * (h / 2) * 2 * c) / (h * h * c)).toBe(0.5);
  });

  it('ViT: 224² with P = 16 gives 196 tokens, P = 8 gives 784 and 16× the attention cost', () => {
    expect(vitTokenCount(numberArith, 224, 224, 16, false)).toBe(196);
    expect(vitTokenCount(numberArith, 224, 224, 8, false)).toBe(784);
    expect((784 * 784) / (196 * 196)).toBe(16);
  });

  it('MHA has 4d² + 4d parameters whatever h; MQA saves 2Md²(h − 1) projection MACs', () => {
    for (const h of [1, 8, 16]) {
      expect(attentionParameterCount(numberArith, { embedDim: 512, numHeads: h, kvHeads: h }, true)).toBe(4 * 512 * 512 + 4 * 512);
    }
    const [m, d, h] = [100, 64, 8];
    const kv = (g: number) => attentionMacsNotesConvention(numberArith, { embedDim: d, numHeads: h, kvHeads: g }, m, m).keyValueProjection;
    expect(kv(h) - kv(1)).toBe(2 * m * d * d * (h - 1));
  });
});

describe('diffusion-forward-process', () => {
  const schedule = { kind: 'linear', steps: 1000, betaStart: 1e-4, betaEnd: 0.02 } as const;

  it('ᾱ_t of the linear schedule is the product of (1 − β_s), e.g. ᾱ_1 = 0.9999 and ᾱ_1000 ≈ 4.04e-5 (DDPM)', () => {
    expect(alphaBar(schedule, 1)).toBeCloseTo(0.9999, 12);
    // ᾱ_2 = 0.9999·(1 − (1e-4 + 0.0199/999))
    expect(alphaBar(schedule, 2)).toBeCloseTo(0.9999 * (1 - (1e-4 + 0.0199 / 999)), 12);
    let logSum = 0;
    for (let s = 1; s <= 1000; s++) logSum += Math.log1p(-(1e-4 + ((s - 1) / 999) * 0.0199));
    expect(alphaBar(schedule, 1000) / Math.exp(logSum)).toBeCloseTo(1, 10);
    expect(alphaBar(schedule, 1000)).toBeGreaterThan(4.03e-5);
    expect(alphaBar(schedule, 1000)).toBeLessThan(4.05e-5);
  });

  it('iterating the one-step update matches the closed form: Var(x_t) = 1 and Cov(x_t, x_0) = √ᾱ_t (Monte Carlo)', () => {
    const randn = normal(rng(2024));
    const t = 300;
    const samples = 20_000;
    const x0s: number[] = [];
    const xts: number[] = [];
    for (let n = 0; n < samples; n++) {
      const x0 = randn();
      let x = x0;
      for (let s = 1; s <= t; s++) {
        const a = 1 - (1e-4 + ((s - 1) / 999) * 0.0199);
        x = Math.sqrt(a) * x + Math.sqrt(1 - a) * randn();
      }
      x0s.push(x0);
      xts.push(x);
    }
    const cov = mean(x0s.map((x0, i) => x0 * xts[i]!)) - mean(x0s) * mean(xts);
    expect(Math.abs(variance(xts) - 1)).toBeLessThan(0.04);
    expect(Math.abs(cov - Math.sqrt(alphaBar(schedule, t)))).toBeLessThan(0.03);
    expect(forwardProcessAt(schedule, t).signalStd).toBeCloseTo(Math.sqrt(alphaBar(schedule, t)), 12);
  });

  it('the two noise variances add up to 1 − α_t·α_{t−1}: two one-step updates give the closed form’s noise', () => {
    for (const [a1, a2] of [[0.99, 0.98], [0.5, 0.9]] as const) expect(a1 * (1 - a2) + (1 - a1)).toBeCloseTo(1 - a1 * a2, 14);
    // On the DDPM schedule: x_2 = √α_2(√α_1 x_0 + √(1 − α_1) ε_1) + √(1 − α_2) ε_2 has noise variance α_2(1 − α_1) + (1 − α_2).
    const [alpha1, alpha2] = [1 - betaAt(schedule, 1), 1 - betaAt(schedule, 2)];
    expect(forwardProcessAt(schedule, 2).noiseStd ** 2).toBeCloseTo(alpha2 * (1 - alpha1) + (1 - alpha2), 14);
  });
});

describe('kl-gaussians', () => {
  /** KL by Simpson integration of p₁·ln(p₁/p₂) over ±12 σ₁ around μ₁. */
  function numericKl(mu1: number, s1: number, mu2: number, s2: number): number {
    const pdf = (x: number, m: number, s: number) => Math.exp(-0.5 * ((x - m) / s) ** 2) / (s * Math.sqrt(2 * Math.PI));
    const logRatio = (x: number) => Math.log(s2 / s1) - 0.5 * ((x - mu1) / s1) ** 2 + 0.5 * ((x - mu2) / s2) ** 2;
    const [a, b, n] = [mu1 - 12 * s1, mu1 + 12 * s1, 20_000];
    const h = (b - a) / n;
    let sum = 0;
    for (let i = 0; i <= n; i++) {
      const x = a + i * h;
      const w = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
      sum += w * pdf(x, mu1, s1) * logRatio(x);
    }
    return (sum * h) / 3;
  }

  it('the closed form matches numeric integration, in both directions', () => {
    for (const [m1, s1, m2, s2] of [[0, 1, 1, 2], [1.5, 0.3, -1, 1], [0, 2, 0, 2], [3, 1, 0, 0.5]] as const) {
      expect(klGaussian1d(m1, s1, m2, s2)).toBeCloseTo(numericKl(m1, s1, m2, s2), 8);
      expect(klGaussian1d(m2, s2, m1, s1)).toBeCloseTo(numericKl(m2, s2, m1, s1), 8);
    }
    // KL(N(0,1) ‖ N(1,4)) = ln 2 + (1 + 1)/8 − 1/2 = 0.693147 − 0.25 = 0.443147
    expect(klGaussian1d(0, 1, 1, 2)).toBeCloseTo(Math.log(2) - 0.25, 12);
  });

  it('the diagonal VAE form ½Σ(σ² + μ² − 1 − ln σ²) is the sum of 1-D KLs to N(0, 1)', () => {
    const mus = [0.3, -1.2, 2];
    const sigmas = [0.5, 1.7, 1];
    const vae = mus.reduce((acc, m, j) => acc + klToStandardNormal(m, sigmas[j]!), 0);
    const summed = mus.reduce((acc, m, j) => acc + numericKl(m, sigmas[j]!, 0, 1), 0);
    expect(vae).toBeCloseTo(summed, 8);
    // μ = 2, σ = 1 by hand: ½(1 + 4 − 1 − 0) = 2.
    expect(klToStandardNormal(2, 1)).toBeCloseTo(2, 14);
  });
});

describe('sigmoid-derivative and quotient-rule', () => {
  it('σ′ = σ(1 − σ) by central differences, at most 1/4 at x = 0 (the product’s sigmoid and its slope)', () => {
    for (const x of [-6, -2, -0.5, 0, 0.3, 1, 4]) {
      const h = 1e-5;
      const numeric = (activationValue('sigmoid', x + h) - activationValue('sigmoid', x - h)) / (2 * h);
      expect(activationValue('sigmoid', x)).toBeCloseTo(sigmoid(x), 14);
      expect(activationSlope('sigmoid', x)).toBeCloseTo(numeric, 9);
      expect(activationSlope('sigmoid', x)).toBeLessThanOrEqual(0.25 + 1e-12);
    }
    expect(activationSlope('sigmoid', 0)).toBe(0.25);
  });

  it('tanh(x) = 2σ(2x) − 1 and sigmoid + BCE has gradient σ(z) − y', () => {
    for (const x of [-3, -0.2, 0, 1.7]) expect(activationValue('tanh', x)).toBeCloseTo(2 * sigmoid(2 * x) - 1, 14);
    const bce = (z: number, y: number) => -y * Math.log(sigmoid(z)) - (1 - y) * Math.log(1 - sigmoid(z));
    for (const [z, y] of [[0.4, 1], [-2, 0], [3, 0.3]] as const) {
      const h = 1e-6;
      expect((bce(z + h, y) - bce(z - h, y)) / (2 * h)).toBeCloseTo(sigmoid(z) - y, 7);
    }
  });

  it('the softmax Jacobian is α_i(δ_ij − α_j)', () => {
    const e = [0.2, -1, 0.7];
    const softmax = (v: readonly number[]) => {
      const ex = v.map(Math.exp);
      const s = ex.reduce((a, b) => a + b, 0);
      return ex.map((x) => x / s);
    };
    const alpha = softmax(e);
    for (let j = 0; j < 3; j++) {
      const h = 1e-6;
      const up = softmax(e.map((x, k) => (k === j ? x + h : x)));
      const down = softmax(e.map((x, k) => (k === j ? x - h : x)));
      for (let i = 0; i < 3; i++) expect((up[i]! - down[i]!) / (2 * h)).toBeCloseTo(alpha[i]! * ((i === j ? 1 : 0) - alpha[j]!), 8);
    }
  });
});

describe('normalization-init', () => {
  it('the batch-norm input gradient formula matches finite differences and sums to zero', () => {
    const x = [0.3, -1.2, 2.5, 0.9, -0.4];
    const g = [0.7, -0.1, 0.4, -1.3, 0.2];
    const eps = 1e-5;
    const m = x.length;
    const normalize = (v: readonly number[]) => {
      const mu = mean(v);
      const s = Math.sqrt(variance(v) + eps);
      return v.map((xi) => (xi - mu) / s);
    };
    const loss = (v: readonly number[]) => normalize(v).reduce((acc, xh, i) => acc + g[i]! * xh, 0);
    const xhat = normalize(x);
    const sg = g.reduce((a, b) => a + b, 0);
    const sgx = g.reduce((a, gi, i) => a + gi * xhat[i]!, 0);
    const formula = x.map((_, i) => (m * g[i]! - sg - xhat[i]! * sgx) / (m * Math.sqrt(variance(x) + eps)));
    for (let i = 0; i < m; i++) {
      const h = 1e-6;
      const numeric = (loss(x.map((v, k) => (k === i ? v + h : v))) - loss(x.map((v, k) => (k === i ? v - h : v)))) / (2 * h);
      expect(formula[i]).toBeCloseTo(numeric, 7);
    }
    expect(formula.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
  });

  it('the layer-norm Jacobian (I − 11ᵀ/d − ssᵀ/d)/σ matches finite differences and annihilates 1 and s', () => {
    const x = [1.0, -0.5, 2.0, 0.25];
    const d = x.length;
    const normalize = (v: readonly number[]) => {
      const mu = mean(v);
      const s = Math.sqrt(variance(v));
      return v.map((vi) => (vi - mu) / s);
    };
    const s = normalize(x);
    const sigma = Math.sqrt(variance(x));
    const J = (i: number, j: number) => ((i === j ? 1 : 0) - 1 / d - (s[i]! * s[j]!) / d) / sigma;
    for (let j = 0; j < d; j++) {
      const h = 1e-6;
      const up = normalize(x.map((v, k) => (k === j ? v + h : v)));
      const down = normalize(x.map((v, k) => (k === j ? v - h : v)));
      for (let i = 0; i < d; i++) expect(J(i, j)).toBeCloseTo((up[i]! - down[i]!) / (2 * h), 7);
    }
    for (let i = 0; i < d; i++) {
      expect([0, 1, 2, 3].reduce((a, j) => a + J(i, j), 0)).toBeCloseTo(0, 12);
      expect([0, 1, 2, 3].reduce((a, j) => a + J(i, j) * s[j]!, 0)).toBeCloseTo(0, 12);
    }
    // ‖s‖² = d
    expect(s.reduce((a, v) => a + v * v, 0)).toBeCloseTo(d, 12);
  });

  it('Xavier + ReLU halves the signal variance per layer (Monte Carlo, fresh weights per sample, 4 layers of width 64)', () => {
    const randn = normal(rng(11));
    const width = 64;
    const layers = 4;
    const std = xavierSpread({ fanIn: width, fanOut: width }).std;
    const samples = 1000;
    let inputSecondMoment = 0;
    let outputVariance = 0;
    for (let n = 0; n < samples; n++) {
      let h = Array.from({ length: width }, () => randn());
      inputSecondMoment += h.reduce((a, v) => a + v * v, 0) / width;
      let z: number[] = [];
      for (let l = 0; l < layers; l++) {
        z = Array.from({ length: width }, () => h.reduce((acc, v) => acc + std * randn() * v, 0));
        h = z.map((v) => Math.max(0, v));
      }
      outputVariance += z.reduce((a, v) => a + v * v, 0) / width;
    }
    const ratio = outputVariance / inputSecondMoment;
    // Var(z₁) = 64·(1/64)·1 = 1, then each ReLU keeps half: Var(z₄) = (1/2)³ = 0.125.
    expect(Math.abs(ratio / 0.125 - 1)).toBeLessThan(0.1);
    expect(layerVarianceGain(width, std * std, 'relu')).toBeCloseTo(0.5, 12);
  });
});

describe('regularization and generative claims', () => {
  it('label smoothing: a logit gap of ln 91 makes the softmax equal the smoothed target (ε = 0.1, K = 10)', () => {
    const gap = Math.log(1 + (10 * 0.9) / 0.1);
    expect(gap).toBeCloseTo(Math.log(91), 14);
    // The gap the label-smoothing topic states.
    expect(statedNumber('Label smoothing', /\\ln 91 \\approx ([\d.]+)/)).toBeCloseTo(gap, 2);
    // p_y = e^gap/(e^gap + 9) = 91/100 = 0.9 + 0.1/10
    expect(Math.exp(gap) / (Math.exp(gap) + 9)).toBeCloseTo(0.91, 12);
  });

  it('inverted dropout keeps the expectation and adds the data-adaptive ridge p/(1 − p)·Σ‖W_j‖²x_j²', () => {
    const uniform = rng(5);
    const p = 0.3;
    const x = [1.5, -0.7, 2.0];
    const w = [0.4, -1.1, 0.25];
    const y = 0.8;
    const trials = 200_000;
    let loss = 0;
    for (let t = 0; t < trials; t++) {
      const pred = x.reduce((acc, xi, j) => acc + w[j]! * (uniform() < p ? 0 : xi / (1 - p)), 0);
      loss += (y - pred) ** 2;
    }
    const clean = (y - x.reduce((acc, xi, j) => acc + w[j]! * xi, 0)) ** 2;
    const penalty = (p / (1 - p)) * x.reduce((acc, xi, j) => acc + w[j]! ** 2 * xi * xi, 0);
    expect(Math.abs(loss / trials - (clean + penalty)) / (clean + penalty)).toBeLessThan(0.02);
  });

  it('denoising: E‖X − W(X + N)‖² = ‖X − WX‖² + nσ²‖W‖² (Monte Carlo, d = 2, n = 3)', () => {
    const randn = normal(rng(99));
    const X = [[1, 0.5, -1], [0.2, -0.3, 0.8]];
    const W = [[0.9, 0.1], [-0.2, 0.7]];
    const sigma = 0.4;
    const apply = (A: number[][], B: number[][]) => A.map((row) => B[0]!.map((_, j) => row.reduce((acc, a, k) => acc + a * B[k]![j]!, 0)));
    const frob2 = (A: number[][]) => A.flat().reduce((a, v) => a + v * v, 0);
    const diff = (A: number[][], B: number[][]) => A.map((row, i) => row.map((v, j) => v - B[i]![j]!));
    let total = 0;
    const trials = 50_000;
    for (let t = 0; t < trials; t++) {
      const noisy = X.map((row) => row.map((v) => v + sigma * randn()));
      total += frob2(diff(X, apply(W, noisy)));
    }
    const expected = frob2(diff(X, apply(W, X))) + 3 * sigma * sigma * frob2(W);
    expect(Math.abs(total / trials / expected - 1)).toBeLessThan(0.02);
  });

  it('ridge: (AᵀA + λI)⁻¹Aᵀy = Aᵀ(AAᵀ + λI)⁻¹y (2×3 example)', () => {
    const A = [[1, 2, 0], [0, 1, -1]];
    const y = [1, -2];
    const lambda = 0.5;
    const solve = (M: number[][], b: number[]): number[] => {
      // Gaussian elimination with partial pivoting on a small dense system.
      const n = b.length;
      const a = M.map((row, i) => [...row, b[i]!]);
      for (let c = 0; c < n; c++) {
        const pivot = a.reduce((best, row, r) => (r >= c && Math.abs(row[c]!) > Math.abs(a[best]![c]!) ? r : best), c);
        [a[c], a[pivot]] = [a[pivot]!, a[c]!];
        for (let r = 0; r < n; r++) {
          if (r === c) continue;
          const f = a[r]![c]! / a[c]![c]!;
          for (let k = c; k <= n; k++) a[r]![k]! -= f * a[c]![k]!;
        }
      }
      return a.map((row, i) => row[n]! / row[i]!);
    };
    const At = A[0]!.map((_, j) => A.map((row) => row[j]!));
    const AtA = At.map((r) => At.map((c) => r.reduce((acc, v, k) => acc + v * c[k]!, 0)).map((v) => v)).map((row, i) => row.map((v, j) => v + (i === j ? lambda : 0)));
    const Aty = At.map((r) => r.reduce((acc, v, k) => acc + v * y[k]!, 0));
    const primal = solve(AtA, Aty);
    const AAt = A.map((r) => A.map((c) => r.reduce((acc, v, k) => acc + v * c[k]!, 0))).map((row, i) => row.map((v, j) => v + (i === j ? lambda : 0)));
    const alpha = solve(AAt, y);
    const kernel = At.map((r) => r.reduce((acc, v, k) => acc + v * alpha[k]!, 0));
    primal.forEach((v, i) => expect(v).toBeCloseTo(kernel[i]!, 12));
  });

  it('linear AE with weight decay: min_a σ²(1 − a²)² + 2λa² is at a² = 1 − λ/σ² (grid search)', () => {
    const [s2, lambda] = [4, 1];
    let best = { a: 0, value: Infinity };
    for (let i = 0; i <= 200_000; i++) {
      const a = i / 100_000;
      const value = s2 * (1 - a * a) ** 2 + 2 * lambda * a * a;
      if (value < best.value) best = { a, value };
    }
    // 1 − 1/4 = 0.75
    expect(best.a * best.a).toBeCloseTo(0.75, 4);
  });

  it('Sanov example: D(Bern(0.7) ‖ Bern(0.5)) = 0.0823; Pr(≥ 70 heads in 100) = 3.9e-5 vs e^−8.23 = 2.7e-4', () => {
    const kl = 0.7 * Math.log(1.4) + 0.3 * Math.log(0.6);
    expect(kl).toBeCloseTo(0.0823, 4);
    // The value the topic's worked example states.
    expect(statedNumber('KL as an exponential rate in the number of samples', /0\.3\\ln 0\.6 \\approx ([\d.]+)/)).toBeCloseTo(kl, 4);
    let tail = 0;
    let binom = 1; // C(100, 0)
    for (let k = 0; k <= 100; k++) {
      if (k > 0) binom = (binom * (100 - k + 1)) / k;
      if (k >= 70) tail += binom;
    }
    tail /= 2 ** 100;
    expect(tail).toBeCloseTo(3.9e-5, 6);
    expect(Math.exp(-100 * kl)).toBeCloseTo(2.7e-4, 5);
  });

  it('Bayes example: prior 0.01, sensitivity 0.99, specificity 0.95 → posterior 1/6', () => {
    expect((0.99 * 0.01) / (0.99 * 0.01 + 0.05 * 0.99)).toBeCloseTo(1 / 6, 12);
  });

  it('sample variance: dividing by n is biased by (n − 1)/n (Monte Carlo, n = 5)', () => {
    const randn = normal(rng(3));
    const trials = 100_000;
    let biased = 0;
    for (let t = 0; t < trials; t++) biased += variance(Array.from({ length: 5 }, () => 2 * randn()));
    // σ² = 4, so E = 4·4/5 = 3.2
    expect(biased / trials).toBeCloseTo(3.2, 1);
  });

  it('E[xᵀQx] = μᵀQμ + tr(QΣ) (Monte Carlo, 2-D, diagonal Σ)', () => {
    const randn = normal(rng(17));
    const mu = [1, -2];
    const sd = [0.5, 1.5];
    const Q = [[2, 0.5], [0.5, 1]];
    let sum = 0;
    const trials = 200_000;
    for (let t = 0; t < trials; t++) {
      const x = mu.map((m, i) => m + sd[i]! * randn());
      sum += x[0]! * (Q[0]![0]! * x[0]! + Q[0]![1]! * x[1]!) + x[1]! * (Q[1]![0]! * x[0]! + Q[1]![1]! * x[1]!);
    }
    // μᵀQμ = 2 − 2 + 4 = 4 (2·1 + 2·0.5·1·(−2) + 1·4); tr(QΣ) = 2·0.25 + 1·2.25 = 2.75; total 6.75
    expect(sum / trials).toBeCloseTo(6.75, 1);
  });
});

describe('sequence models and position encodings', () => {
  it('∂h₃/∂w = u₃ + 2wu₂ + 3w²u₁ for h_t = w(u_t + h_{t−1})', () => {
    const u = [0.5, -1.2, 2.0];
    const h3 = (w: number) => u.reduce((h, ut) => w * (ut + h), 0);
    const w = 1.3;
    const e = 1e-6;
    expect((h3(w + e) - h3(w - e)) / (2 * e)).toBeCloseTo(u[2]! + 2 * w * u[1]! + 3 * w * w * u[0]!, 6);
  });

  it('sinusoidal PE: p_m·p_n depends only on m − n and peaks at d/2 when m = n', () => {
    const d = 64;
    const pe = (m: number) => Array.from({ length: d }, (_, k) => (k % 2 === 0 ? Math.sin : Math.cos)(m * 10000 ** (-(k - (k % 2)) / d)));
    const dot = (a: number[], b: number[]) => a.reduce((acc, v, i) => acc + v * b[i]!, 0);
    expect(dot(pe(7), pe(7))).toBeCloseTo(d / 2, 10);
    expect(dot(pe(3), pe(10))).toBeCloseTo(dot(pe(50), pe(57)), 9);
    expect(dot(pe(3), pe(10))).toBeLessThan(d / 2);
  });

  it('RoPE: rotated scores depend only on the offset and rotation preserves norms', () => {
    const d = 8;
    const q = [0.3, -1, 0.5, 2, -0.7, 0.1, 1.2, -0.4];
    const k = [1, 0.2, -0.3, 0.8, 0.5, -1.5, 0.6, 0.9];
    const rope = (v: number[], m: number) =>
      v.flatMap((_, j) => {
        if (j % 2 === 1) return [];
        const theta = 10000 ** (-j / d);
        const [a, b] = [v[j]!, v[j + 1]!];
        return [a * Math.cos(m * theta) - b * Math.sin(m * theta), a * Math.sin(m * theta) + b * Math.cos(m * theta)];
      });
    const dot = (a: number[], b: number[]) => a.reduce((acc, v, i) => acc + v * b[i]!, 0);
    expect(dot(rope(q, 5), rope(k, 2))).toBeCloseTo(dot(rope(q, 103), rope(k, 100)), 10);
    expect(dot(rope(q, 9), rope(q, 9))).toBeCloseTo(dot(q, q), 12);
  });

  it('a random walk on an undirected graph has stationary distribution deg/2|E| (power iteration)', () => {
    const edges = [[0, 1], [1, 2], [2, 0], [2, 3]];
    const deg = [2, 2, 3, 1];
    let pi = [1, 0, 0, 0];
    // Lazy walk (½I + ½P) so the iteration converges on this non-bipartite-or-not graph alike.
    for (let t = 0; t < 500; t++) {
      const next = pi.map((p) => p / 2);
      for (const [a, b] of edges) {
        next[b!]! += pi[a!]! / (2 * deg[a!]!);
        next[a!]! += pi[b!]! / (2 * deg[b!]!);
      }
      pi = next;
    }
    deg.forEach((g, i) => expect(pi[i]).toBeCloseTo(g / 8, 10));
  });

  it('stochastic depth: Σ p_l = L − (1 − p_L)(L + 1)/2 for the linear schedule', () => {
    const [L, pL] = [54, 0.5];
    const sum = Array.from({ length: L }, (_, i) => 1 - ((i + 1) / L) * (1 - pL)).reduce((a, b) => a + b, 0);
    // 54 − 0.5·55/2 = 40.25
    expect(sum).toBeCloseTo(40.25, 10);
  });

  it('transfer numbers the notes state: 20·4096 = 81,920 prompt parameters, 2·32·20·4096 = 5,242,880 prefix parameters', () => {
    // The numbers as the prompt-tuning topic's formulas and derivation write them, checked against the arithmetic.
    expect(statedNumber('Prompt tuning', /20 \\times 4096 = ([\d{},]+)/)).toBe(20 * 4096);
    expect(statedNumber('Prompt tuning', /\\cdot 20 \\cdot 4096 = ([\d{},]+)/)).toBe(2 * 32 * 20 * 4096);
    // Layer-wise decay ξ = 0.8 over 12 layers: the first layer's factor 0.8¹¹ = 0.0859.
    expect(statedNumber('Which layers to fine-tune, and layer-wise learning rates', /0\.8\^\{11\} \\approx ([\d.]+)/)).toBeCloseTo(0.8 ** 11, 3);
  });

  it('ALiBi slopes 2^(−8h/H) for H = 8 run from 1/2 to 1/256', () => {
    const slopes = Array.from({ length: 8 }, (_, i) => 2 ** ((-8 * (i + 1)) / 8));
    expect(slopes[0]).toBe(0.5);
    expect(slopes[7]).toBe(1 / 256);
    // The last slope the relative-position topic states: \tfrac{1}{256}.
    expect(1 / statedNumber('Relative position bias', /\\dots, \\tfrac\{1\}\{(\d+)\}/)).toBe(slopes[7]);
  });
});
