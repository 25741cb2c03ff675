// GD, heavy-ball momentum and Adam on the 2-D quadratic f(x, y) = ½(λ_x x² + λ_y y²) (notes topics
// gd-least-squares-convergence, momentum, adam). λ_y = λ_max and λ_x = λ_max/κ, so the long valley runs
// along x. Optimizers follow PyTorch's update rules (torch.optim.SGD / Adam), so a user's lr, momentum and
// betas mean here what they mean in their training script.
import { gradientDescentRate, gradientDescentSteps, heavyBallSteps, type Spectrum } from '../formulas/optimization';
import { InputNotes } from './params';

export const OPTIMIZER_METHODS = ['gd', 'momentum', 'adam'] as const;
export type OptimizerMethod = (typeof OPTIMIZER_METHODS)[number];

export interface QuadraticParams {
  readonly lr: number;
  /** Condition number κ = λ_max/λ_min of the Hessian. */
  readonly kappa: number;
  readonly lambdaMax: number;
  /** PyTorch SGD momentum μ (the notes' β is 1 − μ). */
  readonly momentum: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly steps: number;
  readonly start: readonly [number, number];
}

export const DEFAULT_QUADRATIC: QuadraticParams = {
  lr: 0.3,
  kappa: 10,
  lambdaMax: 1,
  momentum: 0.5,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  steps: 100,
  start: [-4, 2],
};

/** Reads untrusted input (sliders, host messages) into valid parameters plus messages. */
export function sanitizeQuadratic(input: Partial<Record<keyof QuadraticParams, unknown>>): { params: QuadraticParams; messages: string[] } {
  const notes = new InputNotes();
  const d = DEFAULT_QUADRATIC;
  const startInput = Array.isArray(input.start) ? input.start : [];
  const params: QuadraticParams = {
    lr: notes.number('lr', input.lr, { min: 1e-6, max: 100, fallback: d.lr }),
    kappa: notes.number('κ', input.kappa, { min: 1, max: 1e4, fallback: d.kappa }),
    lambdaMax: notes.number('λ_max', input.lambdaMax, { min: 1e-3, max: 1e3, fallback: d.lambdaMax }),
    momentum: notes.number('momentum', input.momentum, { min: 0, max: 0.999, fallback: d.momentum }),
    beta1: notes.number('β1', input.beta1, { min: 0, max: 0.9999, fallback: d.beta1 }),
    beta2: notes.number('β2', input.beta2, { min: 0, max: 0.99999, fallback: d.beta2 }),
    eps: notes.number('ε', input.eps, { min: 1e-12, max: 1, fallback: d.eps }),
    steps: notes.number('steps', input.steps, { min: 1, max: 5000, fallback: d.steps, integer: true }),
    start: [
      notes.number('x₀', startInput[0], { min: -100, max: 100, fallback: d.start[0] }),
      notes.number('y₀', startInput[1], { min: -100, max: 100, fallback: d.start[1] }),
    ],
  };
  return { params, messages: notes.messages };
}

export interface Curvatures {
  readonly lambdaX: number;
  readonly lambdaY: number;
}

export const curvatures = (p: Pick<QuadraticParams, 'kappa' | 'lambdaMax'>): Curvatures => ({ lambdaX: p.lambdaMax / p.kappa, lambdaY: p.lambdaMax });

export const quadraticLoss = (c: Curvatures, x: number, y: number): number => 0.5 * (c.lambdaX * x * x + c.lambdaY * y * y);

/** The stability and optimality numbers the panel states next to the plot. */
export interface QuadraticTheory {
  /** GD converges iff 0 < η < 2/λ_max. */
  readonly gdStableBelow: number;
  /** GD is monotone (no sign flips) iff η ≤ 1/λ_max. */
  readonly gdMonotoneUpTo: number;
  /** η* = 2/(λ_min + λ_max). */
  readonly gdOptimalLr: number;
  /** ρ* = (κ − 1)/(κ + 1). */
  readonly gdOptimalRate: number;
  /** Heavy ball (PyTorch form) converges iff 0 < lr·λ < 2(1 + μ) for every λ. */
  readonly momentumStableBelow: number;
  /** Polyak's optimum: lr* = 4/(√λ_max + √λ_min)², μ* = ((√κ − 1)/(√κ + 1))², rate √μ*. */
  readonly momentumOptimalLr: number;
  readonly momentumOptimalMomentum: number;
  readonly momentumOptimalRate: number;
  /** The contraction factor of plain GD at the chosen lr: max_i |1 − ηλ_i|. */
  readonly gdRateAtLr: number;
}

export const spectrumOf = (p: Pick<QuadraticParams, 'kappa' | 'lambdaMax'>): Spectrum => ({ lambdaMin: p.lambdaMax / p.kappa, lambdaMax: p.lambdaMax });

/** The bounds come from the shared formulas (src/core/formulas/optimization.ts). */
export function quadraticTheory(p: Pick<QuadraticParams, 'kappa' | 'lambdaMax' | 'momentum' | 'lr'>): QuadraticTheory {
  const spectrum = spectrumOf(p);
  const gd = gradientDescentSteps(spectrum);
  const heavyBall = heavyBallSteps(spectrum, p.momentum);
  return {
    gdStableBelow: gd.stableBound,
    gdMonotoneUpTo: gd.monotoneBound,
    gdOptimalLr: gd.optimalStep,
    gdOptimalRate: gd.optimalRate,
    momentumStableBelow: heavyBall.stableBound,
    momentumOptimalLr: heavyBall.optimalStep,
    momentumOptimalMomentum: heavyBall.optimalMomentum,
    momentumOptimalRate: heavyBall.optimalRate,
    gdRateAtLr: gradientDescentRate(spectrum, p.lr),
  };
}

/**
 * Heavy ball's per-step contraction along one eigendirection: the spectral radius of e_{t+1} = (1 + μ − lr·λ)e_t − μ·e_{t−1},
 * i.e. the larger |root| of r² − (1 + μ − lr·λ)r + μ. Complex roots have |r|² = μ.
 */
export function heavyBallRate(lr: number, momentum: number, lambda: number): number {
  const b = 1 + momentum - lr * lambda;
  const discriminant = b * b - 4 * momentum;
  if (discriminant < 0) return Math.sqrt(momentum);
  const root = Math.sqrt(discriminant);
  return Math.max(Math.abs((b + root) / 2), Math.abs((b - root) / 2));
}

export interface Trajectory {
  readonly method: OptimizerMethod;
  /** Positions for steps 0..n (n ≤ steps when the run diverged and was cut). */
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly loss: Float64Array;
  /** The step at which |w| passed the divergence threshold, if it did. */
  readonly divergedAt: number | undefined;
}

/** Past this distance from the minimum a run counts as diverged and stops, before numbers overflow. */
export const DIVERGENCE_RADIUS = 1e8;

interface OptimizerState {
  step(gx: number, gy: number, t: number): [number, number];
}

type StepFactory = (p: QuadraticParams) => OptimizerState;

/** Each method returns the update Δw for gradient g at step t (1-based), holding its own buffers. */
const STEP_FACTORIES: Readonly<Record<OptimizerMethod, StepFactory>> = {
  gd: (p) => ({ step: (gx, gy) => [-p.lr * gx, -p.lr * gy] }),
  momentum: (p) => {
    // torch.optim.SGD: the first step sets the buffer to g, then v ← μv + g (dampening 0), w ← w − lr·v.
    let vx = 0;
    let vy = 0;
    return {
      step: (gx, gy) => {
        vx = p.momentum * vx + gx;
        vy = p.momentum * vy + gy;
        return [-p.lr * vx, -p.lr * vy];
      },
    };
  },
  adam: (p) => {
    let mx = 0;
    let my = 0;
    let vx = 0;
    let vy = 0;
    return {
      step: (gx, gy, t) => {
        mx = p.beta1 * mx + (1 - p.beta1) * gx;
        my = p.beta1 * my + (1 - p.beta1) * gy;
        vx = p.beta2 * vx + (1 - p.beta2) * gx * gx;
        vy = p.beta2 * vy + (1 - p.beta2) * gy * gy;
        const c1 = 1 - p.beta1 ** t;
        const c2 = 1 - p.beta2 ** t;
        // torch.optim.Adam: denom = √v̂ + ε with v̂ = v/(1 − β2^t), step = lr·m̂/denom.
        return [(-p.lr * (mx / c1)) / (Math.sqrt(vx / c2) + p.eps), (-p.lr * (my / c1)) / (Math.sqrt(vy / c2) + p.eps)];
      },
    };
  },
};

export function runOptimizer(method: OptimizerMethod, p: QuadraticParams): Trajectory {
  const c = curvatures(p);
  const optimizer = STEP_FACTORIES[method](p);
  const xs = new Float64Array(p.steps + 1);
  const ys = new Float64Array(p.steps + 1);
  const losses = new Float64Array(p.steps + 1);
  let [x, y] = p.start;
  xs[0] = x;
  ys[0] = y;
  losses[0] = quadraticLoss(c, x, y);
  for (let t = 1; t <= p.steps; t++) {
    const [dx, dy] = optimizer.step(c.lambdaX * x, c.lambdaY * y, t);
    x += dx;
    y += dy;
    if (!(Math.hypot(x, y) < DIVERGENCE_RADIUS)) {
      return { method, x: xs.slice(0, t), y: ys.slice(0, t), loss: losses.slice(0, t), divergedAt: t };
    }
    xs[t] = x;
    ys[t] = y;
    losses[t] = quadraticLoss(c, x, y);
  }
  return { method, x: xs, y: ys, loss: losses, divergedAt: undefined };
}

export interface QuadraticRun {
  readonly params: QuadraticParams;
  readonly theory: QuadraticTheory;
  readonly trajectories: readonly Trajectory[];
  readonly messages: readonly string[];
}

/** The whole simulation for one set of (untrusted) inputs. */
export function simulateQuadratic(input: Partial<Record<keyof QuadraticParams, unknown>>, methods: readonly OptimizerMethod[] = OPTIMIZER_METHODS): QuadraticRun {
  const { params, messages } = sanitizeQuadratic(input);
  return { params, theory: quadraticTheory(params), trajectories: methods.map((m) => runOptimizer(m, params)), messages };
}

/** Host-provided optimizer settings (parsed from `optim.SGD(...)` / `optim.Adam(...)`) as simulation inputs. */
export function quadraticInputFromOptimizer(init: { lr?: number; momentum?: number; betas?: readonly number[]; eps?: number }): Partial<QuadraticParams> {
  const input: { -readonly [K in keyof QuadraticParams]?: QuadraticParams[K] } = {};
  if (init.lr !== undefined) input.lr = init.lr;
  if (init.momentum !== undefined) input.momentum = init.momentum;
  if (Array.isArray(init.betas) && init.betas.length === 2) [input.beta1, input.beta2] = [init.betas[0], init.betas[1]];
  if (init.eps !== undefined) input.eps = init.eps;
  return input;
}
