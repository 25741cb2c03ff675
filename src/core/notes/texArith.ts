// LaTeX rendering of the core's formulas: an Arith<string> that writes KaTeX instead of computing, so a
// formula written once over Arith<T> (src/core/formulas) also produces its substituted derivation line,
// plus the number formatting shared by the KaTeX and Unicode forms of a substitution.
import type { Arith } from '../formulas/arith';

/** Parenthesises an expression with a top-level + or −, so products and differences read right. */
function wrapSum(s: string): string {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(' || c === '{') depth++;
    else if (c === ')' || c === '}') depth--;
    else if (depth === 0 && i > 0 && (c === '+' || c === '-')) return `(${s})`;
  }
  return s;
}

export const texArith: Arith<string> = {
  lit: (n) => (n < 0 ? `(-${-n})` : String(n)),
  add: (a, b) => `${a} + ${b}`,
  sub: (a, b) => `${a} - ${wrapSum(b)}`,
  mul: (a, b) => `${wrapSum(a)} \\cdot ${wrapSum(b)}`,
  floorDiv: (a, b) => `\\left\\lfloor \\frac{${a}}{${b}} \\right\\rfloor`,
  ceilDiv: (a, b) => `\\left\\lceil \\frac{${a}}{${b}} \\right\\rceil`,
  greaterOrEqual: () => undefined,
};

/** Splits a finite number into mantissa and exponent for scientific display, or undefined for plain display. */
function scientificParts(x: number): { mantissa: string; exponent: number } | undefined {
  const magnitude = Math.abs(x);
  if (magnitude === 0 || (magnitude >= 1e-3 && magnitude < 1e7)) return undefined;
  const [mantissa, exponent] = x.toExponential(3).split('e');
  return { mantissa: String(Number(mantissa)), exponent: Number(exponent) };
}

/**
 * Plain decimal with 4 significant digits, integers printed exactly. A non-integer that would round to an
 * integer (0.99998 → 1) gets more digits, so a value never looks exact when it is not.
 */
function plainNumber(x: number): string {
  if (Number.isInteger(x)) return String(x);
  for (let digits = 4; digits < 12; digits++) {
    const rounded = Number(x.toPrecision(digits));
    if (!Number.isInteger(rounded)) return String(rounded);
  }
  return String(Number(x.toPrecision(12)));
}

/** A number as KaTeX: `112`, `0.1667`, `1.5 \times 10^{-8}`. */
export function texNumber(x: number): string {
  const sci = scientificParts(x);
  if (sci) return `${sci.mantissa} \\times 10^{${sci.exponent}}`;
  const plain = plainNumber(x);
  return plain.startsWith('-') ? `-${plain.slice(1)}` : plain;
}

/** A number as Unicode text: `112`, `0.1667`, `1.5·10⁻⁸`, with a real minus sign. */
export function textNumber(x: number): string {
  const sci = scientificParts(x);
  if (sci) return `${sci.mantissa.replace('-', '−')}·10${superscript(String(sci.exponent))}`;
  return plainNumber(x).replace('-', '−');
}

const SUPERSCRIPT_DIGITS: Readonly<Record<string, string>> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻', '+': '⁺',
};

function superscript(digits: string): string {
  return [...digits].map((c) => SUPERSCRIPT_DIGITS[c] ?? c).join('');
}
