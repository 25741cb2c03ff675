// Receptive field of a stack typed as a list (notes topic receptive-field). The step formula is
// receptiveFieldStep of src/core/formulas/conv.ts; this file parses the stack and tabulates it.
//
// Grammar, one layer per comma: `conv<K>` or `pool<K>` (also `maxpool<K>`, `avgpool<K>`), then any of
// `s<S>` (stride), `d<D>` (dilation), `p<P>` (padding), in any order, separated by spaces.
// Defaults: conv stride 1 and padding D·⌊K/2⌋ ("same-ish": K//2 at dilation 1, which keeps the size for odd
// K at stride 1); pool stride K (PyTorch's stride=None) and padding 0; dilation 1.
import { inputReceptiveField, receptiveFieldStep } from '../formulas/conv';
import type { ReceptiveField } from '../formulas/conv';
import { at } from '../invariant';
import { defineCalculator, fmt, str } from './inputs';
import type { Calculator, ParsedInputs } from './types';

export interface StackLayer {
  readonly kind: 'conv' | 'pool';
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
  readonly padding: number;
  /** The text the layer was typed as. */
  readonly text: string;
}

export const MAX_STACK_LAYERS = 500;
const MAX_LAYER_VALUE = 10_000;
/** Above this total stride the jump stops being a meaningful (or exact) number. */
const MAX_TOTAL_STRIDE = 1e12;

const LAYER_PATTERN = /^(conv|pool|maxpool|avgpool)(\d+)$/i;
const OPTION_PATTERN = /^([sdp])(\d+)$/i;
const OPTION_NAMES = { s: 'stride', d: 'dilation', p: 'padding' } as const;

type LayerParse = { readonly layer: StackLayer } | { readonly error: string };

function parseLayer(text: string, index: number): LayerParse {
  const words = text.trim().split(/\s+/);
  const where = `layer ${index + 1} ('${text.trim()}')`;
  const head = LAYER_PATTERN.exec(words[0] ?? '');
  if (!head) return { error: `${where}: expected conv<K> or pool<K> first, e.g. conv3 or pool2` };
  const kind = head[1]!.toLowerCase() === 'conv' ? 'conv' : 'pool';
  const kernel = Number(head[2]);
  const options: Partial<Record<'stride' | 'dilation' | 'padding', number>> = {};
  for (const word of words.slice(1)) {
    const option = OPTION_PATTERN.exec(word);
    if (!option) return { error: `${where}: unknown option '${word}' (use s<S>, d<D>, p<P>)` };
    const name = OPTION_NAMES[option[1]!.toLowerCase() as keyof typeof OPTION_NAMES];
    if (options[name] !== undefined) return { error: `${where}: ${name} is given twice` };
    options[name] = Number(option[2]);
  }
  const dilation = options.dilation ?? 1;
  const layer: StackLayer = {
    kind,
    kernel,
    dilation,
    stride: options.stride ?? (kind === 'conv' ? 1 : kernel),
    padding: options.padding ?? (kind === 'conv' ? dilation * Math.floor(kernel / 2) : 0),
    text: text.trim(),
  };
  const bad = (['kernel', 'stride', 'dilation'] as const).find((k) => layer[k] < 1 || layer[k] > MAX_LAYER_VALUE);
  if (bad) return { error: `${where}: ${bad} must be a positive integer up to ${MAX_LAYER_VALUE}` };
  if (layer.padding > MAX_LAYER_VALUE) return { error: `${where}: padding must be at most ${MAX_LAYER_VALUE}` };
  return { layer };
}

/** Parses `conv3, conv3 s2, pool2, conv3 d2`; every problem is a message naming the layer. */
export function parseLayerStack(text: string): { layers: StackLayer[] } | { errors: string[] } {
  const items = text.split(',').map((s) => s.trim());
  if (items.length === 1 && items[0] === '') return { errors: ['stack is empty: type layers such as conv3, conv3 s2, pool2'] };
  if (items.length > MAX_STACK_LAYERS) return { errors: [`stack has ${items.length} layers; at most ${MAX_STACK_LAYERS} are supported`] };
  const errors: string[] = [];
  const layers: StackLayer[] = [];
  items.forEach((item, i) => {
    if (item === '') {
      errors.push(`layer ${i + 1} is empty (two commas in a row?)`);
      return;
    }
    const parsed = parseLayer(item, i);
    if ('error' in parsed) errors.push(parsed.error);
    else layers.push(parsed.layer);
  });
  if (errors.length > 0) return { errors };
  const totalStride = layers.reduce((p, l) => p * l.stride, 1);
  if (totalStride > MAX_TOTAL_STRIDE) return { errors: [`the stack's total stride (${totalStride.toExponential(2)}) is too large to be meaningful`] };
  return { layers };
}

/**
 * The stack text of known layers (e.g. the receptive-field effects of the nn.Sequential under the cursor),
 * every option spelled out so the defaults of the grammar do not matter.
 */
export function formatStack(layers: readonly Omit<StackLayer, 'text'>[]): string {
  return layers.map((l) => `${l.kind}${l.kernel} s${l.stride} d${l.dilation} p${l.padding}`).join(', ');
}

export interface ReceptiveFieldRow extends ReceptiveField {
  readonly layer: string;
}

/** Cumulative (size, jump, start) after each layer, starting from one input pixel. */
export function receptiveFieldTable(layers: readonly StackLayer[]): ReceptiveFieldRow[] {
  const rows: ReceptiveFieldRow[] = [];
  let rf = inputReceptiveField;
  for (const layer of layers) {
    rf = receptiveFieldStep(rf, layer);
    rows.push({ layer: layer.text, ...rf });
  }
  return rows;
}

function check(inputs: ParsedInputs): string[] {
  const parsed = parseLayerStack(str(inputs, 'stack'));
  return 'errors' in parsed ? parsed.errors : [];
}

const layerSettings = ({ kernel, stride, dilation, padding }: StackLayer) => ({ kernel, stride, dilation, padding });

function run(inputs: ParsedInputs) {
  const parsed = parseLayerStack(str(inputs, 'stack'));
  const layers = 'layers' in parsed ? parsed.layers : [];
  const rows = receptiveFieldTable(layers);
  const last = at(rows, rows.length - 1, 'the calculator runs only on a stack that validated, one layer at least');
  const width = Math.max(...rows.map((r) => r.layer.length));
  const lines = rows.map((row, i) => {
    const l = at(layers, i, 'one table row per layer');
    const before = rows[i - 1] ?? inputReceptiveField;
    const kEff = l.dilation * (l.kernel - 1) + 1;
    return `${row.layer.padEnd(width)}  (k ${l.kernel}, s ${l.stride}, d ${l.dilation}, p ${l.padding})  r = ${fmt(before.size)} + (${kEff} − 1)·${fmt(before.jump)} = ${fmt(row.size)}, j = ${fmt(before.jump)}·${l.stride} = ${fmt(row.jump)}, start = ${fmt(row.start)}`;
  });
  return {
    result: {
      receptive_field: last.size,
      jump: last.jump,
      start: last.start,
      layers: rows.map((r, i) => ({ layer: r.layer, ...layerSettings(at(layers, i, 'one table row per layer')), size: r.size, jump: r.jump, start: r.start })),
    },
    formula: [`r_l = r_{l−1} + (K_eff − 1)·j_{l−1}, j_l = j_{l−1}·S_l, start_l = start_{l−1} + ((K_eff − 1)/2 − P_l)·j_{l−1}; r_0 = 1, j_0 = 1, start_0 = 0.5`, ...lines].join('\n'),
    latex: 'r_l=r_{l-1}+(k_l-1)\\,j_{l-1},\\quad j_l=j_{l-1}s_l\\quad\\Rightarrow\\quad r_L=1+\\sum_{l=1}^{L}(k_l-1)\\prod_{i<l}s_i',
    topic: 'receptive-field',
    notes: [
      "defaults: conv stride 1, padding D·⌊K/2⌋ ('same-ish', K//2 at dilation 1); pool stride K, padding 0",
      'start is the centre of the first output unit in input coordinates (pixel i spans [i, i + 1))',
    ],
  };
}

export const receptiveFieldCalculator: Calculator = defineCalculator({
  id: 'receptive-field',
  title: 'Receptive field of a layer stack',
  description: 'Size, jump (total stride) and start of the receptive field after each layer of a stack such as "conv3, conv3 s2, pool2, conv3 d2".',
  topic: 'receptive-field',
  inputs: [
    {
      name: 'stack',
      kind: 'string',
      default: 'conv3, conv3 s2, pool2, conv3 d2',
      rule: { maxLength: 20_000 },
      description: 'Layers separated by commas: conv<K> or pool<K>, then optional s<S> d<D> p<P> (conv padding defaults to D·⌊K/2⌋, pool stride to K).',
    },
  ],
  check,
  run,
});
