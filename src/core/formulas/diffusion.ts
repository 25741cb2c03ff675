// The diffusion forward process (notes topic diffusion-forward-process): noise schedules and the
// closed form q(x_t | x_0) = N(√ᾱ_t·x_0, (1 − ᾱ_t)I) with ᾱ_t = Π_{s≤t} (1 − β_s).

/** Ho et al. 2020: β_t = torch.linspace(β_1, β_T, T)[t − 1], t = 1..T. */
export function linearBeta(t: number, steps: number, betaStart: number, betaEnd: number): number {
  if (steps === 1) return betaStart;
  return betaStart + ((t - 1) / (steps - 1)) * (betaEnd - betaStart);
}

/** Nichol & Dhariwal 2021: f(t) = cos²(((t/T + s)/(1 + s))·π/2). */
export function cosineSignal(t: number, steps: number, offset: number): number {
  const c = Math.cos(((t / steps + offset) / (1 + offset)) * (Math.PI / 2));
  return c * c;
}

/** The cap on cosine-schedule β_t that keeps the last steps from being singular (improved-DDPM code). */
export const COSINE_MAX_BETA = 0.999;

/** Cosine-schedule β_t = min(1 − ᾱ(t)/ᾱ(t − 1), 0.999), as betas_for_alpha_bar computes it. */
export function cosineBeta(t: number, steps: number, offset: number): number {
  return Math.min(1 - cosineSignal(t, steps, offset) / cosineSignal(t - 1, steps, offset), COSINE_MAX_BETA);
}

export type Schedule =
  | { readonly kind: 'linear'; readonly steps: number; readonly betaStart: number; readonly betaEnd: number }
  | { readonly kind: 'cosine'; readonly steps: number; readonly offset: number };

export function betaAt(schedule: Schedule, t: number): number {
  return schedule.kind === 'linear'
    ? linearBeta(t, schedule.steps, schedule.betaStart, schedule.betaEnd)
    : cosineBeta(t, schedule.steps, schedule.offset);
}

/** ᾱ_t = Π_{s=1}^{t} (1 − β_s); ᾱ_0 = 1. The cumulative product of the (clipped) betas, as the samplers use. */
export function alphaBar(schedule: Schedule, t: number): number {
  let product = 1;
  for (let s = 1; s <= t; s++) product *= 1 - betaAt(schedule, s);
  return product;
}

export interface ForwardProcessAt {
  readonly beta: number;
  readonly alphaBar: number;
  /** Scale of x_0 in x_t. */
  readonly signalStd: number;
  /** Std of the noise in x_t: √(1 − ᾱ_t). */
  readonly noiseStd: number;
  /** SNR(t) = ᾱ_t/(1 − ᾱ_t). */
  readonly snr: number;
}

export function forwardProcessAt(schedule: Schedule, t: number): ForwardProcessAt {
  const a = alphaBar(schedule, t);
  return { beta: betaAt(schedule, t), alphaBar: a, signalStd: Math.sqrt(a), noiseStd: Math.sqrt(1 - a), snr: a / (1 - a) };
}

/** The first step t (1..T) at which SNR(t) ≤ 1, i.e. ᾱ_t ≤ 1/2; undefined when the schedule never gets there. */
export function firstStepWithSnrAtMostOne(schedule: Schedule): number | undefined {
  let product = 1;
  for (let t = 1; t <= schedule.steps; t++) {
    product *= 1 - betaAt(schedule, t);
    if (product <= 0.5) return t;
  }
  return undefined;
}
