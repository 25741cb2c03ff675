// Parameters and MACs of a conv layer, or of n identical layers stacked, compared with the one layer of the
// same receptive field (notes topics conv-parameter-count, stacked-3x3-vs-7x7): three 3×3 convs with C
// channels and no bias have 27C² weights against 49C² for one 7×7.
import { numberArith } from '../formulas/arith';
import { convMacs, convOutputSize, convParameterCount, samePadding } from '../formulas/conv';
import { axisCount, axisListInput, isKeyword, onAxis, perAxis, range } from './axes';
import { bool, defineCalculator, fmt, list, num } from './inputs';
import type { Calculator, ParsedInputs } from './types';

const MAX_CHANNELS = 1_000_000;
const MAX_LAYERS = 1000;
const AXIS_NAMES = ['kernel', 'stride', 'padding', 'dilation', 'in'];

interface StackConfig {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly groups: number;
  readonly bias: boolean;
  readonly layers: number;
  readonly axes: number;
  // One value per axis (`axes` of them): the loops below read them at an axis index under `axes`, hence their `!`.
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  readonly dilation: readonly number[];
}

function configOf(inputs: ParsedInputs): StackConfig {
  const axes = num(inputs, 'dims');
  const perAxisOf = (name: string) => range(axes).map((axis) => onAxis(inputs, name, axis));
  return {
    inChannels: num(inputs, 'in_channels'),
    outChannels: num(inputs, 'out_channels'),
    groups: num(inputs, 'groups'),
    bias: bool(inputs, 'bias'),
    layers: num(inputs, 'layers'),
    axes,
    kernel: perAxisOf('kernel'),
    stride: perAxisOf('stride'),
    dilation: perAxisOf('dilation'),
  };
}

/**
 * Left/right padding of one axis: 'same' splits D(K − 1), extra on the right, as PyTorch; left empty it is
 * D·⌊K/2⌋ on both sides (the usual `padding=k//2`, which also works with a stride).
 */
function paddingOf(inputs: ParsedInputs, axis: number): { left: number; right: number } {
  if (inputs.padding === undefined) {
    const p = onAxis(inputs, 'dilation', axis) * Math.floor(onAxis(inputs, 'kernel', axis) / 2);
    return { left: p, right: p };
  }
  const padding = list(inputs, 'padding');
  if (isKeyword(padding)) {
    if (padding[0] === 'valid') return { left: 0, right: 0 };
    return samePadding(onAxis(inputs, 'kernel', axis), onAxis(inputs, 'dilation', axis));
  }
  const p = onAxis(inputs, 'padding', axis);
  return { left: p, right: p };
}

/** Feature-map sizes after each layer of the stack, or a message when a layer's kernel does not fit. */
function spatialSizes(inputs: ParsedInputs, config: StackConfig): { sizes: number[][] } | { error: string } {
  if (inputs.in === undefined) return { sizes: [] };
  const sizes: number[][] = [];
  let current = range(config.axes).map((axis) => onAxis(inputs, 'in', axis));
  for (let layer = 0; layer < config.layers; layer++) {
    const next: number[] = [];
    for (const axis of range(config.axes)) {
      const pad = paddingOf(inputs, axis);
      const kEff = config.dilation[axis]! * (config.kernel[axis]! - 1) + 1;
      const padded = current[axis]! + pad.left + pad.right;
      if (kEff > padded) return { error: `layer ${layer + 1}: the kernel (${config.kernel[axis]}) is larger than the padded input (${padded})` };
      next.push(
        convOutputSize(numberArith, {
          size: current[axis]! + pad.right - pad.left,
          kernel: config.kernel[axis]!,
          stride: config.stride[axis]!,
          padding: pad.left,
          dilation: config.dilation[axis]!,
        }),
      );
    }
    sizes.push(next);
    current = next;
  }
  return { sizes };
}

function check(inputs: ParsedInputs): string[] {
  const counted = axisCount(inputs, AXIS_NAMES);
  if ('error' in counted) return [counted.error];
  if (counted.count !== 1 && counted.count !== num(inputs, 'dims')) {
    return [`the per-axis lists have ${counted.count} values but dims is ${num(inputs, 'dims')} (Conv${num(inputs, 'dims')}d): give one value or ${num(inputs, 'dims')}`];
  }
  const config = configOf(inputs);
  const errors: string[] = [];
  if (config.inChannels % config.groups !== 0) errors.push(`in_channels (${config.inChannels}) must be divisible by groups (${config.groups})`);
  if (config.outChannels % config.groups !== 0) errors.push(`out_channels (${config.outChannels}) must be divisible by groups (${config.groups})`);
  const padding = list(inputs, 'padding');
  if (isKeyword(padding) && padding[0] === 'same' && config.stride.some((s) => s !== 1)) errors.push("padding='same' is not supported for strided convolutions; PyTorch raises");
  const totalStride = Math.max(...config.stride.map((s) => s ** config.layers));
  if (totalStride > 1e12) errors.push(`the stack's total stride (${totalStride.toExponential(2)}) is too large to be meaningful`);
  if (errors.length > 0) return errors;
  const sizes = spatialSizes(inputs, config);
  return 'error' in sizes ? [sizes.error] : [];
}

const product = (xs: readonly number[]): number => xs.reduce((p, x) => p * x, 1);

function run(inputs: ParsedInputs) {
  const config = configOf(inputs);
  const { inChannels: cin, outChannels: cout, groups, bias, layers: n } = config;
  const first = convParameterCount(cin, cout, config.kernel, groups, bias);
  const later = convParameterCount(cout, cout, config.kernel, groups, bias);
  const params = first + (n - 1) * later;
  const kernelText = config.kernel.join('·');
  const biasText = bias ? ` + ${cout}` : '';
  const lines = [`params = C_out·(C_in/groups)·ΠK${bias ? ' + C_out' : ''} = ${cout}·(${cin}/${groups})·${kernelText}${biasText} = ${first}`];
  if (n > 1) lines.push(`${n} layers: ${first} + ${n - 1}·(${cout}·(${cout}/${groups})·${kernelText}${biasText}) = ${params}`);

  const sized = spatialSizes(inputs, config);
  const sizes = 'sizes' in sized ? sized.sizes : [];
  let macs: number | undefined;
  if (sizes.length > 0) {
    const perLayer = sizes.map((out, layer) => convMacs(numberArith, out, layer === 0 ? cin : cout, cout, config.kernel, groups));
    macs = perLayer.reduce((a, b) => a + b, 0);
    lines.push(`MACs = ΠL_out·C_out·(C_in/groups)·ΠK = ${sizes[0]!.join('·')}·${cout}·(${cin}/${groups})·${kernelText} = ${perLayer[0]}${n > 1 ? `; all ${n} layers: ${macs}` : ''}`);
  }

  // One layer with the stack's receptive field: r = 1 + Σ(K_eff − 1)·Π(earlier strides) per axis.
  const receptive = range(config.axes).map((axis) => {
    const kEff = config.dilation[axis]! * (config.kernel[axis]! - 1) + 1;
    let r = 1;
    let jump = 1;
    for (let layer = 0; layer < n; layer++) {
      r += (kEff - 1) * jump;
      jump *= config.stride[axis]!;
    }
    return r;
  });
  const equivalent = convParameterCount(cin, cout, receptive, groups, bias);
  const result: Record<string, unknown> = { params, params_per_layer: n > 1 ? [first, ...Array<number>(n - 1).fill(later)] : first };
  if (macs !== undefined) result.macs = macs;
  if (sizes.length > 0) result.output_size = perAxis(sizes[sizes.length - 1]!);
  if (n > 1) {
    result.receptive_field = perAxis(receptive);
    result.single_layer_params = equivalent;
    result.saved_fraction = 1 - params / equivalent;
    const square = cin === cout && groups === 1 && !bias;
    const kernelArea = product(config.kernel);
    const rfArea = product(receptive);
    lines.push(
      `one layer with the same receptive field ${receptive.join('×')}: ${cout}·(${cin}/${groups})·${receptive.join('·')}${biasText} = ${equivalent}` +
        (square ? ` (${n}·${kernelArea}C² = ${n * kernelArea}C² vs ${rfArea}C²)` : '') +
        `; the stack saves ${fmt(100 * (1 - params / equivalent))}% and adds ${n - 1} non-linearities`,
    );
  }
  return {
    result,
    formula: lines.join('\n'),
    latex: '\\#\\text{params}=K_hK_w\\frac{C_{\\text{in}}}{g}F+F,\\qquad \\text{MACs}=H\'W\'\\cdot K_hK_w\\frac{C_{\\text{in}}}{g}F',
    topic: n > 1 ? 'stacked-3x3-vs-7x7' : 'conv-parameter-count',
  };
}

export const convParamsCalculator: Calculator = defineCalculator({
  id: 'conv-params',
  title: 'Conv parameters and MACs (a layer or a stack)',
  description: 'Parameters and MACs of nn.ConvNd, or of `layers` identical convs stacked, compared with one layer of the same receptive field (three 3×3: 27C² vs one 7×7: 49C²).',
  topic: 'conv-parameter-count',
  inputs: [
    { name: 'dims', kind: 'int', default: '2', rule: { min: 1, max: 3 }, description: 'Spatial dimensions: 1, 2 or 3 (Conv1d/2d/3d); single values apply to every axis.' },
    { name: 'in_channels', kind: 'int', rule: { min: 1, max: MAX_CHANNELS }, description: 'Input channels C_in.', example: '64', aliases: ['C_in', 'C'] },
    { name: 'out_channels', kind: 'int', rule: { min: 1, max: MAX_CHANNELS }, description: 'Output channels (filters) F.', example: '128', aliases: ['C_out', 'F'] },
    axisListInput('kernel', 'Kernel size per axis (kernel_size).', { aliases: ['kernel_size', 'K'], example: '3 or 3,3' }),
    { name: 'groups', kind: 'int', default: '1', rule: { min: 1, max: MAX_CHANNELS }, description: 'Groups (in_channels for depthwise).' },
    { name: 'bias', kind: 'bool', default: 'true', rule: {}, description: 'Count the C_out bias terms.' },
    axisListInput('in', 'Input spatial size per axis, for MACs (optional).', { optional: true, aliases: ['input', 'size'], example: '56,56' }),
    axisListInput('stride', 'Stride per axis.', { default: '1' }),
    axisListInput('padding', "Padding per axis, or 'same' / 'valid'; empty means D·⌊K/2⌋ (padding=k//2).", { optional: true, min: 0, keywords: ['same', 'valid'], example: "1 or 'same'" }),
    axisListInput('dilation', 'Dilation per axis.', { default: '1' }),
    { name: 'layers', kind: 'int', default: '1', rule: { min: 1, max: MAX_LAYERS }, description: 'Identical layers stacked (C_in → C_out, then C_out → C_out).' },
  ],
  check,
  run,
});
