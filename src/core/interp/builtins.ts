// Python's builtins and the standard-library namespaces model code imports (math, functools, typing,
// collections, enum, dataclasses, itertools, copy, warnings, ...).
import type { Range } from '../values';
import { NONE, bool, float, int, str, unknown } from '../values';
import * as dims from '../dims/dims';
import type { BuiltinV, CallArgs, ClassV, NamespaceV, ObjectV, Value } from './values';
import { appendAll, builtin, classV, keyOf, listV, namespaceV, tupleV } from './values';
import type { Interpreter } from './interpreter';
import { describe } from './interpreter';
import { asDim, asNumber, compareOrder, pyStr, truthy, valuesEqual } from './scalars';
import { createReModule } from './reModule';
import { createInspectModule } from './inspectModule';
import { collectionsExtras, copyFunctions, fnmatchFunctions, moreItertools } from './stdlibExtras';
import { erf } from '../formulas/activations';
import { LazyModules, once } from './lazy';
import type { ModuleLookup } from './lazy';

export function nativeClass(name: string, native: string, attrs: [string, Value][] = [], bases: ClassV[] = []): ClassV {
  const cls = classV({ name, bases, attrs: new Map(attrs), native });
  const mro: ClassV[] = [cls];
  for (const b of bases) for (const c of b.mro) if (!mro.includes(c)) mro.push(c);
  cls.mro = mro;
  return cls;
}

export function withAttrs(fn: BuiltinV, attrs: Record<string, Value>): BuiltinV {
  return { ...fn, attrs };
}

export function staticNamespace(name: string, entries: Record<string, Value>, fallback?: (n: string) => Value | undefined): NamespaceV {
  return namespaceV({ name, get: (n) => entries[n] ?? fallback?.(n), names: () => Object.keys(entries) });
}

const arg = (a: CallArgs, i: number, name?: string): Value | undefined => a.positional[i] ?? (name ? a.keywords.get(name) : undefined);

export interface StdLib {
  readonly builtins: NamespaceV;
  readonly objectClass: ClassV;
  /** The standard-library modules the analysis models, each built on its first import. */
  readonly modules: ModuleLookup;
}

/** The `__len__` an object's class defines or inherits (a Python method or a modelled one), if any. */
function lengthMethod(interp: Interpreter, obj: ObjectV): Value | undefined {
  const method = interp.findClassAttr(obj.cls, '__len__');
  return (method?.kind === 'function' && !method.isGenerator) || method?.kind === 'builtin' ? method : undefined;
}

/** What len() returns for the value a `__len__` returned: an int stays, anything else is unknown. */
function lengthOf(value: Value, range: Range): Value {
  return value.kind === 'int' || value.kind === 'unknown' ? value : unknown(`len() from a __len__ that returned ${describe(value)}`, range);
}

export function createStdLib(interp: Interpreter, environment: Readonly<Record<string, string>> = {}): StdLib {
  const objectClass = nativeClass('object', 'object');
  objectClass.attrs.set('__init__', builtin('object.__init__', () => NONE));
  // Explicit dunder calls (`object.__setattr__(self, k, v)`, `self.__setattr__(k, m)`) set the attribute as
  // `self.k = v` would, bypassing a user __setattr__ (nn.Module's registers modules and parameters).
  objectClass.attrs.set('__setattr__', builtin('object.__setattr__', (a, range) => {
    const [self, name, value] = a.positional;
    if (self && name?.kind === 'str' && value) interp.setAttr(self, name.value, value, range, true);
    return NONE;
  }));
  objectClass.attrs.set('__getattribute__', builtin('object.__getattribute__', (a, range) => {
    const [self, name] = a.positional;
    return self && name?.kind === 'str' ? interp.getAttr(self, name.value, range) : u('__getattribute__ with an unknown name', range);
  }));
  objectClass.attrs.set('__delattr__', builtin('object.__delattr__', (a) => {
    const [self, name] = a.positional;
    if (self && name?.kind === 'str') interp.deleteAttr(self, name.value);
    return NONE;
  }));
  const exception = nativeClass('Exception', 'exception', [], [objectClass]);
  const enumClass = nativeClass('Enum', 'Enum', [], [objectClass]);
  const fieldClass = nativeClass('Field', 'field', [], [objectClass]);
  const u = (reason: string, range?: Range): Value => unknown(reason, range);

  const iter = (v: Value | undefined, range: Range): Value[] | undefined => (v ? interp.iterate(v, range) : undefined);

  const minMax = (pick: 'min' | 'max') => (a: CallArgs, range: Range): Value => {
    const items = a.positional.length === 1 ? iter(a.positional[0], range) : [...a.positional];
    if (!items || items.length === 0) return a.keywords.get('default') ?? u(`${pick}() of unknown values`, range);
    let best = items[0]!;
    for (const v of items.slice(1)) {
      const da = asDim(best);
      const db = asDim(v);
      if (da !== undefined && db !== undefined && (typeof da !== 'number' || typeof db !== 'number')) {
        const ge = dims.greaterOrEqual(da, db);
        if (ge === undefined) return u(`${pick}() of symbolic values`, range);
        best = (pick === 'max' ? ge : !ge) ? best : v;
        continue;
      }
      const c = compareOrder(pick === 'max' ? '<' : '>', best, v);
      if (c === undefined) return u(`${pick}() of unknown values`, range);
      if (c) best = v;
    }
    return best;
  };

  const toInt = (a: CallArgs, range: Range): Value => {
    const v = arg(a, 0);
    if (!v) return int(0);
    if (v.kind === 'int') return v;
    if (v.kind === 'bool') return int(v.value ? 1 : 0);
    if (v.kind === 'float') return int(Math.trunc(v.value));
    if (v.kind === 'str') {
      const n = parseInt(v.value, 10);
      return Number.isFinite(n) ? int(n) : u(`int('${v.value}')`, range);
    }
    if (v.kind === 'tensor') {
      const known = interp.torch.knownScalar(v);
      return known !== undefined ? int(Math.trunc(known)) : u('int() of a tensor value', range);
    }
    return v.kind === 'unknown' ? v : u(`int() of ${describe(v)}`, range);
  };

  const toFloat = (a: CallArgs, range: Range): Value => {
    const v = arg(a, 0);
    if (!v) return float(0);
    const n = v.kind === 'tensor' ? interp.torch.knownScalar(v) : asNumber(v);
    if (n !== undefined) return float(n);
    if (v.kind === 'str') {
      const t = v.value.trim().toLowerCase();
      if (t === 'inf' || t === '-inf' || t === 'nan') return u(`float('${v.value}')`, range);
      const f = Number(t);
      return Number.isFinite(f) ? float(f) : u(`float('${v.value}')`, range);
    }
    return v.kind === 'unknown' ? v : u(`float() of ${describe(v)}`, range);
  };

  const isInstanceOf = (v: Value, cls: Value): boolean | undefined => {
    if (cls.kind === 'tuple') {
      let any: boolean | undefined = false;
      for (const c of cls.items) {
        const r = isInstanceOf(v, c);
        if (r) return true;
        if (r === undefined) any = undefined;
      }
      return any;
    }
    if (cls.kind === 'builtin') {
      const kinds = TYPE_KINDS[cls.name];
      if (kinds) return kinds.includes(v.kind);
      return undefined;
    }
    if (cls.kind !== 'class') return undefined;
    if (cls.native === OPAQUE_ABSTRACT) return v.kind === 'object' && v.cls.mro.includes(cls) ? true : undefined;
    const abstract = ABSTRACT_BASES[cls.native ?? ''];
    if (abstract) return isAbstractInstance(v, cls, abstract);
    if (v.kind === 'object') return v.cls.mro.includes(cls);
    if (v.kind === 'tensor') return cls.native === 'Tensor' || cls.name === 'Tensor' || (cls.native === 'Parameter' ? interp.torch.isParameter(v) : false);
    if (v.kind === 'unknown') return undefined;
    return cls.native === 'object';
  };

  const isSubclass = (a: Value | undefined, b: Value | undefined): boolean | undefined => {
    if (a?.kind !== 'class' || !b) return undefined;
    if (b.kind === 'tuple') return b.items.some((c) => c.kind === 'class' && a.mro.includes(c));
    return b.kind === 'class' ? a.mro.includes(b) : undefined;
  };

  const sortedValues = (items: Value[], a: CallArgs, range: Range): Value => {
    const key = a.keywords.get('key');
    const keyed = items.map((v) => ({ v, k: key && key.kind !== 'none' ? interp.call(key, { positional: [v], keywords: new Map() }, range) : v }));
    keyed.sort((x, y) => (compareOrder('<', x.k, y.k) ? -1 : compareOrder('>', x.k, y.k) ? 1 : 0));
    const out = keyed.map((e) => e.v);
    if (a.keywords.get('reverse')?.kind === 'bool' && (a.keywords.get('reverse') as { value: boolean }).value) out.reverse();
    return listV(out);
  };

  const typeFn = builtin('type', (a, range) => {
    const v = arg(a, 0);
    if (!v) return u('type()', range);
    if (v.kind === 'object') return v.cls;
    if (v.kind === 'tensor') return interp.torch.tensorClass;
    const name = PY_TYPE_NAME[v.kind];
    return name ? (b[name] ?? u('type', range)) : u(`type of ${describe(v)}`, range);
  });

  const b: Record<string, Value> = {
    object: objectClass,
    Exception: exception,
    BaseException: exception,
    range: builtin('range', (a, range) => {
      const nums = a.positional.map((v) => asDim(v));
      if (nums.some((n) => typeof n !== 'number')) return u('range() over a symbolic or unknown bound', range);
      const [x, y, z] = nums as number[];
      if (nums.length === 1) return { kind: 'range', start: 0, stop: x!, step: 1 };
      return { kind: 'range', start: x!, stop: y!, step: z ?? 1 };
    }),
    len: builtin('len', (a, range) => {
      const v = arg(a, 0);
      if (!v) return u('len()', range);
      if (v.kind === 'tensor') {
        const first = v.shape?.[0];
        return first === undefined ? u('len() of a tensor of unknown rank', range) : int(first);
      }
      if (v.kind === 'str') return int(v.value.length);
      if (v.kind === 'dict') return int(v.entries.size);
      // Python's len() asks the class's __len__, never __iter__: iterating a container whose __iter__ calls
      // len(self) (torch's ParameterList) recursed until the step budget ended (issue 16).
      const sized = v.kind === 'object' ? lengthMethod(interp, v) : undefined;
      if (sized) return lengthOf(interp.call(sized, { positional: [v], keywords: new Map() }, range), range);
      const items = interp.iterate(v, range);
      return items ? int(items.length) : v.kind === 'unknown' ? v : u(`len() of ${describe(v)}`, range);
    }),
    zip: builtin('zip', (a, range) => {
      const lists = a.positional.map((v) => interp.iterate(v, range));
      if (lists.some((l) => !l)) return u('zip() over unknown iterables', range);
      const n = Math.min(...lists.map((l) => l!.length));
      return listV(Array.from({ length: lists.length ? n : 0 }, (_, i) => tupleV(lists.map((l) => l![i]!))));
    }),
    enumerate: builtin('enumerate', (a, range) => {
      const items = iter(arg(a, 0), range);
      const start = asDim(arg(a, 1, 'start') ?? int(0));
      if (!items || typeof start !== 'number') return u('enumerate() over an unknown iterable', range);
      return listV(items.map((v, i) => tupleV([int(i + start), v])));
    }),
    reversed: builtin('reversed', (a, range) => {
      const items = iter(arg(a, 0), range);
      return items ? listV(items.reverse()) : u('reversed() of an unknown iterable', range);
    }),
    sorted: builtin('sorted', (a, range) => {
      const items = iter(arg(a, 0), range);
      return items ? sortedValues(items, a, range) : u('sorted() of an unknown iterable', range);
    }),
    isinstance: builtin('isinstance', (a, range) => {
      const r = isInstanceOf(arg(a, 0) ?? NONE, arg(a, 1) ?? NONE);
      return r === undefined ? u('isinstance() of an unknown value', range) : bool(r);
    }),
    issubclass: builtin('issubclass', (a, range) => {
      const r = isSubclass(arg(a, 0), arg(a, 1));
      return r === undefined ? u('issubclass() of unknown classes', range) : bool(r);
    }),
    callable: builtin('callable', (a) => bool(['function', 'builtin', 'class', 'method'].includes(arg(a, 0)?.kind ?? '') || arg(a, 0)?.kind === 'object')),
    getattr: builtin('getattr', (a, range) => {
      const obj = arg(a, 0);
      const name = arg(a, 1);
      if (!obj || name?.kind !== 'str') return u('getattr() with an unknown name', range);
      const v = interp.getAttr(obj, name.value, range, a.positional.length > 2);
      return v.kind === 'unknown' && a.positional.length > 2 ? a.positional[2]! : v;
    }),
    setattr: builtin('setattr', (a, range) => {
      const name = arg(a, 1);
      if (a.positional[0] && name?.kind === 'str' && a.positional[2]) interp.setAttr(a.positional[0], name.value, a.positional[2], range);
      return NONE;
    }),
    hasattr: builtin('hasattr', (a, range) => {
      const obj = arg(a, 0);
      const name = arg(a, 1);
      if (!obj || name?.kind !== 'str') return u('hasattr() with an unknown name', range);
      if (obj.kind === 'unknown') return u('hasattr() of an unknown value', range);
      // A probe for a name only some PyTorch releases have tests which release runs the code. The checks
      // (explore mode) must see both branches; the shape analysis follows the release the user set.
      if (obj.kind === 'namespace' && interp.observer?.explore && interp.torch.releaseDependent(obj.name, name.value)) {
        return u(`hasattr(${obj.name}, '${name.value}') depends on the PyTorch release`, range);
      }
      return bool(interp.getAttr(obj, name.value, range, true).kind !== 'unknown');
    }),
    // dir(x): the names of a file's module, a catalogue namespace or an object; other values are not listed.
    dir: builtin('dir', (a, range) => {
      const v = arg(a, 0);
      if (!v) return u('dir() of the current scope', range);
      const names = v.kind === 'namespace' && v.complete && v.names ? v.names()
        : v.kind === 'object' && !v.module ? [...v.attrs.keys(), ...v.cls.mro.flatMap((c) => [...c.attrs.keys()])]
        : v.kind === 'class' ? v.mro.flatMap((c) => [...c.attrs.keys()])
        : undefined;
      if (!names) return u(`dir() of ${describe(v)}`, range);
      const sorted = [...new Set(names)].sort();
      return interp.sized(sorted.length, range, () => listV(sorted.map((n) => str(n))));
    }),
    delattr: builtin('delattr', () => NONE),
    int: builtin('int', toInt),
    float: builtin('float', toFloat),
    bool: builtin('bool', (a, range) => {
      const t = truthy(arg(a, 0) ?? bool(false));
      return t === undefined ? u('bool() of an unknown value', range) : bool(t);
    }),
    str: builtin('str', (a, range) => {
      const v = arg(a, 0);
      if (!v) return str('');
      const s = pyStr(v);
      return s === undefined ? u(`str() of ${describe(v)}`, range) : str(s);
    }),
    repr: builtin('repr', (a, range) => {
      const v = arg(a, 0);
      const s = v ? pyStr(v) : undefined;
      return s === undefined ? u('repr()', range) : str(v?.kind === 'str' ? `'${s}'` : s);
    }),
    list: builtin('list', (a, range) => {
      const v = arg(a, 0);
      if (!v) return listV([]);
      const items = interp.iterate(v, range);
      return items ? listV(items) : u(`list() of ${describe(v)}`, range);
    }),
    tuple: builtin('tuple', (a, range) => {
      const v = arg(a, 0);
      if (!v) return tupleV([]);
      const items = interp.iterate(v, range);
      return items ? tupleV(items) : u(`tuple() of ${describe(v)}`, range);
    }),
    set: builtin('set', (a, range) => {
      const items = a.positional.length ? iter(a.positional[0], range) : [];
      if (!items) return u('set() of an unknown iterable', range);
      const seen = new Map<string, Value>();
      for (const v of items) seen.set(keyOf(v), v);
      return listV([...seen.values()]);
    }),
    frozenset: builtin('frozenset', (a, range) => {
      const items = a.positional.length ? iter(a.positional[0], range) : [];
      return items ? listV(items) : u('frozenset()', range);
    }),
    dict: builtin('dict', (a, range) => {
      const d = interp.newDict();
      const src = arg(a, 0);
      if (src?.kind === 'dict') for (const [k, e] of src.entries) d.entries.set(k, e);
      else if (src) {
        for (const pair of iter(src, range) ?? []) {
          const kv = interp.iterate(pair, range);
          if (kv && kv.length === 2) d.entries.set(keyOf(kv[0]!), { key: kv[0]!, value: kv[1]! });
        }
      }
      for (const [k, v] of a.keywords) d.entries.set(keyOf(str(k)), { key: str(k), value: v });
      return d;
    }),
    abs: builtin('abs', (a, range) => {
      const v = arg(a, 0);
      if (v?.kind === 'float') return float(Math.abs(v.value));
      const d = v ? asDim(v) : undefined;
      if (typeof d === 'number') return int(Math.abs(d));
      if (v?.kind === 'tensor') return v;
      return u('abs() of an unknown value', range);
    }),
    round: builtin('round', (a, range) => {
      const n = asNumber(arg(a, 0) ?? NONE);
      const digits = a.positional[1] ? asNumber(a.positional[1]) : undefined;
      if (n === undefined) return u('round() of an unknown value', range);
      if (digits !== undefined) return float(Math.round(n * 10 ** digits) / 10 ** digits);
      // Python rounds half to even.
      const r = Math.round(n);
      return int(Math.abs(n % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r);
    }),
    min: builtin('min', minMax('min')),
    max: builtin('max', minMax('max')),
    sum: builtin('sum', (a, range) => {
      const items = iter(arg(a, 0), range);
      if (!items) return u('sum() of an unknown iterable', range);
      let acc: Value = arg(a, 1, 'start') ?? int(0);
      for (const v of items) acc = interp.binary('+', acc, v, range);
      return acc;
    }),
    any: builtin('any', (a, range) => {
      const items = iter(arg(a, 0), range);
      if (!items) return u('any() of an unknown iterable', range);
      const t = items.map(truthy);
      return t.includes(true) ? bool(true) : t.includes(undefined) ? u('any() of unknown values', range) : bool(false);
    }),
    all: builtin('all', (a, range) => {
      const items = iter(arg(a, 0), range);
      if (!items) return u('all() of an unknown iterable', range);
      const t = items.map(truthy);
      return t.includes(false) ? bool(false) : t.includes(undefined) ? u('all() of unknown values', range) : bool(true);
    }),
    map: builtin('map', (a, range) => {
      const fn = arg(a, 0);
      const lists = a.positional.slice(1).map((v) => interp.iterate(v, range));
      // Python's own error: without an iterable the shortest length would be infinite.
      if (lists.length === 0) interp.raise('map() must have at least two arguments.', range, 'TypeError');
      if (!fn || lists.some((l) => !l)) return u('map() over an unknown iterable', range);
      const n = Math.min(...lists.map((l) => l!.length));
      return listV(Array.from({ length: n }, (_, i) => interp.call(fn, { positional: lists.map((l) => l![i]!), keywords: new Map() }, range)));
    }),
    filter: builtin('filter', (a, range) => {
      const fn = arg(a, 0);
      const items = iter(arg(a, 1), range);
      if (!fn || !items) return u('filter() over an unknown iterable', range);
      return listV(items.filter((v) => truthy(fn.kind === 'none' ? v : interp.call(fn, { positional: [v], keywords: new Map() }, range)) !== false));
    }),
    iter: builtin('iter', (a, range) => {
      const items = iter(arg(a, 0), range);
      return items ? listV(items) : u('iter()', range);
    }),
    next: builtin('next', (a, range) => {
      const v = arg(a, 0);
      if (v?.kind === 'list' && v.items.length > 0) {
        interp.touchList(v.items);
        return v.items.shift()!;
      }
      if (v?.kind === 'tuple') {
        // Python raises TypeError for a tuple written as one; this model does not claim which error.
        if (!interp.generatorExpressions.has(v)) return u('next() of a tuple, which is not an iterator', range);
        const at = asNumber(interp.generatorPositions.get(v) ?? int(0));
        if (at === undefined) return u('next() of a generator taken from on one side of an undecided condition', range);
        if (at < v.items.length) {
          interp.generatorPositions.set(v, int(at + 1));
          return v.items[at]!;
        }
        return a.positional[1] ?? interp.raise('next() of an exhausted generator', range, 'StopIteration');
      }
      return a.positional[1] ?? u('next() of an unknown iterator', range);
    }),
    divmod: builtin('divmod', (a, range) => tupleV([interp.binary('//', arg(a, 0) ?? NONE, arg(a, 1) ?? NONE, range), interp.binary('%', arg(a, 0) ?? NONE, arg(a, 1) ?? NONE, range)])),
    pow: builtin('pow', (a, range) => interp.binary('**', arg(a, 0) ?? NONE, arg(a, 1) ?? NONE, range)),
    print: builtin('print', () => NONE),
    // IPython's shell object in a notebook (and in code exported from one): what it returns is known only at run time.
    get_ipython: builtin('get_ipython', (_a, range) => u('IPython (magics, shell commands) runs only when the notebook runs', range)),
    display: builtin('display', () => NONE),
    id: builtin('id', (a) => int(arg(a, 0)?.kind === 'object' ? (arg(a, 0) as ObjectV).id : 0)),
    hash: builtin('hash', (_a, range) => u('hash()', range)),
    type: typeFn,
    super: builtin('super', (_a, range) => u('super() with arguments', range)),
    property: builtin('property', (a) => ({ kind: 'descriptor', type: 'property', fn: arg(a, 0) ?? NONE })),
    staticmethod: builtin('staticmethod', (a) => ({ kind: 'descriptor', type: 'staticmethod', fn: arg(a, 0) ?? NONE })),
    classmethod: builtin('classmethod', (a) => ({ kind: 'descriptor', type: 'classmethod', fn: arg(a, 0) ?? NONE })),
    vars: builtin('vars', (a, range) => (arg(a, 0) ? interp.getAttr(arg(a, 0)!, '__dict__', range) : u('vars()', range))),
    globals: builtin('globals', (_a, range) => u('globals()', range)),
    locals: builtin('locals', (_a, range) => u('locals()', range)),
    NotImplemented: NONE,
    __import__: builtin('__import__', (_a, range) => u('__import__()', range)),
  };
  // Python's exception hierarchy, parents first, so `except LookupError` catches a KeyError.
  for (const [name, parent] of EXCEPTION_PARENTS) b[name] = nativeClass(name, 'exception', [], [(parent ? b[parent] : exception) as ClassV]);

  // functools.partial objects: callable, with .func/.args/.keywords; a partial of a partial flattens.
  const partialClass = nativeClass('partial', 'partial', [], [objectClass]);
  partialClass.attrs.set('__init__', builtin('partial.__init__', (a, range) => {
    const [self, fn, ...bound] = a.positional;
    if (self?.kind !== 'object') return NONE;
    if (!fn) interp.raise('the first argument must be callable', range, 'TypeError');
    let func = fn;
    let args: Value[] = bound;
    const keywords = interp.newDict();
    if (fn.kind === 'object' && fn.cls === partialClass) {
      func = fn.attrs.get('func') ?? fn;
      const inner = fn.attrs.get('args');
      args = [...(inner?.kind === 'tuple' ? inner.items : []), ...bound];
      const innerKeywords = fn.attrs.get('keywords');
      if (innerKeywords?.kind === 'dict') for (const [k, e] of innerKeywords.entries) keywords.entries.set(k, e);
    }
    for (const [k, v] of a.keywords) keywords.entries.set(keyOf(str(k)), { key: str(k), value: v });
    self.attrs.set('func', func);
    self.attrs.set('args', tupleV(args));
    self.attrs.set('keywords', keywords);
    return NONE;
  }));
  partialClass.attrs.set('__call__', builtin('partial.__call__', (a, range) => {
    const [self, ...rest] = a.positional;
    if (self?.kind !== 'object') return u('partial() without its object', range);
    const args = self.attrs.get('args');
    const bound = self.attrs.get('keywords');
    const keywords = new Map<string, Value>();
    if (bound?.kind === 'dict') for (const e of bound.entries.values()) if (e.key.kind === 'str') keywords.set(e.key.value, e.value);
    for (const [k, v] of a.keywords) keywords.set(k, v);
    return interp.call(self.attrs.get('func') ?? NONE, { positional: [...(args?.kind === 'tuple' ? args.items : []), ...rest], keywords }, range);
  }));
  const partial = partialClass;

  const identityDecorator = builtin('decorator', (a) => {
    const first = a.positional[0];
    // Used both as `@wraps(f)` (returns a decorator) and `@decorator` (returns the function).
    if (first && (first.kind === 'function' || first.kind === 'class') && a.positional.length === 1 && a.keywords.size === 0) return first;
    return builtin('decorator', (inner) => inner.positional[0] ?? NONE);
  });

  // functools.wraps(wrapped)(wrapper) and update_wrapper(wrapper, wrapped) return the wrapper, which then answers
  // wrapped's __name__ and __doc__ and has it as __wrapped__ (interp.wrappedFunctions). With other `assigned` or
  // `updated` attribute lists, what it copies is not modelled: nothing is recorded.
  const wrapping = (wrapper: Value, wrapped: Value | undefined, a: CallArgs): Value => {
    if (wrapper.kind === 'function' && wrapped !== undefined && !a.keywords.has('assigned') && !a.keywords.has('updated')) interp.wrappedFunctions.set(wrapper, wrapped);
    return wrapper;
  };
  const wraps = builtin('wraps', (a) => builtin('decorator', (inner) => wrapping(inner.positional[0] ?? NONE, arg(a, 0, 'wrapped'), a)));
  const updateWrapper = builtin('update_wrapper', (a) => wrapping(arg(a, 0, 'wrapper') ?? NONE, arg(a, 1, 'wrapped'), a));

  const markDataclass = (target: Value | undefined): Value => {
    if (target?.kind === 'class') {
      target.isDataclass = true;
      // The generated __init__ is a class attribute, so subclasses' super().__init__(...) reach it.
      if (!target.attrs.has('__init__')) {
        const cls = target;
        target.attrs.set('__init__', builtin(`${cls.name}.__init__`, (a, range) => {
          const self = a.positional[0];
          if (self?.kind === 'object') interp.initDataclass(cls, self, { positional: a.positional.slice(1), keywords: a.keywords }, range);
          return NONE;
        }));
      }
    }
    return target ?? NONE;
  };
  // dataclasses.fields(cls or instance): one Field per field in definition order, whose name and default are known.
  const dataclassFieldsOf = (target: Value | undefined): ClassV['dataclassFields'] => {
    const cls = target?.kind === 'class' ? target : target?.kind === 'object' && !target.module ? target.cls : undefined;
    return cls?.mro.some((c) => c.isDataclass) ? cls.dataclassFields : undefined;
  };
  const fieldDescription = (f: { readonly name: string; readonly default?: Value }): Value => {
    // A default given as field(default=...) is that value; a field(default_factory=...) or no default is unknown here.
    const given = f.default?.kind === 'object' && f.default.cls === fieldClass ? f.default.attrs.get('default') : f.default;
    return staticNamespace('dataclasses.Field', given ? { name: str(f.name), default: given } : { name: str(f.name) }, (n) => unknown(`dataclasses.Field.${n} is not modelled`));
  };
  const dataclass = builtin('dataclass', (a) => {
    const target = a.positional[0];
    if (target?.kind === 'class') return markDataclass(target);
    return builtin('dataclass', (inner) => markDataclass(inner.positional[0]));
  });

  const field = builtin('field', (a) => {
    const obj = interp.newObject(fieldClass);
    const d = a.keywords.get('default');
    const f = a.keywords.get('default_factory');
    if (d) obj.attrs.set('default', d);
    if (f) obj.attrs.set('default_factory', f);
    return obj;
  });

  const mathNamespace = (): NamespaceV => staticNamespace('math', {
    pi: float(Math.PI),
    e: float(Math.E),
    inf: unknown('math.inf'),
    sqrt: numeric1('sqrt', Math.sqrt, false),
    erf: numeric1('erf', erf, false),
    exp: numeric1('exp', Math.exp, false),
    log: builtin('log', (a, range) => {
      const x = asNumber(arg(a, 0) ?? NONE);
      const base = a.positional[1] ? asNumber(a.positional[1]) : undefined;
      if (x === undefined || x <= 0) return u('math.log of an unknown or non-positive value', range);
      return float(base ? Math.log(x) / Math.log(base) : Math.log(x));
    }),
    log2: numeric1('log2', Math.log2, false),
    log10: numeric1('log10', Math.log10, false),
    floor: numeric1('floor', Math.floor, true),
    ceil: numeric1('ceil', Math.ceil, true),
    trunc: numeric1('trunc', Math.trunc, true),
    cos: numeric1('cos', Math.cos, false),
    sin: numeric1('sin', Math.sin, false),
    tan: numeric1('tan', Math.tan, false),
    atan: numeric1('atan', Math.atan, false),
    tanh: numeric1('tanh', Math.tanh, false),
    fabs: numeric1('fabs', Math.abs, false),
    isqrt: numeric1('isqrt', (x) => Math.floor(Math.sqrt(x)), true),
    pow: builtin('pow', (a, range) => {
      const x = asNumber(arg(a, 0) ?? NONE);
      const y = asNumber(arg(a, 1) ?? NONE);
      return x === undefined || y === undefined ? u('math.pow of unknown values', range) : float(x ** y);
    }),
    gcd: builtin('gcd', (a, range) => {
      const nums = a.positional.map((v) => asDim(v));
      if (nums.some((n) => typeof n !== 'number')) return u('gcd of unknown values', range);
      const g = (x: number, y: number): number => (y === 0 ? Math.abs(x) : g(y, x % y));
      return int((nums as number[]).reduce(g, 0));
    }),
    prod: builtin('prod', (a, range) => {
      const items = iter(arg(a, 0), range);
      if (!items) return u('math.prod of an unknown iterable', range);
      let acc: Value = int(1);
      for (const v of items) acc = interp.binary('*', acc, v, range);
      return acc;
    }),
    isclose: builtin('isclose', (a, range) => {
      const x = asNumber(arg(a, 0) ?? NONE);
      const y = asNumber(arg(a, 1) ?? NONE);
      return x === undefined || y === undefined ? u('isclose', range) : bool(Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y)));
    }),
  });

  const orderedDict = builtin('OrderedDict', (a, range) => (b['dict'] as BuiltinV).call(a, range));
  const typingNamespace = (): NamespaceV => staticNamespace('typing', { OrderedDict: orderedDict, Dict: b['dict']!, List: b['list']!, Tuple: b['tuple']! }, (n) => (n === 'TYPE_CHECKING' ? bool(false) : n === 'cast' ? builtin('cast', (a) => a.positional[1] ?? NONE) : n === 'NamedTuple' ? namedTuples().base : n === 'overload' || n === 'final' ? identityDecorator : objectClass));
  const anyNs = (name: string): NamespaceV => staticNamespace(name, {}, (n) => unknown(`${name}.${n} is not modelled`));

  // Named tuples (collections.namedtuple and typing.NamedTuple classes): objects with one attribute per
  // field that also index, iterate and unpack like tuples.
  const namedTuples = once(() => {
    const namedTupleBase = nativeClass('NamedTuple', 'namedtuple', [], [objectClass]);
    const fieldValues = (self: ObjectV): Value[] => (self.cls.dataclassFields ?? []).map((f) => self.attrs.get(f.name) ?? NONE);
    const tupleMethod = (name: string, fn: (self: ObjectV, a: CallArgs, range: Range) => Value): void => {
      namedTupleBase.attrs.set(name, builtin(`${name}`, (a, range) => {
        const self = a.positional[0];
        return self?.kind === 'object' ? fn(self, { positional: a.positional.slice(1), keywords: a.keywords }, range) : u(`namedtuple ${name}`, range);
      }));
    };
    tupleMethod('__init__', (self, a, range) => (interp.initDataclass(self.cls, self, a, range), NONE));
    tupleMethod('__iter__', (self) => listV(fieldValues(self)));
    tupleMethod('__len__', (self) => int(fieldValues(self).length));
    tupleMethod('__getitem__', (self, a, range) => interp.getItem(tupleV(fieldValues(self)), a.positional[0] ?? NONE, range));
    tupleMethod('_asdict', (self) => interp.newDict(fieldValues(self).map((v, i) => {
      const name = self.cls.dataclassFields![i]!.name;
      return [keyOf(str(name)), { key: str(name), value: v }] as const;
    })));
    tupleMethod('_replace', (self, a, range) => {
      const copy = interp.newObject(self.cls, self.attrs);
      for (const [k, v] of a.keywords) {
        if (!self.cls.dataclassFields?.some((f) => f.name === k)) interp.raise(`Got unexpected field names: ['${k}']`, range, 'ValueError');
        copy.attrs.set(k, v);
      }
      return copy;
    });
    const namedtuple = builtin('namedtuple', (a, range) => {
      const fieldsValue = arg(a, 1, 'field_names');
      const fields = fieldsValue?.kind === 'str' ? fieldsValue.value.split(/[ ,]+/).filter(Boolean) : (iter(fieldsValue, range) ?? []).map((f) => (f.kind === 'str' ? f.value : '?'));
      const typename = arg(a, 0, 'typename');
      const cls = nativeClass(typename?.kind === 'str' ? typename.value : 'namedtuple', 'object', [], [namedTupleBase]);
      // defaults=(...) apply to the last fields.
      const defaults = iter(a.keywords.get('defaults'), range) ?? [];
      const firstDefault = fields.length - defaults.length;
      cls.dataclassFields = fields.map((name, i) => (i >= firstDefault ? { name, default: defaults[i - firstDefault]! } : { name }));
      cls.attrs.set('_fields', tupleV(fields.map((f) => str(f))));
      cls.attrs.set('_make', builtin('_make', (m, r) => interp.call(cls, { positional: iter(m.positional[0], r) ?? [], keywords: new Map() }, r)));
      return cls;
    });
    return { base: namedTupleBase, namedtuple };
  });

  // collections.abc: classes a user class may subclass, and whose isinstance is decided by the value's kind or methods.
  const abcNamespace = (): NamespaceV => {
    const abcClasses = Object.fromEntries(Object.keys(ABSTRACT_BASES).map((name) => [name.slice('abc.'.length), nativeClass(name.slice('abc.'.length), name, [], [objectClass])]));
    // Iterator, Generator, Hashable and the rest: classes one may subclass, whose isinstance is not decided otherwise.
    const opaqueAbc = new Map<string, ClassV>();
    return staticNamespace('collections.abc', abcClasses, (n) => {
      if (!opaqueAbc.has(n)) opaqueAbc.set(n, nativeClass(n, OPAQUE_ABSTRACT, [], [objectClass]));
      return opaqueAbc.get(n);
    });
  };
  // Environment variables are the user's: one the request sets (the CLI's --env) has its value, any other is unknown
  // (set or not, it could hold anything), so switches like timm's TIMM_USE_NAFLEXVIT stay undecided until given.
  const environmentDefault = builtin('get', (a, range) => {
    const name = arg(a, 0, 'key');
    if (name?.kind !== 'str') return u('os.environ.get() of an unknown name', range);
    const value = Object.hasOwn(environment, name.value) ? environment[name.value] : undefined;
    return value !== undefined ? str(value) : interp.noteUnknown(`environment variable ${name.value} is not known (the CLI's --env ${name.value}=VALUE sets it)`, range);
  });
  const osNamespace = (): NamespaceV => staticNamespace('os', {
    environ: staticNamespace('os.environ', { get: environmentDefault }, (n) => unknown(`os.environ.${n} is not modelled`)),
    getenv: environmentDefault,
  }, (n) => unknown(`os.${n} is not modelled`));
  const itertoolsExtras = once(() => moreItertools(interp));
  // Each module's namespace is built when an import first asks for it (see ./lazy).
  const modules: LazyModules = new LazyModules([
    ['math', mathNamespace],
    ['re', () => createReModule(interp, objectClass, b['ValueError'] as ClassV)],
    ['functools', () => staticNamespace('functools', { partial, wraps, update_wrapper: updateWrapper, lru_cache: identityDecorator, cache: identityDecorator, reduce: builtin('reduce', (a, range) => {
      const fn = arg(a, 0);
      const items = iter(arg(a, 1), range);
      if (!fn || !items) return u('reduce() over an unknown iterable', range);
      let acc = a.positional[2] ?? items.shift() ?? NONE;
      for (const v of items) acc = interp.call(fn, { positional: [acc, v], keywords: new Map() }, range);
      return acc;
    }) })],
    ['typing', typingNamespace],
    ['typing_extensions', () => modules.get('typing')!],
    ['collections', () => staticNamespace('collections', { OrderedDict: orderedDict, namedtuple: namedTuples().namedtuple, abc: modules.get('collections.abc')!, ...collectionsExtras(interp) })],
    ['collections.abc', abcNamespace],
    ['enum', () => staticNamespace('enum', { Enum: enumClass, IntEnum: enumClass, auto: builtin('auto', () => int(interp.newId())) })],
    ['dataclasses', () => staticNamespace('dataclasses', {
      dataclass,
      field,
      asdict: builtin('asdict', (a, range) => interp.getAttr(arg(a, 0) ?? NONE, '__dict__', range)),
      fields: builtin('fields', (a, range) => {
        const fields = dataclassFieldsOf(arg(a, 0, 'class_or_instance'));
        return fields ? tupleV(fields.map(fieldDescription)) : u('dataclasses.fields', range);
      }),
      // replace(obj, **changes): a new instance with the changed fields (timm's pretrained configs).
      replace: builtin('replace', (a, range) => {
        const obj = arg(a, 0, 'obj');
        if (obj?.kind !== 'object' || obj.module) return u('dataclasses.replace() of a value that is not a dataclass instance', range);
        const copy = interp.newObject(obj.cls, obj.attrs);
        for (const [k, v] of a.keywords) copy.attrs.set(k, v);
        return copy;
      }),
    })],
    ['fnmatch', () => staticNamespace('fnmatch', fnmatchFunctions(interp))],
    // Random numbers are unknown values wherever they are used; importing the module is not a gap.
    ['random', () => anyNs('random')],
    ['itertools', () => staticNamespace('itertools', {
      chain: withAttrs(builtin('chain', (a, range) => {
        const out: Value[] = [];
        for (const v of a.positional) {
          const items = interp.iterate(v, range);
          if (!items) return u('chain() of an unknown iterable', range);
          appendAll(out, items);
        }
        return listV(out);
      }), { from_iterable: itertoolsExtras()['fromIterable']! }),
      repeat: builtin('repeat', (a, range) => {
        const n = asDim(arg(a, 1, 'times') ?? NONE);
        if (typeof n !== 'number') return u('itertools.repeat without a count', range);
        const count = Math.max(0, Math.min(n, 10_000));
        return interp.sized(count, range, () => listV(Array.from({ length: count }, () => arg(a, 0) ?? NONE)));
      }),
      product: builtin('product', (a, range) => {
        const times = asNumber(a.keywords.get('repeat') ?? int(1)) ?? 1;
        const lists = Array.from({ length: Math.max(0, Math.min(times, 16)) }, () => a.positional).flat().map((v) => interp.iterate(v, range));
        if (lists.some((l) => !l)) return u('product() of unknown iterables', range);
        // The product is counted before it is built: 100,000 tuples at most, each charged to the size budget.
        const count = lists.reduce((n, l) => n * l!.length, 1);
        if (count > 100_000) return u(`itertools.product of ${count} tuples is too large to model`, range);
        if (!interp.allocate(count * (lists.length + 1))) return interp.tooLarge(range);
        let acc: Value[][] = [[]];
        for (const l of lists) acc = acc.flatMap((prefix) => l!.map((v) => [...prefix, v]));
        return listV(acc.map((t) => tupleV(t)));
      }),
    }, (n) => itertoolsExtras()[n])],
    ['copy', () => staticNamespace('copy', copyFunctions(interp))],
    ['warnings', () => staticNamespace('warnings', { warn: builtin('warn', () => NONE), filterwarnings: builtin('filterwarnings', () => NONE) })],
    ['numbers', () => staticNamespace('numbers', { Number: objectClass, Integral: objectClass, Real: objectClass })],
    ['abc', () => staticNamespace('abc', { ABC: objectClass, abstractmethod: identityDecorator, ABCMeta: objectClass })],
    ['os', osNamespace],
    ['sys', () => anyNs('sys')],
    ['logging', () => staticNamespace('logging', {}, () => builtin('logging', () => staticNamespace('logger', {}, () => builtin('log', () => NONE))))],
    ['inspect', () => createInspectModule(interp, objectClass)],
    ['importlib', () => anyNs('importlib')],
    ['types', () => staticNamespace('types', {
      FunctionType: builtin('function', (_a, range) => u('types.FunctionType()', range)),
      MethodType: builtin('method', (_a, range) => u('types.MethodType()', range)),
      SimpleNamespace: builtin('SimpleNamespace', (a) => {
        return interp.newObject(objectClass, a.keywords);
      }),
    }, (n) => unknown(`types.${n} is not modelled`))],
    ['operator', () => staticNamespace('operator', { mul: builtin('mul', (a, range) => interp.binary('*', arg(a, 0) ?? NONE, arg(a, 1) ?? NONE, range)), add: builtin('add', (a, range) => interp.binary('+', arg(a, 0) ?? NONE, arg(a, 1) ?? NONE, range)) })],
    ['einops', () => anyNs('einops')],
  ]);

  return { builtins: staticNamespace('builtins', b), objectClass, modules };
}

function numeric1(name: string, f: (x: number) => number, toInt: boolean): BuiltinV {
  return builtin(name, (a, range) => {
    const v = a.positional[0];
    const x = v ? asNumber(v) : undefined;
    if (x === undefined) return unknown(`math.${name} of an unknown value`, range);
    const out = f(x);
    if (!Number.isFinite(out)) return unknown(`math.${name} is not finite`, range);
    return toInt ? int(out) : float(out);
  });
}

/** Builtin exceptions and their parent (undefined: Exception), parents listed before their children. */
const EXCEPTION_PARENTS: readonly (readonly [string, string | undefined])[] = [
  ['ValueError', undefined], ['TypeError', undefined], ['RuntimeError', undefined], ['LookupError', undefined],
  ['KeyError', 'LookupError'], ['IndexError', 'LookupError'], ['AttributeError', undefined], ['ImportError', undefined],
  ['ModuleNotFoundError', 'ImportError'], ['NotImplementedError', 'RuntimeError'], ['AssertionError', undefined],
  ['ArithmeticError', undefined], ['ZeroDivisionError', 'ArithmeticError'], ['OverflowError', 'ArithmeticError'],
  ['StopIteration', undefined], ['OSError', undefined], ['FileNotFoundError', 'OSError'], ['Warning', undefined],
  ['UserWarning', 'Warning'], ['DeprecationWarning', 'Warning'], ['RecursionError', 'RuntimeError'],
];

const OPAQUE_ABSTRACT = 'abc.opaque';
/** collections.abc's classes: the value kinds that are instances, and the method that makes an object one. */
interface AbstractBase {
  readonly kinds: readonly Value['kind'][];
  readonly method?: string;
}
const ITERABLE_KINDS: readonly Value['kind'][] = ['list', 'tuple', 'dict', 'str', 'range', 'tensor'];
const ABSTRACT_BASES: Readonly<Record<string, AbstractBase>> = {
  'abc.Iterable': { kinds: ITERABLE_KINDS, method: '__iter__' },
  'abc.Collection': { kinds: ITERABLE_KINDS, method: '__len__' },
  'abc.Sized': { kinds: ITERABLE_KINDS, method: '__len__' },
  'abc.Container': { kinds: ITERABLE_KINDS, method: '__contains__' },
  'abc.Sequence': { kinds: ['list', 'tuple', 'str', 'range'] },
  'abc.MutableSequence': { kinds: ['list'] },
  'abc.Mapping': { kinds: ['dict'] },
  'abc.MutableMapping': { kinds: ['dict'] },
  'abc.Callable': { kinds: ['function', 'builtin', 'class', 'method'], method: '__call__' },
};

/** isinstance against a collections.abc class: by kind, by subclassing, or (objects) by defining its method. */
function isAbstractInstance(v: Value, cls: ClassV, abstract: AbstractBase): boolean | undefined {
  if (v.kind === 'unknown') return undefined;
  if (v.kind !== 'object') return abstract.kinds.includes(v.kind);
  if (v.cls.mro.includes(cls)) return true;
  if (abstract.method === undefined) return false;
  const defines = v.cls.mro.some((c) => c.attrs.has(abstract.method!));
  // Native classes (nn.Module and its containers) answer some methods outside their attributes.
  return defines ? true : v.cls.mro.some((c) => c.native !== undefined && c.native !== 'object') ? undefined : false;
}

const TYPE_KINDS: Record<string, readonly string[]> = {
  int: ['int', 'bool'],
  float: ['float'],
  bool: ['bool'],
  str: ['str'],
  list: ['list'],
  tuple: ['tuple'],
  dict: ['dict'],
  set: ['list'],
  range: ['range'],
  callable: ['function', 'builtin'],
  function: ['function'],
  method: ['method'],
};

const PY_TYPE_NAME: Partial<Record<Value['kind'], string>> = { int: 'int', float: 'float', bool: 'bool', str: 'str', list: 'list', tuple: 'tuple', dict: 'dict' };

export { valuesEqual };
