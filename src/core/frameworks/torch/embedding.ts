// Embedding and EmbeddingBag: a lookup table (weight ~ N(0, 1)); 0 MACs by the catalogue convention.
import * as dims from '../../dims/dims';
import type { Dim } from '../../dims/dims';
import { NONE, bool, float, str, tensor } from '../../values';
import type { ArgSpec, LayerEntry } from '../types';
import { type Args, type KnownTensor, defineLayer, fail, result } from './define';
import { embeddingBagCost, embeddingCost } from './costs';
import { standardNormal } from './init';

export interface EmbeddingConfig {
  readonly num: number;
  readonly dim: number;
}

const INDEX_TYPES = ['int64', 'int32', 'unknown'];

/** Embedding's index check with PyTorch's message; shared with F.embedding. */
export function checkIndices(input: KnownTensor): void {
  if (!INDEX_TYPES.includes(input.dtype)) {
    const names: Record<string, string> = { float32: 'Float', float64: 'Double', float16: 'Half', bool: 'Bool', uint8: 'Byte', int8: 'Char' };
    fail(
      `Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.${names[input.dtype] ?? input.dtype}Tensor instead (while checking arguments for embedding)`,
      'input',
    );
  }
}

const deviceDtype: readonly ArgSpec[] = [
  { name: 'device', default: NONE },
  { name: 'dtype', default: NONE },
];

function checkPaddingIdx(num: number, paddingIdx: number | undefined): void {
  if (paddingIdx !== undefined && (paddingIdx >= num || paddingIdx < -num)) fail('Padding_idx must be within num_embeddings', 'padding_idx');
}

const embedding = defineLayer<EmbeddingConfig>({
  name: 'Embedding',
  signature: [
    { name: 'num_embeddings' },
    { name: 'embedding_dim' },
    { name: 'padding_idx', default: NONE },
    { name: 'max_norm', default: NONE },
    { name: 'norm_type', default: float(2.0) },
    { name: 'scale_grad_by_freq', default: bool(false) },
    { name: 'sparse', default: bool(false) },
    { name: '_weight', default: NONE },
    ...deviceDtype,
  ],
  configure: (a) => {
    const num = a.int('num_embeddings');
    checkPaddingIdx(num, a.optInt('padding_idx'));
    return { num, dim: a.int('embedding_dim') };
  },
  parameters: (c) => [{ name: 'weight', shape: [c.num, c.dim], init: standardNormal }],
  forward: (c, a) => {
    const input = a.tensor('input');
    checkIndices(input);
    return result(tensor([...input.shape, c.dim], 'float32'));
  },
  cost: (_c, _a, q) => embeddingCost(q),
  traits: { grid: 'tokens' },
});

interface EmbeddingBagConfig extends EmbeddingConfig {
  readonly includeLastOffset: boolean;
  readonly mode: 'sum' | 'mean' | 'max';
}

const embeddingBag = defineLayer<EmbeddingBagConfig>({
  name: 'EmbeddingBag',
  signature: [
    { name: 'num_embeddings' },
    { name: 'embedding_dim' },
    { name: 'max_norm', default: NONE },
    { name: 'norm_type', default: float(2.0) },
    { name: 'scale_grad_by_freq', default: bool(false) },
    { name: 'mode', default: str('mean') },
    { name: 'sparse', default: bool(false) },
    { name: '_weight', default: NONE },
    { name: 'include_last_offset', default: bool(false) },
    { name: 'padding_idx', default: NONE },
    ...deviceDtype,
  ],
  forwardSignature: [{ name: 'input' }, { name: 'offsets', default: NONE }, { name: 'per_sample_weights', default: NONE }],
  configure: (a) => {
    const num = a.int('num_embeddings');
    const mode = a.str('mode');
    if (!['sum', 'mean', 'max'].includes(mode)) fail(`mode has to be one of sum, mean or max`, 'mode');
    checkPaddingIdx(num, a.optInt('padding_idx'));
    return { num, dim: a.int('embedding_dim'), includeLastOffset: a.bool('include_last_offset'), mode: mode as EmbeddingBagConfig['mode'] };
  },
  parameters: (c) => [{ name: 'weight', shape: [c.num, c.dim], init: standardNormal }],
  forward: (c, a) => {
    const input = a.tensor('input');
    checkIndices(input);
    const bags = embeddingBagCount(a, input, c.includeLastOffset);
    return result(tensor([bags, c.dim], 'float32'));
  },
  cost: (c, a, q) => {
    if (!a.isNone('per_sample_weights')) throw new Error('what EmbeddingBag keeps with per_sample_weights is not modelled');
    const input = a.tensor('input');
    return embeddingBagCost(input, embeddingBagCount(a, input, c.includeLastOffset), c.dim, c.mode, !a.isNone('offsets'), q);
  },
  traits: { grid: 'tokens' },
});

/**
 * How many bags EmbeddingBag and F.embedding_bag make: a 2-D input's rows (offsets must be None), or a 1-D
 * input's offsets (one fewer with include_last_offset). PyTorch's messages for the rest.
 */
export function embeddingBagCount(a: Args, input: KnownTensor, includeLastOffset: boolean): Dim {
  if (input.shape.length === 2) {
    if (!a.isNone('offsets')) fail('if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences.', 'offsets');
    return input.shape[0]!;
  }
  if (input.shape.length !== 1) return fail(`input has to be 1D or 2D Tensor, but got Tensor of dimension ${input.shape.length}`, 'input');
  const offsets = a.optTensor('offsets');
  if (!offsets) return fail('offsets has to be a 1D Tensor but got None', 'offsets');
  if (offsets.shape.length !== 1) fail('offsets has to be a 1D Tensor', 'offsets');
  return includeLastOffset ? dims.sub(offsets.shape[0]!, 1) : offsets.shape[0]!;
}

export const embeddingLayers: readonly LayerEntry[] = [embedding, embeddingBag];
