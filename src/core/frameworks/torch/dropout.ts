// The dropout family: shape-preserving, no parameters, 0 MACs; p is validated as in _DropoutNd.__init__.
import { isSymbolic } from '../../dims/dims';
import { bool, float } from '../../values';
import type { LayerEntry } from '../types';
import { defineLayer, fail, result } from './define';
import { elementwiseOutput } from './activation';
import { dropoutCost } from './costs';

/** PyTorch's check in _DropoutNd.__init__ (and F.dropout). */
export function checkDropoutProbability(p: number): void {
  if (p < 0 || p > 1) fail(`dropout probability has to be between 0 and 1, but got ${p}`, 'p');
}

/** Inputs the feature-dropout variants accept (Dropout1d: 2D/3D, Dropout2d: 3D/4D, Dropout3d: 4D/5D). */
const FEATURE_RANKS: Readonly<Record<string, readonly number[]>> = {
  Dropout1d: [2, 3],
  Dropout3d: [4, 5],
};

/** What a training step needs to know of a dropout layer: p (undefined when unknown) and whether it works in place. */
interface DropoutConfig {
  readonly p: number | undefined;
  readonly inplace: boolean;
}

export const dropoutLayers: readonly LayerEntry[] = ['Dropout', 'Dropout1d', 'Dropout2d', 'Dropout3d', 'AlphaDropout', 'FeatureAlphaDropout'].map((name) =>
  defineLayer<DropoutConfig>({
    name,
    topic: name === 'Dropout2d' || name === 'Dropout3d' || name === 'Dropout1d' ? 'spatial-dropout-drop-channels' : 'dropout',
    // The init-variance estimate passes through (inverted) dropout as it is; alpha dropout shifts and rescales, so it ends a chain.
    traits: {
      keepsShape: true,
      ...(name.includes('Alpha') ? {} : { variance: { kind: 'passThrough' } }),
      training: { kind: 'dropout', drops: /\dd$|Feature/.test(name) ? 'channels' : 'elements', alpha: name.includes('Alpha') },
      ...(/\dd$/.test(name) ? { spatialRank: Number(/(\d)d$/.exec(name)![1]) } : {}),
    },
    signature: [
      { name: 'p', default: float(0.5) },
      { name: 'inplace', default: bool(false) },
    ],
    configure: (a) => {
      // p only scales activations: an unknown p leaves the layer known; a known one is range-checked.
      const p = a.value('p');
      const known = p?.kind !== 'unknown' && !(p?.kind === 'int' && isSymbolic(p.value));
      if (known) checkDropoutProbability(a.float('p'));
      return { p: known ? a.float('p') : undefined, inplace: a.bool('inplace') };
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
    // Feature dropout (Dropout1d/2d/3d) draws one mask value per channel: its mask is the output's first two dims.
    cost: (c, a, q) => {
      if (c.p === undefined) throw new Error('dropout p is unknown');
      const cost = dropoutCost(c.p, q.training, c.inplace, q);
      if (!/^Dropout\dd$/.test(name) || !cost.saves) return cost;
      const input = a.tensor('input');
      const channelShape = input.shape.length === (FEATURE_RANKS[name]?.[1] ?? 4) ? input.shape.slice(0, 2) : input.shape.slice(0, 1);
      return { ...cost, saves: [{ what: 'channel dropout mask', shape: channelShape, element: 'same' }] };
    },
  }),
);
