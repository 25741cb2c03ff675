// RNN/LSTM/GRU (num_layers, bidirectional, batch_first, LSTM proj_size; returned states) and
// RNNCell/LSTMCell/GRUCell. All parameters start uniform(±1/√hidden_size). MACs from formulas/rnn.ts.
import * as dims from '../../dims/dims';
import type { Dim } from '../../dims/dims';
import { formatDim } from '../../dims/dims';
import { dimArith } from '../../dims/dimArith';
import { type RnnKind, type RnnShape, RNN_GATES, directions, layerInputSize, recurrentSize, rnnCellMacs, rnnMacs } from '../../formulas/rnn';
import { NONE, bool, float, int, str, tensor, tuple } from '../../values';
import type { DataValue } from '../../values';
import type { ArgSpec, LayerEntry, ParameterTensor } from '../types';
import { type Args, type Flag, type KnownTensor, defineLayer, fail, flagged, giveUp, toKnownTensor } from './define';
import { fanInUniform } from './init';
import { provablyDifferent } from './shapes';
import { type PackedSequenceParts, asPackedSequence, packedBatch, packedSequence } from './packedSequence';
import { recurrentCost } from './costs';

export interface RnnConfig extends RnnShape {
  readonly bias: Flag;
  readonly batchFirst: boolean;
  /** Dropout between layers (training only). */
  readonly dropout: number;
}

const tail: readonly ArgSpec[] = [
  { name: 'bias', default: bool(true) },
  { name: 'batch_first', default: bool(false) },
  { name: 'dropout', default: float(0.0) },
  { name: 'bidirectional', default: bool(false) },
  { name: 'proj_size', default: int(0) },
  { name: 'device', default: NONE },
  { name: 'dtype', default: NONE },
];

/** RNNBase's signature; nn.RNN in 1.13 takes `nonlinearity` only as a keyword (RNN.__init__ pops it from kwargs). */
const signatureFor = (kind: RnnKind): ArgSpec[] => [
  { name: 'input_size' },
  { name: 'hidden_size' },
  { name: 'num_layers', default: int(1) },
  ...tail,
  ...(kind === 'RNN' ? [{ name: 'nonlinearity', default: str('tanh'), keywordOnly: true }] : []),
];

function configureRnn(a: Args, kind: RnnKind): RnnConfig {
  const hiddenSize = a.int('hidden_size');
  const projSize = a.int('proj_size');
  const dropout = a.float('dropout');
  if (dropout < 0 || dropout > 1) fail('dropout should be a number in range [0, 1] representing the probability of an element being zeroed', 'dropout');
  if (projSize < 0) fail('proj_size should be a positive integer or zero to disable projections', 'proj_size');
  if (projSize >= hiddenSize && projSize > 0) fail('proj_size has to be smaller than hidden_size', 'proj_size');
  if (projSize > 0 && kind !== 'LSTM') fail('proj_size argument is only supported for LSTM, not RNN or GRU', 'proj_size');
  if (kind === 'RNN') {
    const nonlinearity = a.str('nonlinearity');
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') fail(`Unknown nonlinearity '${nonlinearity}'`, 'nonlinearity');
  }
  const numLayers = a.int('num_layers');
  // Every layer lists its own parameter tensors; a count past any real model is refused rather than enumerated.
  if (numLayers > MAX_ANALYSED_LAYERS) giveUp(`num_layers = ${numLayers} is more layers than the analysis follows (at most ${MAX_ANALYSED_LAYERS})`);
  return {
    kind,
    inputSize: a.int('input_size'),
    hiddenSize,
    numLayers,
    bias: a.flag('bias'),
    batchFirst: a.bool('batch_first'),
    bidirectional: a.bool('bidirectional'),
    projSize,
    dropout,
  };
}

const MAX_ANALYSED_LAYERS = 10_000;

/** weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}, weight_hr_l{k}, then the _reverse set, per layer. */
function rnnParameters(c: RnnConfig): ParameterTensor[] {
  const gateRows = RNN_GATES[c.kind] * c.hiddenSize;
  const init = fanInUniform(c.hiddenSize);
  const params: ParameterTensor[] = [];
  for (let layer = 0; layer < c.numLayers; layer++) {
    for (let d = 0; d < directions(c); d++) {
      const suffix = `_l${layer}${d === 1 ? '_reverse' : ''}`;
      params.push({ name: `weight_ih${suffix}`, shape: [gateRows, layerInputSize(c, layer)], init });
      params.push({ name: `weight_hh${suffix}`, shape: [gateRows, recurrentSize(c)], init });
      params.push(...flagged(c.bias, [{ name: `bias_ih${suffix}`, shape: [gateRows], init }, { name: `bias_hh${suffix}`, shape: [gateRows], init }]));
      if (c.projSize > 0) params.push({ name: `weight_hr${suffix}`, shape: [c.projSize, c.hiddenSize], init });
    }
  }
  return params;
}

const sizeText = (shape: readonly Dim[]) => `(${shape.map(formatDim).join(', ')})`;

function checkHidden(given: DataValue | undefined, expected: readonly Dim[], label: string): void {
  if (given === undefined || given.kind === 'none' || given.kind === 'unknown') return;
  const h = toKnownTensor(given, label, 'hx');
  const mismatch = h.shape.length !== expected.length || h.shape.some((d, i) => provablyDifferent(d, expected[i]!));
  if (mismatch) fail(`Expected ${label} size ${sizeText(expected)}, got [${h.shape.map(formatDim).join(', ')}]`, 'hx');
}

function rnnForward(c: RnnConfig, input: KnownTensor, hx: DataValue | undefined) {
  const shape = input.shape;
  if (shape.length !== 2 && shape.length !== 3) fail(`${c.kind}: Expected input to be 2D or 3D, got ${shape.length}D instead`, 'input');
  const batched = shape.length === 3;
  const features = shape[shape.length - 1]!;
  if (provablyDifferent(features, c.inputSize)) fail(`input.size(-1) must be equal to input_size. Expected ${c.inputSize}, got ${formatDim(features)}`, 'input');
  const [length, batch]: [Dim, Dim | undefined] = !batched ? [shape[0]!, undefined] : c.batchFirst ? [shape[1]!, shape[0]!] : [shape[0]!, shape[1]!];
  const stateLayers = directions(c) * c.numLayers;
  const withBatch = (last: number): Dim[] => (batch === undefined ? [stateLayers, last] : [stateLayers, batch, last]);
  const hShape = withBatch(recurrentSize(c));
  const cShape = withBatch(c.hiddenSize);
  if (c.kind === 'LSTM') {
    if (hx && hx.kind === 'tuple') {
      checkHidden(hx.items[0], hShape, 'hidden[0]');
      checkHidden(hx.items[1], cShape, 'hidden[1]');
    }
  } else {
    checkHidden(hx, hShape, 'hidden');
  }
  const width = directions(c) * recurrentSize(c);
  const outShape: Dim[] = batch === undefined ? [length, width] : c.batchFirst ? [batch, length, width] : [length, batch, width];
  const output = tensor(outShape, input.dtype);
  const hN = tensor(hShape, input.dtype);
  const state = c.kind === 'LSTM' ? tuple([hN, tensor(cShape, input.dtype)]) : hN;
  const steps = batch === undefined ? length : dims.mul(length, batch);
  return { output: tuple([output, state]), macs: rnnMacs(dimArith, c, steps) };
}

/**
 * A PackedSequence input: the output is a PackedSequence of the same batch_sizes whose data has one row per
 * packed step; the states have the batch of the packing (batch_sizes[0]); every packed step counts once in MACs.
 */
function packedRnnForward(c: RnnConfig, packed: PackedSequenceParts, hx: DataValue | undefined) {
  const { data } = packed;
  if (data.shape.length !== 2) fail(`${c.kind}: Expected the packed data to be 2D, got ${data.shape.length}D instead`, 'input');
  const [rows, features] = data.shape as [Dim, Dim];
  if (provablyDifferent(features, c.inputSize)) fail(`input.size(-1) must be equal to input_size. Expected ${c.inputSize}, got ${formatDim(features)}`, 'input');
  const batch = packedBatch(packed);
  const stateLayers = directions(c) * c.numLayers;
  const hShape = [stateLayers, batch, recurrentSize(c)];
  const cShape = [stateLayers, batch, c.hiddenSize];
  if (c.kind === 'LSTM' && hx?.kind === 'tuple') {
    checkHidden(hx.items[0], hShape, 'hidden[0]');
    checkHidden(hx.items[1], cShape, 'hidden[1]');
  } else if (c.kind !== 'LSTM') checkHidden(hx, hShape, 'hidden');
  const output = packedSequence(tensor([rows, directions(c) * recurrentSize(c)], data.dtype), packed.batchSizes, packed.sortedIndices, packed.unsortedIndices);
  const hN = tensor(hShape, data.dtype);
  const state = c.kind === 'LSTM' ? tuple([hN, tensor(cShape, data.dtype)]) : hN;
  return { output: tuple([output, state]), macs: rnnMacs(dimArith, c, rows) };
}

const recurrentLayers = (['RNN', 'LSTM', 'GRU'] as const).map((kind) =>
  defineLayer<RnnConfig>({
    name: kind,
    signature: signatureFor(kind),
    forwardSignature: [{ name: 'input' }, { name: 'hx', default: NONE }],
    topic: 'rnn-bptt-exploding-vanishing',
    configure: (a) => configureRnn(a, kind),
    parameters: rnnParameters,
    forward: (c, a) => {
      const packed = asPackedSequence(a.value('input'));
      return packed ? packedRnnForward(c, packed, a.value('hx')) : rnnForward(c, a.tensor('input'), a.value('hx'));
    },
    cost: (c, a, q) => {
      // On a PackedSequence the steps run over its data's rows (sum of the lengths, batch_sizes[t] rows at
      // step t), and the data is what is kept: the same per-row accounting (measured in 1.13).
      const packed = asPackedSequence(a.value('input'));
      const input = packed ? packed.data : a.tensor('input');
      const rows = packed ? input.shape[0]! : input.shape.length === 3 ? dims.mul(input.shape[0]!, input.shape[1]!) : input.shape[0]!;
      const gateRows = RNN_GATES[c.kind] * c.hiddenSize;
      const projection = c.projSize > 0 ? c.hiddenSize * c.projSize : 0;
      const layerMacs = Array.from({ length: c.numLayers }, (_, layer) => {
        const perRow = (n: number): Dim => dims.mul(rows, directions(c) * n);
        return [perRow(gateRows * layerInputSize(c, layer)), perRow(gateRows * recurrentSize(c) + projection)] as const;
      });
      const batch: Dim = packed ? packedBatch(packed) : input.shape.length === 3 ? input.shape[c.batchFirst ? 0 : 1]! : 1;
      return recurrentCost({ kind: c.kind, layers: c.numLayers, directions: directions(c), hidden: c.hiddenSize, inputSize: c.inputSize, steps: rows, batch, dropout: c.dropout, training: q.training, layerMacs, input: packed ? 'input.0' : 'input' });
    },
    traits: {
      recurrent: 'sequence',
      noOpMethods: ['flatten_parameters'],
      // (T, B, input_size), or (B, T, input_size) with batch_first.
      exampleInput: (args) => {
        const features = args['input_size'];
        const batchFirst = args['batch_first'];
        const [batch, time] = [dims.sym('B'), dims.sym('T')];
        if (features?.kind !== 'int') return undefined;
        return [batchFirst?.kind === 'bool' && batchFirst.value ? [batch, time, features.value] : [time, batch, features.value]];
      },
      grid: 'tokens',
    },
  }),
);

interface CellConfig {
  readonly kind: RnnKind;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly bias: Flag;
}

const cellLayers = (['RNN', 'LSTM', 'GRU'] as const).map((kind) =>
  defineLayer<CellConfig>({
    name: `${kind}Cell`,
    signature: [
      { name: 'input_size' },
      { name: 'hidden_size' },
      { name: 'bias', default: bool(true) },
      ...(kind === 'RNN' ? [{ name: 'nonlinearity', default: str('tanh') }] : []),
      { name: 'device', default: NONE },
      { name: 'dtype', default: NONE },
    ],
    forwardSignature: [{ name: 'input' }, { name: 'hx', default: NONE }],
    traits: { recurrent: 'cell' },
    configure: (a) => ({ kind, inputSize: a.int('input_size'), hiddenSize: a.int('hidden_size'), bias: a.flag('bias') }),
    parameters: (c) => {
      const rows = RNN_GATES[c.kind] * c.hiddenSize;
      const init = fanInUniform(c.hiddenSize);
      const params: ParameterTensor[] = [
        { name: 'weight_ih', shape: [rows, c.inputSize], init },
        { name: 'weight_hh', shape: [rows, c.hiddenSize], init },
      ];
      params.push(...flagged(c.bias, [{ name: 'bias_ih', shape: [rows], init }, { name: 'bias_hh', shape: [rows], init }]));
      return params;
    },
    forward: (c, a) => {
      const input = a.tensor('input');
      const shape = input.shape;
      if (shape.length !== 1 && shape.length !== 2) fail(`${kind}Cell: Expected input to be 1D or 2D, got ${shape.length}D instead`, 'input');
      const features = shape[shape.length - 1]!;
      if (provablyDifferent(features, c.inputSize)) fail(`input has inconsistent input_size: got ${formatDim(features)} expected ${c.inputSize}`, 'input');
      const batch: Dim = shape.length === 2 ? shape[0]! : 1;
      const stateShape = shape.length === 2 ? [shape[0]!, c.hiddenSize] : [c.hiddenSize];
      const h = tensor(stateShape, input.dtype);
      return { output: kind === 'LSTM' ? tuple([h, tensor(stateShape, input.dtype)]) : h, macs: rnnCellMacs(dimArith, c.kind, c.inputSize, c.hiddenSize, batch) };
    },
    // One step of one layer: the same parts as a recurrent layer's step.
    cost: (c, a, q) => {
      const input = a.tensor('input');
      const rows: Dim = input.shape.length === 2 ? input.shape[0]! : 1;
      const gateRows = RNN_GATES[c.kind] * c.hiddenSize;
      const layerMacs = [[dims.mul(rows, gateRows * c.inputSize), dims.mul(rows, gateRows * c.hiddenSize)] as const];
      return recurrentCost({ kind: c.kind, layers: 1, directions: 1, hidden: c.hiddenSize, inputSize: c.inputSize, steps: rows, batch: rows, dropout: 0, training: q.training, layerMacs });
    },
  }),
);

export const rnnLayers: readonly LayerEntry[] = [...recurrentLayers, ...cellLayers];
