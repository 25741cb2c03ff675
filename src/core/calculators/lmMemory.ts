// The transformer-LM training-memory calculator: parameters, gradients, optimizer state, autocast's weight
// copies and the activations kept for backward of a GPT-style model, from its configuration, and the largest
// batch that fits a GPU. The formulas are those of src/core/formulas/lmMemory.ts (Korthikanti et al. 2022
// for activations) and formulas/costs.ts (optimizer state, the affine batch), on numbers and on text.
import { numberArith, textArith } from '../formulas/arith';
import { BYTES_PER_GPU_GB, OPTIMIZER_KINDS, type OptimizerKind, largestAffineBatch, optimizerStateBytesOf, optimizerStateText } from '../formulas/costs';
import { type LmConfig, lmLayerActivationBytes, lmOuterActivationBytes, lmParameterCount } from '../formulas/lmMemory';
import { formatBytes } from './attention';
import { bool, defineCalculator, num, optNum, str } from './inputs';
import type { Calculator, InputSpec, ParsedInputs } from './types';

const intInput = (name: string, description: string, max: number, extra: Partial<InputSpec> = {}): InputSpec => ({ name, kind: 'int', rule: { min: 1, max }, description, ...extra });

const PRECISIONS = ['fp32', 'bf16', 'fp16'] as const;
type Precision = (typeof PRECISIONS)[number];
const PRECISION_BYTES: Readonly<Record<Precision, number>> = { fp32: 4, bf16: 2, fp16: 2 };

function configOf(inputs: ParsedInputs): LmConfig<number> {
  return { layers: num(inputs, 'layers'), dModel: num(inputs, 'd_model'), heads: num(inputs, 'heads'), vocab: num(inputs, 'vocab'), seqLen: num(inputs, 'seq_len'), batch: num(inputs, 'batch') };
}

function textConfig(c: LmConfig<number>, batch: string = textArith.lit(c.batch)): LmConfig<string> {
  return { layers: textArith.lit(c.layers), dModel: textArith.lit(c.dModel), heads: textArith.lit(c.heads), vocab: textArith.lit(c.vocab), seqLen: textArith.lit(c.seqLen), batch };
}

function check(inputs: ParsedInputs): string[] {
  const c = configOf(inputs);
  const errors: string[] = [];
  if (c.dModel % c.heads !== 0) errors.push(`d_model (${c.dModel}) must be divisible by heads (${c.heads})`);
  if (bool(inputs, 'amp') && str(inputs, 'precision') === 'fp32') errors.push('amp runs the products in bf16 or fp16: set precision=bf16 or fp16');
  return errors;
}

/** Parameter tensors of the model: 12 per layer, token and position embeddings, the final LayerNorm's two, an untied output layer. */
const parameterTensors = (layers: number, tied: boolean): number => 12 * layers + 4 + (tied ? 0 : 1);

function run(inputs: ParsedInputs) {
  const c = configOf(inputs);
  const precision = str(inputs, 'precision') as Precision;
  const amp = bool(inputs, 'amp');
  const tied = bool(inputs, 'tied_embeddings');
  const checkpointed = bool(inputs, 'checkpointing');
  const optimizer = str(inputs, 'optimizer') as OptimizerKind;
  const onCpu = str(inputs, 'device') === 'cpu';
  const gpuGb = optNum(inputs, 'gpu_memory_gb');

  const params = lmParameterCount(numberArith, c, tied);
  // Under autocast the model keeps float32 weights (the master copy), gradients and optimizer state.
  const stateBytes = amp ? 4 : PRECISION_BYTES[precision];
  const activationBytes = PRECISION_BYTES[precision];
  // Dropout masks are bool on CUDA and in the activation's type on CPU.
  const maskBytes = onCpu ? activationBytes : 1;
  const paramsBytes = params * stateBytes;
  const optimizerBytes = optimizerStateBytesOf(optimizer, params, parameterTensors(c.layers, tied), stateBytes);
  // Autocast casts each weight matrix a product reads (12h² per layer, and the output layer's V·h) once per
  // forward and keeps the copy for backward.
  const matrices = c.layers * 12 * c.dModel * c.dModel + c.vocab * c.dModel;
  const weightCopies = amp ? matrices * activationBytes : 0;
  const activationsAt = (batch: number): number => {
    const at = { ...c, batch };
    const layers = c.layers * lmLayerActivationBytes(numberArith, at, activationBytes, maskBytes, checkpointed);
    // With checkpointing, backward recomputes one layer at a time and holds its full activations meanwhile.
    const recompute = checkpointed ? lmLayerActivationBytes(numberArith, at, activationBytes, maskBytes, false) : 0;
    return layers + recompute + lmOuterActivationBytes(numberArith, at, activationBytes, maskBytes);
  };
  const activations = activationsAt(c.batch);
  const fixed = paramsBytes * 2 + optimizerBytes + weightCopies;
  const peak = fixed + activations;
  const largest = gpuGb === undefined ? undefined : largestAffineBatch(fixed, activationsAt(1), gpuGb * BYTES_PER_GPU_GB);

  const t = textConfig(c);
  const e = textArith.lit(activationBytes);
  const m = textArith.lit(maskBytes);
  const lines = [
    `params = L·(12h² + 13h) + V·h + s·h + 2h${tied ? '' : ' + V·h (untied output layer)'} = ${lmParameterCount(textArith, t, tied)} = ${params}`,
    `params, gradients: ${amp ? 'float32 (autocast keeps float32 master weights)' : precision} → 2 × ${params}·${stateBytes} B = ${formatBytes(2 * paramsBytes)}`,
    `${optimizer} state: ${optimizerStateText(optimizer)} = ${formatBytes(optimizerBytes)}`,
    ...(amp ? [`autocast's ${precision} weight copies kept for backward: (12h²·L + V·h)·${activationBytes} B = ${formatBytes(weightCopies)}`] : []),
    checkpointed
      ? `activations per layer with checkpointing (its input only): s·b·h·${activationBytes} B = ${lmLayerActivationBytes(textArith, t, e, m, true)} = ${lmLayerActivationBytes(numberArith, c, activationBytes, maskBytes, true)} B; plus one layer recomputed during backward (${lmLayerActivationBytes(numberArith, c, activationBytes, maskBytes, false)} B)`
      : `activations per layer (Korthikanti et al. 2022, eq. 1: 34·s·b·h + 5·a·s²·b at 16-bit values and 1-byte masks): (16·s·b·h + 2·a·s²·b)·${activationBytes} + (2·s·b·h + a·s²·b)·${maskBytes} = ${lmLayerActivationBytes(textArith, t, e, m, false)} = ${lmLayerActivationBytes(numberArith, c, activationBytes, maskBytes, false)} B`,
    `outside the layers: embedding dropout mask, final LayerNorm and output-layer inputs, float32 logits: ${lmOuterActivationBytes(textArith, t, e, m)} = ${lmOuterActivationBytes(numberArith, c, activationBytes, maskBytes)} B`,
    `activations = ${formatBytes(activations)}; peak = params + gradients + optimizer${amp ? ' + weight copies' : ''} + activations = ${formatBytes(peak)}`,
    ...(largest !== undefined ? [`largest batch in ${gpuGb} GB (${formatBytes(gpuGb! * BYTES_PER_GPU_GB)}): ⌊(memory − ${formatBytes(fixed)}) / ${formatBytes(activationsAt(1))} per sequence⌋ = ${largest}`] : []),
  ];
  return {
    result: {
      params,
      params_bytes: paramsBytes,
      grads_bytes: paramsBytes,
      optimizer_bytes: optimizerBytes,
      weight_copies_bytes: weightCopies,
      activations_bytes: activations,
      peak_bytes: peak,
      ...(largest !== undefined ? { largest_batch: largest } : {}),
    },
    formula: lines.join('\n'),
    latex: 'M = (2\\,b_p + b_o)\\,\\Psi + L\\,s\\,b\\,h\\left(34 + \\frac{5\\,a\\,s}{h}\\right),\\quad \\Psi = L(12h^2 + 13h) + Vh + sh + 2h',
    topic: 'attention-complexity',
    notes: [
      'Activations: V. Korthikanti et al., "Reducing Activation Recomputation in Large Transformer Models", 2022 (arXiv:2205.05198), eq. (1) and section 5 (full recomputation keeps 2·s·b·h bytes per layer).',
      "Measured against PyTorch 1.13 on a GPT of this layout (test/oracle/lm-memory.oracle.test.ts): the closed form leaves out LayerNorm's mean and 1/std (2 floats per token per LayerNorm), the causal mask masked_fill keeps (s² bytes per layer) and the token indices.",
      'Peak assumes gradients of the last step still allocated (zero_grad() without set_to_none) and no tensor or sequence parallelism.',
    ],
  };
}

export const lmTrainingMemoryCalculator: Calculator = defineCalculator({
  id: 'lm-training-memory',
  title: 'Transformer LM training memory',
  description: 'Parameters, gradients, optimizer state and activations (Korthikanti et al. 2022) of a GPT-style model for a batch and sequence length, with or without checkpointing, and the largest batch that fits a GPU.',
  topic: 'attention-complexity',
  inputs: [
    intInput('layers', 'Transformer layers L.', 10_000, { default: '12', aliases: ['n_layer', 'num_hidden_layers'] }),
    intInput('d_model', 'Model width h.', 1_000_000, { default: '768', aliases: ['n_embd', 'hidden_size', 'h'] }),
    intInput('heads', 'Attention heads a.', 100_000, { default: '12', aliases: ['n_head', 'num_attention_heads', 'a'] }),
    intInput('vocab', 'Vocabulary size V.', 100_000_000, { default: '50257', aliases: ['vocab_size', 'V'] }),
    intInput('seq_len', 'Sequence length s.', 10_000_000, { default: '1024', aliases: ['n_positions', 'block_size', 's'] }),
    intInput('batch', 'Sequences per batch b.', 10_000_000, { default: '8', aliases: ['batch_size', 'b'] }),
    { name: 'precision', kind: 'enum', default: 'bf16', rule: { options: [...PRECISIONS] }, description: 'Element type of the activations (and, without amp, of the whole model).' },
    { name: 'amp', kind: 'bool', default: 'true', rule: {}, description: 'torch.autocast: float32 master weights, gradients and optimizer state; products in precision.' },
    { name: 'optimizer', kind: 'enum', default: 'adamw', rule: { options: [...OPTIMIZER_KINDS] }, description: 'The optimizer whose state is counted.' },
    { name: 'checkpointing', kind: 'bool', default: 'false', rule: {}, description: 'Activation checkpointing per layer (full recomputation).' },
    { name: 'tied_embeddings', kind: 'bool', default: 'true', rule: {}, description: 'The output layer shares the token embedding (GPT-2).' },
    { name: 'device', kind: 'enum', default: 'cuda', rule: { options: ['cuda', 'cpu'] }, description: 'cuda: dropout masks are 1-byte bools; cpu: they take the activation type.' },
    { name: 'gpu_memory_gb', kind: 'float', optional: true, rule: { min: 0, exclusiveMin: true, max: 1_000_000 }, description: 'GPU memory in GB (binary: 24 = 24·2³⁰ bytes) for the largest batch that fits.', example: '24' },
  ],
  check,
  run,
});
