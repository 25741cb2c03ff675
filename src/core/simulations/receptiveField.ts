// The receptive field of one output unit, drawn on the input grid layer by layer (notes topic
// receptive-field). Size, jump and start come from the shared formulas/receptiveField.ts (jump 1/2 after an
// upsampling layer); the exact set of input positions (dilation leaves holes) and the number of paths
// reaching each one (the shape of the effective receptive field with uniform kernels) come from
// propagating back through the stack one axis at a time, through the same readers.
import { numberArith } from '../formulas/arith';
import { convOutputSize, convTransposeOutputSize } from '../formulas/conv';
import { rational } from '../formulas/rational';
import { type AxisField, type AxisReader, type AxisSummary, axisFieldInterval, inputAxisField, readerTaps, stepAxisField, summarizeAxisField } from '../formulas/receptiveField';
import { at } from '../invariant';
import { InputNotes } from './params';

/** Layer kinds of the panel: a conv or pooling window, a transposed conv, ×stride nearest or bilinear upsampling. */
export const LAYER_KINDS = ['conv', 'transposed', 'nearest', 'bilinear'] as const;
export type LayerKind = (typeof LAYER_KINDS)[number];

export interface ConvLayerSpec {
  /** Absent: 'conv'. For 'nearest' and 'bilinear', `stride` is the integer scale factor. */
  readonly kind?: LayerKind;
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
  readonly name?: string;
}

/** How the layer reads its input along one axis (PyTorch's rules, as the catalogue declares them). */
export function layerReader(layer: ConvLayerSpec): AxisReader {
  switch (layer.kind ?? 'conv') {
    case 'conv':
      return { kind: 'window', kernel: layer.kernel, stride: layer.stride, padding: layer.padding, dilation: layer.dilation };
    case 'transposed':
      return { kind: 'transposed', kernel: layer.kernel, stride: layer.stride, padding: layer.padding, dilation: layer.dilation };
    case 'nearest':
      return { kind: 'resample', a: rational(1, layer.stride), b: rational(0), before: 0, after: 0, exactAtIntegers: false };
    case 'bilinear':
      // align_corners=False: x = (o + ½)/F − ½.
      return { kind: 'resample', a: rational(1, layer.stride), b: rational(1 - layer.stride, 2 * layer.stride), before: 0, after: 1, exactAtIntegers: true };
  }
}

/** A layer's output size along one axis. */
function outputSize(layer: ConvLayerSpec, size: number): number {
  switch (layer.kind ?? 'conv') {
    case 'conv':
      return convOutputSize(numberArith, { size, ...layer });
    case 'transposed':
      return convTransposeOutputSize(numberArith, { size, ...layer, outputPadding: 0 });
    default:
      return size * layer.stride;
  }
}

export interface ReceptiveFieldParams {
  readonly inputSize: number;
  readonly layers: readonly ConvLayerSpec[];
  /** Which layer's unit to trace back (1..L). */
  readonly layer: number;
  readonly row: number;
  readonly col: number;
}

/** Three 3×3 convs, then a stride-2 one, then a dilated one: shows growth, jumps and holes. */
export const DEFAULT_STACK: readonly ConvLayerSpec[] = [
  { kernel: 3, stride: 1, padding: 1, dilation: 1, name: 'conv3' },
  { kernel: 3, stride: 1, padding: 1, dilation: 1, name: 'conv3' },
  { kernel: 3, stride: 2, padding: 1, dilation: 1, name: 'conv3 s2' },
  { kernel: 3, stride: 1, padding: 2, dilation: 2, name: 'conv3 d2' },
];

export const DEFAULT_RECEPTIVE_FIELD: ReceptiveFieldParams = { inputSize: 32, layers: DEFAULT_STACK, layer: 4, row: 8, col: 8 };

export function sanitizeReceptiveField(input: Partial<Record<keyof ReceptiveFieldParams, unknown>>): { params: ReceptiveFieldParams; messages: string[] } {
  const notes = new InputNotes();
  const d = DEFAULT_RECEPTIVE_FIELD;
  const inputSize = notes.number('input size', input.inputSize, { min: 1, max: 512, fallback: d.inputSize, integer: true });
  const rawLayers = Array.isArray(input.layers) && input.layers.length > 0 ? (input.layers as unknown[]).slice(0, 64) : d.layers;
  const layers = rawLayers.map((raw, i): ConvLayerSpec => {
    const layer = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const kernel = notes.number(`layer ${i + 1} kernel`, layer.kernel, { min: 1, max: 64, fallback: 3, integer: true });
    const kind = layer.kind === undefined ? 'conv' : notes.choice(`layer ${i + 1} kind`, layer.kind, LAYER_KINDS, 'conv');
    return {
      kind,
      kernel,
      stride: notes.number(`layer ${i + 1} stride`, layer.stride, { min: 1, max: 16, fallback: 1, integer: true }),
      padding: notes.number(`layer ${i + 1} padding`, layer.padding, { min: 0, max: 64, fallback: 0, integer: true }),
      dilation: notes.number(`layer ${i + 1} dilation`, layer.dilation, { min: 1, max: 32, fallback: 1, integer: true }),
      name: typeof layer.name === 'string' ? layer.name : undefined,
    };
  });
  const layer = notes.number('layer', input.layer, { min: 1, max: layers.length, fallback: layers.length, integer: true });
  return {
    params: {
      inputSize,
      layers,
      layer,
      row: notes.number('row', input.row, { min: 0, max: 4096, fallback: 0, integer: true }),
      col: notes.number('column', input.col, { min: 0, max: 4096, fallback: 0, integer: true }),
    },
    messages: notes.messages,
  };
}

/** Spatial size after each layer (index 0 is the input); stops with a message when a layer has no output. */
export function layerSizes(inputSize: number, layers: readonly ConvLayerSpec[]): { sizes: number[]; message?: string } {
  const sizes = [inputSize];
  for (const [i, layer] of layers.entries()) {
    const out = outputSize(layer, sizes[i]!);
    if (out < 1) return { sizes, message: `Layer ${i + 1} (kernel ${layer.kernel}, dilation ${layer.dilation}) has no output for an input of ${sizes[i]}; the trace stops before it.` };
    if (out > MAX_SIZE) return { sizes, message: `Layer ${i + 1} would be ${out} wide, more than the panel draws (${MAX_SIZE}); the trace stops before it.` };
    sizes.push(out);
  }
  return { sizes };
}

/** Upsampling stacks grow; the panel draws at most this many units per axis. */
const MAX_SIZE = 4096;

/** The exact field after each layer, index 0 being the input's own; it ends where a layout's period grows too long. */
export function axisFieldsPerLayer(layers: readonly ConvLayerSpec[]): AxisField[] {
  const fields = [inputAxisField];
  let field = inputAxisField;
  for (const layer of layers) {
    const next = stepAxisField(field, layerReader(layer));
    if (!next) break;
    fields.push(next);
    field = next;
  }
  return fields;
}

/** Size (largest and smallest extent), jump and start after each layer, as rationals. */
export function receptiveFieldsPerLayer(layers: readonly ConvLayerSpec[]): AxisSummary[] {
  return axisFieldsPerLayer(layers).map(summarizeAxisField);
}

/**
 * Path counts along one axis: how many kernel paths connect output position `position` of layer `upTo`
 * to each input position (0 for positions outside it). Padding positions are dropped, as zeros contribute nothing.
 */
export function axisPathCounts(sizes: readonly number[], layers: readonly ConvLayerSpec[], upTo: number, position: number): Float64Array {
  let counts = new Float64Array(sizes[upTo]!);
  counts[position] = 1;
  for (let l = upTo; l >= 1; l--) {
    const layer = layers[l - 1]!;
    const below = new Float64Array(sizes[l - 1]!);
    const reader = layerReader(layer);
    counts.forEach((count, p) => {
      if (count === 0) return;
      for (const source of readerTaps(reader, p)) {
        if (source >= 0 && source < below.length) below[source]! += count;
      }
    });
    counts = below;
  }
  return counts;
}

export interface ReceptiveFieldRun {
  readonly params: ReceptiveFieldParams;
  readonly sizes: readonly number[];
  readonly fields: readonly AxisSummary[];
  /** Row and column path counts on the input; the 2-D count of pixel (r, c) is rows[r]·cols[c]. */
  readonly rows: Float64Array;
  readonly cols: Float64Array;
  /** The formula's box on the input (may extend into the padding, i.e. outside 0..size−1). */
  readonly box: { readonly first: number; readonly last: number; readonly firstCol: number; readonly lastCol: number };
  readonly messages: readonly string[];
}

export function simulateReceptiveField(input: Partial<Record<keyof ReceptiveFieldParams, unknown>>): ReceptiveFieldRun {
  const { params, messages } = sanitizeReceptiveField(input);
  const { sizes: allSizes, message } = layerSizes(params.inputSize, params.layers);
  if (message) messages.push(message);
  // Fields of every layer that has an output, so the panel's table can list them all.
  const axisFields = axisFieldsPerLayer(params.layers.slice(0, allSizes.length - 1));
  if (axisFields.length < allSizes.length) messages.push(`The layout's period grows too long after layer ${axisFields.length - 1}; the trace stops there.`);
  const sizes = allSizes.slice(0, axisFields.length);
  const layer = Math.min(params.layer, sizes.length - 1);
  // The input always has a field (axisFieldsPerLayer starts with it), so `layer` is at least 0.
  const size = at(sizes, layer, 'the input layer is always traced');
  const maxPosition = size - 1;
  const row = Math.min(params.row, maxPosition);
  const col = Math.min(params.col, maxPosition);
  if (row !== params.row || col !== params.col) messages.push(`Layer ${layer} is ${size}×${size}; the position is clamped to (${row}, ${col}).`);
  const fields = axisFields.map(summarizeAxisField);
  const field = at(axisFields, layer, 'the input layer is always traced');
  // The unit's exact field on the (unpadded) input grid; a transposed layer's gap unit reads nothing.
  const span = (position: number): [number, number] => [...(axisFieldInterval(field, position) ?? [position, position - 1])];
  const [first, last] = span(row);
  const [firstCol, lastCol] = span(col);
  return {
    params: { ...params, layer, row, col },
    sizes,
    fields,
    rows: axisPathCounts(sizes, params.layers, layer, row),
    cols: axisPathCounts(sizes, params.layers, layer, col),
    box: { first, last, firstCol, lastCol },
    messages,
  };
}
