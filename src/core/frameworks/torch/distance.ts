// CosineSimilarity and PairwiseDistance, with the shape rules F.cosine_similarity / F.pairwise_distance share.
import type { Dim } from '../../dims/dims';
import { bool, float, int, tensor } from '../../values';
import type { LayerEntry } from '../types';
import { defineLayer, result } from './define';
import { broadcastShapes, normalizeDim } from './shapes';

/** Broadcast x1 and x2, then reduce `dim`. */
export function cosineSimilarityShape(a: readonly Dim[], b: readonly Dim[], dim: number): Dim[] {
  const shape = broadcastShapes(a, b);
  const d = normalizeDim(dim, shape.length);
  return shape.filter((_, i) => i !== d);
}

/** Broadcast x1 and x2, then reduce the last dim (kept as 1 with keepdim). */
export function pairwiseDistanceShape(a: readonly Dim[], b: readonly Dim[], keepdim: boolean): Dim[] {
  const shape = broadcastShapes(a, b);
  return keepdim ? [...shape.slice(0, -1), 1] : shape.slice(0, -1);
}

const cosineSimilarity = defineLayer<{ readonly dim: number }>({
  name: 'CosineSimilarity',
  signature: [{ name: 'dim', default: int(1) }, { name: 'eps', default: float(1e-8) }],
  forwardSignature: [{ name: 'x1' }, { name: 'x2' }],
  configure: (a) => ({ dim: a.int('dim') }),
  forward: (c, a) => {
    const x1 = a.tensor('x1');
    return result(tensor(cosineSimilarityShape(x1.shape, a.tensor('x2').shape, c.dim), x1.dtype));
  },
});

const pairwiseDistance = defineLayer<{ readonly keepdim: boolean }>({
  name: 'PairwiseDistance',
  signature: [{ name: 'p', default: float(2.0) }, { name: 'eps', default: float(1e-6) }, { name: 'keepdim', default: bool(false) }],
  forwardSignature: [{ name: 'x1' }, { name: 'x2' }],
  configure: (a) => ({ keepdim: a.bool('keepdim') }),
  forward: (c, a) => {
    const x1 = a.tensor('x1');
    return result(tensor(pairwiseDistanceShape(x1.shape, a.tensor('x2').shape, c.keepdim), x1.dtype));
  },
});

export const distanceLayers: readonly LayerEntry[] = [cosineSimilarity, pairwiseDistance];
