// Linear, LazyLinear and Bilinear, plus the linear forward that F.linear reuses.
import * as dims from '../../dims/dims';
import type { Dim } from '../../dims/dims';
import { formatDim } from '../../dims/dims';
import { NONE, bool, tensor } from '../../values';
import type { ArgSpec, ForwardResult, LayerCalculators, LayerEntry, ParameterTensor } from '../types';
import { type Flag, type KnownTensor, defineLayer, fail, failAssuming, flagged, giveUp } from './define';
import { defaultWeightInit, fanInUniform } from './init';
import { bilinearCost, linearCost } from './costs';
import { broadcastShapes, provablyDifferent } from './shapes';

export interface LinearConfig {
  /** Undefined only for LazyLinear before its first call. */
  readonly inFeatures: number | undefined;
  readonly outFeatures: number;
  readonly bias: Flag;
}

const deviceDtype: readonly ArgSpec[] = [
  { name: 'device', default: NONE },
  { name: 'dtype', default: NONE },
];

/** y = x Wᵀ + b over the last dim; MACs = out_numel · in_features. */
export function linearForward(input: KnownTensor, inFeatures: Dim, outFeatures: Dim): ForwardResult {
  const shape = input.shape;
  if (shape.length === 0) fail('both arguments to linear need to be at least 1D, but they are 0D and 2D', 'input');
  const last = shape[shape.length - 1]!;
  const outShape = [...shape.slice(0, -1), outFeatures];
  if (provablyDifferent(last, inFeatures)) {
    const rows = shape.length === 1 ? 1 : dims.product(shape.slice(0, -1));
    failAssuming(`mat1 and mat2 shapes cannot be multiplied (${formatDim(rows)}x${formatDim(last)} and ${formatDim(inFeatures)}x${formatDim(outFeatures)})`, 'input', tensor(outShape, input.dtype));
  }
  return { output: tensor(outShape, input.dtype), macs: dims.mul(dims.product(outShape), inFeatures) };
}

function linearParameters(c: LinearConfig): ParameterTensor[] {
  if (c.inFeatures === undefined) return [];
  return [
    { name: 'weight', shape: [c.outFeatures, c.inFeatures], init: defaultWeightInit(c.inFeatures, c.outFeatures) },
    ...flagged(c.bias, [{ name: 'bias', shape: [c.outFeatures], init: fanInUniform(c.inFeatures) }]),
  ];
}

/** init-std with PyTorch's default scheme, fan_in and fan_out from the constructor. */
const LINEAR_CALCULATORS: LayerCalculators = { ids: ['init-std'], fixed: { scheme: 'pytorch-default' }, rename: { in_features: 'fan_in', out_features: 'fan_out' } };

const linear = defineLayer<LinearConfig>({
  name: 'Linear',
  topic: 'weight-init-xavier-he',
  signature: [{ name: 'in_features' }, { name: 'out_features' }, { name: 'bias', default: bool(true) }, ...deviceDtype],
  configure: (a) => ({ inFeatures: a.int('in_features'), outFeatures: a.int('out_features'), bias: a.flag('bias') }),
  parameters: linearParameters,
  forward: (c, a) => linearForward(a.tensor('input'), c.inFeatures ?? 0, c.outFeatures),
  cost: (c, a, q) => linearCost(a.tensor('input'), c.bias !== false, q),
  traits: {
    grid: 'tokens',
    inputSize: { argument: 'in_features', axis: 'last' },
    exampleInput: (args) => {
      const features = args['in_features'];
      return features?.kind === 'int' ? [[dims.sym('B'), features.value]] : undefined;
    },
    calculators: LINEAR_CALCULATORS,
    variance: { kind: 'dense', chained: true },
    fans: { inputs: 'in_features', outputs: 'out_features' },
  },
});

const lazyLinear = defineLayer<LinearConfig>({
  name: 'LazyLinear',
  topic: 'weight-init-xavier-he',
  signature: [{ name: 'out_features' }, { name: 'bias', default: bool(true) }, ...deviceDtype],
  configure: (a) => ({ inFeatures: undefined, outFeatures: a.int('out_features'), bias: a.flag('bias') }),
  parameters: linearParameters,
  forward: (c, a) => {
    if (c.inFeatures === undefined) return giveUp('LazyLinear used before its input size is known');
    return linearForward(a.tensor('input'), c.inFeatures, c.outFeatures);
  },
  cost: (c, a, q) => linearCost(a.tensor('input'), c.bias !== false, q),
  materialize: (c, a) => {
    if (c.inFeatures !== undefined) return c;
    const input = a.tensor('input');
    const last = input.shape[input.shape.length - 1];
    if (last === undefined) return fail('LazyLinear needs an input of at least 1 dimension', 'input');
    if (typeof last !== 'number') return giveUp("LazyLinear: the input's last dimension is not known");
    return { ...c, inFeatures: last };
  },
  traits: { variance: { kind: 'dense', chained: true }, grid: 'tokens' },
});

export interface BilinearConfig {
  readonly in1: number;
  readonly in2: number;
  readonly out: number;
  readonly bias: Flag;
}

const bilinear = defineLayer<BilinearConfig>({
  name: 'Bilinear',
  signature: [{ name: 'in1_features' }, { name: 'in2_features' }, { name: 'out_features' }, { name: 'bias', default: bool(true) }, ...deviceDtype],
  forwardSignature: [{ name: 'input1' }, { name: 'input2' }],
  configure: (a) => ({ in1: a.int('in1_features'), in2: a.int('in2_features'), out: a.int('out_features'), bias: a.flag('bias') }),
  parameters: (c) => {
    // reset_parameters: bound = 1/√in1_features for both weight and bias.
    const init = fanInUniform(c.in1);
    return [{ name: 'weight', shape: [c.out, c.in1, c.in2], init }, ...flagged(c.bias, [{ name: 'bias', shape: [c.out], init }])];
  },
  forward: (c, a) => {
    const x1 = a.tensor('input1');
    const x2 = a.tensor('input2');
    const last1 = x1.shape[x1.shape.length - 1] ?? 0;
    const last2 = x2.shape[x2.shape.length - 1] ?? 0;
    if (provablyDifferent(last1, c.in1)) fail(`bilinear(): input1 size does not match weight size: got ${formatDim(last1)} but expected ${c.in1}`, 'input1');
    if (provablyDifferent(last2, c.in2)) fail(`bilinear(): input2 size does not match weight size: got ${formatDim(last2)} but expected ${c.in2}`, 'input2');
    const lead = broadcastShapes(x1.shape.slice(0, -1), x2.shape.slice(0, -1));
    const outShape = [...lead, c.out];
    return { output: tensor(outShape, x1.dtype), macs: dims.mul(dims.product(outShape), c.in1 * c.in2) };
  },
  cost: (c, _a, q) => bilinearCost(c.bias !== false, q),
  traits: { calculators: LINEAR_CALCULATORS, variance: { kind: 'dense', chained: false }, grid: 'tokens' },
});

/** MultiheadAttention's out_proj class: a Linear under another name (torch.nn.modules.linear). */
const nonDynamicallyQuantizableLinear: LayerEntry<LinearConfig> = { ...linear, name: 'NonDynamicallyQuantizableLinear' };

export const linearLayers: readonly LayerEntry[] = [linear, lazyLinear, bilinear, nonDynamicallyQuantizableLinear];
