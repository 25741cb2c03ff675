// torch inside the interpreter: the torch / nn / F / nn.init namespaces, tensors' attributes and
// indexing, nn.Module semantics (children, parameters, containers) and module calls, which are recorded
// with their shapes, MACs and receptive field. Atomic layer and op rules come from the catalogue.
import type { Dim } from '../dims/dims';
import * as dims from '../dims/dims';
import type { ArgSpec, BoundArgs, CallContext, CostQuery, ForwardResult, InitSpec, LayerEntry, LayerError, OpCost, OpEntry, ReceptiveFieldEffect, SpatialSizes, Submodule } from '../frameworks/types';
import { type AxisField, inputAxisField, mergeAxisFields, stepAxisField, summarizeAxisField } from '../formulas/receptiveField';
import type { Availability, TorchVersion } from '../frameworks/torch/version';
import { DEFAULT_TORCH_VERSION, formatTorchVersion, isAvailable } from '../frameworks/torch/version';
import { isLayerError } from '../frameworks/types';
import { lookupLayer, lookupOp, opNames } from '../frameworks/torch/index';
import { FACTORY_INITS, NN_INIT_FUNCTIONS, TENSOR_INIT_METHODS, fansOfTensorShape, gainOf, type InitArgument } from '../frameworks/torch/init';
import type { DataValue, Range, TensorValue } from '../values';
import { NONE, bool, float, int, ndarray, str, tensor, unknown } from '../values';
import type { BuiltinV, CallArgs, ClassV, DictV, ModuleState, NamespaceV, ObjectV, ParamInfo, TupleV, Value } from './values';
import { builtin, classV, keyOf, listV, namespaceV, tupleV } from './values';
import type { Interpreter, TorchHooks } from './interpreter';
import { PyRaise, SampleCallFound, describe, isEllipsis, sliceItems } from './interpreter';
import { nativeClass, staticNamespace } from './builtins';
import { LazyModules, once } from './lazy';
import type { ModuleLookup } from './lazy';
import { asDim, asNumber, toData } from './scalars';
import { PRELUDE_SOURCES } from '../frameworks/torch/prelude/index';
import { PACKED_SEQUENCE_FIELDS } from '../frameworks/torch/packedSequence';
import { TORCH_DTYPE_NAMES } from '../frameworks/torch/define';
import { CONSECUTIVE_PIECE_OPS, contentsRule, pieceValues } from '../frameworks/torch/contents';
import { einopsShape } from './einops';
import { type IndexPiece, indexedShape } from '../frameworks/torch/indexing';
import { type CallCost, type CallTensors, type CostRunState, CostTrace, NO_TRAIN_COST, addCallCosts } from './costTrace';
import { NumpyRuntime } from './numpy';

/**
 * Receptive field per spatial axis of a tensor flowing through the model (formulas/receptiveField.ts).
 * `exact` is false where branches with different layouts met and the larger field was kept.
 */
export interface RfState {
  readonly axes: readonly AxisField[];
  readonly exact: boolean;
}

/** What the file's own code calls its models with (the summary's sample call). */
export interface SampleCalls {
  readonly file: string;
  /** Only calls of this class count. */
  readonly className?: string;
  /** End the running code at the first sample call with known arguments. */
  stop: boolean;
  found?: { readonly model: ObjectV; readonly args: CallArgs };
  modelOnly?: ObjectV;
}

/** One module call, in the order calls start. */
export interface CallRecord {
  readonly module: ObjectV;
  readonly range: Range;
  readonly file: string;
  readonly inputs: readonly Value[];
  output: Value;
  macs: Dim | null;
  /** What the call adds to a training step (costTrace.ts); null when its cost rule is missing or cannot be read. */
  train?: CallCost | null;
  rf: RfState | null;
  readonly depth: number;
  readonly atomic: boolean;
  /** Position in the shared order of module calls and op calls. */
  readonly seq: number;
  /** Index in `calls` just past the last call made inside this one (set when the call returns). */
  end?: number;
  error?: string;
  /** The call happens only if this condition (which the analysis could not decide) holds. */
  readonly onlyIf?: string;
}

/** One functional op or tensor method call (`F.relu(x)`, `x.view(...)`, `x + y`) made by forward code. */
export interface OpRecord {
  /** The catalogue entry: 'torch.nn.functional.relu', 'Tensor.view', 'Tensor.__add__'. */
  readonly name: string;
  readonly range: Range;
  readonly file: string;
  readonly inputs: readonly Value[];
  /** Keyword arguments as passed (dim=-1, ...). */
  readonly keywords: ReadonlyMap<string, Value>;
  readonly output: Value;
  readonly seq: number;
  readonly error?: string;
  /** Multiply-adds the catalogue entry counts for this call; null when they cannot be known (the call failed). */
  readonly macs: Dim | null;
  /** What the call adds to a training step (costTrace.ts); null when its cost rule is missing or cannot be read. */
  readonly train: CallCost | null;
  /** The innermost module whose forward made the call (undefined at the top level of a script). */
  readonly module?: ObjectV;
  /** The call happens only if this condition (which the analysis could not decide) holds. */
  readonly onlyIf?: string;
}

/** A record under construction, its optional fields set after its literal. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A value computed past a shape error: the output PyTorch's layer would give had it accepted its input. */
export interface Assumption {
  readonly file: string;
  readonly range: Range;
  readonly message: string;
}

const BINARY_DUNDERS: Record<string, string> = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'truediv', '//': 'floordiv', '%': 'mod', '**': 'pow', '@': 'matmul',
  '&': 'and', '|': 'or', '^': 'xor', '<<': 'lshift', '>>': 'rshift',
};
const COMPARE_DUNDERS: Record<string, [string, string]> = { '<': ['lt', 'gt'], '<=': ['le', 'ge'], '>': ['gt', 'lt'], '>=': ['ge', 'le'], '==': ['eq', 'eq'], '!=': ['ne', 'ne'] };
const UNARY_DUNDERS: Record<string, string> = { '-': '__neg__', '+': '__pos__', '~': '__invert__' };

/** Tensor methods that return the tensor unchanged in shape, when the catalogue lacks them. */
const IDENTITY_METHODS = new Set(['contiguous', 'detach', 'clone', 'cpu', 'cuda', 'requires_grad_', 'retain_grad', 'pin_memory', 'share_memory_', 'coalesce', 'detach_']);
/** Module trees nested deeper than this are walked no further by deepcopy() and apply() (real models nest a few dozen). */
const MAX_MODULE_DEPTH = 500;

const CONTAINERS = new Set(['Sequential', 'ModuleList', 'ModuleDict', 'ParameterList', 'ParameterDict']);

/** Releases of torch functions the runtime provides itself (not catalogue entries). */
const RUNTIME_AVAILABILITY: Readonly<Record<string, Availability>> = { 'torch.compile': { since: '2.0.0' } };

/** Process-wide settings that cannot change a shape: calling them is a no-op for the analysis. */
const NO_EFFECT_SETTINGS = [
  'set_num_threads', 'set_num_interop_threads', 'set_printoptions', 'use_deterministic_algorithms', 'set_deterministic_debug_mode', 'set_float32_matmul_precision',
  'set_flush_denormal', 'set_warn_always', 'seed', 'set_rng_state', 'set_default_device',
];


/** What a kept session saves of the torch runtime after its module level (see TorchRuntime.runState). */
export interface TorchRunState {
  readonly calls: number;
  readonly ops: number;
  readonly seq: number;
  readonly prelude: NamespaceV | undefined;
  readonly costs: CostRunState;
}

export class TorchRuntime implements TorchHooks {
  readonly calls: CallRecord[] = [];
  /** Functional ops and tensor methods called by recorded code (not inside atomic layers). */
  readonly ops: OpRecord[] = [];
  private readonly callStack: CallRecord[] = [];
  private seq = 0;
  // The tables keyed by tensors start empty again for each run of a kept session (restoreRunState).
  /** Tensors computed from a value assumed after a shape error, with that error. */
  private assumptions = new WeakMap<TensorValue, Assumption>();
  private paramOwners = new WeakMap<TensorValue, ParamInfo>();
  private parameters = new WeakSet<TensorValue>();
  private frozen = new WeakSet<TensorValue>();
  /** Requires-grad, storages and saved tensors of the calls run so far (the training-step costs). */
  readonly costs = new CostTrace(
    (t) => {
      const info = this.paramOwners.get(t);
      return info !== undefined && !info.buffer && !this.frozen.has(t);
    },
    (t) => this.paramOwners.has(t),
  );
  private factoryInit = new WeakMap<TensorValue, InitSpec>();
  rf = new WeakMap<TensorValue, RfState>();
  private tensorValues = new WeakMap<TensorValue, number[]>();
  readonly tensorClass: ClassV;
  readonly parameterClass: ClassV;
  readonly moduleClass: ClassV;
  private readonly layerClasses = new Map<string, ClassV>();
  /** Each catalogue signature with only the arguments of the user's release (see releaseSignature). */
  private readonly releaseSignatures = new WeakMap<readonly ArgSpec[], readonly ArgSpec[]>();
  private readonly containerClasses = new Map<string, ClassV>();
  private preludeScope: NamespaceV | undefined;
  /** torch's modules (and einops', numpy's) by name; the ones few runs read are built on first lookup. */
  private readonly namespaces = new LazyModules();
  /** Records calls only while a model runs (not while module-level code builds examples). */
  recording = true;
  /**
   * Computes each op's and layer's training cost (memory, FLOPs) for the calls it records; off for a session
   * nothing reads them from (the checks' facts read calls, values and module trees), which spares ~3% of it.
   */
  tracesCosts = true;
  /** What catalogue entries may depend on: the user's PyTorch release. */
  readonly context: CallContext;
  private readonly numpy: NumpyRuntime;
  /** While set, top-level calls of the file's own models are noted as sample calls (see noteSampleCall). */
  sampleCalls: SampleCalls | undefined;

  constructor(
    private readonly interp: Interpreter,
    /** Standard-library namespaces (math, functools, ...) served by the same import hook. */
    private readonly stdModules: ModuleLookup = new Map<string, NamespaceV>(),
    readonly torchVersion: TorchVersion = DEFAULT_TORCH_VERSION,
  ) {
    this.context = { torchVersion };
    this.numpy = new NumpyRuntime(interp, (entry, positional, keywords, range) => this.invokeOp(entry, positional, keywords, range));
    const object = interp.objectClass;
    this.tensorClass = nativeClass('Tensor', 'Tensor', [], [object]);
    this.parameterClass = nativeClass('Parameter', 'Parameter', [], [this.tensorClass]);
    this.moduleClass = nativeClass('Module', 'Module', [], [object]);
    this.installModuleMethods();
    this.buildNamespaces();
    this.emptyTensorTables();
    this.seq = 0;
    this.preludeScope = undefined;
  }

  /** What a run adds to the runtime's logs and counters, as they are now (see Interpreter.runState). */
  runState(): TorchRunState {
    return { calls: this.calls.length, ops: this.ops.length, seq: this.seq, prelude: this.preludeScope, costs: this.costs.runState() };
  }

  /** Puts the logs and counters back as `runState` saw them. */
  restoreRunState(state: TorchRunState): void {
    this.calls.length = state.calls;
    this.ops.length = state.ops;
    this.callStack.length = 0;
    this.seq = state.seq;
    // The prelude takes object ids when first built: one built by the last run is built again, as a fresh session would.
    this.preludeScope = state.prelude;
    this.costs.restoreRunState(state.costs);
    // A kept session's module level left no tensor reachable (keptSession.ts): what these tables hold is about
    // the last run's tensors, which a fresh session never saw. Emptied, not left to grow run after run.
    this.emptyTensorTables();
    this.recording = false;
    this.sampleCalls = undefined;
  }

  /**
   * New tables keyed by tensors. Also run by the constructor: V8 compiles code against a field that has held one
   * value since its object was made, and the first kept run of a process (a warm summary) replaced these and
   * deoptimised the methods that read them (callModule, and callFunction through the calls it inlines).
   */
  private emptyTensorTables(): void {
    this.assumptions = new WeakMap();
    this.paramOwners = new WeakMap();
    this.parameters = new WeakSet();
    this.frozen = new WeakSet();
    this.factoryInit = new WeakMap();
    this.rf = new WeakMap();
    this.tensorValues = new WeakMap();
  }

  // ---------------------------------------------------------------------------------------------
  // Namespaces.

  importTorch(name: string): Value | undefined {
    const ns = this.namespaces.get(name) ?? this.stdModules.get(name);
    if (ns) return ns;
    const top = name.split('.')[0]!;
    if (top === 'torch' || top === 'torchvision' || top === 'timm') {
      // Submodules not modelled in detail resolve their attributes against the main namespaces.
      return this.namespaces.get(name.startsWith('torch.nn') ? 'torch.nn' : top) ?? staticNamespace(name, {}, (n) => unknown(`${name}.${n} is not modelled`));
    }
    return undefined;
  }

  private buildNamespaces(): void {
    const nn = this.nnNamespace();
    const functional = this.opNamespace('torch.nn.functional', ['torch.nn.functional.']);
    const jit = staticNamespace('torch.jit', {
      is_scripting: builtin('is_scripting', () => bool(false)),
      is_tracing: builtin('is_tracing', () => bool(false)),
      // As bare decorators they return the function; called first (`@torch.jit.ignore()`, `ignore(drop=True)`), a decorator.
      unused: builtin('unused', (a) => a.positional[0] ?? identityDecorator('unused')),
      ignore: builtin('ignore', (a) => a.positional[0] ?? identityDecorator('ignore')),
      export: builtin('export', (a) => a.positional[0] ?? identityDecorator('export')),
      script: builtin('script', (a) => a.positional[0] ?? NONE),
      annotate: builtin('annotate', (a) => a.positional[1] ?? NONE),
      isinstance: builtin('isinstance', (a, r) => this.jitIsinstance(a, r)),
      Final: this.interp.objectClass,
    });
    const checkpoint = builtin('checkpoint', (a, r) => {
      const [fn, ...rest] = a.positional;
      if (!fn) return unknown('checkpoint() without a function', r);
      const keywords = new Map([...a.keywords].filter(([k]) => k !== 'use_reentrant' && k !== 'preserve_rng_state'));
      return this.interp.call(fn, { positional: rest, keywords }, r);
    });
    const checkpointNs = staticNamespace('torch.utils.checkpoint', { checkpoint, checkpoint_sequential: builtin('checkpoint_sequential', (a, r) => this.interp.call(a.positional[0] ?? NONE, { positional: a.positional.slice(2), keywords: new Map() }, r)) });
    // A literal without spreads, the generated names added after: a spread in the middle of a literal this size
    // built it one slow property store at a time (a fifth of createSession's time, and every analysis makes several).
    const torchExtras: Record<string, Value> = {
      nn,
      jit,
      Tensor: this.tensorClass,
      Size: builtin('Size', (a, r) => {
        const items = a.positional[0] ? this.interp.iterate(a.positional[0], r) : [];
        return tupleV(items ?? []);
      }),
      device: builtin('device', (a) => a.positional[0] ?? str('cpu')),
      dtype: this.interp.objectClass,
      no_grad: builtin('no_grad', () => this.contextManager()),
      enable_grad: builtin('enable_grad', () => this.contextManager()),
      inference_mode: builtin('inference_mode', () => this.contextManager()),
      set_grad_enabled: builtin('set_grad_enabled', () => this.contextManager()),
      autocast: builtin('autocast', () => this.contextManager()),
      _assert: builtin('_assert', () => NONE),
      manual_seed: builtin('manual_seed', () => NONE),
      // The default dtype is float32 unless the code sets it (which the analysis does not follow).
      get_default_dtype: builtin('get_default_dtype', () => str('torch.float32')),
      get_default_device: builtin('get_default_device', () => str('cpu')),
      are_deterministic_algorithms_enabled: builtin('are_deterministic_algorithms_enabled', () => bool(false)),
      is_inference_mode_enabled: builtin('is_inference_mode_enabled', () => bool(false)),
      is_warn_always_enabled: builtin('is_warn_always_enabled', () => bool(false)),
      // The module constants of torch/__init__.py (e, pi, inf, nan, newaxis).
      e: float(Math.E),
      pi: float(Math.PI),
      inf: float(Infinity),
      nan: float(NaN),
      newaxis: NONE,
      is_tensor: builtin('is_tensor', (a) => bool(a.positional[0]?.kind === 'tensor')),
      is_grad_enabled: builtin('is_grad_enabled', () => bool(true)),
      cuda: staticNamespace('torch.cuda', { is_available: builtin('is_available', () => bool(false)), device_count: builtin('device_count', () => int(0)) }, (n) => this.stdModules.get(`torch.cuda.${n}`)),
      // Training-side libraries (optimizers, AMP, data, distributed) live in src/core/interp/library.ts.
      backends: staticNamespace('torch.backends', {}, () => unknown('torch.backends')),
      fx: staticNamespace('torch.fx', { wrap: builtin('wrap', (a) => a.positional[0] ?? NONE) }, (n) => unknown(`torch.fx.${n}`)),
      _C: staticNamespace('torch._C', { _log_api_usage_once: builtin('_log_api_usage_once', () => NONE) }, (n) => unknown(`torch._C.${n}`)),
      utils: staticNamespace('torch.utils', { checkpoint: checkpointNs }, (n) => this.stdModules.get(`torch.utils.${n}`) ?? unknown(`torch.utils.${n} is not modelled`)),
      __version__: str(formatTorchVersion(this.torchVersion)),
    };
    for (const d of TORCH_DTYPE_NAMES) torchExtras[d] = str(`torch.${d}`);
    for (const n of NO_EFFECT_SETTINGS) torchExtras[n] = builtin(n, () => NONE);
    // torch.compile(model) returns a callable that runs the model (PyTorch 2.0); as a decorator too.
    if (this.available(RUNTIME_AVAILABILITY['torch.compile']!)) {
      torchExtras['compile'] = builtin('compile', (a) => {
        const target = a.positional[0] ?? a.keywords.get('model');
        return target && target.kind !== 'none' ? target : builtin('compile', (inner) => inner.positional[0] ?? NONE);
      });
    }
    // Eager-mode quantization: the stubs and FloatFunctional (prelude classes) under their public paths.
    const preludeNamespace = (name: string): NamespaceV =>
      staticNamespace(name, {}, (n) => this.preludeClass(n) ?? unknown(`${name}.${n} is not modelled`));
    const quantization = preludeNamespace('torch.ao.quantization');
    const quantized = preludeNamespace('torch.nn.quantized');
    torchExtras['ao'] = staticNamespace('torch.ao', { quantization, nn: staticNamespace('torch.ao.nn', { quantized }) }, (n) => unknown(`torch.ao.${n} is not modelled`));
    torchExtras['quantization'] = quantization;
    // Attributes whose namespaces few runs read, built when first read (the training libraries build together).
    const deferred: Record<string, () => Value> = {
      optim: () => this.stdModules.get('torch.optim') ?? unknown('torch.optim'),
      amp: () => this.stdModules.get('torch.amp') ?? unknown('torch.amp'),
      distributed: () => this.stdModules.get('torch.distributed') ?? unknown('torch.distributed'),
      autograd: () => this.namespaces.get('torch.autograd')!,
    };
    const torchNs = this.opNamespace('torch', ['torch.'], torchExtras, true, deferred);
    this.namespaces.set('torch', torchNs);
    this.namespaces.set('torch.nn', nn);
    this.namespaces.set('torch.nn.modules', nn);
    this.namespaces.set('torch.nn.functional', functional);
    this.namespaces.defer('torch.nn.init', () => this.initNamespace());
    this.namespaces.defer('torch.autograd', () => this.autogradNamespace());
    this.namespaces.set('torch.jit', jit);
    this.namespaces.set('torch.utils.checkpoint', checkpointNs);
    this.namespaces.set('torch.fx', torchExtras.fx as NamespaceV);
    this.namespaces.set('torch.nn.parameter', staticNamespace('torch.nn.parameter', { Parameter: this.parameterClass }));
    for (const name of ['torch.ao.quantization', 'torch.quantization']) this.namespaces.set(name, quantization);
    for (const name of ['torch.nn.quantized', 'torch.ao.nn.quantized']) this.namespaces.set(name, quantized);
    const einops = once(() => this.einopsNamespaces());
    for (const name of ['einops', 'einops.layers', 'einops.layers.torch'] as const) this.namespaces.defer(name, () => einops()[name]);
    const numpy = once(() => this.numpy.namespaces());
    for (const name of ['numpy', 'numpy.random'] as const) this.namespaces.defer(name, () => numpy()[name]);
    const utils = once(() => this.nnUtilsNamespaces());
    for (const name of ['torch.nn.utils', 'torch.nn.utils.rnn'] as const) this.namespaces.defer(name, () => utils()[name]);
    const logOnce = builtin('_log_api_usage_once', () => NONE);
    const utilsNs = staticNamespace('torchvision.utils', { _log_api_usage_once: logOnce }, (n) => unknown(`torchvision.utils.${n} is not modelled`));
    this.namespaces.set('torchvision.utils', utilsNs);
    this.namespaces.set('torchvision', staticNamespace('torchvision', { utils: utilsNs }, (n) => this.stdModules.get(`torchvision.${n}`) ?? unknown(`torchvision.${n} is not modelled`)));
  }

  /** torch.autograd: a custom Function's `apply` runs its static forward with a context object; `backward`. */
  private autogradNamespace(): NamespaceV {
    const object = this.interp.objectClass;
    const noop = (name: string): BuiltinV => builtin(name, () => NONE);
    const contextClass = nativeClass('FunctionCtx', 'object', [
      ['save_for_backward', noop('save_for_backward')],
      ['mark_dirty', noop('mark_dirty')],
      ['mark_non_differentiable', noop('mark_non_differentiable')],
      ['set_materialize_grads', noop('set_materialize_grads')],
    ], [object]);
    const apply = builtin('Function.apply', (a, r) => {
      const [cls, ...args] = a.positional;
      const forward = cls?.kind === 'class' ? this.interp.findClassAttr(cls, 'forward') : undefined;
      if (!forward) return unknown('autograd.Function.apply without a forward', r);
      const fn = forward.kind === 'descriptor' ? forward.fn : forward;
      return this.interp.call(fn, { positional: [this.interp.newObject(contextClass), ...args], keywords: a.keywords }, r);
    });
    const functionClass = nativeClass('Function', 'object', [['apply', { kind: 'descriptor', type: 'classmethod', fn: apply }]], [object]);
    // torch.autograd.backward(tensors) is what `tensor.backward()` calls: no value, a backward for the checks.
    const backward = builtin('torch.autograd.backward', () => NONE);
    return staticNamespace('torch.autograd', { Function: functionClass, backward }, (n) => unknown(`torch.autograd.${n} is not modelled`));
  }

  /** torch.nn.utils: spectral_norm keeps the parameter count; weight_norm splits weight into weight_g and weight_v. */
  private nnUtilsNamespaces(): Record<'torch.nn.utils' | 'torch.nn.utils.rnn', NamespaceV> {
    const nameArg = (a: CallArgs): string => {
      const v = a.positional[1] ?? a.keywords.get('name');
      return v?.kind === 'str' ? v.value : 'weight';
    };
    const weightNorm = builtin('weight_norm', (a) => {
      const m = a.positional[0] ?? a.keywords.get('module') ?? NONE;
      const name = nameArg(a);
      const weight = m.kind === 'object' ? m.module?.params.get(name) : undefined;
      if (m.kind !== 'object' || !m.module || !weight?.shape) return m;
      const dimArg = a.positional[2] ?? a.keywords.get('dim');
      const dim = dimArg ? asDim(dimArg) : 0;
      if (typeof dim !== 'number') return m;
      // g keeps the size of `dim` and 1 elsewhere; v has the weight's shape. Both are appended, as PyTorch
      // deletes `weight` and registers name_g then name_v.
      const gShape = weight.shape.map((d, i) => (i === (dim < 0 ? weight.shape!.length + dim : dim) ? d : 1));
      m.module.params.delete(name);
      for (const [suffix, shape] of [['_g', gShape], ['_v', weight.shape]] as const) {
        const t = tensor(shape, 'float32');
        this.parameters.add(t);
        this.setModuleAttr(m, `${name}${suffix}`, t);
      }
      return m;
    });
    const identity = (fname: string): BuiltinV => builtin(fname, (a) => a.positional[0] ?? a.keywords.get('module') ?? NONE);
    const rnnOps = this.opNamespace('torch.nn.utils.rnn', ['torch.nn.utils.rnn.']);
    const rnn = staticNamespace('torch.nn.utils.rnn', {}, (n) => rnnOps.get(n) ?? unknown(`torch.nn.utils.rnn.${n} is not modelled`));
    const utils = staticNamespace('torch.nn.utils', {
      spectral_norm: identity('spectral_norm'),
      weight_norm: weightNorm,
      remove_weight_norm: identity('remove_weight_norm'),
      clip_grad_norm_: builtin('clip_grad_norm_', () => NONE),
      clip_grad_value_: builtin('clip_grad_value_', () => NONE),
      rnn,
    }, (n) => unknown(`torch.nn.utils.${n} is not modelled`));
    return { 'torch.nn.utils': utils, 'torch.nn.utils.rnn': rnn };
  }

  /** einops' functions and its torch layers (Rearrange, Reduce, Repeat are leaf modules without parameters). */
  private einopsNamespaces(): Record<'einops' | 'einops.layers' | 'einops.layers.torch', NamespaceV> {
    const apply = (mode: 'rearrange' | 'reduce' | 'repeat', input: Value | undefined, pattern: Value | undefined, keywords: ReadonlyMap<string, Value>, range: Range): Value => {
      // A list of equal tensors is stacked along a new first axis, as einops does.
      const x = input?.kind === 'list' || input?.kind === 'tuple' ? stackedTensor(input.items) : input;
      if (x?.kind !== 'tensor' || !x.shape) return x?.kind === 'unknown' ? x : unknown(`einops.${mode} of ${x ? describe(x) : 'nothing'}`, range);
      if (pattern?.kind !== 'str') return this.interp.noteUnknown(`einops.${mode} pattern is not a known string`, range);
      const sizes: Record<string, Dim> = {};
      const unknownSizes = new Set<string>();
      for (const [k, v] of keywords) {
        const d = asDim(v);
        if (d !== undefined) sizes[k] = d;
        else unknownSizes.add(k);
      }
      const shape = einopsShape(pattern.value, x.shape, sizes, mode, unknownSizes);
      if ('unknown' in shape) return this.interp.noteUnknown(`einops.${mode}: ${shape.unknown}`, range);
      if ('error' in shape) {
        this.interp.noteError(`einops.${mode}: ${shape.error}`, range);
        return unknown(shape.error, range);
      }
      return tensor(shape, x.dtype);
    };
    const fn = (mode: 'rearrange' | 'reduce' | 'repeat'): BuiltinV =>
      builtin(`einops.${mode}`, (a, r) => {
        const keywords = new Map([...a.keywords].filter(([k]) => k !== 'reduction'));
        return apply(mode, a.positional[0], a.positional[1] ?? a.keywords.get('pattern'), keywords, r);
      });
    const layer = (name: string, mode: 'rearrange' | 'reduce' | 'repeat'): ClassV => {
      const cls = classV({
        name,
        bases: [this.moduleClass],
        attrs: new Map<string, Value>([
          ['__init__', builtin(`${name}.__init__`, (a) => {
            const self = a.positional[0];
            if (self?.kind === 'object') {
              self.attrs.set('pattern', a.positional[1] ?? a.keywords.get('pattern') ?? NONE);
              self.attrs.set('__axes__', this.interp.newDict([...a.keywords].filter(([k]) => k !== 'pattern' && k !== 'reduction').map(([k, v]) => [keyOf(str(k)), { key: str(k), value: v }])));
            }
            return NONE;
          })],
          ['forward', builtin(`${name}.forward`, (a, r) => {
            const self = a.positional[0];
            if (self?.kind !== 'object') return unknown(`${name}.forward`, r);
            const axes = self.attrs.get('__axes__');
            const keywords = new Map<string, Value>();
            if (axes?.kind === 'dict') for (const e of axes.entries.values()) if (e.key.kind === 'str') keywords.set(e.key.value, e.value);
            return apply(mode, a.positional[1], self.attrs.get('pattern'), keywords, r);
          })],
        ]),
        native: 'einops',
      });
      cls.mro = [cls, ...this.moduleClass.mro];
      return cls;
    };
    const functions = { rearrange: fn('rearrange'), reduce: fn('reduce'), repeat: fn('repeat'), ...this.einopsPacking() };
    const layers = { Rearrange: layer('Rearrange', 'rearrange'), Reduce: layer('Reduce', 'reduce'), Repeat: layer('Repeat', 'repeat') };
    const layersNs = staticNamespace('einops.layers.torch', layers);
    return {
      einops: staticNamespace('einops', { ...functions, layers: staticNamespace('einops.layers', { torch: layersNs }) }, (n) => unknown(`einops.${n} is not modelled`)),
      'einops.layers': staticNamespace('einops.layers', { torch: layersNs }),
      'einops.layers.torch': layersNs,
    };
  }

  /** einops.pack / unpack: the `*` axis joins (or splits back) the dims each tensor has there. */
  private einopsPacking(): Record<string, BuiltinV> {
    const star = (pattern: Value | undefined, range: Range): { before: number; after: number } | Value => {
      if (pattern?.kind !== 'str') return unknown('einops pattern is not a known string', range);
      const axes = pattern.value.trim().split(/\s+/);
      const at = axes.indexOf('*');
      if (at < 0 || axes.indexOf('*', at + 1) >= 0) {
        this.interp.noteError(`einops: pattern '${pattern.value}' needs exactly one '*'`, range);
        return unknown('einops pattern without one *', range);
      }
      return { before: at, after: axes.length - at - 1 };
    };
    const pack = builtin('einops.pack', (a, r) => {
      const items = this.interp.iterate(a.positional[0] ?? NONE, r);
      const where = star(a.positional[1] ?? a.keywords.get('pattern'), r);
      if (!('before' in where)) return where;
      if (!items) return unknown('einops.pack of an unknown list', r);
      const tensors = items.filter((t): t is TensorValue & { shape: readonly Dim[] } => t.kind === 'tensor' && t.shape !== null && t.shape.length >= where.before + where.after);
      if (tensors.length !== items.length || tensors.length === 0) return unknown('einops.pack of tensors of unknown shapes', r);
      const middles = tensors.map((t) => t.shape.slice(where.before, t.shape.length - where.after));
      const first = tensors[0]!.shape;
      const packed = [...first.slice(0, where.before), middles.map((m) => dims.product(m)).reduce((x, y) => dims.add(x, y), 0 as Dim), ...first.slice(first.length - where.after)];
      return tupleV([tensor(packed, tensors[0]!.dtype), listV(middles.map((m) => tupleV(m.map((d) => int(d)))))]);
    });
    const unpack = builtin('einops.unpack', (a, r) => {
      const t = a.positional[0];
      const shapes = this.interp.iterate(a.positional[1] ?? NONE, r);
      const where = star(a.positional[2] ?? a.keywords.get('pattern'), r);
      if (t?.kind !== 'tensor' || !t.shape || !shapes || !('before' in where)) return unknown('einops.unpack of unknown values', r);
      const outer = t.shape;
      const out: Value[] = [];
      for (const s of shapes) {
        const middle = (this.interp.iterate(s, r) ?? []).map((d) => asDim(d));
        if (middle.some((d) => d === undefined)) return unknown('einops.unpack with unknown shapes', r);
        out.push(tensor([...outer.slice(0, where.before), ...(middle as Dim[]), ...outer.slice(outer.length - where.after)], t.dtype));
      }
      return listV(out);
    });
    return { pack, unpack };
  }

  private contextManager(): Value {
    const cls = nativeClass('context', 'object', [['__enter__', builtin('__enter__', () => NONE)], ['__exit__', builtin('__exit__', () => bool(false))], ['__call__', builtin('__call__', (a) => a.positional[1] ?? NONE)]], [this.interp.objectClass]);
    return this.interp.newObject(cls);
  }

  /** A namespace whose attributes are catalogue ops under the given prefixes (`torch.cat`, `F.relu`). */
  private opNamespace(name: string, prefixes: string[], extras: Record<string, Value> = {}, methodFallback = false, deferred: Record<string, () => Value> = {}): NamespaceV {
    const cache = new Map<string, Value>();
    // Extras built on their first read (see buildNamespaces), each once.
    const later = new Map(Object.entries(deferred).map(([n, build]) => [n, once(build)]));
    // Every name the catalogue has under the prefixes at this torch version (dir(torch.nn.functional)).
    const catalogueNames = (): string[] => {
      const short = opNames().flatMap((q) => prefixes.filter((p) => q.startsWith(p) && !q.slice(p.length).includes('.')).map((p) => q.slice(p.length)));
      return [...new Set([...Object.keys(extras), ...later.keys(), ...short.filter((n) => prefixes.some((p) => this.op(p + n) !== undefined))])].sort();
    };
    return namespaceV({
      name,
      names: catalogueNames,
      complete: !methodFallback,
      get: (n) => {
        if (extras[n] !== undefined) return extras[n];
        const built = later.get(n);
        if (built) return built();
        const hit = cache.get(n);
        if (hit) return hit;
        let entry: OpEntry | undefined;
        for (const p of prefixes) entry = entry ?? this.op(p + n);
        if (!entry && methodFallback) entry = this.op(`Tensor.${n}`);
        const v: Value | undefined = entry ? this.opBuiltin(entry, n) : undefined;
        if (v) cache.set(n, v);
        return v;
      },
    });
  }

  private opBuiltin(entry: OpEntry, shortName: string): BuiltinV {
    return builtin(entry.name, (args, range) => {
      const out = this.invokeOp(entry, args.positional, args.keywords, range);
      const init = FACTORY_INITS[shortName];
      if (init && out.kind === 'tensor') this.factoryInit.set(out, init);
      return out;
    });
  }

  private nnNamespace(): NamespaceV {
    const cache = new Map<string, Value>();
    const extras: Record<string, Value> = {
      Module: this.moduleClass,
      Parameter: this.parameterClass,
    };
    return namespaceV({
      name: 'torch.nn',
      names: () => ['Module', 'Parameter', 'Sequential', 'ModuleList', 'ModuleDict'],
      get: (n) => {
        if (n === 'functional') return this.namespaces.get('torch.nn.functional');
        if (n === 'init') return this.namespaces.get('torch.nn.init');
        if (n === 'utils') return this.namespaces.get('torch.nn.utils');
        if (n === 'modules' || n === 'parameter' || n === 'parallel') return this.namespaces.get('torch.nn');
        if (n === 'quantized') return this.namespaces.get('torch.nn.quantized');
        if (extras[n]) return extras[n];
        const container = CONTAINERS.has(n) ? this.containerClass(n) : undefined;
        if (container) return container;
        const hit = cache.get(n);
        if (hit) return hit;
        const prelude = this.preludeClass(n);
        if (prelude) {
          cache.set(n, prelude);
          return prelude;
        }
        const entry = lookupLayer(n);
        if (!entry || !this.available(entry)) return undefined;
        const cls = this.layerClass(entry);
        cache.set(n, cls);
        return cls;
      },
    });
  }

  private preludeClass(name: string): Value | undefined {
    if (!PRELUDE_SOURCES.some((p) => p.classes.includes(name))) return undefined;
    if (!this.preludeScope) {
      const scope = this.interp.newModuleScope('<torch prelude>');
      this.preludeScope = this.interp.namespaceOf('<torch prelude>', scope);
      const wasRecording = this.recording;
      for (const p of PRELUDE_SOURCES) this.interp.execModule(this.interp.parse(p.source), scope);
      this.recording = wasRecording;
    }
    return this.preludeScope.get(name);
  }

  // ---------------------------------------------------------------------------------------------
  // Ops.

  /**
   * Whether `module.name` is an entry the catalogue knows but the user's release lacks (F.scaled_dot_product_attention
   * before 2.0): importing it raises ImportError there, while a name the catalogue does not know stays unknown.
   */
  absentFromRelease(module: string, name: string): boolean {
    const entry = catalogueAvailability(module, name);
    return entry !== undefined && !this.available(entry);
  }

  /** Whether `module.name` is a catalogue entry only some releases have: probing for it tests the release. */
  releaseDependent(module: string, name: string): boolean {
    const entry = catalogueAvailability(module, name);
    return entry !== undefined && (entry.since !== undefined || entry.until !== undefined);
  }

  /** Whether an entry or argument exists in the user's PyTorch release. */
  private available(what: Availability): boolean {
    return isAvailable(what, this.torchVersion);
  }

  /** The catalogue op of that name, when the user's release has it. */
  private op(qualifiedName: string): OpEntry | undefined {
    const entry = lookupOp(qualifiedName);
    return entry && this.available(entry) ? entry : undefined;
  }

  /** A catalogue signature's arguments that the user's release has (kept per signature: every call binds one). */
  private releaseSignature(full: readonly ArgSpec[]): readonly ArgSpec[] {
    let signature = this.releaseSignatures.get(full);
    if (!signature) {
      signature = full.every((spec) => this.available(spec)) ? full : full.filter((spec) => this.available(spec));
      this.releaseSignatures.set(full, signature);
    }
    return signature;
  }

  /** Binds call arguments to an ArgSpec signature, as Python would, with the arguments of the user's release. */
  bindArgs(fullSignature: readonly ArgSpec[], positional: readonly Value[], keywords: ReadonlyMap<string, Value>): Record<string, DataValue> | string {
    const out: Record<string, DataValue> = {};
    const signature = this.releaseSignature(fullSignature);
    let i = 0;
    for (const spec of signature) {
      if (spec.variadic) {
        out[spec.name] = { kind: 'tuple', items: positional.slice(i).map((v) => toData(v)) };
        i = positional.length;
        continue;
      }
      if (!spec.keywordOnly && i < positional.length) {
        if (keywords.has(spec.name) && !spec.positionalOnly) return `got multiple values for argument '${spec.name}'`;
        out[spec.name] = toData(positional[i++]!);
      } else if (keywords.has(spec.name) && !spec.positionalOnly) out[spec.name] = toData(keywords.get(spec.name)!);
      else if (spec.default !== undefined) out[spec.name] = spec.default;
      else return `missing required argument '${spec.name}'`;
    }
    if (i < positional.length) return `takes ${i} positional arguments but ${positional.length} were given`;
    for (const k of keywords.keys()) if (!signature.some((s) => s.name === k && !s.positionalOnly)) return `got an unexpected keyword argument '${k}'`;
    return out;
  }

  invokeOp(entry: OpEntry, positional: readonly Value[], keywords: ReadonlyMap<string, Value>, range: Range): Value {
    const errorsBefore = this.interp.diagnostics.errors.length;
    const { out, macs, train } = this.applyOp(entry, positional, keywords, range);
    this.inheritAssumption([...positional, ...keywords.values()], out);
    const atomic = this.callStack.find((c) => c.atomic);
    // Ops a catalogue layer's subclass runs in its own forward are that layer call's cost.
    if (atomic && atomic === this.callStack[this.callStack.length - 1]) atomic.train = addCallCosts(atomic.train, train);
    if (this.recording && !atomic && this.ops.length < 50_000) {
      const error = this.interp.diagnostics.errors.length > errorsBefore ? this.interp.diagnostics.errors[this.interp.diagnostics.errors.length - 1]!.message : undefined;
      const caller = this.callStack[this.callStack.length - 1];
      // The optional fields are set after the literal, in the same order, rather than spread (a hot path).
      const record: Mutable<OpRecord> = {
        name: entry.name,
        range,
        file: this.interp.currentFile,
        inputs: positional,
        keywords,
        output: out,
        seq: this.seq++,
        macs: error ? null : macs,
        train: error ? null : train,
      };
      if (caller) record.module = caller.module;
      if (this.interp.speculating) record.onlyIf = this.interp.assumption;
      if (error) record.error = error;
      this.ops.push(record);
    }
    return out;
  }

  /** The assumption a value was computed under (the first found in a tuple), if any. */
  assumptionOf(v: Value | undefined): Assumption | undefined {
    if (!v) return undefined;
    if (v.kind === 'tensor') return this.assumptions.get(v);
    if (v.kind === 'tuple' || v.kind === 'list') {
      for (const item of v.items) {
        const found = this.assumptionOf(item);
        if (found) return found;
      }
    }
    return undefined;
  }

  /** Marks every tensor of `out` with the first assumption found among `inputs`. */
  private inheritAssumption(inputs: readonly Value[], out: Value): void {
    let found: Assumption | undefined;
    for (const v of inputs) if ((found = this.assumptionOf(v))) break;
    if (found) this.markAssumed(out, found);
  }

  private markAssumed(out: Value, assumption: Assumption): void {
    if (out.kind === 'tensor') {
      if (!this.assumptions.has(out)) this.assumptions.set(out, assumption);
    } else if (out.kind === 'tuple' || out.kind === 'list') out.items.forEach((item) => this.markAssumed(item, assumption));
  }

  /** Runs an op's catalogue entry: its output and the multiply-adds it counts (null when the call is not understood). */
  private applyOp(entry: OpEntry, positional: readonly Value[], keywords: ReadonlyMap<string, Value>, range: Range): { out: Value; macs: Dim | null; train: CallCost | null } {
    const values = this.computeValues(entry.name, positional, keywords);
    const bound = this.bindArgs(entry.signature, positional, keywords);
    // Small tensors of known values (config arithmetic) are computed here, not by the model's kernels: no MACs.
    if (typeof bound === 'string') return values ? { out: this.valueTensor(values, positional), macs: 0, train: NO_TRAIN_COST } : { out: this.interp.noteUnknown(`${entry.name}: ${bound}`, range), macs: null, train: null };
    let result: ForwardResult | LayerError;
    const { args: valued, originals } = this.withKnownValues(bound);
    try {
      result = entry.apply(valued, this.context);
    } catch (e) {
      return { out: this.interp.noteUnknown(`${entry.name}: internal error ${e instanceof Error ? e.message : String(e)}`, range), macs: null, train: null };
    }
    // A scalar base (torch.pow(2.0, t)) is valid PyTorch the catalogue may reject; known values decide.
    if (isLayerError(result)) return values ? { out: this.valueTensor(values, positional), macs: 0, train: NO_TRAIN_COST } : { out: this.layerError(entry.name, result, range), macs: null, train: null };
    // An input given back unchanged is the caller's tensor, not the copy that carried its values.
    const out = (result.output.kind === 'tensor' ? (originals.get(result.output) ?? result.output) : result.output) as Value;
    this.adoptValues(out);
    this.attributeOpMacs(result.macs);
    if (values && out.kind === 'tensor') this.keepValues(out, values);
    const input = bound.input ?? bound.self;
    if (CONSECUTIVE_PIECE_OPS.has(entry.name) && input?.kind === 'tensor') this.keepPieceValues(input as TensorValue, out);
    if (entry.receptiveField && input?.kind === 'tensor') this.stepRf(input as TensorValue, out, (sizes) => entry.receptiveField!(bound, sizes));
    else this.propagateRf(positional, keywords, out);
    // A functional op's own `training` argument says what it does; others follow the module that calls them.
    const training = bound.training?.kind === 'bool' ? bound.training.value : (this.callStack[this.callStack.length - 1]?.module.module?.training ?? true);
    const train = !this.tracesCosts
      ? null
      : this.traceCost(
          entry.cost ? () => entry.cost!(bound, this.costQuery(bound, out, result.macs, training)) : undefined,
          (name) => bound[name],
          Object.values(bound),
          [],
          out,
        );
    return { out, macs: result.macs, train };
  }

  /**
   * A subclass of a catalogue layer with its own forward (whisper's `Linear(nn.Linear)` calling F.linear)
   * is still that layer's call: the MACs of the ops it runs count for it, as PyTorch's convention counts
   * the module "and its subclasses". Other user-defined leaf modules count 0 by the convention.
   */
  private attributeOpMacs(macs: Dim | null): void {
    const top = this.callStack[this.callStack.length - 1];
    if (!top?.atomic || macs === null || macs === 0 || !top.module.cls.mro.some((c) => c.layer)) return;
    top.macs = top.macs === null ? macs : dims.add(top.macs, macs);
  }

  /** Bound arguments whose torch tensors of known contents carry them (`values`), for the catalogue to read. */
  private withKnownValues(bound: Record<string, DataValue>): { args: Record<string, DataValue>; originals: Map<DataValue, TensorValue> } {
    const originals = new Map<DataValue, TensorValue>();
    const args: Record<string, DataValue> = {};
    for (const [name, v] of Object.entries(bound)) {
      const known = v.kind === 'tensor' && v.library === undefined ? this.tensorValues.get(v) : undefined;
      if (known && v.kind === 'tensor') {
        const copy: TensorValue = { ...v, values: known };
        originals.set(copy, v);
        args[name] = copy;
      } else args[name] = v;
    }
    return { args, originals };
  }

  /** Contents the catalogue computed (a PackedSequence's batch_sizes, pad_packed_sequence's lengths) become known values. */
  private adoptValues(v: Value): void {
    if (v.kind === 'tensor' && v.library === undefined && v.values) this.keepValues(v, v.values);
    else if (v.kind === 'tuple' || v.kind === 'list') v.items.forEach((item) => this.adoptValues(item));
  }

  /** Gives a tensor known contents (row-major), when they fit its shape. */
  /** The pieces of a 1-D tensor of known values (split, chunk, unbind) carry their runs of those values. */
  private keepPieceValues(input: TensorValue, out: Value): void {
    const known = this.tensorValues.get(input);
    if (!known || input.shape?.length !== 1 || (out.kind !== 'tuple' && out.kind !== 'list')) return;
    const pieces: TensorValue[] = [];
    for (const v of out.items) if (v.kind === 'tensor') pieces.push(v);
    if (pieces.length !== out.items.length) return;
    const sizeOf = (shape: readonly Dim[] | null): number | undefined => (shape?.length === 0 ? 1 : shape?.length === 1 && typeof shape[0] === 'number' ? shape[0] : undefined);
    const sizes = pieces.map((p) => sizeOf(p.shape));
    pieceValues(known, sizes)?.forEach((values, i) => this.keepValues(pieces[i]!, values));
  }

  private keepValues(t: TensorValue, values: number[]): void {
    const count = t.shape?.reduce<number | undefined>((n, d) => (n !== undefined && typeof d === 'number' ? n * d : undefined), 1);
    if (count === values.length) this.tensorValues.set(t, values);
  }

  namedTupleField(t: TupleV, name: string): Value | undefined {
    const at = t.namedtuple === 'PackedSequence' ? PACKED_SEQUENCE_FIELDS.indexOf(name as (typeof PACKED_SEQUENCE_FIELDS)[number]) : -1;
    return at >= 0 ? t.items[at] : undefined;
  }

  /** An input whose contents the user gave (`--input 2:long=20`, `lengths=[20,18]:long`). */
  setKnownValues(t: TensorValue, values: number[]): void {
    this.keepValues(t, values);
  }

  /** Whether a tensor's contents are known (an input given with values, config arithmetic). */
  hasKnownValues(t: TensorValue): boolean {
    return (t.library === 'numpy' ? t.values : this.tensorValues.get(t)) !== undefined;
  }

  /** The value of a one-element tensor whose contents are known (`int(lengths.max())`), else undefined. */
  knownScalar(t: TensorValue): number | undefined {
    const known = t.library === 'numpy' ? t.values : this.tensorValues.get(t);
    return known?.length === 1 ? known[0] : undefined;
  }


  /** What a cost rule sees of a call besides its arguments. */
  private costQuery(bound: BoundArgs, output: Value, macs: Dim | null, training: boolean): CostQuery {
    return { output: output as DataValue, macs: macs ?? 0, training, same: (a, b) => bound[a] !== undefined && bound[a] === bound[b] };
  }

  /** Applies a call's cost rule to its tensors (the requires-grad flow runs even without a rule). */
  private traceCost(rule: (() => OpCost | undefined) | undefined, named: (name: string) => DataValue | Value | undefined, args: readonly (DataValue | Value)[], parameters: readonly TensorValue[], output: Value): CallCost | null {
    let cost: OpCost | undefined;
    try {
      cost = rule?.();
    } catch {
      cost = undefined;
    }
    const tensorArgs = args.flatMap((v) => tensorItems(v as Value));
    const call: CallTensors = {
      // 'input', 'output', a layer's 'weight'; 'output.0' and 'operands.1' name items of a tuple.
      tensor: (name) => {
        // A layer's submodule parameter by its path ('out_proj.weight'), else a tuple item's path.
        const whole = name.includes('.') && !name.startsWith('output') ? (named(name) as Value | undefined) : undefined;
        if (whole?.kind === 'tensor') return whole;
        const [head, ...path] = name.split('.');
        let v = (head === 'output' ? output : named(head!)) as Value | undefined;
        for (const step of path) v = v && (v.kind === 'tuple' || v.kind === 'list') ? v.items[Number(step)] : undefined;
        return v?.kind === 'tensor' ? v : undefined;
      },
      inputs: [...tensorArgs, ...parameters],
      parameters,
      output,
    };
    return this.costs.apply(cost, call) ?? null;
  }


  /** Values of small tensors computed by config code (arange, log, round, ...) or from known inputs, as the catalogue's contents rules compute them. */
  private computeValues(name: string, positional: readonly Value[], keywords: ReadonlyMap<string, Value>): number[] | undefined {
    const rounding = keywords.get('rounding_mode');
    const rule = contentsRule(name, rounding?.kind === 'str' ? rounding.value : undefined);
    if (!rule) return undefined;
    const data = new Map([...keywords].map(([k, v]) => [k, toData(v)] as const));
    return rule({ positional: positional.map((v) => toData(v)), keywords: data, contents: (t) => (t.kind === 'tensor' ? this.tensorValues.get(t) : undefined) });
  }

  private valueTensor(values: number[], positional: readonly Value[]): TensorValue {
    const dtype = positional.find((v): v is TensorValue => v.kind === 'tensor')?.dtype ?? 'float32';
    const t = tensor([values.length], dtype);
    this.tensorValues.set(t, values);
    return t;
  }

  private layerError(name: string, err: LayerError, range: Range): Value {
    if (err.unknown) return this.interp.noteUnknown(err.message.startsWith(name) ? err.message : `${name}: ${err.message}`, range);
    const message = err.message.startsWith(name) ? err.message : `${name}: ${err.message}`;
    this.interp.noteError(message, range);
    const top = this.callStack[this.callStack.length - 1];
    if (top && !top.error && !this.interp.speculating) top.error = message;
    // Analysis goes on with what the layer would give had it accepted, so later independent errors show too.
    if (err.assumed) {
      const assumed = err.assumed as Value;
      this.markAssumed(assumed, { file: this.interp.currentFile, range, message });
      return assumed;
    }
    return unknown(message, range);
  }

  /** Elementwise and shape-preserving ops carry the receptive field of their inputs (max where they differ). */
  private propagateRf(positional: readonly Value[], keywords: ReadonlyMap<string, Value>, out: Value): void {
    if (out.kind !== 'tensor' || !out.shape) return;
    const sources: RfState[] = [];
    const visit = (v: Value): void => {
      if (v.kind === 'tensor') {
        const s = this.rf.get(v);
        if (s && v.shape && v.shape.length === out.shape!.length) sources.push(s);
      } else if (v.kind === 'tuple' || v.kind === 'list') v.items.forEach(visit);
    };
    positional.forEach(visit);
    keywords.forEach(visit);
    const merged = mergeRf(sources);
    if (merged) this.rf.set(out, merged);
  }

  binaryTensor(op: string, a: Value, b: Value, range: Range): Value {
    const onArrays = this.numpy.binary(op, a, b, range);
    if (onArrays) return onArrays;
    const cmp = COMPARE_DUNDERS[op];
    if (cmp) {
      const [forward, reflected] = cmp;
      return a.kind === 'tensor' ? this.callDunder(`__${forward}__`, a, b, range) : this.callDunder(`__${reflected}__`, b, a, range);
    }
    const name = BINARY_DUNDERS[op];
    if (!name) return this.interp.noteUnknown(`tensor operator ${op} is not modelled`, range);
    if (a.kind === 'tensor') return this.callDunder(`__${name}__`, a, b, range);
    return this.callDunder(`__r${name}__`, b, a, range);
  }

  private callDunder(dunder: string, self: Value, other: Value, range: Range): Value {
    if (other.kind === 'unknown') return other;
    const entry = this.op(`Tensor.${dunder}`);
    if (!entry) return this.interp.noteUnknown(`Tensor.${dunder} is not in the catalogue`, range);
    return this.invokeOp(entry, [self, other], new Map(), range);
  }

  unaryTensor(op: string, a: TensorValue, range: Range): Value {
    if (a.library === 'numpy') return this.numpy.unary(op, a, range);
    const entry = this.op(`Tensor.${UNARY_DUNDERS[op] ?? ''}`);
    if (!entry) return op === '+' || op === '-' ? a : this.interp.noteUnknown(`unary ${op} on a tensor`, range);
    return this.invokeOp(entry, [a], new Map(), range);
  }

  // ---------------------------------------------------------------------------------------------
  // Tensors.

  isParameter(t: TensorValue): boolean {
    return this.parameters.has(t);
  }

  getTensorAttr(t: TensorValue, name: string, range: Range): Value {
    if (t.library === 'numpy') return this.numpy.getAttr(t, name, range);
    const shape = t.shape;
    switch (name) {
      case 'shape':
        return shape ? tupleV(shape.map((d) => int(d))) : unknown('tensor of unknown rank', range);
      case 'ndim':
        return shape ? int(shape.length) : unknown('tensor of unknown rank', range);
      case 'dtype':
        return str(`torch.${t.dtype}`);
      case 'device':
        return str('cpu');
      case 'is_cuda':
        return bool(false);
      case 'requires_grad':
        return bool(!this.frozen.has(t));
      case 'data':
        return t;
      case 'grad':
        return NONE;
      case 'size':
        return builtin('Tensor.size', (a, r) => {
          if (!shape) return unknown('tensor of unknown rank', r);
          const d = a.positional[0] ?? a.keywords.get('dim');
          if (!d || d.kind === 'none') return tupleV(shape.map((x) => int(x)));
          const i = asDim(d);
          if (typeof i !== 'number') return unknown('size() of an unknown dim', r);
          const at = i < 0 ? shape.length + i : i;
          if (at < 0 || at >= shape.length) return this.rangeError(`Dimension out of range (expected to be in range of [${-shape.length}, ${shape.length - 1}], but got ${i})`, r);
          return int(shape[at]!);
        });
      case 'dim':
      case 'ndimension':
        return builtin('Tensor.dim', (_a, r) => (shape ? int(shape.length) : unknown('tensor of unknown rank', r)));
    }
    if (name.startsWith('__set__')) {
      return NONE;
    }
    const known = this.tensorValues.get(t);
    if (known && (name === 'tolist' || name === 'item')) {
      const isInt = t.dtype.startsWith('int') || t.dtype === 'uint8';
      const scalar = (x: number): Value => (isInt ? int(Math.trunc(x)) : float(x));
      return builtin(`Tensor.${name}`, (_a, r) => (name === 'item' ? (known.length === 1 ? scalar(known[0]!) : unknown('item() of a tensor with several elements', r)) : listV(known.map(scalar))));
    }
    if (name in TENSOR_INIT_METHODS) return builtin(`Tensor.${name}`, (a) => this.tensorInitMethod(t, name, a, range));
    const entry = this.op(`Tensor.${name}`);
    if (entry?.property) return this.invokeOp(entry, [t], new Map(), range);
    if (entry) return builtin(entry.name, (a, r) => this.invokeOp(entry, [t, ...a.positional], a.keywords, r));
    if (IDENTITY_METHODS.has(name)) return builtin(`Tensor.${name}`, () => t);
    return this.interp.noteUnknown(`Tensor.${name} is not in the catalogue`, range);
  }

  setTensorAttr(t: TensorValue, name: string, value: Value): void {
    if (name === 'requires_grad' && value.kind === 'bool') {
      if (value.value) this.frozen.delete(t);
      else this.frozen.add(t);
      const info = this.paramOwners.get(t);
      if (info) {
        this.interp.journal.touch('fields', info);
        info.trainable = value.value;
      }
    }
  }

  private rangeError(message: string, range: Range): Value {
    this.interp.noteError(message, range);
    return unknown(message, range);
  }

  /** `w.data.normal_(0, 0.02)`, `b.data.zero_()`: in-place fills that set a parameter's init (the catalogue's TENSOR_INIT_METHODS). */
  private tensorInitMethod(t: TensorValue, name: string, a: CallArgs, range: Range): Value {
    const init = TENSOR_INIT_METHODS[name]?.(argumentOf(a));
    if (init) this.setInit(t, init, `Tensor.${name}`, range);
    return t;
  }

  private setInit(t: Value | undefined, init: InitSpec, fn: string, range: Range): void {
    if (t?.kind !== 'tensor') return;
    const info = this.paramOwners.get(t);
    if (!info) return;
    this.interp.journal.touch('fields', info);
    info.init = init;
    info.initOverride = { fn, range };
  }

  /** `x[idx] = v`: shapes never change; an ndarray's known contents are updated or forgotten. */
  setTensorItem(t: TensorValue, index: Value, value: Value): void {
    if (t.library === 'numpy') this.numpy.setItem(t, index, value);
  }

  indexTensor(t: TensorValue, index: Value, range: Range): Value {
    if (t.library === 'numpy') {
      const withValues = this.numpy.index(t, index, range);
      if (withValues) return withValues;
    }
    if (!t.shape) return tensor(null, t.dtype);
    const items = index.kind === 'tuple' ? [...index.items] : [index];
    const ellipsisAt = items.findIndex(isEllipsis);
    const consuming = items.filter((v) => v.kind !== 'none' && !isEllipsis(v)).length;
    if (consuming > t.shape.length) return this.rangeError(`too many indices for tensor of dimension ${t.shape.length}`, range);
    const expanded: (Value | 'all')[] = [];
    for (let i = 0; i < items.length; i++) {
      if (i === ellipsisAt) for (let k = 0; k < t.shape.length - consuming; k++) expanded.push('all');
      else expanded.push(items[i]!);
    }
    const pieces: IndexPiece[] = [];
    let axis = 0;
    for (const it of expanded) {
      if (it === 'all') {
        pieces.push({ kind: 'axes', dims: [t.shape[axis++]!] });
        continue;
      }
      if (it.kind === 'none') {
        pieces.push({ kind: 'axes', dims: [1] });
        continue;
      }
      const size = t.shape[axis];
      if (size === undefined) return this.rangeError(`too many indices for tensor of dimension ${t.shape.length}`, range);
      axis++;
      if (it.kind === 'int' || it.kind === 'bool') {
        const i = asDim(it);
        if (typeof i === 'number' && typeof size === 'number' && (i >= size || i < -size)) {
          return this.rangeError(`index ${i} is out of bounds for dimension ${axis - 1} with size ${size}`, range);
        }
        pieces.push({ kind: 'select' });
        continue;
      }
      if (it.kind === 'slice') {
        const length = sliceLength(size, it);
        if (length === undefined) return unknown('slice with unknown bounds', range);
        pieces.push({ kind: 'axes', dims: [length] });
        continue;
      }
      if (it.kind === 'tensor' && it.dtype === 'bool') return unknown('indexing with a boolean mask: the result size depends on the data', range);
      if (it.kind === 'tensor' && it.shape) {
        pieces.push({ kind: 'advanced', shape: it.shape });
        continue;
      }
      if (it.kind === 'list' || it.kind === 'tuple') {
        pieces.push({ kind: 'advanced', shape: nestedListShape(it) });
        continue;
      }
      return unknown(`tensor indexing with ${describe(it)} is not modelled`, range);
    }
    for (; axis < t.shape.length; axis++) pieces.push({ kind: 'axes', dims: [t.shape[axis]!] });
    let out: Dim[];
    try {
      out = indexedShape(pieces, t.library === 'numpy' ? 'numpy' : 'torch');
    } catch (e) {
      return this.rangeError((e as Error).message, range);
    }
    const result = t.library === 'numpy' ? ndarray(out, t.dtype) : tensor(out, t.dtype);
    if (t.library !== 'numpy') this.traceIndexCost(t, expanded, result);
    // An element of a small tensor of known values keeps its value (`[x.item() for x in torch.linspace(...)]`).
    const known = this.tensorValues.get(t);
    const at = items.length === 1 && t.shape.length === 1 ? asDim(items[0]!) : undefined;
    if (known && typeof at === 'number' && known[at < 0 ? known.length + at : at] !== undefined) this.tensorValues.set(result, [known[at < 0 ? known.length + at : at]!]);
    const assumption = this.assumptions.get(t);
    if (assumption) this.assumptions.set(result, assumption);
    const rf = this.rf.get(t);
    if (rf && out.length === t.shape.length) this.rf.set(result, rf);
    return result;
  }

  /** Indexing in the cost trace: a view with the kept axes' strides, or (tensor or list indices) a gather. */
  private traceIndexCost(t: TensorValue, expanded: readonly (Value | 'all')[], result: TensorValue): void {
    const indices = expanded.filter((it): it is TensorValue => it !== 'all' && it.kind === 'tensor');
    const advanced = expanded.some((it) => it !== 'all' && (it.kind === 'tensor' || it.kind === 'list' || it.kind === 'tuple'));
    if (advanced) return this.costs.index(t, result, undefined, indices);
    const from = this.costs.stridesFor(t);
    if (from === null) return this.costs.index(t, result, [null], []);
    const strides: (number | null)[] = [];
    let axis = 0;
    for (const it of expanded) {
      if (it === 'all') strides.push(from[axis++]!);
      else if (it.kind === 'none') strides.push(0);
      else if (it.kind === 'int' || it.kind === 'bool') axis++;
      else if (it.kind === 'slice') {
        const step = it.step.kind === 'none' ? 1 : asDim(it.step);
        strides.push(typeof step === 'number' ? from[axis]! * step : null);
        axis++;
      }
    }
    for (; axis < from.length; axis++) strides.push(from[axis]!);
    this.costs.index(t, result, strides, []);
  }

  deepcopy(v: Value): Value {
    if (v.kind !== 'object' || !v.module) return v;
    if (!this.interp.allocate(this.modulesOf(v).length)) return this.interp.tooLarge();
    // Like Python's memo: a module reachable twice (or containing itself) is copied once.
    const copies = new Map<ObjectV, ObjectV>();
    const copy = (o: ObjectV, depth: number): ObjectV => {
      const done = copies.get(o);
      if (done) return done;
      // Past MAX_MODULE_DEPTH nested levels the original is shared rather than the stack overflowed.
      if (depth > MAX_MODULE_DEPTH) return o;
      const m = o.module!;
      const children = this.interp.map<string, ObjectV | null>('children');
      const params = this.interp.map<string, ParamInfo>('params');
      const clone = this.interp.newObject(o.cls, o.attrs);
      copies.set(o, clone);
      for (const [k, c] of m.children) children.set(k, c ? copy(c, depth + 1) : null);
      clone.module = { ...m, children, params };
      for (const [k, p] of m.params) {
        const t = tensor(p.shape, p.tensor.dtype);
        const info: ParamInfo = { ...p, tensor: t };
        params.set(k, info);
        this.registerParamTensor(t, info);
      }
      return clone;
    };
    return copy(v, 0);
  }

  private registerParamTensor(t: TensorValue, info: ParamInfo): void {
    this.paramOwners.set(t, info);
    this.parameters.add(t);
  }

  // ---------------------------------------------------------------------------------------------
  // nn.Module.

  private newModuleObject(cls: ClassV, range: Range): ObjectV {
    const obj = this.interp.newObject(cls);
    obj.module = this.newModuleState({ file: this.interp.currentFile, range });
    return obj;
  }

  /** A module's state with every field from the start (one hidden class: see values.ts's factories). */
  private newModuleState(constructedAt: ModuleState['constructedAt']): ModuleState {
    return {
      children: this.interp.map('children'),
      params: this.interp.map('params'),
      training: true,
      layerConfig: undefined,
      layerError: undefined,
      constructedAt,
      ctorArgs: undefined,
      onlyIf: undefined,
    };
  }

  private ensureModule(obj: Value): ObjectV | undefined {
    if (obj.kind !== 'object') return undefined;
    if (!obj.module) {
      // An object made before (`nn.Module.__init__(obj)` on a plain object): a kept session's next run must not see it.
      this.interp.keepingAside(obj);
      obj.module = this.newModuleState(undefined);
    }
    return obj;
  }

  construct(cls: ClassV, args: CallArgs, range: Range): Value | undefined {
    if (cls.native === 'Parameter') {
      const data = args.positional[0] ?? args.keywords.get('data');
      // nn.Parameter() and nn.Parameter(None) hold an empty tensor; data that is not a tensor has no known size.
      const t = data?.kind === 'tensor' ? tensor(data.shape, data.dtype) : data === undefined || data.kind === 'none' ? tensor([0], 'float32') : tensor(null, 'float32');
      this.parameters.add(t);
      const init = data?.kind === 'tensor' ? this.factoryInit.get(data) : undefined;
      if (init) this.factoryInit.set(t, init);
      const rg = args.positional[1] ?? args.keywords.get('requires_grad');
      if (rg?.kind === 'bool' && !rg.value) this.frozen.add(t);
      return t;
    }
    if (cls.native === 'Tensor') {
      const legacy = this.op('torch.Tensor');
      return legacy ? this.invokeOp(legacy, args.positional, args.keywords, range) : this.interp.noteUnknown('torch.Tensor(...) construction', range);
    }
    if (!cls.mro.includes(this.moduleClass)) return undefined;
    const obj = this.newModuleObject(cls, range);
    const init = this.interp.findClassAttr(cls, '__init__');
    try {
      if (init) this.interp.call(init, { positional: [obj, ...args.positional], keywords: args.keywords }, range);
    } catch (e) {
      // The outermost module under construction is what a caller can still show when __init__ raises.
      if (e instanceof PyRaise) e.partialModule = obj;
      throw e;
    }
    return obj;
  }

  private layerClass(entry: LayerEntry<unknown>): ClassV {
    const existing = this.layerClasses.get(entry.name);
    if (existing) return existing;
    const cls = classV({
      name: entry.name,
      bases: [this.moduleClass],
      attrs: new Map<string, Value>([
        ['__init__', builtin(`${entry.name}.__init__`, (a, r) => this.configureLayer(entry, a, r))],
        ['forward', builtin(`${entry.name}.forward`, (a, r) => this.forwardLayer(entry, a, r))],
        ...(entry.traits?.noOpMethods ?? []).map((name): [string, Value] => [name, builtin(`${entry.name}.${name}`, () => NONE)]),
      ]),
      layer: entry,
      native: 'layer',
    });
    cls.mro = [cls, ...this.moduleClass.mro];
    this.layerClasses.set(entry.name, cls);
    return cls;
  }

  private configureLayer(entry: LayerEntry<unknown>, a: CallArgs, range: Range): Value {
    const self = this.ensureModule(a.positional[0] ?? NONE);
    if (!self?.module) return NONE;
    const positional = a.positional.slice(1);
    const bound = this.bindArgs(entry.signature, positional, a.keywords);
    const ctor = new Map<string, Value>();
    entry.signature.forEach((s, i) => {
      const v = i < positional.length && !s.keywordOnly && !s.variadic ? positional[i] : a.keywords.get(s.name);
      if (v) ctor.set(s.name, v);
      else if (s.default) ctor.set(s.name, s.default as Value);
    });
    this.interp.journal.touch('fields', self.module);
    self.module.ctorArgs = ctor;
    if (typeof bound === 'string') {
      self.module.layerError = `${entry.name}(): ${bound}`;
      this.interp.noteError(`${entry.name}() ${bound}`, range);
      return NONE;
    }
    let config: unknown;
    try {
      config = entry.configure(bound);
    } catch (e) {
      config = { kind: 'error', message: `internal error ${e instanceof Error ? e.message : String(e)}`, unknown: true };
    }
    if (isLayerError(config)) {
      self.module.layerError = config.message;
      if (config.unknown) this.interp.noteUnknown(`${entry.name}: ${config.message}`, range);
      else this.interp.noteError(config.message.startsWith(entry.name) ? config.message : `${entry.name}: ${config.message}`, range);
      return NONE;
    }
    self.module.layerConfig = config;
    this.installLayerParams(self, entry, config);
    return NONE;
  }

  private installLayerParams(self: ObjectV, entry: LayerEntry<unknown>, config: unknown): void {
    const m = self.module!;
    let list: ReturnType<LayerEntry<unknown>['parameters']> = [];
    try {
      list = entry.parameters(config);
    } catch {
      list = [];
    }
    // Re-materialising (lazy layers) replaces the parameters but keeps init overrides by name.
    for (const p of list) {
      const previous = m.params.get(p.name);
      const t = tensor(p.shape, 'float32');
      const info: ParamInfo = {
        name: p.name,
        shape: p.shape,
        tensor: t,
        init: previous?.initOverride ? previous.init : p.init,
        initOverride: previous?.initOverride,
        trainable: previous?.trainable ?? true,
        buffer: p.buffer === true,
        onlyIf: p.onlyIf,
      };
      m.params.set(p.name, info);
      this.registerParamTensor(t, info);
    }
  }

  private forwardLayer(entry: LayerEntry<unknown>, a: CallArgs, range: Range): Value {
    const self = a.positional[0];
    if (self?.kind !== 'object' || !self.module) return unknown('layer forward without a module', range);
    const m = self.module;
    if (m.layerConfig === undefined) return unknown(`${entry.name} was not configured${m.layerError ? `: ${m.layerError}` : ''}`, range);
    const positional = a.positional.slice(1);
    if (positional.some((v) => v.kind === 'unknown')) return positional.find((v) => v.kind === 'unknown')!;
    const bound = this.bindArgs(entry.forwardSignature, positional, a.keywords);
    if (typeof bound === 'string') return this.interp.noteUnknown(`${entry.name}.forward(): ${bound}`, range);
    if (entry.materialize) {
      const materialized = entry.materialize(m.layerConfig, bound);
      if (isLayerError(materialized)) return this.layerError(entry.name, materialized, range);
      if (materialized !== m.layerConfig) {
        this.interp.journal.touch('fields', m);
        m.layerConfig = materialized;
        this.installLayerParams(self, entry, materialized);
      }
    }
    let result: ForwardResult | LayerError;
    try {
      result = entry.forward(m.layerConfig, bound, this.context);
    } catch (e) {
      return this.interp.noteUnknown(`${entry.name}: internal error ${e instanceof Error ? e.message : String(e)}`, range);
    }
    if (isLayerError(result)) return this.layerError(entry.name, result, range);
    const top = this.callStack[this.callStack.length - 1];
    if (top && top.module === self) top.macs = result.macs;
    const out = result.output as Value;
    const config = m.layerConfig;
    const train = this.tracesCosts ? this.layerCost(entry, config, bound, self, m, out, result.macs) : null;
    if (top && top.module === self) top.train = train;
    this.inheritAssumption(positional, out);
    this.layerRf(entry, m.layerConfig, positional[0], out);
    return out;
  }

  /** A layer call's training cost, from its catalogue entry and its own parameters. */
  private layerCost(entry: LayerEntry<unknown>, config: unknown, bound: BoundArgs, self: ObjectV, m: ModuleState, out: Value, macs: Dim | null): CallCost | null {
    const ownParameters = this.namedParameters(self);
    const parameters = ownParameters.map(([, p]) => p.tensor);
    const parameterNames = ownParameters.map(([name]) => name);
    return this.traceCost(
      entry.cost ? () => entry.cost!(config, bound, this.costQuery(bound, out, macs, m.training)) : undefined,
      (name) => bound[name] ?? m.params.get(name)?.tensor ?? parameters.find((_, i) => parameterNames[i] === name),
      Object.values(bound),
      parameters,
      out,
    );
  }

  private layerRf(entry: LayerEntry<unknown>, config: unknown, input: Value | undefined, output: Value): void {
    if (input?.kind !== 'tensor') return;
    if (entry.receptiveField) this.stepRf(input, output, (sizes) => entry.receptiveField!(config, sizes));
    else {
      const outTensor = firstTensor(output);
      const before = this.rf.get(input);
      if (before && outTensor?.shape && input.shape && outTensor.shape.length === input.shape.length) this.rf.set(outTensor, before);
    }
  }

  /** The output's field: each spatial axis of the input's field read through the layer's effect. */
  private stepRf(input: TensorValue, output: Value, effectOf: (sizes: SpatialSizes) => ReceptiveFieldEffect | undefined): void {
    const outTensor = firstTensor(output);
    const before = this.rf.get(input);
    if (!before || !outTensor?.shape || !input.shape || outTensor.shape.length !== input.shape.length) return;
    const n = before.axes.length;
    const effect = effectOf({ input: input.shape.slice(-n), output: outTensor.shape.slice(-n) });
    if (!effect || effect.length !== n) return;
    const axes: AxisField[] = [];
    for (let i = 0; i < n; i++) {
      const next = stepAxisField(before.axes[i]!, effect[i]!);
      if (!next) return;
      axes.push(next);
    }
    this.rf.set(outTensor, { axes, exact: before.exact });
  }

  /** The first spatial receptive field for a model input: (N, C, *spatial). */
  seedRf(t: TensorValue): void {
    if (!t.shape || t.shape.length < 3) return;
    const n = t.shape.length - 2;
    this.rf.set(t, { axes: Array<AxisField>(n).fill(inputAxisField), exact: true });
  }

  isAtomic(obj: ObjectV): boolean {
    if (obj.cls.layer?.traits?.ownsSubmodules) return true;
    const m = obj.module!;
    for (const c of m.children.values()) if (c) return false;
    return true;
  }

  callModule(obj: ObjectV, args: CallArgs, range: Range): Value {
    if (this.sampleCalls && this.callStack.length === 0) this.noteSampleCall(obj, args);
    const forward = obj.attrs.get('forward') ?? this.interp.findClassAttr(obj.cls, 'forward');
    if (!forward) return this.interp.noteUnknown(`${obj.cls.name} has no forward`, range);
    const bound: Value = obj.attrs.has('forward') ? forward : { kind: 'method', self: obj, fn: forward as BuiltinV };
    const record: Mutable<CallRecord> = {
      module: obj,
      range,
      file: this.interp.currentFile,
      inputs: args.positional,
      output: NONE,
      macs: null,
      rf: null,
      depth: this.callStack.length,
      atomic: this.isAtomic(obj),
      seq: this.seq++,
    };
    // Only on a side of an undecided condition (set after the literal: spreading it was a cost on every call).
    if (this.interp.speculating) record.onlyIf = this.interp.assumption;
    const inside = this.callStack.some((c) => c.atomic);
    const record_ = this.recording && !inside;
    if (record_) {
      // A call on a side of an undecided condition that turns out to raise never happens: the log is undone.
      this.interp.journal.touch('log', this.calls);
      this.calls.push(record);
    }
    this.callStack.push(record);
    let out: Value;
    try {
      out = this.interp.call(bound, args, range);
    } catch (e) {
      if (!(e instanceof PyRaise)) throw e;
      // Inside an undecided condition the raise ends that side (the caller joins the other one).
      if (this.interp.speculating) throw e;
      const message = `${obj.cls.name}.forward raised ${e.message}`;
      this.interp.noteError(message, e.range ?? range);
      record.error = message;
      out = unknown(message, range);
    } finally {
      this.callStack.pop();
      record.end = this.calls.length;
    }
    this.inheritAssumption(args.positional, out);
    record.output = out;
    const outTensor = out.kind === 'tensor' ? out : out.kind === 'tuple' && out.items[0]?.kind === 'tensor' ? out.items[0] : undefined;
    record.rf = outTensor ? this.rf.get(outTensor) ?? null : null;
    if (!record.atomic && outTensor && !this.rf.get(outTensor)) record.rf = null;
    return out;
  }

  /**
   * A top-level call of a model whose class the file defines: the first one with arguments the analysis
   * knows is the sample (ending the driver code's run when `stop` is set); a model only ever called with
   * unknown arguments is still noted, so it can be run on a default input.
   */
  private noteSampleCall(obj: ObjectV, args: CallArgs): void {
    const wanted = this.sampleCalls!;
    // The call is in the file; the model's class may come from a workspace file it imports.
    if (this.interp.currentFile !== wanted.file || obj.cls.file === undefined || obj.cls.file.startsWith('<')) return;
    if (wanted.className !== undefined && obj.cls.name !== wanted.className) return;
    const known = (v: Value): boolean => (v.kind === 'tensor' ? v.shape !== null : v.kind !== 'unknown');
    if ([...args.positional, ...args.keywords.values()].every(known)) {
      wanted.found ??= { model: obj, args };
      if (wanted.stop) throw new SampleCallFound(obj, args);
    } else wanted.modelOnly ??= obj;
  }

  /** Children in registration order, skipping None. */
  childrenOf(obj: ObjectV): [string, ObjectV][] {
    const out: [string, ObjectV][] = [];
    const children = obj.module?.children;
    if (children) for (const [name, child] of children) if (child !== null) out.push([name, child]);
    return out;
  }

  /** PyTorch's named_modules: pre-order, each module once (first path wins). */
  namedModules(root: ObjectV, prefix = ''): [string, ObjectV][] {
    const out: [string, ObjectV][] = [];
    const seen = new Set<number>();
    // An explicit stack, not recursion: a chain of modules a million deep is as fine as a cycle. Each module's
    // children are pushed in reverse (from the end of scratch arrays, filled without a [name, child] pair per
    // child) so they pop in registration order.
    const stack: [string, ObjectV][] = [[prefix, root]];
    const names: string[] = [];
    const children: (ObjectV | null)[] = [];
    const collect = (child: ObjectV | null, name: string): void => {
      names.push(name);
      children.push(child);
    };
    while (stack.length > 0) {
      const entry = stack.pop()!;
      const m = entry[1];
      if (seen.has(m.id)) continue;
      seen.add(m.id);
      out.push(entry);
      const path = entry[0];
      names.length = 0;
      children.length = 0;
      m.module?.children.forEach(collect);
      for (let i = children.length - 1; i >= 0; i--) {
        const child = children[i]!;
        if (child !== null) stack.push([path ? `${path}.${names[i]!}` : names[i]!, child]);
      }
    }
    return out;
  }

  /**
   * PyTorch's modules(): the modules of namedModules in its order, without their paths (a path string per module
   * was most of a walk whose caller reads only the modules: `self.modules()` in a constructor, eval/train).
   */
  modulesOf(root: ObjectV): ObjectV[] {
    const out: ObjectV[] = [];
    const seen = new Set<number>();
    // The same walk as namedModules: children pushed in reverse from a scratch array, so they pop in order.
    const stack: ObjectV[] = [root];
    const children: (ObjectV | null)[] = [];
    const collect = (child: ObjectV | null): void => {
      children.push(child);
    };
    while (stack.length > 0) {
      const m = stack.pop()!;
      if (seen.has(m.id)) continue;
      seen.add(m.id);
      out.push(m);
      children.length = 0;
      m.module?.children.forEach(collect);
      for (let i = children.length - 1; i >= 0; i--) {
        const child = children[i]!;
        if (child !== null) stack.push(child);
      }
    }
    return out;
  }

  namedParameters(root: ObjectV, recurse = true): [string, ParamInfo][] {
    return this.parametersOf(recurse ? this.namedModules(root) : [['', root]]);
  }

  /** The parameters of modules as namedModules lists them (each tensor once, first path wins), buffers left out. */
  parametersOf(modules: readonly (readonly [string, ObjectV])[]): [string, ParamInfo][] {
    const out: [string, ParamInfo][] = [];
    const seen = new Set<TensorValue>();
    for (const [path, m] of modules) {
      m.module!.params.forEach((p, name) => {
        if (p.buffer || seen.has(p.tensor)) return;
        seen.add(p.tensor);
        out.push([path ? `${path}.${name}` : name, p]);
      });
    }
    return out;
  }

  getModuleAttr(obj: ObjectV, name: string): Value | undefined {
    const m = obj.module!;
    if (name === 'training') return bool(m.training);
    if (name === '__iter__' && CONTAINERS.has(containerKind(obj) ?? '')) {
      const kind = containerKind(obj);
      if (kind === 'ModuleList') return builtin('__iter__', () => listV([...m.children.values()].map((c) => c ?? NONE)));
      return builtin('__iter__', () => (kind === 'ModuleDict' ? listV(this.childrenOf(obj).map(([k]) => str(k))) : listV(this.childrenOf(obj).map(([, c]) => c))));
    }
    if (m.children.has(name) && !obj.attrs.has(name)) return m.children.get(name) ?? NONE;
    if (name === '_modules' && !obj.attrs.has(name)) return this.childrenView(obj);
    const p = m.params.get(name);
    if (p) return p.tensor;
    if (m.ctorArgs && !obj.attrs.has(name) && !this.interp.findClassAttr(obj.cls, name)) {
      if (name === 'weight' || name === 'bias' || name.startsWith('weight_') || name.startsWith('bias_') || name.endsWith('_proj_weight') || name.endsWith('_proj_bias')) return NONE;
      const ctor = m.ctorArgs?.get(name);
      if (ctor) return storedAttribute(obj.cls.mro.find((c) => c.layer)?.layer, name, ctor);
      const submodule = obj.cls.layer?.traits?.submodules?.(boundData(m.ctorArgs))[name];
      if (submodule) return this.submoduleOf(obj, submodule);
    }
    return undefined;
  }

  /**
   * A submodule the layer's `__init__` creates (MultiheadAttention's out_proj), built when it is read; the
   * layer never calls it as a module and counts its parameters itself.
   */
  private submoduleOf(owner: ObjectV, submodule: Submodule): Value {
    const entry = lookupLayer(submodule.layer);
    if (!entry) return unknown(`${submodule.layer} is not in the catalogue`);
    const child = this.newModuleObject(this.layerClass(entry), owner.module!.constructedAt?.range ?? ZERO_RANGE);
    this.configureLayer(entry, { positional: [child, ...submodule.args], keywords: new Map() }, ZERO_RANGE);
    return child;
  }

  /**
   * torch.jit.isinstance(obj, T): a generic alias keeps only its origin here (`List[Tensor]` is `list`), so a
   * mismatch of the origin is certain (a tensor is no List[Tensor]) while a container that matches it is
   * unknown (its element types are not checked).
   */
  private jitIsinstance(args: CallArgs, range: Range): Value {
    const isinstance = this.interp.builtins.get('isinstance');
    if (!isinstance) return unknown('isinstance is not available', range);
    const answer = this.interp.call(isinstance, { positional: args.positional.slice(0, 2), keywords: new Map() }, range);
    const subject = args.positional[0]?.kind;
    if (answer.kind === 'bool' && answer.value && (subject === 'list' || subject === 'tuple' || subject === 'dict')) {
      return this.interp.noteUnknown('torch.jit.isinstance: the element types of a container are not checked', range);
    }
    return answer;
  }

  /**
   * Module._modules as a dict whose writes go to the module: torchvision's quantizable models swap their
   * ReLU6 children for ReLU with `module._modules[name] = nn.ReLU()`.
   */
  private childrenView(obj: ObjectV): DictV {
    const write = (name: string, value: Value): boolean => this.setModuleAttr(obj, name, value);
    const remove = (name: string): void => this.deleteModuleAttr(obj, name);
    class ChildrenMap extends Map<string, { key: Value; value: Value }> {
      override set(k: string, entry: { key: Value; value: Value }): this {
        super.set(k, entry);
        if (entry.key.kind === 'str') write(entry.key.value, entry.value);
        return this;
      }
      override delete(k: string): boolean {
        const entry = super.get(k);
        if (entry?.key.kind === 'str') remove(entry.key.value);
        return super.delete(k);
      }
    }
    const entries = new ChildrenMap();
    for (const [name, child] of obj.module!.children) Map.prototype.set.call(entries, keyOf(str(name)), { key: str(name), value: child ?? NONE });
    return { kind: 'dict', entries };
  }

  /** Module.__delattr__: removes a parameter or submodule of that name. */
  deleteModuleAttr(obj: ObjectV, name: string): void {
    obj.module?.children.delete(name);
    obj.module?.params.delete(name);
  }

  setModuleAttr(obj: ObjectV, name: string, value: Value): boolean {
    const m = obj.module!;
    if (name === 'training' && value.kind === 'bool') {
      this.interp.journal.touch('fields', m);
      m.training = value.value;
      return true;
    }
    if (value.kind === 'object' && value.module) {
      m.children.set(name, value);
      obj.attrs.delete(name);
      m.params.delete(name);
      return true;
    }
    if (value.kind === 'tensor' && this.parameters.has(value)) {
      const existing = this.paramOwners.get(value);
      const info: ParamInfo = existing ?? {
        name,
        shape: value.shape,
        tensor: value,
        init: this.factoryInit.get(value) ?? { kind: 'unknown', reason: 'set from a tensor' },
        initOverride: undefined,
        trainable: !this.frozen.has(value),
        buffer: false,
        onlyIf: undefined,
      };
      if (!existing) this.registerParamTensor(value, info);
      m.params.set(name, info);
      obj.attrs.delete(name);
      return true;
    }
    if (value.kind === 'none' && m.children.has(name)) {
      m.children.set(name, null);
      return true;
    }
    if (value.kind === 'none' && m.params.has(name)) {
      m.params.delete(name);
      obj.attrs.set(name, NONE);
      return true;
    }
    return false;
  }

  private installModuleMethods(): void {
    const self = (a: CallArgs): ObjectV | undefined => this.ensureModule(a.positional[0] ?? NONE);
    const attrs = this.moduleClass.attrs;
    const method = (name: string, fn: (obj: ObjectV, a: CallArgs, r: Range) => Value): void => {
      attrs.set(name, builtin(`Module.${name}`, (a, r) => {
        const obj = self(a);
        return obj ? fn(obj, { positional: a.positional.slice(1), keywords: a.keywords }, r) : unknown(`Module.${name} without a module`, r);
      }));
    };
    method('__init__', () => NONE);
    // An explicit `self.__getattr__(name)` finds children, parameters and buffers as attribute access does.
    method('__getattr__', (obj, a, r) => {
      const name = a.positional[0];
      if (name?.kind !== 'str') return unknown('__getattr__ with an unknown name', r);
      return this.getModuleAttr(obj, name.value) ?? obj.attrs.get(name.value) ?? this.interp.raise(`'${obj.cls.name}' object has no attribute '${name.value}'`, r, 'AttributeError');
    });
    method('forward', (obj, _a, r) => this.interp.noteUnknown(`${obj.cls.name} does not define forward`, r));
    const addModule = (obj: ObjectV, a: CallArgs): Value => {
      const name = a.positional[0] ?? a.keywords.get('name');
      const child = a.positional[1] ?? a.keywords.get('module');
      if (name?.kind === 'str' && child) {
        if (child.kind === 'object' && child.module) obj.module!.children.set(name.value, child);
        else if (child.kind === 'none') obj.module!.children.set(name.value, null);
      }
      return NONE;
    };
    method('add_module', addModule);
    method('register_module', addModule);
    method('register_buffer', (obj, a) => {
      const name = a.positional[0];
      const t = a.positional[1] ?? a.keywords.get('tensor') ?? NONE;
      if (name?.kind === 'str') obj.attrs.set(name.value, t);
      return NONE;
    });
    method('register_parameter', (obj, a) => {
      const name = a.positional[0];
      const t = a.positional[1] ?? NONE;
      if (name?.kind === 'str') {
        if (!this.setModuleAttr(obj, name.value, t)) obj.attrs.set(name.value, t);
      }
      return NONE;
    });
    method('modules', (obj) => listV(this.modulesOf(obj)));
    method('named_modules', (obj) => listV(this.namedModules(obj).map(([p, m]) => tupleV([str(p), m]))));
    method('children', (obj) => listV(dedupeById(this.childrenOf(obj)).map(([, m]) => m)));
    method('named_children', (obj) => listV(dedupeById(this.childrenOf(obj)).map(([p, m]) => tupleV([str(p), m]))));
    method('parameters', (obj, a) => listV(this.namedParameters(obj, recurseArg(a)).map(([, p]) => p.tensor)));
    method('named_parameters', (obj, a) => listV(this.namedParameters(obj, recurseArg(a)).map(([n, p]) => tupleV([str(n), p.tensor]))));
    method('buffers', () => listV([]));
    method('named_buffers', () => listV([]));
    method('apply', (obj, a, r) => {
      const fn = a.positional[0];
      if (!fn) return obj;
      // PyTorch applies to children first, then to the module itself.
      const visit = (m: ObjectV, seen: Set<number>, depth = 0): void => {
        for (const [, c] of this.childrenOf(m)) {
          if (seen.has(c.id) || depth > MAX_MODULE_DEPTH) continue;
          seen.add(c.id);
          visit(c, seen, depth + 1);
        }
        this.interp.call(fn, { positional: [m], keywords: new Map() }, r);
      };
      visit(obj, new Set([obj.id]));
      return obj;
    });
    const setTraining = (obj: ObjectV, mode: boolean): void => {
      for (const m of this.modulesOf(obj)) {
        this.interp.journal.touch('fields', m.module!);
        m.module!.training = mode;
      }
    };
    method('train', (obj, a) => {
      const mode = a.positional[0] ?? a.keywords.get('mode');
      setTraining(obj, mode?.kind === 'bool' ? mode.value : true);
      return obj;
    });
    method('eval', (obj) => (setTraining(obj, false), obj));
    method('requires_grad_', (obj, a) => {
      const flag = a.positional[0] ?? a.keywords.get('requires_grad');
      const on = flag?.kind === 'bool' ? flag.value : true;
      for (const [, p] of this.namedParameters(obj)) {
        this.interp.journal.touch('fields', p);
        p.trainable = on;
        if (on) this.frozen.delete(p.tensor);
        else this.frozen.add(p.tensor);
      }
      return obj;
    });
    for (const name of ['to', 'cuda', 'cpu', 'float', 'double', 'half', 'bfloat16', 'type', 'share_memory', 'to_empty']) method(name, (obj) => obj);
    method('zero_grad', () => NONE);
    method('extra_repr', () => str(''));
    method('state_dict', (_obj, _a, r) => unknown('state_dict() is not modelled', r));
    method('load_state_dict', () => NONE);
    method('register_forward_hook', () => NONE);
    method('register_forward_pre_hook', () => NONE);
    method('get_submodule', (obj, a, r) => {
      const target = a.positional[0];
      if (target?.kind !== 'str') return unknown('get_submodule of an unknown path', r);
      let m: ObjectV | undefined = obj;
      for (const part of target.value.split('.').filter(Boolean)) m = m ? (m.module!.children.get(part) ?? undefined) : undefined;
      return m ?? this.interp.noteUnknown(`no submodule ${target.value}`, r);
    });
    method('__len__', (obj) => int(this.childrenOf(obj).length));
  }

  // ---------------------------------------------------------------------------------------------
  // Containers.

  /** The container class of that name (Sequential, ModuleList, ...), made on its first use in this session. */
  private containerClass(name: string): ClassV {
    let cls = this.containerClasses.get(name);
    if (!cls) this.containerClasses.set(name, (cls = this.makeContainerClass(name)));
    return cls;
  }

  private makeContainerClass(name: string): ClassV {
    const attrs = new Map<string, Value>();
    const cls = classV({ name, bases: [this.moduleClass], attrs, native: name });
    cls.mro = [cls, ...this.moduleClass.mro];
    const method = (mname: string, fn: (obj: ObjectV, a: CallArgs, r: Range) => Value): void => {
      attrs.set(mname, builtin(`${name}.${mname}`, (a, r) => {
        const obj = this.ensureModule(a.positional[0] ?? NONE);
        return obj ? fn(obj, { positional: a.positional.slice(1), keywords: a.keywords }, r) : unknown(`${name}.${mname}`, r);
      }));
    };
    const children = (obj: ObjectV): Map<string, ObjectV | null> => obj.module!.children;
    const appendModule = (obj: ObjectV, v: Value): void => {
      if (v.kind === 'object' && v.module) children(obj).set(String(children(obj).size), v);
      else if (v.kind === 'tensor' && (name === 'ParameterList')) this.setModuleAttr(obj, String(obj.module!.params.size), v);
      // PyTorch keeps a None entry (add_module(name, None)): it counts, indexes and iterates as None.
      else if (v.kind === 'none' && name !== 'ParameterList') children(obj).set(String(children(obj).size), null);
      else if (v.kind !== 'none') this.interp.noteUnknown(`${name} item is ${describe(v)}`, ZERO_RANGE);
    };
    const indexOf = (obj: ObjectV, idx: Value, r: Range): string | undefined => {
      const i = asDim(idx);
      const n = children(obj).size;
      if (typeof i !== 'number') return undefined;
      if (i >= n || i < -n) {
        this.interp.raise(`index ${i} is out of range`, r, 'IndexError');
      }
      return [...children(obj).keys()][i < 0 ? n + i : i];
    };
    if (name === 'Sequential' || name === 'ModuleList' || name === 'ParameterList') {
      method('__init__', (obj, a, r) => {
        if (name === 'Sequential') {
          const first = a.positional[0];
          if (a.positional.length === 1 && first?.kind === 'dict') {
            for (const e of first.entries.values()) if (e.key.kind === 'str' && e.value.kind === 'object') children(obj).set(e.key.value, e.value);
            return NONE;
          }
          for (const v of a.positional) appendModule(obj, v);
        } else {
          const src = a.positional[0] ?? a.keywords.get('modules') ?? a.keywords.get('values');
          if (src && src.kind !== 'none') for (const v of this.interp.iterate(src, r) ?? []) appendModule(obj, v);
        }
        return NONE;
      });
      method('append', (obj, a) => (appendModule(obj, a.positional[0] ?? NONE), obj));
      method('extend', (obj, a, r) => {
        for (const v of this.interp.iterate(a.positional[0] ?? NONE, r) ?? []) appendModule(obj, v);
        return obj;
      });
      method('insert', (obj, a) => {
        const at = asDim(a.positional[0] ?? NONE);
        const v = a.positional[1];
        if (typeof at !== 'number' || v?.kind !== 'object') return NONE;
        const list = this.childrenOf(obj).map(([, c]) => c);
        list.splice(at < 0 ? list.length + at : at, 0, v);
        children(obj).clear();
        list.forEach((c, i) => children(obj).set(String(i), c));
        return NONE;
      });
      method('__getitem__', (obj, a, r) => {
        const idx = a.positional[0] ?? NONE;
        if (name === 'ParameterList') {
          const ps = [...obj.module!.params.values()];
          const i = asDim(idx);
          return typeof i === 'number' ? ps[i < 0 ? ps.length + i : i]?.tensor ?? unknown('index', r) : unknown('index', r);
        }
        if (idx.kind === 'slice') {
          const picked = sliceItems([...children(obj).entries()], idx);
          if (!picked) return unknown('slice with unknown bounds', r);
          const out = this.newModuleObject(cls, r);
          if (name === 'Sequential') for (const [k, c] of picked) out.module!.children.set(k, c);
          else picked.forEach(([, c], i) => out.module!.children.set(String(i), c));
          return out;
        }
        const key = indexOf(obj, idx, r);
        return key === undefined ? unknown('container index is not a known int', r) : (children(obj).get(key) ?? NONE);
      });
      method('__setitem__', (obj, a, r) => {
        const key = indexOf(obj, a.positional[0] ?? NONE, r);
        const v = a.positional[1];
        if (key !== undefined && v?.kind === 'object') children(obj).set(key, v);
        return NONE;
      });
      method('__len__', (obj) => int(children(obj).size || obj.module!.params.size));
      method('__iter__', (obj) => (name === 'ParameterList' ? listV([...obj.module!.params.values()].map((p) => p.tensor)) : listV([...children(obj).values()].map((c) => c ?? NONE))));
      method('__add__', (obj, a, r) => {
        const other = a.positional[0] ?? NONE;
        const out = this.newModuleObject(cls, r);
        const items = [...this.childrenOf(obj).map(([, c]) => c), ...(other.kind === 'object' ? this.childrenOf(other).map(([, c]) => c) : (this.interp.iterate(other, r) ?? []))];
        for (const c of items) appendModule(out, c);
        return out;
      });
      method('__iadd__', (obj, a, r) => {
        const other = a.positional[0] ?? NONE;
        for (const c of other.kind === 'object' ? this.childrenOf(other).map(([, m]) => m) : (this.interp.iterate(other, r) ?? [])) appendModule(obj, c);
        return obj;
      });
    }
    if (name === 'Sequential') {
      method('forward', (obj, a, r) => {
        let x: Value = a.positional[0] ?? NONE;
        for (const [, child] of this.childrenOf(obj)) x = this.interp.call(child, { positional: [x], keywords: new Map() }, r);
        return x;
      });
    }
    if (name === 'ModuleDict' || name === 'ParameterDict') {
      method('__init__', (obj, a, r) => {
        const src = a.positional[0] ?? a.keywords.get('modules') ?? a.keywords.get('parameters');
        this.updateDict(obj, src, r);
        return NONE;
      });
      method('update', (obj, a, r) => (this.updateDict(obj, a.positional[0], r), NONE));
      method('__getitem__', (obj, a, r) => {
        const k = a.positional[0];
        if (k?.kind !== 'str') return unknown('ModuleDict key is not a known str', r);
        if (name === 'ParameterDict') return obj.module!.params.get(k.value)?.tensor ?? unknown(`no parameter ${k.value}`, r);
        const c = children(obj).get(k.value);
        if (c === undefined) this.interp.raise(`'${k.value}'`, r, 'KeyError');
        return c ?? NONE;
      });
      method('__setitem__', (obj, a) => {
        const k = a.positional[0];
        const v = a.positional[1];
        if (k?.kind === 'str' && v) this.setModuleAttr(obj, k.value, v);
        return NONE;
      });
      method('keys', (obj) => listV(this.childrenOf(obj).map(([k]) => str(k))));
      method('values', (obj) => listV(this.childrenOf(obj).map(([, c]) => c)));
      method('items', (obj) => listV(this.childrenOf(obj).map(([k, c]) => tupleV([str(k), c]))));
      method('__len__', (obj) => int(children(obj).size));
      method('__iter__', (obj) => listV(this.childrenOf(obj).map(([k]) => str(k))));
    }
    return cls;
  }

  private updateDict(obj: ObjectV, src: Value | undefined, r: Range): void {
    if (!src || src.kind === 'none') return;
    const pairs: [Value, Value][] = [];
    if (src.kind === 'dict') for (const e of src.entries.values()) pairs.push([e.key, e.value]);
    else for (const item of this.interp.iterate(src, r) ?? []) {
      const kv = this.interp.iterate(item, r);
      if (kv?.length === 2) pairs.push([kv[0]!, kv[1]!]);
    }
    for (const [k, v] of pairs) if (k.kind === 'str') this.setModuleAttr(obj, k.value, v);
  }

  // ---------------------------------------------------------------------------------------------
  // nn.init.

  /** torch.nn.init: each function sets its tensor's init as the catalogue's NN_INIT_FUNCTIONS computes it. */
  private initNamespace(): NamespaceV {
    const entries: Record<string, Value> = Object.fromEntries(
      Object.entries(NN_INIT_FUNCTIONS).map(([name, makeInit]) => [
        name,
        builtin(`torch.nn.init.${name}`, (a, r) => {
          const t = a.positional[0] ?? a.keywords.get('tensor');
          const init = makeInit(argumentOf(a));
          if (init) this.setInit(t, init, `nn.init.${name}`, r);
          return t ?? NONE;
        }),
      ]),
    );
    entries['calculate_gain'] = builtin('calculate_gain', (a) => {
      const nl = a.positional[0] ?? a.keywords.get('nonlinearity');
      const p = a.positional[1] ?? a.keywords.get('param');
      return float(gainOf(nl?.kind === 'str' ? nl.value : 'linear', p ? asNumber(p) : undefined));
    });
    entries['_calculate_fan_in_and_fan_out'] = builtin('_calculate_fan_in_and_fan_out', (a, r) => {
      const t = a.positional[0];
      const f = t?.kind === 'tensor' ? fansOfTensorShape(t.shape) : undefined;
      return f ? tupleV([int(f.fanIn), int(f.fanOut)]) : unknown('fans of an unknown tensor', r);
    });
    return staticNamespace('torch.nn.init', entries);
  }
}

/** A call's argument by position or keyword, as the catalogue's init rules read it (plain data values only). */
function argumentOf(a: CallArgs): InitArgument {
  return (position, keyword) => {
    const v = a.positional[position] ?? a.keywords.get(keyword);
    return v === undefined ? undefined : toData(v);
  };
}

const ZERO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function recurseArg(a: CallArgs): boolean {
  const v = a.positional[0] ?? a.keywords.get('recurse');
  return v?.kind === 'bool' ? v.value : true;
}

function dedupeById(items: [string, ObjectV][]): [string, ObjectV][] {
  const seen = new Set<number>();
  return items.filter(([, m]) => (seen.has(m.id) ? false : (seen.add(m.id), true)));
}

function containerKind(obj: ObjectV): string | undefined {
  return obj.cls.mro.find((c) => c.native && CONTAINERS.has(c.native))?.native;
}

/** A constructor argument as the module stores it: one the layer keeps per axis becomes a tuple (Conv2d's kernel_size=3 is (3, 3)). */
function storedAttribute(layer: LayerEntry | undefined, name: string, v: Value): Value {
  const length = layer?.traits?.tupleAttributes?.[name];
  return length !== undefined && (v.kind === 'int' || v.kind === 'bool') ? tupleV(Array.from({ length }, () => v)) : v;
}

/** Constructor arguments as the catalogue reads them (plain data values). */
function boundData(args: ReadonlyMap<string, Value>): BoundArgs {
  return Object.fromEntries([...args].map(([k, v]) => [k, toData(v)]));
}

/**
 * The shape of a (nested) list used as an index: [2, 3] for [[0, 1, 2], [1, 2, 3]]; ragged lists count their outer
 * length. The depth is bounded because a list can contain itself.
 */
function nestedListShape(v: Extract<Value, { kind: 'list' | 'tuple' }>, depth = 0): Dim[] {
  const nested = (item: Value): item is Extract<Value, { kind: 'list' | 'tuple' }> => (item.kind === 'list' || item.kind === 'tuple') && depth < 16;
  const inner = v.items.map((item) => (nested(item) ? nestedListShape(item, depth + 1) : []));
  const first = inner[0];
  const same = first !== undefined && inner.every((s) => s.length === first.length && s.every((d, i) => d === first[i]));
  return [v.items.length, ...(same ? first : [])];
}

/** A decorator that gives back what it decorates (torch.jit.ignore() and friends called before decorating). */
const identityDecorator = (name: string): Value => builtin(name, (a) => a.positional[0] ?? NONE);

function sliceLength(size: Dim, s: Extract<Value, { kind: 'slice' }>): Dim | undefined {
  const step = s.step.kind === 'none' ? 1 : asDim(s.step);
  if (typeof step !== 'number' || step === 0) return undefined;
  if (s.start.kind === 'none' && s.stop.kind === 'none') return step === 1 ? size : typeof size === 'number' ? Math.ceil(size / Math.abs(step)) : dims.ceilDiv(size, Math.abs(step));
  const start = s.start.kind === 'none' ? undefined : asDim(s.start);
  const stop = s.stop.kind === 'none' ? undefined : asDim(s.stop);
  if (typeof size !== 'number') {
    // Symbolic sizes: `x[:, :n]` with a known non-negative stop and no start gives n (assuming n <= size).
    if (step === 1 && s.start.kind === 'none' && stop !== undefined && typeof stop === 'number' && stop >= 0) return stop;
    if (step === 1 && start !== undefined && typeof start === 'number' && s.stop.kind === 'none') return start >= 0 ? dims.sub(size, start) : -start;
    if (step === 1 && typeof start === 'number' && start >= 0 && stop !== undefined && typeof stop === 'number' && stop < 0) return dims.sub(dims.add(size, stop), start);
    return undefined;
  }
  if ((s.start.kind !== 'none' && typeof start !== 'number') || (s.stop.kind !== 'none' && typeof stop !== 'number')) return undefined;
  // Past the test above, a bound is a number or absent (None).
  const from = typeof start === 'number' ? start : undefined;
  const to = typeof stop === 'number' ? stop : undefined;
  if (integralSlice(size, step, from, to)) return sliceCount(size, step, from, to);
  const items = sliceItems(Array.from({ length: size }, (_, i) => i), s);
  return items?.length;
}

/** Sizes up to an array's longest length and whole-number bounds: the count has a closed form (sliceCount). */
const integralSlice = (size: number, step: number, start: number | undefined, stop: number | undefined): boolean =>
  Number.isInteger(size) && size >= 0 && size <= MAX_ARRAY_LENGTH && Number.isInteger(step) && (start === undefined || Number.isInteger(start)) && (stop === undefined || Number.isInteger(stop));

const MAX_ARRAY_LENGTH = 2 ** 32 - 1;

/**
 * How many items sliceItems keeps of `size` items, without listing them (a sequence axis of 1,024 or a vocabulary of
 * 50,257 was an array of that many numbers per index): the same bounds, then the number of steps from the first to
 * the end.
 */
export function sliceCount(size: number, step: number, start: number | undefined, stop: number | undefined): number {
  const norm = (x: number): number => (x < 0 ? Math.max(step < 0 ? -1 : 0, size + x) : Math.min(x, step < 0 ? size - 1 : size));
  const lo = start === undefined ? (step > 0 ? 0 : size - 1) : norm(start);
  const hi = stop === undefined ? (step > 0 ? size : -1) : norm(stop);
  return step > 0 ? (lo < hi ? Math.ceil((hi - lo) / step) : 0) : lo > hi ? Math.ceil((lo - hi) / -step) : 0;
}

/**
 * Where branches meet (add, cat), each unit sees the union of the branches' fields. Branches whose layouts
 * differ (another jump) cannot be united position by position: the larger field is kept, marked inexact.
 */
export function mergeRf(sources: readonly RfState[]): RfState | undefined {
  if (sources.length === 0) return undefined;
  const first = sources[0]!;
  if (sources.every((s) => s === first)) return first;
  const n = first.axes.length;
  if (sources.some((s) => s.axes.length !== n)) return undefined;
  let exact = sources.every((s) => s.exact);
  const axes = Array.from({ length: n }, (_, i) => {
    const fields = sources.map((s) => s.axes[i]!);
    const united = mergeAxisFields(fields);
    if (united) return united;
    exact = false;
    return fields.reduce((best, f) => (summarizeAxisField(f).size > summarizeAxisField(best).size ? f : best));
  });
  return { axes, exact };
}

/** A module's output tensor, or the first of a tuple (RNNs, pooling with indices). */
function firstTensor(v: Value): TensorValue | undefined {
  return v.kind === 'tensor' ? v : v.kind === 'tuple' && v.items[0]?.kind === 'tensor' ? v.items[0] : undefined;
}

/** Equal tensors stacked along a new first axis (einops' list input); Unknown when they differ. */
function stackedTensor(items: readonly Value[]): Value {
  const first = items[0];
  if (first?.kind !== 'tensor' || !first.shape) return unknown('a list of tensors of unknown shapes');
  const shape = first.shape;
  const same = items.every((t) => t.kind === 'tensor' && t.shape !== null && t.shape.length === shape.length && t.shape.every((d, i) => dims.equal(d, shape[i]!) === true));
  return same ? tensor([items.length, ...shape], first.dtype) : unknown('a list of tensors of different shapes');
}

/** The tensors of a value: itself, or a tuple's or list's items (one level deep and nested). */
function tensorItems(v: Value): TensorValue[] {
  if (v.kind === 'tensor') return [v];
  if (v.kind === 'tuple' || v.kind === 'list') return v.items.flatMap(tensorItems);
  return [];
}

/** The releases that have a catalogue entry `module.name` (a layer, an op, a runtime function); undefined when the catalogue does not know it. */
function catalogueAvailability(module: string, name: string): Availability | undefined {
  return module === 'torch.nn' || module === 'torch.nn.modules'
    ? lookupLayer(name)
    : module === 'torch.nn.functional'
      ? lookupOp(`torch.nn.functional.${name}`)
      : module === 'torch'
        ? (lookupOp(`torch.${name}`) ?? RUNTIME_AVAILABILITY[`torch.${name}`])
        : undefined;
}
