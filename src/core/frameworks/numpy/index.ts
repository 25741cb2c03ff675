// The NumPy catalogue: what model files compute with numpy — configuration math (np.sqrt, np.log,
// np.power, np.prod, np.ceil), tables (np.arange, np.linspace, np.array of nested lists, sin/cos position
// tables), reductions and reshapes — as entries 'numpy.<name>' and ndarray methods 'ndarray.<name>'.
// Shapes are exact; contents are computed when every input's are known and the array is small.
// No MACs: NumPy runs outside the model's forward pass (the catalogue's MAC convention counts module calls).
import type { Dim } from '../../dims/dims';
import * as dims from '../../dims/dims';
import type { DataValue, DType } from '../../values';
import { NONE, bool, int, ndarray, str } from '../../values';
import type { ArgSpec, OpEntry } from '../types';
import { type Args, defineOp, fail, giveUp, parseDType, result } from '../torch/define';
import type { ArrayLike } from './arrays';
import { MAX_VALUES, arrayResult, broadcast, broadcastValues, concreteShape, countOf, isFloatDtype, promote, readArrayLike, scalarOf, stridesOf } from './arrays';

const np = (name: string): string => `numpy.${name}`;
const method = (name: string): string => `ndarray.${name}`;
const dtypeKw: ArgSpec = { name: 'dtype', default: NONE };

/** numpy dtype arguments: np.float32, 'float32', float, int (the interpreter passes dtypes as 'numpy.<name>' strings). */
export function numpyDtype(v: DataValue | undefined): DType | undefined {
  if (v === undefined || v.kind === 'none') return undefined;
  if (v.kind !== 'str') return undefined;
  const name = v.value.replace(/^(numpy|np)\./, '');
  return NUMPY_DTYPES[name] ?? parseDType(v);
}

export const NUMPY_DTYPES: Readonly<Record<string, DType>> = {
  float64: 'float64', float_: 'float64', double: 'float64', float: 'float64', float32: 'float32', single: 'float32', float16: 'float16', half: 'float16',
  int64: 'int64', int_: 'int64', int: 'int64', intp: 'int64', int32: 'int32', int16: 'int32', int8: 'int8', uint8: 'uint8', bool_: 'bool', bool: 'bool', complex64: 'complex64',
};

const arrayArg = (a: Args, name: string): ArrayLike => readArrayLike(a.value(name), name);

/** Unary math, elementwise, with its value kernel and whether integer input gives float64. */
const UNARY: ReadonlyArray<readonly [string, (x: number) => number, 'float' | 'keep']> = [
  ['sin', Math.sin, 'float'], ['cos', Math.cos, 'float'], ['tan', Math.tan, 'float'],
  ['arcsin', Math.asin, 'float'], ['arccos', Math.acos, 'float'], ['arctan', Math.atan, 'float'],
  ['sinh', Math.sinh, 'float'], ['cosh', Math.cosh, 'float'], ['tanh', Math.tanh, 'float'],
  ['exp', Math.exp, 'float'], ['exp2', (x) => 2 ** x, 'float'], ['expm1', Math.expm1, 'float'],
  ['log', Math.log, 'float'], ['log2', Math.log2, 'float'], ['log10', Math.log10, 'float'], ['log1p', Math.log1p, 'float'],
  ['sqrt', Math.sqrt, 'float'], ['cbrt', Math.cbrt, 'float'], ['reciprocal', (x) => 1 / x, 'keep'],
  ['floor', Math.floor, 'float'], ['ceil', Math.ceil, 'float'], ['trunc', Math.trunc, 'float'], ['rint', roundHalfEven, 'float'],
  ['abs', Math.abs, 'keep'], ['absolute', Math.abs, 'keep'], ['fabs', Math.abs, 'float'], ['sign', Math.sign, 'keep'],
  ['negative', (x) => -x, 'keep'], ['square', (x) => x * x, 'keep'],
  ['deg2rad', (x) => (x * Math.PI) / 180, 'float'], ['radians', (x) => (x * Math.PI) / 180, 'float'],
  ['rad2deg', (x) => (x * 180) / Math.PI, 'float'], ['degrees', (x) => (x * 180) / Math.PI, 'float'],
];

/** Python's and NumPy's rounding: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const unaryOps: OpEntry[] = UNARY.map(([name, f, kind]) =>
  defineOp({
    name: np(name),
    signature: [{ name: 'x' }, { name: 'out', default: NONE, keywordOnly: true }, { ...dtypeKw, keywordOnly: true }],
    apply: (a) => {
      const x = arrayArg(a, 'x');
      const dtype = numpyDtype(a.value('dtype')) ?? (kind === 'float' && !isFloatDtype(x.dtype) ? 'float64' : x.dtype);
      return result(arrayResult(x.shape, dtype, x.values?.map(f), x.scalar === true), 0);
    },
  }),
);

const roundOps: OpEntry[] = ['round', 'around'].map((name) =>
  defineOp({
    name: np(name),
    signature: [{ name: 'a' }, { name: 'decimals', default: int(0) }, { name: 'out', default: NONE }],
    apply: (a) => {
      const x = arrayArg(a, 'a');
      const scale = 10 ** a.int('decimals');
      return result(arrayResult(x.shape, x.dtype, x.values?.map((v) => roundHalfEven(v * scale) / scale), x.scalar === true), 0);
    },
  }),
);

/** Binary elementwise ops with broadcasting; dtype 'float' forces float64 (true division). */
const BINARY: ReadonlyArray<readonly [string, (x: number, y: number) => number, 'promote' | 'float' | 'bool']> = [
  ['add', (x, y) => x + y, 'promote'], ['subtract', (x, y) => x - y, 'promote'], ['multiply', (x, y) => x * y, 'promote'],
  ['divide', (x, y) => x / y, 'float'], ['true_divide', (x, y) => x / y, 'float'],
  ['floor_divide', (x, y) => Math.floor(x / y), 'promote'], ['mod', pyMod, 'promote'], ['remainder', pyMod, 'promote'],
  ['power', (x, y) => x ** y, 'promote'], ['float_power', (x, y) => x ** y, 'float'],
  ['maximum', Math.max, 'promote'], ['minimum', Math.min, 'promote'], ['fmax', Math.max, 'promote'], ['fmin', Math.min, 'promote'],
  ['arctan2', Math.atan2, 'float'], ['hypot', Math.hypot, 'float'],
  ['greater', (x, y) => Number(x > y), 'bool'], ['greater_equal', (x, y) => Number(x >= y), 'bool'],
  ['less', (x, y) => Number(x < y), 'bool'], ['less_equal', (x, y) => Number(x <= y), 'bool'],
  ['equal', (x, y) => Number(x === y), 'bool'], ['not_equal', (x, y) => Number(x !== y), 'bool'],
];

function pyMod(x: number, y: number): number {
  const r = x % y;
  return r !== 0 && r < 0 !== y < 0 ? r + y : r;
}

/** `a ∘ b` with NumPy's broadcasting and dtype rules; a Python scalar does not widen an array's dtype. */
export function binaryArrays(x: ArrayLike, y: ArrayLike, f: (p: number, q: number) => number, rule: 'promote' | 'float' | 'bool'): DataValue {
  const shape = broadcast(x, y);
  // Value-based casting: a Python int with an int32 array keeps int32; a Python float lifts ints to float64.
  const dtypeOf = (): DType => {
    if (rule === 'bool') return 'bool';
    let d: DType;
    if (x.scalar && !y.scalar) d = isFloatDtype(x.dtype) && !isFloatDtype(y.dtype) ? 'float64' : y.dtype;
    else if (y.scalar && !x.scalar) d = isFloatDtype(y.dtype) && !isFloatDtype(x.dtype) ? 'float64' : x.dtype;
    else d = promote(x.dtype, y.dtype);
    if (d === 'bool' && rule === 'promote') d = 'int64';
    return rule === 'float' && !isFloatDtype(d) ? 'float64' : d;
  };
  const dtype = dtypeOf();
  let values = broadcastValues(x, y, shape, f);
  // Integer power with a negative exponent raises in NumPy; integer results stay integral.
  if (values && !isFloatDtype(dtype) && dtype !== 'bool') values = values.map(Math.trunc);
  return arrayResult(shape, dtype, values, x.scalar === true && y.scalar === true);
}

const binaryOps: OpEntry[] = BINARY.map(([name, f, rule]) =>
  defineOp({
    name: np(name),
    signature: [{ name: 'x1' }, { name: 'x2' }, { name: 'out', default: NONE, keywordOnly: true }, { ...dtypeKw, keywordOnly: true }],
    apply: (a) => result(binaryArrays(arrayArg(a, 'x1'), arrayArg(a, 'x2'), f, rule), 0),
  }),
);

/** ndarray operators, the reflected forms swapping operands (arr.__rsub__(2) is 2 - arr). */
const OPERATORS: ReadonlyArray<readonly [string, string]> = [
  ['add', 'add'], ['sub', 'subtract'], ['mul', 'multiply'], ['truediv', 'true_divide'], ['floordiv', 'floor_divide'], ['mod', 'mod'], ['pow', 'power'],
];
const COMPARISONS: ReadonlyArray<readonly [string, string]> = [['lt', 'less'], ['le', 'less_equal'], ['gt', 'greater'], ['ge', 'greater_equal'], ['eq', 'equal'], ['ne', 'not_equal']];

const operatorOps: OpEntry[] = [...OPERATORS, ...COMPARISONS].flatMap(([dunder, fn]) => {
  const [, f, rule] = BINARY.find(([n]) => n === fn)!;
  const reflected = OPERATORS.some(([d]) => d === dunder);
  const forward = defineOp({ name: method(`__${dunder}__`), signature: [{ name: 'self' }, { name: 'other' }], apply: (a) => result(binaryArrays(arrayArg(a, 'self'), arrayArg(a, 'other'), f, rule), 0) });
  if (!reflected) return [forward];
  return [
    forward,
    defineOp({ name: method(`__r${dunder}__`), signature: [{ name: 'self' }, { name: 'other' }], apply: (a) => result(binaryArrays(arrayArg(a, 'other'), arrayArg(a, 'self'), f, rule), 0) }),
  ];
});

const unaryOperators: OpEntry[] = [
  ['__neg__', (x: number) => -x],
  ['__pos__', (x: number) => x],
  ['__abs__', Math.abs],
].map(([name, f]) =>
  defineOp({
    name: method(name as string),
    signature: [{ name: 'self' }],
    apply: (a) => {
      const x = arrayArg(a, 'self');
      return result(arrayResult(x.shape, x.dtype, x.values?.map(f as (x: number) => number), false), 0);
    },
  }),
);

// ---------------------------------------------------------------------------------------------------
// Creation.

function shapeArg(a: Args, name: string): Dim[] {
  const v = a.value(name);
  if (v?.kind === 'int') return [a.dim(name)];
  return a.sizes(name);
}

function filled(shape: readonly Dim[], dtype: DType, value: number | undefined): DataValue {
  const concrete = concreteShape(shape);
  if (concrete?.some((d) => d < 0)) fail('negative dimensions are not allowed', 'shape');
  const n = concrete ? countOf(concrete) : undefined;
  return ndarray(shape, dtype, value !== undefined && n !== undefined && n <= MAX_VALUES ? Array<number>(n).fill(value) : undefined);
}

const filledFactories: OpEntry[] = [
  ['zeros', 0],
  ['ones', 1],
  ['empty', undefined],
].map(([name, value]) =>
  defineOp({
    name: np(name as string),
    signature: [{ name: 'shape' }, { ...dtypeKw }, { name: 'order', default: str('C') }],
    apply: (a) => result(filled(shapeArg(a, 'shape'), numpyDtype(a.value('dtype')) ?? 'float64', value as number | undefined), 0),
  }),
);

const fullOp = defineOp({
  name: np('full'),
  signature: [{ name: 'shape' }, { name: 'fill_value' }, dtypeKw, { name: 'order', default: str('C') }],
  apply: (a) => {
    const fill = readArrayLike(a.value('fill_value'), 'fill_value');
    return result(filled(shapeArg(a, 'shape'), numpyDtype(a.value('dtype')) ?? fill.dtype, fill.values?.[0]), 0);
  },
});

const likeFactories: OpEntry[] = [
  ['zeros_like', 0],
  ['ones_like', 1],
  ['empty_like', undefined],
].map(([name, value]) =>
  defineOp({
    name: np(name as string),
    signature: [{ name: 'a' }, dtypeKw],
    apply: (a) => {
      const x = arrayArg(a, 'a');
      return result(filled(x.shape, numpyDtype(a.value('dtype')) ?? x.dtype, value as number | undefined), 0);
    },
  }),
);

const arrayFactories: OpEntry[] = ['array', 'asarray', 'ascontiguousarray', 'asfarray'].map((name) =>
  defineOp({
    name: np(name),
    signature: [{ name: 'object' }, dtypeKw, { name: 'copy', default: bool(true), keywordOnly: name !== 'array' }, { name: 'order', default: NONE, keywordOnly: true }, { name: 'ndmin', default: int(0), keywordOnly: true }],
    apply: (a) => {
      const x = arrayArg(a, 'object');
      const dtype = numpyDtype(a.value('dtype')) ?? (name === 'asfarray' && !isFloatDtype(x.dtype) ? 'float64' : x.dtype);
      const ndmin = a.int('ndmin');
      const shape = x.shape.length < ndmin ? [...Array<number>(ndmin - x.shape.length).fill(1), ...x.shape] : [...x.shape];
      const values = x.values && !isFloatDtype(dtype) && dtype !== 'bool' ? x.values.map(Math.trunc) : x.values;
      return result(ndarray(shape, dtype, values ? [...values] : undefined), 0);
    },
  }),
);

const arangeOp = defineOp({
  name: np('arange'),
  signature: [{ name: 'start' }, { name: 'stop', default: NONE }, { name: 'step', default: int(1) }, dtypeKw],
  apply: (a) => {
    const onlyStop = a.isNone('stop');
    const parts = [onlyStop ? int(0) : a.value('start'), a.value(onlyStop ? 'start' : 'stop'), a.value('step')].map((v) => readArrayLike(v, 'arange'));
    const isFloat = parts.some((p) => isFloatDtype(p.dtype));
    const dtype = numpyDtype(a.value('dtype')) ?? (isFloat ? 'float64' : 'int64');
    const [start, stop, step] = parts.map((p) => p.values?.[0]);
    if (start === undefined || stop === undefined || step === undefined) {
      const bound = a.value(onlyStop ? 'start' : 'stop');
      if (!isFloat && onlyStop && bound?.kind === 'int') return result(ndarray([bound.value], dtype), 0);
      return giveUp('np.arange over unknown bounds');
    }
    if (step === 0) fail('Maximum allowed size exceeded');
    const n = Math.max(0, Math.ceil((stop - start) / step));
    return result(ndarray([n], dtype, n <= MAX_VALUES ? Array.from({ length: n }, (_, i) => start + i * step) : undefined), 0);
  },
});

const linspaceOp = defineOp({
  name: np('linspace'),
  signature: [{ name: 'start' }, { name: 'stop' }, { name: 'num', default: int(50) }, { name: 'endpoint', default: bool(true) }, { name: 'retstep', default: bool(false) }, dtypeKw, { name: 'axis', default: int(0) }],
  apply: (a) => {
    const num = a.dim('num');
    if (typeof num === 'number' && num < 0) fail(`Number of samples, ${num}, must be non-negative.`, 'num');
    const start = readArrayLike(a.value('start'), 'start').values?.[0];
    const stop = readArrayLike(a.value('stop'), 'stop').values?.[0];
    const dtype = numpyDtype(a.value('dtype')) ?? 'float64';
    if (typeof num !== 'number' || start === undefined || stop === undefined) return result(ndarray([num], dtype), 0);
    const div = a.bool('endpoint') ? num - 1 : num;
    const step = div > 0 ? (stop - start) / div : 0;
    const values = Array.from({ length: num }, (_, i) => (a.bool('endpoint') && i === num - 1 && num > 1 ? stop : start + i * step));
    return result(ndarray([num], dtype, num <= MAX_VALUES ? (isFloatDtype(dtype) ? values : values.map(Math.floor)) : undefined), 0);
  },
});

const logspaceOp = defineOp({
  name: np('logspace'),
  signature: [{ name: 'start' }, { name: 'stop' }, { name: 'num', default: int(50) }, { name: 'endpoint', default: bool(true) }, { name: 'base', default: { kind: 'float', value: 10 } }, dtypeKw],
  apply: (a) => {
    const num = a.int('num');
    const start = a.float('start');
    const stop = a.float('stop');
    const base = a.float('base');
    const div = a.bool('endpoint') ? num - 1 : num;
    const step = div > 0 ? (stop - start) / div : 0;
    return result(ndarray([num], numpyDtype(a.value('dtype')) ?? 'float64', Array.from({ length: num }, (_, i) => base ** (start + i * step))), 0);
  },
});

const eyeOps: OpEntry[] = [
  defineOp({
    name: np('eye'),
    signature: [{ name: 'N' }, { name: 'M', default: NONE }, { name: 'k', default: int(0) }, dtypeKw],
    apply: (a) => result(eye(a.int('N'), a.optInt('M') ?? a.int('N'), a.int('k'), numpyDtype(a.value('dtype')) ?? 'float64'), 0),
  }),
  defineOp({
    name: np('identity'),
    signature: [{ name: 'n' }, dtypeKw],
    apply: (a) => result(eye(a.int('n'), a.int('n'), 0, numpyDtype(a.value('dtype')) ?? 'float64'), 0),
  }),
];

function eye(n: number, m: number, k: number, dtype: DType): DataValue {
  const values = n * m <= MAX_VALUES ? Array.from({ length: n * m }, (_, i) => (i % m === Math.floor(i / m) + k ? 1 : 0)) : undefined;
  return ndarray([n, m], dtype, values);
}

// ---------------------------------------------------------------------------------------------------
// Reductions.

type Reducer = (xs: readonly number[]) => number;
const REDUCTIONS: ReadonlyArray<readonly [string, Reducer, 'keep' | 'float' | 'int']> = [
  ['sum', (xs) => xs.reduce((p, x) => p + x, 0), 'keep'],
  ['prod', (xs) => xs.reduce((p, x) => p * x, 1), 'keep'],
  ['mean', (xs) => xs.reduce((p, x) => p + x, 0) / xs.length, 'float'],
  ['max', (xs) => Math.max(...xs), 'keep'],
  ['amax', (xs) => Math.max(...xs), 'keep'],
  ['min', (xs) => Math.min(...xs), 'keep'],
  ['amin', (xs) => Math.min(...xs), 'keep'],
  ['std', (xs) => Math.sqrt(variance(xs)), 'float'],
  ['var', variance, 'float'],
  ['argmax', (xs) => xs.indexOf(Math.max(...xs)), 'int'],
  ['argmin', (xs) => xs.indexOf(Math.min(...xs)), 'int'],
];

function variance(xs: readonly number[]): number {
  const mean = xs.reduce((p, x) => p + x, 0) / xs.length;
  return xs.reduce((p, x) => p + (x - mean) ** 2, 0) / xs.length;
}

/** Reduces along one axis (or all when axis is None); a 0-d result is a Python scalar. */
function reduce(x: ArrayLike, axisValue: DataValue | undefined, keepdims: boolean, f: Reducer, kind: 'keep' | 'float' | 'int'): DataValue {
  const dtype: DType = kind === 'int' ? 'int64' : kind === 'float' ? (isFloatDtype(x.dtype) ? x.dtype : 'float64') : x.dtype === 'bool' ? 'int64' : x.dtype;
  if (axisValue === undefined || axisValue.kind === 'none') {
    const shape = keepdims ? x.shape.map(() => 1) : [];
    const values = x.values && x.values.length > 0 ? [f(x.values)] : undefined;
    return arrayResult(shape, dtype, values, !keepdims);
  }
  if (axisValue.kind !== 'int' || typeof axisValue.value !== 'number') return giveUp('reduction over an unknown or multiple axis');
  const axis = normalizeAxis(axisValue.value, x.shape.length);
  const shape = keepdims ? x.shape.map((d, i) => (i === axis ? 1 : d)) : x.shape.filter((_, i) => i !== axis);
  const concrete = concreteShape(x.shape);
  let values: number[] | undefined;
  if (concrete && x.values) {
    const strides = stridesOf(concrete);
    const outer = countOf(concrete.slice(0, axis));
    const inner = countOf(concrete.slice(axis + 1));
    values = [];
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const slice = Array.from({ length: concrete[axis]! }, (_, k) => x.values![o * concrete[axis]! * inner + k * strides[axis]! + i]!);
        values.push(f(slice));
      }
    }
  }
  return arrayResult(shape, dtype, values, false);
}

function normalizeAxis(axis: number, rank: number): number {
  if (axis >= rank || axis < -rank) fail(`axis ${axis} is out of bounds for array of dimension ${rank}`, 'axis');
  return axis < 0 ? axis + rank : axis;
}

const reductionOps: OpEntry[] = REDUCTIONS.flatMap(([name, f, kind]) => {
  const rest: ArgSpec[] = [{ name: 'axis', default: NONE }, ...(kind === 'int' ? [] : [dtypeKw]), { name: 'out', default: NONE }, { name: 'keepdims', default: bool(false) }];
  const apply = (subject: string) => (a: Args) => result(reduce(arrayArg(a, subject), a.value('axis'), a.bool('keepdims'), f, kind), 0);
  return [defineOp({ name: np(name), signature: [{ name: 'a' }, ...rest], apply: apply('a') }), defineOp({ name: method(name), signature: [{ name: 'self' }, ...rest], apply: apply('self') })];
});

const cumulativeOps: OpEntry[] = [
  ['cumsum', (p: number, x: number) => p + x],
  ['cumprod', (p: number, x: number) => p * x],
].flatMap(([name, f]) => {
  const apply = (subject: string) => (a: Args) => {
    const x = arrayArg(a, subject);
    if (!a.isNone('axis') && x.shape.length > 1) return giveUp(`np.${name as string} along an axis of an array of rank > 1`);
    const n = concreteShape(x.shape) ? countOf(concreteShape(x.shape)!) : dims.product(x.shape);
    let acc = name === 'cumsum' ? 0 : 1;
    const values = x.values?.map((v) => (acc = (f as (p: number, x: number) => number)(acc, v)));
    return result(arrayResult(a.isNone('axis') ? [n] : x.shape, x.dtype === 'bool' ? 'int64' : x.dtype, values, false), 0);
  };
  const rest: ArgSpec[] = [{ name: 'axis', default: NONE }, dtypeKw, { name: 'out', default: NONE }];
  return [defineOp({ name: np(name as string), signature: [{ name: 'a' }, ...rest], apply: apply('a') }), defineOp({ name: method(name as string), signature: [{ name: 'self' }, ...rest], apply: apply('self') })];
});

// ---------------------------------------------------------------------------------------------------
// Shapes.

function reshaped(x: ArrayLike, sizes: readonly Dim[]): DataValue {
  const total = dims.product(x.shape);
  const known = sizes.filter((d) => d !== -1);
  const inferred = sizes.filter((d) => d === -1).length;
  if (inferred > 1) fail('can only specify one unknown dimension');
  const product = dims.product(known);
  let shape = [...sizes];
  if (inferred === 1) {
    if (typeof total === 'number' && typeof product === 'number' && (product === 0 || total % product !== 0)) fail(`cannot reshape array of size ${total} into shape (${sizes.join(', ')})`);
    const missing = typeof total === 'number' && typeof product === 'number' ? total / product : dims.floorDiv(total, product);
    shape = sizes.map((d) => (d === -1 ? missing : d));
  } else if (typeof total === 'number' && typeof product === 'number' && total !== product) fail(`cannot reshape array of size ${total} into shape (${sizes.join(', ')})`);
  return ndarray(shape, x.dtype, x.values ? [...x.values] : undefined);
}

const reshapeOps: OpEntry[] = [
  defineOp({ name: np('reshape'), signature: [{ name: 'a' }, { name: 'newshape' }, { name: 'order', default: str('C') }], apply: (a) => result(reshaped(arrayArg(a, 'a'), a.sizes('newshape')), 0) }),
  defineOp({ name: method('reshape'), signature: [{ name: 'self' }, { name: 'shape', variadic: true }, { name: 'order', default: str('C'), keywordOnly: true }], apply: (a) => result(reshaped(arrayArg(a, 'self'), a.sizes('shape')), 0) }),
  ...['ravel', 'flatten'].flatMap((name) => [
    defineOp({ name: method(name), signature: [{ name: 'self' }, { name: 'order', default: str('C') }], apply: (a) => result(reshaped(arrayArg(a, 'self'), [-1]), 0) }),
  ]),
  defineOp({ name: np('ravel'), signature: [{ name: 'a' }, { name: 'order', default: str('C') }], apply: (a) => result(reshaped(arrayArg(a, 'a'), [-1]), 0) }),
];

function transposed(x: ArrayLike, axesValue: readonly DataValue[]): DataValue {
  const rank = x.shape.length;
  const axes = axesValue.length === 0 ? Array.from({ length: rank }, (_, i) => rank - 1 - i) : axesValue.map((v) => (v.kind === 'int' && typeof v.value === 'number' ? normalizeAxis(v.value, rank) : giveUp('transpose axes are unknown')));
  if (axes.length !== rank) fail("axes don't match array");
  const concrete = concreteShape(x.shape);
  let values: number[] | undefined;
  if (concrete && x.values) {
    const strides = stridesOf(concrete);
    const out = axes.map((a) => concrete[a]!);
    const outStrides = stridesOf(out);
    values = Array.from({ length: countOf(out) }, (_, flat) => x.values![axes.reduce((pos, a, i) => pos + (Math.floor(flat / outStrides[i]!) % out[i]!) * strides[a]!, 0)]!);
  }
  return ndarray(axes.map((a) => x.shape[a]!), x.dtype, values);
}

const transposeOps: OpEntry[] = [
  defineOp({ name: np('transpose'), signature: [{ name: 'a' }, { name: 'axes', default: NONE }], apply: (a) => result(transposed(arrayArg(a, 'a'), a.isNone('axes') ? [] : a.varItems('axes')), 0) }),
  defineOp({ name: method('transpose'), signature: [{ name: 'self' }, { name: 'axes', variadic: true }], apply: (a) => result(transposed(arrayArg(a, 'self'), a.varItems('axes')), 0) }),
];

function joined(items: readonly ArrayLike[], axisValue: number, stack: boolean): DataValue {
  if (items.length === 0) fail('need at least one array to concatenate');
  const parts = stack ? items.map((x) => ({ ...x, shape: [...x.shape.slice(0, normalizeAxis(axisValue, x.shape.length + 1)), 1, ...x.shape.slice(normalizeAxis(axisValue, x.shape.length + 1))] })) : items;
  const first = parts[0]!;
  const rank = first.shape.length;
  if (rank === 0) fail('zero-dimensional arrays cannot be concatenated');
  const axis = normalizeAxis(axisValue, rank);
  for (const p of parts) {
    if (p.shape.length !== rank) fail(`all the input array dimensions except for the concatenation axis must match exactly`);
    p.shape.forEach((d, i) => {
      if (i !== axis && dims.equal(d, first.shape[i]!) === false) fail(`all the input array dimensions except for the concatenation axis must match exactly, but along dimension ${i}, the array at index 0 has size ${dims.formatDim(first.shape[i]!)} and the array at index ${parts.indexOf(p)} has size ${dims.formatDim(d)}`);
    });
  }
  const shape = first.shape.map((d, i) => (i === axis ? parts.map((p) => p.shape[axis]!).reduce<Dim>((acc, d) => dims.add(acc, d), 0) : d));
  const dtype = parts.reduce<DType>((acc, p) => promote(acc, p.dtype), parts[0]!.dtype);
  let values: number[] | undefined;
  const concrete = parts.map((p) => concreteShape(p.shape));
  if (concrete.every(Boolean) && parts.every((p) => p.values)) {
    const outer = countOf(concrete[0]!.slice(0, axis));
    values = [];
    for (let o = 0; o < outer; o++) {
      for (const [k, p] of parts.entries()) {
        const block = countOf(concrete[k]!.slice(axis));
        values.push(...p.values!.slice(o * block, (o + 1) * block));
      }
    }
  }
  return ndarray(shape, dtype, values);
}

const sequenceArg = (a: Args, name: string): ArrayLike[] => {
  const v = a.value(name);
  if (v?.kind !== 'list' && v?.kind !== 'tuple') return giveUp(`${name} is not a known sequence of arrays`);
  return v.items.map((item, i) => readArrayLike(item, `${name}[${i}]`));
};

const joinOps: OpEntry[] = [
  ...['concatenate', 'concat'].map((name) => defineOp({ name: np(name), signature: [{ name: 'arrays' }, { name: 'axis', default: int(0) }, { name: 'out', default: NONE }, dtypeKw], apply: (a) => result(joined(sequenceArg(a, 'arrays'), a.int('axis'), false), 0) })),
  defineOp({ name: np('stack'), signature: [{ name: 'arrays' }, { name: 'axis', default: int(0) }, { name: 'out', default: NONE }, dtypeKw], apply: (a) => result(joined(sequenceArg(a, 'arrays'), a.int('axis'), true), 0) }),
  defineOp({ name: np('hstack'), signature: [{ name: 'tup' }, dtypeKw], apply: (a) => { const items = sequenceArg(a, 'tup'); return result(joined(items, items[0]?.shape.length === 1 ? 0 : 1, false), 0); } }),
  defineOp({ name: np('vstack'), signature: [{ name: 'tup' }, dtypeKw], apply: (a) => result(joined(sequenceArg(a, 'tup').map((x) => (x.shape.length === 1 ? { ...x, shape: [1, ...x.shape] } : x)), 0, false), 0) }),
];

const expandOps: OpEntry[] = [
  defineOp({
    name: np('expand_dims'),
    signature: [{ name: 'a' }, { name: 'axis' }],
    apply: (a) => {
      const x = arrayArg(a, 'a');
      const axis = normalizeAxis(a.int('axis'), x.shape.length + 1);
      return result(ndarray([...x.shape.slice(0, axis), 1, ...x.shape.slice(axis)], x.dtype, x.values ? [...x.values] : undefined), 0);
    },
  }),
  ...[np('squeeze'), method('squeeze')].map((name) =>
    defineOp({
      name,
      signature: [{ name: name.startsWith('numpy') ? 'a' : 'self' }, { name: 'axis', default: NONE }],
      apply: (a) => {
        const x = arrayArg(a, name.startsWith('numpy') ? 'a' : 'self');
        const axis = a.isNone('axis') ? undefined : normalizeAxis(a.int('axis'), x.shape.length);
        if (axis !== undefined && x.shape[axis] !== 1) fail('cannot select an axis to squeeze out which has size not equal to one', 'axis');
        return result(ndarray(x.shape.filter((d, i) => (axis === undefined ? d !== 1 : i !== axis)), x.dtype, x.values ? [...x.values] : undefined), 0);
      },
    }),
  ),
  defineOp({
    name: np('outer'),
    signature: [{ name: 'a' }, { name: 'b' }],
    apply: (a) => {
      const x = arrayArg(a, 'a');
      const y = arrayArg(a, 'b');
      const n = dims.product(x.shape);
      const m = dims.product(y.shape);
      const values = x.values && y.values && x.values.length * y.values.length <= MAX_VALUES ? x.values.flatMap((p) => y.values!.map((q) => p * q)) : undefined;
      return result(ndarray([n, m], promote(x.dtype, y.dtype), values), 0);
    },
  }),
  defineOp({
    name: np('tile'),
    signature: [{ name: 'A' }, { name: 'reps' }],
    apply: (a) => {
      const x = arrayArg(a, 'A');
      const reps = a.sizes('reps');
      const rank = Math.max(reps.length, x.shape.length);
      const shape = [...Array<Dim>(rank - x.shape.length).fill(1), ...x.shape];
      const full = [...Array<Dim>(rank - reps.length).fill(1), ...reps];
      return result(ndarray(shape.map((d, i) => dims.mul(d, full[i]!)), x.dtype), 0);
    },
  }),
];

const methodOps: OpEntry[] = [
  defineOp({
    name: method('astype'),
    signature: [{ name: 'self' }, { name: 'dtype' }, { name: 'order', default: str('K') }, { name: 'casting', default: str('unsafe') }, { name: 'subok', default: bool(true) }, { name: 'copy', default: bool(true) }],
    apply: (a) => {
      const x = arrayArg(a, 'self');
      const dtype = numpyDtype(a.value('dtype')) ?? giveUp('astype to an unknown dtype');
      const values = x.values && !isFloatDtype(dtype) ? x.values.map((v) => (dtype === 'bool' ? Number(v !== 0) : Math.trunc(v))) : x.values;
      return result(ndarray(x.shape, dtype, values ? [...values] : undefined), 0);
    },
  }),
  defineOp({
    name: method('copy'),
    signature: [{ name: 'self' }, { name: 'order', default: str('C') }],
    apply: (a) => {
      const x = arrayArg(a, 'self');
      return result(ndarray(x.shape, x.dtype, x.values ? [...x.values] : undefined), 0);
    },
  }),
  defineOp({
    name: method('tolist'),
    signature: [{ name: 'self' }],
    apply: (a) => {
      const x = arrayArg(a, 'self');
      const shape = concreteShape(x.shape);
      if (!shape || !x.values) return giveUp('tolist() of an array whose contents are not known');
      const build = (axis: number, offset: number): DataValue => {
        if (axis === shape.length) return scalarOf(x.dtype, x.values![offset]!);
        const stride = countOf(shape.slice(axis + 1));
        return { kind: 'list', items: Array.from({ length: shape[axis]! }, (_, i) => build(axis + 1, offset + i * stride)) };
      };
      return result(build(0, 0), 0);
    },
  }),
  defineOp({
    name: method('item'),
    signature: [{ name: 'self' }],
    apply: (a) => {
      const x = arrayArg(a, 'self');
      if (x.values?.length !== 1) return x.values ? fail('can only convert an array of size 1 to a Python scalar') : giveUp('item() of an array whose contents are not known');
      return result(scalarOf(x.dtype, x.values[0]!), 0);
    },
  }),
];

/** np.random's samplers that configuration code sizes tables with: only the shape is known. */
const randomOps: OpEntry[] = [
  defineOp({ name: np('random.randn'), signature: [{ name: 'd', variadic: true }], apply: (a) => result(ndarray(a.sizes('d'), 'float64'), 0) }),
  defineOp({ name: np('random.rand'), signature: [{ name: 'd', variadic: true }], apply: (a) => result(ndarray(a.sizes('d'), 'float64'), 0) }),
  ...['normal', 'uniform'].map((name) =>
    defineOp({
      name: np(`random.${name}`),
      signature: [{ name: name === 'normal' ? 'loc' : 'low', default: { kind: 'float', value: 0 } }, { name: name === 'normal' ? 'scale' : 'high', default: { kind: 'float', value: 1 } }, { name: 'size', default: NONE }],
      apply: (a) => result(a.isNone('size') ? { kind: 'float', value: 0 } : ndarray(shapeArg(a, 'size'), 'float64'), 0),
    }),
  ),
  defineOp({
    name: np('random.randint'),
    signature: [{ name: 'low' }, { name: 'high', default: NONE }, { name: 'size', default: NONE }, { name: 'dtype', default: str('int') }],
    apply: (a) => (a.isNone('size') ? giveUp('np.random.randint returns a random int') : result(ndarray(shapeArg(a, 'size'), 'int64'), 0)),
  }),
  ...['random', 'random_sample'].map((name) =>
    defineOp({ name: np(`random.${name}`), signature: [{ name: 'size', default: NONE }], apply: (a) => (a.isNone('size') ? giveUp('np.random.random returns a random float') : result(ndarray(shapeArg(a, 'size'), 'float64'), 0)) }),
  ),
  defineOp({ name: np('random.seed'), signature: [{ name: 'seed', default: NONE }], apply: () => result(NONE, 0) }),
];

const ENTRIES: readonly OpEntry[] = [
  ...unaryOps, ...roundOps, ...binaryOps, ...operatorOps, ...unaryOperators,
  ...filledFactories, fullOp, ...likeFactories, ...arrayFactories, arangeOp, linspaceOp, logspaceOp, ...eyeOps,
  ...reductionOps, ...cumulativeOps, ...reshapeOps, ...transposeOps, ...joinOps, ...expandOps, ...methodOps, ...randomOps,
];

const entries: ReadonlyMap<string, OpEntry> = new Map(ENTRIES.map((e) => [e.name, e]));

/** 'numpy.sin', 'numpy.random.randn', 'ndarray.reshape', 'ndarray.__add__'. */
export function lookupNumpy(qualifiedName: string): OpEntry | undefined {
  return entries.get(qualifiedName);
}

export function numpyNames(): string[] {
  return [...entries.keys()];
}

/** NumPy's module constants. */
export const NUMPY_CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E, inf: Infinity, nan: NaN, euler_gamma: 0.5772156649015329 };
