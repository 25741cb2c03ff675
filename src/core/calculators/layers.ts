// Which calculators fit a PyTorch layer or optimizer, and their inputs prefilled from its arguments, so a
// hover on `nn.Conv2d(64, 128, 3, stride=2)` can open conv-out / conv-params already filled in. Which
// calculators fit a layer is the layer's catalogue entry's to say.
import { findCalculator } from './registry';
import { prefillInputs } from './inputs';
import type { CalculatorId } from './ids';
import type { RawInputs } from './types';
import { lookupLayer } from '../frameworks/torch/index';
import type { LayerCalculators } from '../frameworks/types';

export interface LayerPrefill {
  readonly id: CalculatorId;
  /** Inputs as text, by calculator input name; the UI asks for the rest. */
  readonly inputs: Readonly<Record<string, string>>;
}

/** The calculators an optimizer fits (a layer's are declared by its catalogue entry, `traits.calculators`). */
interface OptimizerRule {
  readonly pattern: RegExp;
  readonly calculators: LayerCalculators;
}

const OPTIMIZER_RULES: readonly OptimizerRule[] = [
  { pattern: /^(?:optim\.)?Adam[W]?$/, calculators: { ids: ['adam-bias'] } },
  { pattern: /^(?:optim\.)?SGD$/, calculators: { ids: ['gd-step'] } },
];

/** A layer's calculators from its catalogue entry (`nn.Conv2d` or `Conv2d`), else an optimizer's. */
function calculatorsFor(className: string): LayerCalculators | undefined {
  const layer = lookupLayer(className.replace(/^nn\./, ''))?.traits?.calculators;
  return layer ?? OPTIMIZER_RULES.find((rule) => rule.pattern.test(className))?.calculators;
}

/** Python's `betas=(0.9, 0.999)` becomes beta1/beta2; other arguments pass through as typed. */
function expandArguments(args: RawInputs, rename: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(args)) {
    if (value === undefined) continue;
    out[rename[name] ?? name] = value;
  }
  const [, beta1, beta2] = /^\s*[([]\s*([^,\s]+)\s*,\s*([^,\s)\]]+)\s*[)\]]\s*$/.exec(out.betas ?? '') ?? [];
  if (beta1 !== undefined && beta2 !== undefined) {
    out.beta1 = beta1;
    out.beta2 = beta2;
  }
  return out;
}

/**
 * The calculators for a layer or optimizer class name (`Conv2d`, `nn.MaxPool2d`, `optim.AdamW`), each
 * with the inputs its constructor arguments (keyword name → Python source text) determine.
 */
export function prefillForLayer(className: string, args: RawInputs = {}): LayerPrefill[] {
  const fits = calculatorsFor(className);
  if (!fits) return [];
  const source = { ...expandArguments(args, fits.rename ?? {}), ...(fits.fixed ?? {}) };
  return fits.ids.flatMap((id) => {
    const calculator = findCalculator(id);
    return calculator ? [{ id, inputs: prefillInputs(calculator, source) }] : [];
  });
}
