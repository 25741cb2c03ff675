// PyTorch 1.13's initialisations as InitSpecs: each layer's default (`reset_parameters`), torch.nn.init's
// functions, the tensor methods that fill a tensor in place, and the factories' fills.
import type { Dim } from '../../dims/dims';
import { calculateGain, fansOfShape, isGainNonlinearity, type Fans } from '../../formulas/init';
import type { DataValue } from '../../values';
import type { InitSpec } from '../types';

/** `init.kaiming_uniform_(w, a=√5)`: Linear and Conv weights; Var(W) = 1/(3·fan_in). */
export const defaultWeightInit = (fanIn: number, fanOut: number): InitSpec => ({ kind: 'kaiming_uniform', a: Math.sqrt(5), mode: 'fan_in', fanIn, fanOut });

/** `init.uniform_(b, -1/√fan_in, 1/√fan_in)`: Linear and Conv biases (bound 0 when fan_in is 0). */
export function fanInUniform(fanIn: number): InitSpec {
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  return { kind: 'uniform', low: -bound, high: bound };
}

export const ones: InitSpec = { kind: 'constant', value: 1 };
export const zeros: InitSpec = { kind: 'constant', value: 0 };
export const constant = (value: number): InitSpec => ({ kind: 'constant', value });
export const standardNormal: InitSpec = { kind: 'normal', mean: 0, std: 1 };
export const xavierUniform = (fanIn: number, fanOut: number): InitSpec => ({ kind: 'xavier_uniform', gain: 1, fanIn, fanOut });
export const xavierNormal = (fanIn: number, fanOut: number): InitSpec => ({ kind: 'xavier_normal', gain: 1, fanIn, fanOut });

// ---------------------------------------------------------------------------------------------------
// Inits the code applies itself: torch.nn.init's functions, tensor in-place fills, tensor factories.

/** One argument of a call, by position or keyword, as the interpreter passed it. */
export type InitArgument = (position: number, keyword: string) => DataValue | undefined;

const numberOf = (v: DataValue | undefined): number | undefined =>
  v?.kind === 'float' ? v.value : v?.kind === 'int' && typeof v.value === 'number' ? v.value : v?.kind === 'bool' ? Number(v.value) : undefined;
const numberArg = (arg: InitArgument, position: number, keyword: string, fallback: number): number => numberOf(arg(position, keyword)) ?? fallback;
const textArg = (arg: InitArgument, position: number, keyword: string, fallback: string): string => {
  const v = arg(position, keyword);
  return v?.kind === 'str' ? v.value : fallback;
};

/** PyTorch's `_calculate_fan_in_and_fan_out` of a tensor whose sizes are all known (formulas/init.ts). */
export function fansOfTensorShape(shape: readonly Dim[] | null | undefined): Fans | undefined {
  return shape && shape.every((d): d is number => typeof d === 'number') ? fansOfShape(shape) : undefined;
}

/** `nn.init.calculate_gain(nonlinearity, param)`; 1 for names it does not know. */
export const gainOf = (nonlinearity: string, param: number | undefined): number => (isGainNonlinearity(nonlinearity) ? calculateGain(nonlinearity, param) : 1);

const fansOfTensor = (v: DataValue | undefined): Fans | undefined => (v?.kind === 'tensor' ? fansOfTensorShape(v.shape) : undefined);

/** kaiming_normal_/kaiming_uniform_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu'). */
const kaiming = (uniform: boolean) => (arg: InitArgument): InitSpec | undefined => {
  const fans = fansOfTensor(arg(0, 'tensor'));
  if (!fans) return undefined;
  const slope = numberArg(arg, 1, 'a', 0);
  const mode = textArg(arg, 2, 'mode', 'fan_in') === 'fan_out' ? 'fan_out' : 'fan_in';
  const gain = gainOf(textArg(arg, 3, 'nonlinearity', 'leaky_relu'), slope);
  const std = gain / Math.sqrt(mode === 'fan_in' ? fans.fanIn : fans.fanOut);
  return uniform ? { kind: 'uniform', low: -Math.sqrt(3) * std, high: Math.sqrt(3) * std } : { kind: 'normal', mean: 0, std };
};

/** xavier_uniform_/xavier_normal_(tensor, gain=1). */
const xavier = (kind: 'xavier_uniform' | 'xavier_normal') => (arg: InitArgument): InitSpec | undefined => {
  const fans = fansOfTensor(arg(0, 'tensor'));
  return fans ? { kind, gain: numberArg(arg, 1, 'gain', 1), ...fans } : undefined;
};

/** The init each `torch.nn.init.<name>` function gives its tensor (argument 0), or undefined when it cannot be known. */
export const NN_INIT_FUNCTIONS: Readonly<Record<string, (arg: InitArgument) => InitSpec | undefined>> = {
  kaiming_normal_: kaiming(false),
  kaiming_uniform_: kaiming(true),
  xavier_uniform_: xavier('xavier_uniform'),
  xavier_normal_: xavier('xavier_normal'),
  normal_: (arg) => ({ kind: 'normal', mean: numberArg(arg, 1, 'mean', 0), std: numberArg(arg, 2, 'std', 1) }),
  trunc_normal_: (arg) => ({ kind: 'normal', mean: numberArg(arg, 1, 'mean', 0), std: numberArg(arg, 2, 'std', 1) }),
  uniform_: (arg) => ({ kind: 'uniform', low: numberArg(arg, 1, 'a', 0), high: numberArg(arg, 2, 'b', 1) }),
  constant_: (arg) => ({ kind: 'constant', value: numberArg(arg, 1, 'val', 0) }),
  zeros_: () => zeros,
  ones_: () => ones,
  orthogonal_: (arg) => ({ kind: 'orthogonal', gain: numberArg(arg, 1, 'gain', 1) }),
  eye_: () => ({ kind: 'unknown', reason: 'identity matrix' }),
  dirac_: () => ({ kind: 'unknown', reason: 'Dirac delta' }),
  sparse_: () => ({ kind: 'unknown', reason: 'sparse init' }),
};

/**
 * Tensor methods that write a tensor's values in place (`w.data.normal_(0, 0.02)`), with the init each
 * gives when it is one the analysis can compute with (the receiver is not an argument here); undefined
 * for fills that change values in a way the init analysis does not follow (copy_, clamp_, mul_, ...).
 */
export const TENSOR_INIT_METHODS: Readonly<Record<string, ((arg: InitArgument) => InitSpec) | undefined>> = {
  normal_: (arg) => ({ kind: 'normal', mean: numberArg(arg, 0, 'mean', 0), std: numberArg(arg, 1, 'std', 1) }),
  trunc_normal_: (arg) => ({ kind: 'normal', mean: numberArg(arg, 0, 'mean', 0), std: numberArg(arg, 1, 'std', 1) }),
  uniform_: (arg) => ({ kind: 'uniform', low: numberArg(arg, 0, 'from', 0), high: numberArg(arg, 1, 'to', 1) }),
  zero_: () => zeros,
  fill_: (arg) => ({ kind: 'constant', value: numberArg(arg, 0, 'value', 0) }),
  ...Object.fromEntries(
    ['copy_', 'fill_diagonal_', 'clamp_', 'mul_', 'add_', 'div_', 'sub_', 'bernoulli_', 'exponential_', 'random_', 'cauchy_', 'geometric_', 'log_normal_'].map((name) => [name, undefined]),
  ),
};

/** The values a tensor factory fills its result with (`nn.Parameter(torch.zeros(d))`), by the factory's short name. */
export const FACTORY_INITS: Readonly<Record<string, InitSpec>> = { zeros, ones, randn: standardNormal, rand: { kind: 'uniform', low: 0, high: 1 } };
