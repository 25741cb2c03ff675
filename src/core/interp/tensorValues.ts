// Concrete values of small 1-D tensors that configuration code computes with (RegNet derives its stage
// widths with torch.arange/log/round/pow and then .tolist()). Only element values are computed here;
// shapes still come from the catalogue.
import type { Value } from './values';
import { asNumber } from './scalars';

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

export const VALUE_KERNELS: Readonly<Record<string, Kernel>> = {
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

/** Values of a `torch.arange(...)` call from its positional numbers. */
export function arangeValues(args: readonly Value[]): number[] | undefined {
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
export function linspaceValues(start: Value | undefined, end: Value | undefined, steps: Value | undefined): number[] | undefined {
  const [a, b, n] = [start, end, steps].map((v) => (v ? asNumber(v) : undefined));
  if (a === undefined || b === undefined || n === undefined || !Number.isInteger(n) || n < 0 || n > MAX_ELEMENTS) return undefined;
  const f = Math.fround;
  if (n === 1) return [f(a)];
  const step = f(f(f(b) - f(a)) / (n - 1));
  const half = Math.floor(n / 2);
  return Array.from({ length: n }, (_, i) => (i < half ? f(f(a) + f(step * i)) : f(f(b) - f(step * (n - 1 - i)))));
}

/** Values of `torch.tensor([...])` for a flat list of numbers. */
export function literalValues(v: Value | undefined): number[] | undefined {
  if (!v) return undefined;
  const n = asNumber(v);
  if (n !== undefined) return [n];
  if ((v.kind === 'list' || v.kind === 'tuple') && v.items.length <= MAX_ELEMENTS) {
    const out = v.items.map(asNumber);
    return out.every((x) => x !== undefined) ? (out as number[]) : undefined;
  }
  return undefined;
}

export function finiteValues(values: number[] | undefined): number[] | undefined {
  return values && values.length <= MAX_ELEMENTS && values.every(Number.isFinite) ? values : undefined;
}
