// Small dense linear algebra on Float64Array, row-major, for the simulations' matrices (width ≤ 4096).
// Every index below stays inside the sizes its loop runs over (`!` marks those reads); the vector arguments'
// lengths are checked against the matrix where they come from a caller.
import { InternalError } from '../invariant';
import type { Rng } from './random';

/** A row-major matrix: entry (r, c) at data[r·cols + c]. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** y = M·x. */
export function matVec(m: Matrix, x: Float64Array): Float64Array {
  if (x.length !== m.cols) throw new InternalError(`matVec: a vector of ${x.length} for a matrix of ${m.cols} columns`);
  const y = new Float64Array(m.rows);
  for (let r = 0; r < m.rows; r++) {
    let sum = 0;
    const offset = r * m.cols;
    for (let c = 0; c < m.cols; c++) sum += m.data[offset + c]! * x[c]!;
    y[r] = sum;
  }
  return y;
}

/** y = Mᵀ·x. */
export function matTVec(m: Matrix, x: Float64Array): Float64Array {
  if (x.length !== m.rows) throw new InternalError(`matTVec: a vector of ${x.length} for a matrix of ${m.rows} rows`);
  const y = new Float64Array(m.cols);
  for (let r = 0; r < m.rows; r++) {
    const xr = x[r]!;
    if (xr === 0) continue;
    const offset = r * m.cols;
    for (let c = 0; c < m.cols; c++) y[c]! += m.data[offset + c]! * xr;
  }
  return y;
}

export function norm(x: Iterable<number>): number {
  let sum = 0;
  for (const v of x) sum += v * v;
  return Math.sqrt(sum);
}

/**
 * A Haar-random orthogonal matrix as a product of Householder reflections (Stewart 1980): reflection k
 * acts on coordinates k..n−1 with a Gaussian direction. Kept as reflections so applying it costs O(n²)
 * per vector without forming the matrix.
 */
export interface Reflections {
  readonly size: number;
  /** Unit vectors; vector k is zero before coordinate k. */
  readonly directions: readonly Float64Array[];
  /** ±1 per coordinate, the sign fix that makes the product Haar-distributed. */
  readonly signs: Float64Array;
}

export function randomReflections(rng: Rng, size: number): Reflections {
  const directions: Float64Array[] = [];
  const signs = new Float64Array(size).fill(1);
  for (let k = 0; k < size - 1; k++) {
    const v = new Float64Array(size);
    for (let i = k; i < size; i++) v[i] = rng.normal();
    // Reflect x onto ±‖x‖e_k: v = x + sign(x_k)‖x‖e_k, the numerically stable choice.
    const length = norm(v);
    const sign = v[k]! >= 0 ? 1 : -1;
    signs[k] = -sign;
    v[k]! += sign * length;
    const vLength = norm(v);
    if (vLength > 0) for (let i = k; i < size; i++) v[i]! /= vLength;
    directions.push(v);
  }
  signs[size - 1] = rng.uniform() < 0.5 ? -1 : 1;
  return { size, directions, signs };
}

/** Q·x in place, Q = H_0·H_1·…·H_{n−2}·diag(signs). */
export function applyReflections(q: Reflections, x: Float64Array): void {
  for (let i = 0; i < q.size; i++) x[i]! *= q.signs[i]!;
  for (let k = q.directions.length - 1; k >= 0; k--) reflect(q.directions[k]!, k, x);
}

/** Qᵀ·x in place (each reflection is its own inverse, so apply them in the opposite order). */
export function applyReflectionsTransposed(q: Reflections, x: Float64Array): void {
  for (let k = 0; k < q.directions.length; k++) reflect(q.directions[k]!, k, x);
  for (let i = 0; i < q.size; i++) x[i]! *= q.signs[i]!;
}

function reflect(v: Float64Array, from: number, x: Float64Array): void {
  let dot = 0;
  for (let i = from; i < v.length; i++) dot += v[i]! * x[i]!;
  const twice = 2 * dot;
  for (let i = from; i < v.length; i++) x[i]! -= twice * v[i]!;
}

/** The explicit n×n orthogonal matrix of a reflection product (for small n). */
export function reflectionsToMatrix(q: Reflections): Matrix {
  const n = q.size;
  const data = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const column = new Float64Array(n);
    column[c] = 1;
    applyReflections(q, column);
    for (let r = 0; r < n; r++) data[r * n + c] = column[r]!;
  }
  return { rows: n, cols: n, data };
}

/** A·B for square or rectangular matrices. */
export function matMul(a: Matrix, b: Matrix): Matrix {
  const data = new Float64Array(a.rows * b.cols);
  for (let r = 0; r < a.rows; r++) {
    for (let k = 0; k < a.cols; k++) {
      const ark = a.data[r * a.cols + k]!;
      if (ark === 0) continue;
      const bOffset = k * b.cols;
      const outOffset = r * b.cols;
      for (let c = 0; c < b.cols; c++) data[outOffset + c]! += ark * b.data[bOffset + c]!;
    }
  }
  return { rows: a.rows, cols: b.cols, data };
}

export function transpose(m: Matrix): Matrix {
  const data = new Float64Array(m.rows * m.cols);
  for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) data[c * m.rows + r] = m.data[r * m.cols + c]!;
  return { rows: m.cols, cols: m.rows, data };
}
