// Where advanced indexing puts its result axes (`x[idx0, idx1]` with tensor or list indices), as PyTorch and
// NumPy decide it. Basic indices (slices, None, ints) keep or drop one axis each; all advanced indices broadcast
// together into one block of axes that replaces them when they are adjacent and goes first when they are not.
// The one difference: PyTorch applies an int index as a select before the advanced ones, so `x[0, :, idx]`
// is [16, 5] for a [2, 16, 128] tensor, while NumPy treats the int as an advanced index and gives (5, 16).
import type { Dim } from '../../dims/dims';
import { formatDim } from '../../dims/dims';
import { broadcastAll } from './shapes';

/** One index position after the ellipsis is expanded. */
export type IndexPiece =
  | { readonly kind: 'axes'; readonly dims: readonly Dim[] }
  | { readonly kind: 'select' }
  | { readonly kind: 'advanced'; readonly shape: readonly Dim[] };

export type IndexLibrary = 'torch' | 'numpy';

/**
 * The result shape of indexing, from the pieces in order (trailing unindexed axes included as 'axes').
 * Throws PyTorch's IndexError text when the advanced indices do not broadcast.
 */
export function indexedShape(pieces: readonly IndexPiece[], library: IndexLibrary): Dim[] {
  const hasArrayIndex = pieces.some((p) => p.kind === 'advanced');
  // NumPy counts an int as a 0-d advanced index once an array index is present; PyTorch selects it first.
  const effective = pieces.flatMap((p): IndexPiece[] => {
    if (p.kind !== 'select') return [p];
    return library === 'numpy' && hasArrayIndex ? [{ kind: 'advanced', shape: [] }] : [];
  });
  const advancedAt = effective.flatMap((p, i) => (p.kind === 'advanced' ? [i] : []));
  if (advancedAt.length === 0) return effective.flatMap((p) => (p.kind === 'axes' ? [...p.dims] : []));
  const shapes = advancedAt.map((i) => (effective[i] as Extract<IndexPiece, { kind: 'advanced' }>).shape);
  const block = broadcastIndexShapes(shapes);
  const adjacent = advancedAt[advancedAt.length - 1]! - advancedAt[0]! === advancedAt.length - 1;
  const basic = (p: IndexPiece): Dim[] => (p.kind === 'axes' ? [...p.dims] : []);
  if (!adjacent) return [...block, ...effective.flatMap(basic)];
  const first = advancedAt[0]!;
  return [...effective.slice(0, first).flatMap(basic), ...block, ...effective.slice(first + advancedAt.length).flatMap(basic)];
}

function broadcastIndexShapes(shapes: readonly (readonly Dim[])[]): Dim[] {
  try {
    return broadcastAll(shapes);
  } catch {
    const listed = shapes.map((s) => `[${s.map(formatDim).join(', ')}]`).join(', ');
    throw new Error(`shape mismatch: indexing tensors could not be broadcast together with shapes ${listed}`);
  }
}
