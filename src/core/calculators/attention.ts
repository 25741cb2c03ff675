// Attention calculators: cost of MHA / MQA / GQA blocks, ViT token count, KV-cache size (notes topics
// attention-complexity, vit-attention-cost, multi-head-attention, multi-query-attention). The formulas are
// those of src/core/formulas/attention.ts, evaluated on numbers and rendered on text.
import { numberArith, textArith } from '../formulas/arith';
import {
  attentionMacs,
  attentionMacsNotesConvention,
  attentionParameterCount,
  attentionParameterCountNotesConvention,
  DTYPE_BYTES,
  headDim,
  kvCacheBytes,
  patchEmbeddingParameterCount,
  scoreMatrixElements,
  vitTokenCount,
} from '../formulas/attention';
import type { AttentionMacs, AttentionShape, CacheDtype } from '../formulas/attention';
import { bool, defineCalculator, fmt, num, optNum, str } from './inputs';
import type { Calculator, InputSpec, ParsedInputs } from './types';

const MAX_LENGTH = 10_000_000;
const MAX_DIM = 1_000_000;
const MAX_HEADS = 100_000;
const DTYPES = Object.keys(DTYPE_BYTES) as CacheDtype[];

const intInput = (name: string, description: string, max: number, extra: Partial<InputSpec> = {}): InputSpec => ({
  name,
  kind: 'int',
  rule: { min: 1, max },
  description,
  ...extra,
});

/** 1.5 GiB, 512 MiB, 3.2 KiB: binary units, as memory is sized. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${Number(value.toPrecision(4))} ${units[unit]}`;
}

const kindOfAttention = (h: number, g: number): string => (g === h ? 'MHA' : g === 1 ? 'MQA' : 'GQA');

// ---------------------------------------------------------------------------------------------------------
// attention-cost

function shapeOf(inputs: ParsedInputs): AttentionShape<number> {
  const numHeads = num(inputs, 'num_heads');
  return { embedDim: num(inputs, 'embed_dim'), numHeads, kvHeads: optNum(inputs, 'kv_heads') ?? numHeads };
}

function checkAttention(inputs: ParsedInputs): string[] {
  const s = shapeOf(inputs);
  const errors: string[] = [];
  if (s.embedDim % s.numHeads !== 0) errors.push(`embed_dim (${s.embedDim}) must be divisible by num_heads (${s.numHeads})`);
  if (s.kvHeads > s.numHeads) errors.push(`kv_heads (${s.kvHeads}) cannot exceed num_heads (${s.numHeads})`);
  else if (s.numHeads % s.kvHeads !== 0) errors.push(`num_heads (${s.numHeads}) must be divisible by kv_heads (${s.kvHeads}) so each K/V head serves a whole group`);
  return errors;
}

function blockCost(macs: AttentionMacs<number>, layers: number) {
  return { macs: macs.total * layers, flops: 2 * macs.total * layers };
}

function runAttention(inputs: ParsedInputs) {
  const s = shapeOf(inputs);
  const m = num(inputs, 'M');
  const n = optNum(inputs, 'N') ?? m;
  const layers = num(inputs, 'layers');
  const notesConvention = str(inputs, 'convention') === 'notes';
  const macsOf = notesConvention ? attentionMacsNotesConvention : attentionMacs;
  const t: AttentionShape<string> = { embedDim: textArith.lit(s.embedDim), numHeads: textArith.lit(s.numHeads), kvHeads: textArith.lit(s.kvHeads) };
  const block = (queries: number, keys: number) => ({
    value: macsOf(numberArith, s, queries, keys),
    text: macsOf(textArith, t, textArith.lit(queries), textArith.lit(keys)).total,
  });
  const encoder = block(m, m);
  const cross = block(n, m);
  const decoder = block(n, n);
  const dh = headDim(numberArith, s.embedDim, s.numHeads);
  const kind = kindOfAttention(s.numHeads, s.kvHeads);
  const params = notesConvention ? attentionParameterCountNotesConvention(numberArith, s) : attentionParameterCount(numberArith, s, bool(inputs, 'bias'));
  // K/V projection MACs saved against MHA over the M source positions.
  const mha = { ...s, kvHeads: s.numHeads };
  const saved = macsOf(numberArith, mha, m, m).keyValueProjection - encoder.value.keyValueProjection;
  const perLayer = layers > 1 ? ` (per layer; ×${layers} layers in the totals)` : '';
  const convention = notesConvention
    ? "notes' convention: every head has its own d×d W_Q, W_K, W_V (K/V tables: kv_heads), no W_O"
    : `standard convention: d_h = d/h = ${dh}, ${s.kvHeads} K/V head(s) of width d_h, with W_O`;
  const lines = [
    `${kind}, ${convention}`,
    `encoder self-attention MACs${perLayer} = ${encoder.text} = ${encoder.value.total}`,
    `cross-attention MACs (N = ${n} queries over M = ${m} keys) = ${cross.text} = ${cross.value.total}`,
    `decoder self-attention MACs (computed densely under the causal mask) = ${decoder.text} = ${decoder.value.total}`,
    `FLOPs ≈ 2·MACs; attention-score memory = h·M² = ${scoreMatrixElements(numberArith, s.numHeads, m, m)} elements per sequence per layer`,
  ];
  if (saved > 0) lines.push(`K/V projections save ${saved} MACs against MHA (${notesConvention ? '2Md²(h − kv_heads)' : '2Md·(d − kv_heads·d_h)'})`);
  return {
    result: {
      kind,
      head_dim: dh,
      params: params * layers,
      encoder_self: blockCost(encoder.value, layers),
      cross: blockCost(cross.value, layers),
      decoder_self: blockCost(decoder.value, layers),
      score_elements: {
        encoder_self: scoreMatrixElements(numberArith, s.numHeads, m, m) * layers,
        cross: scoreMatrixElements(numberArith, s.numHeads, n, m) * layers,
        decoder_self: scoreMatrixElements(numberArith, s.numHeads, n, n) * layers,
      },
      kv_projection_macs_saved: saved * layers,
    },
    formula: lines.join('\n'),
    latex: notesConvention
      ? '\\text{SA}=h\\,(3Md^2+2M^2d),\\quad\\text{cross}=h\\,(Nd^2+2Md^2+2NMd)'
      : '\\text{SA}=4Md^2+2M^2d,\\quad \\text{cross}=2Nd^2+2Md^2+2NMd\\quad(\\text{MHA})',
    topic: 'attention-complexity',
  };
}

export const attentionCostCalculator: Calculator = defineCalculator({
  id: 'attention-cost',
  title: 'Attention cost (MHA / MQA / GQA)',
  description: 'Parameters and MACs/FLOPs of encoder self-, cross- and decoder self-attention, and the score-matrix memory, for h query heads and kv_heads K/V heads.',
  topic: 'attention-complexity',
  inputs: [
    intInput('M', 'Source (encoder) length M.', MAX_LENGTH, { default: '512', aliases: ['source_length'] }),
    intInput('N', 'Target (decoder) length N; empty means N = M.', MAX_LENGTH, { optional: true, aliases: ['target_length'], example: '128' }),
    intInput('embed_dim', 'Model dimension d (embed_dim).', MAX_DIM, { default: '512', aliases: ['d', 'd_model'] }),
    intInput('num_heads', 'Query heads h (num_heads).', MAX_HEADS, { default: '8', aliases: ['h', 'nhead'] }),
    intInput('kv_heads', 'K/V heads g: = num_heads for MHA, 1 for MQA, in between for GQA; empty means MHA.', MAX_HEADS, {
      optional: true,
      aliases: ['num_key_value_heads', 'g'],
      example: '2',
    }),
    { name: 'bias', kind: 'bool', default: 'true', rule: {}, description: 'Count projection biases in the parameters (nn.MultiheadAttention bias=True).' },
    intInput('layers', 'Layers; totals are multiplied by it.', 100_000, { default: '1' }),
    { name: 'convention', kind: 'enum', default: 'standard', rule: { options: ['standard', 'notes'] }, description: "standard (d_h = d/h, W_O) or the notes' (each head d×d, no W_O)." },
  ],
  check: checkAttention,
  run: runAttention,
});

// ---------------------------------------------------------------------------------------------------------
// vit-tokens

function checkVit(inputs: ParsedInputs): string[] {
  const h = num(inputs, 'H');
  const w = optNum(inputs, 'W') ?? h;
  const p = num(inputs, 'patch_size');
  const errors: string[] = [];
  if (p > h || p > w) errors.push(`patch_size (${p}) is larger than the image (${h}×${w})`);
  if (num(inputs, 'embed_dim') % num(inputs, 'num_heads') !== 0) errors.push(`embed_dim (${num(inputs, 'embed_dim')}) must be divisible by num_heads (${num(inputs, 'num_heads')})`);
  return errors;
}

function runVit(inputs: ParsedInputs) {
  const h = num(inputs, 'H');
  const w = optNum(inputs, 'W') ?? h;
  const p = num(inputs, 'patch_size');
  const cls = bool(inputs, 'cls');
  const d = num(inputs, 'embed_dim');
  const heads = num(inputs, 'num_heads');
  const tokens = vitTokenCount(numberArith, h, w, p, cls);
  const tokenText = vitTokenCount(textArith, textArith.lit(h), textArith.lit(w), textArith.lit(p), cls);
  const shape = { embedDim: d, numHeads: heads, kvHeads: heads };
  const macs = attentionMacs(numberArith, shape, tokens, tokens);
  const notes: string[] = [];
  if (h % p !== 0 || w % p !== 0) notes.push(`the image is not a multiple of the patch size: a stride-${p} patch conv drops the last ${h % p} row(s) and ${w % p} column(s)`);
  return {
    result: {
      tokens,
      patches: [Math.floor(h / p), Math.floor(w / p)],
      attention_macs_per_layer: macs.total,
      score_macs_per_layer: macs.scores + macs.weightedValues,
      score_elements_per_layer: scoreMatrixElements(numberArith, heads, tokens, tokens),
      patch_embed_params: patchEmbeddingParameterCount(numberArith, p, num(inputs, 'channels'), d),
    },
    formula: [
      `N = ${tokenText} = ${tokens}`,
      `self-attention per layer: 4·N·D² + 2·N²·D = ${macs.total} MACs (QKᵀ and α·V: 2·N²·D = ${macs.scores + macs.weightedValues})`,
      `patch embedding Conv2d(${num(inputs, 'channels')}, ${d}, ${p}, stride ${p}): P²·C·D + D = ${patchEmbeddingParameterCount(numberArith, p, num(inputs, 'channels'), d)} params`,
    ].join('\n'),
    latex: 'N=\\frac{H}{P}\\cdot\\frac{W}{P}\\ (+1),\\qquad O(N^2D)=O\\Big(\\big(\\tfrac{HW}{P^2}\\big)^2D\\Big)',
    topic: 'vit-attention-cost',
    notes,
  };
}

export const vitTokensCalculator: Calculator = defineCalculator({
  id: 'vit-tokens',
  title: 'ViT token count and attention cost',
  description: 'Tokens ⌊H/P⌋·⌊W/P⌋ (+1 CLS) of a ViT, and the per-layer attention cost over them.',
  topic: 'vit-attention-cost',
  inputs: [
    intInput('H', 'Image height (or side of a square image).', MAX_DIM, { default: '224', aliases: ['height', 'image_size'] }),
    intInput('W', 'Image width; empty means square.', MAX_DIM, { optional: true, aliases: ['width'], example: '320' }),
    intInput('patch_size', 'Patch size P.', MAX_DIM, { default: '16', aliases: ['P', 'patch'] }),
    { name: 'cls', kind: 'bool', default: 'true', rule: {}, description: 'Add a CLS token.' },
    intInput('embed_dim', 'Embedding dimension D.', MAX_DIM, { default: '768', aliases: ['D', 'hidden_dim'] }),
    intInput('num_heads', 'Attention heads.', MAX_HEADS, { default: '12', aliases: ['h'] }),
    intInput('channels', 'Image channels C.', MAX_DIM, { default: '3', aliases: ['in_chans', 'C'] }),
  ],
  check: checkVit,
  run: runVit,
});

// ---------------------------------------------------------------------------------------------------------
// kv-cache

function runKvCache(inputs: ParsedInputs) {
  const dtype = str(inputs, 'dtype') as CacheDtype;
  const shape = {
    layers: num(inputs, 'layers'),
    kvHeads: num(inputs, 'kv_heads'),
    headDim: num(inputs, 'head_dim'),
    context: num(inputs, 'context'),
    batch: num(inputs, 'batch'),
    bytesPerElement: DTYPE_BYTES[dtype],
  };
  const bytes = kvCacheBytes(numberArith, shape);
  const perToken = kvCacheBytes(numberArith, { ...shape, context: 1, batch: 1 });
  const text = kvCacheBytes(textArith, {
    layers: textArith.lit(shape.layers),
    kvHeads: textArith.lit(shape.kvHeads),
    headDim: textArith.lit(shape.headDim),
    context: textArith.lit(shape.context),
    batch: textArith.lit(shape.batch),
    bytesPerElement: textArith.lit(shape.bytesPerElement),
  });
  const gib = bytes / 1024 ** 3;
  const binary = formatBytes(bytes);
  // Always name the GiB figure, which is how accelerator memory is quoted.
  const readable = binary.endsWith(' GiB') ? binary : `${binary} (${fmt(gib)} GiB)`;
  return {
    result: bytes,
    formula: `bytes = 2·layers·kv_heads·head_dim·context·batch·bytes(${dtype}) = ${text} = ${fmt(bytes)} B = ${readable}; ${fmt(perToken)} B per token per sequence`,
    latex: '\\text{bytes}=2\\cdot L\\cdot g\\cdot d_h\\cdot T\\cdot B\\cdot\\text{bytes per element}',
    topic: 'multi-query-attention',
  };
}

export const kvCacheCalculator: Calculator = defineCalculator({
  id: 'kv-cache',
  title: 'KV-cache size',
  description: 'Bytes of the K and V caches: 2·layers·kv_heads·head_dim·context·batch·dtype bytes (MHA: kv_heads = heads, MQA: 1, GQA: groups).',
  topic: 'multi-query-attention',
  inputs: [
    intInput('layers', 'Transformer layers.', 100_000, { aliases: ['num_hidden_layers', 'n_layer'], example: '32' }),
    intInput('kv_heads', 'K/V heads per layer (num_key_value_heads).', MAX_HEADS, { aliases: ['num_key_value_heads', 'g'], example: '8' }),
    intInput('head_dim', 'Head dimension d_h.', MAX_DIM, { aliases: ['d_h'], example: '128' }),
    intInput('context', 'Cached tokens per sequence.', 1_000_000_000, { aliases: ['seq_len', 'T'], example: '4096' }),
    intInput('batch', 'Sequences in the batch.', 1_000_000, { default: '1', aliases: ['batch_size', 'B'] }),
    { name: 'dtype', kind: 'enum', default: 'fp16', rule: { options: DTYPES }, description: 'Cache element type.' },
  ],
  check: () => [],
  run: runKvCache,
});
