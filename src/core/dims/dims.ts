// Symbolic integer dimensions. A Dim is a plain number when known, or a symbolic expression over named
// input dimensions (B, H, W, T, ...). mathjs does the algebra; nothing else in the core touches mathjs,
// so `floor((H - 1)/2) + 1` stays readable and becomes a number as soon as H is known.
import { create, simplifyDependencies, parseDependencies, evaluateDependencies } from 'mathjs';

const math = create({ simplifyDependencies, parseDependencies, evaluateDependencies });

/** A symbolic dimension: its simplified expression text, e.g. "floor((H - 1) / 2) + 1". */
export interface SymDim {
  readonly sym: string;
}
export type Dim = number | SymDim;

export const isSymbolic = (d: Dim): d is SymDim => typeof d !== 'number';
export const sym = (name: string): SymDim => ({ sym: name });

// Memo of simplified expressions: simplification is the slow step and the same expressions recur.
// Bounded so a long editing session cannot grow it without limit.
const simplifyMemo = new Map<string, Dim>();
const MEMO_LIMIT = 20_000;

function fromText(text: string): Dim {
  const cached = simplifyMemo.get(text);
  if (cached !== undefined) return cached;
  let result: Dim;
  try {
    const node = math.simplify(text);
    const out = node.toString({ parenthesis: 'auto', implicit: 'show', notation: 'fixed' } as object);
    const asNumber = Number(out);
    result = Number.isFinite(asNumber) && Number.isInteger(asNumber) ? asNumber : { sym: out };
  } catch {
    result = { sym: text };
  }
  if (simplifyMemo.size >= MEMO_LIMIT) simplifyMemo.clear();
  simplifyMemo.set(text, result);
  return result;
}

const text = (d: Dim): string => (typeof d === 'number' ? (d < 0 ? `(${d})` : String(d)) : `(${d.sym})`);

export function add(a: Dim, b: Dim): Dim {
  return typeof a === 'number' && typeof b === 'number' ? a + b : fromText(`${text(a)} + ${text(b)}`);
}
export function sub(a: Dim, b: Dim): Dim {
  return typeof a === 'number' && typeof b === 'number' ? a - b : fromText(`${text(a)} - ${text(b)}`);
}
export function mul(a: Dim, b: Dim): Dim {
  return typeof a === 'number' && typeof b === 'number' ? a * b : fromText(`${text(a)} * ${text(b)}`);
}
/** Python's floor division `a // b`. */
export function floorDiv(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return Math.floor(a / b);
  if (b === 1) return a;
  return fromText(`floor(${text(a)} / ${text(b)})`);
}
export function ceilDiv(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return Math.ceil(a / b);
  if (b === 1) return a;
  return fromText(`ceil(${text(a)} / ${text(b)})`);
}
/** Python's `a % b` (the sign follows b). */
export function mod(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return ((a % b) + b) % b;
  return fromText(`mod(${text(a)}, ${text(b)})`);
}

/** True or false when the two dims are provably equal or different, undefined when it depends on the input. */
export function equal(a: Dim, b: Dim): boolean | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  const diff = sub(a, b);
  if (typeof diff === 'number') return diff === 0;
  return undefined;
}

/** a >= b when decidable. */
export function greaterOrEqual(a: Dim, b: Dim): boolean | undefined {
  const diff = sub(a, b);
  return typeof diff === 'number' ? diff >= 0 : undefined;
}

/** Replaces named dims by numbers (or other dims) and simplifies. */
export function substitute(d: Dim, env: Readonly<Record<string, Dim>>): Dim {
  if (typeof d === 'number') return d;
  const scope: Record<string, number> = {};
  let allNumeric = true;
  for (const [k, v] of Object.entries(env)) {
    if (typeof v === 'number') scope[k] = v;
    else allNumeric = false;
  }
  if (allNumeric) {
    try {
      const value = math.evaluate(d.sym, scope) as unknown;
      if (typeof value === 'number' && Number.isFinite(value)) return value;
    } catch {
      /* falls through to textual substitution */
    }
  }
  let out = d.sym;
  for (const [k, v] of Object.entries(env)) out = out.replace(new RegExp(`\\b${k}\\b`, 'g'), text(v));
  return fromText(out);
}

/** The user-facing text of a dim: `112`, `H/2`, `floor((H - 1) / 2) + 1`. */
export function formatDim(d: Dim): string {
  return typeof d === 'number' ? String(d) : d.sym;
}

/** JSON form used by the CLI: numbers stay numbers, symbols become strings. */
export function dimToJson(d: Dim): number | string {
  return typeof d === 'number' ? d : d.sym;
}

/** Product of dims (numel). */
export function product(dims: readonly Dim[]): Dim {
  return dims.reduce<Dim>((acc, d) => mul(acc, d), 1);
}
