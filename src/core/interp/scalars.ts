// Python semantics of scalars and containers: arithmetic on ints (possibly symbolic), floats, strings,
// tuples and lists; comparisons; truthiness; conversion to the catalogue's plain data values.
import * as dims from '../dims/dims';
import type { Dim } from '../dims/dims';
import type { DataValue, Range } from '../values';
import { NONE, bool, float, int, str, unknown } from '../values';
import type { Value } from './values';
import { appendAll, keyOf, listV, tupleV } from './values';

export const isNumber = (v: Value): v is Extract<Value, { kind: 'int' | 'float' | 'bool' }> => v.kind === 'int' || v.kind === 'float' || v.kind === 'bool';

/** The numeric value as a Dim (ints and bools), or undefined. */
export function asDim(v: Value): Dim | undefined {
  if (v.kind === 'int') return v.value;
  if (v.kind === 'bool') return v.value ? 1 : 0;
  return undefined;
}

export function asNumber(v: Value): number | undefined {
  if (v.kind === 'int') return typeof v.value === 'number' ? v.value : undefined;
  if (v.kind === 'float') return v.value;
  if (v.kind === 'bool') return v.value ? 1 : 0;
  return undefined;
}

/** A letter that has case (Python's "cased": categories Lu, Ll, Lt). */
const CASED_LETTER = /[\p{Lu}\p{Ll}\p{Lt}]/u;

/**
 * Python's str.title(): a cased letter is upper-cased after an uncased character and lower-cased after a
 * cased one (so 'x_y' -> 'X_Y', 'a1b2' -> 'A1B2', 'HELLO' -> 'Hello'). One pass over the code units, so a
 * megabyte-long string costs milliseconds; JavaScript has no title case, so a letter whose upper case is
 * longer takes its upper-cased first unit and lower-cases the rest ('ß' -> 'Ss', as Python gives).
 */
export function pythonTitle(s: string): string {
  // A UTF-16 unit's case mapping is at most three units long ('ΐ'.toUpperCase()).
  const units = new Uint16Array(s.length * 3);
  let length = 0;
  let afterCased = false;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code < 128) {
      const upper = code >= 65 && code <= 90;
      const lower = code >= 97 && code <= 122;
      units[length++] = upper && afterCased ? code + 32 : lower && !afterCased ? code - 32 : code;
      afterCased = upper || lower;
      continue;
    }
    const char = String.fromCodePoint(s.codePointAt(i)!);
    i += char.length - 1;
    const cased = CASED_LETTER.test(char);
    const mapped = !cased ? char : afterCased ? char.toLowerCase() : titleCaseOf(char);
    afterCased = cased;
    for (let k = 0; k < mapped.length; k++) units[length++] = mapped.charCodeAt(k);
  }
  const chunks: string[] = [];
  // Reflect.apply takes the typed array as the argument list; a spread would iterate it (three times slower).
  for (let at = 0; at < length; at += 8192) chunks.push(Reflect.apply(String.fromCharCode, null, units.subarray(at, Math.min(length, at + 8192))));
  return chunks.join('');
}

function titleCaseOf(char: string): string {
  const upper = char.toUpperCase();
  return upper.length > char.length ? upper.charAt(0) + upper.slice(1).toLowerCase() : upper;
}

/** Python's str.isspace() characters, which str.split() and str.strip() without an argument remove
 * (JavaScript's \s differs: it lacks \x1c-\x1f and \x85 and adds \ufeff). */
const PYTHON_SPACE = /[\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const isPythonSpace = (s: string, i: number): boolean => {
  const code = s.charCodeAt(i);
  if (code < 128) return code === 32 || (code >= 9 && code <= 13) || (code >= 0x1c && code <= 0x1f);
  return PYTHON_SPACE.test(s.charAt(i));
};

/**
 * Python's str.split(sep, maxsplit) and str.rsplit (fromRight): at most maxsplit cuts when it is not
 * negative; without sep, runs of whitespace separate and none is kept at the ends cut from ('  a b '.split()
 * is ['a', 'b'], ''.split() is [], ' a b '.split(None, 1) is ['a', 'b ']). sep must not be empty (Python
 * raises ValueError: the caller checks). One pass over the text, no regular expression.
 */
export function pythonSplit(s: string, sep: string | undefined, maxsplit: number, fromRight: boolean): string[] {
  const limit = maxsplit < 0 ? Infinity : maxsplit;
  if (sep !== undefined) {
    if (limit === Infinity) return s.split(sep);
    const parts: string[] = [];
    if (!fromRight) {
      let start = 0;
      for (let at = s.indexOf(sep); at >= 0 && parts.length < limit; at = s.indexOf(sep, start)) {
        parts.push(s.slice(start, at));
        start = at + sep.length;
      }
      parts.push(s.slice(start));
      return parts;
    }
    let end = s.length;
    while (parts.length < limit && end >= sep.length) {
      // The rightmost separator lying wholly before `end`.
      const at = s.lastIndexOf(sep, end - sep.length);
      if (at < 0) break;
      parts.push(s.slice(at + sep.length, end));
      end = at;
    }
    parts.push(s.slice(0, end));
    return parts.reverse();
  }
  return fromRight ? splitSpaceFromRight(s, limit) : splitSpace(s, limit);
}

function splitSpace(s: string, limit: number): string[] {
  const parts: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && isPythonSpace(s, i)) i++;
    if (i === s.length) break;
    if (parts.length === limit) {
      parts.push(s.slice(i));
      break;
    }
    const start = i;
    while (i < s.length && !isPythonSpace(s, i)) i++;
    parts.push(s.slice(start, i));
  }
  return parts;
}

function splitSpaceFromRight(s: string, limit: number): string[] {
  const parts: string[] = [];
  let i = s.length;
  while (i > 0) {
    while (i > 0 && isPythonSpace(s, i - 1)) i--;
    if (i === 0) break;
    if (parts.length === limit) {
      parts.push(s.slice(0, i));
      break;
    }
    const end = i;
    while (i > 0 && !isPythonSpace(s, i - 1)) i--;
    parts.push(s.slice(i, end));
  }
  return parts.reverse();
}

/** Python's str.strip(chars), lstrip and rstrip: whitespace when chars is undefined (None), else any of chars. */
export function pythonStrip(s: string, chars: string | undefined, side: 'both' | 'left' | 'right'): string {
  const strips = chars === undefined ? (i: number) => isPythonSpace(s, i) : (i: number) => chars.includes(s.charAt(i));
  let start = 0;
  let end = s.length;
  if (side !== 'right') while (start < end && strips(start)) start++;
  if (side !== 'left') while (end > start && strips(end - 1)) end--;
  return s.slice(start, end);
}

/** Python truthiness; undefined when it depends on unknown values. */
export function truthy(v: Value): boolean | undefined {
  switch (v.kind) {
    case 'none':
      return false;
    case 'bool':
      return v.value;
    case 'int':
      return typeof v.value === 'number' ? v.value !== 0 : undefined;
    case 'float':
      return v.value !== 0;
    case 'str':
      return v.value.length > 0;
    case 'tuple':
    case 'list':
      return v.items.length > 0;
    case 'dict':
      return v.entries.size > 0;
    case 'range':
      return rangeLength(v.start, v.stop, v.step) > 0;
    case 'unknown':
    case 'tensor':
      return undefined;
    default:
      return true;
  }
}

export function rangeLength(start: number, stop: number, step: number): number {
  if (step === 0) return 0;
  return Math.max(0, Math.ceil((stop - start) / step));
}

const intOrFloat = (n: number, asInt: boolean): Value => (asInt ? int(n) : float(n));

function finite(n: number, range?: Range): Value | undefined {
  return Number.isFinite(n) ? undefined : unknown('arithmetic result is not a finite number', range);
}

/** Binary arithmetic on non-tensor values; undefined when the operands are not scalars/sequences. */
export function scalarBinary(op: string, a: Value, b: Value, range?: Range): Value | undefined {
  if (a.kind === 'unknown') return a;
  if (b.kind === 'unknown') return b;
  if (op === '+' && a.kind === 'str' && b.kind === 'str') return str(a.value + b.value);
  if (op === '+' && (a.kind === 'tuple' || a.kind === 'list') && a.kind === b.kind) {
    return a.kind === 'tuple' ? tupleV([...a.items, ...b.items]) : listV([...a.items, ...(b as typeof a).items]);
  }
  if (op === '*' && (a.kind === 'tuple' || a.kind === 'list' || a.kind === 'str') && (b.kind === 'int' || b.kind === 'bool')) return repeat(a, b);
  if (op === '*' && (b.kind === 'tuple' || b.kind === 'list' || b.kind === 'str') && (a.kind === 'int' || a.kind === 'bool')) return repeat(b, a);
  if (op === '%' && a.kind === 'str') return str(a.value);
  if (!isNumber(a) || !isNumber(b)) return undefined;
  const da = asDim(a);
  const db = asDim(b);
  if (da !== undefined && db !== undefined) {
    if (typeof da !== 'number' || typeof db !== 'number') return symbolicBinary(op, da, db, range);
    return numericBinary(op, da, db, true, range);
  }
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na === undefined || nb === undefined) return unknown('arithmetic on a symbolic value and a float', range);
  return numericBinary(op, na, nb, false, range);
}

function repeat(seq: Extract<Value, { kind: 'tuple' | 'list' | 'str' }>, times: Value): Value {
  const n = asDim(times);
  if (typeof n !== 'number') return unknown('sequence repeated a symbolic number of times');
  const count = Math.max(0, Math.min(n, 100_000));
  if (seq.kind === 'str') return str(seq.value.repeat(Math.min(count, 10_000)));
  const items: Value[] = [];
  for (let i = 0; i < count && items.length < 100_000; i++) appendAll(items, seq.items);
  return seq.kind === 'tuple' ? tupleV(items) : listV(items);
}

function numericBinary(op: string, a: number, b: number, bothInt: boolean, range?: Range): Value {
  let out: number;
  let isInt = bothInt;
  switch (op) {
    case '+': out = a + b; break;
    case '-': out = a - b; break;
    case '*': out = a * b; break;
    case '/':
      if (b === 0) return unknown('division by zero', range);
      out = a / b;
      isInt = false;
      break;
    case '//':
      if (b === 0) return unknown('division by zero', range);
      out = Math.floor(a / b);
      break;
    case '%':
      if (b === 0) return unknown('modulo by zero', range);
      out = ((a % b) + b) % b;
      break;
    case '**':
      out = a ** b;
      if (bothInt && b < 0) isInt = false;
      break;
    case '<<': out = a * 2 ** b; break;
    case '>>': out = Math.floor(a / 2 ** b); break;
    case '&': out = a & b; break;
    case '|': out = a | b; break;
    case '^': out = a ^ b; break;
    default:
      return unknown(`operator ${op} is not modelled`, range);
  }
  return finite(out, range) ?? intOrFloat(out, isInt);
}

function symbolicBinary(op: string, a: Dim, b: Dim, range?: Range): Value {
  switch (op) {
    case '+': return int(dims.add(a, b));
    case '-': return int(dims.sub(a, b));
    case '*': return int(dims.mul(a, b));
    case '//': return b === 0 ? unknown('division by zero', range) : int(dims.floorDiv(a, b));
    case '%': return b === 0 ? unknown('modulo by zero', range) : int(dims.mod(a, b));
    default:
      return unknown(`operator ${op} on a symbolic dimension is not modelled`, range);
  }
}

/**
 * How deep the walks over nested values (equality, str(), conversion to data) go: a list that contains
 * itself, or tuples nested a million deep by a loop, end there as undecidable instead of overflowing the stack.
 */
export const MAX_VALUE_DEPTH = 100;

/** The longest text str() builds of a container; longer is left unknown. */
const MAX_STR_LENGTH = 1_000_000;

/** Equality of plain values; undefined when undecidable. */
export function valuesEqual(a: Value, b: Value, depth = 0): boolean | undefined {
  if (a.kind === 'unknown' || b.kind === 'unknown' || a.kind === 'tensor' || b.kind === 'tensor') return undefined;
  const da = asDim(a);
  const db = asDim(b);
  if (da !== undefined && db !== undefined) return dims.equal(da, db);
  if (isNumber(a) && isNumber(b)) return asNumber(a) === asNumber(b);
  if ((a.kind === 'tuple' || a.kind === 'list') && (b.kind === 'tuple' || b.kind === 'list')) {
    if (a.kind !== b.kind) return false;
    if (a.items.length !== b.items.length) return false;
    if (a === b) return true;
    if (depth >= MAX_VALUE_DEPTH) return undefined;
    let all: boolean | undefined = true;
    for (let i = 0; i < a.items.length; i++) {
      const e = valuesEqual(a.items[i]!, b.items[i]!, depth + 1);
      if (e === false) return false;
      if (e === undefined) all = undefined;
    }
    return all;
  }
  if (a.kind !== b.kind) return false;
  if (a.kind === 'str' && b.kind === 'str') return a.value === b.value;
  if (a.kind === 'none') return true;
  return a === b || keyOf(a) === keyOf(b) && a.kind !== 'function';
}

/** `<`, `<=`, `>`, `>=` on numbers (and strings/sequences lexicographically for strings). */
export function compareOrder(op: string, a: Value, b: Value): boolean | undefined {
  if (a.kind === 'str' && b.kind === 'str') return orderResult(op, a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
  const da = asDim(a);
  const db = asDim(b);
  if (da !== undefined && db !== undefined && (typeof da !== 'number' || typeof db !== 'number')) {
    const ge = dims.greaterOrEqual(da, db);
    const le = dims.greaterOrEqual(db, da);
    if (ge === undefined || le === undefined) return undefined;
    return orderResult(op, ge && le ? 0 : ge ? 1 : -1);
  }
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na === undefined || nb === undefined) return undefined;
  return orderResult(op, na < nb ? -1 : na > nb ? 1 : 0);
}

function orderResult(op: string, c: number): boolean | undefined {
  switch (op) {
    case '<': return c < 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '>=': return c >= 0;
    default: return undefined;
  }
}

/** Python's str() of a value, for f-strings and names built at runtime (undefined past the depth and length bounds). */
export function pyStr(v: Value, depth = 0): string | undefined {
  if (v.kind === 'str') return v.value;
  const s = pyStrUnbounded(v, depth);
  return s !== undefined && s.length <= MAX_STR_LENGTH ? s : undefined;
}

function pyStrUnbounded(v: Value, depth: number): string | undefined {
  if ((v.kind === 'tuple' || v.kind === 'list') && (depth >= MAX_VALUE_DEPTH || v.items.length > MAX_STR_LENGTH)) return undefined;
  switch (v.kind) {
    case 'str': return v.value;
    case 'int': return dims.formatDim(v.value);
    case 'float': return Number.isInteger(v.value) ? `${v.value}.0` : String(v.value);
    case 'bool': return v.value ? 'True' : 'False';
    case 'none': return 'None';
    case 'tuple': {
      const parts = v.items.map((item) => pyRepr(item, depth + 1));
      if (parts.some((p) => p === undefined)) return undefined;
      return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
    }
    case 'list': {
      const parts = v.items.map((item) => pyRepr(item, depth + 1));
      return parts.some((p) => p === undefined) ? undefined : `[${parts.join(', ')}]`;
    }
    case 'class': return `<class '${v.name}'>`;
    default: return undefined;
  }
}

function pyRepr(v: Value, depth: number): string | undefined {
  return v.kind === 'str' ? `'${v.value}'` : pyStr(v, depth);
}

/** The catalogue's plain data form; anything else becomes Unknown. */
export function toData(v: Value, depth = 0): DataValue {
  if (depth >= MAX_VALUE_DEPTH) return unknown('value nested too deeply');
  switch (v.kind) {
    case 'none':
    case 'bool':
    case 'int':
    case 'float':
    case 'str':
    case 'tensor':
    case 'unknown':
      return v;
    case 'tuple':
      return { kind: 'tuple', items: v.items.map((item) => toData(item, depth + 1)), ...(v.namedtuple ? { namedtuple: v.namedtuple } : {}) };
    case 'list':
      return { kind: 'list', items: v.items.map((item) => toData(item, depth + 1)) };
    case 'range': {
      const n = rangeLength(v.start, v.stop, v.step);
      if (n > 10_000) return unknown('range too long');
      return { kind: 'list', items: Array.from({ length: n }, (_, i) => int(v.start + i * v.step)) };
    }
    case 'object':
      // Modules passed where data is expected (an activation module, a norm layer class) are not data.
      return unknown(`a ${v.cls.name} object`);
    default:
      return unknown(`a ${v.kind} value`);
  }
}

export { NONE, bool, float, int, str, unknown };
