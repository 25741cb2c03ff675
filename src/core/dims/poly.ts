import { defined } from '../invariant';
import { textDigest } from '../textDigest';

// A canonical form for symbolic dimensions: integer polynomials over atoms, where an atom is a named
// dim (B, H, W, T) or an opaque integer term (floor, ceil, mod of a polynomial by a constant). Equal
// expressions get equal forms, so shape checks can decide `H//2*2 + H%2 == H`-style questions cheaply,
// and integer multiples are pulled out of floors: ⌊(H − 2)/2⌋ + 1 = ⌊H/2⌋.

/**
 * terms: monomial key → coefficient (the key '' is the constant term; a monomial key is the sorted,
 * `*`-joined keys of its atoms, repeated for powers). atoms: atom key → its printed text. Keys are
 * canonical, so structurally equal polynomials are equal expressions.
 */
export interface Poly {
  readonly terms: ReadonlyMap<string, number>;
  readonly atoms: ReadonlyMap<string, AtomInfo>;
}

/** A named dim, or an opaque integer term kept with its operands so it can be re-evaluated. */
export type AtomInfo =
  | { readonly text: string }
  | { readonly text: string; readonly kind: 'floor' | 'ceil' | 'mod'; readonly arg: Poly; readonly divisor: Poly };

type Atoms = ReadonlyMap<string, AtomInfo>;

const NO_ATOMS: Atoms = new Map();

const poly = (terms: ReadonlyMap<string, number>, atoms: Atoms): Poly => ({ terms, atoms });

function mergeAtoms(a: Atoms, b: Atoms): Atoms {
  if (b.size === 0 || a === b) return a;
  if (a.size === 0) return b;
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, v);
  return out;
}

export const constant = (n: number): Poly => poly(n === 0 ? new Map() : new Map([['', n]]), NO_ATOMS);
export const symbol = (name: string): Poly => poly(new Map([[name, 1]]), new Map([[name, { text: name }]]));

export function constantValue(p: Poly): number | undefined {
  if (p.terms.size === 0) return 0;
  if (p.terms.size === 1 && p.terms.has('')) return p.terms.get('')!;
  return undefined;
}

function addInto(out: Map<string, number>, key: string, c: number): void {
  const v = (out.get(key) ?? 0) + c;
  if (v === 0) out.delete(key);
  else out.set(key, v);
}

export function add(a: Poly, b: Poly): Poly {
  const out = new Map(a.terms);
  for (const [k, c] of b.terms) addInto(out, k, c);
  return poly(out, mergeAtoms(a.atoms, b.atoms));
}

/** The sum of many polynomials in one map (add copies its left operand's terms each time). */
export function sum(ps: readonly Poly[]): Poly {
  const out = new Map<string, number>();
  let atoms = NO_ATOMS;
  for (const p of ps) {
    for (const [k, c] of p.terms) addInto(out, k, c);
    atoms = mergeAtoms(atoms, p.atoms);
  }
  return poly(out, atoms);
}

export function scale(a: Poly, s: number): Poly {
  if (s === 0) return constant(0);
  return poly(new Map([...a.terms].map(([k, c]) => [k, c * s])), a.atoms);
}

export const sub = (a: Poly, b: Poly): Poly => add(a, scale(b, -1));

/** The atom keys of a monomial key: split at the `*` that are outside any parentheses (opaque atoms nest keys). */
function factorsOf(key: string): string[] {
  if (key === '') return [];
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < key.length; i++) {
    const c = key[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '*' && depth === 0) {
      out.push(key.slice(start, i));
      start = i + 1;
    }
  }
  out.push(key.slice(start));
  return out;
}

/** Monomial keys are sorted `*`-joined atom keys with repetition for powers. */
function mulKeys(a: string, b: string): string {
  if (a === '') return b;
  if (b === '') return a;
  return [...factorsOf(a), ...factorsOf(b)].sort().join('*');
}

export function mul(a: Poly, b: Poly): Poly {
  const out = new Map<string, number>();
  for (const [ka, ca] of a.terms) for (const [kb, cb] of b.terms) addInto(out, mulKeys(ka, kb), ca * cb);
  return poly(out, mergeAtoms(a.atoms, b.atoms));
}

const positiveMod = (c: number, d: number): number => ((c % d) + d) % d;

/** Splits P = d·Q + R with R's coefficients in [0, d): Q and R are integer polynomials. */
function divideOut(p: Poly, d: number): { quotient: Poly; remainder: Poly } {
  const quotient = new Map<string, number>();
  const remainder = new Map<string, number>();
  for (const [k, c] of p.terms) {
    const r = positiveMod(c, d);
    if (r !== 0) remainder.set(k, r);
    if (c - r !== 0) quotient.set(k, (c - r) / d);
  }
  return { quotient: poly(quotient, p.atoms), remainder: poly(remainder, p.atoms) };
}

/**
 * The longest key an opaque term keeps in full. A term whose operand holds the same term twice (window sizes of
 * ⌊7·⌊x/7⌋ + 7·⌊7x/8⌋⌋/8 style, repeated per stage) doubles in length at each level: lucidrains/vit-pytorch's
 * crossformer.py gave dims of 2 MB and editor views of 87 MB (issue 16). Such a term is named by a digest of its
 * key instead, printed as `floor(⋯#digest / 8)`; its operands are kept, so it still evaluates exactly.
 */
const LONGEST_OPAQUE_KEY = 400;

function opaque(kind: 'floor' | 'ceil' | 'mod', p: Poly, d: Poly): Poly {
  const full = `${kind}(${canonicalKey(p)};${canonicalKey(d)})`;
  const tag = full.length > LONGEST_OPAQUE_KEY ? `⋯#${textDigest(full).split(':').slice(1).join('')}` : undefined;
  const key = tag === undefined ? full : `${kind}(${tag})`;
  const operand = tag ?? (kind === 'mod' ? format(p) : formatFactor(p));
  const text = kind === 'mod' ? `mod(${operand}, ${format(d)})` : `${kind}(${operand} / ${formatFactor(d)})`;
  return poly(new Map([[key, 1]]), new Map([[key, { text, kind, arg: p, divisor: d }]]));
}

/** p / d when d is one monomial that divides every term of p exactly (e.g. B·3136 / B). */
function exactMonomialQuotient(p: Poly, d: Poly): Poly | undefined {
  if (d.terms.size !== 1) return undefined;
  const [dKey, dCoeff] = defined([...d.terms][0], 'a divisor with one term has a first term');
  if (dKey === '') return undefined;
  const dFactors = factorsOf(dKey);
  const out = new Map<string, number>();
  for (const [k, c] of p.terms) {
    const factors = factorsOf(k);
    for (const f of dFactors) {
      const i = factors.indexOf(f);
      if (i < 0) return undefined;
      factors.splice(i, 1);
    }
    if (c % dCoeff !== 0) return undefined;
    addInto(out, factors.sort().join('*'), c / dCoeff);
  }
  return poly(out, p.atoms);
}

/** The monomial a/b (key and coefficient) when b's atoms are among a's and its coefficient divides a's exactly. */
function divideMonomial([aKey, aCoeff]: readonly [string, number], [bKey, bCoeff]: readonly [string, number]): [string, number] | undefined {
  if (aCoeff % bCoeff !== 0) return undefined;
  const factors = factorsOf(aKey);
  for (const f of factorsOf(bKey)) {
    const i = factors.indexOf(f);
    if (i < 0) return undefined;
    factors.splice(i, 1);
  }
  return [factors.sort().join('*'), aCoeff / bCoeff];
}

/**
 * p / d when d has several terms and p is a monomial multiple of it: x.view(-1, C·f(H)·f(W)) on a tensor of
 * B·C·f(H)·f(W) elements gives B, not a floor of two expanded polynomials. A candidate quotient is each term
 * of p over one term of d, kept only when multiplying back gives p exactly.
 */
function exactMultipleQuotient(p: Poly, d: Poly): Poly | undefined {
  if (d.terms.size < 2 || p.terms.size !== d.terms.size) return undefined;
  const dTerm = [...d.terms][0]!;
  const target = canonicalKey(p);
  for (const pTerm of p.terms) {
    const q = divideMonomial(pTerm, dTerm);
    if (!q) continue;
    const quotient = poly(new Map([q]), p.atoms);
    if (canonicalKey(mul(quotient, d)) === target) return poly(quotient.terms, mergeAtoms(p.atoms, d.atoms));
  }
  return undefined;
}

/**
 * ⌊(⌊A/m⌋ + k)/n⌋ = ⌊(A + k·m)/(m·n)⌋ for integers A, k and positive m, n: repeated stride-2 layers give
 * ⌊(H + 3)/4⌋ rather than a tower of floors.
 */
function nestedFloor(p: Poly, n: number): Poly | undefined {
  const variable = [...p.terms].filter(([k]) => k !== '');
  if (variable.length !== 1 || variable[0]![1] !== 1 || factorsOf(variable[0]![0]).length !== 1) return undefined;
  const info = p.atoms.get(variable[0]![0]);
  if (!info || !('kind' in info) || info.kind !== 'floor') return undefined;
  const m = constantValue(info.divisor);
  if (m === undefined || m <= 0 || !Number.isInteger(m)) return undefined;
  const k = p.terms.get('') ?? 0;
  return floorDiv(add(info.arg, constant(k * m)), constant(m * n));
}

/** Python `p // d`. */
export function floorDiv(p: Poly, d: Poly): Poly {
  const exact = exactMonomialQuotient(p, d) ?? exactMultipleQuotient(p, d);
  if (exact) return exact;
  const n = constantValue(d);
  const nested = n !== undefined && n > 1 && Number.isInteger(n) ? nestedFloor(p, n) : undefined;
  if (nested) return nested;
  const divisor = constantValue(d);
  if (divisor === undefined || divisor <= 0 || !Number.isInteger(divisor)) return opaque('floor', p, d);
  if (divisor === 1) return p;
  const { quotient, remainder } = divideOut(p, divisor);
  const rest = constantValue(remainder);
  if (rest !== undefined) return add(quotient, constant(Math.floor(rest / divisor)));
  return add(quotient, opaque('floor', remainder, d));
}

export function ceilDiv(p: Poly, d: Poly): Poly {
  const exact = exactMonomialQuotient(p, d) ?? exactMultipleQuotient(p, d);
  if (exact) return exact;
  const divisor = constantValue(d);
  if (divisor === undefined || divisor <= 0 || !Number.isInteger(divisor)) return opaque('ceil', p, d);
  if (divisor === 1) return p;
  const { quotient, remainder } = divideOut(p, divisor);
  const rest = constantValue(remainder);
  if (rest !== undefined) return add(quotient, constant(Math.ceil(rest / divisor)));
  return add(quotient, opaque('ceil', remainder, d));
}

/** Python `p % d` (the sign follows d). */
export function mod(p: Poly, d: Poly): Poly {
  const divisor = constantValue(d);
  if (divisor === undefined || divisor <= 0 || !Number.isInteger(divisor)) return opaque('mod', p, d);
  const { remainder } = divideOut(p, divisor);
  const rest = constantValue(remainder);
  if (rest !== undefined) return constant(rest % divisor);
  return opaque('mod', remainder, d);
}

export function canonicalKey(p: Poly): string {
  return [...p.terms].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, c]) => `${c}:${k}`).join('+');
}

/** Degree of a monomial key (number of atom factors). */
const degree = (key: string): number => factorsOf(key).length;

function formatMonomial(key: string, atoms: Atoms): string {
  const counts = new Map<string, number>();
  for (const k of factorsOf(key)) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([k, n]) => (n === 1 ? atoms.get(k)?.text ?? k : `${atoms.get(k)?.text ?? k}^${n}`)).join(' * ');
}

/** Readable text: higher-degree terms first, named dims before opaque terms, the constant last. */
export function format(p: Poly): string {
  if (p.terms.size === 0) return '0';
  const terms = [...p.terms].sort(([a], [b]) => degree(b) - degree(a) || (a.includes('(') ? 1 : 0) - (b.includes('(') ? 1 : 0) || (a < b ? -1 : a > b ? 1 : 0));
  let out = '';
  for (const [k, c] of terms) {
    const magnitude = Math.abs(c);
    const body = k === '' ? String(magnitude) : magnitude === 1 ? formatMonomial(k, p.atoms) : `${magnitude} * ${formatMonomial(k, p.atoms)}`;
    out += out === '' ? (c < 0 ? `-${body}` : body) : c < 0 ? ` - ${body}` : ` + ${body}`;
  }
  return out;
}

/** A factor inside a product or a divisor: parenthesised when it is a sum. */
function formatFactor(p: Poly): string {
  const text = format(p);
  return p.terms.size > 1 || text.startsWith('-') ? `(${text})` : text;
}

const OPAQUE_OPS = { floor: floorDiv, ceil: ceilDiv, mod } as const;

/** Replaces named dims by polynomials (numbers are constant polynomials) and re-evaluates opaque terms. */
export function substitute(p: Poly, env: ReadonlyMap<string, Poly>): Poly {
  const atomValue = (key: string): Poly => {
    const info = p.atoms.get(key);
    if (info && 'kind' in info) return OPAQUE_OPS[info.kind](substitute(info.arg, env), substitute(info.divisor, env));
    return env.get(key) ?? poly(new Map([[key, 1]]), info ? new Map([[key, info]]) : NO_ATOMS);
  };
  let total = constant(0);
  for (const [k, c] of p.terms) {
    total = add(total, factorsOf(k).reduce((acc, f) => mul(acc, atomValue(f)), constant(c)));
  }
  return total;
}

/** The named dims a polynomial mentions, opaque terms included. */
export function symbolsOf(p: Poly): Set<string> {
  const out = new Set<string>();
  for (const [k, info] of p.atoms) {
    if ('kind' in info) {
      symbolsOf(info.arg).forEach((s) => out.add(s));
      symbolsOf(info.divisor).forEach((s) => out.add(s));
    } else out.add(k);
  }
  return out;
}
