// gd-step and adam-bias (notes topics gd-least-squares-convergence, momentum, adam). Formulas from
// src/core/formulas/optimization.ts.
import {
  adamBiasCorrection,
  conditionNumber,
  gradientDescentRate,
  gradientDescentSteps,
  heavyBallSteps,
  iterationsToTolerance,
  notesBetaFromMomentum,
  spectrumFromSingularValues,
} from '../formulas/optimization';
import type { Spectrum } from '../formulas/optimization';
import { defineCalculator, fmt, num, optNum } from './inputs';
import type { Calculator, InputSpec, ParsedInputs } from './types';

// Bounds that keep κ = λ_max/λ_min and every step below the float range (λ ∈ [1e-100, 1e100]).
const LAMBDA_RULE = { min: 1e-100, max: 1e100 };
const SIGMA_RULE = { min: 1e-50, max: 1e50 };

const positive = (name: string, description: string, rule: { min: number; max: number }, extra: Partial<InputSpec> = {}): InputSpec => ({
  name,
  kind: 'float',
  optional: true,
  rule,
  description,
  ...extra,
});

function spectrumOf(inputs: ParsedInputs): Spectrum {
  const lambdaMin = optNum(inputs, 'lambda_min');
  const lambdaMax = optNum(inputs, 'lambda_max');
  if (lambdaMin !== undefined && lambdaMax !== undefined) return { lambdaMin, lambdaMax };
  return spectrumFromSingularValues(optNum(inputs, 'sigma_min') ?? NaN, optNum(inputs, 'sigma_max') ?? NaN);
}

function checkGd(inputs: ParsedInputs): string[] {
  const lambdas = inputs.lambda_min !== undefined || inputs.lambda_max !== undefined;
  const sigmas = inputs.sigma_min !== undefined || inputs.sigma_max !== undefined;
  if (lambdas && sigmas) return ['give either lambda_min/lambda_max (eigenvalues of AᵀA) or sigma_min/sigma_max (singular values of A), not both'];
  if (!lambdas && !sigmas) return ['give lambda_min and lambda_max (eigenvalues of AᵀA), or sigma_min and sigma_max (singular values of A)'];
  const [low, high] = lambdas ? ['lambda_min', 'lambda_max'] : ['sigma_min', 'sigma_max'];
  if (inputs[low] === undefined || inputs[high] === undefined) return [`give both ${low} and ${high}`];
  if (num(inputs, low) > num(inputs, high)) return [`${low} (${num(inputs, low)}) must not exceed ${high} (${num(inputs, high)})`];
  return [];
}

function runGd(inputs: ParsedInputs) {
  const spectrum = spectrumOf(inputs);
  const kappa = conditionNumber(spectrum);
  const tolerance = num(inputs, 'tolerance');
  const momentum = num(inputs, 'momentum');
  const gd = gradientDescentSteps(spectrum);
  const fromSigma = inputs.sigma_min !== undefined;
  const lines = [
    `${fromSigma ? `λ = σ²: λ_min = ${fmt(spectrum.lambdaMin)}, λ_max = ${fmt(spectrum.lambdaMax)}; ` : ''}κ = λ_max/λ_min = ${fmt(spectrum.lambdaMax)}/${fmt(spectrum.lambdaMin)} = ${fmt(kappa)}`,
    `GD converges for 0 < lr < 2/λ_max = 2/${fmt(spectrum.lambdaMax)} = ${fmt(gd.stableBound)}; no oscillation for lr ≤ 1/λ_max = ${fmt(gd.monotoneBound)}`,
    `optimal lr = 2/(λ_min + λ_max) = 2/(${fmt(spectrum.lambdaMin)} + ${fmt(spectrum.lambdaMax)}) = ${fmt(gd.optimalStep)}; rate = (κ − 1)/(κ + 1) = ${fmt(gd.optimalRate)}`,
  ];
  const gdIterations = iterationsToTolerance(gd.optimalRate, tolerance);
  const result: Record<string, unknown> = {
    kappa,
    stable_bound: gd.stableBound,
    monotone_bound: gd.monotoneBound,
    optimal_lr: gd.optimalStep,
    optimal_rate: gd.optimalRate,
    iterations: gdIterations ?? null,
  };
  const lr = optNum(inputs, 'lr');
  if (lr !== undefined) {
    const rate = gradientDescentRate(spectrum, lr);
    result.rate_at_lr = rate;
    lines.push(`at lr = ${fmt(lr)}: rate = max(|1 − lr·λ_min|, |1 − lr·λ_max|) = ${fmt(rate)}${rate >= 1 ? ' ≥ 1: diverges (or stalls)' : ''}`);
  }
  if (momentum > 0) {
    const hb = heavyBallSteps(spectrum, momentum);
    result.momentum = {
      stable_bound: hb.stableBound,
      optimal_lr: hb.optimalStep,
      optimal_momentum: hb.optimalMomentum,
      optimal_rate: hb.optimalRate,
      iterations: iterationsToTolerance(hb.optimalRate, tolerance) ?? null,
    };
    lines.push(
      `heavy ball (SGD momentum μ = ${fmt(momentum)}, notes' β = 1 − μ = ${fmt(notesBetaFromMomentum(momentum))}): stable for lr < 2(1 + μ)/λ_max = ${fmt(hb.stableBound)}`,
      `optimal: lr = 4/(√λ_max + √λ_min)² = ${fmt(hb.optimalStep)}, μ = ((√κ − 1)/(√κ + 1))² = ${fmt(hb.optimalMomentum)}, rate = (√κ − 1)/(√κ + 1) = ${fmt(hb.optimalRate)}`,
    );
  }
  lines.push(`steps to shrink the error by ${fmt(tolerance)}: ⌈ln(1/ε)/ln(1/rate)⌉ = ${gdIterations ?? 'too many to count'}${momentum > 0 ? ` (GD), ${iterationsToTolerance(heavyBallSteps(spectrum, momentum).optimalRate, tolerance) ?? 'too many to count'} (heavy ball)` : ''}`);
  return {
    result,
    formula: lines.join('\n'),
    latex: '0<\\eta<\\frac{2}{\\lambda_{\\max}},\\quad \\eta^*=\\frac{2}{\\lambda_{\\min}+\\lambda_{\\max}},\\quad \\rho^*=\\frac{\\kappa-1}{\\kappa+1}',
    topic: momentum > 0 ? 'momentum' : 'gd-least-squares-convergence',
  };
}

export const gdStepCalculator: Calculator = defineCalculator({
  id: 'gd-step',
  title: 'Gradient-descent step size on a quadratic (with momentum)',
  description: 'Stable bound 2/λ_max, optimal step 2/(λ_min + λ_max) and rate (κ − 1)/(κ + 1) from the extreme eigenvalues of AᵀA (or singular values of A); with momentum, the heavy-ball bound and optimum.',
  topic: 'gd-least-squares-convergence',
  inputs: [
    positive('lambda_min', 'Smallest eigenvalue of the Hessian AᵀA.', LAMBDA_RULE, { example: '0.5' }),
    positive('lambda_max', 'Largest eigenvalue of the Hessian AᵀA.', LAMBDA_RULE, { example: '10' }),
    positive('sigma_min', 'Instead of λ: smallest singular value of A (λ = σ²).', SIGMA_RULE, { example: '0.7' }),
    positive('sigma_max', 'Instead of λ: largest singular value of A.', SIGMA_RULE, { example: '3.2' }),
    { name: 'momentum', kind: 'float', default: '0', rule: { min: 0, max: 1, exclusiveMax: true }, description: "SGD's momentum μ (the notes' β is 1 − μ)." },
    positive('lr', 'A learning rate to evaluate (optional).', { min: 0, max: 1e100 }, { example: '0.1' }),
    { name: 'tolerance', kind: 'float', default: '1e-6', rule: { min: 0, max: 1, exclusiveMin: true, exclusiveMax: true }, description: 'Error reduction factor ε for the step count.' },
  ],
  check: checkGd,
  run: runGd,
});

// ---------------------------------------------------------------------------------------------------------
// adam-bias

function runAdam(inputs: ParsedInputs) {
  const beta1 = num(inputs, 'beta1');
  const beta2 = num(inputs, 'beta2');
  const t = num(inputs, 't');
  const lr = num(inputs, 'lr');
  const c = adamBiasCorrection(beta1, beta2, t);
  return {
    result: {
      bias_correction1: c.firstMoment,
      bias_correction2: c.secondMoment,
      m_hat_scale: c.firstScale,
      v_hat_scale: c.secondScale,
      step_scale: c.stepScale,
      effective_lr: lr * c.stepScale,
    },
    formula: [
      `1 − β1^t = 1 − ${fmt(beta1)}^${t} = ${fmt(c.firstMoment)}; m̂ = m/${fmt(c.firstMoment)} = ${fmt(c.firstScale)}·m`,
      `1 − β2^t = 1 − ${fmt(beta2)}^${t} = ${fmt(c.secondMoment)}; v̂ = v/${fmt(c.secondMoment)} = ${fmt(c.secondScale)}·v`,
      `update = lr·m̂/(√v̂ + ε) ≈ lr·√(1 − β2^t)/(1 − β1^t)·m/√v = ${fmt(lr)}·${fmt(c.stepScale)}·m/√v (effective lr ${fmt(lr * c.stepScale)})`,
      `notes' convention: β_notes = 1 − β (here ${fmt(1 - beta1)}, ${fmt(1 - beta2)})`,
    ].join('\n'),
    latex: '\\hat m_t=\\frac{m_t}{1-\\beta_1^t},\\quad \\hat v_t=\\frac{v_t}{1-\\beta_2^t}',
    topic: 'adam',
  };
}

const betaInput = (name: string, fallback: string, description: string): InputSpec => ({
  name,
  kind: 'float',
  default: fallback,
  rule: { min: 0, max: 1, exclusiveMax: true },
  description,
});

export const adamBiasCalculator: Calculator = defineCalculator({
  id: 'adam-bias',
  title: "Adam's bias-correction factors at step t",
  description: '1 − β1^t and 1 − β2^t, the corrections m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t), and the resulting step scale (PyTorch / Kingma & Ba β).',
  topic: 'adam',
  inputs: [
    betaInput('beta1', '0.9', 'β1 of torch.optim.Adam betas (standard convention).'),
    betaInput('beta2', '0.999', 'β2 of torch.optim.Adam betas.'),
    { name: 't', kind: 'int', default: '1', rule: { min: 1, max: 1e12 }, description: 'Step number (1 = the first step).', aliases: ['step'] },
    { name: 'lr', kind: 'float', default: '0.001', rule: { min: 0, max: 1e6 }, description: 'Learning rate, for the effective step.' },
  ],
  check: () => [],
  run: runAdam,
});
