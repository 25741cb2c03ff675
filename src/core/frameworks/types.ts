// The contract between the interpreter and a framework catalogue (torch today; Keras and Flax later).
// A catalogue entry knows one layer, functional op or tensor method; the interpreter binds Python call
// arguments to the entry's signature and hands it plain data values.
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
}

export const isLayerError = (x: unknown): x is LayerError =>
  typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'error';

export type { Dim, DataValue, TensorValue };
