// Optimisation formulas (notes topics gd-least-squares-convergence, momentum, adam). λ are eigenvalues of
// the Hessian AᵀA (λ = σ² for singular values σ of A); κ = λ_max/λ_min.

export interface Spectrum {
  readonly lambdaMin: number;
  readonly lambdaMax: number;
}

/** λ = σ²: the Hessian of ½‖Ax − b‖² is AᵀA, whose eigenvalues are the squared singular values of A. */
export const spectrumFromSingularValues = (sigmaMin: number, sigmaMax: number): Spectrum => ({
  lambdaMin: sigmaMin * sigmaMin,
  lambdaMax: sigmaMax * sigmaMax,
});

export const conditionNumber = (s: Spectrum): number => s.lambdaMax / s.lambdaMin;

/** Plain GD on a quadratic: error component i is multiplied by (1 − ηλ_i) every step. */
export interface GradientDescentSteps {
  /** GD converges iff 0 < η < 2/λ_max. */
  readonly stableBound: number;
  /** No oscillation (all factors ≥ 0) iff η ≤ 1/λ_max. */
  readonly monotoneBound: number;
  /** η* = 2/(λ_min + λ_max) equalises |1 − ηλ_min| and |1 − ηλ_max|. */
  readonly optimalStep: number;
  /** ρ* = (κ − 1)/(κ + 1), the error contraction per step at η*. */
  readonly optimalRate: number;
}

export function gradientDescentSteps(s: Spectrum): GradientDescentSteps {
  const kappa = conditionNumber(s);
  return {
    stableBound: 2 / s.lambdaMax,
    monotoneBound: 1 / s.lambdaMax,
    optimalStep: 2 / (s.lambdaMin + s.lambdaMax),
    optimalRate: (kappa - 1) / (kappa + 1),
  };
}

/** The worst per-direction contraction max(|1 − ηλ_min|, |1 − ηλ_max|) of GD with step η. */
export function gradientDescentRate(s: Spectrum, step: number): number {
  return Math.max(Math.abs(1 - step * s.lambdaMin), Math.abs(1 - step * s.lambdaMax));
}

/**
 * Steps to shrink the error by a factor ε at contraction ρ: ⌈ln(1/ε)/ln(1/ρ)⌉ (0 steps when ρ = 0 means one
 * step reaches the minimum, so 1). Undefined when ρ ≥ 1 (no convergence).
 */
export function iterationsToTolerance(rate: number, tolerance: number): number | undefined {
  if (rate >= 1) return undefined;
  if (rate <= 0) return 1;
  return Math.max(1, Math.ceil(Math.log(1 / tolerance) / Math.log(1 / rate)));
}

/**
 * Heavy ball (PyTorch SGD: v ← μv + g, w ← w − lr·v, i.e. w_{t+1} = w_t − lr·g_t + μ(w_t − w_{t−1})).
 * Per eigenvalue the characteristic polynomial r² − (1 + μ − lr·λ)r + μ has both roots inside the unit
 * circle iff 0 ≤ μ < 1 and 0 < lr·λ < 2(1 + μ) (Jury). Polyak's optimum: lr* = 4/(√λ_max + √λ_min)²,
 * μ* = ((√κ − 1)/(√κ + 1))², rate √μ* = (√κ − 1)/(√κ + 1).
 */
export interface HeavyBallSteps {
  readonly stableBound: number;
  readonly optimalStep: number;
  readonly optimalMomentum: number;
  readonly optimalRate: number;
}

export function heavyBallSteps(s: Spectrum, momentum: number): HeavyBallSteps {
  const rootKappa = Math.sqrt(conditionNumber(s));
  const rate = (rootKappa - 1) / (rootKappa + 1);
  const rootSum = Math.sqrt(s.lambdaMax) + Math.sqrt(s.lambdaMin);
  return {
    stableBound: (2 * (1 + momentum)) / s.lambdaMax,
    optimalStep: 4 / (rootSum * rootSum),
    optimalMomentum: rate * rate,
    optimalRate: rate,
  };
}

/** The notes' EMA β weights the new gradient; PyTorch's momentum μ = 1 − β and lr = η·β. */
export const notesBetaFromMomentum = (momentum: number): number => 1 - momentum;

/** Adam's bias-correction at step t (standard β): 1 − β^t, by which the zero-started EMA is shrunk. */
export const biasCorrection = (beta: number, step: number): number => 1 - Math.pow(beta, step);

export interface AdamBiasCorrection {
  /** 1 − β1^t. */
  readonly firstMoment: number;
  /** 1 − β2^t. */
  readonly secondMoment: number;
  /** m̂ = m/(1 − β1^t): the factor m is multiplied by. */
  readonly firstScale: number;
  /** v̂ = v/(1 − β2^t). */
  readonly secondScale: number;
  /**
   * The factor on lr in the update when ε is negligible: √(1 − β2^t)/(1 − β1^t), as torch.optim.Adam
   * folds it into step_size = lr/bias_correction1 with denom √v/√bias_correction2.
   */
  readonly stepScale: number;
}

export function adamBiasCorrection(beta1: number, beta2: number, step: number): AdamBiasCorrection {
  const firstMoment = biasCorrection(beta1, step);
  const secondMoment = biasCorrection(beta2, step);
  return {
    firstMoment,
    secondMoment,
    firstScale: 1 / firstMoment,
    secondScale: 1 / secondMoment,
    stepScale: Math.sqrt(secondMoment) / firstMoment,
  };
}
