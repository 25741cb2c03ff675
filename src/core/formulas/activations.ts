// The activation functions as PyTorch defines them (torch.nn.ReLU, LeakyReLU, ELU, SELU, GELU, SiLU, Mish,
// Softplus, Tanh, Sigmoid with their default arguments), their slopes, and the Gaussian expectations the
// variance analyses need (notes topics weight-init-xavier-he, activation-functions). Written once: the
// init-std calculator, the editor's variance chain, CC-13 and the activation-variance simulation use these.

export const ACTIVATION_NAMES = ['linear', 'relu', 'leaky_relu', 'elu', 'selu', 'gelu', 'silu', 'mish', 'softplus', 'tanh', 'sigmoid'] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

export const isActivationName = (name: string): name is ActivationName => (ACTIVATION_NAMES as readonly string[]).includes(name);

/** nn.LeakyReLU's default negative_slope. */
export const DEFAULT_NEGATIVE_SLOPE = 0.01;
/** nn.ELU's default alpha. */
export const DEFAULT_ELU_ALPHA = 1;
/** SELU's constants (Klambauer et al. 2017), as torch.nn.SELU uses them. */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;
/** nn.Softplus returns z itself above this (beta = 1). */
const SOFTPLUS_THRESHOLD = 20;

/** The error function, from erfcx without cancellation for large |x| (math.erf in model code's init helpers). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return -erf(-x);
  return 1 - Math.exp(-x * x) * erfcx(x);
}

/** erfcx(x) = exp(x²)·erfc(x), accurate to ~1e-14 relative for every finite x (overflows only for x < −26). */
export function erfcx(x: number): number {
  if (x < 0) return 2 * Math.exp(x * x) - erfcx(-x);
  if (x < 2) {
    // erf(x) = 2/√π·exp(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)): positive terms, so no cancellation.
    let term = x;
    let sum = x;
    for (let n = 1; n < 200 && term > 1e-17 * sum; n++) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
    }
    return Math.exp(x * x) - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Laplace's continued fraction erfc(x) = exp(−x²)/√π · 1/(x + (1/2)/(x + (2/2)/(x + (3/2)/(x + …)))).
  let t = x;
  for (let k = 60; k >= 1; k--) t = x + k / 2 / t;
  return 1 / (Math.sqrt(Math.PI) * t);
}

/** erfc(x) = 1 − erf(x), with full relative accuracy in the right tail. */
export const erfc = (x: number): number => (x < 0 ? 2 - erfc(-x) : x > 26.6 ? 0 : Math.exp(-x * x) * erfcx(x));

/** The standard normal density φ(z) and distribution Φ(z). */
export const standardNormalDensity = (z: number): number => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
export const standardNormalCdf = (z: number): number => 0.5 * erfc(-z / Math.SQRT2);

const logistic = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
const softplus = (z: number): number => (z > SOFTPLUS_THRESHOLD ? z : z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));
const eluOf = (z: number, alpha: number): number => (z > 0 ? z : alpha * Math.expm1(z));

interface ActivationDefinition {
  /** φ(z); `param` is LeakyReLU's negative slope or ELU's alpha. */
  readonly value: (z: number, param: number) => number;
  /** φ'(z) (PyTorch's backward: 0 at z = 0 for ReLU). */
  readonly slope: (z: number, param: number) => number;
  readonly defaultParam: number;
  /** E[φ(z)²] for z ~ N(0, q) in closed form, where one exists. */
  readonly secondMoment?: (q: number, param: number) => number;
}

/** E[elu_α(z)²], z ~ N(0, q): q/2 + α²·(e^(2q)Φ(−2σ) − 2e^(q/2)Φ(−σ) + ½), with e^(x²/2)Φ(−x) = ½erfcx(x/√2). */
const eluSecondMoment = (q: number, alpha: number): number => {
  const sigma = Math.sqrt(q);
  return q / 2 + alpha * alpha * (0.5 * erfcx(Math.SQRT2 * sigma) - erfcx(sigma / Math.SQRT2) + 0.5);
};

const DEFINITIONS: Readonly<Record<ActivationName, ActivationDefinition>> = {
  linear: { value: (z) => z, slope: () => 1, defaultParam: 0, secondMoment: (q) => q },
  relu: { value: (z) => (z > 0 ? z : 0), slope: (z) => (z > 0 ? 1 : 0), defaultParam: 0, secondMoment: (q) => q / 2 },
  leaky_relu: {
    value: (z, a) => (z > 0 ? z : a * z),
    slope: (z, a) => (z > 0 ? 1 : a),
    defaultParam: DEFAULT_NEGATIVE_SLOPE,
    secondMoment: (q, a) => ((1 + a * a) * q) / 2,
  },
  elu: { value: eluOf, slope: (z, alpha) => (z > 0 ? 1 : alpha * Math.exp(z)), defaultParam: DEFAULT_ELU_ALPHA, secondMoment: eluSecondMoment },
  selu: {
    value: (z) => SELU_SCALE * eluOf(z, SELU_ALPHA),
    slope: (z) => SELU_SCALE * (z > 0 ? 1 : SELU_ALPHA * Math.exp(z)),
    defaultParam: 0,
    secondMoment: (q) => SELU_SCALE * SELU_SCALE * eluSecondMoment(q, SELU_ALPHA),
  },
  // nn.GELU's default is the exact z·Φ(z). By Stein's lemma E[z²Φ(z)²] = q·(¼ + asin(q/(1+q))/(2π) + q/(π(1+q)√(1+2q))).
  gelu: {
    value: (z) => z * standardNormalCdf(z),
    slope: (z) => standardNormalCdf(z) + z * standardNormalDensity(z),
    defaultParam: 0,
    secondMoment: (q) => q * (0.25 + Math.asin(q / (1 + q)) / (2 * Math.PI) + q / (Math.PI * (1 + q) * Math.sqrt(1 + 2 * q))),
  },
  silu: { value: (z) => z * logistic(z), slope: (z) => logistic(z) * (1 + z * (1 - logistic(z))), defaultParam: 0 },
  mish: {
    value: (z) => z * Math.tanh(softplus(z)),
    slope: (z) => {
      const t = Math.tanh(softplus(z));
      return t + z * (1 - t * t) * logistic(z);
    },
    defaultParam: 0,
  },
  softplus: { value: softplus, slope: (z) => (z > SOFTPLUS_THRESHOLD ? 1 : logistic(z)), defaultParam: 0 },
  tanh: { value: Math.tanh, slope: (z) => 1 - Math.tanh(z) ** 2, defaultParam: 0 },
  sigmoid: { value: logistic, slope: (z) => logistic(z) * (1 - logistic(z)), defaultParam: 0 },
};

/** φ(z) of a named activation with PyTorch's defaults (param: LeakyReLU's slope or ELU's alpha). */
export const activationValue = (name: ActivationName, z: number, param?: number): number => DEFINITIONS[name].value(z, param ?? DEFINITIONS[name].defaultParam);

/** φ'(z) of a named activation. */
export const activationSlope = (name: ActivationName, z: number, param?: number): number => DEFINITIONS[name].slope(z, param ?? DEFINITIONS[name].defaultParam);

// 8-point Gauss–Legendre nodes and weights on [−1, 1].
const LEGENDRE_NODES = [0.18343464249564978, 0.525532409916329, 0.7966664774136267, 0.9602898564975362];
const LEGENDRE_WEIGHTS = [0.36268378337836177, 0.31370664587788705, 0.22238103445337434, 0.10122853629037669];
/** Where the activations' own features end: beyond |z| = 40 each is linear or constant to double precision. */
const FEATURE_EXTENT = 40;
/** The Gaussian beyond 9σ carries e^(−40.5) of the mass: below double precision. */
const TAIL_SIGMAS = 9;

/**
 * E[f(z)] for z ~ N(0, q), by composite 8-point Gauss–Legendre on cells of width min(σ, 4)/4 where the
 * activations have features (|z| < 40) and σ/4 beyond, out to 9σ. Gauss–Hermite alone is exact for σ ≲ 1
 * but misses tanh's and sigmoid's unit-scale bend once σ ≫ 1 (3% off at σ = 10 with 128 nodes): the cells
 * resolve both scales. z = 0 is a cell edge, so ReLU's kink and its slope's jump cost no accuracy.
 */
export function gaussianExpectation(f: (z: number) => number, q: number): number {
  if (!(q > 0)) return f(0);
  const sigma = Math.sqrt(q);
  const end = TAIL_SIGMAS * sigma;
  const fine = Math.min(sigma, 4) / 4;
  const halves: [number, number, number][] = end > FEATURE_EXTENT ? [[0, FEATURE_EXTENT, fine], [FEATURE_EXTENT, end, sigma / 4]] : [[0, end, fine]];
  let sum = 0;
  for (const [from, to, width] of halves) {
    const cells = Math.max(1, Math.round((to - from) / width));
    const h = (to - from) / cells;
    for (let c = 0; c < cells; c++) {
      const centre = from + (c + 0.5) * h;
      for (let i = 0; i < LEGENDRE_NODES.length; i++) {
        const weight = (LEGENDRE_WEIGHTS[i]! * h) / 2;
        for (const z of [centre - (LEGENDRE_NODES[i]! * h) / 2, centre + (LEGENDRE_NODES[i]! * h) / 2]) {
          sum += weight * (f(z) + f(-z)) * standardNormalDensity(z / sigma);
        }
      }
    }
  }
  return sum / sigma;
}

/** E[φ(z)²] for z ~ N(0, q): the next layer's pre-activation variance per unit of fan_in·Var(W). */
export function activationSecondMoment(name: ActivationName, q: number, param?: number): number {
  const definition = DEFINITIONS[name];
  const p = param ?? definition.defaultParam;
  if (!(q > 0)) return definition.value(0, p) ** 2;
  if (definition.secondMoment) return definition.secondMoment(q, p);
  return gaussianExpectation((z) => definition.value(z, p) ** 2, q);
}

/** E[φ(z)] for z ~ N(0, q). */
export const activationMean = (name: ActivationName, q: number, param?: number): number =>
  gaussianExpectation((z) => activationValue(name, z, param), q);

/** E[φ'(z)²] for z ~ N(0, q): the backward pass's per-layer factor. */
export const activationSlopeSecondMoment = (name: ActivationName, q: number, param?: number): number =>
  gaussianExpectation((z) => activationSlope(name, z, param) ** 2, q);
