// Helpers every catalogue entry is written with. Inside an entry, a problem is raised with `fail` (an
// error PyTorch itself would raise) or `giveUp` (the analysis cannot know); `defineLayer`/`defineOp` turn
// those into LayerError / Unknown results at the entry boundary, so no exception ever reaches the caller.
import type { Dim } from '../../dims/dims';
import { isSymbolic, formatDim } from '../../dims/dims';
import type { DataValue, DType, TensorValue } from '../../values';
import { unknown } from '../../values';
import { NO_MACS } from './macs';
import type { ArgSpec, BoundArgs, CallContext, CostQuery, ForwardResult, LayerEntry, LayerError, LayerTraits, OpCost, OpEntry, ParameterTensor, ReceptiveFieldEffect, SpatialSizes } from '../types';
import type { Availability, TorchFeature } from './version';
import { DEFAULT_TORCH_VERSION, hasFeature } from './version';

const DEFAULT_CONTEXT: CallContext = { torchVersion: DEFAULT_TORCH_VERSION };

/** An error PyTorch would raise, or (unknown=true) a value the analysis cannot determine. */
class CatalogueFailure {
  constructor(
    readonly message: string,
    readonly argument: string | undefined,
    readonly unknown: boolean,
    readonly assumed?: DataValue,
  ) {}
}

/** Raises the error PyTorch would raise. */
export function fail(message: string, argument?: string): never {
  throw new CatalogueFailure(message, argument, false);
}

/**
 * Runs a check of arguments that do not change shapes (an activation's slope, an approximation name):
 * an error PyTorch would raise still fails, but an unknown argument skips the check instead of
 * making the whole layer unknown.
 */
export function checkWhenKnown(check: () => void): void {
  try {
    check();
  } catch (e) {
    if (!(e instanceof CatalogueFailure && e.unknown)) throw e;
  }
}

/**
 * Raises the error PyTorch would raise on a mismatched input, with the output the layer would give had
 * it accepted it (so the analysis goes on and reports later, independent errors too).
 */
export function failAssuming(message: string, argument: string, assumed: DataValue): never {
  throw new CatalogueFailure(message, argument, false, assumed);
}

/** Stops the entry because a value it needs is unknown (not a PyTorch error). */
export function giveUp(message: string, argument?: string): never {
  throw new CatalogueFailure(message, argument, true);
}

const toLayerError = (f: CatalogueFailure): LayerError =>
  f.unknown
    ? { kind: 'error', message: f.message, ...(f.argument ? { argument: f.argument } : {}), unknown: true }
    : { kind: 'error', message: f.message, ...(f.argument ? { argument: f.argument } : {}), ...(f.assumed ? { assumed: f.assumed } : {}) };

const internalReason = (name: string, e: unknown): string => `internal error in ${name}: ${e instanceof Error ? e.message : String(e)}`;

/** Runs an entry step: failures become LayerErrors; unknowns become an Unknown output (forward) or error. */
function guardForward(name: string, run: () => ForwardResult): ForwardResult | LayerError {
  try {
    const r = run();
    // Last line of defence: a negative or fractional size means an unchecked bad argument upstream.
    const bad = badSize(r.output);
    if (bad !== undefined) return { kind: 'error', message: `${name}: invalid size ${bad} in the result` };
    if (typeof r.macs === 'number' && !(Number.isInteger(r.macs) && r.macs >= 0)) return { output: r.output, macs: null };
    return r;
  } catch (e) {
    if (e instanceof CatalogueFailure) return e.unknown ? { output: unknown(e.message), macs: null } : toLayerError(e);
    return { output: unknown(internalReason(name, e)), macs: null };
  }
}

function badSize(v: DataValue): number | undefined {
  if (v.kind === 'tensor') return v.shape?.find((d): d is number => typeof d === 'number' && !(Number.isInteger(d) && d >= 0));
  if (v.kind === 'tuple' || v.kind === 'list') {
    for (const item of v.items) {
      const bad = badSize(item);
      if (bad !== undefined) return bad;
    }
  }
  return undefined;
}

function guardConfig<T>(name: string, run: () => T): T | LayerError {
  try {
    return run();
  } catch (e) {
    if (e instanceof CatalogueFailure) return toLayerError(e);
    return { kind: 'error', message: internalReason(name, e), unknown: true };
  }
}

// ---------------------------------------------------------------------------------------------------
// Reading bound arguments.

const typeName = (v: DataValue | undefined): string => (v === undefined ? 'missing' : v.kind === 'int' ? 'int' : v.kind);

/** Typed access to bound arguments; every reader fails with PyTorch-like messages on the wrong kind. */
export class Args {
  constructor(
    readonly raw: BoundArgs,
    private readonly owner: string,
    readonly context: CallContext = DEFAULT_CONTEXT,
  ) {}

  /** Whether the user's PyTorch has a behaviour that changed between releases (version.ts). */
  has(feature: TorchFeature): boolean {
    return hasFeature(feature, this.context.torchVersion);
  }

  value(name: string): DataValue | undefined {
    return this.raw[name];
  }

  isNone(name: string): boolean {
    const v = this.raw[name];
    return v === undefined || v.kind === 'none';
  }

  /** A config int that must be a plain number (channels, kernel sizes). */
  int(name: string): number {
    const v = this.raw[name];
    if (v?.kind === 'int') {
      if (isSymbolic(v.value)) giveUp(`${this.owner}: ${name} depends on the input (${formatDim(v.value)})`, name);
      return v.value;
    }
    if (v?.kind === 'bool') return v.value ? 1 : 0;
    if (v?.kind === 'unknown') giveUp(`${this.owner}: ${name} is unknown (${v.reason})`, name);
    return fail(`${this.owner}: ${name} must be an int, got ${typeName(v)}`, name);
  }

  optInt(name: string): number | undefined {
    return this.isNone(name) ? undefined : this.int(name);
  }

  /** An int that may be symbolic (a size computed from the input). */
  dim(name: string): Dim {
    return toDim(this.raw[name], `${this.owner}: ${name}`, name);
  }

  optDim(name: string): Dim | undefined {
    return this.isNone(name) ? undefined : this.dim(name);
  }

  /** An int or a tuple of `n` ints (kernel_size=3 or (3, 5)). */
  ints(name: string, n: number): number[] {
    const v = this.raw[name];
    if (v?.kind === 'tuple' || v?.kind === 'list') {
      const items = v.items.map((item, i) => {
        if (item.kind === 'int' && !isSymbolic(item.value)) return item.value;
        if (item.kind === 'int' || item.kind === 'unknown') giveUp(`${this.owner}: ${name}[${i}] is not a known int`, name);
        return fail(`${this.owner}: ${name} must be a tuple of ints`, name);
      });
      if (items.length === 1 && n > 1) return Array<number>(n).fill(items[0]!);
      if (items.length !== n) fail(`${this.owner}: ${name} must have ${n} elements, got ${items.length}`, name);
      return items;
    }
    return Array<number>(n).fill(this.int(name));
  }

  float(name: string): number {
    const v = this.raw[name];
    if (v?.kind === 'float') return v.value;
    if (v?.kind === 'int' && !isSymbolic(v.value)) return v.value;
    if (v?.kind === 'bool') return v.value ? 1 : 0;
    if (v?.kind === 'unknown' || v?.kind === 'int') giveUp(`${this.owner}: ${name} is not a known number`, name);
    return fail(`${this.owner}: ${name} must be a number, got ${typeName(v)}`, name);
  }

  optFloat(name: string): number | undefined {
    return this.isNone(name) ? undefined : this.float(name);
  }

  /**
   * A flag that decides only whether some parameters exist (bias, affine, track_running_stats): unknown
   * leaves it open instead of stopping the entry, so shapes and the other parameters stay known.
   */
  flag(name: string): Flag {
    const v = this.raw[name];
    if (v?.kind === 'unknown') return { open: `${name}=True, which is unknown (${v.reason})` };
    if (v?.kind === 'int' && isSymbolic(v.value)) return { open: `${name}=True, which depends on the input` };
    return this.bool(name);
  }

  bool(name: string): boolean {
    const v = this.raw[name];
    if (v === undefined || v.kind === 'none') return false;
    if (v.kind === 'bool') return v.value;
    if (v.kind === 'int' && !isSymbolic(v.value)) return v.value !== 0;
    if (v.kind === 'float') return v.value !== 0;
    if (v.kind === 'str') return v.value !== '';
    return giveUp(`${this.owner}: ${name} is not a known bool`, name);
  }

  str(name: string): string {
    const v = this.raw[name];
    if (v?.kind === 'str') return v.value;
    if (v?.kind === 'unknown') giveUp(`${this.owner}: ${name} is unknown`, name);
    return fail(`${this.owner}: ${name} must be a str, got ${typeName(v)}`, name);
  }

  optStr(name: string): string | undefined {
    return this.isNone(name) ? undefined : this.str(name);
  }

  /** A tensor with a known shape; an unknown value or unknown rank stops the entry with Unknown. */
  tensor(name: string): KnownTensor {
    return toKnownTensor(this.raw[name], `${this.owner}: ${name}`, name);
  }

  optTensor(name: string): KnownTensor | undefined {
    return this.isNone(name) ? undefined : this.tensor(name);
  }

  /** The items of a variadic `*args` or of a single tuple/list passed in its place (`view(2, 3)` or `view((2, 3))`). */
  varItems(name: string): readonly DataValue[] {
    const v = this.raw[name];
    if (v === undefined || v.kind === 'none') return [];
    if (v.kind !== 'tuple' && v.kind !== 'list') return [v];
    if (v.items.length === 1) {
      const only = v.items[0]!;
      if (only.kind === 'tuple' || only.kind === 'list') return only.items;
    }
    return v.items;
  }

  /** A list of sizes: `*size` variadic or a tuple, as `torch.zeros(2, 3)` / `torch.zeros((2, 3))`. */
  sizes(name: string): Dim[] {
    return this.varItems(name).map((item, i) => toDim(item, `${this.owner}: ${name}[${i}]`, name));
  }
}

/** A flag the analysis could not read; `open` says what it would take and why it is not known. */
export interface OpenFlag {
  readonly open: string;
}
export type Flag = boolean | OpenFlag;

export const isOpen = (f: Flag): f is OpenFlag => typeof f === 'object';

/** The parameters a flag adds: none when false, all when true, each marked `onlyIf` when the flag is open. */
export function flagged(flag: Flag, params: readonly ParameterTensor[]): ParameterTensor[] {
  if (flag === false) return [];
  if (flag === true) return [...params];
  return params.map((p) => ({ ...p, onlyIf: flag.open }));
}

export interface KnownTensor extends TensorValue {
  readonly shape: readonly Dim[];
}

export function toDim(v: DataValue | undefined, what: string, argument?: string): Dim {
  if (v?.kind === 'int') return v.value;
  if (v?.kind === 'bool') return v.value ? 1 : 0;
  if (v?.kind === 'unknown') giveUp(`${what} is unknown (${v.reason})`, argument);
  if (v?.kind === 'tensor' && v.shape !== null && v.shape.length === 0 && (v.dtype === 'int64' || v.dtype === 'int32')) {
    giveUp(`${what} is a tensor value`, argument);
  }
  return fail(`${what} must be an int, got ${typeName(v)}`, argument);
}

export function toKnownTensor(v: DataValue | undefined, what: string, argument?: string): KnownTensor {
  if (v?.kind === 'tensor') {
    if (v.shape === null) giveUp(`${what} has an unknown shape`, argument);
    return v as KnownTensor;
  }
  if (v?.kind === 'unknown') giveUp(`${what} is unknown (${v.reason})`, argument);
  return fail(`${what} must be a Tensor, not ${typeName(v)}`, argument);
}

// ---------------------------------------------------------------------------------------------------
// Defining entries.

export interface LayerSpec<C> extends Availability {
  readonly name: string;
  readonly signature: readonly ArgSpec[];
  readonly forwardSignature?: readonly ArgSpec[];
  readonly topic?: string;
  configure(args: Args): C;
  parameters?(config: C): readonly ParameterTensor[];
  forward(config: C, args: Args): ForwardResult;
  receptiveField?(config: C, sizes?: SpatialSizes): ReceptiveFieldEffect | undefined;
  materialize?(config: C, args: Args): C;
  /** What a call costs a training step (the family's rule in costs.ts). */
  cost?(config: C, args: Args, query: CostQuery): OpCost;
  readonly traits?: LayerTraits;
}

/** The most common forward signature: one tensor called `input`. */
export const INPUT_ONLY: readonly ArgSpec[] = [{ name: 'input' }];

export function defineLayer<C>(spec: LayerSpec<C>): LayerEntry<C> {
  const name = spec.name;
  const entry: LayerEntry<C> = {
    name,
    signature: spec.signature,
    forwardSignature: spec.forwardSignature ?? INPUT_ONLY,
    ...(spec.topic ? { topic: spec.topic } : {}),
    ...(spec.traits ? { traits: spec.traits } : {}),
    ...availabilityOf(spec),
    configure: (args) => guardConfig(name, () => checkParameterSizes(spec, spec.configure(new Args(args, name)))),
    parameters: (config) => {
      try {
        return spec.parameters ? spec.parameters(config) : [];
      } catch {
        return [];
      }
    },
    forward: (config, args, context) => guardForward(name, () => spec.forward(config, new Args(args, name, context))),
  };
  const receptiveField = spec.receptiveField;
  const materialize = spec.materialize;
  const cost = spec.cost;
  return {
    ...entry,
    ...(cost ? { cost: (config: C, args: BoundArgs, query: CostQuery) => guardCost(() => cost(config, new Args(args, name), query)) } : {}),
    ...(receptiveField ? { receptiveField: (config: C, sizes?: SpatialSizes) => guardEffect(() => receptiveField(config, sizes)) } : {}),
    ...(materialize
      ? { materialize: (config: C, args: BoundArgs) => guardConfig(name, () => checkParameterSizes(spec, materialize(config, new Args(args, name)))) }
      : {}),
  };
}

/** Creating a parameter with a negative size fails in PyTorch's __init__ (torch.empty), with this message. */
function checkParameterSizes<C>(spec: LayerSpec<C>, config: C): C {
  for (const p of spec.parameters?.(config) ?? []) {
    const negative = p.shape.find((d) => d < 0 || !Number.isInteger(d));
    if (negative !== undefined) fail(`Trying to create tensor with negative dimension ${negative}: ${shapeText(p.shape)}`);
  }
  return config;
}

/** The since/until of a spec, copied onto its entry only when present. */
const availabilityOf = (a: Availability): Availability => ({ ...(a.since ? { since: a.since } : {}), ...(a.until ? { until: a.until } : {}) });

export interface OpSpec extends Availability {
  readonly name: string;
  readonly property?: boolean;
  readonly signature: readonly ArgSpec[];
  apply(args: Args): ForwardResult;
  receptiveField?(args: Args, sizes: SpatialSizes): ReceptiveFieldEffect | undefined;
  /** What a call costs a training step (the family's rule in costs.ts). */
  cost?(args: Args, query: CostQuery): OpCost;
}

export function defineOp(spec: OpSpec): OpEntry {
  const receptiveField = spec.receptiveField;
  const cost = spec.cost;
  return {
    name: spec.name,
    signature: spec.signature,
    ...availabilityOf(spec),
    ...(spec.property ? { property: true } : {}),
    apply: (args, context) => guardForward(spec.name, () => spec.apply(new Args(args, spec.name, context))),
    ...(receptiveField ? { receptiveField: (args: BoundArgs, sizes: SpatialSizes) => guardEffect(() => receptiveField(new Args(args, spec.name), sizes)) } : {}),
    ...(cost ? { cost: (args: BoundArgs, query: CostQuery) => guardCost(() => cost(new Args(args, spec.name), query)) } : {}),
  };
}

/** An entry with the cost rule of its family, for families whose entries share one rule. */
export function withLayerCost<C>(entry: LayerEntry<C>, cost: (config: C, args: Args, query: CostQuery) => OpCost): LayerEntry<C> {
  return { ...entry, cost: (config, args, query) => guardCost(() => cost(config, new Args(args, entry.name), query)) };
}

/** A cost whose arguments cannot be read (an unknown flag, a symbolic size it needs) is unknown, never thrown. */
function guardCost(cost: () => OpCost): OpCost | undefined {
  try {
    return cost();
  } catch {
    return undefined;
  }
}

/** An effect whose arguments cannot be read (a symbolic scale) is unknown: the field ends, nothing throws. */
function guardEffect(effect: () => ReceptiveFieldEffect | undefined): ReceptiveFieldEffect | undefined {
  try {
    return effect();
  } catch {
    return undefined;
  }
}

/**
 * One op reachable both as `torch.<name>(input, ...)` and as the method `Tensor.<name>(self, ...)`:
 * written once against the subject argument, registered under both names.
 */
export function defineDualOp(spec: Availability & {
  readonly name: string;
  readonly rest: readonly ArgSpec[];
  readonly torch?: boolean;
  readonly method?: boolean;
  apply(subject: KnownTensor, args: Args, subjectName: string): ForwardResult;
  /** What a call costs a training step, written against the subject argument like `apply`. */
  cost?(subject: KnownTensor, args: Args, subjectName: string, query: CostQuery): OpCost;
}): OpEntry[] {
  const out: OpEntry[] = [];
  const variants: Array<[string, string]> = [];
  if (spec.torch !== false) variants.push([`torch.${spec.name}`, 'input']);
  if (spec.method !== false) variants.push([`Tensor.${spec.name}`, 'self']);
  for (const [qualified, subjectName] of variants) {
    out.push(
      defineOp({
        name: qualified,
        ...availabilityOf(spec),
        signature: [{ name: subjectName }, ...spec.rest],
        apply: (args) => spec.apply(args.tensor(subjectName), args, subjectName),
        ...(spec.cost ? { cost: (args: Args, query: CostQuery) => spec.cost!(args.tensor(subjectName), args, subjectName, query) } : {}),
      }),
    );
  }
  return out;
}

/** A result; MACs default to the convention's 0 for ops without multiply-adds (macs.ts). */
export const result = (output: DataValue, macs: Dim | null = NO_MACS): ForwardResult => ({ output, macs });

/** Parses a dtype value (`torch.float32`, `torch.long`, 'float16', ...) as the interpreter passes it. */
export function parseDType(v: DataValue | undefined): DType | undefined {
  if (v === undefined || v.kind !== 'str') return undefined;
  const name = v.value.replace(/^torch\./, '');
  return DTYPE_NAMES[name];
}

const DTYPE_NAMES: Readonly<Record<string, DType>> = {
  float: 'float32',
  float32: 'float32',
  double: 'float64',
  float64: 'float64',
  half: 'float16',
  float16: 'float16',
  bfloat16: 'bfloat16',
  long: 'int64',
  int64: 'int64',
  int: 'int32',
  int32: 'int32',
  int8: 'int8',
  uint8: 'uint8',
  bool: 'bool',
  complex64: 'complex64',
  cfloat: 'complex64',
  complex128: 'complex128',
  cdouble: 'complex128',
};

/**
 * torch's dtypes the analysis has no element type for (16-bit and unsigned wide integers, complex32,
 * quantized, packed-bit and float8): tensors of these have an unknown dtype.
 */
const UNMODELLED_DTYPE_NAMES = [
  'int16', 'short', 'complex32', 'chalf', 'uint16', 'uint32', 'uint64',
  'qint8', 'qint32', 'quint8', 'quint4x2', 'quint2x4', 'bits1x8', 'bits2x4', 'bits4x2', 'bits8', 'bits16', 'float8_e4m3fn', 'float8_e4m3fnuz', 'float8_e5m2', 'float8_e5m2fnuz',
];

/** Every dtype attribute of the torch module (`torch.float32`, `torch.long`, `torch.qint8`, ...). */
export const TORCH_DTYPE_NAMES: readonly string[] = [...Object.keys(DTYPE_NAMES), ...UNMODELLED_DTYPE_NAMES];

/** PyTorch's shape text in messages: [1, 3, 224, 224]. */
export const shapeText = (shape: readonly Dim[]): string => `[${shape.map(formatDim).join(', ')}]`;
