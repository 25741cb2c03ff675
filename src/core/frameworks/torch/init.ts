// PyTorch 1.13's default initialisations (each layer's `reset_parameters`) as InitSpecs.
import type { InitSpec } from '../types';

/** `init.kaiming_uniform_(w, a=√5)`: Linear and Conv weights; Var(W) = 1/(3·fan_in). */
export const defaultWeightInit = (fanIn: number, fanOut: number): InitSpec => ({ kind: 'kaiming_uniform', a: Math.sqrt(5), mode: 'fan_in', fanIn, fanOut });

/** `init.uniform_(b, -1/√fan_in, 1/√fan_in)`: Linear and Conv biases (bound 0 when fan_in is 0). */
export function fanInUniform(fanIn: number): InitSpec {
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  return { kind: 'uniform', low: -bound, high: bound };
}

export const ones: InitSpec = { kind: 'constant', value: 1 };
export const zeros: InitSpec = { kind: 'constant', value: 0 };
export const constant = (value: number): InitSpec => ({ kind: 'constant', value });
export const standardNormal: InitSpec = { kind: 'normal', mean: 0, std: 1 };
export const xavierUniform = (fanIn: number, fanOut: number): InitSpec => ({ kind: 'xavier_uniform', gain: 1, fanIn, fanOut });
export const xavierNormal = (fanIn: number, fanOut: number): InitSpec => ({ kind: 'xavier_normal', gain: 1, fanIn, fanOut });
