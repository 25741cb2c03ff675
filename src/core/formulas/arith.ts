// The arithmetic a formula is written against. A formula written once over `Arith<T>` runs on plain
// numbers (calculators), on symbolic dims (the interpreter) and on text (hovers that show the
// substituted formula), so each formula lives in exactly one place.

export interface Arith<T> {
  lit(n: number): T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  /** Python `a // b`. */
  floorDiv(a: T, b: T): T;
  ceilDiv(a: T, b: T): T;
  /** a >= b when decidable, undefined when it depends on unknown values. */
  greaterOrEqual(a: T, b: T): boolean | undefined;
}

export const numberArith: Arith<number> = {
  lit: (n) => n,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  floorDiv: (a, b) => Math.floor(a / b),
  ceilDiv: (a, b) => Math.ceil(a / b),
  greaterOrEqual: (a, b) => a >= b,
};

/**
 * Renders the formula with its numbers substituted, in Unicode math: `⌊(224 + 2·3 − 1·(7 − 1) − 1)/2⌋ + 1`.
 * Comparisons are undecidable on text, so formulas must not branch on them for display.
 */
export const textArith: Arith<string> = {
  lit: (n) => (n < 0 ? `(−${-n})` : String(n)),
  add: (a, b) => `${a} + ${b}`,
  sub: (a, b) => `${a} − ${wrapSum(b)}`,
  mul: (a, b) => `${wrapSum(a)}·${wrapSum(b)}`,
  floorDiv: (a, b) => `⌊${wrapSum(a)}/${wrapSum(b)}⌋`,
  ceilDiv: (a, b) => `⌈${wrapSum(a)}/${wrapSum(b)}⌉`,
  greaterOrEqual: () => undefined,
};

/** Parenthesises an expression that has a + or − outside any brackets, so products and quotients read right. */
function wrapSum(s: string): string {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(' || c === '⌊' || c === '⌈') depth++;
    else if (c === ')' || c === '⌋' || c === '⌉') depth--;
    else if (depth === 0 && i > 0 && (c === '+' || c === '−')) return `(${s})`;
  }
  return s;
}
