// The interpreter's values: the catalogue's plain data values plus what Python code manipulates
// (functions, classes, objects, dicts, namespaces, slices, ranges, bound methods).
import type { Dim } from '../dims/dims';
import type {
  BoolValue, FloatValue, IntValue, NoneValue, Range, StrValue, TensorValue, UnknownValue,
} from '../values';
import { EMPTY_LIST, type FunctionDef, type Param, type Stmt, type Expr } from '../python/ast';
import type { LayerEntry, InitSpec } from '../frameworks/types';

export interface TupleV { readonly kind: 'tuple'; readonly items: readonly Value[]; readonly namedtuple?: 'PackedSequence' }
export interface ListV { readonly kind: 'list'; items: Value[] }
export interface DictV {
  readonly kind: 'dict';
  readonly entries: Map<string, { key: Value; value: Value }>;
  /** A defaultdict's factory: reading a missing key stores and returns its result. */
  readonly defaultFactory?: Value;
}
export interface SliceV { readonly kind: 'slice'; readonly start: Value; readonly stop: Value; readonly step: Value }
export interface RangeV { readonly kind: 'range'; readonly start: number; readonly stop: number; readonly step: number }

/** Keyword and positional arguments of one call, evaluated. */
export interface CallArgs {
  readonly positional: readonly Value[];
  readonly keywords: ReadonlyMap<string, Value>;
}

/**
 * The keywords of a call that passes none, shared by every such call: most calls pass none, and the checks'
 * facts keep each call's arguments for the whole file, so one map per call was a large part of what the
 * garbage collector copied. Read-only (CallArgs.keywords is a ReadonlyMap).
 */
export const NO_KEYWORDS: ReadonlyMap<string, Value> = new Map<string, Value>();

/**
 * The positional arguments of a call that passes none, shared by every such call. It is the syntax tree's empty
 * list (python/ast.ts), whose V8 elements kind is that of a list of values: a literal `[]` has another, and the
 * first call without arguments deoptimised the methods that read arguments (`construct`'s `[obj, ...positional]`).
 */
export const NO_POSITIONAL: readonly Value[] = EMPTY_LIST;

export interface Scope {
  readonly vars: Map<string, Value>;
  readonly parent?: Scope;
  /** Module globals (the scope `global` names refer to). */
  readonly globals: Scope;
  readonly kind: 'module' | 'class' | 'function';
  readonly globalNames?: Set<string>;
  readonly file: string;
}

/** A function's default values: `has` answers without computing, `get` computes a deferred default once. */
export interface FunctionDefaults {
  has(name: string): boolean;
  get(name: string): Value | undefined;
  /** The defaults computed so far, without computing the others (a Map of them has its own `values`). */
  known?(): Iterable<Value>;
}

export interface FunctionV {
  readonly kind: 'function';
  readonly name: string;
  readonly params: readonly Param[];
  /** Default values by parameter name; one whose expression needs an unloaded import is computed on first use. */
  readonly defaults: FunctionDefaults;
  readonly body: readonly Stmt[] | Expr;
  readonly closure: Scope;
  readonly def?: FunctionDef;
  readonly isGenerator: boolean;
  /** The class whose body defined it (for zero-argument `super()`). */
  definingClass?: ClassV;
  readonly r: Range;
}

/**
 * A function made by a `def` or a `lambda`. A def's body is read from the definition when it runs (a stored
 * parse reads a body on first use: src/node/storedParse.ts), through a getter on the class: a getter written in an
 * object literal made each function a slow dictionary object (~1 us to make, several times slower to read), and
 * a module's functions are made again by every run of the module. A lambda is the same class (its body an
 * expression), so every function value has one hidden class and the interpreter's reads of them stay monomorphic.
 */
export class DefinedFunction implements FunctionV {
  readonly kind = 'function';
  definingClass?: ClassV;
  constructor(
    readonly name: string,
    readonly params: readonly Param[],
    readonly defaults: FunctionDefaults,
    readonly closure: Scope,
    readonly def: FunctionDef | undefined,
    readonly isGenerator: boolean,
    readonly r: Range,
    /** A lambda's body. */
    private readonly expression: Expr | undefined = undefined,
  ) {}

  get body(): readonly Stmt[] | Expr {
    return this.expression ?? this.def!.body;
  }
}

/** A function implemented in TypeScript. */
export interface BuiltinV {
  readonly kind: 'builtin';
  readonly name: string;
  readonly call: (args: CallArgs, range: Range) => Value;
  /** Attributes of the function itself (`itertools.chain.from_iterable`). */
  readonly attrs?: Readonly<Record<string, Value>>;
}

export interface ClassV {
  readonly kind: 'class';
  readonly name: string;
  readonly bases: readonly ClassV[];
  readonly attrs: Map<string, Value>;
  mro: readonly ClassV[];
  /** A built-in nn layer from the catalogue. */
  readonly layer?: LayerEntry<unknown>;
  /** Built-in classes constructed natively (object, nn.Module, containers, Enum, ...). */
  readonly native?: string;
  /** The file and range where a user class is defined. */
  readonly file?: string;
  readonly r?: Range;
  dataclassFields?: readonly { readonly name: string; readonly default?: Value }[];
  /** Decorated with @dataclass (its generated __init__ takes the fields). */
  isDataclass?: boolean;
  /** Enum members by name, in definition order. */
  enumMembers?: Map<string, ObjectV>;
}

export interface ParamInfo {
  readonly name: string;
  readonly shape: readonly Dim[] | null;
  readonly tensor: TensorValue;
  init: InitSpec;
  /** Where an `nn.init.*` call (or `.data.normal_()`) replaced the default init. */
  initOverride?: { readonly fn: string; readonly range: Range };
  trainable: boolean;
  readonly buffer: boolean;
  /** Registered on one side of a condition the analysis could not decide: the condition's text. */
  onlyIf?: string;
}

export interface ModuleState {
  readonly children: Map<string, ObjectV | null>;
  readonly params: Map<string, ParamInfo>;
  training: boolean;
  /** Set for built-in catalogue layers after construction. */
  layerConfig?: unknown;
  /** Why a built-in layer could not be configured (its calls then give Unknown). */
  layerError?: string;
  constructedAt?: { readonly file: string; readonly range: Range };
  /** Bound constructor arguments of a built-in layer (for attributes like `m.out_channels`). */
  ctorArgs?: ReadonlyMap<string, Value>;
  /** The module exists on one side of a condition the analysis could not decide: the condition's text. */
  onlyIf?: string;
}

export interface ObjectV {
  readonly kind: 'object';
  readonly cls: ClassV;
  readonly attrs: Map<string, Value>;
  /** Present for nn.Module instances. */
  module?: ModuleState;
  readonly id: number;
}

/** A Python module or built-in namespace; `get` resolves attributes lazily. */
export interface NamespaceV {
  readonly kind: 'namespace';
  readonly name: string;
  readonly get: (name: string) => Value | undefined;
  readonly set?: (name: string, value: Value) => void;
  readonly names?: () => string[];
  /** Whether names() lists every name the namespace has (a file's module, a catalogue namespace), so dir() may answer. */
  readonly complete?: boolean;
  /** A name a module-level import bound without loading its module yet: the loader, not the value. */
  readonly pending?: (name: string) => (() => Value | undefined) | undefined;
  /** A file's module: its scope (read by a kept session's check of what its module level left, keptSession.ts). */
  readonly scope?: Scope;
}

export interface MethodV {
  readonly kind: 'method';
  readonly self: Value;
  readonly fn: FunctionV | BuiltinV;
}

export interface DescriptorV {
  readonly kind: 'descriptor';
  readonly type: 'property' | 'staticmethod' | 'classmethod';
  readonly fn: Value;
  /** A property's setter (`@x.setter`). */
  readonly setter?: Value;
}

/** `super()` bound to a class position in the MRO of `self`. */
export interface SuperV {
  readonly kind: 'super';
  readonly self: Value;
  readonly after: ClassV;
}

export type Value =
  | NoneValue
  | BoolValue
  | IntValue
  | FloatValue
  | StrValue
  | TupleV
  | ListV
  | TensorValue
  | UnknownValue
  | DictV
  | SliceV
  | RangeV
  | FunctionV
  | BuiltinV
  | ClassV
  | ObjectV
  | NamespaceV
  | MethodV
  | DescriptorV
  | SuperV;

export const tupleV = (items: readonly Value[]): TupleV => ({ kind: 'tuple', items });
export const listV = (items: Value[]): ListV => ({ kind: 'list', items });
export const builtin = (name: string, call: BuiltinV['call']): BuiltinV => ({ kind: 'builtin', name, call });

// The factories below give every value of a kind all of its fields, in one order, from the start: V8 then keeps one
// hidden class per kind, and the interpreter's reads of a class, an object, a scope or a namespace stay monomorphic.
// With fields left out or added later, the editor's files and torchvision's made different hidden classes, and the
// first summary of a torchvision model deoptimised the interpreter's core methods (execStmt, getAttr, callFunction,
// construct, ...), which V8 then ran unoptimised through the next summaries.

/** A class value; `mro` is set by the caller once the class exists (it starts with the class itself). */
export function classV(fields: {
  readonly name: string;
  readonly bases: readonly ClassV[];
  readonly attrs: Map<string, Value>;
  readonly layer?: LayerEntry<unknown>;
  readonly native?: string;
  readonly file?: string;
  readonly r?: Range;
}): ClassV {
  return {
    kind: 'class',
    name: fields.name,
    bases: fields.bases,
    attrs: fields.attrs,
    mro: [],
    layer: fields.layer,
    native: fields.native,
    file: fields.file,
    r: fields.r,
    dataclassFields: undefined,
    isDataclass: undefined,
    enumMembers: undefined,
  };
}

/** An instance; `module` is set for nn.Module instances. */
export function objectV(cls: ClassV, attrs: Map<string, Value>, id: number, module?: ModuleState): ObjectV {
  return { kind: 'object', cls, attrs, module, id };
}

/** A scope: a module's is its own `globals` (set by the caller), `globalNames` is set by a `global` statement. */
export function scopeV(kind: Scope['kind'], vars: Map<string, Value>, parent: Scope | undefined, globals: Scope | undefined, file: string): Scope {
  return { vars, parent, globals: globals as Scope, kind, globalNames: undefined, file };
}

/** A namespace (a module, a catalogue's namespace). */
export function namespaceV(fields: Omit<NamespaceV, 'kind'>): NamespaceV {
  return {
    kind: 'namespace',
    name: fields.name,
    get: fields.get,
    set: fields.set,
    names: fields.names,
    complete: fields.complete,
    pending: fields.pending,
    scope: fields.scope,
  };
}

/** A hashable key for dict entries and set membership (numbers, strings, tuples, identities). */
/** Tuples nested deeper than this share one key (a dict keyed by them is then approximate, never a crash). */
const MAX_KEY_DEPTH = 100;

export function keyOf(v: Value, depth = 0): string {
  switch (v.kind) {
    case 'int':
      return typeof v.value === 'number' ? `n:${v.value}` : `s:${v.value.sym}`;
    case 'float':
      return `n:${v.value}`;
    case 'bool':
      return `n:${v.value ? 1 : 0}`;
    case 'str':
      return `t:${v.value}`;
    case 'none':
      return 'none';
    case 'tuple':
      return depth >= MAX_KEY_DEPTH ? '(deep)' : `(${v.items.map((item) => keyOf(item, depth + 1)).join(',')})`;
    case 'class':
      return `c:${v.name}:${v.file ?? ''}`;
    case 'object':
      return `o:${v.id}`;
    default:
      return `?:${v.kind}`;
  }
}

/** Appends every item: `push(...items)` throws a RangeError past about 100,000 arguments. */
export function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
