// Symbolic integer dimensions. A Dim is a plain number when known, or a symbolic expression over named
// input dimensions (B, H, W, T, ...) kept in a canonical polynomial form (poly.ts), so equal shapes
// compare equal and `⌊(H − 2)/2⌋ + 1` reads `floor(H / 2)`. Text such as `H/2` (shape comments, the
// CLI's `--input B,3,H,W`) is parsed with mathjs; nothing else in the core touches mathjs.
import { create, parseDependencies } from 'mathjs';
import type { MathNode } from 'mathjs';
import { defined } from '../invariant';
import * as poly from './poly';
import type { Poly } from './poly';

/**
 * mathjs's parser, made when dim text is first parsed: making it took 4-7 ms of every CLI run and worker start,
 * and a summary whose inputs are numbers never parses dim text.
 */
let math: { parse(text: string): MathNode } | undefined;
// mathjs types its dependency exports as entries of an index signature; the package does export this one.
const mathParser = (): { parse(text: string): MathNode } => (math ??= create({ parseDependencies: defined(parseDependencies, 'mathjs exports parseDependencies') }));

/** A symbolic dimension: its readable text and its canonical form. */
export interface SymDim {
  readonly sym: string;
  readonly poly?: Poly;
}
export type Dim = number | SymDim;

export const isSymbolic = (d: Dim): d is SymDim => typeof d !== 'number';

function toPoly(d: Dim): Poly {
  if (typeof d === 'number') return poly.constant(d);
  return d.poly ?? parsePoly(d.sym) ?? poly.symbol(d.sym);
}

/**
 * The text is the dim's identity; the canonical form rides along as a non-enumerable cache, so dims
 * compare, serialize and cross thread boundaries by their text alone and are re-parsed when needed.
 */
function symDim(text: string, p: Poly): SymDim {
  const d = { sym: text };
  Object.defineProperty(d, 'poly', { value: p, enumerable: false });
  return d;
}

function fromPoly(p: Poly): Dim {
  const value = poly.constantValue(p);
  return value !== undefined ? value : symDim(poly.format(p), p);
}

export const sym = (name: string): SymDim => symDim(name, poly.symbol(name));

const isInteger = (d: Dim): d is number => typeof d === 'number';

export function add(a: Dim, b: Dim): Dim {
  return isInteger(a) && isInteger(b) ? a + b : fromPoly(poly.add(toPoly(a), toPoly(b)));
}
/**
 * The sum of dims, its text formatted once: folding add over a model's symbolic MACs formatted every partial sum,
 * which took seconds in a summary of thousands of calls (issue 16).
 */
export function sum(ds: readonly Dim[]): Dim {
  let known = 0;
  const symbolic: Poly[] = [];
  for (const d of ds) {
    if (isInteger(d)) known += d;
    else symbolic.push(toPoly(d));
  }
  if (symbolic.length === 0) return known;
  if (known !== 0) symbolic.push(poly.constant(known));
  return fromPoly(poly.sum(symbolic));
}
export function sub(a: Dim, b: Dim): Dim {
  return isInteger(a) && isInteger(b) ? a - b : fromPoly(poly.sub(toPoly(a), toPoly(b)));
}
export function mul(a: Dim, b: Dim): Dim {
  return isInteger(a) && isInteger(b) ? a * b : fromPoly(poly.mul(toPoly(a), toPoly(b)));
}
/** Python's floor division `a // b`. */
export function floorDiv(a: Dim, b: Dim): Dim {
  if (isInteger(a) && isInteger(b)) return Math.floor(a / b);
  return fromPoly(poly.floorDiv(toPoly(a), toPoly(b)));
}
export function ceilDiv(a: Dim, b: Dim): Dim {
  if (isInteger(a) && isInteger(b)) return Math.ceil(a / b);
  return fromPoly(poly.ceilDiv(toPoly(a), toPoly(b)));
}
/** Python's `a % b` (the sign follows b). */
export function mod(a: Dim, b: Dim): Dim {
  if (isInteger(a) && isInteger(b)) return ((a % b) + b) % b;
  return fromPoly(poly.mod(toPoly(a), toPoly(b)));
}

/** True or false when the two dims are provably equal or different, undefined when it depends on the input. */
export function equal(a: Dim, b: Dim): boolean | undefined {
  if (isInteger(a) && isInteger(b)) return a === b;
  const diff = sub(a, b);
  return typeof diff === 'number' ? diff === 0 : undefined;
}

/** a >= b when decidable. */
export function greaterOrEqual(a: Dim, b: Dim): boolean | undefined {
  const diff = sub(a, b);
  return typeof diff === 'number' ? diff >= 0 : undefined;
}

/** Replaces named dims by numbers (or other dims) and simplifies. */
export function substitute(d: Dim, env: Readonly<Record<string, Dim>>): Dim {
  if (typeof d === 'number') return d;
  const bindings = new Map(Object.entries(env).map(([k, v]) => [k, toPoly(v)] as const));
  return fromPoly(poly.substitute(toPoly(d), bindings));
}

/** The named dims a dim depends on. */
export function symbolsOf(d: Dim): string[] {
  return typeof d === 'number' ? [] : [...poly.symbolsOf(toPoly(d))];
}

/** The user-facing text of a dim: `112`, `floor(H / 2)`, `2 * C`. */
export function formatDim(d: Dim): string {
  return typeof d === 'number' ? String(d) : d.sym;
}

/** JSON form used by the CLI: numbers stay numbers, symbols become strings. */
export function dimToJson(d: Dim): number | string {
  return typeof d === 'number' ? d : d.sym;
}

/** Product of dims (numel). */
export function product(dims: readonly Dim[]): Dim {
  // A plain loop (the same left fold from 1): every parameter count of a summary goes through here.
  let acc: Dim = 1;
  for (const d of dims) acc = mul(acc, d);
  return acc;
}

/**
 * Parses dim text (`H/2`, `H//2`, `2*C`, `floor((H - 1)/2) + 1`, `B`) into a Dim; undefined when it is
 * not integer arithmetic over names. `/` divides exactly when it can and floors otherwise, as a shape
 * comment means it.
 */
export function parseDim(text: string): Dim | undefined {
  const p = parsePoly(text);
  return p ? fromPoly(p) : undefined;
}

function parsePoly(text: string): Poly | undefined {
  let node: MathNode;
  try {
    node = mathParser().parse(text.replace(/\/\//g, '/'));
  } catch {
    return undefined;
  }
  return nodeToPoly(node);
}

const BINARY: Readonly<Partial<Record<string, (a: Poly, b: Poly) => Poly>>> = {
  '+': poly.add,
  '-': poly.sub,
  '*': poly.mul,
  '/': poly.floorDiv,
  mod: poly.mod,
  '%': poly.mod,
  '^': (a, b) => {
    const n = poly.constantValue(b);
    return n !== undefined && Number.isInteger(n) && n >= 0 && n <= 8 ? Array.from({ length: n }, () => a).reduce(poly.mul, poly.constant(1)) : poly.symbol(`(${poly.format(a)})^(${poly.format(b)})`);
  },
};
const FUNCTIONS: Readonly<Partial<Record<string, (a: Poly, b: Poly) => Poly>>> = { floor: poly.floorDiv, ceil: poly.ceilDiv };

function nodeToPoly(node: MathNode): Poly | undefined {
  const n = node as MathNode & { type: string; value?: unknown; name?: string; op?: string; fn?: string | { name: string }; args?: MathNode[]; content?: MathNode };
  switch (n.type) {
    case 'ConstantNode':
      return typeof n.value === 'number' && Number.isInteger(n.value) ? poly.constant(n.value) : undefined;
    case 'SymbolNode':
      return poly.symbol(n.name!);
    case 'ParenthesisNode':
      return nodeToPoly(n.content!);
    case 'OperatorNode': {
      const args = (n.args ?? []).map(nodeToPoly);
      if (args.some((a) => a === undefined)) return undefined;
      if (args.length === 1) return n.op === '-' ? poly.scale(args[0]!, -1) : n.op === '+' ? args[0] : undefined;
      const op = BINARY[n.op!];
      return op && args.length === 2 ? op(args[0]!, args[1]!) : undefined;
    }
    case 'FunctionNode': {
      const name = typeof n.fn === 'string' ? n.fn : n.fn?.name;
      const inner = n.args?.[0];
      // floor(a / b) and ceil(a / b) become floor/ceil division; mod(a, b) is Python's %.
      if (name && name in FUNCTIONS && inner && n.args!.length === 1) {
        const wrapped = inner as MathNode & { type: string; content?: MathNode };
        const content = wrapped.type === 'ParenthesisNode' && wrapped.content ? wrapped.content : inner;
        const c = content as MathNode & { type: string; op?: string; args?: MathNode[] };
        if (c.type === 'OperatorNode' && c.op === '/' && c.args?.length === 2) {
          const [a, b] = c.args.map(nodeToPoly);
          return a && b ? FUNCTIONS[name]!(a, b) : undefined;
        }
        return nodeToPoly(content);
      }
      if (name === 'mod' && n.args?.length === 2) {
        const [a, b] = n.args.map(nodeToPoly);
        return a && b ? poly.mod(a, b) : undefined;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
