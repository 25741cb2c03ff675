// Loss layers and their F.* counterparts, from one table: each loss has a constructor signature, a forward
// signature, and an unreduced-shape rule; `reduction` ('none' | 'mean' | 'sum', legacy size_average/reduce)
// then gives that shape or a scalar. 0 MACs by the catalogue convention.
import type { Dim } from '../../dims/dims';
import { formatDim } from '../../dims/dims';
import type { DataValue } from '../../values';
import { NONE, bool, float, int, str, tensor } from '../../values';
import type { ArgSpec, LayerEntry, OpCost, OpEntry, ParameterTensor } from '../types';
import { type LossKeeps, lossCost } from './costs';
import { Args, type KnownTensor, defineLayer, defineOp, fail, result, shapeText } from './define';
import { broadcastAll, broadcastShapes, provablyDifferent } from './shapes';

const reductionArgs: readonly ArgSpec[] = [
  { name: 'size_average', default: NONE },
  { name: 'reduce', default: NONE },
  { name: 'reduction', default: str('mean') },
];

/** PyTorch's `_Reduction.legacy_get_string` when size_average/reduce are given, else `reduction`. */
export function readReduction(a: Args, allowBatchmean = false): string {
  const legacy = a.raw['size_average'] !== undefined && (!a.isNone('size_average') || !a.isNone('reduce'));
  if (legacy) {
    const sizeAverage = a.isNone('size_average') ? true : a.bool('size_average');
    const reduce = a.isNone('reduce') ? true : a.bool('reduce');
    return reduce ? (sizeAverage ? 'mean' : 'sum') : 'none';
  }
  const reduction = a.str('reduction');
  const valid = ['none', 'mean', 'sum', ...(allowBatchmean ? ['batchmean'] : [])];
  if (!valid.includes(reduction)) fail(`${reduction} is not a valid value for reduction`, 'reduction');
  return reduction;
}

type Inputs = readonly KnownTensor[];

/** Unreduced output shapes, with each loss's own checks. */
const sameShape = (label: string) => (t: Inputs): Dim[] => {
  const [input, target] = t as [KnownTensor, KnownTensor];
  const mismatch = input.shape.length !== target.shape.length || input.shape.some((d, i) => provablyDifferent(d, target.shape[i]!));
  if (mismatch) {
    const torchSize = (s: readonly Dim[]) => `torch.Size([${s.map(formatDim).join(', ')}])`;
    fail(
      label === 'bce'
        ? `Using a target size (${torchSize(target.shape)}) that is different to the input size (${torchSize(input.shape)}) is deprecated. Please ensure they have the same size.`
        : `Target size (${torchSize(target.shape)}) must be the same as input size (${torchSize(input.shape)})`,
      'target',
    );
  }
  return [...input.shape];
};

const broadcastPair = (t: Inputs): Dim[] => broadcastShapes(t[0]!.shape, t[1]!.shape);
const broadcastAllInputs = (t: Inputs): Dim[] => broadcastAll(t.map((x) => x.shape));

/** CrossEntropy/NLL: input (N, C, d…) or (C); target class indices (N, d…) / () or probabilities like input. */
function classShape(t: Inputs): Dim[] {
  const [input, target] = t as [KnownTensor, KnownTensor];
  const batched = input.shape.length >= 2;
  const expected = batched ? [input.shape[0]!, ...input.shape.slice(2)] : [];
  const probabilities = target.dtype !== 'int64' && target.dtype !== 'int32' && target.dtype !== 'unknown' && target.shape.length === input.shape.length;
  if (probabilities) {
    if (input.shape.some((d, i) => provablyDifferent(d, target.shape[i]!))) fail(`Expected target size ${shapeText(input.shape)}, got ${shapeText(target.shape)}`, 'target');
    return expected;
  }
  if (batched && target.shape.length >= 1 && provablyDifferent(input.shape[0]!, target.shape[0]!)) {
    fail(`Expected input batch_size (${formatDim(input.shape[0]!)}) to match target batch_size (${formatDim(target.shape[0]!)}).`, 'target');
  }
  const mismatch = target.shape.length !== expected.length || target.shape.some((d, i) => provablyDifferent(d, expected[i]!));
  if (mismatch) fail(`Expected target size ${shapeText(expected)}, got ${shapeText(target.shape)}`, 'target');
  return expected;
}

/** Losses whose unreduced output has one value per batch item: (N) or () unbatched. */
const perSample = (rankOfUnbatched: number) => (t: Inputs): Dim[] => (t[0]!.shape.length > rankOfUnbatched ? [t[0]!.shape[0]!] : []);

/** CTC: log_probs (T, N, C) or (T, C) → (N) or (). */
const ctcShape = (t: Inputs): Dim[] => (t[0]!.shape.length === 3 ? [t[0]!.shape[1]!] : []);

interface LossSpec {
  readonly layer: string;
  /** The F.* name, when there is one. */
  readonly functional?: string;
  /** Constructor args (reduction args included where PyTorch has them). */
  readonly signature: readonly ArgSpec[];
  readonly inputs: readonly string[];
  readonly shape: (inputs: Inputs) => Dim[];
  readonly batchmean?: boolean;
  /** Notes topic, where the notes have one. */
  readonly topic?: string;
  /** What the loss keeps for backward (PyTorch 1.13, measured by the cost oracle); absent: not modelled, the cost is unknown. */
  readonly keeps?: (a: Args) => LossKeeps | undefined;
  /** A composite of ops off autocast's lists (multilabel_soft_margin_loss); every other loss runs in float32 under autocast. */
  readonly composite?: boolean;
}

const keepsInputAndTarget = (): LossKeeps => ({ tensors: ['input', 'target'] });

/** Cross-entropy keeps log_softmax's output and the target; label smoothing adds per-sample masks and terms. */
function crossEntropyKeeps(a: Args): LossKeeps {
  const target = a.tensor('target');
  const classes = target.dtype === 'int64' || target.dtype === 'int32';
  const smoothing = a.raw['label_smoothing'] !== undefined && a.float('label_smoothing') > 0;
  if (!classes || !smoothing) return { tensors: ['target'], inputShaped: 1 };
  const reduced = readReduction(a) !== 'none';
  return { tensors: ['target'], inputShaped: 1, perSampleMasks: reduced ? 2 : 1, perSample: reduced ? 1 : 0 };
}

const weightArg: ArgSpec = { name: 'weight', default: NONE };
const reductionOnly: ArgSpec = { name: 'reduction', default: str('mean') };

const LOSSES: readonly LossSpec[] = [
  { layer: 'L1Loss', functional: 'l1_loss', signature: reductionArgs, inputs: ['input', 'target'], shape: broadcastPair, keeps: () => ({ inputShaped: 1 }) },
  { layer: 'MSELoss', functional: 'mse_loss', signature: reductionArgs, inputs: ['input', 'target'], shape: broadcastPair, keeps: keepsInputAndTarget },
  {
    layer: 'CrossEntropyLoss',
    functional: 'cross_entropy',
    signature: [weightArg, reductionArgs[0]!, { name: 'ignore_index', default: int(-100) }, reductionArgs[1]!, reductionArgs[2]!, { name: 'label_smoothing', default: float(0.0) }],
    inputs: ['input', 'target'],
    shape: classShape,
    topic: 'entropy-cross-entropy-kl',
    keeps: crossEntropyKeeps,
  },
  {
    layer: 'NLLLoss',
    functional: 'nll_loss',
    signature: [weightArg, reductionArgs[0]!, { name: 'ignore_index', default: int(-100) }, reductionArgs[1]!, reductionArgs[2]!],
    inputs: ['input', 'target'],
    shape: classShape,
    keeps: keepsInputAndTarget,
  },
  { layer: 'BCELoss', functional: 'binary_cross_entropy', signature: [weightArg, ...reductionArgs], inputs: ['input', 'target'], shape: sameShape('bce'), keeps: keepsInputAndTarget },
  {
    layer: 'BCEWithLogitsLoss',
    functional: 'binary_cross_entropy_with_logits',
    signature: [weightArg, ...reductionArgs, { name: 'pos_weight', default: NONE }],
    inputs: ['input', 'target'],
    shape: sameShape('bce_logits'),
    keeps: keepsInputAndTarget,
  },
  {
    layer: 'KLDivLoss',
    functional: 'kl_div',
    signature: [...reductionArgs, { name: 'log_target', default: bool(false) }],
    inputs: ['input', 'target'],
    shape: broadcastPair,
    batchmean: true,
    topic: 'entropy-cross-entropy-kl',
    // The input's gradient is −target: only the target is kept.
    keeps: (a) => (a.raw['log_target'] !== undefined && a.bool('log_target') ? undefined : { tensors: ['target'] }),
  },
  { layer: 'SmoothL1Loss', functional: 'smooth_l1_loss', signature: [...reductionArgs, { name: 'beta', default: float(1.0) }], inputs: ['input', 'target'], shape: broadcastPair, keeps: keepsInputAndTarget },
  { layer: 'HuberLoss', functional: 'huber_loss', signature: [reductionOnly, { name: 'delta', default: float(1.0) }], inputs: ['input', 'target'], shape: broadcastPair, keeps: keepsInputAndTarget },
  { layer: 'SoftMarginLoss', functional: 'soft_margin_loss', signature: reductionArgs, inputs: ['input', 'target'], shape: broadcastPair, keeps: keepsInputAndTarget },
  { layer: 'HingeEmbeddingLoss', functional: 'hinge_embedding_loss', signature: [{ name: 'margin', default: float(1.0) }, ...reductionArgs], inputs: ['input', 'target'], shape: broadcastPair, keeps: () => ({ inputShaped: 1, inputShapedMasks: 2 }) },
  {
    layer: 'PoissonNLLLoss',
    functional: 'poisson_nll_loss',
    signature: [{ name: 'log_input', default: bool(true) }, { name: 'full', default: bool(false) }, reductionArgs[0]!, { name: 'eps', default: float(1e-8) }, reductionArgs[1]!, reductionArgs[2]!],
    inputs: ['input', 'target'],
    shape: broadcastPair,
    // log_input: exp(input) − target·input keeps exp(input) and the target (full=True and log_input=False are not modelled).
    keeps: (a) => (a.bool('log_input') && !a.bool('full') ? { tensors: ['target'], inputShaped: 1 } : undefined),
  },
  {
    layer: 'GaussianNLLLoss',
    functional: 'gaussian_nll_loss',
    signature: [
      { name: 'full', default: bool(false), keywordOnly: true },
      { name: 'eps', default: float(1e-6), keywordOnly: true },
      { name: 'reduction', default: str('mean'), keywordOnly: true },
    ],
    inputs: ['input', 'target', 'var'],
    shape: (t) => broadcastPair(t),
  },
  {
    layer: 'CosineEmbeddingLoss',
    functional: 'cosine_embedding_loss',
    signature: [{ name: 'margin', default: float(0.0) }, ...reductionArgs],
    inputs: ['input1', 'input2', 'target'],
    shape: perSample(1),
    keeps: () => ({ tensors: ['input1', 'input2'], perSample: 4, perSampleMasks: 2 }),
  },
  {
    layer: 'MarginRankingLoss',
    functional: 'margin_ranking_loss',
    signature: [{ name: 'margin', default: float(0.0) }, ...reductionArgs],
    inputs: ['input1', 'input2', 'target'],
    shape: broadcastAllInputs,
    keeps: () => ({ perSample: 2 }),
  },
  {
    layer: 'TripletMarginLoss',
    functional: 'triplet_margin_loss',
    signature: [{ name: 'margin', default: float(1.0) }, { name: 'p', default: float(2.0) }, { name: 'eps', default: float(1e-6) }, { name: 'swap', default: bool(false) }, ...reductionArgs],
    inputs: ['anchor', 'positive', 'negative'],
    shape: perSample(1),
    // Measured with the default p = 2 and swap = False.
    keeps: (a) => (a.float('p') === 2 && !a.bool('swap') ? { inputShaped: 2, perSample: 3 } : undefined),
  },
  {
    layer: 'TripletMarginWithDistanceLoss',
    functional: 'triplet_margin_with_distance_loss',
    // Keyword-only in PyTorch; the default distance is pairwise_distance, one value per sample.
    signature: [
      { name: 'distance_function', default: NONE, keywordOnly: true },
      { name: 'margin', default: float(1.0), keywordOnly: true },
      { name: 'swap', default: bool(false), keywordOnly: true },
      { name: 'reduction', default: str('mean'), keywordOnly: true },
    ],
    inputs: ['anchor', 'positive', 'negative'],
    shape: perSample(1),
  },
  { layer: 'MultiLabelSoftMarginLoss', functional: 'multilabel_soft_margin_loss', signature: [weightArg, ...reductionArgs], inputs: ['input', 'target'], shape: perSample(1), keeps: () => ({ tensors: ['input', 'target'], inputShaped: 4 }), composite: true },
  { layer: 'MultiLabelMarginLoss', functional: 'multilabel_margin_loss', signature: reductionArgs, inputs: ['input', 'target'], shape: perSample(1) },
  {
    layer: 'MultiMarginLoss',
    functional: 'multi_margin_loss',
    signature: [{ name: 'p', default: int(1) }, { name: 'margin', default: float(1.0) }, weightArg, ...reductionArgs],
    inputs: ['input', 'target'],
    shape: perSample(1),
    keeps: keepsInputAndTarget,
  },
  {
    layer: 'CTCLoss',
    functional: 'ctc_loss',
    signature: [{ name: 'blank', default: int(0) }, reductionOnly, { name: 'zero_infinity', default: bool(false) }],
    inputs: ['log_probs', 'targets', 'input_lengths', 'target_lengths'],
    shape: ctcShape,
  },
];

/** A loss's training cost: what it keeps by its spec, on the unreduced shape (a throw: unknown, when the spec does not say). */
function lossTrainCost(spec: LossSpec, a: Args): OpCost {
  const keeps = spec.keeps?.(a);
  if (!keeps) throw new Error(`what ${spec.layer} keeps for backward is not modelled for these arguments`);
  const inputs = spec.inputs.map((name) => a.tensor(name));
  return lossCost(keeps, spec.inputs, inputs[0]!, spec.shape(inputs), !spec.composite);
}

function lossOutput(spec: LossSpec, a: Args): DataValue {
  const inputs = spec.inputs.map((name) => a.tensor(name));
  const reduction = readReduction(a, spec.batchmean);
  const unreduced = spec.shape(inputs);
  return tensor(reduction === 'none' ? unreduced : [], inputs[0]!.dtype === 'unknown' ? 'unknown' : 'float32');
}

const lossLayers: LayerEntry[] = LOSSES.map((spec) =>
  defineLayer<BoundArgsCopy>({
    name: spec.layer,
    signature: spec.signature,
    forwardSignature: spec.inputs.map((name) => ({ name })),
    ...(spec.topic ? { topic: spec.topic } : {}),
    // PyTorch validates `reduction` only when the loss is called (in F.*), so configure keeps the args.
    configure: (a) => ({ raw: a.raw }),
    parameters: (c) => lossBuffers(c),
    forward: (c, a) => result(lossOutput(spec, argsWith(a, c))),
    cost: (c, a) => lossTrainCost(spec, argsWith(a, c)),
    traits: { loss: spec.functional ? { functional: spec.functional } : {} },
  }),
);

/** _WeightedLoss registers `weight` (and BCEWithLogitsLoss `pos_weight`) as buffers when given as tensors. */
function lossBuffers(c: BoundArgsCopy): ParameterTensor[] {
  return ['weight', 'pos_weight'].flatMap((name) => {
    const v = c.raw[name];
    if (v?.kind !== 'tensor' || v.shape === null || v.shape.some((d) => typeof d !== 'number')) return [];
    return [{ name, shape: v.shape as number[], init: { kind: 'unknown', reason: 'given by the caller' } as const, buffer: true }];
  });
}

/** A loss layer's config is its constructor arguments (reduction is read when the loss is called). */
interface BoundArgsCopy {
  readonly raw: Args['raw'];
}

/** Forward args merged with the constructor's, so one `lossOutput` serves layers and F.* functions. */
function argsWith(forward: Args, config: BoundArgsCopy): Args {
  return new Args({ ...config.raw, ...forward.raw }, 'loss');
}

/** F.<loss>(inputs..., <constructor args without weight-less legacy order>): inputs first, then the options. */
const lossOps: OpEntry[] = LOSSES.filter((s) => s.functional).map((spec) =>
  defineOp({
    name: `torch.nn.functional.${spec.functional}`,
    signature: [...spec.inputs.map((name) => ({ name })), ...spec.signature.filter((s) => !spec.inputs.includes(s.name)).map((s) => ({ ...s, keywordOnly: false }))],
    apply: (a) => result(lossOutput(spec, a)),
    cost: (a) => lossTrainCost(spec, a),
  }),
);

export const lossLayerEntries: readonly LayerEntry[] = lossLayers;
export const lossOpEntries: readonly OpEntry[] = lossOps;
