// The diffusion forward (noising) process on a 2-D point cloud (notes topic diffusion-forward-process):
// x_t = √ᾱ_t·x_0 + √(1 − ᾱ_t)·ε with a linear (Ho et al. 2020) or cosine (Nichol & Dhariwal 2021) schedule.
import { betaAt, firstStepWithSnrAtMostOne, type Schedule as ScheduleSpec } from '../formulas/diffusion';
import { at } from '../invariant';
import { InputNotes } from './params';
import { createRng, normalizeSeed, type Rng } from './random';

export const SCHEDULES = ['linear', 'cosine'] as const;
export type Schedule = (typeof SCHEDULES)[number];
export const DATASETS = ['moons', 'rings'] as const;
export type Dataset = (typeof DATASETS)[number];

export interface DiffusionParams {
  readonly schedule: Schedule;
  readonly steps: number;
  readonly betaStart: number;
  readonly betaEnd: number;
  readonly cosineOffset: number;
  readonly t: number;
  readonly dataset: Dataset;
  readonly points: number;
  readonly seed: number;
}

export const DEFAULT_DIFFUSION: DiffusionParams = {
  schedule: 'linear',
  steps: 1000,
  betaStart: 1e-4,
  betaEnd: 0.02,
  cosineOffset: 0.008,
  t: 100,
  dataset: 'moons',
  points: 600,
  seed: 1,
};

export function sanitizeDiffusion(input: Partial<Record<keyof DiffusionParams, unknown>>): { params: DiffusionParams; messages: string[] } {
  const notes = new InputNotes();
  const d = DEFAULT_DIFFUSION;
  const steps = notes.number('T', input.steps, { min: 1, max: 10000, fallback: d.steps, integer: true });
  const betaStart = notes.number('β₁', input.betaStart, { min: 1e-6, max: 0.999, fallback: d.betaStart });
  const params: DiffusionParams = {
    schedule: notes.choice('schedule', input.schedule, SCHEDULES, d.schedule),
    steps,
    betaStart,
    betaEnd: notes.number('β_T', input.betaEnd, { min: 1e-6, max: 0.999, fallback: d.betaEnd }),
    cosineOffset: notes.number('s', input.cosineOffset, { min: 0, max: 0.5, fallback: d.cosineOffset }),
    t: notes.number('t', input.t, { min: 0, max: steps, fallback: Math.min(d.t, steps), integer: true }),
    dataset: notes.choice('data', input.dataset, DATASETS, d.dataset),
    points: notes.number('points', input.points, { min: 10, max: 5000, fallback: d.points, integer: true }),
    seed: normalizeSeed(notes.number('seed', input.seed, { min: -(2 ** 31), max: 2 ** 31 - 1, fallback: d.seed, integer: true })),
  };
  return { params, messages: notes.messages };
}

/** ᾱ_t = Π_{s≤t}(1 − β_s) for t = 0..T (ᾱ_0 = 1, nothing noised yet). */
export function alphaBars(betas: Float64Array): Float64Array {
  const out = new Float64Array(betas.length + 1);
  out[0] = 1;
  let product = 1;
  betas.forEach((beta, i) => {
    product *= 1 - beta;
    out[i + 1] = product;
  });
  return out;
}

/** SNR(t) = ᾱ_t/(1 − ᾱ_t); undefined at t = 0 where no noise was added yet. */
export const signalToNoise = (alphaBar: number): number | undefined => (alphaBar < 1 ? alphaBar / (1 - alphaBar) : undefined);

/** The schedule in the shared formulas' terms (src/core/formulas/diffusion.ts). */
export const scheduleOf = (p: DiffusionParams): ScheduleSpec =>
  p.schedule === 'linear' ? { kind: 'linear', steps: p.steps, betaStart: p.betaStart, betaEnd: p.betaEnd } : { kind: 'cosine', steps: p.steps, offset: p.cosineOffset };

/** β_t for t = 1..T (index 0 is t = 1). */
export function betasFor(p: DiffusionParams): Float64Array {
  const schedule = scheduleOf(p);
  return new Float64Array(p.steps).map((_, i) => betaAt(schedule, i + 1));
}

/** Two interleaved half-moons (sklearn's make_moons layout) or two concentric rings, scaled to unit variance per axis. */
export function pointCloud(dataset: Dataset, count: number, rng: Rng): { x: Float64Array; y: Float64Array } {
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const second = i % 2 === 1;
    const angle = Math.PI * rng.uniform();
    const radius = second ? 1 : 0.45;
    const [cleanX, cleanY] =
      dataset === 'moons'
        ? [second ? 1 - Math.cos(angle) : Math.cos(angle), second ? 0.5 - Math.sin(angle) : Math.sin(angle)]
        : [radius * Math.cos(2 * angle), radius * Math.sin(2 * angle)];
    x[i] = cleanX + 0.05 * rng.normal();
    y[i] = cleanY + 0.05 * rng.normal();
  }
  standardize(x);
  standardize(y);
  return { x, y };
}

function standardize(values: Float64Array): void {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length) || 1;
  values.forEach((value, i) => {
    values[i] = (value - mean) / std;
  });
}

export interface DiffusionRun {
  readonly params: DiffusionParams;
  readonly alphaBar: Float64Array;
  readonly clean: { readonly x: Float64Array; readonly y: Float64Array };
  /** The fixed noise ε of each point, so moving the t slider moves points smoothly. */
  readonly noise: { readonly x: Float64Array; readonly y: Float64Array };
  /** The first t with SNR ≤ 1 (ᾱ_t ≤ ½), if any. */
  readonly snrCrossing: number | undefined;
  readonly messages: readonly string[];
}

export function simulateDiffusion(input: Partial<Record<keyof DiffusionParams, unknown>>): DiffusionRun {
  const { params, messages } = sanitizeDiffusion(input);
  const rng = createRng(params.seed);
  const clean = pointCloud(params.dataset, params.points, rng);
  const noise = { x: new Float64Array(params.points).map(() => rng.normal()), y: new Float64Array(params.points).map(() => rng.normal()) };
  const alphaBar = alphaBars(betasFor(params));
  return { params, alphaBar, clean, noise, snrCrossing: firstStepWithSnrAtMostOne(scheduleOf(params)), messages };
}

/** The cloud at step t by the closed form q(x_t | x_0). */
export function noisedCloud(run: DiffusionRun, t: number): { x: Float64Array; y: Float64Array } {
  const step = Math.min(Math.max(0, Math.round(t)), run.alphaBar.length - 1);
  const alphaBar = at(run.alphaBar, step, 'the step is clamped to the schedule');
  const signal = Math.sqrt(alphaBar);
  const noise = Math.sqrt(1 - alphaBar);
  return {
    x: run.clean.x.map((v, i) => signal * v + noise * run.noise.x[i]!),
    y: run.clean.y.map((v, i) => signal * v + noise * run.noise.y[i]!),
  };
}
