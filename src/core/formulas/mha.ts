// MACs of one nn.MultiheadAttention call (PyTorch's module, with kdim/vdim and the extra key positions of
// add_bias_kv / add_zero_attn). Written once over Arith<T>. One multiply-add = 1 MAC; biases not counted.
import type { Arith } from './arith';

export interface MultiheadAttentionCall<T> {
  /** N (1 when unbatched). */
  readonly batch: T;
  /** L, the target (query) length. */
  readonly queryLength: T;
  /** S, the source (key/value) length before bias_k/zero-attention positions are appended. */
  readonly keyLength: T;
  /** S' = S + add_bias_kv + add_zero_attn: the key positions the scores are computed over. */
  readonly attendedLength: T;
  readonly embedDim: T;
  readonly kdim: T;
  readonly vdim: T;
}

/**
 * N·[L·E·E (Q projection) + S·kdim·E (K) + S·vdim·E (V) + L·S'·E (QKᵀ over all heads)
 * + L·S'·E (weights·V) + L·E·E (output projection)].
 */
export function multiheadAttentionMacs<T>(a: Arith<T>, c: MultiheadAttentionCall<T>): T {
  const e = c.embedDim;
  const queryProjection = a.mul(c.queryLength, a.mul(e, e));
  const keyProjection = a.mul(c.keyLength, a.mul(c.kdim, e));
  const valueProjection = a.mul(c.keyLength, a.mul(c.vdim, e));
  const scores = a.mul(c.queryLength, a.mul(c.attendedLength, e));
  const weighted = a.mul(c.queryLength, a.mul(c.attendedLength, e));
  const outputProjection = a.mul(c.queryLength, a.mul(e, e));
  const perItem = [keyProjection, valueProjection, scores, weighted, outputProjection].reduce((acc, x) => a.add(acc, x), queryProjection);
  return a.mul(c.batch, perItem);
}

/** F.scaled_dot_product_attention: QKᵀ (L·S·E_k) + weights·V (L·S·E_v) per batch·head item. */
export function scaledDotProductAttentionMacs<T>(a: Arith<T>, items: T, queryLength: T, keyLength: T, keyDim: T, valueDim: T): T {
  return a.mul(items, a.mul(a.mul(queryLength, keyLength), a.add(keyDim, valueDim)));
}
