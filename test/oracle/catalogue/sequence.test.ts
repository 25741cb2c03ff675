// MultiheadAttention, RNN/LSTM/GRU (+ cells) and the losses against real PyTorch 1.13: returned shapes
// (attention weights, h_n/c_n), parameters in registration order (in_proj vs q/k/v_proj, bias_k/v,
// _reverse, weight_hr), MACs by the oracle's convention, reduction shapes and PyTorch's errors.
import { bool, float, int, str, tensor } from '../../../src/core/values';
import { type LayerCase, oracleSuite } from './harness';

const i = int;

const CASES: LayerCase[] = [
  { id: 'mha self-attention seq-first', layer: 'MultiheadAttention', args: [i(16), i(4)], inputs: [{ shape: [7, 2, 16] }, { shape: [7, 2, 16] }, { shape: [7, 2, 16] }] },
  {
    id: 'mha kdim/vdim batch_first bias_kv zero_attn per-head weights',
    layer: 'MultiheadAttention',
    args: [i(8), i(2)],
    kwargs: { batch_first: bool(true), kdim: i(3), vdim: i(5), add_bias_kv: bool(true), add_zero_attn: bool(true) },
    inputs: [{ shape: [2, 7, 8] }, { shape: [2, 6, 3] }, { shape: [2, 6, 5] }],
    forwardKwargs: { average_attn_weights: bool(false) },
  },
  { id: 'mha unbatched', layer: 'MultiheadAttention', args: [i(8), i(2)], inputs: [{ shape: [7, 8] }, { shape: [6, 8] }, { shape: [6, 8] }] },
  { id: 'mha need_weights False, no bias', layer: 'MultiheadAttention', args: [i(12), i(3)], kwargs: { bias: bool(false) }, inputs: [{ shape: [5, 1, 12] }, { shape: [4, 1, 12] }, { shape: [4, 1, 12] }], forwardKwargs: { need_weights: bool(false) } },
  { id: 'mha embed_dim % num_heads', layer: 'MultiheadAttention', args: [i(10), i(3)], inputs: [{ shape: [2, 1, 10] }, { shape: [2, 1, 10] }, { shape: [2, 1, 10] }] },
  { id: 'mha query width', layer: 'MultiheadAttention', args: [i(8), i(2)], inputs: [{ shape: [7, 2, 6] }, { shape: [6, 2, 8] }, { shape: [6, 2, 8] }] },
  { id: 'mha key/value mismatch', layer: 'MultiheadAttention', args: [i(8), i(2)], inputs: [{ shape: [7, 2, 8] }, { shape: [6, 2, 8] }, { shape: [5, 2, 8] }] },
  { id: 'lstm bidirectional proj_size 2 layers', layer: 'LSTM', args: [i(4), i(6)], kwargs: { num_layers: i(2), bidirectional: bool(true), proj_size: i(3) }, inputs: [{ shape: [5, 2, 4] }] },
  { id: 'lstm batch_first', layer: 'LSTM', args: [i(10), i(20)], kwargs: { batch_first: bool(true) }, inputs: [{ shape: [3, 9, 10] }] },
  { id: 'gru unbatched 2 layers bidirectional', layer: 'GRU', args: [i(4), i(5)], kwargs: { num_layers: i(2), bidirectional: bool(true) }, inputs: [{ shape: [7, 4] }] },
  { id: 'rnn relu, positional bias=False', layer: 'RNN', args: [i(3), i(4), i(2), bool(false)], kwargs: { nonlinearity: str('relu') }, inputs: [{ shape: [6, 2, 3] }] },
  { id: 'rnn unknown nonlinearity', layer: 'RNN', args: [i(3), i(4)], kwargs: { nonlinearity: str('gelu') }, inputs: [{ shape: [6, 2, 3] }] },
  { id: 'gru with h0', layer: 'GRU', args: [i(4), i(5)], inputs: [{ shape: [7, 3, 4] }, { shape: [1, 3, 5] }] },
  { id: 'gru wrong h0', layer: 'GRU', args: [i(4), i(5)], inputs: [{ shape: [7, 3, 4] }, { shape: [1, 2, 5] }] },
  { id: 'lstm input size', layer: 'LSTM', args: [i(10), i(20)], inputs: [{ shape: [5, 3, 7] }] },
  { id: 'lstm proj_size >= hidden', layer: 'LSTM', args: [i(10), i(20)], kwargs: { proj_size: i(20) }, inputs: [{ shape: [5, 3, 10] }] },
  { id: 'gru proj_size', layer: 'GRU', args: [i(10), i(20)], kwargs: { proj_size: i(5) }, inputs: [{ shape: [5, 3, 10] }] },
  { id: 'lstmcell', layer: 'LSTMCell', args: [i(4), i(5)], inputs: [{ shape: [3, 4] }] },
  { id: 'grucell unbatched', layer: 'GRUCell', args: [i(4), i(5)], inputs: [{ shape: [4] }] },
  { id: 'rnncell', layer: 'RNNCell', args: [i(4), i(5)], kwargs: { nonlinearity: str('relu') }, inputs: [{ shape: [2, 4] }] },
  { id: 'lstmcell input size', layer: 'LSTMCell', args: [i(4), i(5)], inputs: [{ shape: [3, 5] }] },
  { id: 'crossentropy none 3d', layer: 'CrossEntropyLoss', kwargs: { reduction: str('none') }, inputs: [{ shape: [4, 10, 5] }, { shape: [4, 5], dtype: 'int64' }] },
  { id: 'crossentropy probabilities', layer: 'CrossEntropyLoss', kwargs: { reduction: str('none') }, inputs: [{ shape: [4, 10] }, { shape: [4, 10] }] },
  { id: 'crossentropy batch mismatch', layer: 'CrossEntropyLoss', inputs: [{ shape: [4, 10] }, { shape: [3], dtype: 'int64' }] },
  { id: 'crossentropy weight buffer', layer: 'CrossEntropyLoss', kwargs: { weight: tensor([10]), label_smoothing: float(0.1) }, inputs: [{ shape: [4, 10] }, { shape: [4], dtype: 'int64' }] },
  { id: 'bcewithlogits pos_weight buffer', layer: 'BCEWithLogitsLoss', kwargs: { pos_weight: tensor([3]) }, inputs: [{ shape: [4, 3] }, { shape: [4, 3] }] },
  { id: 'nllloss mean', layer: 'NLLLoss', inputs: [{ shape: [4, 10] }, { shape: [4], dtype: 'int64' }] },
  { id: 'mseloss legacy reduce=False', layer: 'MSELoss', kwargs: { reduce: bool(false) }, inputs: [{ shape: [4, 10] }, { shape: [4, 10] }] },
  { id: 'mseloss bad reduction', layer: 'MSELoss', kwargs: { reduction: str('foo') }, inputs: [{ shape: [4, 10] }, { shape: [4, 10] }] },
  { id: 'l1loss sum', layer: 'L1Loss', kwargs: { reduction: str('sum') }, inputs: [{ shape: [4, 10] }, { shape: [4, 10] }] },
  { id: 'bcewithlogits size', layer: 'BCEWithLogitsLoss', inputs: [{ shape: [4, 10] }, { shape: [4, 3] }] },
  { id: 'kldiv batchmean', layer: 'KLDivLoss', kwargs: { reduction: str('batchmean') }, inputs: [{ shape: [4, 10] }, { shape: [4, 10] }] },
  { id: 'huber none', layer: 'HuberLoss', kwargs: { reduction: str('none'), delta: int(2) }, inputs: [{ shape: [4, 3] }, { shape: [4, 3] }] },
  { id: 'cosineembedding none', layer: 'CosineEmbeddingLoss', kwargs: { reduction: str('none') }, inputs: [{ shape: [4, 10] }, { shape: [4, 10] }, { shape: [4] }] },
  { id: 'marginranking none', layer: 'MarginRankingLoss', kwargs: { reduction: str('none') }, inputs: [{ shape: [4] }, { shape: [4] }, { shape: [4] }] },
  { id: 'tripletmargin none', layer: 'TripletMarginLoss', kwargs: { reduction: str('none') }, inputs: [{ shape: [4, 10] }, { shape: [4, 10] }, { shape: [4, 10] }] },
  {
    id: 'ctc none',
    layer: 'CTCLoss',
    kwargs: { reduction: str('none') },
    inputs: [{ shape: [50, 16, 20] }, { shape: [16, 30], dtype: 'int64' }, { shape: [16], dtype: 'int64' }, { shape: [16], dtype: 'int64' }],
  },
];

oracleSuite('attention, recurrent layers and losses vs PyTorch 1.13', CASES);
