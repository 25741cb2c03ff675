// The contents of small 1-D tensors that configuration code computes with (RegNet derives its stage widths
// with torch.arange/log/round/pow and then .tolist(); masks reduce known lengths): what each op computes
// from known contents, by the op's catalogue name. Shapes come from the ops' entries; the interpreter keeps
// the contents beside the tensors (interp/torch.ts) and asks here.
import type { DataValue } from '../../values';

/** Elementwise kernels by op name; operands are value arrays (length 1 broadcasts) or undefined. */
type Kernel = (operands: (readonly number[] | undefined)[]) => number[] | undefined;

const MAX_ELEMENTS = 10_000;

function broadcast(a: readonly number[] | undefined, b: readonly number[] | undefined, f: (x: number, y: number) => number): number[] | undefined {
  if (!a || !b) return undefined;
  if (a.length !== b.length && a.length !== 1 && b.length !== 1) return undefined;
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => f(a[a.length === 1 ? 0 : i]!, b[b.length === 1 ? 0 : i]!));
}

const unary = (f: (x: number) => number): Kernel => ([a]) => a?.map(f);
const binary = (f: (x: number, y: number) => number): Kernel => ([a, b]) => broadcast(a, b, f);
const reflected = (f: (x: number, y: number) => number): Kernel => ([a, b]) => broadcast(b, a, f);

/** Python's round-half-to-even, as torch.round does. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const ADD = (x: number, y: number): number => x + y;
const SUB = (x: number, y: number): number => x - y;
const MUL = (x: number, y: number): number => x * y;
const DIV = (x: number, y: number): number => x / y;

const VALUE_KERNELS: Readonly<Record<string, Kernel>> = {
  'Tensor.__add__': binary(ADD),
  'Tensor.__radd__': reflected(ADD),
  'Tensor.__sub__': binary(SUB),
  'Tensor.__rsub__': reflected(SUB),
  'Tensor.__mul__': binary(MUL),
  'Tensor.__rmul__': reflected(MUL),
  'Tensor.__truediv__': binary(DIV),
  'Tensor.__rtruediv__': reflected(DIV),
  'torch.add': binary(ADD),
  'torch.mul': binary(MUL),
  'torch.div': binary(DIV),
  'torch.divide': binary(DIV),
  // torch.div(a, b, rounding_mode=...): keyed by the mode.
  'torch.div:floor': binary((x, y) => Math.floor(x / y)),
  'torch.div:trunc': binary((x, y) => Math.trunc(x / y)),
  'Tensor.div:floor': binary((x, y) => Math.floor(x / y)),
  'Tensor.div:trunc': binary((x, y) => Math.trunc(x / y)),
  'torch.pow': binary((x, y) => x ** y),
  'Tensor.pow': binary((x, y) => x ** y),
  'torch.log': unary(Math.log),
  'Tensor.log': unary(Math.log),
  'torch.exp': unary(Math.exp),
  'torch.sqrt': unary(Math.sqrt),
  'torch.round': unary(roundHalfEven),
  'Tensor.round': unary(roundHalfEven),
  'torch.floor': unary(Math.floor),
  'torch.ceil': unary(Math.ceil),
  'Tensor.int': unary(Math.trunc),
  'Tensor.long': unary(Math.trunc),
  'Tensor.float': unary((x) => x),
  'Tensor.double': unary((x) => x),
  'Tensor.short': unary(Math.trunc),
  'Tensor.bool': unary((x) => Number(x !== 0)),
  // Comparisons give 1 (True) or 0 (False), as a bool tensor's values.
  'Tensor.__lt__': binary((x, y) => Number(x < y)),
  'Tensor.__le__': binary((x, y) => Number(x <= y)),
  'Tensor.__gt__': binary((x, y) => Number(x > y)),
  'Tensor.__ge__': binary((x, y) => Number(x >= y)),
  // Ops that keep the contents in row-major order (the result's shape comes from the catalogue).
  ...Object.fromEntries(['unsqueeze', 'squeeze', 'view', 'reshape', 'flatten', 'clone', 'detach', 'contiguous', 'cpu', 'cuda'].flatMap((n) => [`Tensor.${n}`, `torch.${n}`]).map((n) => [n, ([a]: (readonly number[] | undefined)[]) => a?.slice()])),
  'torch.diff': ([a]) => a?.slice(1).map((x, i) => x - a[i]!),
  'Tensor.diff': ([a]) => a?.slice(1).map((x, i) => x - a[i]!),
};

const asNumber = (v: DataValue): number | undefined =>
  v.kind === 'int' ? (typeof v.value === 'number' ? v.value : undefined) : v.kind === 'float' ? v.value : v.kind === 'bool' ? Number(v.value) : undefined;

/** Values of a `torch.arange(...)` call from its positional numbers. */
function arangeValues(args: readonly DataValue[]): number[] | undefined {
  const nums = args.map(asNumber);
  if (nums.length === 0 || nums.some((n) => n === undefined)) return undefined;
  const [a, b, c] = nums as number[];
  const [start, end, step] = nums.length === 1 ? [0, a!, 1] : [a!, b!, c ?? 1];
  if (step === 0) return undefined;
  const n = Math.ceil((end - start) / step);
  if (!(n >= 0 && n <= MAX_ELEMENTS)) return undefined;
  return Array.from({ length: n }, (_, i) => start + i * step);
}

/**
 * Values of `torch.linspace(start, end, steps)` as PyTorch computes them, in float32: the first ⌊steps/2⌋ count
 * up from start, the rest down from end (drop-path rates: `torch.linspace(0, drop_path_rate, depth)`).
 */
function linspaceValues(start: DataValue | undefined, end: DataValue | undefined, steps: DataValue | undefined): number[] | undefined {
  const [a, b, n] = [start, end, steps].map((v) => (v ? asNumber(v) : undefined));
  if (a === undefined || b === undefined || n === undefined || !Number.isInteger(n) || n < 0 || n > MAX_ELEMENTS) return undefined;
  const f = Math.fround;
  if (n === 1) return [f(a)];
  const step = f(f(f(b) - f(a)) / (n - 1));
  const half = Math.floor(n / 2);
  return Array.from({ length: n }, (_, i) => (i < half ? f(f(a) + f(step * i)) : f(f(b) - f(step * (n - 1 - i)))));
}

/** Values of `torch.tensor([...])` for a flat list of numbers. */
function literalValues(v: DataValue | undefined): number[] | undefined {
  if (!v) return undefined;
  const n = asNumber(v);
  if (n !== undefined) return [n];
  if ((v.kind === 'list' || v.kind === 'tuple') && v.items.length <= MAX_ELEMENTS) {
    const out = v.items.map(asNumber);
    return out.every((x) => x !== undefined) ? (out as number[]) : undefined;
  }
  return undefined;
}

function finiteValues(values: number[] | undefined): number[] | undefined {
  return values && values.length <= MAX_ELEMENTS && values.every(Number.isFinite) ? values : undefined;
}

/** Reductions of a whole tensor that config code and masks apply to known values (lengths), by op name. */
const WHOLE_REDUCTIONS: Readonly<Record<string, (xs: readonly number[]) => number>> = {
  max: (xs) => Math.max(...xs),
  amax: (xs) => Math.max(...xs),
  min: (xs) => Math.min(...xs),
  amin: (xs) => Math.min(...xs),
  sum: (xs) => xs.reduce((a, b) => a + b, 0),
  prod: (xs) => xs.reduce((a, b) => a * b, 1),
};

/** Which bounds each clamp op takes: torch.clamp(x, min, max), clamp_min(x, min), clamp_max(x, max). */
const CLAMPS: Readonly<Record<string, 'both' | 'min' | 'max'>> = {
  'torch.clamp': 'both',
  'Tensor.clamp': 'both',
  'torch.clip': 'both',
  'Tensor.clip': 'both',
  'torch.clamp_min': 'min',
  'Tensor.clamp_min': 'min',
  'torch.clamp_max': 'max',
  'Tensor.clamp_max': 'max',
};

/** One op call as the contents rules read it: its arguments as data, and the known contents of a tensor argument. */
export interface ContentsCall {
  readonly positional: readonly DataValue[];
  readonly keywords: ReadonlyMap<string, DataValue>;
  readonly contents: (t: DataValue) => readonly number[] | undefined;
}

type ContentsRule = (call: ContentsCall) => number[] | undefined;

/** A whole-tensor reduction of a tensor of known values (`torch.max(lengths)`, `lengths.sum()`): one value. */
const reduction = (reduce: (xs: readonly number[]) => number): ContentsRule => ({ positional, keywords, contents }) => {
  const [subject] = positional;
  if (positional.length !== 1 || keywords.size > 0 || subject?.kind !== 'tensor') return undefined;
  const known = contents(subject);
  return known && known.length > 0 ? [reduce(known)] : undefined;
};

/** clamp / clamp_min / clamp_max of a tensor of known values with known number bounds. */
const clamp = (kind: 'both' | 'min' | 'max'): ContentsRule => ({ positional, keywords, contents }) => {
  const [subject, first, second] = positional;
  if (subject?.kind !== 'tensor') return undefined;
  const known = contents(subject);
  if (!known) return undefined;
  const bound = (v: DataValue | undefined): number | null | undefined => (v === undefined || v.kind === 'none' ? null : asNumber(v));
  const low = kind === 'max' ? null : bound(first ?? keywords.get('min'));
  const high = kind === 'min' ? null : bound((kind === 'max' ? first : second) ?? keywords.get('max'));
  if (low === undefined || high === undefined) return undefined;
  return known.map((x) => Math.min(Math.max(x, low ?? -Infinity), high ?? Infinity));
};

/** torch.tensor / as_tensor / from_numpy: a literal list's numbers, or an ndarray's 1-D contents. */
const fromData: ContentsRule = ({ positional }) => {
  const data = positional[0];
  if (data?.kind === 'tensor') return data.library === 'numpy' && data.shape?.length === 1 && data.values ? [...data.values] : undefined;
  return literalValues(data);
};

/**
 * How `.to(dtype)` / `.type(dtype)` changes known values: integer dtypes truncate toward zero, bool tests for
 * non-zero, float32/float64 keep them. Half precision and the wrapping 8-bit types are not listed: their values are
 * dropped rather than guessed.
 */
const DTYPE_CONVERSIONS: Readonly<Record<string, (x: number) => number>> = {
  'torch.float32': (x) => x, 'torch.float': (x) => x, 'torch.float64': (x) => x, 'torch.double': (x) => x,
  'torch.int64': Math.trunc, 'torch.long': Math.trunc, 'torch.int32': Math.trunc, 'torch.int': Math.trunc,
  'torch.int16': Math.trunc, 'torch.short': Math.trunc, 'torch.bool': (x) => Number(x !== 0),
};

/** `t.to(dtype)`, `t.to(device)`, `t.type(dtype)`: the contents as the dtype keeps them (a device move keeps them). */
const conversion: ContentsRule = ({ positional, keywords, contents }) => {
  const [subject, ...rest] = positional;
  if (subject?.kind !== 'tensor') return undefined;
  const known = contents(subject);
  const dtype = [...rest, keywords.get('dtype')].find((v) => v?.kind === 'str' && v.value.startsWith('torch.'));
  if (dtype?.kind !== 'str') return rest.some((v) => v.kind === 'tensor') ? undefined : known?.slice();
  const convert = DTYPE_CONVERSIONS[dtype.value];
  return known && convert ? known.map(convert) : undefined;
};

/** Ops that make contents from their arguments alone (no tensor of known contents needed). */
const SOURCES: Readonly<Record<string, ContentsRule>> = {
  'torch.arange': ({ positional }) => arangeValues(positional),
  'torch.linspace': ({ positional, keywords }) => linspaceValues(positional[0] ?? keywords.get('start'), positional[1] ?? keywords.get('end'), positional[2] ?? keywords.get('steps')),
  'torch.tensor': fromData,
  'torch.as_tensor': fromData,
  'torch.from_numpy': fromData,
  'Tensor.to': conversion,
  'Tensor.type': conversion,
};

/** An elementwise kernel over the operands' contents, when at least one tensor operand's contents are known. */
const elementwise = (kernel: Kernel): ContentsRule => ({ positional, contents }) => {
  const operands = positional.map((v) => (v.kind === 'tensor' ? contents(v) : literalValues(v)));
  if (!positional.some((v) => v.kind === 'tensor' && contents(v) !== undefined)) return undefined;
  return finiteValues(kernel(operands));
};

/**
 * How an op's result contents follow from its arguments, by its catalogue name (`torch.div` with
 * `rounding_mode='floor'` has its own), or undefined when the op does not keep contents known.
 */
export function contentsRule(name: string, roundingMode?: string): ContentsRule | undefined {
  const reduce = WHOLE_REDUCTIONS[name.replace(/^(torch|Tensor)\./, '')];
  const clampKind = CLAMPS[name];
  const kernel = roundingMode !== undefined ? VALUE_KERNELS[`${name}:${roundingMode}`] : VALUE_KERNELS[name];
  const rules = [reduce && reduction(reduce), clampKind && clamp(clampKind), SOURCES[name], kernel && elementwise(kernel)].filter((r): r is ContentsRule => !!r);
  if (rules.length === 0) return undefined;
  return (call) => {
    for (const rule of rules) {
      const values = rule(call);
      if (values) return values;
    }
    return undefined;
  };
}

/**
 * Ops that cut a tensor into consecutive pieces along its first axis (for a 1-D tensor: runs of its values, in order):
 * `torch.linspace(0, rate, sum(depths)).split(depths)` gives each stage its drop-path rates.
 */
export const CONSECUTIVE_PIECE_OPS: ReadonlySet<string> = new Set([
  'torch.split', 'Tensor.split', 'torch.chunk', 'Tensor.chunk', 'torch.tensor_split', 'Tensor.tensor_split', 'torch.unbind', 'Tensor.unbind',
]);

/** The values of each piece when the pieces' sizes are known and cover the input exactly; undefined otherwise. */
export function pieceValues(values: readonly number[], pieceSizes: readonly (number | undefined)[]): number[][] | undefined {
  if (pieceSizes.some((n) => n === undefined)) return undefined;
  const sizes = pieceSizes as number[];
  if (sizes.reduce((a, b) => a + b, 0) !== values.length) return undefined;
  let at = 0;
  return sizes.map((n) => values.slice(at, (at += n)));
}
