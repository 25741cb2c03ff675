// numpy inside the interpreter: the `numpy` module over the NumPy catalogue, and ndarrays' attributes,
// operators, indexing and item assignment. ndarrays are tensor values with library 'numpy' (shape rules and
// broadcasting are shared with torch), whose small contents travel with them.
import type { OpEntry } from '../frameworks/types';
import { NUMPY_CONSTANTS, NUMPY_DTYPES, lookupNumpy } from '../frameworks/numpy/index';
import type { IndexItem } from '../frameworks/numpy/arrays';
import { MAX_VALUES, concreteShape, countOf, indexPositions, readArrayLike, scalarOf } from '../frameworks/numpy/arrays';
import type { Range, TensorValue } from '../values';
import { NONE, float, int, ndarray, str, unknown } from '../values';
import type { BuiltinV, NamespaceV, Value } from './values';
import { builtin, tupleV } from './values';
import type { Interpreter } from './interpreter';
import { isEllipsis } from './interpreter';
import { asDim, toData } from './scalars';
import { staticNamespace } from './builtins';

type Invoke = (entry: OpEntry, positional: readonly Value[], keywords: ReadonlyMap<string, Value>, range: Range) => Value;

const OPERATOR_DUNDERS: Record<string, string> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'truediv', '//': 'floordiv', '%': 'mod', '**': 'pow' };
const COMPARE_DUNDERS: Record<string, [string, string]> = { '<': ['lt', 'gt'], '<=': ['le', 'ge'], '>': ['gt', 'lt'], '>=': ['ge', 'le'], '==': ['eq', 'eq'], '!=': ['ne', 'ne'] };
const UNARY_DUNDERS: Record<string, string> = { '-': '__neg__', '+': '__pos__' };

export const isNdarray = (v: Value): v is TensorValue => v.kind === 'tensor' && v.library === 'numpy';

export class NumpyRuntime {
  private readonly builtins = new Map<string, BuiltinV>();

  constructor(
    private readonly interp: Interpreter,
    private readonly invoke: Invoke,
  ) {}

  private entryBuiltin(qualified: string): BuiltinV | undefined {
    const hit = this.builtins.get(qualified);
    if (hit) return hit;
    const entry = lookupNumpy(qualified);
    if (!entry) return undefined;
    const b = builtin(qualified, (a, r) => this.invoke(entry, a.positional, a.keywords, r));
    this.builtins.set(qualified, b);
    return b;
  }

  /** The `numpy` module and its `numpy.random` submodule. */
  namespaces(): Record<'numpy' | 'numpy.random', NamespaceV> {
    const random = staticNamespace('numpy.random', {}, (n) => this.entryBuiltin(`numpy.random.${n}`) ?? unknown(`numpy.random.${n} is not modelled`));
    const extras: Record<string, Value> = { newaxis: NONE, random };
    for (const [name, value] of Object.entries(NUMPY_CONSTANTS)) extras[name] = float(value);
    for (const name of Object.keys(NUMPY_DTYPES)) extras[name] = str(`numpy.${name}`);
    const numpy = staticNamespace('numpy', extras, (n) => this.entryBuiltin(`numpy.${n}`) ?? unknown(`numpy.${n} is not modelled`));
    return { numpy, 'numpy.random': random };
  }

  getAttr(t: TensorValue, name: string, range: Range): Value {
    const shape = t.shape;
    switch (name) {
      case 'shape':
        return shape ? tupleV(shape.map((d) => int(d))) : unknown('ndarray of unknown rank', range);
      case 'ndim':
        return shape ? int(shape.length) : unknown('ndarray of unknown rank', range);
      case 'size': {
        const concrete = shape ? concreteShape(shape) : undefined;
        return concrete ? int(countOf(concrete)) : unknown('size of an ndarray of unknown shape', range);
      }
      case 'dtype':
        return str(`numpy.${t.dtype}`);
      case 'T':
        return this.call('ndarray.transpose', [t], range);
    }
    const b = this.entryBuiltin(`ndarray.${name}`);
    if (b) return builtin(b.name, (a, r) => b.call({ positional: [t, ...a.positional], keywords: a.keywords }, r));
    return this.interp.noteUnknown(`ndarray.${name} is not modelled`, range);
  }

  private call(qualified: string, positional: readonly Value[], range: Range): Value {
    const entry = lookupNumpy(qualified);
    return entry ? this.invoke(entry, positional, new Map(), range) : this.interp.noteUnknown(`${qualified} is not modelled`, range);
  }

  /** `a ∘ b` where an operand is an ndarray and none is a torch tensor; undefined to leave it to torch. */
  binary(op: string, a: Value, b: Value, range: Range): Value | undefined {
    const torchOperand = [a, b].some((v) => v.kind === 'tensor' && v.library !== 'numpy');
    if (torchOperand || (!isNdarray(a) && !isNdarray(b))) return undefined;
    if (a.kind === 'unknown') return a;
    if (b.kind === 'unknown') return b;
    const cmp = COMPARE_DUNDERS[op];
    if (cmp) return isNdarray(a) ? this.call(`ndarray.__${cmp[0]}__`, [a, b], range) : this.call(`ndarray.__${cmp[1]}__`, [b, a], range);
    const name = OPERATOR_DUNDERS[op];
    if (!name) return this.interp.noteUnknown(`ndarray operator ${op} is not modelled`, range);
    return isNdarray(a) ? this.call(`ndarray.__${name}__`, [a, b], range) : this.call(`ndarray.__r${name}__`, [b, a], range);
  }

  unary(op: string, a: TensorValue, range: Range): Value {
    const dunder = UNARY_DUNDERS[op];
    return dunder ? this.call(`ndarray.${dunder}`, [a], range) : this.interp.noteUnknown(`unary ${op} on an ndarray`, range);
  }

  /** Basic indexing with contents; undefined when the index is not basic (the shape rule then decides). */
  index(t: TensorValue, index: Value, range: Range): Value | undefined {
    const shape = t.shape ? concreteShape(t.shape) : undefined;
    const items = shape ? basicIndex(index) : undefined;
    if (!shape || !items) return undefined;
    const selected = indexPositions(shape, items);
    if (!selected) return undefined;
    const values = t.values ? selected.positions.map((p) => t.values![p]!) : undefined;
    if (selected.shape.length === 0 && values) return scalarOf(t.dtype, values[0]!);
    void range;
    return ndarray(selected.shape, t.dtype, values);
  }

  /** `arr[idx] = value`: writes known contents in place, or forgets contents that are no longer known. */
  setItem(t: TensorValue, index: Value, value: Value): void {
    if (!t.values) return;
    const shape = t.shape ? concreteShape(t.shape) : undefined;
    const items = shape ? basicIndex(index) : undefined;
    const selected = shape && items ? safeIndexPositions(shape, items) : undefined;
    const source = selected ? safeArrayLike(value) : undefined;
    if (!selected || !source?.values || (source.values.length !== 1 && source.values.length !== selected.positions.length)) {
      delete t.values;
      return;
    }
    const truncate = !['float16', 'float32', 'float64', 'bfloat16'].includes(t.dtype);
    selected.positions.forEach((p, i) => {
      const v = source.values![source.values!.length === 1 ? 0 : i]!;
      t.values![p] = truncate ? Math.trunc(v) : v;
    });
  }
}

function safeIndexPositions(shape: readonly number[], items: readonly IndexItem[]): ReturnType<typeof indexPositions> {
  try {
    return indexPositions(shape, items);
  } catch {
    return undefined;
  }
}

function safeArrayLike(v: Value): ReturnType<typeof readArrayLike> | undefined {
  try {
    const like = readArrayLike(toData(v), 'value');
    return like.values && like.values.length <= MAX_VALUES ? like : undefined;
  } catch {
    return undefined;
  }
}

/** The index as basic-indexing items (ints, slices with known bounds, None, ...), or undefined. */
function basicIndex(index: Value): IndexItem[] | undefined {
  const parts = index.kind === 'tuple' ? index.items : [index];
  const out: IndexItem[] = [];
  const bound = (v: Value): number | null | undefined => {
    if (v.kind === 'none') return null;
    const d = asDim(v);
    return typeof d === 'number' ? d : undefined;
  };
  for (const p of parts) {
    if (isEllipsis(p)) out.push({ kind: 'ellipsis' });
    else if (p.kind === 'none') out.push({ kind: 'newaxis' });
    else if (p.kind === 'int' || p.kind === 'bool') {
      const i = asDim(p);
      if (typeof i !== 'number') return undefined;
      out.push({ kind: 'int', index: i });
    } else if (p.kind === 'slice') {
      const [start, stop, step] = [bound(p.start), bound(p.stop), bound(p.step)];
      if (start === undefined || stop === undefined || step === undefined) return undefined;
      out.push({ kind: 'slice', start, stop, step });
    } else return undefined;
  }
  return out;
}
