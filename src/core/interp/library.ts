// The training-side libraries as the interpreter models them: optimizers, LR schedulers, AMP scalers and
// autocast, data loaders, datasets, torchvision transforms, distributed autograd, and argparse. Their
// objects carry what the code gave them (the parameters an optimizer owns, a loader's batch size, a
// Compose's transforms, an argument's default) and their methods do nothing, so the code around them
// runs and the checks can read these facts from the values.
import type { Range } from '../values';
import { NONE, bool, float, int, str, unknown } from '../values';
import type { BuiltinV, CallArgs, ClassV, DictV, NamespaceV, ObjectV, Value } from './values';
import { NO_KEYWORDS, NO_POSITIONAL, builtin, keyOf, listV, namespaceV, objectV, tupleV } from './values';
import type { Interpreter } from './interpreter';
import { nativeClass, staticNamespace } from './builtins';
import { LazyModules, once } from './lazy';

export type LibraryKind =
  | 'optimizer'
  | 'scheduler'
  | 'scaler'
  | 'autocast'
  | 'loader'
  | 'dataset'
  | 'sampler'
  | 'transform'
  | 'compose'
  | 'dist-autograd-context'
  | 'argparser'
  | 'args'
  | 'object';

export interface LibraryClassInfo {
  readonly kind: LibraryKind;
  /** The qualified name code uses: `torch.optim.Adam`, `torchvision.transforms.RandomCrop`. */
  readonly qualifiedName: string;
  readonly name: string;
}

export interface LibraryObjectInfo extends LibraryClassInfo {
  /** The constructor's arguments bound to their names (positional ones by the signature). */
  readonly args: ReadonlyMap<string, Value>;
  readonly constructedAt: { readonly file: string; readonly range: Range };
}

// Side tables keyed by the values themselves: the interpreter's value types stay as they are.
const classInfo = new WeakMap<ClassV, LibraryClassInfo>();
const objectInfo = new WeakMap<ObjectV, LibraryObjectInfo>();
const likelyValues = new WeakMap<object, Value>();

export const libraryClassOf = (v: Value | undefined): LibraryClassInfo | undefined => (v?.kind === 'class' ? classInfo.get(v) : undefined);
export const libraryObjectOf = (v: Value | undefined): LibraryObjectInfo | undefined => (v?.kind === 'object' ? objectInfo.get(v) : undefined);
/** The value an unknown most likely has (an argparse default), for messages and value checks, never for control flow. */
export const likelyValueOf = (v: Value | undefined): Value | undefined => (v && typeof v === 'object' ? likelyValues.get(v) : undefined);

/** Positional parameter names after `params` of the optimizers PyTorch ships (torch/optim/*.py). */
const OPTIMIZERS: Readonly<Record<string, readonly string[]>> = {
  SGD: ['params', 'lr', 'momentum', 'dampening', 'weight_decay', 'nesterov'],
  Adam: ['params', 'lr', 'betas', 'eps', 'weight_decay', 'amsgrad'],
  AdamW: ['params', 'lr', 'betas', 'eps', 'weight_decay', 'amsgrad'],
  Adamax: ['params', 'lr', 'betas', 'eps', 'weight_decay'],
  NAdam: ['params', 'lr', 'betas', 'eps', 'weight_decay', 'momentum_decay'],
  RAdam: ['params', 'lr', 'betas', 'eps', 'weight_decay'],
  SparseAdam: ['params', 'lr', 'betas', 'eps'],
  RMSprop: ['params', 'lr', 'alpha', 'eps', 'weight_decay', 'momentum', 'centered'],
  Adagrad: ['params', 'lr', 'lr_decay', 'weight_decay', 'initial_accumulator_value', 'eps'],
  Adadelta: ['params', 'lr', 'rho', 'eps', 'weight_decay'],
  ASGD: ['params', 'lr', 'lambd', 'alpha', 't0', 'weight_decay'],
  LBFGS: ['params', 'lr', 'max_iter', 'max_eval', 'tolerance_grad', 'tolerance_change', 'history_size', 'line_search_fn'],
  Rprop: ['params', 'lr', 'etas', 'step_sizes'],
};

/** LR schedulers: all take the optimizer first; which ones step per batch by design. */
const SCHEDULERS: Readonly<Record<string, readonly string[]>> = {
  StepLR: ['optimizer', 'step_size', 'gamma'],
  MultiStepLR: ['optimizer', 'milestones', 'gamma'],
  ExponentialLR: ['optimizer', 'gamma'],
  CosineAnnealingLR: ['optimizer', 'T_max', 'eta_min'],
  CosineAnnealingWarmRestarts: ['optimizer', 'T_0', 'T_mult', 'eta_min'],
  ReduceLROnPlateau: ['optimizer', 'mode', 'factor', 'patience'],
  LambdaLR: ['optimizer', 'lr_lambda'],
  MultiplicativeLR: ['optimizer', 'lr_lambda'],
  LinearLR: ['optimizer', 'start_factor', 'end_factor', 'total_iters'],
  ConstantLR: ['optimizer', 'factor', 'total_iters'],
  PolynomialLR: ['optimizer', 'total_iters', 'power'],
  SequentialLR: ['optimizer', 'schedulers', 'milestones'],
  ChainedScheduler: ['schedulers'],
  OneCycleLR: ['optimizer', 'max_lr', 'total_steps', 'epochs', 'steps_per_epoch'],
  CyclicLR: ['optimizer', 'base_lr', 'max_lr', 'step_size_up'],
};

const LOADER_PARAMS = ['dataset', 'batch_size', 'shuffle', 'sampler', 'batch_sampler', 'num_workers', 'collate_fn', 'pin_memory', 'drop_last'];
/** torchvision datasets: (root, train/split, transform, target_transform, download) in their common order. */
const DATASET_PARAMS: Readonly<Record<string, readonly string[]>> = {
  ImageFolder: ['root', 'transform', 'target_transform'],
  DatasetFolder: ['root', 'loader', 'extensions', 'transform', 'target_transform'],
  CIFAR10: ['root', 'train', 'transform', 'target_transform', 'download'],
  CIFAR100: ['root', 'train', 'transform', 'target_transform', 'download'],
  MNIST: ['root', 'train', 'transform', 'target_transform', 'download'],
  FashionMNIST: ['root', 'train', 'transform', 'target_transform', 'download'],
  KMNIST: ['root', 'train', 'transform', 'target_transform', 'download'],
  EMNIST: ['root', 'split', 'train', 'transform', 'target_transform', 'download'],
  SVHN: ['root', 'split', 'transform', 'target_transform', 'download'],
  STL10: ['root', 'split', 'folds', 'transform', 'target_transform', 'download'],
  ImageNet: ['root', 'split', 'transform', 'target_transform'],
  CelebA: ['root', 'split', 'target_type', 'transform', 'target_transform', 'download'],
  VOCSegmentation: ['root', 'year', 'image_set', 'download', 'transform', 'target_transform', 'transforms'],
  CocoDetection: ['root', 'annFile', 'transform', 'target_transform', 'transforms'],
  TensorDataset: ['tensors'],
};
const TRANSFORM_FIRST_PARAM: Readonly<Record<string, string>> = { Compose: 'transforms', Normalize: 'mean', Resize: 'size', CenterCrop: 'size', RandomCrop: 'size', RandomResizedCrop: 'size', Lambda: 'lambd' };

function bindNames(names: readonly string[], a: CallArgs): Map<string, Value> {
  const out = new Map<string, Value>();
  a.positional.forEach((v, i) => out.set(names[i] ?? `arg${i}`, v));
  for (const [k, v] of a.keywords) out.set(k, v);
  return out;
}

/** The modules the library models: `torch.optim` and friends resolve here. */
const LIBRARY_MODULES = [
  'torch.optim',
  'torch.optim.lr_scheduler',
  'torch.cuda.amp',
  'torch.amp',
  'torch.cpu.amp',
  'torch.utils.data',
  'torch.utils.data.distributed',
  'torch.utils.data.dataloader',
  'torchvision.transforms',
  'torchvision.datasets',
  'torch.distributed',
  'torch.distributed.autograd',
  'torch.distributed.optim',
  'argparse',
] as const;
type LibraryModule = (typeof LIBRARY_MODULES)[number];

/**
 * The library namespaces of one interpreter, each built when an import first asks for it (a model file's
 * `from torch.utils.data import DataLoader` builds DataLoader's class, not every optimizer, scheduler, scaler and
 * argparse class: each model run of an editor analysis has its own interpreter). Classes two namespaces share
 * (DataLoader) are built once.
 */
export function createLibrary(interp: Interpreter): LazyModules {
  const builders = once(() => libraryBuilders(interp));
  return new LazyModules(LIBRARY_MODULES.map((name) => [name, () => builders()[name]()] as const));
}

/**
 * A namespace whose named entries are each built when first read, then kept (later reads get the same value); its
 * names are those of the entries, as a static namespace's.
 */
function lazyNamespace(name: string, entries: Readonly<Record<string, () => Value>>, fallback?: (n: string) => Value | undefined): NamespaceV {
  const builders = new Map(Object.entries(entries).map(([n, build]) => [n, once(build)] as const));
  return namespaceV({ name, get: (n) => builders.get(n)?.() ?? fallback?.(n), names: () => [...builders.keys()] });
}

function libraryBuilders(interp: Interpreter): Record<LibraryModule, () => NamespaceV> {
  const objectClass = (): ClassV => interp.objectClass;

  const makeObject = (cls: ClassV, info: LibraryClassInfo, args: Map<string, Value>, range: Range): ObjectV => {
    const obj = objectV(cls, new Map(), interp.newId());
    objectInfo.set(obj, { ...info, args, constructedAt: { file: interp.currentFile, range } });
    return obj;
  };

  /** A class whose instances record their arguments; `init` fills attributes, `methods` are its API. */
  const libraryClass = (
    qualifiedName: string,
    kind: LibraryKind,
    params: readonly string[],
    methods: Record<string, (self: ObjectV, a: CallArgs, range: Range) => Value> = {},
    init?: (self: ObjectV, args: Map<string, Value>, range: Range) => void,
  ): ClassV => {
    const name = qualifiedName.slice(qualifiedName.lastIndexOf('.') + 1);
    const info: LibraryClassInfo = { kind, qualifiedName, name };
    const attrs: [string, Value][] = Object.entries(methods).map(([m, fn]) => [
      m,
      builtin(`${qualifiedName}.${m}`, (a, range) => {
        const self = a.positional[0];
        return self?.kind === 'object' ? fn(self, { positional: a.positional.slice(1), keywords: a.keywords }, range) : unknown(`${qualifiedName}.${m} without an instance`, range);
      }),
    ]);
    const cls = nativeClass(name, 'library', attrs, [objectClass()]);
    classInfo.set(cls, info);
    // Constructed natively: the interpreter calls `__init__` on a fresh object, which this replaces.
    cls.attrs.set('__native_new__', builtin(`${qualifiedName}()`, (a, range) => {
      const args = bindNames(params, a);
      const obj = makeObject(cls, info, args, range);
      init?.(obj, args, range);
      return obj;
    }));
    return cls;
  };

  // -------------------------------------------------------------------------------------------------
  // torch.optim

  const paramGroupsOf = (params: Value | undefined, hyper: Map<string, Value>, range: Range): Value => {
    const items = params ? interp.iterate(params, range) : undefined;
    const defaults = [...hyper].filter(([k]) => k !== 'params');
    const group = (ps: Value): DictV => dictOf([['params', ps], ...defaults]);
    if (!items) return listV([group(params ?? unknown('parameters of an unknown model', range))]);
    // A list of dicts is a list of parameter groups; anything else is one group of tensors.
    if (items.length > 0 && items.every((i) => i.kind === 'dict')) return listV(items.map((g) => (g.kind === 'dict' ? dictOf([...defaults, ...dictEntries(g)]) : g)));
    return listV([group(listV(items))]);
  };
  const optimizerMethods = {
    zero_grad: () => NONE,
    // `step(closure)` evaluates the closure (LBFGS and friends zero the gradients there).
    step: (_self: ObjectV, a: CallArgs, range: Range) => {
      const closure = a.positional[0] ?? a.keywords.get('closure');
      return closure && closure.kind !== 'none' ? interp.call(closure, { positional: NO_POSITIONAL, keywords: NO_KEYWORDS }, range) : NONE;
    },
    add_param_group: (self: ObjectV, a: CallArgs, range: Range) => {
      const groups = self.attrs.get('param_groups');
      const g = a.positional[0];
      if (groups?.kind === 'list' && g) groups.items.push(g);
      else interp.noteUnknown('add_param_group on unknown groups', range);
      return NONE;
    },
    state_dict: (_s: ObjectV, _a: CallArgs, range: Range) => unknown('optimizer state', range),
    load_state_dict: () => NONE,
  };
  const optimizer = (qualified: string, params: readonly string[]): ClassV =>
    libraryClass(qualified, 'optimizer', params, optimizerMethods, (self, args, range) => {
      self.attrs.set('param_groups', paramGroupsOf(args.get('params'), args, range));
      self.attrs.set('defaults', dictOf([...args].filter(([k]) => k !== 'params')));
      self.attrs.set('state', { kind: 'dict', entries: new Map() });
    });

  const schedulerMethods = {
    step: () => NONE,
    get_last_lr: (_s: ObjectV, _a: CallArgs, range: Range) => unknown('learning rates', range),
    state_dict: (_s: ObjectV, _a: CallArgs, range: Range) => unknown('scheduler state', range),
    load_state_dict: () => NONE,
  };
  const scheduler = (qualified: string, params: readonly string[]): ClassV =>
    libraryClass(qualified, 'scheduler', params, schedulerMethods, (self, args) => {
      const opt = args.get('optimizer');
      if (opt) self.attrs.set('optimizer', opt);
    });
  const schedulerNs = once(() => classNamespace('torch.optim.lr_scheduler', SCHEDULERS, (n, p) => scheduler(`torch.optim.lr_scheduler.${n}`, p), (n) => scheduler(`torch.optim.lr_scheduler.${n}`, ['optimizer'])).ns);
  const optimNs = once(() => {
    const optim = classNamespace('torch.optim', OPTIMIZERS, (n, p) => optimizer(`torch.optim.${n}`, p), (n) => optimizer(`torch.optim.${n}`, ['params', 'lr']));
    optim.extra.set('lr_scheduler', schedulerNs());
    optim.extra.set('Optimizer', optimizer('torch.optim.Optimizer', ['params', 'defaults']));
    return optim.ns;
  });

  // -------------------------------------------------------------------------------------------------
  // AMP: GradScaler (scale returns its input), autocast (a context manager and decorator).

  const scalerClass = (qualified: string): ClassV =>
    libraryClass(qualified, 'scaler', ['init_scale', 'growth_factor', 'backoff_factor', 'growth_interval', 'enabled'], {
      scale: (_s, a) => a.positional[0] ?? NONE,
      step: (_s, a, range) => {
        const opt = a.positional[0];
        const step = opt?.kind === 'object' ? interp.getAttr(opt, 'step', range, true) : undefined;
        return step && step.kind !== 'unknown' ? interp.call(step, { positional: a.positional.slice(1), keywords: a.keywords }, range) : NONE;
      },
      unscale_: () => NONE,
      update: () => NONE,
      get_scale: () => float(65536),
      is_enabled: (self) => likely(bool(true), self),
      state_dict: (_s, _a, range) => unknown('scaler state', range),
      load_state_dict: () => NONE,
    });
  const autocastClass = (qualified: string): ClassV => {
    const cls = libraryClass(qualified, 'autocast', ['device_type', 'dtype', 'enabled'], {
      __enter__: () => NONE,
      __exit__: () => bool(false),
      __call__: (_s, a) => a.positional[0] ?? NONE,
    });
    return cls;
  };
  const cudaAmp = (): NamespaceV => staticNamespace('torch.cuda.amp', { GradScaler: scalerClass('torch.cuda.amp.GradScaler'), autocast: autocastClass('torch.cuda.amp.autocast') });
  const torchAmp = (): NamespaceV => staticNamespace('torch.amp', { GradScaler: scalerClass('torch.amp.GradScaler'), autocast: autocastClass('torch.amp.autocast') });
  const cpuAmp = (): NamespaceV => staticNamespace('torch.cpu.amp', { autocast: autocastClass('torch.cpu.amp.autocast') });

  // -------------------------------------------------------------------------------------------------
  // torch.utils.data

  const loader = once(() =>
    libraryClass('torch.utils.data.DataLoader', 'loader', LOADER_PARAMS, {
      __len__: (_s, _a, range) => unknown('len() of a DataLoader', range),
    }, (self, args) => {
      for (const [k, v] of args) self.attrs.set(k, v);
      if (!args.has('batch_size')) self.attrs.set('batch_size', int(1));
      if (!args.has('drop_last')) self.attrs.set('drop_last', bool(false));
    }),
  );
  const dataset = (qualified: string, params: readonly string[]): ClassV =>
    libraryClass(qualified, 'dataset', params, {
      __len__: (_s, _a, range) => unknown('len() of a dataset', range),
      __getitem__: (_s, _a, range) => unknown('a dataset item', range),
    }, (self, args) => {
      for (const [k, v] of args) self.attrs.set(k, v);
      if (params.includes('train') && !args.has('train')) self.attrs.set('train', bool(true));
    });
  const sampler = (qualified: string): ClassV => libraryClass(qualified, 'sampler', ['data_source'], { set_epoch: () => NONE });
  const distributedDataNs = once(() => staticNamespace('torch.utils.data.distributed', { DistributedSampler: sampler('torch.utils.data.distributed.DistributedSampler') }));
  const dataLoaderNs = once(() => staticNamespace('torch.utils.data.dataloader', { DataLoader: loader(), default_collate: builtin('default_collate', (_a, range) => unknown('a collated batch', range)) }));
  const dataNs = (): NamespaceV =>
    lazyNamespace('torch.utils.data', {
      DataLoader: loader,
      TensorDataset: () => dataset('torch.utils.data.TensorDataset', ['tensors']),
      Subset: () => dataset('torch.utils.data.Subset', ['dataset', 'indices']),
      ConcatDataset: () => dataset('torch.utils.data.ConcatDataset', ['datasets']),
      random_split: () => builtin('random_split', (_a, range) => unknown('random_split() parts', range)),
      RandomSampler: () => sampler('torch.utils.data.RandomSampler'),
      SequentialSampler: () => sampler('torch.utils.data.SequentialSampler'),
      default_collate: () => builtin('default_collate', (_a, range) => unknown('a collated batch', range)),
      get_worker_info: () => builtin('get_worker_info', () => NONE),
    }, (n) => (n === 'distributed' ? distributedDataNs() : n === 'Dataset' || n === 'IterableDataset' || n === 'Sampler' ? objectClass() : n === 'dataloader' ? dataLoaderNs() : undefined));

  // -------------------------------------------------------------------------------------------------
  // torchvision.transforms and torchvision.datasets

  const transformClass = (name: string): ClassV =>
    libraryClass(`torchvision.transforms.${name}`, name === 'Compose' ? 'compose' : 'transform', [TRANSFORM_FIRST_PARAM[name] ?? 'arg0'], {
      __call__: (_s, _a, range) => unknown(`the output of transforms.${name}`, range),
    }, (self, args) => {
      for (const [k, v] of args) self.attrs.set(k, v);
    });
  const transformCache = new Map<string, ClassV>();
  const transformsNs = (): NamespaceV => staticNamespace('torchvision.transforms', {}, (n) => {
    if (!/^[A-Z]/.test(n)) return n === 'functional' ? staticNamespace('torchvision.transforms.functional', {}, (f) => (f === 'InterpolationMode' ? interpolationMode : builtin(f, (_a, range) => unknown(`transforms.functional.${f}()`, range)))) : n === 'InterpolationMode' ? interpolationMode : undefined;
    if (n === 'InterpolationMode') return interpolationMode;
    let cls = transformCache.get(n);
    if (!cls) transformCache.set(n, (cls = transformClass(n)));
    return cls;
  });
  const interpolationMode = staticNamespace('InterpolationMode', {}, (n) => str(n.toLowerCase()));
  const datasetCache = new Map<string, ClassV>();
  const datasetsNs = (): NamespaceV => staticNamespace('torchvision.datasets', {}, (n) => {
    if (!/^[A-Z]/.test(n)) return undefined;
    let cls = datasetCache.get(n);
    if (!cls) datasetCache.set(n, (cls = dataset(`torchvision.datasets.${n}`, DATASET_PARAMS[n] ?? ['root', 'transform'])));
    return cls;
  });

  // -------------------------------------------------------------------------------------------------
  // torch.distributed: distributed autograd keeps gradients per context, so no zero_grad is needed.

  const distContext = (): ClassV =>
    libraryClass('torch.distributed.autograd.context', 'dist-autograd-context', [], {
      __enter__: (_s, _a, range) => unknown('a distributed autograd context id', range),
      __exit__: () => bool(false),
    });
  const distAutograd = once(() => staticNamespace('torch.distributed.autograd', {
    context: distContext(),
    backward: builtin('torch.distributed.autograd.backward', () => NONE),
    get_gradients: builtin('get_gradients', (_a, range) => unknown('distributed gradients', range)),
  }));
  const distOptim = once(() => staticNamespace('torch.distributed.optim', {
    DistributedOptimizer: libraryClass('torch.distributed.optim.DistributedOptimizer', 'optimizer', ['optimizer_class', 'params_rref'], optimizerMethods),
    ZeroRedundancyOptimizer: optimizer('torch.distributed.optim.ZeroRedundancyOptimizer', ['params', 'optimizer_class']),
  }, () => undefined));
  const distributed = (): NamespaceV => staticNamespace('torch.distributed', { autograd: distAutograd(), optim: distOptim() }, (n) => builtin(`torch.distributed.${n}`, (_a, range) => unknown(`torch.distributed.${n}()`, range)));

  // -------------------------------------------------------------------------------------------------
  // argparse: parse_args() gives a namespace whose values are unknown (any command line may set them),
  // each remembering its default.

  const argparseNs = (): NamespaceV => createArgparse(interp, libraryClass);

  return {
    'torch.optim': optimNs,
    'torch.optim.lr_scheduler': schedulerNs,
    'torch.cuda.amp': cudaAmp,
    'torch.amp': torchAmp,
    'torch.cpu.amp': cpuAmp,
    'torch.utils.data': dataNs,
    'torch.utils.data.distributed': distributedDataNs,
    'torch.utils.data.dataloader': dataLoaderNs,
    'torchvision.transforms': transformsNs,
    'torchvision.datasets': datasetsNs,
    'torch.distributed': distributed,
    'torch.distributed.autograd': distAutograd,
    'torch.distributed.optim': distOptim,
    'argparse': argparseNs,
  };
}

/** A namespace of library classes from a signature table, with a fallback for names the table lacks. */
function classNamespace(
  name: string,
  table: Readonly<Record<string, readonly string[]>>,
  make: (n: string, params: readonly string[]) => ClassV,
  fallback: (n: string) => ClassV,
): { ns: NamespaceV; extra: Map<string, Value> } {
  const cache = new Map<string, Value>();
  const extra = new Map<string, Value>();
  const ns = staticNamespace(name, {}, (n) => {
    const e = extra.get(n);
    if (e) return e;
    if (!/^[A-Z]/.test(n)) return undefined;
    let v = cache.get(n);
    if (!v) cache.set(n, (v = table[n] ? make(n, table[n]!) : fallback(n)));
    return v;
  });
  return { ns, extra };
}

function dictOf(pairs: readonly [string, Value][]): DictV {
  return { kind: 'dict', entries: new Map(pairs.map(([k, v]) => [keyOf(str(k)), { key: str(k), value: v }])) };
}

function dictEntries(d: DictV): [string, Value][] {
  return [...d.entries.values()].filter((e) => e.key.kind === 'str').map((e) => [(e.key as { value: string }).value, e.value]);
}

function likely(v: Value, _self: ObjectV): Value {
  return v;
}

type LibraryClassFactory = (
  qualifiedName: string,
  kind: LibraryKind,
  params: readonly string[],
  methods?: Record<string, (self: ObjectV, a: CallArgs, range: Range) => Value>,
  init?: (self: ObjectV, args: Map<string, Value>, range: Range) => void,
) => ClassV;

function createArgparse(interp: Interpreter, libraryClass: LibraryClassFactory): NamespaceV {
  /** Every argument added to a parser (groups share their parser's list). */
  const declared = new WeakMap<ObjectV, { dest: string; default: Value }[]>();
  const argsOf = (parser: ObjectV): { dest: string; default: Value }[] => {
    let list = declared.get(parser);
    if (!list) declared.set(parser, (list = []));
    return list;
  };
  const destOf = (a: CallArgs): string | undefined => {
    const dest = a.keywords.get('dest');
    if (dest?.kind === 'str') return dest.value;
    const flags = a.positional.filter((v): v is Extract<Value, { kind: 'str' }> => v.kind === 'str').map((v) => v.value);
    const long = flags.find((f) => f.startsWith('--')) ?? flags.find((f) => f.startsWith('-')) ?? flags[0];
    return long?.replace(/^-+/, '').replace(/-/g, '_');
  };
  const defaultOf = (a: CallArgs): Value => {
    const d = a.keywords.get('default');
    if (d) return d;
    const action = a.keywords.get('action');
    if (action?.kind === 'str' && action.value === 'store_true') return bool(false);
    if (action?.kind === 'str' && action.value === 'store_false') return bool(true);
    return NONE;
  };
  const namespaceOf = (parser: ObjectV, range: Range): ObjectV => {
    const ns = objectV(interp.objectClass, new Map(), interp.newId());
    for (const arg of argsOf(parser)) {
      const value = unknown(`command-line argument ${arg.dest} (default ${describeDefault(arg.default)})`, range);
      likelyValues.set(value, arg.default);
      ns.attrs.set(arg.dest, value);
    }
    return ns;
  };
  let parserClass: ClassV;
  const methods: Record<string, (self: ObjectV, a: CallArgs, range: Range) => Value> = {
    add_argument: (self, a) => {
      const dest = destOf(a);
      if (dest) argsOf(self).push({ dest, default: defaultOf(a) });
      return NONE;
    },
    add_argument_group: (self) => self,
    add_mutually_exclusive_group: (self) => self,
    set_defaults: (self, a) => {
      for (const [k, v] of a.keywords) argsOf(self).push({ dest: k, default: v });
      return NONE;
    },
    parse_args: (self, _a, range) => namespaceOf(self, range),
    parse_known_args: (self, _a, range) => tupleV([namespaceOf(self, range), listV([])]),
    print_help: () => NONE,
    error: (_s, _a, range) => unknown('argparse error', range),
  };
  // eslint-disable-next-line prefer-const
  parserClass = libraryClass('argparse.ArgumentParser', 'argparser', ['prog', 'usage', 'description'], methods);
  const namespaceClass = builtin('Namespace', (a) => objectV(interp.objectClass, new Map(a.keywords), interp.newId()));
  return staticNamespace('argparse', {
    ArgumentParser: parserClass,
    Namespace: namespaceClass,
    ArgumentDefaultsHelpFormatter: interp.objectClass,
    RawTextHelpFormatter: interp.objectClass,
    RawDescriptionHelpFormatter: interp.objectClass,
    SUPPRESS: str('==SUPPRESS=='),
  });
}

function describeDefault(v: Value): string {
  switch (v.kind) {
    case 'int':
      return typeof v.value === 'number' ? String(v.value) : '?';
    case 'float':
      return String(v.value);
    case 'str':
      return `'${v.value}'`;
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'none':
      return 'None';
    default:
      return v.kind;
  }
}

export type { BuiltinV };
