// Strides of PyTorch views: which reshapes are views and which must copy, as ATen decides (computeStride in
// aten/src/ATen/TensorUtils.cpp). Autograd keeps views by reference to their storage, and a reshape that
// cannot be a view makes a contiguous copy, so activation memory depends on these decisions. Symbolic sizes
// are decided on a generic instance (every symbol = 7): layouts do not change with the batch size.
import * as dims from '../../dims/dims';
import type { Dim } from '../../dims/dims';

/** A representative value of a size: symbols replaced by a generic size (not 1, which views treat specially). */
export function sampleSize(d: Dim): number {
  if (typeof d === 'number') return d;
  const env: Record<string, Dim> = {};
  for (const s of dims.symbolsOf(d)) env[s] = 7;
  const v = dims.substitute(d, env);
  return typeof v === 'number' ? v : 7;
}

/** Row-major strides of a contiguous tensor of this shape (in elements). */
export function contiguousStrides(shape: readonly Dim[]): number[] {
  const out = new Array<number>(shape.length);
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = step;
    step *= Math.max(sampleSize(shape[i]!), 1);
  }
  return out;
}

/** PyTorch's is_contiguous: strides match the row-major ones on every axis of size > 1. */
export function isContiguous(shape: readonly Dim[], strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const size = sampleSize(shape[i]!);
    if (size === 1) continue;
    if (strides[i] !== expected) return false;
    expected *= size;
  }
  return true;
}

/**
 * The strides of `oldShape` viewed as `newShape`, or undefined when no view can express it (then `view`
 * raises and `reshape` copies). A port of ATen's computeStride.
 */
export function viewStrides(oldShape: readonly Dim[], oldStrides: readonly number[], newShape: readonly Dim[]): number[] | undefined {
  const oldSizes = oldShape.map(sampleSize);
  const newSizes = newShape.map(sampleSize);
  if (oldSizes.length === 0) return newSizes.map(() => 1);
  const numel = oldSizes.reduce((p, s) => p * s, 1);
  if (numel === 0) return oldSizes.join() === newSizes.join() ? [...oldStrides] : contiguousStrides(newShape);
  const newStrides = new Array<number>(newSizes.length).fill(0);
  let viewD = newSizes.length - 1;
  let chunkBaseStride = oldStrides[oldStrides.length - 1]!;
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let tensorD = oldSizes.length - 1; tensorD >= 0; tensorD--) {
    tensorNumel *= oldSizes[tensorD]!;
    if (tensorD === 0 || (oldSizes[tensorD - 1] !== 1 && oldStrides[tensorD - 1] !== tensorNumel * chunkBaseStride)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newSizes[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBaseStride;
        viewNumel *= newSizes[viewD]!;
        viewD--;
      }
      if (viewNumel !== tensorNumel) return undefined;
      if (tensorD > 0) {
        chunkBaseStride = oldStrides[tensorD - 1]!;
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? newStrides : undefined;
}

/** expand: an axis broadcast from size 1 (or added in front) reads the same element: stride 0. */
export function expandStrides(oldShape: readonly Dim[], oldStrides: readonly number[], newShape: readonly Dim[]): number[] {
  const offset = newShape.length - oldShape.length;
  return newShape.map((size, i) => {
    const j = i - offset;
    if (j < 0) return 0;
    return sampleSize(oldShape[j]!) === 1 && sampleSize(size) !== 1 ? 0 : oldStrides[j]!;
  });
}
