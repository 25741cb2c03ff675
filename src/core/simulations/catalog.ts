// The simulations by id, with their titles and the notes topics they illustrate (no engine code, so the
// editor can list them without loading the engines).
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
