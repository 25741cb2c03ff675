// Which calculators fit a PyTorch layer or optimizer, and their inputs prefilled from its arguments, so a
// hover on `nn.Conv2d(64, 128, 3, stride=2)` can open conv-out / conv-params already filled in.
import { findCalculator } from './registry';
import { prefillInputs } from './inputs';
import type { CalculatorId } from './ids';
import type { RawInputs } from './types';

export interface LayerPrefill {
  readonly id: CalculatorId;
  /** Inputs as text, by calculator input name; the UI asks for the rest. */
  readonly inputs: Readonly<Record<string, string>>;
}

interface LayerRule {
  readonly pattern: RegExp;
  readonly calculators: readonly CalculatorId[];
  /** Inputs fixed by the layer type itself (from the pattern's capture: the dimensionality, the pooling mode). */
  readonly fixed?: (match: RegExpExecArray) => Record<string, string>;
  /** Argument name → calculator input name, where neither the name nor an alias matches. */
  readonly rename?: Readonly<Record<string, string>>;
}

const LAYER_RULES: readonly LayerRule[] = [
  { pattern: /^(?:nn\.)?Conv([123])d$/, calculators: ['conv-out', 'conv-params'], fixed: (m) => ({ dims: m[1] }) },
  { pattern: /^(?:nn\.)?ConvTranspose([123])d$/, calculators: ['convtranspose-out', 'conv-padding'], fixed: () => ({ transposed: 'true' }) },
  { pattern: /^(?:nn\.)?MaxPool([123])d$/, calculators: ['pool-out'], fixed: () => ({ mode: 'max' }) },
  { pattern: /^(?:nn\.)?AvgPool([123])d$/, calculators: ['pool-out'], fixed: () => ({ mode: 'avg' }) },
  { pattern: /^(?:nn\.)?MultiheadAttention$/, calculators: ['attention-cost'] },
  { pattern: /^(?:nn\.)?(?:Linear|Bilinear)$/, calculators: ['init-std'], fixed: () => ({ scheme: 'pytorch-default' }), rename: { in_features: 'fan_in', out_features: 'fan_out' } },
  { pattern: /^(?:optim\.)?Adam[W]?$/, calculators: ['adam-bias'] },
  { pattern: /^(?:optim\.)?SGD$/, calculators: ['gd-step'] },
];

/** Python's `betas=(0.9, 0.999)` becomes beta1/beta2; other arguments pass through as typed. */
function expandArguments(args: RawInputs, rename: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(args)) {
    if (value === undefined) continue;
    out[rename[name] ?? name] = value;
  }
  const betas = /^\s*[([]\s*([^,\s]+)\s*,\s*([^,\s)\]]+)\s*[)\]]\s*$/.exec(out.betas ?? '');
  if (betas) {
    out.beta1 = betas[1];
    out.beta2 = betas[2];
  }
  return out;
}

/**
 * The calculators for a layer or optimizer class name (`Conv2d`, `nn.MaxPool2d`, `optim.AdamW`), each
 * with the inputs its constructor arguments (keyword name → Python source text) determine.
 */
export function prefillForLayer(className: string, args: RawInputs = {}): LayerPrefill[] {
  for (const rule of LAYER_RULES) {
    const match = rule.pattern.exec(className);
    if (!match) continue;
    const source = { ...expandArguments(args, rule.rename ?? {}), ...(rule.fixed?.(match) ?? {}) };
    return rule.calculators.flatMap((id) => {
      const calculator = findCalculator(id);
      return calculator ? [{ id, inputs: prefillInputs(calculator, source) }] : [];
    });
  }
  return [];
}
