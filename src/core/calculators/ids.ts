// The calculators' ids: one typed list that the notes' topic links, the registry, the editor's commands,
// the CLI and the derivation panel's buttons all use. The order is the order a quick pick lists them in.
export const CALCULATOR_IDS = [
  'conv-out',
  'pool-out',
  'convtranspose-out',
  'conv-padding',
  'receptive-field',
  'conv-params',
  'attention-cost',
  'vit-tokens',
  'kv-cache',
  'lm-training-memory',
  'init-std',
  'gd-step',
  'adam-bias',
  'diffusion-schedule',
  'kl-gaussians',
] as const;

export type CalculatorId = (typeof CALCULATOR_IDS)[number];

export const isCalculatorId = (value: unknown): value is CalculatorId =>
  typeof value === 'string' && (CALCULATOR_IDS as readonly string[]).includes(value);
