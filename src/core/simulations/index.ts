// The simulations the panel hosts: ids (shared with the notes' topic links), titles and their notes topics.
export * from './activationVariance';
export * from './diffusionForward';
export * from './optimizers';
export * from './receptiveField';
export * from './rnnDynamics';
export * from './softmaxSaturation';
export { measureFrames, measureSteps, FRAME_BUDGET_MS, type FrameTiming } from './timing';
export { createRng, type Rng } from './random';

export { SIMULATION_IDS, SIMULATIONS, isSimulationId, type SimulationId, type SimulationInfo } from './catalog';
export type { SimulationConvLayerInit, SimulationDenseLayerInit, SimulationInit, SimulationOptimizerInit } from './init';
