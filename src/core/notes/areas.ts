// The ten areas of the notes, in the catalogue's order, with the codicon the sidebar shows for each.
import type { AreaInfo } from './types';

export const areas: readonly AreaInfo[] = [
  { id: 'sequence-models', title: 'Sequence models', icon: 'pulse' },
  { id: 'attention-transformers', title: 'Attention & transformers', icon: 'eye' },
  { id: 'generative', title: 'Generative models', icon: 'sparkle' },
  { id: 'cnn-arithmetic', title: 'CNN arithmetic', icon: 'layers' },
  { id: 'normalization-init', title: 'Normalization & initialization', icon: 'symbol-ruler' },
  { id: 'optimization', title: 'Optimization', icon: 'graph-line' },
  { id: 'regularization', title: 'Regularization', icon: 'shield' },
  { id: 'transfer-meta', title: 'Transfer & meta-learning', icon: 'arrow-swap' },
  { id: 'graph-nets', title: 'Graph networks', icon: 'type-hierarchy' },
  { id: 'math-probability', title: 'Math & probability', icon: 'symbol-operator' },
];
