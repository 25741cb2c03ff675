// Parameter shapes and MACs of PyTorch's recurrent layers (RNN/GRU/LSTM, optionally bidirectional, with
// LSTM proj_size). Written once over Arith<T> for the MACs; shapes are plain numbers (constructor args).
import type { Arith } from './arith';

/** Gates per step: RNN 1, GRU 3, LSTM 4 (the rows of weight_ih are gates·hidden_size). */
export const RNN_GATES = { RNN: 1, GRU: 3, LSTM: 4 } as const;
export type RnnKind = keyof typeof RNN_GATES;

export interface RnnShape {
  readonly kind: RnnKind;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bidirectional: boolean;
  /** 0 = no projection (LSTM only). */
  readonly projSize: number;
}

/** R: the size of h_t (proj_size when projecting, else hidden_size). */
export const recurrentSize = (s: RnnShape): number => (s.projSize > 0 ? s.projSize : s.hiddenSize);
export const directions = (s: RnnShape): number => (s.bidirectional ? 2 : 1);

/** The input width of layer l: input_size for l = 0, D·R above. */
export const layerInputSize = (s: RnnShape, layer: number): number => (layer === 0 ? s.inputSize : directions(s) * recurrentSize(s));

/** MACs of one time step of one layer and direction: G·H·(I_l + R) (+ H·P with proj_size). */
export function rnnStepMacs(s: RnnShape, layer: number): number {
  const gates = RNN_GATES[s.kind];
  const projection = s.projSize > 0 ? s.hiddenSize * s.projSize : 0;
  return gates * s.hiddenSize * (layerInputSize(s, layer) + recurrentSize(s)) + projection;
}

/** MACs of a whole call: steps (N·T, or T unbatched) · Σ_layers Σ_directions step MACs. */
export function rnnMacs<T>(a: Arith<T>, s: RnnShape, steps: T): T {
  let perStep = 0;
  for (let layer = 0; layer < s.numLayers; layer++) perStep += directions(s) * rnnStepMacs(s, layer);
  return a.mul(steps, a.lit(perStep));
}

/** RNNCell/GRUCell/LSTMCell: N·G·H·(input_size + hidden_size). */
export function rnnCellMacs<T>(a: Arith<T>, kind: RnnKind, inputSize: number, hiddenSize: number, batch: T): T {
  return a.mul(batch, a.lit(RNN_GATES[kind] * hiddenSize * (inputSize + hiddenSize)));
}
