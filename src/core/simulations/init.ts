// Starting values a simulation accepts from the code it was opened from: the core builds them
// (src/core/editor/simulationSeeds.ts), the host sends them and the simulation panel reads them, so
// they live here as plain data rather than in either side's message protocol.

/** Optimizer settings parsed from the user's `optim.SGD(...)` / `optim.Adam(...)` call. */
export interface SimulationOptimizerInit {
  readonly kind?: 'sgd' | 'adam' | 'adamw';
  readonly lr?: number;
  readonly momentum?: number;
  readonly betas?: readonly [number, number];
  readonly eps?: number;
}

/** One dense layer of the user's model as the core resolved it (init: a scheme name or the catalogue's InitSpec). */
export interface SimulationDenseLayerInit {
  readonly fan_in: number;
  readonly fan_out: number;
  readonly init: string | { readonly kind: string; readonly [key: string]: unknown };
  /** relu, tanh, linear, gelu or sigmoid: the activation that follows the layer. */
  readonly activation: string;
}

/** One conv/pool layer along a spatial axis, from the core's receptive-field analysis. */
export interface SimulationConvLayerInit {
  /** Absent: a conv or pooling window. For 'nearest' and 'bilinear' upsampling, `stride` is the scale factor. */
  readonly kind?: 'conv' | 'transposed' | 'nearest' | 'bilinear';
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
  readonly name?: string;
}

/** Starting values from the code the panel was opened from; every field optional. */
export interface SimulationInit {
  readonly optimizer?: SimulationOptimizerInit;
  readonly layers?: readonly SimulationDenseLayerInit[];
  readonly convLayers?: readonly SimulationConvLayerInit[];
  readonly inputSize?: number;
  /** Where the values came from, shown in the panel, e.g. "train.py:14 optim.SGD". */
  readonly source?: string;
}
