// The dropout family: shape-preserving, no parameters, 0 MACs; p is validated as in _DropoutNd.__init__.
import { isSymbolic } from '../../dims/dims';
import { bool, float } from '../../values';
import type { LayerEntry } from '../types';
import { defineLayer, fail, result } from './define';
import { elementwiseOutput } from './activation';

/** PyTorch's check in _DropoutNd.__init__ (and F.dropout). */
export function checkDropoutProbability(p: number): void {
  if (p < 0 || p > 1) fail(`dropout probability has to be between 0 and 1, but got ${p}`, 'p');
}

/** Inputs the feature-dropout variants accept (Dropout1d: 2D/3D, Dropout2d: 3D/4D, Dropout3d: 4D/5D). */
const FEATURE_RANKS: Readonly<Record<string, readonly number[]>> = {
  Dropout1d: [2, 3],
  Dropout3d: [4, 5],
};

export const dropoutLayers: readonly LayerEntry<any>[] = ['Dropout', 'Dropout1d', 'Dropout2d', 'Dropout3d', 'AlphaDropout', 'FeatureAlphaDropout'].map((name) =>
  defineLayer<null>({
    name,
    topic: name === 'Dropout2d' || name === 'Dropout3d' || name === 'Dropout1d' ? 'spatial-dropout-drop-channels' : 'dropout',
    signature: [
      { name: 'p', default: float(0.5) },
      { name: 'inplace', default: bool(false) },
    ],
    configure: (a) => {
      // p only scales activations: an unknown p leaves the layer known; a known one is range-checked.
      const p = a.value('p');
      if (p?.kind !== 'unknown' && !(p?.kind === 'int' && isSymbolic(p.value))) checkDropoutProbability(a.float('p'));
      return null;
    },
    forward: (_c, a) => {
      const input = a.value('input');
      const ranks = FEATURE_RANKS[name];
      if (ranks && input?.kind === 'tensor' && input.shape && !ranks.includes(input.shape.length)) {
        const n = name === 'Dropout1d' ? '1' : '3';
        fail(`${name}: Expected ${ranks[0]}D or ${ranks[1]}D input, but received a ${input.shape.length}D input. Note that dropout${n}d exists to provide channel-wise dropout on inputs with ${n} spatial dimension${n === '1' ? '' : 's'}, a channel dimension, and an optional batch dimension (i.e. ${ranks[0]}D or ${ranks[1]}D inputs).`, 'input');
      }
      return result(elementwiseOutput(input));
    },
  }),
);
