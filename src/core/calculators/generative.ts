// diffusion-schedule and kl-gaussians (notes topics diffusion-forward-process, kl-gaussians). Formulas
// from src/core/formulas/diffusion.ts and probability.ts.
import { firstStepWithSnrAtMostOne, forwardProcessAt } from '../formulas/diffusion';
import type { Schedule } from '../formulas/diffusion';
import { perDimensionKl } from '../formulas/probability';
import { at } from '../invariant';
import { defineCalculator, fmt, num, numList, str } from './inputs';
import type { Calculator, InputSpec, ParsedInputs } from './types';

const MAX_STEPS = 100_000;

function scheduleOf(inputs: ParsedInputs): Schedule {
  const steps = num(inputs, 'T');
  return str(inputs, 'schedule') === 'cosine'
    ? { kind: 'cosine', steps, offset: num(inputs, 's') }
    : { kind: 'linear', steps, betaStart: num(inputs, 'beta_start'), betaEnd: num(inputs, 'beta_end') };
}

function checkDiffusion(inputs: ParsedInputs): string[] {
  const steps = num(inputs, 'T');
  const t = num(inputs, 't');
  return t > steps ? [`t (${t}) must be between 1 and T (${steps})`] : [];
}

function runDiffusion(inputs: ParsedInputs) {
  const schedule = scheduleOf(inputs);
  const t = num(inputs, 't');
  const at = forwardProcessAt(schedule, t);
  const crossing = firstStepWithSnrAtMostOne(schedule);
  const betaText =
    schedule.kind === 'linear'
      ? `β_t = β_1 + (t − 1)/(T − 1)·(β_T − β_1) = ${fmt(schedule.betaStart)} + (${t} − 1)/(${schedule.steps} − 1)·(${fmt(schedule.betaEnd)} − ${fmt(schedule.betaStart)}) = ${fmt(at.beta)}`
      : `cosine: ᾱ(t) = f(t)/f(0), f(t) = cos²(((t/T + s)/(1 + s))·π/2), s = ${fmt(schedule.offset)}; β_t = min(1 − ᾱ(t)/ᾱ(t − 1), 0.999) = ${fmt(at.beta)}`;
  return {
    result: {
      beta_t: at.beta,
      alpha_t: 1 - at.beta,
      alpha_bar: at.alphaBar,
      sqrt_alpha_bar: at.signalStd,
      sqrt_one_minus_alpha_bar: at.noiseStd,
      snr: at.snr,
      snr_one_at: crossing ?? null,
    },
    formula: [
      betaText,
      `ᾱ_${t} = Π_{s≤${t}} (1 − β_s) = ${fmt(at.alphaBar)}; √ᾱ_t = ${fmt(at.signalStd)}, √(1 − ᾱ_t) = ${fmt(at.noiseStd)}`,
      `x_t = ${fmt(at.signalStd)}·x_0 + ${fmt(at.noiseStd)}·ε; SNR = ᾱ_t/(1 − ᾱ_t) = ${fmt(at.snr)}`,
      crossing !== undefined ? `SNR falls to 1 (ᾱ ≤ 1/2) at t = ${crossing}` : 'SNR stays above 1 up to T',
    ].join('\n'),
    latex: 'q(x_t\\mid x_0)=\\mathcal N\\big(\\sqrt{\\bar\\alpha_t}\\,x_0,(1-\\bar\\alpha_t)I\\big),\\quad \\bar\\alpha_t=\\prod_{s=1}^{t}(1-\\beta_s),\\quad \\operatorname{SNR}=\\frac{\\bar\\alpha_t}{1-\\bar\\alpha_t}',
    topic: 'diffusion-forward-process',
  };
}

const betaRule = { min: 1e-12, max: 0.999 };

export const diffusionScheduleCalculator: Calculator = defineCalculator({
  id: 'diffusion-schedule',
  title: 'Diffusion noise schedule at step t',
  description: 'ᾱ_t, √ᾱ_t, √(1 − ᾱ_t) and SNR of a linear (Ho et al.) or cosine (Nichol & Dhariwal, s = 0.008) schedule.',
  topic: 'diffusion-forward-process',
  inputs: [
    { name: 'schedule', kind: 'enum', default: 'linear', rule: { options: ['linear', 'cosine'] }, description: 'Noise schedule.', aliases: ['beta_schedule'] },
    { name: 'T', kind: 'int', default: '1000', rule: { min: 1, max: MAX_STEPS }, description: 'Diffusion steps T.', aliases: ['timesteps', 'num_train_timesteps'] },
    { name: 't', kind: 'int', default: '500', rule: { min: 1, max: MAX_STEPS }, description: 'Step t (1..T).', aliases: ['step'] },
    { name: 'beta_start', kind: 'float', default: '1e-4', rule: betaRule, description: 'Linear: β_1.', aliases: ['beta_1'] },
    { name: 'beta_end', kind: 'float', default: '0.02', rule: betaRule, description: 'Linear: β_T.', aliases: ['beta_T'] },
    { name: 's', kind: 'float', default: '0.008', rule: { min: 0, max: 1 }, description: 'Cosine: offset s.' },
  ],
  check: checkDiffusion,
  run: runDiffusion,
});

// ---------------------------------------------------------------------------------------------------------
// kl-gaussians

const MAX_DIMS = 10_000;
const listInput = (name: string, description: string, rule: { min?: number; max: number; exclusiveMin?: boolean }, fallback?: string): InputSpec => ({
  name,
  kind: 'list',
  ...(fallback !== undefined ? { default: fallback } : {}),
  rule: { item: 'float', minItems: 1, maxItems: MAX_DIMS, ...rule },
  description,
});

const KL_NAMES = ['mu1', 'sigma1', 'mu2', 'sigma2'] as const;

function dimsOf(inputs: ParsedInputs): number | string {
  const lengths = KL_NAMES.map((n) => ({ name: n, length: numList(inputs, n).length }));
  const dims = Math.max(...lengths.map((l) => l.length));
  const bad = lengths.find((l) => l.length !== 1 && l.length !== dims);
  return bad ? `${bad.name} has ${bad.length} values but another input has ${dims}: give one value or one per dimension` : dims;
}

const broadcast = (values: readonly number[], dims: number): number[] => (values.length === 1 ? Array<number>(dims).fill(values[0]!) : [...values]);

function runKl(inputs: ParsedInputs) {
  const dims = dimsOf(inputs) as number;
  const input = (name: (typeof KL_NAMES)[number]): number[] => broadcast(numList(inputs, name), dims);
  const [mu1, sigma1, mu2, sigma2] = [input('mu1'), input('sigma1'), input('mu2'), input('sigma2')];
  const forward = perDimensionKl(mu1, sigma1, mu2, sigma2);
  const reverse = perDimensionKl(mu2, sigma2, mu1, sigma1);
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  const firstOf = (xs: readonly number[]): string => fmt(at(xs, 0, 'every KL input has one value at least (minItems 1)'));
  const first = `ln(${firstOf(sigma2)}/${firstOf(sigma1)}) + (${firstOf(sigma1)}² + (${firstOf(mu1)} − ${firstOf(mu2)})²)/(2·${firstOf(sigma2)}²) − 1/2 = ${firstOf(forward)}`;
  return {
    result: { kl: sum(forward), kl_reverse: sum(reverse), per_dim: forward },
    formula: [
      `KL(p1‖p2) = Σ_j [ln(σ2/σ1) + (σ1² + (μ1 − μ2)²)/(2σ2²) − 1/2]`,
      dims === 1 ? `= ${first} nats` : `dimension 1: ${first}; sum over ${dims} dimensions = ${fmt(sum(forward))} nats`,
      `KL(p2‖p1) = ${fmt(sum(reverse))} nats (KL is not symmetric)`,
    ].join('\n'),
    latex: 'D_{\\mathrm{KL}}=\\sum_j\\Big[\\ln\\frac{\\sigma_{2j}}{\\sigma_{1j}}+\\frac{\\sigma_{1j}^2+(\\mu_{1j}-\\mu_{2j})^2}{2\\sigma_{2j}^2}-\\frac12\\Big]',
    topic: 'kl-gaussians',
  };
}

const SIGMA_RULE = { min: 1e-100, max: 1e50 };
const MU_RULE = { min: -1e50, max: 1e50 };

export const klGaussiansCalculator: Calculator = defineCalculator({
  id: 'kl-gaussians',
  title: 'KL divergence between diagonal Gaussians',
  description: 'KL(N(μ1, σ1²) ‖ N(μ2, σ2²)) summed over dimensions, both directions, in nats; one value applies to every dimension.',
  topic: 'kl-gaussians',
  inputs: [
    { ...listInput('mu1', 'Means of p1 (comma list).', MU_RULE), example: '0.5, -1' },
    { ...listInput('sigma1', 'Standard deviations of p1 (> 0).', SIGMA_RULE), example: '1.2, 0.8' },
    listInput('mu2', 'Means of p2; default 0 (the VAE prior).', MU_RULE, '0'),
    listInput('sigma2', 'Standard deviations of p2; default 1.', SIGMA_RULE, '1'),
  ],
  check: (inputs) => {
    const dims = dimsOf(inputs);
    return typeof dims === 'string' ? [dims] : [];
  },
  run: runKl,
});
