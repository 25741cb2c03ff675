// nn.MultiheadAttention as one atomic unit (its out_proj is never called as a module), and the shape rule
// of F.scaled_dot_product_attention. MACs come from formulas/mha.ts.
import * as dims from '../../dims/dims';
import type { Dim } from '../../dims/dims';
import { formatDim } from '../../dims/dims';
import { dimArith } from '../../dims/dimArith';
import { multiheadAttentionMacs, scaledDotProductAttentionMacs } from '../../formulas/mha';
import { fansOfShape } from '../../formulas/init';
import { NONE, bool, float, int, tensor, tuple } from '../../values';
import type { ArgSpec, DataValue, ForwardResult, LayerEntry, ParameterTensor } from '../types';
import { type Args, type Flag, type KnownTensor, checkWhenKnown, defineLayer, defineOp, fail, flagged, shapeText } from './define';
import { defaultWeightInit, xavierNormal, xavierUniform, zeros } from './init';
import { broadcastShapes, provablyDifferent } from './shapes';
import { type AttentionCostShape, multiheadAttentionCost } from './costs';

export interface MultiheadAttentionConfig {
  readonly embedDim: number;
  readonly numHeads: number;
  readonly bias: Flag;
  readonly addBiasKv: boolean;
  readonly addZeroAttn: boolean;
  readonly kdim: number;
  readonly vdim: number;
  readonly batchFirst: boolean;
  /** Dropout on the attention weights (training only). */
  readonly dropout: number;
}

const sameEmbedDim = (c: MultiheadAttentionConfig): boolean => c.kdim === c.embedDim && c.vdim === c.embedDim;

function xavierFor(shape: readonly number[], normal = false) {
  const f = fansOfShape(shape) ?? { fanIn: 0, fanOut: 0 };
  return normal ? xavierNormal(f.fanIn, f.fanOut) : xavierUniform(f.fanIn, f.fanOut);
}

/** PyTorch's registration order: projections, in_proj_bias, bias_k, bias_v, then out_proj's weight and bias. */
function mhaParameters(c: MultiheadAttentionConfig): ParameterTensor[] {
  const e = c.embedDim;
  const params: ParameterTensor[] = [];
  if (sameEmbedDim(c)) {
    params.push({ name: 'in_proj_weight', shape: [3 * e, e], init: xavierFor([3 * e, e]) });
  } else {
    for (const [name, shape] of [
      ['q_proj_weight', [e, e]],
      ['k_proj_weight', [e, c.kdim]],
      ['v_proj_weight', [e, c.vdim]],
    ] as const) {
      params.push({ name, shape, init: xavierFor(shape) });
    }
  }
  params.push(...flagged(c.bias, [{ name: 'in_proj_bias', shape: [3 * e], init: zeros }]));
  if (c.addBiasKv) {
    params.push({ name: 'bias_k', shape: [1, 1, e], init: xavierFor([1, 1, e], true) }, { name: 'bias_v', shape: [1, 1, e], init: xavierFor([1, 1, e], true) });
  }
  // out_proj keeps nn.Linear's default weight init; _reset_parameters zeroes its bias.
  params.push({ name: 'out_proj.weight', shape: [e, e], init: defaultWeightInit(e, e) });
  params.push(...flagged(c.bias, [{ name: 'out_proj.bias', shape: [e], init: zeros }]));
  return params;
}

const torchSize = (shape: readonly Dim[]) => `torch.Size([${shape.map(formatDim).join(', ')}])`;

function mhaForward(c: MultiheadAttentionConfig, query: KnownTensor, key: KnownTensor, value: KnownTensor, needWeights: boolean, average: boolean): ForwardResult {
  const batched = query.shape.length === 3;
  if (!batched && query.shape.length !== 2) fail(`query should be unbatched 2D or batched 3D tensor but received ${query.shape.length}-D query tensor`, 'query');
  const expectedRank = batched ? 3 : 2;
  if (key.shape.length !== expectedRank || value.shape.length !== expectedRank) {
    fail(`For ${batched ? 'batched (3-D)' : 'unbatched (2-D)'} \`query\`, expected \`key\` and \`value\` to be ${expectedRank}-D but found ${key.shape.length}-D and ${value.shape.length}-D tensors respectively`, 'key');
  }
  // Internally (L, N, E): batch_first inputs are transposed first.
  const seqFirst = (t: KnownTensor): readonly Dim[] => (batched && c.batchFirst ? [t.shape[1]!, t.shape[0]!, t.shape[2]!] : t.shape);
  const q = seqFirst(query);
  const k = seqFirst(key);
  const v = seqFirst(value);
  const e = c.embedDim;
  const queryDim = q[q.length - 1]!;
  if (provablyDifferent(queryDim, e)) fail(`was expecting embedding dimension of ${e}, but got ${formatDim(queryDim)}`, 'query');
  if (sameEmbedDim(c)) {
    if (k.some((d, i) => provablyDifferent(d, v[i]!))) fail(`key shape ${torchSize(k)} does not match value shape ${torchSize(v)}`, 'value');
  } else if (provablyDifferent(k[0]!, v[0]!) || (batched && provablyDifferent(k[1]!, v[1]!))) {
    fail(`key's sequence and batch dims ${`(${k.slice(0, -1).map(formatDim).join(', ')})`} do not match value's ${`(${v.slice(0, -1).map(formatDim).join(', ')})`}`, 'value');
  }
  const rows = (t: readonly Dim[]) => dims.product(t.slice(0, -1));
  const checkWidth = (t: readonly Dim[], width: number, arg: string) => {
    const last = t[t.length - 1]!;
    if (provablyDifferent(last, width)) fail(`mat1 and mat2 shapes cannot be multiplied (${formatDim(rows(t))}x${formatDim(last)} and ${width}x${e})`, arg);
  };
  checkWidth(k, c.kdim, 'key');
  checkWidth(v, c.vdim, 'value');
  const [targetLength, sourceLength] = [q[0]!, k[0]!];
  const batch: Dim = batched ? broadcastShapes([q[1]!], [k[1]!])[0]! : 1;
  if (batched && provablyDifferent(q[1]!, k[1]!)) fail(`query batch size ${formatDim(q[1]!)} does not match key batch size ${formatDim(k[1]!)}`, 'key');
  const attended = dims.add(sourceLength, (c.addBiasKv ? 1 : 0) + (c.addZeroAttn ? 1 : 0));
  const outShape = batched ? (c.batchFirst ? [batch, targetLength, e] : [targetLength, batch, e]) : [targetLength, e];
  const weightsCore = average ? [targetLength, attended] : [c.numHeads, targetLength, attended];
  const weights = needWeights ? tensor(batched ? [batch, ...weightsCore] : weightsCore, query.dtype) : NONE;
  const macs = multiheadAttentionMacs(dimArith, {
    batch,
    queryLength: targetLength,
    keyLength: sourceLength,
    attendedLength: attended,
    embedDim: e,
    kdim: c.kdim,
    vdim: c.vdim,
  });
  return { output: tuple([tensor(outShape, query.dtype), weights]), macs };
}

const multiheadAttention = defineLayer<MultiheadAttentionConfig>({
  name: 'MultiheadAttention',
  signature: [
    { name: 'embed_dim' },
    { name: 'num_heads' },
    { name: 'dropout', default: float(0.0) },
    { name: 'bias', default: bool(true) },
    { name: 'add_bias_kv', default: bool(false) },
    { name: 'add_zero_attn', default: bool(false) },
    { name: 'kdim', default: NONE },
    { name: 'vdim', default: NONE },
    { name: 'batch_first', default: bool(false) },
    { name: 'device', default: NONE },
    { name: 'dtype', default: NONE },
  ],
  forwardSignature: [
    { name: 'query' },
    { name: 'key' },
    { name: 'value' },
    { name: 'key_padding_mask', default: NONE },
    { name: 'need_weights', default: bool(true) },
    { name: 'attn_mask', default: NONE },
    { name: 'average_attn_weights', default: bool(true) },
    { name: 'is_causal', default: bool(false), since: '2.0.0' },
  ],
  topic: 'multi-head-attention',
  configure: (a) => {
    const embedDim = a.int('embed_dim');
    const numHeads = a.int('num_heads');
    if (numHeads <= 0 || embedDim % numHeads !== 0) fail('embed_dim must be divisible by num_heads', 'num_heads');
    // Dropout changes no shape: unknown, it only leaves the training cost unknown.
    let dropout = Number.NaN;
    checkWhenKnown(() => (dropout = a.float('dropout')));
    return {
      embedDim,
      numHeads,
      bias: a.flag('bias'),
      addBiasKv: a.bool('add_bias_kv'),
      addZeroAttn: a.bool('add_zero_attn'),
      kdim: a.optInt('kdim') ?? embedDim,
      vdim: a.optInt('vdim') ?? embedDim,
      batchFirst: a.bool('batch_first'),
      dropout,
    };
  },
  parameters: mhaParameters,
  traits: {
    grid: 'tokens',
    // Its forward runs out_proj's arithmetic itself and counts its parameters (mhaParameters).
    ownsSubmodules: true,
    submodules: (args) => {
      const embedDim = args['embed_dim'] ?? int(0);
      return { out_proj: { layer: 'NonDynamicallyQuantizableLinear', args: [embedDim, embedDim] } };
    },
    calculators: { ids: ['attention-cost'] },
  },
  forward: (c, a) => mhaForward(c, a.tensor('query'), a.tensor('key'), a.tensor('value'), a.bool('need_weights'), a.bool('average_attn_weights')),
  cost: (c, a, q) => {
    if (Number.isNaN(c.dropout)) throw new Error('dropout is unknown');
    return multiheadAttentionCost(mhaCostShape(c, a.tensor('query'), a.tensor('key'), q.training, { separate: !sameEmbedDim(c), output: 'out_proj.weight' }), q);
  },
});

/** The sizes the cost rule needs, read as mhaForward reads them (batch_first and unbatched inputs). */
function mhaCostShape(c: MultiheadAttentionConfig, query: KnownTensor, key: KnownTensor, training: boolean, weights: AttentionCostShape['weights']): AttentionCostShape {
  const batched = query.shape.length === 3;
  const lengthAxis = batched && c.batchFirst ? 1 : 0;
  const queryLength = query.shape[lengthAxis]!;
  const keyLength = key.shape[lengthAxis]!;
  const batch: Dim = batched ? query.shape[c.batchFirst ? 0 : 1]! : 1;
  const attended = dims.add(keyLength, (c.addBiasKv ? 1 : 0) + (c.addZeroAttn ? 1 : 0));
  const e = c.embedDim;
  const rows = (length: Dim): Dim => dims.mul(batch, length);
  const scores = dims.mul(rows(queryLength), dims.mul(attended, e));
  return {
    batch,
    heads: c.numHeads,
    queryLength,
    keyLength,
    attended,
    embedDim: e,
    kdim: c.kdim,
    vdim: c.vdim,
    batchFirst: batched && c.batchFirst,
    dropout: c.dropout,
    training,
    projectionMacs: { query: dims.mul(rows(queryLength), e * e), key: dims.mul(rows(keyLength), c.kdim * e), value: dims.mul(rows(keyLength), c.vdim * e), output: dims.mul(rows(queryLength), e * e) },
    matrixMacs: { scores, weighted: scores },
    weights,
  };
}

/** F.scaled_dot_product_attention(q (…, L, E), k (…, S, E), v (…, S, Ev)) → (…, L, Ev). */
export function scaledDotProductAttention(q: KnownTensor, k: KnownTensor, v: KnownTensor): ForwardResult {
  if (q.shape.length < 2 || k.shape.length < 2 || v.shape.length < 2) fail('scaled_dot_product_attention expects query, key and value of at least 2 dimensions');
  const [l, eq] = q.shape.slice(-2) as [Dim, Dim];
  const [s, ek] = k.shape.slice(-2) as [Dim, Dim];
  const [sv, ev] = v.shape.slice(-2) as [Dim, Dim];
  if (provablyDifferent(eq, ek)) fail(`Expected query and key to have the same embedding dimension, got ${formatDim(eq)} and ${formatDim(ek)}`, 'key');
  if (provablyDifferent(s, sv)) fail(`Expected key and value to have the same sequence length, got ${formatDim(s)} and ${formatDim(sv)}`, 'value');
  const batch = broadcastShapes(broadcastShapes(q.shape.slice(0, -2), k.shape.slice(0, -2)), v.shape.slice(0, -2));
  const macs = scaledDotProductAttentionMacs(dimArith, dims.product(batch), l, s, eq, ev);
  return { output: tensor([...batch, l, ev], q.dtype), macs };
}

export const sdpaSignature: readonly ArgSpec[] = [
  { name: 'query' },
  { name: 'key' },
  { name: 'value' },
  { name: 'attn_mask', default: NONE },
  { name: 'dropout_p', default: float(0.0) },
  { name: 'is_causal', default: bool(false) },
  { name: 'scale', default: NONE, keywordOnly: true, since: '2.1.0' },
  { name: 'enable_gqa', default: bool(false), keywordOnly: true, since: '2.5.0' },
];

/**
 * F.multi_head_attention_forward: the functional form behind nn.MultiheadAttention (attention-pooling
 * heads call it with their own weights). Inputs are (L, N, E) or unbatched (L, E); the weights' shapes
 * give kdim/vdim and whether bias_k/bias_v are appended, and MACs follow the module's convention.
 */
export const multiHeadAttentionForward = defineOp({
  name: 'torch.nn.functional.multi_head_attention_forward',
  signature: [
    { name: 'query' },
    { name: 'key' },
    { name: 'value' },
    { name: 'embed_dim_to_check' },
    { name: 'num_heads' },
    { name: 'in_proj_weight' },
    { name: 'in_proj_bias' },
    { name: 'bias_k' },
    { name: 'bias_v' },
    { name: 'add_zero_attn' },
    { name: 'dropout_p' },
    { name: 'out_proj_weight' },
    { name: 'out_proj_bias' },
    { name: 'training', default: bool(true) },
    { name: 'key_padding_mask', default: NONE },
    { name: 'need_weights', default: bool(true) },
    { name: 'attn_mask', default: NONE },
    { name: 'use_separate_proj_weight', default: bool(false) },
    { name: 'q_proj_weight', default: NONE },
    { name: 'k_proj_weight', default: NONE },
    { name: 'v_proj_weight', default: NONE },
    { name: 'static_k', default: NONE },
    { name: 'static_v', default: NONE },
    { name: 'average_attn_weights', default: bool(true) },
    { name: 'is_causal', default: bool(false), since: '2.0.0' },
  ],
  apply: (a) => {
    const config = functionalMhaConfig(a);
    const embedDim = config.embedDim;
    const r = mhaForward(config, a.tensor('query'), a.tensor('key'), a.tensor('value'), a.bool('need_weights'), a.bool('average_attn_weights'));
    // The output projection may map E to another width (CLIP's attention pooling projects to its output dim).
    const outWeight = a.tensor('out_proj_weight');
    const [outDim, inDim] = outWeight.shape;
    if (outDim === undefined || inDim === undefined || outWeight.shape.length !== 2 || provablyDifferent(inDim, embedDim)) fail(`mat1 and mat2 shapes cannot be multiplied (out_proj_weight ${shapeText(outWeight.shape)} for embed_dim ${embedDim})`, 'out_proj_weight');
    if (r.output.kind !== 'tuple' || dims.equal(outDim, embedDim) === true) return r;
    const [attended, weights] = r.output.items as [KnownTensor, DataValue];
    const rows = dims.product(attended.shape.slice(0, -1));
    const macs = r.macs === null ? null : dims.add(r.macs, dims.mul(rows, dims.mul(embedDim, dims.sub(outDim, embedDim))));
    return { output: tuple([tensor([...attended.shape.slice(0, -1), outDim], attended.dtype), weights]), macs };
  },
  // The same parts as nn.MultiheadAttention's (an output projection to another width is not modelled: unknown).
  cost: (a, q) => {
    const config = functionalMhaConfig(a);
    if (Number.isNaN(config.dropout)) throw new Error('dropout_p is unknown');
    if (dims.equal(a.tensor('out_proj_weight').shape[0]!, config.embedDim) !== true) throw new Error('the output projection changes the width');
    return multiheadAttentionCost(mhaCostShape(config, a.tensor('query'), a.tensor('key'), a.bool('training'), { separate: a.bool('use_separate_proj_weight'), output: 'out_proj_weight' }), q);
  },
});

/** The layer's configuration, read from F.multi_head_attention_forward's arguments (checked as PyTorch checks them). */
function functionalMhaConfig(a: Args): MultiheadAttentionConfig {
  const embedDim = a.int('embed_dim_to_check');
  const numHeads = a.int('num_heads');
  if (numHeads <= 0 || embedDim % numHeads !== 0) fail(`embed_dim ${embedDim} not divisible by num_heads ${numHeads}`, 'num_heads');
  const separate = a.bool('use_separate_proj_weight');
  const widthOf = (name: string): number => {
    const w = a.tensor(name);
    const last = w.shape[w.shape.length - 1];
    return typeof last === 'number' ? last : embedDim;
  };
  if (separate && (a.isNone('q_proj_weight') || a.isNone('k_proj_weight') || a.isNone('v_proj_weight'))) {
    fail('use_separate_proj_weight is True but q_proj_weight, k_proj_weight or v_proj_weight is None', 'q_proj_weight');
  }
  if (!separate && a.isNone('in_proj_weight')) fail('use_separate_proj_weight is False but in_proj_weight is None', 'in_proj_weight');
  // Dropout changes no shape: unknown, it only leaves the training cost unknown.
  let dropout = Number.NaN;
  checkWhenKnown(() => (dropout = a.float('dropout_p')));
  return {
    embedDim,
    numHeads,
    bias: !a.isNone('in_proj_bias'),
    addBiasKv: !a.isNone('bias_k') && !a.isNone('bias_v'),
    addZeroAttn: a.bool('add_zero_attn'),
    kdim: separate ? widthOf('k_proj_weight') : embedDim,
    vdim: separate ? widthOf('v_proj_weight') : embedDim,
    batchFirst: false,
    dropout,
  };
}

export const attentionLayers: readonly LayerEntry[] = [multiheadAttention];
