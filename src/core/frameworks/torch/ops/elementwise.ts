// Elementwise ops: broadcasting arithmetic ('Tensor.__add__', torch.add, in-place forms), comparisons,
// logical ops, unary math (torch.sqrt/exp/...), clamp, where, masked_fill and the dtype conversions.
// 0 MACs by the catalogue convention.
import type { Dim } from '../../../dims/dims';
import type { DataValue, DType } from '../../../values';
import { NONE, bool, int, tensor, unknown } from '../../../values';
import type { ArgSpec, ForwardResult, OpCost, OpEntry } from '../../types';
import { type Args, defineDualOp, defineOp, fail, giveUp, parseDType, result, toKnownTensor } from '../define';
import { broadcastShapes, isComplex, isFloating, numel, promoteTypes, promoteWithScalar, realPart } from '../shapes';
import { type BinaryKind, NO_GRAD_ELEMENTWISE, binaryCost, conversionCost, copyCost, namedUnaryCost, noGradCost, selectCost, unaryCost, viewCost } from '../costs';

/** What a binary op does to dtypes: keep the promoted type, force float (true division), double (float_power), or give bool. */
type DtypeRule = 'promote' | 'float' | 'double' | 'bool';

/** Shape/dtype of `a ∘ b` where either side may be a Python scalar. */
export function binaryResult(a: DataValue | undefined, b: DataValue | undefined, rule: DtypeRule): DataValue {
  const operands = [a, b];
  if (operands.some((v) => v?.kind === 'unknown')) return operands.find((v) => v?.kind === 'unknown')!;
  const tensors = operands.filter((v): v is Extract<DataValue, { kind: 'tensor' }> => v?.kind === 'tensor');
  if (tensors.length === 0) return giveUp('binary op on two non-tensors');
  if (tensors.some((t) => t.shape === null)) return tensor(null, dtypeOf(operands, rule));
  const shape = tensors.reduce<Dim[]>((acc, t) => broadcastShapes(acc, t.shape as Dim[]), []);
  return tensor(shape, dtypeOf(operands, rule));
}

function dtypeOf(operands: readonly (DataValue | undefined)[], rule: DtypeRule): DType {
  if (rule === 'bool') return 'bool';
  let dtype: DType | undefined;
  for (const v of operands) {
    if (v?.kind === 'tensor') dtype = dtype === undefined ? v.dtype : promoteTypes(dtype, v.dtype);
  }
  for (const v of operands) {
    if (v?.kind === 'float') dtype = promoteWithScalar(dtype ?? 'float32', 'float');
    else if (v?.kind === 'int') dtype = promoteWithScalar(dtype ?? 'int64', 'int');
    else if (v?.kind !== 'tensor' && v?.kind !== 'bool' && v !== undefined && v.kind !== 'none') fail(`unsupported operand type: ${v.kind}`, 'other');
  }
  const d = dtype ?? 'float32';
  // float_power computes in double (complex128 for complex operands).
  if (rule === 'double') return isComplex(d) ? 'complex128' : 'float64';
  return rule === 'float' && !isFloating(d) && d !== 'unknown' ? 'float32' : d;
}

const binary = (self: DataValue | undefined, other: DataValue | undefined, rule: DtypeRule): ForwardResult => result(binaryResult(self, other, rule));

/** Python operator dunders and their dtype rule; `__r*__` forms are the same shape rule. */
const DUNDERS: ReadonlyArray<readonly [string, DtypeRule]> = [
  ['add', 'promote'],
  ['sub', 'promote'],
  ['mul', 'promote'],
  ['truediv', 'float'],
  ['floordiv', 'promote'],
  ['mod', 'promote'],
  ['pow', 'promote'],
  ['and', 'promote'],
  ['or', 'promote'],
  ['xor', 'promote'],
  ['lshift', 'promote'],
  ['rshift', 'promote'],
];
const COMPARISONS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'];

/** How each arithmetic operator's backward reads its operands (costs.ts); 'none' has no gradient. */
const BINARY_COST: Readonly<Record<string, BinaryKind | 'none'>> = {
  add: 'add', sub: 'add', subtract: 'add', mul: 'mul', multiply: 'mul', truediv: 'div', div: 'div', divide: 'div', true_divide: 'div',
  floordiv: 'none', floor_divide: 'none', mod: 'add', remainder: 'add', fmod: 'add', pow: 'pow', maximum: 'minmax', minimum: 'minmax',
  atan2: 'minmax',
};
const binaryKindOf = (name: string): BinaryKind | 'none' => BINARY_COST[name] ?? 'none';

const selfOther: readonly ArgSpec[] = [{ name: 'self' }, { name: 'other' }];

const dunderOps: OpEntry[] = [
  ...DUNDERS.flatMap(([op, rule]) =>
    [`__${op}__`, `__r${op}__`, `__i${op}__`].map((dunder) =>
      defineOp({
        name: `Tensor.${dunder}`,
        signature: selfOther,
        apply: (a) => binary(a.value('self'), a.value('other'), rule),
        // x.__rsub__(y) is y - x: the reflected forms swap the operands' roles.
        cost: (_a, q) => {
          const kind = binaryKindOf(op);
          if (kind === 'none') return noGradCost();
          return dunder.startsWith('__r') ? binaryCost(kind, q, 'other', 'self') : binaryCost(kind, q, 'self', 'other', dunder.startsWith('__i'));
        },
      }),
    ),
  ),
  // Python 2's division dunders, still defined on Tensor: true division.
  ...['__div__', '__idiv__'].map((dunder) =>
    defineOp({
      name: `Tensor.${dunder}`,
      signature: selfOther,
      apply: (a) => binary(a.value('self'), a.value('other'), 'float'),
      cost: (_a, q) => binaryCost('div', q, 'self', 'other', dunder === '__idiv__'),
    }),
  ),
  ...COMPARISONS.map((op) => defineOp({ name: `Tensor.__${op}__`, signature: selfOther, apply: (a) => binary(a.value('self'), a.value('other'), 'bool'), cost: noGradCost })),
  ...['__neg__', '__pos__', '__abs__', '__invert__'].map((dunder) =>
    defineOp({
      name: `Tensor.${dunder}`,
      signature: [{ name: 'self' }],
      apply: (a) => {
        const self = a.value('self');
        return result(dunder === '__abs__' && self?.kind === 'tensor' ? sameAs(self, unaryDtype('abs', self.dtype)) : sameAs(self));
      },
      cost: (_a, q) => (dunder === '__invert__' ? noGradCost() : unaryCost(dunder === '__abs__' ? 'input' : 'none', q, 'self')),
    }),
  ),
];

/** Named arithmetic (torch.add(input, other, alpha=1), x.add(y), x.add_(y), ...). */
const NAMED_BINARY: ReadonlyArray<readonly [string, DtypeRule]> = [
  ['add', 'promote'],
  ['sub', 'promote'],
  ['subtract', 'promote'],
  ['mul', 'promote'],
  ['multiply', 'promote'],
  ['div', 'float'],
  ['divide', 'float'],
  ['true_divide', 'float'],
  ['floor_divide', 'promote'],
  ['remainder', 'promote'],
  ['fmod', 'promote'],
  ['pow', 'promote'],
  ['maximum', 'promote'],
  ['minimum', 'promote'],
  ['atan2', 'float'],
  ['logical_and', 'bool'],
  ['logical_or', 'bool'],
  ['logical_xor', 'bool'],
  ['bitwise_and', 'promote'],
  ['bitwise_or', 'promote'],
  ...COMPARISONS.map((c) => [c, 'bool'] as const),
  ['greater', 'bool'],
  ['less', 'bool'],
  ['not_equal', 'bool'],
  ['greater_equal', 'bool'],
  ['less_equal', 'bool'],
  ['arctan2', 'float'],
  ['bitwise_xor', 'promote'],
  ['bitwise_left_shift', 'promote'],
  ['bitwise_right_shift', 'promote'],
  ['copysign', 'float'],
  ['float_power', 'double'],
  ['fmax', 'promote'],
  ['fmin', 'promote'],
  ['gcd', 'promote'],
  ['lcm', 'promote'],
  ['heaviside', 'promote'],
  ['hypot', 'float'],
  ['igamma', 'float'],
  ['igammac', 'float'],
  ['ldexp', 'float'],
  ['logaddexp', 'float'],
  ['logaddexp2', 'float'],
  ['nextafter', 'promote'],
  ['xlogy', 'float'],
];

const ALPHA: readonly string[] = ['add', 'sub', 'subtract'];
/** torch.div(a, b, rounding_mode='floor' | 'trunc') keeps integer dtypes; None is true division. */
const ROUNDING: readonly string[] = ['div', 'divide'];

/** The dtype rule of a division, by its rounding mode (PyTorch's message for a bad mode). */
function divisionRule(a: Args, rule: DtypeRule): DtypeRule {
  if (a.isNone('rounding_mode')) return rule;
  const mode = a.str('rounding_mode');
  if (mode !== 'floor' && mode !== 'trunc') fail(`div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '${mode}'`, 'rounding_mode');
  return 'promote';
}

/** Binary ops PyTorch implements for floating types only ("hypot_cpu" not implemented for 'Long'). */
const FLOAT_ONLY = new Set(['hypot', 'igamma', 'igammac', 'logaddexp', 'logaddexp2', 'nextafter']);
const SCALAR_TYPE: Partial<Record<DType, string>> = { int64: 'Long', int32: 'Int', int8: 'Char', uint8: 'Byte', bool: 'Bool' };

function checkFloatOnly(name: string, self: DataValue | undefined): void {
  if (FLOAT_ONLY.has(name) && self?.kind === 'tensor' && SCALAR_TYPE[self.dtype]) fail(`"${name}_cpu" not implemented for '${SCALAR_TYPE[self.dtype]}'`, 'input');
}

/** Ops PyTorch has no in-place method for (x.maximum_ does not exist; a bool result cannot be written in place). */
const NO_IN_PLACE = new Set(['maximum', 'minimum', 'fmax', 'fmin', 'logaddexp', 'logaddexp2', 'positive', 'resolve_conj', 'resolve_neg']);

const namedBinaryOps: OpEntry[] = NAMED_BINARY.flatMap(([name, rule]) => {
  const rest: ArgSpec[] = [
    { name: 'other' },
    ...(ALPHA.includes(name) ? [{ name: 'alpha', default: int(1), keywordOnly: true }] : []),
    ...(ROUNDING.includes(name) ? [{ name: 'rounding_mode', default: NONE, keywordOnly: true }] : []),
  ];
  const inPlace = defineOp({
    name: `Tensor.${name}_`,
    signature: [{ name: 'self' }, ...rest],
    apply: (a) => {
      const self = a.tensor('self');
      checkFloatOnly(name, self);
      const out = binaryResult(self, a.value('other'), ROUNDING.includes(name) ? divisionRule(a, rule) : rule);
      // An in-place result must fit self's dtype (x.float_power_ needs a double x).
      if (rule === 'double' && out.kind === 'tensor' && out.dtype !== self.dtype) {
        fail(`the base given to ${name}_ has dtype ${SCALAR_TYPE[self.dtype] ?? (self.dtype === 'float32' ? 'Float' : self.dtype)} but the operation's result requires dtype Double`);
      }
      // In-place ops keep self's shape and dtype; a broadcast that would grow self is an error.
      if (out.kind === 'tensor' && out.shape && out.shape.length !== self.shape.length) {
        fail(`output with shape ${JSON.stringify(self.shape)} doesn't match the broadcast shape ${JSON.stringify(out.shape)}`);
      }
      return result(tensor(self.shape, self.dtype));
    },
    cost: (_a, q) => {
      const kind = binaryKindOf(name);
      return kind === 'none' ? noGradCost() : binaryCost(kind, q, 'self', 'other', true);
    },
  });
  return [
    ...defineDualOp({
      name,
      rest,
      apply: (t, a) => {
        checkFloatOnly(name, t);
        return binary(t, a.value('other'), ROUNDING.includes(name) ? divisionRule(a, rule) : rule);
      },
      cost: (_t, _a, subject, q) => {
        const kind = binaryKindOf(name);
        return kind === 'none' ? noGradCost() : binaryCost(kind, q, subject, 'other');
      },
    }),
    ...(NO_IN_PLACE.has(name) ? [] : [inPlace]),
  ];
});

function sameAs(v: DataValue | undefined, dtype?: DType): DataValue {
  if (v?.kind === 'tensor') return tensor(v.shape, dtype ?? v.dtype);
  if (v?.kind === 'unknown') return v;
  return unknown(`expected a Tensor, got ${v?.kind ?? 'nothing'}`);
}

/** Unary math, torch.<name>(input) and x.<name>() (plus x.<name>_() in place). */
const UNARY = [
  'sqrt', 'rsqrt', 'exp', 'exp2', 'expm1', 'log', 'log2', 'log10', 'log1p', 'tanh', 'sigmoid', 'abs', 'neg', 'negative', 'sin', 'cos', 'tan',
  'asin', 'acos', 'atan', 'sinh', 'cosh', 'floor', 'ceil', 'round', 'trunc', 'frac', 'sign', 'square', 'reciprocal', 'erf', 'erfc', 'relu',
  'logical_not', 'bitwise_not', 'isnan', 'isinf', 'isfinite', 'nan_to_num', 'sgn', 'signbit', 'positive',
  'absolute', 'acosh', 'asinh', 'atanh', 'arccos', 'arcsin', 'arctan', 'arccosh', 'arcsinh', 'arctanh', 'deg2rad', 'rad2deg', 'digamma',
  'erfinv', 'fix', 'i0', 'lgamma', 'sinc', 'conj_physical', 'resolve_conj', 'resolve_neg', 'isneginf', 'isposinf', 'isreal',
];
const BOOL_UNARY = ['logical_not', 'isnan', 'isinf', 'isfinite', 'signbit', 'isneginf', 'isposinf', 'isreal'];
/** Unary ops whose result on integer tensors is float (torch.sqrt(int tensor) → float). */
const FLOAT_UNARY = [
  'sqrt', 'rsqrt', 'exp', 'exp2', 'expm1', 'log', 'log2', 'log10', 'log1p', 'tanh', 'sigmoid', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'erf', 'erfc', 'reciprocal',
  'acosh', 'asinh', 'atanh', 'arccos', 'arcsin', 'arctan', 'arccosh', 'arcsinh', 'arctanh', 'deg2rad', 'rad2deg', 'digamma', 'erfinv', 'i0', 'lgamma', 'sinc',
];

function unaryDtype(name: string, d: DType): DType {
  if (BOOL_UNARY.includes(name)) return 'bool';
  if (name === 'abs' && isComplex(d)) return realPart(d);
  if (FLOAT_UNARY.includes(name) && !isFloating(d) && d !== 'unknown') return 'float32';
  return d;
}

const unaryOps: OpEntry[] = UNARY.flatMap((name) => [
  ...defineDualOp({
    name,
    rest: [],
    apply: (t) => result(tensor(t.shape, unaryDtype(name, t.dtype))),
    cost: (_t, _a, subject, q) => (NO_GRAD_ELEMENTWISE.has(name) ? noGradCost() : namedUnaryCost(name, q, subject)),
  }),
  ...(NO_IN_PLACE.has(name) || (BOOL_UNARY.includes(name) && name !== 'logical_not')
    ? []
    : [
  defineOp({
    name: `Tensor.${name}_`,
    signature: [{ name: 'self' }],
    apply: (a) => result(sameAs(a.value('self'))),
    cost: (_a, q) => (NO_GRAD_ELEMENTWISE.has(name) ? noGradCost() : namedUnaryCost(name, q, 'self', true)),
  }),
      ]),
]);

const clampRest: readonly ArgSpec[] = [
  { name: 'min', default: NONE },
  { name: 'max', default: NONE },
];

const clampOps: OpEntry[] = ['clamp', 'clip', 'clamp_', 'clip_'].flatMap((name) =>
  defineDualOp({
    name,
    torch: !name.endsWith('_'),
    rest: clampRest,
    apply: (t, a) => {
      if (a.isNone('min') && a.isNone('max')) fail("torch.clamp: At least one of 'min' or 'max' must not be None");
      const bounds = [a.value('min'), a.value('max')].filter((v) => v?.kind === 'tensor');
      return result(bounds.reduce<DataValue>((acc, b) => binaryResult(acc, b, 'promote'), tensor(t.shape, t.dtype)));
    },
    cost: (_t, _a, subject, q) => unaryCost('input', q, subject, name.endsWith('_')),
  }),
);

const whereOp = defineOp({
  name: 'torch.where',
  signature: [{ name: 'condition' }, { name: 'input', default: NONE }, { name: 'other', default: NONE }],
  apply: (a) => {
    const condition = a.tensor('condition');
    if (a.isNone('input') && a.isNone('other')) return giveUp('torch.where(condition) returns index tensors whose length depends on the values');
    const values = binaryResult(a.value('input'), a.value('other'), 'promote');
    return result(binaryResult(values, tensor(condition.shape, 'bool'), 'promote'));
  },
  cost: (_a, q) => selectCost(q, 'condition', ['input', 'other']),
});

const tensorWhere = defineOp({
  name: 'Tensor.where',
  signature: [{ name: 'self' }, { name: 'condition' }, { name: 'other' }],
  apply: (a) => {
    const condition = a.tensor('condition');
    return result(binaryResult(binaryResult(a.value('self'), a.value('other'), 'promote'), tensor(condition.shape, 'bool'), 'promote'));
  },
  cost: (_a, q) => selectCost(q, 'condition', ['self', 'other']),
});

const maskedFill: OpEntry[] = ['masked_fill', 'masked_fill_'].flatMap((name) =>
  defineDualOp({
    name,
    torch: name === 'masked_fill',
    rest: [{ name: 'mask' }, { name: 'value' }],
    apply: (t, a) => {
      const mask = a.tensor('mask');
      if (mask.dtype !== 'bool' && mask.dtype !== 'uint8' && mask.dtype !== 'unknown') {
        fail(`masked_fill_ only supports boolean masks, but got mask with dtype ${mask.dtype === 'int64' ? 'long int' : mask.dtype}`, 'mask');
      }
      // PyTorch broadcasts (mask, self); in place, the result must keep self's shape.
      const shape = broadcastShapes(mask.shape, t.shape);
      if (name === 'masked_fill_' && shape.length !== t.shape.length) fail(`masked_fill_: the mask of shape ${JSON.stringify(mask.shape)} cannot broadcast to self`, 'mask');
      return result(tensor(name === 'masked_fill' ? shape : t.shape, t.dtype));
    },
    cost: (_t, _a, subject, q) => selectCost(q, 'mask', [subject], name.endsWith('_') ? subject : undefined),
  }),
);

/** Conversions that keep the shape and may change the dtype. */
const CONVERSIONS: ReadonlyArray<readonly [string, DType | null]> = [
  ['contiguous', null],
  ['clone', null],
  ['detach', null],
  ['detach_', null],
  ['cpu', null],
  ['cuda', null],
  ['requires_grad_', null],
  ['float', 'float32'],
  ['double', 'float64'],
  ['half', 'float16'],
  ['bfloat16', 'bfloat16'],
  ['long', 'int64'],
  ['int', 'int32'],
  ['bool', 'bool'],
  ['byte', 'uint8'],
];

/** The conversions that are not a change of element type. */
const CONVERSION_COSTS: Readonly<Record<string, () => OpCost>> = {
  contiguous: () => viewCost('self', { kind: 'contiguous' }),
  clone: () => copyCost(),
  detach: () => ({ ...viewCost('self', { kind: 'alias' }), noGrad: true }),
  detach_: () => ({ ...viewCost('self', { kind: 'alias' }), noGrad: true }),
  cpu: () => viewCost('self', { kind: 'alias' }),
  cuda: () => viewCost('self', { kind: 'alias' }),
  requires_grad_: () => viewCost('self', { kind: 'alias' }),
};

const conversionOps: OpEntry[] = CONVERSIONS.map(([name, dtype]) =>
  defineOp({
    name: `Tensor.${name}`,
    signature: [{ name: 'self' }, { name: 'args', variadic: true }, { name: 'memory_format', default: NONE, keywordOnly: true }],
    apply: (a) => result(sameAs(a.value('self'), dtype ?? undefined)),
    cost: (a, q) => CONVERSION_COSTS[name]?.() ?? conversionCost(a.tensor('self'), q),
  }),
);

/** x.to(dtype) / x.to(device) / x.to(device, dtype) / x.to(other): the dtype comes from whichever is given. */
function targetDtype(a: Args): DType | undefined {
  const candidates = [...a.varItems('args'), a.value('dtype') ?? NONE];
  for (const v of candidates) {
    const parsed = parseDType(v);
    if (parsed) return parsed;
    if (v.kind === 'tensor') return v.dtype;
  }
  return undefined;
}

const toOps: OpEntry[] = [
  defineOp({
    name: 'Tensor.to',
    signature: [
      { name: 'self' },
      { name: 'args', variadic: true },
      { name: 'dtype', default: NONE, keywordOnly: true },
      { name: 'device', default: NONE, keywordOnly: true },
      { name: 'non_blocking', default: bool(false), keywordOnly: true },
      { name: 'copy', default: bool(false), keywordOnly: true },
      { name: 'memory_format', default: NONE, keywordOnly: true },
    ],
    apply: (a) => result(sameAs(a.value('self'), targetDtype(a))),
    cost: (a, q) => conversionCost(a.tensor('self'), q),
  }),
  defineOp({
    name: 'Tensor.type',
    signature: [{ name: 'self' }, { name: 'dtype', default: NONE }, { name: 'non_blocking', default: bool(false) }],
    apply: (a) => (a.isNone('dtype') ? giveUp('x.type() returns a string') : result(sameAs(a.value('self'), parseDType(a.value('dtype'))))),
    cost: (a, q) => conversionCost(a.tensor('self'), q),
  }),
  defineOp({
    name: 'Tensor.type_as',
    signature: [{ name: 'self' }, { name: 'other' }],
    apply: (a) => result(sameAs(a.value('self'), toKnownTensor(a.value('other'), 'other').dtype)),
    cost: (a, q) => conversionCost(a.tensor('self'), q),
  }),
  ...defineDualOp({ name: 'numel', rest: [], apply: (t) => result(int(numel(t.shape))), cost: noGradCost }),
];

/** Unary ops with one extra argument: logit(eps), polygamma(n, x) (n first), mvlgamma(x, p). */
const parameterisedUnary: OpEntry[] = [
  ...['logit', 'logit_'].flatMap((name) =>
    defineDualOp({ name, torch: name === 'logit', rest: [{ name: 'eps', default: NONE }], apply: (t) => result(tensor(t.shape, isFloating(t.dtype) ? t.dtype : 'float32')) }),
  ),
  defineOp({ name: 'torch.polygamma', signature: [{ name: 'n' }, { name: 'input' }], apply: (a) => result(sameAs(a.value('input'), unaryDtype('digamma', a.tensor('input').dtype))) }),
  ...['polygamma', 'polygamma_'].map((name) =>
    defineOp({ name: `Tensor.${name}`, signature: [{ name: 'self' }, { name: 'n' }], apply: (a) => result(sameAs(a.value('self'), unaryDtype('digamma', a.tensor('self').dtype))) }),
  ),
  ...['mvlgamma', 'mvlgamma_'].flatMap((name) =>
    defineDualOp({ name, torch: name === 'mvlgamma', rest: [{ name: 'p' }], apply: (t) => result(tensor(t.shape, unaryDtype('lgamma', t.dtype))) }),
  ),
];

/** addcmul / addcdiv (input + value · t1 ∘ t2) and lerp (input + weight · (end − input)): three-way broadcasting. */
const ternaryOps: OpEntry[] = [
  ...['addcmul', 'addcdiv', 'addcmul_', 'addcdiv_'].flatMap((name) =>
    defineDualOp({
      name,
      torch: !name.endsWith('_'),
      rest: [{ name: 'tensor1' }, { name: 'tensor2' }, { name: 'value', default: int(1), keywordOnly: true }],
      apply: (t, a) => {
        const out = binaryResult(binaryResult(t, a.value('tensor1'), 'promote'), a.value('tensor2'), 'promote');
        return result(name.endsWith('_') ? tensor(t.shape, t.dtype) : out);
      },
    }),
  ),
  ...['lerp', 'lerp_'].flatMap((name) =>
    defineDualOp({
      name,
      torch: name === 'lerp',
      rest: [{ name: 'end' }, { name: 'weight' }],
      apply: (t, a) => {
        const out = binaryResult(binaryResult(t, a.value('end'), 'promote'), a.value('weight'), 'promote');
        return result(name === 'lerp_' ? tensor(t.shape, t.dtype) : out);
      },
    }),
  ),
];

export const elementwiseOps: readonly OpEntry[] = [
  ...parameterisedUnary,
  ...ternaryOps,
  ...dunderOps,
  ...namedBinaryOps,
  ...unaryOps,
  ...clampOps,
  whereOp,
  tensorWhere,
  ...maskedFill,
  ...conversionOps,
  ...toOps,
];
