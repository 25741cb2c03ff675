// The MAC convention of the whole catalogue, stated once (the oracle script uses the same table):
// one multiply-add = 1 MAC, forward pass only, biases not counted.
//   conv:            out_numel · (C_in / groups) · ΠK
//   conv transpose:  in_numel · (C_out / groups) · ΠK
//   linear:          out_numel · in_features;   bilinear: out_numel · in1 · in2
//   matmul/bmm/einsum: product of all index sizes (batch · n · m · p)
//   attention (MHA): q/k/v projections + QKᵀ + AV + out projection; F.scaled_dot_product_attention: QKᵀ + AV
//   RNN/LSTM/GRU:    per time step, layer and direction: gates·hidden·(in + hidden) (+ hidden·proj for proj_size)
//   everything else (norms, activations, pooling, dropout, embedding, padding, reshapes, elementwise
//   arithmetic, reductions, losses): 0. `null` means the count cannot be known.
import type { Dim } from '../../dims/dims';

export const NO_MACS: Dim = 0;
