// The forward variance gain of each Linear/Conv layer and of each chain of them (issue 5, topic
// weight-init-xavier-he): g = fan_in·Var(W)·c, with c = E[φ(z)²]/Var(z) of the activation that follows
// (½ for ReLU), and the product of g along layers that no normalization layer separates.
import { layerVarianceGain, chainVarianceGain, type GainNonlinearity } from '../formulas/init';
import type { Range } from '../values';
import type { CallSite, EditorAnalysis, ShapeDiagnostic } from './documentAnalysis';
import type { ModelSummary } from '../analysis/summary';

export interface LayerGain {
  readonly path: string;
  readonly type: string;
  readonly range: Range;
  readonly fanIn: number;
  readonly weightVariance: number;
  readonly activation: GainNonlinearity;
  readonly gain: number;
}

export interface VarianceChain {
  readonly model: string;
  readonly layers: readonly LayerGain[];
  readonly product: number;
}

const DENSE = /^(Lazy)?(Linear|Conv[123]d)$/;
const NORMALIZATION = /Norm/;
const ACTIVATIONS: Readonly<Record<string, GainNonlinearity>> = { ReLU: 'relu', ReLU6: 'relu', LeakyReLU: 'leaky_relu', Tanh: 'tanh', Sigmoid: 'sigmoid', SELU: 'selu' };
/** Layers between a dense layer and its activation that leave the variance as it is (for this estimate). */
const PASS_THROUGH = /^(Dropout\d?d?|Identity|Flatten|MaxPool\dd|AdaptiveMaxPool\dd)$/;

/** The activation that follows the call at `index` in execution order, skipping shape-only layers. */
function activationAfter(calls: readonly CallSite[], index: number): GainNonlinearity {
  for (let i = index + 1; i < calls.length; i++) {
    const type = calls[i]!.type;
    if (ACTIVATIONS[type]) return ACTIVATIONS[type]!;
    if (!PASS_THROUGH.test(type)) return 'linear';
  }
  return 'linear';
}

/** Each model's chains of dense layers, broken at normalization layers (which reset the scale). */
export function varianceChains(analysis: Pick<EditorAnalysis, 'calls' | 'layerWeights'>): VarianceChain[] {
  const byModel = new Map<string, CallSite[]>();
  for (const c of analysis.calls) byModel.set(c.model, [...(byModel.get(c.model) ?? []), c]);
  const chains: VarianceChain[] = [];
  for (const [model, calls] of byModel) {
    let current: LayerGain[] = [];
    const close = (): void => {
      if (current.length > 0) chains.push({ model, layers: current, product: chainVarianceGain(current.map((l) => l.gain)) });
      current = [];
    };
    calls.forEach((call, i) => {
      if (NORMALIZATION.test(call.type)) return close();
      if (!DENSE.test(call.type)) return;
      const weight = analysis.layerWeights[`${model}\u0000${call.path}`];
      if (!weight?.fanIn || weight.variance === undefined) return close();
      const activation = activationAfter(calls, i);
      current.push({ path: call.path, type: call.type, range: call.callRange, fanIn: weight.fanIn, weightVariance: weight.variance, activation, gain: layerVarianceGain(weight.fanIn, weight.variance, activation) });
    });
    close();
  }
  return chains;
}

const ACTIVATION_FACTOR_TEXT: Readonly<Partial<Record<GainNonlinearity, string>>> = { relu: '½', leaky_relu: '(1 + a²)/2', sigmoid: '1/16' };

export function describeGain(l: LayerGain): string {
  const factor = ACTIVATION_FACTOR_TEXT[l.activation] ?? '1';
  return `g = fan_in·Var(W)·c = ${l.fanIn}·${l.weightVariance.toExponential(2)}·${factor} = ${l.gain.toPrecision(3)} (${l.activation} after it)`;
}

/** Chains at least this deep get a warning; shallower ones (a 2-layer MLP with default init) only a hint. */
const WARNING_DEPTH = 6;

/** A diagnostic on each chain whose variance product leaves [low, high], naming its layers. */
export function varianceChainDiagnostics(chains: readonly VarianceChain[], [low, high]: readonly [number, number]): ShapeDiagnostic[] {
  return chains
    .filter((c) => c.layers.length >= 2 && (c.product < low || c.product > high))
    .map((c): ShapeDiagnostic => {
      const first = c.layers[0]!;
      const names = c.layers.length <= 4 ? c.layers.map((l) => l.path).join(', ') : `${c.layers[0]!.path}, ${c.layers[1]!.path}, …, ${c.layers[c.layers.length - 1]!.path}`;
      const direction = c.product < low ? 'vanishes' : 'explodes';
      return {
        range: first.range,
        severity: c.layers.length >= WARNING_DEPTH ? 'warning' : 'info',
        message: `The activation variance ${direction} through ${c.layers.length} layers (${names}): ×${c.product.toExponential(1)} at init, outside [${low}, ${high}]. First layer: ${describeGain(first)}. Use He init for ReLU (kaiming_normal_(w, nonlinearity='relu')), Xavier for tanh, or add normalization.`,
        code: 'init-variance',
        related: c.layers.slice(1, 6).map((l) => ({ range: l.range, message: `${l.path}: ${describeGain(l)}` })),
      };
    });
}

/** Each Linear/Conv module's forward variance gain in one model's summary, by module path (summary panel). */
export function layerGains(summary: Pick<ModelSummary, 'calls' | 'modules'>, model: string): Record<string, number> {
  const calls = summary.calls.map((c): CallSite => ({ ...c, model }));
  const layerWeights = Object.fromEntries(
    summary.modules.flatMap((m) => {
      const weight = m.inits.find((p) => p.name === 'weight');
      return weight ? [[`${model}\u0000${m.path}`, weight] as const] : [];
    }),
  );
  return Object.fromEntries(varianceChains({ calls, layerWeights }).flatMap((c) => c.layers.map((l) => [l.path, l.gain] as const)));
}
