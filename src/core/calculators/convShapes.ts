// Output-size calculators of conv, pooling and transposed conv layers, and the inverse (the padding that
// gives a wanted size). The shape formulas are those of src/core/formulas/conv.ts; these files only
// validate, loop over axes and render (notes topic conv-output-size).
import { numberArith, textArith } from '../formulas/arith';
import type { Arith } from '../formulas/arith';
import {
  convOutputSize,
  convSymmetricPaddingRange,
  convTotalPaddingRange,
  convTransposeOutputSize,
  convTransposePaddingFor,
  poolOutputSize,
  samePadding,
} from '../formulas/conv';
import type { ConvAxis } from '../formulas/conv';
import { axisCount, axisLabel, axisListInput, isKeyword, onAxis, perAxis, range } from './axes';
import { bool, defineCalculator, list, str } from './inputs';
import type { Calculator, InputSpec, ParsedInputs } from './types';

const TOPIC = 'conv-output-size';

const sizeInput = axisListInput('in', 'Input length per spatial axis.', { aliases: ['input', 'size', 'L'], example: '224 or 224,224' });
const kernelInput = axisListInput('kernel', 'Kernel size per axis (kernel_size).', { aliases: ['kernel_size', 'K'], example: '3 or 3,3' });
const strideInput = axisListInput('stride', 'Stride per axis.', { default: '1', aliases: ['S'] });
const dilationInput = axisListInput('dilation', 'Dilation per axis (1 = none).', { default: '1', aliases: ['D'] });
const paddingInput = (keywords: readonly string[] = []): InputSpec =>
  axisListInput('padding', `Zero padding on each side, per axis${keywords.length > 0 ? ", or 'same' / 'valid'" : ''}.`, {
    default: '0',
    min: 0,
    keywords,
    aliases: ['P'],
  });

/** The numbers of one axis, for the shared formulas. */
function axisOf(inputs: ParsedInputs, axis: number, padding: number): ConvAxis<number> {
  return {
    size: onAxis(inputs, 'in', axis),
    kernel: onAxis(inputs, 'kernel', axis),
    stride: onAxis(inputs, 'stride', axis),
    padding,
    dilation: onAxis(inputs, 'dilation', axis),
  };
}

const asText = (x: ConvAxis<number>): ConvAxis<string> => ({
  size: textArith.lit(x.size),
  kernel: textArith.lit(x.kernel),
  stride: textArith.lit(x.stride),
  padding: textArith.lit(x.padding),
  dilation: textArith.lit(x.dilation),
});

/** The same formula text with ⌈ ⌉ in place of ⌊ ⌋: pooling with ceil_mode, rendered from the one formula. */
const ceilTextArith: Arith<string> = { ...textArith, floorDiv: textArith.ceilDiv };
const ceilNumberArith: Arith<number> = { ...numberArith, floorDiv: numberArith.ceilDiv };

const effectiveKernelOf = (x: ConvAxis<number>): number => x.dilation * (x.kernel - 1) + 1;

/** "the kernel (7) is larger than the padded input (5)", naming the dilated extent when dilation > 1. */
function kernelTooLarge(x: ConvAxis<number>, paddedSize: number, label: string): string | undefined {
  const kEff = effectiveKernelOf(x);
  if (kEff <= paddedSize) return undefined;
  const kernel = x.dilation === 1 ? `the kernel (${x.kernel})` : `the dilated kernel (${x.dilation}·(${x.kernel} − 1) + 1 = ${kEff})`;
  return `${label}${kernel} is larger than the padded input (${paddedSize})`;
}

/** Joins per-axis formula lines, showing one line when every axis is the same. */
function joinAxes(lines: readonly string[]): string {
  const [first] = lines;
  return first !== undefined && lines.every((l) => l === first) ? first.replace(/^axis 0: /, '') : lines.join('; ');
}

function axesOrError(inputs: ParsedInputs, names: readonly string[]): number | string {
  const counted = axisCount(inputs, names);
  return 'error' in counted ? counted.error : counted.count;
}

/** Trailing positions a strided window never reaches (CC-51). */
function droppedNote(x: ConvAxis<number>, totalPadding: number, label: string): string | undefined {
  const leftover = (x.size + totalPadding - effectiveKernelOf(x)) % x.stride;
  return leftover > 0 ? `${label}(L + padding − K_eff) = ${x.size + totalPadding - effectiveKernelOf(x)} is not divisible by the stride ${x.stride}: the last ${leftover} position(s) are never covered` : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// conv-out

const CONV_NAMES = ['in', 'kernel', 'stride', 'padding', 'dilation'];

/** Left and right padding of one axis: symmetric, or 'same' split as PyTorch does (extra on the right). */
function convPaddingOf(inputs: ParsedInputs, axis: number): { left: number; right: number; mode: 'same' | 'explicit' } {
  const padding = list(inputs, 'padding');
  if (isKeyword(padding)) {
    if (padding[0] === 'valid') return { left: 0, right: 0, mode: 'explicit' };
    const same = samePadding(onAxis(inputs, 'kernel', axis), onAxis(inputs, 'dilation', axis));
    return { ...same, mode: 'same' };
  }
  const p = onAxis(inputs, 'padding', axis);
  return { left: p, right: p, mode: 'explicit' };
}

function checkConv(inputs: ParsedInputs): string[] {
  const count = axesOrError(inputs, CONV_NAMES);
  if (typeof count === 'string') return [count];
  const errors: string[] = [];
  const padding = list(inputs, 'padding');
  if (isKeyword(padding) && padding[0] === 'same') {
    const strided = range(count).find((axis) => onAxis(inputs, 'stride', axis) !== 1);
    if (strided !== undefined) errors.push(`padding='same' is not supported for strided convolutions (stride ${onAxis(inputs, 'stride', strided)}); PyTorch raises`);
  }
  for (const axis of range(count)) {
    const pad = convPaddingOf(inputs, axis);
    const x = axisOf(inputs, axis, pad.left);
    const problem = kernelTooLarge(x, x.size + pad.left + pad.right, axisLabel(count, axis));
    if (problem) errors.push(problem);
  }
  return errors;
}

function runConv(inputs: ParsedInputs) {
  const count = axesOrError(inputs, CONV_NAMES) as number;
  const sizes: number[] = [];
  const lines: string[] = [];
  const notes: string[] = [];
  for (const axis of range(count)) {
    const label = axisLabel(count, axis);
    const pad = convPaddingOf(inputs, axis);
    const x = axisOf(inputs, axis, pad.left);
    if (pad.mode === 'same') {
      // 'same' pads D·(K − 1) in total, the odd one on the right; the shared formula sees it as a symmetric
      // left padding on an input longer by (right − left).
      const out = convOutputSize(numberArith, { ...x, size: x.size + pad.right - pad.left });
      sizes.push(out);
      lines.push(`${label}padding='same': D·(K − 1) = ${x.dilation}·(${x.kernel} − 1) = ${pad.left + pad.right} → left ${pad.left}, right ${pad.right}; L_out = L = ${out}`);
      continue;
    }
    const out = convOutputSize(numberArith, x);
    sizes.push(out);
    lines.push(`${label}L_out = ${convOutputSize(textArith, asText(x))} = ${out}`);
    const dropped = droppedNote(x, 2 * x.padding, label);
    if (dropped) notes.push(dropped);
  }
  return {
    result: perAxis(sizes),
    formula: joinAxes(lines),
    latex: 'L_{\\text{out}}=\\left\\lfloor\\frac{L+2P-D(K-1)-1}{S}\\right\\rfloor+1',
    topic: TOPIC,
    notes,
  };
}

export const convOutCalculator: Calculator = defineCalculator({
  id: 'conv-out',
  title: 'Conv output size (Conv1d/2d/3d)',
  description: "Output length per axis of nn.ConvNd: ⌊(L + 2P − D(K − 1) − 1)/S⌋ + 1, with padding 'same' / 'valid'.",
  topic: TOPIC,
  inputs: [sizeInput, kernelInput, strideInput, paddingInput(['same', 'valid']), dilationInput],
  check: checkConv,
  run: runConv,
});

// ---------------------------------------------------------------------------------------------------------
// pool-out

const POOL_NAMES = ['in', 'kernel', 'stride', 'padding', 'dilation'];

/** Pooling's stride defaults to the kernel size (stride=None in PyTorch). */
function poolAxis(inputs: ParsedInputs, axis: number): ConvAxis<number> {
  const strideGiven = inputs.stride !== undefined;
  const x = axisOf(inputs, axis, onAxis(inputs, 'padding', axis));
  return strideGiven ? x : { ...x, stride: x.kernel };
}

/**
 * The smallest output PyTorch accepts: max_pool1d only rejects negative sizes (0 gives an empty tensor);
 * the 2-D/3-D kernels and avg_pool1d (which runs avg_pool2d) reject sizes below 1.
 */
const smallestPoolOutput = (count: number, mode: string): number => (count === 1 && mode === 'max' ? 0 : 1);

function checkPool(inputs: ParsedInputs): string[] {
  const count = axesOrError(inputs, POOL_NAMES);
  if (typeof count === 'string') return [count];
  const errors: string[] = [];
  const ceilMode = bool(inputs, 'ceil_mode');
  const mode = str(inputs, 'mode');
  for (const axis of range(count)) {
    const label = axisLabel(count, axis);
    const x = poolAxis(inputs, axis);
    if (mode === 'avg' && x.dilation !== 1) errors.push(`${label}AvgPool has no dilation (got ${x.dilation}); use mode=max or dilation=1`);
    if (x.padding > Math.floor(x.kernel / 2)) {
      errors.push(`${label}padding (${x.padding}) must be at most half the kernel size (${x.kernel}) for pooling; PyTorch raises`);
      continue;
    }
    // PyTorch does not compare the kernel with the padded input for pooling; it only rejects a too-small output.
    const out = poolOutputSize(numberArith, x, ceilMode) ?? 0;
    if (out < smallestPoolOutput(count, mode)) {
      const why = kernelTooLarge(x, x.size + 2 * x.padding, '');
      errors.push(`${label}the output size (${out}) is too small${why ? `: ${why}` : ''}`);
    }
  }
  return errors;
}

function runPool(inputs: ParsedInputs) {
  const count = axesOrError(inputs, POOL_NAMES) as number;
  const ceilMode = bool(inputs, 'ceil_mode');
  const sizes: number[] = [];
  const lines: string[] = [];
  const notes: string[] = [];
  for (const axis of range(count)) {
    const label = axisLabel(count, axis);
    const x = poolAxis(inputs, axis);
    const out = poolOutputSize(numberArith, x, ceilMode) ?? 0;
    sizes.push(out);
    const tooLarge = kernelTooLarge(x, x.size + 2 * x.padding, label);
    if (tooLarge) notes.push(`${tooLarge}; PyTorch still returns ${out} window(s)${out === 0 ? ' (an empty tensor)' : ''}`);
    if (!ceilMode) {
      lines.push(`${label}L_out = ${convOutputSize(textArith, asText(x))} = ${out}`);
      const dropped = droppedNote(x, 2 * x.padding, label);
      if (dropped) notes.push(dropped);
      continue;
    }
    const rounded = convOutputSize(ceilNumberArith, x);
    const ceilText = `${label}L_out = ${convOutputSize(ceilTextArith, asText(x))}`;
    if (rounded === out) {
      lines.push(`${ceilText} = ${out}`);
    } else {
      // PyTorch's rule: the last window must start inside the input or the left padding.
      lines.push(
        `${ceilText} = ${rounded}; the last window would start at (${rounded} − 1)·${x.stride} = ${(rounded - 1) * x.stride} ≥ L + P = ${x.size + x.padding}, inside the right padding, so PyTorch drops it: ${out}`,
      );
    }
  }
  return {
    result: perAxis(sizes),
    formula: joinAxes(lines),
    latex: ceilMode
      ? 'L_{\\text{out}}=\\left\\lceil\\frac{L+2P-D(K-1)-1}{S}\\right\\rceil+1,\\ \\text{minus 1 if }(L_{\\text{out}}-1)S\\ge L+P'
      : 'L_{\\text{out}}=\\left\\lfloor\\frac{L+2P-D(K-1)-1}{S}\\right\\rfloor+1',
    topic: TOPIC,
    notes,
  };
}

export const poolOutCalculator: Calculator = defineCalculator({
  id: 'pool-out',
  title: 'Pooling output size (MaxPool/AvgPool 1d/2d/3d)',
  description: "Output length per axis of nn.MaxPoolNd / nn.AvgPoolNd, with ceil_mode and PyTorch's last-window rule.",
  topic: TOPIC,
  inputs: [
    sizeInput,
    kernelInput,
    { ...axisListInput('stride', 'Stride per axis; empty means the kernel size (PyTorch default stride=None).', { optional: true, aliases: ['S'], example: '2' }) },
    paddingInput(),
    dilationInput,
    { name: 'ceil_mode', kind: 'bool', default: 'false', rule: {}, description: 'Round the output size up (ceil_mode=True).' },
    { name: 'mode', kind: 'enum', default: 'max', rule: { options: ['max', 'avg'] }, description: 'MaxPool or AvgPool (AvgPool has no dilation).' },
  ],
  check: checkPool,
  run: runPool,
});

// ---------------------------------------------------------------------------------------------------------
// convtranspose-out

const TRANSPOSE_NAMES = ['in', 'kernel', 'stride', 'padding', 'output_padding', 'dilation'];

function transposeAxis(inputs: ParsedInputs, axis: number): ConvAxis<number> & { outputPadding: number } {
  return { ...axisOf(inputs, axis, onAxis(inputs, 'padding', axis)), outputPadding: onAxis(inputs, 'output_padding', axis) };
}

function checkTranspose(inputs: ParsedInputs): string[] {
  const count = axesOrError(inputs, TRANSPOSE_NAMES);
  if (typeof count === 'string') return [count];
  const errors: string[] = [];
  for (const axis of range(count)) {
    const label = axisLabel(count, axis);
    const x = transposeAxis(inputs, axis);
    if (x.outputPadding >= Math.max(x.stride, x.dilation)) {
      errors.push(`${label}output_padding (${x.outputPadding}) must be smaller than either stride (${x.stride}) or dilation (${x.dilation}); PyTorch raises`);
      continue;
    }
    const out = convTransposeOutputSize(numberArith, x);
    if (out < 1) errors.push(`${label}the output size (${out}) is too small: padding ${x.padding} removes more than the layer produces`);
  }
  return errors;
}

function runTranspose(inputs: ParsedInputs) {
  const count = axesOrError(inputs, TRANSPOSE_NAMES) as number;
  const sizes: number[] = [];
  const lines: string[] = [];
  for (const axis of range(count)) {
    const x = transposeAxis(inputs, axis);
    const out = convTransposeOutputSize(numberArith, x);
    sizes.push(out);
    lines.push(`${axisLabel(count, axis)}L_out = ${convTransposeOutputSize(textArith, { ...asText(x), outputPadding: textArith.lit(x.outputPadding) })} = ${out}`);
  }
  return {
    result: perAxis(sizes),
    formula: joinAxes(lines),
    latex: 'L_{\\text{out}}=(L-1)S-2P+D(K-1)+P_{\\text{out}}+1',
    topic: TOPIC,
  };
}

export const convTransposeOutCalculator: Calculator = defineCalculator({
  id: 'convtranspose-out',
  title: 'Transposed conv output size (ConvTranspose1d/2d/3d)',
  description: 'Output length per axis of nn.ConvTransposeNd: (L − 1)·S − 2P + D(K − 1) + output_padding + 1.',
  topic: TOPIC,
  inputs: [
    sizeInput,
    kernelInput,
    strideInput,
    paddingInput(),
    axisListInput('output_padding', 'Extra size added to one side of the output, per axis (smaller than stride or dilation).', { default: '0', min: 0 }),
    dilationInput,
  ],
  check: checkTranspose,
  run: runTranspose,
});

// ---------------------------------------------------------------------------------------------------------
// conv-padding (inverse)

const INVERSE_NAMES = ['in', 'out', 'kernel', 'stride', 'dilation', 'padding'];

function checkInverse(inputs: ParsedInputs): string[] {
  const count = axesOrError(inputs, INVERSE_NAMES);
  if (typeof count === 'string') return [count];
  if (!bool(inputs, 'transposed') && inputs.padding !== undefined) {
    return ['padding is the answer for a conv; give it only with transposed=true (then output_padding is solved)'];
  }
  return [];
}

interface InverseAxis {
  readonly size: number;
  readonly wanted: number;
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
}

function inverseAxis(inputs: ParsedInputs, axis: number): InverseAxis {
  return {
    size: onAxis(inputs, 'in', axis),
    wanted: onAxis(inputs, 'out', axis),
    kernel: onAxis(inputs, 'kernel', axis),
    stride: onAxis(inputs, 'stride', axis),
    dilation: onAxis(inputs, 'dilation', axis),
  };
}

function solveConvAxis(a: InverseAxis, label: string): { padding: number | null; line: string; note?: string } {
  const symmetric = convSymmetricPaddingRange(a.size, a.kernel, a.stride, a.dilation, a.wanted);
  if (symmetric) {
    const x: ConvAxis<number> = { size: a.size, kernel: a.kernel, stride: a.stride, padding: symmetric.low, dilation: a.dilation };
    const also = symmetric.high > symmetric.low ? ` (any padding ${symmetric.low}…${symmetric.high} gives the same size)` : '';
    return { padding: symmetric.low, line: `${label}padding = ${symmetric.low}: ${convOutputSize(textArith, asText(x))} = ${convOutputSize(numberArith, x)}${also}` };
  }
  const total = convTotalPaddingRange(a.size, a.kernel, a.stride, a.dilation, a.wanted);
  const reason = total
    ? `no symmetric padding gives ${a.wanted}; a total padding of ${total.low} split unevenly would (F.pad(x, (${Math.floor(total.low / 2)}, ${Math.ceil(total.low / 2)})) with padding=0)`
    : `no padding ≥ 0 gives ${a.wanted} from ${a.size} with kernel ${a.kernel}, stride ${a.stride}, dilation ${a.dilation}`;
  return { padding: null, line: `${label}${reason}` };
}

function solveTransposeAxis(a: InverseAxis, label: string, padding: number | undefined): { padding: number | null; outputPadding: number | null; line: string } {
  const solved = convTransposePaddingFor(a.size, a.kernel, a.stride, a.dilation, a.wanted, padding);
  if (!solved) {
    const fixed = padding !== undefined ? ` with padding ${padding}` : '';
    return {
      padding: null,
      outputPadding: null,
      line: `${label}no padding${fixed} and output_padding < max(stride, dilation) = ${Math.max(a.stride, a.dilation)} give ${a.wanted} from ${a.size}`,
    };
  }
  const x = { size: a.size, kernel: a.kernel, stride: a.stride, padding: solved.padding, dilation: a.dilation, outputPadding: solved.outputPadding };
  const text = convTransposeOutputSize(textArith, { ...asText(x), outputPadding: textArith.lit(x.outputPadding) });
  return {
    ...solved,
    line: `${label}padding = ${solved.padding}, output_padding = ${solved.outputPadding}: ${text} = ${convTransposeOutputSize(numberArith, x)}`,
  };
}

function runInverse(inputs: ParsedInputs) {
  const count = axesOrError(inputs, INVERSE_NAMES) as number;
  const transposed = bool(inputs, 'transposed');
  const lines: string[] = [];
  const paddings: (number | null)[] = [];
  const outputPaddings: (number | null)[] = [];
  for (const axis of range(count)) {
    const label = axisLabel(count, axis);
    const a = inverseAxis(inputs, axis);
    if (transposed) {
      const solved = solveTransposeAxis(a, label, inputs.padding === undefined ? undefined : onAxis(inputs, 'padding', axis));
      paddings.push(solved.padding);
      outputPaddings.push(solved.outputPadding);
      lines.push(solved.line);
    } else {
      const solved = solveConvAxis(a, label);
      paddings.push(solved.padding);
      lines.push(solved.line);
    }
  }
  const one = <T>(values: readonly T[]): T | readonly T[] => (values.length === 1 ? values[0]! : values);
  const exists = paddings.every((p) => p !== null);
  const notes: string[] = [];
  if (!transposed && exists && range(count).every((axis) => inverseAxis(inputs, axis).stride === 1 && inverseAxis(inputs, axis).wanted === inverseAxis(inputs, axis).size)) {
    notes.push("padding='same' keeps the size too (and handles even kernels by padding one more on the right)");
  }
  return {
    result: transposed ? { exists, padding: one(paddings), output_padding: one(outputPaddings) } : { exists, padding: one(paddings) },
    formula: joinAxes(lines),
    latex: transposed
      ? 'L_{\\text{out}}=(L-1)S-2P+D(K-1)+P_{\\text{out}}+1,\\quad 0\\le P_{\\text{out}}<\\max(S,D)'
      : '(L_{\\text{out}}-1)S\\le L+2P-D(K-1)-1\\le L_{\\text{out}}S-1',
    topic: TOPIC,
    notes,
  };
}

export const convPaddingCalculator: Calculator = defineCalculator({
  id: 'conv-padding',
  title: 'Padding for a wanted output size (conv or transposed conv)',
  description: 'The smallest symmetric padding (or, transposed, padding and output_padding) that gives the wanted output length; says when none exists.',
  topic: TOPIC,
  inputs: [
    sizeInput,
    axisListInput('out', 'Wanted output length per axis.', { aliases: ['wanted', 'L_out'], example: '112' }),
    kernelInput,
    strideInput,
    dilationInput,
    { name: 'transposed', kind: 'bool', default: 'false', rule: {}, description: 'Solve for nn.ConvTransposeNd (padding and output_padding).' },
    axisListInput('padding', 'Transposed only: a fixed padding, so only output_padding is solved.', { optional: true, min: 0, example: '1' }),
  ],
  check: checkInverse,
  run: runInverse,
});
