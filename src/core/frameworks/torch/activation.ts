// Activation layers. Most are elementwise (output = input shape, 0 MACs by the catalogue convention);
// GLU halves a dim, PReLU has a parameter, the softmax family takes a dim.
import { formatDim } from '../../dims/dims';
import * as dims from '../../dims/dims';
import type { DataValue } from '../../values';
import { NONE, bool, float, int, str, tensor, unknown } from '../../values';
import type { ActivationName } from '../../formulas/activations';
import type { ArgSpec, LayerEntry, LayerTraits } from '../types';
import { type Args, checkWhenKnown, defineLayer, fail, result } from './define';
import { constant } from './init';
import { normalizeDim } from './shapes';
import { AUTOCAST_LOWER_ON_CUDA, namedUnaryCost, softmaxCost, unaryCost } from './costs';

const inplace: ArgSpec = { name: 'inplace', default: bool(false) };

/** Signatures of the elementwise activations, exactly as PyTorch 1.13 declares them. */
const ELEMENTWISE: ReadonlyArray<readonly [string, readonly ArgSpec[]]> = [
  ['ReLU', [inplace]],
  ['ReLU6', [inplace]],
  ['LeakyReLU', [{ name: 'negative_slope', default: float(0.01) }, inplace]],
  ['ELU', [{ name: 'alpha', default: float(1.0) }, inplace]],
  ['CELU', [{ name: 'alpha', default: float(1.0) }, inplace]],
  ['SELU', [inplace]],
  ['GELU', [{ name: 'approximate', default: str('none') }]],
  ['SiLU', [inplace]],
  ['Mish', [inplace]],
  ['Sigmoid', []],
  ['Tanh', []],
  ['Softplus', [{ name: 'beta', default: int(1) }, { name: 'threshold', default: int(20) }]],
  ['Softsign', []],
  [
    'Hardtanh',
    [{ name: 'min_val', default: float(-1.0) }, { name: 'max_val', default: float(1.0) }, inplace, { name: 'min_value', default: NONE }, { name: 'max_value', default: NONE }],
  ],
  ['Hardswish', [inplace]],
  ['Hardsigmoid', [inplace]],
  ['Tanhshrink', []],
  ['Softshrink', [{ name: 'lambd', default: float(0.5) }]],
  ['Hardshrink', [{ name: 'lambd', default: float(0.5) }]],
  ['Threshold', [{ name: 'threshold' }, { name: 'value' }, inplace]],
  ['LogSigmoid', []],
  ['RReLU', [{ name: 'lower', default: float(1 / 8) }, { name: 'upper', default: float(1 / 3) }, inplace]],
];

/**
 * The activation each elementwise layer applies, as the init-variance chain and the activation checks
 * name it (ReLU6 counts as ReLU: it clips only far in the tail).
 */
const APPLIES: Readonly<Partial<Record<string, ActivationName>>> = {
  ReLU: 'relu',
  ReLU6: 'relu',
  LeakyReLU: 'leaky_relu',
  ELU: 'elu',
  SELU: 'selu',
  GELU: 'gelu',
  SiLU: 'silu',
  Mish: 'mish',
  Softplus: 'softplus',
  Tanh: 'tanh',
  Sigmoid: 'sigmoid',
};

/** Validation some activations do in __init__, with PyTorch's messages. */
const VALIDATE: Readonly<Record<string, (a: Args) => void>> = {
  GELU: (a) => {
    const approximate = a.str('approximate');
    if (approximate !== 'none' && approximate !== 'tanh') fail(`approximate argument must be either none or tanh.`, 'approximate');
  },
  Hardtanh: (a) => {
    const min = a.optFloat('min_value') ?? a.float('min_val');
    const max = a.optFloat('max_value') ?? a.float('max_val');
    if (!(max > min)) fail('max_val must be greater than min_val', 'max_val');
  },
  Threshold: (a) => {
    a.float('threshold');
    a.float('value');
  },
};

/** Elementwise: the output keeps the input's shape and dtype (an unknown rank stays unknown). */
export function elementwiseOutput(v: DataValue | undefined): DataValue {
  if (v?.kind === 'tensor') return tensor(v.shape, v.dtype);
  if (v?.kind === 'unknown') return v;
  return unknown(`expected a Tensor, got ${v?.kind ?? 'nothing'}`);
}

const activationTraits = (activation: ActivationName | undefined): { traits: LayerTraits } => ({ traits: { keepsShape: true, ...(activation ? { variance: { kind: 'activation', activation } } : {}) } });

/** The F.* name of an activation layer (ReLU → relu, LeakyReLU → leaky_relu). */
const functionalName = (layer: string): string => (layer === 'LeakyReLU' ? 'leaky_relu' : layer.toLowerCase());

/** An elementwise layer's one option that matters to its cost: whether it works in place. */
interface InPlaceConfig {
  readonly inplace: boolean;
}

const elementwiseLayers = ELEMENTWISE.map(([name, signature]) =>
  defineLayer<InPlaceConfig>({
    name,
    signature,
    configure: (a) => {
      const validate = VALIDATE[name];
      if (validate) checkWhenKnown(() => validate(a));
      let inplace = false;
      if (signature.some((s) => s.name === 'inplace')) checkWhenKnown(() => (inplace = a.bool('inplace')));
      return { inplace };
    },
    forward: (_c, a) => {
      const input = a.value('input');
      if (input?.kind !== 'tensor' && input?.kind !== 'unknown') fail(`${name}: expected a Tensor input`, 'input');
      return result(elementwiseOutput(input));
    },
    cost: (c, _a, q) => namedUnaryCost(functionalName(name), q, 'input', c.inplace),
    ...activationTraits(APPLIES[name]),
  }),
);

interface PReLUConfig {
  readonly numParameters: number;
  readonly init: number;
}

const prelu = defineLayer<PReLUConfig>({
  name: 'PReLU',
  signature: [{ name: 'num_parameters', default: int(1) }, { name: 'init', default: float(0.25) }, { name: 'device', default: NONE }, { name: 'dtype', default: NONE }],
  configure: (a) => ({ numParameters: a.int('num_parameters'), init: a.float('init') }),
  parameters: (c) => [{ name: 'weight', shape: [c.numParameters], init: constant(c.init) }],
  forward: (c, a) => {
    const input = a.tensor('input');
    if (c.numParameters !== 1) {
      const channels = input.shape.length >= 2 ? input.shape[1]! : (input.shape[0] ?? 1);
      if (typeof channels === 'number' && channels !== c.numParameters) {
        fail(`Mismatch of parameter numbers and input channel size. Found parameter numbers = ${c.numParameters} and channel size = ${channels}.`, 'input');
      }
    }
    return result(tensor(input.shape, input.dtype));
  },
  cost: (_c, _a, q) => ({ ...unaryCost('input', q), autocast: AUTOCAST_LOWER_ON_CUDA }),
  traits: { keepsShape: true },
});

interface DimConfig {
  readonly dim: number | undefined;
}

/** PyTorch's legacy implicit softmax dim (`_get_softmax_dim`): 0 for ranks 0, 1 and 3, else 1. */
export function implicitSoftmaxDim(rank: number): number {
  return rank === 0 || rank === 1 || rank === 3 ? 0 : 1;
}

const softmaxLike = ['Softmax', 'Softmin', 'LogSoftmax'].map((name) =>
  defineLayer<DimConfig>({
    name,
    signature: [{ name: 'dim', default: NONE }],
    configure: (a) => ({ dim: a.optInt('dim') }),
    forward: (c, a) => {
      const input = a.tensor('input');
      normalizeDim(c.dim ?? implicitSoftmaxDim(input.shape.length), input.shape.length);
      return result(tensor(input.shape, input.dtype));
    },
    cost: (_c, _a, q) => softmaxCost(q),
    ...(name === 'Softmax' ? { traits: { probabilities: 'softmax' } } : name === 'LogSoftmax' ? { traits: { probabilities: 'log_softmax' } } : {}),
  }),
);

const softmax2d = defineLayer<null>({
  name: 'Softmax2d',
  signature: [],
  configure: () => null,
  forward: (_c, a) => {
    const input = a.tensor('input');
    if (input.shape.length !== 3 && input.shape.length !== 4) fail('Softmax2d requires a 3D or 4D tensor as input', 'input');
    return result(tensor(input.shape, input.dtype));
  },
  cost: (_c, _a, q) => softmaxCost(q),
});

/** GLU splits `dim` in two halves: the output has half that size. Shared with F.glu. */
export function gluShape(shape: readonly dims.Dim[], dim: number): dims.Dim[] {
  const d = normalizeDim(dim, shape.length);
  const size = shape[d]!;
  if (typeof size === 'number' && size % 2 !== 0) fail(`Halving dimension must be even, but dimension ${d} is size ${formatDim(size)}`, 'input');
  return shape.map((s, i) => (i === d ? dims.floorDiv(s, 2) : s));
}

const glu = defineLayer<{ readonly dim: number }>({
  name: 'GLU',
  signature: [{ name: 'dim', default: int(-1) }],
  configure: (a) => ({ dim: a.int('dim') }),
  forward: (c, a) => {
    const input = a.tensor('input');
    return result(tensor(gluShape(input.shape, c.dim), input.dtype));
  },
  cost: (_c, _a, q) => unaryCost('input', q),
});

export const activationLayers: readonly LayerEntry[] = [...elementwiseLayers, prelu, ...softmaxLike, softmax2d, glu];
