// Softmax saturation against the key dimension d (notes topic attention-sqrt-d-scaling): random
// q, k ~ N(0, I_d); logits q·k_j/s for N keys with s = 1, √d or d; the attention weights, their entropy
// and the norm of the softmax Jacobian diag(α) − ααᵀ.
import { at } from '../invariant';
import { InputNotes, logSpace } from './params';
import { createRng, normalizeSeed, type Rng } from './random';

export const SCALINGS = ['none', 'sqrt', 'linear'] as const;
export type Scaling = (typeof SCALINGS)[number];

export const SCALING_LABELS: Readonly<Record<Scaling, string>> = { none: 'none (s = 1)', sqrt: '1/√d', linear: '1/d' };

export const scaleFor = (scaling: Scaling, d: number): number => (scaling === 'sqrt' ? Math.sqrt(d) : scaling === 'linear' ? d : 1);

export interface SoftmaxParams {
  readonly d: number;
  readonly keys: number;
  /** Queries averaged for the entropy and Jacobian statistics. */
  readonly queries: number;
  readonly seed: number;
}

export const DEFAULT_SOFTMAX: SoftmaxParams = { d: 64, keys: 128, queries: 4, seed: 1 };

export function sanitizeSoftmax(input: Partial<Record<keyof SoftmaxParams, unknown>>): { params: SoftmaxParams; messages: string[] } {
  const notes = new InputNotes();
  const d = DEFAULT_SOFTMAX;
  const params: SoftmaxParams = {
    d: notes.number('d', input.d, { min: 1, max: 4096, fallback: d.d, integer: true }),
    keys: notes.number('keys N', input.keys, { min: 2, max: 4096, fallback: d.keys, integer: true }),
    queries: notes.number('queries', input.queries, { min: 1, max: 256, fallback: d.queries, integer: true }),
    seed: normalizeSeed(notes.number('seed', input.seed, { min: -(2 ** 31), max: 2 ** 31 - 1, fallback: d.seed, integer: true })),
  };
  // Every logit costs d normal draws; past MAX_DRAWS the panel would stall, so fewer queries are averaged.
  const affordableQueries = Math.max(1, Math.floor(MAX_DRAWS / (params.d * params.keys)));
  if (params.queries > affordableQueries) {
    notes.note(`Averaging over ${affordableQueries} queries instead of ${params.queries} to stay interactive at d = ${params.d}, N = ${params.keys}.`);
    return { params: { ...params, queries: affordableQueries }, messages: notes.messages };
  }
  return { params, messages: notes.messages };
}

/** Normal draws one update may take (a few ms in V8). */
const MAX_DRAWS = 500_000;

/** Numerically stable softmax (subtract the max, so large logits do not overflow). */
export function softmax(logits: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  const exps = logits.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((v) => v / sum);
}

/** Entropy −Σ α log α in nats (0·log 0 = 0). */
export function entropy(weights: Float64Array): number {
  let h = 0;
  for (const a of weights) if (a > 0) h -= a * Math.log(a);
  return h;
}

/**
 * Frobenius norm of J = diag(α) − ααᵀ: ‖J‖²_F = Σα_i² − 2Σα_i³ + (Σα_i²)² (expand (α_i − α_i²)² on the
 * diagonal and α_i²α_j² off it). It tends to 0 as α becomes one-hot: a saturated softmax passes no gradient.
 */
export function softmaxJacobianNorm(weights: Float64Array): number {
  let s2 = 0;
  let s3 = 0;
  for (const a of weights) {
    s2 += a * a;
    s3 += a * a * a;
  }
  return Math.sqrt(Math.max(0, s2 - 2 * s3 + s2 * s2));
}

export interface AttentionStats {
  readonly entropy: number;
  readonly jacobianNorm: number;
  readonly maxWeight: number;
}

export interface SoftmaxSample {
  /** Logits of the first query (unscaled q·k_j) — the panel scales them per curve. */
  readonly rawLogits: Float64Array;
  readonly stats: Readonly<Record<Scaling, AttentionStats>>;
}

function dot(rng: Rng, q: Float64Array, d: number): number {
  let sum = 0;
  for (let i = 0; i < d; i++) sum += q[i]! * rng.normal();
  return sum;
}

/** Raw logits q·k_j for `queries` random queries against `keys` random keys at dimension d. */
function rawLogitsFor(params: Pick<SoftmaxParams, 'd' | 'keys' | 'queries'>, rng: Rng): Float64Array[] {
  const all: Float64Array[] = [];
  for (let t = 0; t < params.queries; t++) {
    const q = new Float64Array(params.d);
    for (let i = 0; i < params.d; i++) q[i] = rng.normal();
    // Keys are drawn afresh for every query: each k_j·q is then an independent sample of the logit law.
    const logits = new Float64Array(params.keys);
    for (let j = 0; j < params.keys; j++) logits[j] = dot(rng, q, params.d);
    all.push(logits);
  }
  return all;
}

function statsAt(allLogits: readonly Float64Array[], scale: number): AttentionStats {
  let h = 0;
  let jacobian = 0;
  let maxWeight = 0;
  for (const logits of allLogits) {
    const weights = softmax(logits.map((v) => v / scale));
    h += entropy(weights);
    jacobian += softmaxJacobianNorm(weights);
    maxWeight += Math.max(...weights);
  }
  const n = allLogits.length;
  return { entropy: h / n, jacobianNorm: jacobian / n, maxWeight: maxWeight / n };
}

function statsForAllScalings(allLogits: readonly Float64Array[], d: number): Record<Scaling, AttentionStats> {
  return {
    none: statsAt(allLogits, scaleFor('none', d)),
    sqrt: statsAt(allLogits, scaleFor('sqrt', d)),
    linear: statsAt(allLogits, scaleFor('linear', d)),
  };
}

/** One dimension: the first query's logits (for the bar and histogram plots) and the averaged statistics. */
export function sampleSoftmax(params: SoftmaxParams): SoftmaxSample {
  const allLogits = rawLogitsFor(params, createRng(params.seed));
  return { rawLogits: at(allLogits, 0, 'the parameters ask for at least one query'), stats: statsForAllScalings(allLogits, params.d) };
}

export interface SoftmaxSweep {
  readonly dims: readonly number[];
  readonly stats: Readonly<Record<Scaling, readonly AttentionStats[]>>;
  /** log N, the entropy of uniform attention. */
  readonly maxEntropy: number;
}

/** Statistics against d on a log grid 1..maxD, one query per step so the panel can spread it over frames. */
export function* sweepSoftmaxSteps(params: Pick<SoftmaxParams, 'keys' | 'seed'>, maxD = 1024, points = 21): Generator<number, SoftmaxSweep, void> {
  const dims = logSpace(1, maxD, points, true);
  const stats: Record<Scaling, AttentionStats[]> = { none: [], sqrt: [], linear: [] };
  for (const [i, d] of dims.entries()) {
    // Each d has its own stream, so adding grid points never changes the others.
    const rng = createRng(params.seed + 7919 * d);
    const all: Float64Array[] = [];
    for (let q = 0; q < SWEEP_QUERIES; q++) {
      all.push(...rawLogitsFor({ keys: params.keys, queries: 1, d }, rng));
      yield (i + q / SWEEP_QUERIES) / dims.length;
    }
    const byScaling = statsForAllScalings(all, d);
    for (const scaling of SCALINGS) stats[scaling].push(byScaling[scaling]);
  }
  return { dims, stats, maxEntropy: Math.log(params.keys) };
}

/** Queries averaged per grid point of the sweep. */
const SWEEP_QUERIES = 8;

export function sweepSoftmax(params: Pick<SoftmaxParams, 'keys' | 'seed'>, maxD = 1024, points = 21): SoftmaxSweep {
  const steps = sweepSoftmaxSteps(params, maxD, points);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}
