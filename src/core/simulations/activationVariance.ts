// Activation and gradient spread through a deep stack of fully connected layers (notes topic
// weight-init-xavier-he): a seeded forward pass of a batch through random weight matrices, then a backward
// pass of a random upstream gradient, beside the mean-field theory curve. Biases are zero, as in the
// PyTorch measurements of test/oracle/formulas/activation-variance.test.ts.
import type { InitSpec } from '../frameworks/types';
import { ACTIVATION_NAMES, activationSecondMoment, activationSlope, activationSlopeSecondMoment, activationValue, gaussianExpectation, type ActivationName } from '../formulas/activations';
import { calculateGain, type GainNonlinearity, isGainNonlinearity, kaimingSpread, pytorchDefaultSpread, xavierSpread } from '../formulas/init';
import { applyReflections, applyReflectionsTransposed, randomReflections, type Reflections } from './linalg';
import { InputNotes } from './params';
import { createRng, normalizeSeed, type Rng } from './random';

export const ACTIVATIONS = ACTIVATION_NAMES;
export type Activation = ActivationName;

/** The init schemes of the panel's menu; each resolves to a concrete weight distribution per layer. */
export const INIT_SCHEMES = ['default', 'xavier', 'xavier_gain', 'kaiming', 'orthogonal', 'custom'] as const;
export type InitScheme = (typeof INIT_SCHEMES)[number];

export const INIT_SCHEME_LABELS: Readonly<Record<InitScheme, string>> = {
  default: 'PyTorch default (kaiming_uniform_, a=√5)',
  xavier: 'Xavier uniform (gain 1)',
  xavier_gain: 'Xavier uniform (gain of the activation)',
  kaiming: 'Kaiming normal (fan_in, gain √2)',
  orthogonal: 'Orthogonal (gain 1)',
  custom: 'Normal with a custom std',
};

/** A concrete weight distribution. */
export type WeightDistribution =
  | { readonly kind: 'uniform'; readonly bound: number }
  | { readonly kind: 'normal'; readonly std: number }
  | { readonly kind: 'orthogonal'; readonly gain: number };

export interface DenseLayer {
  readonly fanIn: number;
  readonly fanOut: number;
  readonly weights: WeightDistribution;
  readonly activation: Activation;
}

/** calculate_gain's name for an activation; GELU, SiLU, Mish, ELU and Softplus have none, ReLU's is the usual stand-in. */
const gainNameOf = (activation: Activation): GainNonlinearity => (isGainNonlinearity(activation) ? activation : 'relu');

export const activationGain = (activation: Activation): number => calculateGain(gainNameOf(activation));

/** The weight distribution a scheme gives a layer, as torch.nn.init computes it. */
export function schemeDistribution(scheme: InitScheme, fanIn: number, fanOut: number, activation: Activation, customStd: number): WeightDistribution {
  const fans = { fanIn, fanOut };
  switch (scheme) {
    case 'default':
      return { kind: 'uniform', bound: pytorchDefaultSpread(fanIn).uniformBound };
    case 'xavier':
      return { kind: 'uniform', bound: xavierSpread(fans, 1).uniformBound };
    case 'xavier_gain':
      return { kind: 'uniform', bound: xavierSpread(fans, activationGain(activation)).uniformBound };
    case 'kaiming':
      return { kind: 'normal', std: kaimingSpread(fanIn, Math.SQRT2).std };
    case 'orthogonal':
      return { kind: 'orthogonal', gain: 1 };
    case 'custom':
      return { kind: 'normal', std: customStd };
  }
}

/** The distribution of an InitSpec the core resolved from the user's model; undefined when it has none. */
export function initSpecDistribution(spec: InitSpec, fanIn: number, fanOut: number): WeightDistribution | undefined {
  switch (spec.kind) {
    case 'kaiming_uniform': {
      const gain = calculateGain('leaky_relu', spec.a);
      return { kind: 'uniform', bound: kaimingSpread(spec.mode === 'fan_in' ? fanIn : fanOut, gain).uniformBound };
    }
    case 'uniform':
      // Only symmetric uniforms are simulated; an offset would need a mean term the panel does not show.
      return { kind: 'uniform', bound: Math.max(Math.abs(spec.low), Math.abs(spec.high)) };
    case 'normal':
      return { kind: 'normal', std: spec.std };
    case 'xavier_uniform':
      return { kind: 'uniform', bound: xavierSpread({ fanIn, fanOut }, spec.gain).uniformBound };
    case 'xavier_normal':
      return { kind: 'normal', std: xavierSpread({ fanIn, fanOut }, spec.gain).std };
    case 'orthogonal':
      return { kind: 'orthogonal', gain: spec.gain };
    case 'constant':
      return { kind: 'normal', std: 0 };
    case 'unknown':
      return undefined;
  }
}

/** E[w²] of one entry; for an orthogonal (semi-orthogonal) matrix the average over entries. */
export function weightSecondMoment(w: WeightDistribution, fanIn: number, fanOut: number): number {
  if (w.kind === 'uniform') return (w.bound * w.bound) / 3;
  if (w.kind === 'normal') return w.std * w.std;
  return (w.gain * w.gain * Math.min(fanIn, fanOut)) / (fanIn * fanOut);
}

export interface VarianceParams {
  readonly width: number;
  readonly depth: number;
  readonly batch: number;
  readonly init: InitScheme;
  readonly activation: Activation;
  readonly customStd: number;
  readonly inputStd: number;
  readonly seed: number;
}

export const DEFAULT_VARIANCE: VarianceParams = {
  width: 256,
  depth: 20,
  batch: 64,
  init: 'default',
  activation: 'relu',
  customStd: 0.05,
  inputStd: 1,
  seed: 1,
};

/** Host-provided layers: snake_case as the core's analysis reports them. */
export interface HostLayer {
  readonly fan_in: number;
  readonly fan_out: number;
  readonly init: InitScheme | InitSpec;
  readonly activation: string;
}

export interface VarianceSetup {
  readonly params: VarianceParams;
  readonly layers: readonly DenseLayer[];
  readonly messages: readonly string[];
}

const MAX_WIDTH = 2048;
const MAX_DEPTH = 200;
/** batch·Σ fan_in·fan_out above this would freeze the panel for seconds. */
const MAX_WORK = 2e9;

export function sanitizeVariance(input: Partial<Record<keyof VarianceParams, unknown>>, hostLayers?: readonly unknown[]): VarianceSetup {
  const notes = new InputNotes();
  const d = DEFAULT_VARIANCE;
  const params: VarianceParams = {
    width: notes.number('width', input.width, { min: 1, max: MAX_WIDTH, fallback: d.width, integer: true }),
    depth: notes.number('depth', input.depth, { min: 1, max: MAX_DEPTH, fallback: d.depth, integer: true }),
    batch: notes.number('batch', input.batch, { min: 2, max: 1024, fallback: d.batch, integer: true }),
    init: notes.choice('init', input.init, INIT_SCHEMES, d.init),
    activation: notes.choice('activation', input.activation, ACTIVATIONS, d.activation),
    customStd: notes.number('custom std', input.customStd, { min: 0, max: 10, fallback: d.customStd }),
    inputStd: notes.number('input std', input.inputStd, { min: 1e-3, max: 100, fallback: d.inputStd }),
    seed: normalizeSeed(notes.number('seed', input.seed, { min: -(2 ** 31), max: 2 ** 31 - 1, fallback: d.seed, integer: true })),
  };
  const fromHost = Array.isArray(hostLayers) && hostLayers.length > 0 ? layersFromHost(hostLayers, params, notes) : undefined;
  let layers = fromHost ?? uniformStack(params);
  const work = params.batch * layers.reduce((sum, l) => sum + l.fanIn * l.fanOut, 0);
  if (work > MAX_WORK) {
    notes.note(`The stack is too large to simulate interactively (${work.toExponential(1)} multiply-adds); using the default stack instead.`);
    layers = uniformStack({ ...params, width: d.width, depth: d.depth });
  }
  return { params, layers, messages: notes.messages };
}

function uniformStack(p: VarianceParams): DenseLayer[] {
  return Array.from({ length: p.depth }, () => ({
    fanIn: p.width,
    fanOut: p.width,
    weights: schemeDistribution(p.init, p.width, p.width, p.activation, p.customStd),
    activation: p.activation,
  }));
}

function layersFromHost(hostLayers: readonly unknown[], p: VarianceParams, notes: InputNotes): DenseLayer[] | undefined {
  const layers: DenseLayer[] = [];
  for (const [index, raw] of hostLayers.slice(0, MAX_DEPTH).entries()) {
    // Host data crosses a message boundary: a missing or malformed layer falls back field by field.
    const layer: Partial<HostLayer> = typeof raw === 'object' && raw !== null ? (raw as Partial<HostLayer>) : {};
    const fanIn = notes.number(`layer ${index + 1} fan_in`, layer.fan_in, { min: 1, max: MAX_WIDTH, fallback: p.width, integer: true });
    const fanOut = notes.number(`layer ${index + 1} fan_out`, layer.fan_out, { min: 1, max: MAX_WIDTH, fallback: p.width, integer: true });
    const activation = notes.choice(`layer ${index + 1} activation`, layer.activation, ACTIVATIONS, 'linear');
    const init = layer.init;
    const weights =
      typeof init === 'object' && init !== null && typeof init.kind === 'string'
        ? (initSpecDistribution(init, fanIn, fanOut) ?? schemeDistribution('default', fanIn, fanOut, activation, p.customStd))
        : schemeDistribution(notes.choice(`layer ${index + 1} init`, init, INIT_SCHEMES, 'default'), fanIn, fanOut, activation, p.customStd);
    const previous = layers.at(-1);
    if (previous !== undefined && previous.fanOut !== fanIn) {
      notes.note(`Layer ${index + 1} takes ${fanIn} inputs but layer ${index} gives ${previous.fanOut}; the model's own layers cannot be chained, so the default stack is shown.`);
      return undefined;
    }
    layers.push({ fanIn, fanOut, weights, activation });
  }
  return layers;
}

export interface VarianceResult {
  /** Std of the activations after each layer (index 0 is the input), by simulation. */
  readonly activationStd: Float64Array;
  /** The same by mean-field theory (Gaussian pre-activations, E over z ~ N(0, q)). */
  readonly activationStdTheory: Float64Array;
  /** Std of ∂L/∂(input of layer l+1) for a unit-variance upstream gradient at the top; index depth is the top. */
  readonly gradientStd: Float64Array;
  readonly gradientStdTheory: Float64Array;
}

/** Mean-field recursion: q_l = fan_in·E[w²]·E[a_{l−1}²]; Var(a_l) = E[φ(z)²] − E[φ(z)]² with z ~ N(0, q_l). */
export function theoryCurves(layers: readonly DenseLayer[], inputStd: number): Pick<VarianceResult, 'activationStdTheory' | 'gradientStdTheory'> {
  const activationStdTheory = new Float64Array(layers.length + 1);
  const preactivationVariance: number[] = [];
  activationStdTheory[0] = inputStd;
  let secondMoment = inputStd * inputStd;
  layers.forEach((layer, l) => {
    const q = layer.fanIn * weightSecondMoment(layer.weights, layer.fanIn, layer.fanOut) * secondMoment;
    preactivationVariance.push(q);
    const mean = gaussianExpectation((z) => activationValue(layer.activation, z), q);
    secondMoment = activationSecondMoment(layer.activation, q);
    activationStdTheory[l + 1] = Math.sqrt(Math.max(0, secondMoment - mean * mean));
  });
  const gradientStdTheory = new Float64Array(layers.length + 1);
  gradientStdTheory[layers.length] = 1;
  let gradientVariance = 1;
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l]!;
    const slopeSquared = activationSlopeSecondMoment(layer.activation, preactivationVariance[l]!);
    gradientVariance *= layer.fanOut * weightSecondMoment(layer.weights, layer.fanIn, layer.fanOut) * slopeSquared;
    gradientStdTheory[l] = Math.sqrt(gradientVariance);
  }
  return { activationStdTheory, gradientStdTheory };
}

/** Population std of all entries. */
export function standardDeviation(values: Float64Array): number {
  let mean = 0;
  for (const value of values) mean += value;
  mean /= values.length;
  let sum = 0;
  for (const value of values) sum += (value - mean) ** 2;
  return Math.sqrt(sum / values.length);
}

/** One layer's weights, sampled from its own seeded stream so the backward pass can re-create them. */
type LayerWeights = { readonly kind: 'dense'; readonly data: Float64Array } | { readonly kind: 'orthogonal'; readonly q: Reflections; readonly gain: number };

function sampleWeights(layer: DenseLayer, rng: Rng): LayerWeights {
  const w = layer.weights;
  if (w.kind === 'orthogonal') return { kind: 'orthogonal', q: randomReflections(rng, Math.max(layer.fanIn, layer.fanOut)), gain: w.gain };
  const data = new Float64Array(layer.fanIn * layer.fanOut);
  if (w.kind === 'uniform') for (let i = 0; i < data.length; i++) data[i] = w.bound * (2 * rng.uniform() - 1);
  else for (let i = 0; i < data.length; i++) data[i] = w.std * rng.normal();
  return { kind: 'dense', data };
}

/** Rows [from, to) of x (batch × fanIn) times Wᵀ (W is fanOut × fanIn), written into z (batch × fanOut). */
function forwardRows(layer: DenseLayer, weights: LayerWeights, x: Float64Array, z: Float64Array, from: number, to: number): void {
  const { fanIn, fanOut } = layer;
  if (weights.kind === 'orthogonal') {
    const size = weights.q.size;
    for (let b = from; b < to; b++) {
      const padded = new Float64Array(size);
      padded.set(x.subarray(b * fanIn, (b + 1) * fanIn));
      applyReflections(weights.q, padded);
      for (let o = 0; o < fanOut; o++) z[b * fanOut + o] = weights.gain * padded[o]!;
    }
    return;
  }
  const w = weights.data;
  for (let b = from; b < to; b++) {
    const xOffset = b * fanIn;
    for (let o = 0; o < fanOut; o++) {
      const wOffset = o * fanIn;
      let sum = 0;
      for (let i = 0; i < fanIn; i++) sum += w[wOffset + i]! * x[xOffset + i]!;
      z[b * fanOut + o] = sum;
    }
  }
}

/** Rows [from, to) of g (batch × fanOut) times W, written into out (batch × fanIn, zero-filled). */
function backwardRows(layer: DenseLayer, weights: LayerWeights, g: Float64Array, out: Float64Array, from: number, to: number): void {
  const { fanIn, fanOut } = layer;
  if (weights.kind === 'orthogonal') {
    const size = weights.q.size;
    for (let b = from; b < to; b++) {
      const padded = new Float64Array(size);
      for (let o = 0; o < fanOut; o++) padded[o] = weights.gain * g[b * fanOut + o]!;
      applyReflectionsTransposed(weights.q, padded);
      out.set(padded.subarray(0, fanIn), b * fanIn);
    }
    return;
  }
  const w = weights.data;
  for (let b = from; b < to; b++) {
    const outOffset = b * fanIn;
    for (let o = 0; o < fanOut; o++) {
      const go = g[b * fanOut + o]!;
      if (go === 0) continue;
      const wOffset = o * fanIn;
      for (let i = 0; i < fanIn; i++) out[outOffset + i]! += go * w[wOffset + i]!;
    }
  }
}

/** Multiply-adds one step may do: about a millisecond of V8 on an unloaded core. */
const WORK_PER_STEP = 1 << 20;

/** Runs a row-wise product in chunks of rows, yielding between chunks. */
function* inRowChunks(batch: number, rowCost: number, work: (from: number, to: number) => void): Generator<void, void, void> {
  const rowsPerStep = Math.max(1, Math.floor(WORK_PER_STEP / Math.max(1, rowCost)));
  for (let from = 0; from < batch; from += rowsPerStep) {
    work(from, Math.min(batch, from + rowsPerStep));
    yield;
  }
}

/** Layer l's weights come from their own stream, so forward and backward see the same matrix without storing it. */
const layerSeed = (seed: number, layer: number): number => (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(layer + 1, 0xc2b2ae35)) | 0;

/**
 * The simulation as a sequence of bounded steps (weight sampling, then chunks of batch rows, forward then
 * backward), so the panel can spread a large stack over animation frames and stay under 16 ms per frame.
 * Each yield reports the fraction done.
 */
export function* varianceSteps(setup: VarianceSetup): Generator<number, VarianceResult, void> {
  const { layers, params } = setup;
  const batch = params.batch;
  const inputRng = createRng(params.seed);
  const progress = (phase: number, l: number): number => (phase * layers.length + l) / (2 * layers.length);
  let x: Float64Array = new Float64Array(batch * (layers[0]?.fanIn ?? 0));
  for (let i = 0; i < x.length; i++) x[i] = params.inputStd * inputRng.normal();
  const activationStd = new Float64Array(layers.length + 1);
  activationStd[0] = standardDeviation(x);
  const preactivations: Float64Array[] = [];
  for (const [l, layer] of layers.entries()) {
    const weights = sampleWeights(layer, createRng(layerSeed(params.seed, l)));
    yield progress(0, l);
    const z = new Float64Array(batch * layer.fanOut);
    const input = x;
    for (const _ of inRowChunks(batch, layer.fanIn * layer.fanOut, (from, to) => forwardRows(layer, weights, input, z, from, to))) yield progress(0, l + 0.5);
    preactivations.push(z);
    x = z.map((zi) => activationValue(layer.activation, zi));
    activationStd[l + 1] = standardDeviation(x);
  }
  const gradientStd = new Float64Array(layers.length + 1);
  let g: Float64Array = new Float64Array(batch * (layers.at(-1)?.fanOut ?? 0));
  for (let i = 0; i < g.length; i++) g[i] = inputRng.normal();
  gradientStd[layers.length] = standardDeviation(g);
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l]!;
    const z = preactivations[l]!;
    const local = g.map((gi, i) => gi * activationSlope(layer.activation, z[i]!));
    const weights = sampleWeights(layer, createRng(layerSeed(params.seed, l)));
    yield progress(1, layers.length - 1 - l);
    const out = new Float64Array(batch * layer.fanIn);
    for (const _ of inRowChunks(batch, layer.fanIn * layer.fanOut, (from, to) => backwardRows(layer, weights, local, out, from, to))) yield progress(1, layers.length - 0.5 - l);
    g = out;
    gradientStd[l] = standardDeviation(g);
  }
  return { activationStd, gradientStd, ...theoryCurves(layers, params.inputStd) };
}

/** Runs all steps at once (tests, CLI). */
export function simulateVariance(setup: VarianceSetup): VarianceResult {
  const steps = varianceSteps(setup);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}
