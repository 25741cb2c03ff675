// Shape helpers shared by the catalogue: dim normalisation, broadcasting, rank checks, dtype promotion.
import * as dims from '../../dims/dims';
import type { Dim } from '../../dims/dims';
import type { DType } from '../../values';
import { fail, giveUp, shapeText } from './define';

/** Python-style dim index: -1 is the last; PyTorch's IndexError text when out of range. */
export function normalizeDim(dim: number, rank: number): number {
  const lo = -Math.max(rank, 1);
  const hi = Math.max(rank, 1) - 1;
  if (dim < lo || dim > hi) fail(`Dimension out of range (expected to be in range of [${lo}, ${hi}], but got ${dim})`, 'dim');
  return dim < 0 ? dim + Math.max(rank, 1) : dim;
}

/** Reads a dim argument that must be a plain number (dims of a tensor are never symbolic). */
export function knownIndex(d: Dim, what = 'dim'): number {
  if (typeof d !== 'number') return giveUp(`${what} depends on the input (${dims.formatDim(d)})`, what);
  return d;
}

export const numel = (shape: readonly Dim[]): Dim => dims.product(shape);

/** a == b when decidable; otherwise the analysis keeps going (symbolic sizes are assumed compatible). */
export const provablyDifferent = (a: Dim, b: Dim): boolean => dims.equal(a, b) === false;

/** Broadcasting of two shapes (NumPy rules) with PyTorch's error text. */
export function broadcastShapes(a: readonly Dim[], b: readonly Dim[]): Dim[] {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    out.push(broadcastDim(da, db, i));
  }
  return out;
}

function broadcastDim(a: Dim, b: Dim, index: number): Dim {
  if (a === 1) return b;
  if (b === 1) return a;
  const same = dims.equal(a, b);
  if (same === true) return a;
  if (same === false && typeof a === 'number' && typeof b === 'number') {
    fail(`The size of tensor a (${a}) must match the size of tensor b (${b}) at non-singleton dimension ${index}`);
  }
  // Undecidable (symbolic): the known non-1 size wins, since the other must equal it or be 1.
  return typeof b === 'number' ? b : a;
}

export function broadcastAll(shapes: readonly (readonly Dim[])[]): Dim[] {
  return shapes.reduce<Dim[]>((acc, s) => broadcastShapes(acc, s), []);
}

/** Checks the rank is one of `allowed`, with PyTorch's usual "expected 2D or 3D input (got 4D input)". */
export function expectRank(shape: readonly Dim[], allowed: readonly number[], owner?: string): void {
  if (allowed.includes(shape.length)) return;
  const list = allowed.map((r) => `${r}D`).join(' or ');
  fail(`${owner ? `${owner}: ` : ''}expected ${list} input (got ${shape.length}D input)`, 'input');
}

/** Output sizes must be positive; PyTorch's pooling message. */
export function checkOutputPositive(input: readonly Dim[], output: readonly Dim[], what: 'pool' | 'conv'): void {
  if (output.some((d) => typeof d === 'number' && d <= 0)) {
    const fmt = (s: readonly Dim[]) => s.map(dims.formatDim).join('x');
    fail(
      what === 'pool'
        ? `Given input size: (${fmt(input)}). Calculated output size: (${fmt(output)}). Output size is too small`
        : `output size ${shapeText(output)} is too small for input ${shapeText(input)}`,
      'input',
    );
  }
}

const FLOAT_RANK: Readonly<Partial<Record<DType, number>>> = { float16: 1, bfloat16: 1, float32: 2, float64: 3, complex64: 4, complex128: 5 };
const INT_RANK: Readonly<Partial<Record<DType, number>>> = { bool: 0, uint8: 1, int8: 1, int32: 2, int64: 3 };

export const isFloating = (d: DType): boolean => FLOAT_RANK[d] !== undefined;

export const isComplex = (d: DType): boolean => d === 'complex64' || d === 'complex128';

/** The real dtype of a complex one (abs, real, imag, view_as_real): complex64 → float32, complex128 → float64. */
export const realPart = (d: DType): DType => (d === 'complex64' ? 'float32' : d === 'complex128' ? 'float64' : d);

/** The complex dtype holding pairs of a real one (view_as_complex, torch.complex, stft). */
export const complexOf = (d: DType): DType => (d === 'float64' ? 'complex128' : d === 'unknown' ? 'unknown' : 'complex64');

/** Result dtype of a binary op on two tensors (simplified torch.result_type). */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  const fa = FLOAT_RANK[a];
  const fb = FLOAT_RANK[b];
  if (fa !== undefined && fb !== undefined) return fa >= fb ? a : b;
  if (fa !== undefined) return a;
  if (fb !== undefined) return b;
  return (INT_RANK[a] ?? 0) >= (INT_RANK[b] ?? 0) ? a : b;
}

/** Result dtype of tensor ∘ Python scalar: a float scalar lifts integer tensors to the default float. */
export function promoteWithScalar(t: DType, scalar: 'int' | 'float' | 'bool'): DType {
  if (scalar === 'float' && !isFloating(t) && t !== 'unknown') return 'float32';
  if (scalar === 'int' && t === 'bool') return 'int64';
  return t;
}

