// A small seeded random source shared by every simulation, so a given seed always replays the same run
// in the webview, the tests and the CLI. Mulberry32 for uniforms, Box–Muller for normals.

export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
}

/** Mulberry32 (Tommy Ettinger): 32-bit state, full period 2^32, good enough for plots and Monte Carlo. */
export function createRng(seed: number): Rng {
  let state = normalizeSeed(seed);
  let spareNormal: number | undefined;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    if (spareNormal !== undefined) {
      const value = spareNormal;
      spareNormal = undefined;
      return value;
    }
    // 1 − u lies in (0, 1], so the logarithm stays finite.
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
  return { uniform, normal };
}

/** Any number (negative, fractional, NaN) maps to a valid 32-bit seed, so bad input never breaks a run. */
export function normalizeSeed(seed: number): number {
  return Number.isFinite(seed) ? Math.trunc(seed) | 0 : 0;
}

/** Fills a new array with N(0, std²) samples. */
export function normalArray(rng: Rng, length: number, std = 1): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = std * rng.normal();
  return out;
}

/** Fills a new array with U(−bound, bound) samples. */
export function uniformArray(rng: Rng, length: number, bound: number): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = bound * (2 * rng.uniform() - 1);
  return out;
}
