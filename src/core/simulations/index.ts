// The simulations the panel hosts: ids (shared with the notes' topic links), titles and their notes topics.
export * from './activationVariance';
export * from './diffusionForward';
export * from './optimizers';
export * from './receptiveField';
export * from './rnnDynamics';
export * from './softmaxSaturation';
export { measureFrames, measureSteps, FRAME_BUDGET_MS, type FrameTiming } from './timing';
export { createRng, type Rng } from './random';

export const SIMULATION_IDS = ['gd-momentum-adam', 'activation-variance', 'softmax-saturation', 'rnn-dynamics', 'diffusion-forward', 'receptive-field'] as const;
export type SimulationId = (typeof SIMULATION_IDS)[number];

export interface SimulationInfo {
  readonly id: SimulationId;
  readonly title: string;
  readonly topics: readonly string[];
}

export const SIMULATIONS: readonly SimulationInfo[] = [
  { id: 'gd-momentum-adam', title: 'Gradient descent, momentum and Adam on a quadratic', topics: ['gd-least-squares-convergence', 'momentum', 'adam'] },
  { id: 'activation-variance', title: 'Activation and gradient spread through depth', topics: ['weight-init-xavier-he'] },
  { id: 'softmax-saturation', title: 'Softmax saturation against the key dimension d', topics: ['attention-sqrt-d-scaling'] },
  { id: 'rnn-dynamics', title: 'RNN state and gradient norms over time', topics: ['rnn-bptt-exploding-vanishing', 'rnn-as-iir-filter'] },
  { id: 'diffusion-forward', title: 'Diffusion forward process', topics: ['diffusion-forward-process'] },
  { id: 'receptive-field', title: 'Receptive field on the input grid', topics: ['receptive-field'] },
];

export const isSimulationId = (value: unknown): value is SimulationId => typeof value === 'string' && (SIMULATION_IDS as readonly string[]).includes(value);
