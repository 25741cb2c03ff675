// Exact rationals as plain data ({ n, d }, reduced, d > 0), so they cross the worker boundary and JSON
// unchanged (a class instance, or fraction.js's BigInt fields, would not). Small integers only: the
// receptive field's jumps and starts, whose numerators and denominators stay far below 2^53.

export interface Rational {
  readonly n: number;
  readonly d: number;
}

/** Euclid's algorithm as a loop (every rational is reduced by it; a recursive call per step cost more). */
function gcd(a: number, b: number): number {
  while (b !== 0) {
    const rest = a % b;
    a = b;
    b = rest;
  }
  return Math.abs(a);
}

/** n/d reduced, with the sign on the numerator; throws on d = 0 or non-integers (a programming error). */
export function rational(n: number, d = 1): Rational {
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d) || d === 0) throw new RangeError(`not a rational: ${n}/${d}`);
  // An integer needs no reduction (+ 0 turns −0 into 0, as the division below does).
  if (d === 1) return { n: n + 0, d: 1 };
  const g = gcd(n, d) || 1;
  const sign = d < 0 ? -1 : 1;
  return { n: (sign * n) / g + 0, d: (sign * d) / g };
}

export const ratFromInt = (n: number): Rational => rational(n, 1);
export const ratAdd = (x: Rational, y: Rational): Rational => rational(x.n * y.d + y.n * x.d, x.d * y.d);
export const ratSub = (x: Rational, y: Rational): Rational => rational(x.n * y.d - y.n * x.d, x.d * y.d);
export const ratMul = (x: Rational, y: Rational): Rational => rational(x.n * y.n, x.d * y.d);
export const ratDiv = (x: Rational, y: Rational): Rational => rational(x.n * y.d, x.d * y.n);
export const ratFloor = (x: Rational): number => Math.floor(x.n / x.d);
export const ratIsInteger = (x: Rational): boolean => x.d === 1;
export const ratToNumber = (x: Rational): number => x.n / x.d;
export const ratEquals = (x: Rational, y: Rational): boolean => x.n === y.n && x.d === y.d;

/**
 * The rational closest to a float with a denominator up to maxDenominator (continued fractions), or
 * undefined when none is within 1e-9: how a Python float such as scale_factor=0.5 becomes 1/2.
 */
export function ratFromNumber(x: number, maxDenominator = 1 << 16): Rational | undefined {
  if (!Number.isFinite(x)) return undefined;
  let [h0, h1, k0, k1] = [0, 1, 1, 0];
  let rest = x;
  for (let i = 0; i < 64; i++) {
    const a = Math.floor(rest);
    [h0, h1] = [h1, a * h1 + h0];
    [k0, k1] = [k1, a * k1 + k0];
    if (k1 > maxDenominator) break;
    if (Math.abs(h1 / k1 - x) <= 1e-9 * Math.max(1, Math.abs(x))) return rational(h1, k1);
    const frac = rest - a;
    if (frac < 1e-15) break;
    rest = 1 / frac;
  }
  return undefined;
}

/** "1/2", "3", "−5/4": how hovers, the summary and the panels print a rational. */
export const formatRational = (x: Rational): string => `${x.n < 0 ? '−' : ''}${Math.abs(x.n)}${x.d === 1 ? '' : `/${x.d}`}`;
