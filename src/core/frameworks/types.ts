// The contract between the interpreter and a framework catalogue (torch today; Keras and Flax later).
// A catalogue entry knows one layer, functional op or tensor method; the interpreter binds Python call
// arguments to the entry's signature and hands it plain data values.
import type { CalculatorId } from '../calculators/ids';
import type { ActivationName } from '../formulas/activations';
import type { AxisReader } from '../formulas/receptiveField';
import type { Dim } from '../dims/dims';
import type { DataValue, TensorValue } from '../values';
import type { Availability, TorchVersion } from './torch/version';

/** One parameter of a constructor or function, in PyTorch's positional order. */
export interface ArgSpec extends Availability {
  readonly name: string;
  /** The Python default; absent means required. */
  readonly default?: DataValue;
  /** Keyword-only (after `*` in the signature). */
  readonly keywordOnly?: boolean;
  /** Positional-only (a placeholder name for overloads that name it differently, e.g. tensor_split's). */
  readonly positionalOnly?: boolean;
  /** `*args` collector (e.g. `x.view(*shape)`, `nn.Sequential(*modules)`). */
  readonly variadic?: boolean;
}

/** Bound arguments: every ArgSpec name maps to the passed value or its default. */
export type BoundArgs = Readonly<Record<string, DataValue>>;

/** A problem the layer itself would raise in PyTorch (bad config, incompatible input). */
export interface LayerError {
  readonly kind: 'error';
  readonly message: string;
  /** The argument or input it is about, so diagnostics can point at it. */
  readonly argument?: string;
  /**
   * True when the analysis could not determine a value the entry needs (a symbolic or unknown config
   * value), so this is a limit of the analysis and not an error PyTorch would raise.
   */
  readonly unknown?: boolean;
  /**
   * What PyTorch's layer would output had it accepted the input (a Linear gives `[..., out_features]`),
   * so the analysis can go on past the error and report later, independent ones.
   */
  readonly assumed?: DataValue;
}

export interface ParameterTensor {
  /** PyTorch's parameter name relative to the module: 'weight', 'bias', 'weight_ih_l0', 'in_proj_weight'. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: InitSpec;
  /** Buffers (running_mean, ...) are listed for completeness but not counted as parameters. */
  readonly buffer?: boolean;
  /** The parameter exists only if this holds (a constructor flag the analysis could not read). */
  readonly onlyIf?: string;
}

/** Which init applies to a parameter, in terms the init-variance analysis can compute with. */
export type InitSpec =
  | { readonly kind: 'kaiming_uniform'; readonly a: number; readonly mode: 'fan_in' | 'fan_out'; readonly fanIn: number; readonly fanOut: number }
  | { readonly kind: 'uniform'; readonly low: number; readonly high: number }
  | { readonly kind: 'normal'; readonly mean: number; readonly std: number }
  | { readonly kind: 'xavier_uniform' | 'xavier_normal'; readonly gain: number; readonly fanIn: number; readonly fanOut: number }
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'orthogonal'; readonly gain: number }
  | { readonly kind: 'unknown'; readonly reason: string };

/** Kernel geometry of a windowed layer (conv, pooling) per spatial axis, for hovers and the panels. */
export interface WindowGeometry {
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly dilation: readonly number[];
}

/**
 * A layer's effect on the receptive field: how each spatial axis of its output reads its input
 * (formulas/receptiveField.ts). Absent: pointwise, no effect; undefined from the method: not known
 * (e.g. a resampling whose sizes are symbolic), and the field ends there.
 */
export type ReceptiveFieldEffect = readonly AxisReader[];

/** The spatial sizes of one call's input and output, for effects that depend on them (align_corners). */
export interface SpatialSizes {
  readonly input: readonly Dim[];
  readonly output: readonly Dim[];
}

export interface ForwardResult {
  /** A tensor, a tuple of outputs (RNN/MHA), or None. */
  readonly output: DataValue;
  /** One multiply-add = 1 MAC; null when the op has no meaningful count (or it cannot be known). */
  readonly macs: Dim | null;
}

/** What an entry may depend on besides its arguments: the user's framework version. */
export interface CallContext {
  readonly torchVersion: TorchVersion;
}

// ---------------------------------------------------------------------------------------------------
// Costs beyond the forward MACs: what an op adds to a training step. Each entry's cost rule says what its
// op does (which gradients its backward computes, what autograd keeps for it, whether its output is a view);
// the arithmetic is in formulas/costs.ts and the interpreter's cost trace applies it to real tensors.

/**
 * A tensor of one call, named for a cost rule: a bound argument ('input', 'weight', 'self', 'other'), a
 * layer's own parameter by its name ('weight', 'in_proj_weight'), 'parameters' for all of a layer's
 * parameters at once, or the result ('output', 'output.0' for the first item of a tuple).
 */
export type TensorName = string;

/**
 * The element type of a tensor an op makes only to keep it: like its source tensor ('same'), a fixed type,
 * or 'mask' (dropout's mask: the input's type on CPU, bool on CUDA).
 */
export type SavedElement = 'same' | 'float32' | 'int64' | 'bool' | 'mask';

/** One tensor autograd keeps for an op's backward. */
export interface SavedTensor {
  /** What it is, in a few words: 'input', 'output', 'indices', 'dropout mask', 'mean and 1/std'. */
  readonly what: string;
  /** A tensor of the call kept by reference: its storage counts once, whoever else keeps it. */
  readonly tensor?: TensorName;
  /**
   * The op keeps `tensor` reshaped to these sizes (matmul folding batch dims, linear flattening its input):
   * a view when the strides allow it, otherwise a contiguous copy that is new storage.
   */
  readonly reshapedTo?: readonly Dim[];
  /** A tensor the op makes only to keep it (indices, masks, statistics, copies): its sizes. */
  readonly shape?: readonly Dim[];
  /** The element type of a `shape` tensor (default 'same' as the op's first input). */
  readonly element?: SavedElement;
  /** Kept only when one of these requires grad (the part of the backward that reads it runs only then). */
  readonly forGradOf?: readonly TensorName[];
}

/** Work the backward does to produce one gradient; it runs only when that tensor requires grad. */
export interface GradientWork {
  readonly of: TensorName;
  /** Multiply-adds (1 MAC = one multiply-add, FLOPs = 2·MACs). */
  readonly macs: Dim;
  /** Other arithmetic, one per element-step (formulas/costs.ts states the convention). */
  readonly otherOps?: Dim;
}

/** How a view's strides follow from its input's (a view shares the input's storage). */
export type ViewEffect =
  /** view, reshape, flatten, unflatten, squeeze, unsqueeze: `copyIfNeeded` for reshape, which copies when strides cannot express it. */
  | { readonly kind: 'reshape'; readonly copyIfNeeded: boolean }
  /** transpose, permute, t, movedim: output axis i is input axis order[i]. */
  | { readonly kind: 'permute'; readonly order: readonly number[] }
  /** narrow, select, split, chunk, unbind, basic indexing: the strides of the kept axes; `dropped` axes go away. */
  | { readonly kind: 'slice'; readonly dropped?: readonly number[] }
  /** expand: broadcast axes get stride 0. */
  | { readonly kind: 'expand' }
  /** A view with overlapping or irregular strides (Tensor.unfold): never contiguous. */
  | { readonly kind: 'strided' }
  /** In-place ops, detach, an identity: the same storage and strides. */
  | { readonly kind: 'alias' }
  /** contiguous(): the same tensor when already contiguous, else a copy. */
  | { readonly kind: 'contiguous' };

export interface OpCost {
  /** Forward arithmetic that is not multiply-adds (elementwise, normalisation, pooling, softmax, reductions). */
  readonly otherOps?: Dim;
  readonly gradients?: readonly GradientWork[];
  readonly saves?: readonly SavedTensor[];
  /** The output shares this tensor's storage instead of allocating its own. */
  readonly aliases?: { readonly tensor: TensorName; readonly view: ViewEffect };
  /** The output never requires grad (comparisons, indices, integer results, detach, creation). */
  readonly noGrad?: boolean;
  /** How torch.autocast runs it on each device (absent: in its inputs' promoted type). */
  readonly autocast?: AutocastPolicy;
}

/**
 * What torch.autocast does to an op's floating inputs: casts them to the lower precision, or to float32;
 * 'inside': the op is not on the lists but its kernel calls listed ops (CPU's step-by-step RNN runs each
 * step's products in the lower type), so what it keeps is not modelled and its cost is unknown.
 */
export type AutocastKind = 'lower' | 'float32' | 'inside';

/**
 * An op's place in torch.autocast's op lists, per device (PyTorch's "Autocast Op Reference"; the CPU lists
 * as PyTorch 1.13 runs them, measured by the cost oracle). A device absent runs the op in its inputs' type.
 */
export interface AutocastPolicy {
  readonly cpu?: AutocastKind;
  readonly cuda?: AutocastKind;
}

/** What a cost rule sees of one call besides its arguments. */
export interface CostQuery {
  readonly output: DataValue;
  /** The forward MACs the entry computed for this call. */
  readonly macs: Dim;
  /** The module's `training` flag (layers), or the `training` argument of a functional op. */
  readonly training: boolean;
  /** Whether a named tensor of the call is the same tensor as another (self-attention's query, key, value). */
  same(a: TensorName, b: TensorName): boolean;
}

/** A submodule PyTorch's `__init__` creates (MultiheadAttention's out_proj): its layer and constructor arguments. */
export interface Submodule {
  readonly layer: string;
  readonly args: readonly DataValue[];
}

/**
 * What the rest of the product reads of a layer besides its rules (the module runtime, the summary, the
 * editor's quick fixes, the calculators, the checks): each fact here, beside the layer it is about.
 */
export interface LayerTraits {
  /**
   * Constructor arguments the module stores as a tuple of one item per axis whatever was passed
   * (Conv2d's `kernel_size=3` is `(3, 3)`), with that tuple's length.
   */
  readonly tupleAttributes?: Readonly<Record<string, number>>;
  /**
   * Its submodules are part of it: forward calls none of them, so the layer is one unit of the trace and
   * counts their parameters itself (MultiheadAttention's out_proj).
   */
  readonly ownsSubmodules?: boolean;
  /** Submodules `__init__` creates, read as attributes (MultiheadAttention's out_proj), from the bound constructor arguments. */
  submodules?(args: BoundArgs): Readonly<Record<string, Submodule>>;
  /**
   * The constructor argument that must equal a size of the input (Linear's in_features, the last axis;
   * Conv2d's in_channels, the channel axis): a shape error is fixed by setting it.
   */
  readonly inputSize?: { readonly argument: string; readonly axis: 'last' | 'channel' };
  /** The input a model starting with this layer takes when none is given (symbolic batch and spatial sizes). */
  exampleInput?(args: BoundArgs): readonly (readonly Dim[])[] | undefined;
  /** The command-palette calculators that fit the layer, with the inputs its kind fixes and its arguments' calculator names. */
  readonly calculators?: LayerCalculators;
  /** Its part in the init-variance chain (editor/varianceChain.ts) and the activation checks. */
  readonly variance?: VarianceRole;
  /** It turns scores into probabilities (or their logarithms) along a dim: Softmax, LogSoftmax. */
  readonly probabilities?: Probabilities;
  /** Methods that change nothing the analysis follows (RNNBase.flatten_parameters lays out memory). */
  readonly noOpMethods?: readonly string[];
  /** The spatial axes its input has after batch and channels (Conv2d, BatchNorm2d, Dropout2d, MaxPool2d: 2). */
  readonly spatialRank?: number;
  /**
   * Its output has its input's shape, each element from the element at the same place and its channel
   * (activations, batch/instance/group/layer normalization, dropout, Identity): checks look through it.
   */
  readonly keepsShape?: boolean;
  /**
   * What it does differently in training mode: drops units (whole elements or whole channels; alpha dropout
   * keeps SELU's mean and variance), or normalizes with the batch's own statistics (batch norm).
   */
  readonly training?: { readonly kind: 'dropout'; readonly drops: 'elements' | 'channels'; readonly alpha: boolean } | { readonly kind: 'batch-statistics' };
  /** A recurrent layer: over a whole sequence (RNN, LSTM, GRU) or one time step (the cells). */
  readonly recurrent?: 'sequence' | 'cell';
  /** A loss function module (CrossEntropyLoss, KLDivLoss, …) and the F.* function it computes, when there is one. */
  readonly loss?: { readonly functional?: string };
  /** The constructor arguments that give its weight's fan-in and fan-out (Linear: in_features, out_features; Conv: times the kernel). */
  readonly fans?: { readonly inputs: string; readonly outputs: string; readonly kernel?: { readonly argument: string; readonly rank: number } };
  /** How its output relates to the input's spatial grid (the hover's receptive-field line). */
  readonly grid?: LayerGrid;
}

/**
 * `'windows'`: it reads windows of a spatial grid (conv, transposed conv, pooling), so it and the layers after
 * it in a model run on that grid. `'tokens'`: its output is per token or per vector (Linear, Embedding,
 * attention, LayerNorm, Flatten, recurrent layers), where a receptive field on the grid means nothing.
 * A layer without it keeps whatever layout its input has (BatchNorm2d, ReLU, Dropout).
 */
export type LayerGrid = 'windows' | 'tokens';

/** What a softmax-like layer or op outputs. */
export type Probabilities = 'softmax' | 'log_softmax';

/** Calculators that fit a layer. */
export interface LayerCalculators {
  readonly ids: readonly CalculatorId[];
  readonly fixed?: Readonly<Record<string, string>>;
  readonly rename?: Readonly<Record<string, string>>;
}

/** How a layer or op carries the second moment E[x²] between a dense layer and the next (editor/varianceChain.ts). */
export type VarianceRole =
  /**
   * A weight multiplies its input (Linear, Conv, ConvTranspose, Bilinear). `chained`: the mean-field step
   * Var(z) = fan_in·Var(W)·E[x²] holds (Linear, Conv), so the layer is a step of the chain; a transposed
   * conv's or Bilinear's output sums over other terms than its init's fan_in.
   */
  | { readonly kind: 'dense'; readonly chained: boolean }
  /** It applies this activation elementwise (ReLU6 counts as ReLU, as the notes' estimate does). */
  | { readonly kind: 'activation'; readonly activation: ActivationName }
  /** Dropout, reshapes, copies: E[x²] of the values that reach the next layer is kept (for this estimate). */
  | { readonly kind: 'passThrough' }
  /** Normalization: it resets the scale; an activation after it still follows the layer before. */
  | { readonly kind: 'normalization' }
  /** Pooling ends a chain; a max pool commutes with a monotone activation (relu(maxpool(z)) = maxpool(relu(z))). */
  | { readonly kind: 'pooling'; readonly commutesWithActivation: boolean };

/** A built-in nn layer (Conv2d, Linear, LSTM, ...). `Config` is the entry's own normalized form. */
export interface LayerEntry<Config = unknown> extends Availability {
  readonly name: string;
  /** Constructor signature as PyTorch declares it (without self). */
  readonly signature: readonly ArgSpec[];
  /** Forward signature (without self), e.g. [{name:'input'}] or MHA's query/key/value/... */
  readonly forwardSignature: readonly ArgSpec[];
  /** Notes topic that explains it (hover link). */
  readonly topic?: string;
  /** Validates and normalizes constructor args, as PyTorch's __init__ would (raising the same errors). */
  configure(args: BoundArgs): Config | LayerError;
  /** Parameters in PyTorch's registration order, with the default init of each. */
  parameters(config: Config): readonly ParameterTensor[];
  /** Output shape and MACs for the bound forward arguments. */
  forward(config: Config, args: BoundArgs, context?: CallContext): ForwardResult | LayerError;
  receptiveField?(config: Config, sizes?: SpatialSizes): ReceptiveFieldEffect | undefined;
  /** Lazy layers learn a config value from their first input (LazyLinear's in_features). */
  materialize?(config: Config, args: BoundArgs): Config | LayerError;
  /** What one call costs a training step; undefined when the cost cannot be known. */
  cost?(config: Config, args: BoundArgs, query: CostQuery): OpCost | undefined;
  readonly traits?: LayerTraits;
}

/** A function-like op: `F.relu`, `torch.cat`, a tensor method such as `x.view` (receiver bound as `self`). */
export interface OpEntry extends Availability {
  /** Qualified name: 'torch.cat', 'torch.nn.functional.relu', 'Tensor.view'. */
  readonly name: string;
  readonly signature: readonly ArgSpec[];
  /** A Tensor attribute read without a call (x.mT, x.real, x.nbytes); the receiver is its only argument. */
  readonly property?: boolean;
  apply(args: BoundArgs, context?: CallContext): ForwardResult | LayerError;
  /** The effect on the receptive field of the `input` argument, for ops that resample it (F.interpolate). */
  receptiveField?(args: BoundArgs, sizes: SpatialSizes): ReceptiveFieldEffect | undefined;
  /** What one call costs a training step; undefined when the cost cannot be known. */
  cost?(args: BoundArgs, query: CostQuery): OpCost | undefined;
  /** Its part in the init-variance chain (F.relu applies relu; view passes E[x²] through). */
  readonly variance?: VarianceRole;
  /** It turns scores into probabilities (or their logarithms) along a dim: F.softmax, Tensor.log_softmax. */
  readonly probabilities?: Probabilities;
}

export const isLayerError = (x: unknown): x is LayerError =>
  typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'error';

export type { Dim, DataValue, TensorValue };
