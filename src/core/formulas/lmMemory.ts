// Training memory of a GPT-style transformer language model from its configuration, written once over
// Arith<T> (numbers for the calculator, text for its derivation). Parameters count a GPT-2 block (fused
// QKV and output projections with biases, a 4h MLP with biases, two LayerNorms); activations follow
// Korthikanti et al. 2022, "Reducing Activation Recomputation in Large Transformer Models" (arXiv:2205.05198),
// section 4.1, eq. (1): per layer s·b·h·(34 + 5·a·s/h) bytes with 16-bit activations and 1-byte dropout
// masks, without tensor or sequence parallelism; with full recomputation (activation checkpointing) only each
// layer's input, 2·s·b·h bytes, stays (section 5). The paper's terms are kept apart so other element sizes
// (float32, a CPU's dropout mask in the activation's type) read off the same accounting.
import type { Arith } from './arith';

/** A decoder-only transformer (GPT-2 layout). s: sequence length, b: batch, h: d_model, a: heads, L: layers, V: vocabulary. */
export interface LmConfig<T> {
  readonly layers: T;
  readonly dModel: T;
  readonly heads: T;
  readonly vocab: T;
  readonly seqLen: T;
  readonly batch: T;
}

/**
 * Parameters: per layer 12h² + 13h (QKV 3h² + 3h, output projection h² + h, MLP 8h² + 5h, two LayerNorms
 * 4h); token and position embeddings V·h + s·h; the final LayerNorm 2h; an untied output layer V·h more.
 */
export function lmParameterCount<T>(a: Arith<T>, c: LmConfig<T>, tiedOutput: boolean): T {
  const h = c.dModel;
  const perLayer = a.add(a.mul(a.lit(12), a.mul(h, h)), a.mul(a.lit(13), h));
  const embeddings = a.add(a.mul(c.vocab, h), a.mul(c.seqLen, h));
  const total = a.add(a.add(a.mul(c.layers, perLayer), embeddings), a.mul(a.lit(2), h));
  return tiedOutput ? total : a.add(total, a.mul(c.vocab, h));
}

/**
 * Korthikanti et al.'s per-layer activations split by what is stored: 16·s·b·h + 2·a·s²·b activation
 * elements (attention: QKV input, Q, K, V, the output projection's input and the softmax output and its
 * dropped copy; MLP: both linears' inputs and GeLU's input; two LayerNorm inputs) and 2·s·b·h + a·s²·b
 * dropout-mask elements (attention and residual dropouts, the softmax dropout).
 */
export function lmLayerActivationElements<T>(a: Arith<T>, c: LmConfig<T>): { readonly values: T; readonly masks: T } {
  const sbh = a.mul(a.mul(c.seqLen, c.batch), c.dModel);
  const scores = a.mul(a.mul(c.heads, a.mul(c.seqLen, c.seqLen)), c.batch);
  return { values: a.add(a.mul(a.lit(16), sbh), a.mul(a.lit(2), scores)), masks: a.add(a.mul(a.lit(2), sbh), scores) };
}

/**
 * Bytes one layer keeps for backward: values·elementBytes + masks·maskBytes. With 2-byte values and
 * 1-byte masks this is the paper's eq. (1), s·b·h·(34 + 5·a·s/h) = 34·s·b·h + 5·a·s²·b. With activation
 * checkpointing the layer keeps only its input, s·b·h values.
 */
export function lmLayerActivationBytes<T>(a: Arith<T>, c: LmConfig<T>, elementBytes: T, maskBytes: T, checkpointed: boolean): T {
  if (checkpointed) return a.mul(a.mul(a.mul(c.seqLen, c.batch), c.dModel), elementBytes);
  const e = lmLayerActivationElements(a, c);
  return a.add(a.mul(e.values, elementBytes), a.mul(e.masks, maskBytes));
}

/**
 * Outside the layers (the paper's section 4.3, without parallelism): the embedding dropout's mask s·b·h, the
 * final LayerNorm's input and the output layer's input s·b·h values each, and the float32 logits the
 * cross-entropy keeps, 4·s·b·V bytes.
 */
export function lmOuterActivationBytes<T>(a: Arith<T>, c: LmConfig<T>, elementBytes: T, maskBytes: T): T {
  const sbh = a.mul(a.mul(c.seqLen, c.batch), c.dModel);
  const logits = a.mul(a.lit(4), a.mul(a.mul(c.seqLen, c.batch), c.vocab));
  return a.add(a.add(a.mul(sbh, maskBytes), a.mul(a.mul(a.lit(2), sbh), elementBytes)), logits);
}
