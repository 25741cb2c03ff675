// Attention cost formulas (notes topics attention-complexity, vit-attention-cost, multi-head-attention,
// multi-query-attention). Written once over Arith<T>, so hovers can show them symbolically or substituted.
// Costs are multiply-accumulates (MACs); an (m×n)(n×p) matmul costs m·n·p MACs and FLOPs ≈ 2·MACs.
import type { Arith } from './arith';

/** d_h = d / h (PyTorch requires embed_dim % num_heads == 0; floor division keeps it integral). */
export function headDim<T>(a: Arith<T>, embedDim: T, numHeads: T): T {
  return a.floorDiv(embedDim, numHeads);
}

/** An attention block's shape in the standard convention: h query heads of size d_h = d/h, g K/V heads. */
export interface AttentionShape<T> {
  /** Model (embedding) dimension d. */
  readonly embedDim: T;
  /** Query heads h. */
  readonly numHeads: T;
  /** K/V heads g: h for MHA, 1 for MQA, 1 < g < h for GQA. */
  readonly kvHeads: T;
}

/** Width of the K (or V) projection's output: g·d_h (= d for MHA). */
export function kvWidth<T>(a: Arith<T>, s: AttentionShape<T>): T {
  return a.mul(s.kvHeads, headDim(a, s.embedDim, s.numHeads));
}

/**
 * Parameters of an attention block with g K/V heads: W_Q d·d, W_K and W_V d·(g·d_h) each, W_O d·d,
 * plus biases d + 2·g·d_h + d. For MHA (g = h) this is nn.MultiheadAttention's 4d² + 4d.
 */
export function attentionParameterCount<T>(a: Arith<T>, s: AttentionShape<T>, bias: boolean): T {
  const d = s.embedDim;
  const kv = kvWidth(a, s);
  const square = a.mul(d, d);
  const weights = a.add(a.mul(a.lit(2), square), a.mul(a.lit(2), a.mul(d, kv)));
  if (!bias) return weights;
  return a.add(weights, a.add(a.mul(a.lit(2), d), a.mul(a.lit(2), kv)));
}

/** The notes' convention: h heads with their own d×d W_Q, and kv_heads d×d W_K, W_V tables; no W_O, no bias. */
export function attentionParameterCountNotesConvention<T>(a: Arith<T>, s: AttentionShape<T>): T {
  const square = a.mul(s.embedDim, s.embedDim);
  return a.add(a.mul(s.numHeads, square), a.mul(a.mul(a.lit(2), s.kvHeads), square));
}

/**
 * nn.MultiheadAttention(embed_dim, num_heads, bias, add_bias_kv, kdim, vdim) parameter count:
 * q/k/v projections d·d + d·kdim + d·vdim (one in_proj_weight 3d·d when kdim = vdim = d), in_proj_bias 3d,
 * out_proj d·d + d, and bias_k, bias_v of d each with add_bias_kv.
 */
export function multiheadAttentionModuleParameterCount<T>(
  a: Arith<T>,
  m: { readonly embedDim: T; readonly kdim: T; readonly vdim: T; readonly bias: boolean; readonly addBiasKv: boolean },
): T {
  const d = m.embedDim;
  const projections = a.mul(d, a.add(a.add(d, m.kdim), m.vdim));
  const outProj = a.mul(d, d);
  let total = a.add(projections, outProj);
  if (m.bias) total = a.add(total, a.mul(a.lit(4), d));
  if (m.addBiasKv) total = a.add(total, a.mul(a.lit(2), d));
  return total;
}

/** MACs of one attention block, split by stage. */
export interface AttentionMacs<T> {
  /** X·W_Q over the query positions. */
  readonly queryProjection: T;
  /** X·W_K and X·W_V over the key positions. */
  readonly keyValueProjection: T;
  /** Q·Kᵀ over all heads. */
  readonly scores: T;
  /** α·V over all heads. */
  readonly weightedValues: T;
  /** Concat(heads)·W_O (0 in the notes' convention, which has no W_O). */
  readonly outputProjection: T;
  readonly total: T;
}

function sumStages<T>(a: Arith<T>, parts: Omit<AttentionMacs<T>, 'total'>): AttentionMacs<T> {
  const total = [parts.keyValueProjection, parts.scores, parts.weightedValues, parts.outputProjection].reduce(
    (acc, x) => a.add(acc, x),
    parts.queryProjection,
  );
  return { ...parts, total };
}

/**
 * Standard convention (d_h = d/h, with W_O): N query positions attend over M key positions.
 * Q: N·d², K,V: 2·M·d·(g·d_h), scores: N·M·d, α·V: N·M·d, W_O: N·d².
 * Self-attention is M = N: 4Md² + 2M²d for MHA. Decoder self-attention computed densely (masked, not
 * skipped) costs the same as encoder self-attention over N positions.
 */
export function attentionMacs<T>(a: Arith<T>, s: AttentionShape<T>, queryLength: T, keyLength: T): AttentionMacs<T> {
  const d = s.embedDim;
  const square = a.mul(d, d);
  const pairs = a.mul(queryLength, keyLength);
  return sumStages(a, {
    queryProjection: a.mul(queryLength, square),
    keyValueProjection: a.mul(a.lit(2), a.mul(keyLength, a.mul(d, kvWidth(a, s)))),
    scores: a.mul(pairs, d),
    weightedValues: a.mul(pairs, d),
    outputProjection: a.mul(queryLength, square),
  });
}

/**
 * The notes' convention: each of the h heads has its own d×d W_Q, W_K, W_V and no W_O.
 * Per head Q: N·d², K,V: 2·M·d², scores and α·V: N·M·d each; times h. Self-attention: h·(3Md² + 2M²d).
 * kvHeads is the number of K/V tables (1 for the notes' MQA, which saves 2Md²(h − 1)).
 */
export function attentionMacsNotesConvention<T>(a: Arith<T>, s: AttentionShape<T>, queryLength: T, keyLength: T): AttentionMacs<T> {
  const d = s.embedDim;
  const h = s.numHeads;
  const square = a.mul(d, d);
  const pairs = a.mul(queryLength, keyLength);
  return sumStages(a, {
    queryProjection: a.mul(h, a.mul(queryLength, square)),
    keyValueProjection: a.mul(s.kvHeads, a.mul(a.lit(2), a.mul(keyLength, square))),
    scores: a.mul(h, a.mul(pairs, d)),
    weightedValues: a.mul(h, a.mul(pairs, d)),
    outputProjection: a.lit(0),
  });
}

/** Elements of the attention-score matrices: h·N·M (the O(M²) memory of self-attention), per batch item. */
export function scoreMatrixElements<T>(a: Arith<T>, numHeads: T, queryLength: T, keyLength: T): T {
  return a.mul(numHeads, a.mul(queryLength, keyLength));
}

/** MACs to decode token t with a KV cache (MHA, standard convention): 4d² + 2·t·d. */
export function decodeStepMacs<T>(a: Arith<T>, embedDim: T, position: T): T {
  return a.add(a.mul(a.lit(4), a.mul(embedDim, embedDim)), a.mul(a.lit(2), a.mul(position, embedDim)));
}

export interface KvCacheShape<T> {
  readonly layers: T;
  readonly kvHeads: T;
  readonly headDim: T;
  readonly context: T;
  readonly batch: T;
  readonly bytesPerElement: T;
}

/** KV-cache bytes: 2 (K and V) · layers · context · g · d_h · batch · bytes per element. */
export function kvCacheBytes<T>(a: Arith<T>, c: KvCacheShape<T>): T {
  const perToken = a.mul(a.mul(a.lit(2), c.layers), a.mul(c.kvHeads, c.headDim));
  return a.mul(a.mul(a.mul(perToken, c.context), c.batch), c.bytesPerElement);
}

/** Bytes of one element of each dtype a KV cache is stored in. */
export const DTYPE_BYTES = { fp32: 4, fp16: 2, bf16: 2, int8: 1, fp8: 1 } as const;
export type CacheDtype = keyof typeof DTYPE_BYTES;

/**
 * ViT token count: ⌊H/P⌋·⌊W/P⌋ (+1 CLS). The floors are what a Conv2d(C, D, kernel_size=P, stride=P)
 * patch embedding produces: ⌊(H − P)/P⌋ + 1 = ⌊H/P⌋.
 */
export function vitTokenCount<T>(a: Arith<T>, height: T, width: T, patch: T, classToken: boolean): T {
  const patches = a.mul(a.floorDiv(height, patch), a.floorDiv(width, patch));
  return classToken ? a.add(patches, a.lit(1)) : patches;
}

/** ViT patch-embedding parameters: P²·C·D + D (a Conv2d with bias). */
export function patchEmbeddingParameterCount<T>(a: Arith<T>, patch: T, channels: T, embedDim: T): T {
  return a.add(a.mul(a.mul(a.mul(patch, patch), channels), embedDim), embedDim);
}
