// Linear / tanh recurrence h_t = φ(W h_{t−1}) with a recurrent matrix of chosen spectral radius ρ (notes
// topics rnn-bptt-exploding-vanishing, rnn-as-iir-filter). W = V·B·Vᵀ with V a seeded random orthogonal
// basis and B block-diagonal with 2×2 blocks r·R(θ), so its eigenvalues r·e^{±iθ} are known exactly.
import { matTVec, matVec, matMul, norm, randomReflections, reflectionsToMatrix, transpose, type Matrix } from './linalg';
import { InputNotes } from './params';
import { createRng, normalizeSeed } from './random';

export const RNN_MATRIX_KINDS = ['orthogonal', 'eigen'] as const;
export type RnnMatrixKind = (typeof RNN_MATRIX_KINDS)[number];
export const RNN_NONLINEARITIES = ['linear', 'tanh'] as const;
export type RnnNonlinearity = (typeof RNN_NONLINEARITIES)[number];

export interface RnnParams {
  readonly size: number;
  /** Spectral radius ρ(W) = max |λ|. */
  readonly rho: number;
  /** Angle of the dominant pole pair ρ·e^{±iθ} in the 'eigen' kind. */
  readonly theta: number;
  readonly steps: number;
  /** 'orthogonal': ρ·Q, every |λ| = ρ. 'eigen': one pole pair ρe^{±iθ}, the other radii seeded in [0, ρ). */
  readonly kind: RnnMatrixKind;
  readonly nonlinearity: RnnNonlinearity;
  readonly seed: number;
}

export const DEFAULT_RNN: RnnParams = { size: 32, rho: 1.05, theta: Math.PI / 8, steps: 50, kind: 'orthogonal', nonlinearity: 'linear', seed: 1 };

export function sanitizeRnn(input: Partial<Record<keyof RnnParams, unknown>>): { params: RnnParams; messages: string[] } {
  const notes = new InputNotes();
  const d = DEFAULT_RNN;
  const params: RnnParams = {
    size: notes.number('state size', input.size, { min: 1, max: 256, fallback: d.size, integer: true }),
    rho: notes.number('ρ', input.rho, { min: 0, max: 2, fallback: d.rho }),
    theta: notes.number('θ', input.theta, { min: 0, max: Math.PI, fallback: d.theta }),
    steps: notes.number('T', input.steps, { min: 1, max: 1000, fallback: d.steps, integer: true }),
    kind: notes.choice('matrix', input.kind, RNN_MATRIX_KINDS, d.kind),
    nonlinearity: notes.choice('nonlinearity', input.nonlinearity, RNN_NONLINEARITIES, d.nonlinearity),
    seed: normalizeSeed(notes.number('seed', input.seed, { min: -(2 ** 31), max: 2 ** 31 - 1, fallback: d.seed, integer: true })),
  };
  return { params, messages: notes.messages };
}

export interface Eigenvalue {
  readonly re: number;
  readonly im: number;
}

export interface RecurrentMatrix {
  readonly w: Matrix;
  readonly eigenvalues: readonly Eigenvalue[];
}

/** Pole radii and angles per 2×2 block (and one real pole when the size is odd). */
function chooseModes(p: RnnParams, rng: ReturnType<typeof createRng>): { radius: number; angle: number }[] {
  const blocks = Math.ceil(p.size / 2);
  return Array.from({ length: blocks }, (_, b) => {
    const isOddTail = 2 * b + 1 === p.size;
    if (p.kind === 'orthogonal') return { radius: p.rho, angle: isOddTail ? 0 : Math.PI * rng.uniform() };
    if (b === 0) return { radius: p.rho, angle: isOddTail ? 0 : p.theta };
    return { radius: p.rho * rng.uniform(), angle: isOddTail ? 0 : Math.PI * rng.uniform() };
  });
}

export function recurrentMatrix(p: RnnParams): RecurrentMatrix {
  const rng = createRng(p.seed);
  const n = p.size;
  const modes = chooseModes(p, rng);
  const block = new Float64Array(n * n);
  const eigenvalues: Eigenvalue[] = [];
  modes.forEach(({ radius, angle }, b) => {
    const i = 2 * b;
    if (i + 1 >= n) {
      block[i * n + i] = radius;
      eigenvalues.push({ re: radius, im: 0 });
      return;
    }
    const c = radius * Math.cos(angle);
    const s = radius * Math.sin(angle);
    block[i * n + i] = c;
    block[i * n + i + 1] = -s;
    block[(i + 1) * n + i] = s;
    block[(i + 1) * n + i + 1] = c;
    eigenvalues.push({ re: c, im: s }, { re: c, im: -s });
  });
  const basis = reflectionsToMatrix(randomReflections(rng, n));
  const w = matMul(matMul(basis, { rows: n, cols: n, data: block }), transpose(basis));
  return { w, eigenvalues };
}

export interface RnnRun {
  readonly params: RnnParams;
  readonly eigenvalues: readonly Eigenvalue[];
  /** ‖h_t‖ for t = 0..T. */
  readonly stateNorm: Float64Array;
  /** ‖∂L/∂h_t‖ for L = uᵀh_T with a random unit u: the norm BPTT carries back to step t. */
  readonly gradientNorm: Float64Array;
  readonly messages: readonly string[];
}

/** Beyond this the state is reported as overflowing and the run stops growing it. */
const NORM_CEILING = 1e150;

export function simulateRnn(input: Partial<Record<keyof RnnParams, unknown>>): RnnRun {
  const { params, messages } = sanitizeRnn(input);
  const { w, eigenvalues } = recurrentMatrix(params);
  const rng = createRng(params.seed ^ 0x5bd1e995);
  const n = params.size;
  const unitRandom = (): Float64Array => {
    const v = new Float64Array(n).map(() => rng.normal());
    const length = norm(v) || 1;
    return v.map((x) => x / length);
  };
  const tanh = params.nonlinearity === 'tanh';
  let state = unitRandom();
  const states: Float64Array[] = [state];
  const stateNorm = new Float64Array(params.steps + 1);
  stateNorm[0] = norm(state);
  for (let t = 1; t <= params.steps; t++) {
    const pre = matVec(w, state);
    const h = tanh ? pre.map(Math.tanh) : pre;
    state = rescaleIfHuge(h);
    states.push(state);
    stateNorm[t] = Math.min(norm(h), NORM_CEILING);
  }
  // Backward: g_T = u, g_{t−1} = Wᵀ(φ'(a_t) ⊙ g_t), with φ'(a_t) = 1 − h_t² for tanh.
  const gradientNorm = new Float64Array(params.steps + 1);
  let g = unitRandom();
  gradientNorm[params.steps] = norm(g);
  let logScale = 0;
  for (let t = params.steps; t >= 1; t--) {
    const h = states[t]!;
    const local = tanh ? g.map((gi, i) => gi * (1 - h[i]! * h[i]!)) : g;
    g = matTVec(w, local);
    // Keep the vector itself in range and carry its scale as a logarithm, so huge ρ^T stays finite.
    const length = norm(g);
    if (length > 1e100 || (length > 0 && length < 1e-100)) {
      logScale += Math.log(length);
      g = g.map((x) => x / length);
    }
    gradientNorm[t - 1] = Math.min(Math.exp(logScale + Math.log(norm(g) || Number.MIN_VALUE)), NORM_CEILING);
  }
  if (stateNorm.some((v) => v >= NORM_CEILING)) messages.push('‖h_t‖ passed 1e150 and is shown capped there.');
  return { params, eigenvalues, stateNorm, gradientNorm, messages };
}

/** A linear state that grows past 1e150 is scaled down (its norm is already recorded) so later steps stay finite. */
function rescaleIfHuge(h: Float64Array): Float64Array {
  const length = norm(h);
  return length > NORM_CEILING ? h.map((x) => (x / length) * NORM_CEILING) : h;
}

/** Least-squares slope of log y against t over [from, to]: the per-step growth rate log ρ in the linear case. */
export function logSlope(values: ArrayLike<number>, from = 0, to = values.length - 1): number {
  let n = 0;
  let sumT = 0;
  let sumY = 0;
  let sumTT = 0;
  let sumTY = 0;
  for (let t = from; t <= to; t++) {
    const value = values[t];
    if (value === undefined || !(value > 0)) continue;
    const y = Math.log(value);
    n++;
    sumT += t;
    sumY += y;
    sumTT += t * t;
    sumTY += t * y;
  }
  const denominator = n * sumTT - sumT * sumT;
  return denominator === 0 ? 0 : (n * sumTY - sumT * sumY) / denominator;
}
