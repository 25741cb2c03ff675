// The forward variance gain of each Linear/Conv layer and of each chain of them (issue 5, topic
// weight-init-xavier-he), by the mean-field recursion of formulas/init.ts: Var(z_l) = fan_in·Var(W)·E[a_(l−1)²]
// + Var(b), E[a_l²] = E[φ(z_l)²] for the activation φ that follows, and the product of the gains
// E[a_l²]/E[a_(l−1)²] along layers that no normalization layer separates, from a unit-variance input.
import { propagateSecondMoment, chainVarianceGain } from '../formulas/init';
import type { ActivationName } from '../formulas/activations';
import type { Range } from '../values';
import type { CallSite, EditorAnalysis, ShapeDiagnostic } from './documentAnalysis';
import type { ModelSummary } from '../analysis/summary';
import { opShortName } from '../frameworks/torch/ops/shapeRules';
import { pushTo } from '../groups';

export interface LayerGain {
  readonly path: string;
  readonly type: string;
  readonly range: Range;
  readonly fanIn: number;
  readonly weightVariance: number;
  readonly biasVariance: number;
  readonly activation: ActivationName;
  /** E[a_(l−1)²] and Var(z_l) where the layer sits in the chain. */
  readonly inputSecondMoment: number;
  readonly preactivationVariance: number;
  readonly gain: number;
}

export interface VarianceChain {
  readonly model: string;
  readonly layers: readonly LayerGain[];
  readonly product: number;
}

const DENSE = /^(Lazy)?(Linear|Conv[123]d)$/;
const NORMALIZATION = /Norm/;
/** The activation each nn activation layer applies (with its default arguments). */
export const ACTIVATION_OF_LAYER: Readonly<Record<string, ActivationName>> = {
  ReLU: 'relu',
  ReLU6: 'relu',
  LeakyReLU: 'leaky_relu',
  ELU: 'elu',
  SELU: 'selu',
  GELU: 'gelu',
  SiLU: 'silu',
  Mish: 'mish',
  Softplus: 'softplus',
  Tanh: 'tanh',
  Sigmoid: 'sigmoid',
};
/** The activation each functional or tensor-method form applies (`F.relu`, `torch.tanh`, `x.relu()`), by short name. */
const ACTIVATION_OF_OP: Readonly<Record<string, ActivationName>> = {
  relu: 'relu',
  relu6: 'relu',
  leaky_relu: 'leaky_relu',
  elu: 'elu',
  selu: 'selu',
  gelu: 'gelu',
  silu: 'silu',
  mish: 'mish',
  softplus: 'softplus',
  tanh: 'tanh',
  sigmoid: 'sigmoid',
};

/** Calls between a dense layer and its activation that leave the variance as it is (for this estimate). */
const PASS_THROUGH_LAYERS = /^(Dropout\d?d?|Identity|Flatten|Unflatten|MaxPool\dd|AdaptiveMaxPool\dd)$/;
const PASS_THROUGH_OPS = new Set(['dropout', 'view', 'reshape', 'flatten', 'unflatten', 'contiguous', 'transpose', 'permute', 'clone', 'detach', 'to', 'float', 'squeeze', 'unsqueeze', 'max_pool1d', 'max_pool2d', 'max_pool3d', 'adaptive_max_pool2d']);
const NORMALIZATION_OPS = new Set(['layer_norm', 'batch_norm', 'group_norm', 'instance_norm', 'normalize']);
/**
 * Pooling changes E[x²] in a way the recursion does not carry (the max of several ReLU outputs raises it,
 * an average of correlated ones lowers it), so a chain ends at a pool; it still passes between a layer and
 * its activation above, since relu(maxpool(z)) = maxpool(relu(z)).
 */
const POOLING_LAYERS = /^(Adaptive)?(Max|Avg)Pool\dd$/;
const POOLING_OPS = /^(adaptive_)?(max|avg)_pool\dd$/;

/** A consumer (module type, or op catalogue name such as `torch.nn.functional.relu`) as the activation it applies. */
export function activationOf(consumer: string): ActivationName | undefined {
  return consumer.includes('.') ? ACTIVATION_OF_OP[opShortName(consumer)] : ACTIVATION_OF_LAYER[consumer];
}

/**
 * The activation applied to a layer's output, following its data (the interpreter's record of who
 * consumed it): the first consumer that is an activation, module or functional (`torch.relu(self.conv1(x))`,
 * `F.gelu`, `x.relu()`), past dropout, reshapes and normalization (conv → BatchNorm → ReLU is a conv
 * followed by ReLU). Undefined when something else (an add, another layer, the model's output) comes first.
 */
export function activationAfter(call: Pick<CallSite, 'next'>): ActivationName | undefined {
  for (const consumer of call.next ?? []) {
    const activation = activationOf(consumer);
    if (activation) return activation;
    const op = consumer.includes('.') ? opShortName(consumer) : undefined;
    const passes = op ? PASS_THROUGH_OPS.has(op) || NORMALIZATION_OPS.has(op) : PASS_THROUGH_LAYERS.test(consumer) || NORMALIZATION.test(consumer);
    if (!passes) return undefined;
  }
  return undefined;
}

/** True when the layer's output is pooled before it reaches the next Linear/Conv (or the model's output). */
export function pooledBeforeNextLayer(call: Pick<CallSite, 'next'>): boolean {
  for (const consumer of call.next ?? []) {
    if (DENSE.test(consumer)) return false;
    if (consumer.includes('.') ? POOLING_OPS.test(opShortName(consumer)) : POOLING_LAYERS.test(consumer)) return true;
  }
  return false;
}

interface PendingLayer {
  readonly call: CallSite;
  readonly fanIn: number;
  readonly weightVariance: number;
  readonly biasVariance: number;
  readonly activation: ActivationName;
}

/** Each model's chains of dense layers, broken at normalization layers (which reset the scale) and at pooling. */
export function varianceChains(analysis: Pick<EditorAnalysis, 'calls' | 'layerWeights' | 'layerBiases'>): VarianceChain[] {
  const byModel = new Map<string, CallSite[]>();
  for (const c of analysis.calls) pushTo(byModel, c.model, c);
  const chains: VarianceChain[] = [];
  for (const [model, calls] of byModel) {
    let current: PendingLayer[] = [];
    const close = (): void => {
      if (current.length > 0) {
        const steps = propagateSecondMoment(current);
        const layers = current.map(
          (l, i): LayerGain => ({
            path: l.call.path,
            type: l.call.type,
            range: l.call.callRange,
            fanIn: l.fanIn,
            weightVariance: l.weightVariance,
            biasVariance: l.biasVariance,
            activation: l.activation,
            inputSecondMoment: steps[i]!.inputSecondMoment,
            preactivationVariance: steps[i]!.preactivationVariance,
            gain: steps[i]!.gain,
          }),
        );
        chains.push({ model, layers, product: chainVarianceGain(layers.map((l) => l.gain)) });
      }
      current = [];
    };
    calls.forEach((call) => {
      if (NORMALIZATION.test(call.type)) return close();
      if (!DENSE.test(call.type)) return;
      const key = `${model}\u0000${call.path}`;
      const weight = analysis.layerWeights[key];
      if (!weight?.fanIn || weight.variance === undefined) return close();
      const bias = analysis.layerBiases?.[key];
      // A bias whose init is unknown leaves the chain's scale unknown: the chain ends before it.
      if (bias && bias.variance === undefined) return close();
      current.push({ call, fanIn: weight.fanIn, weightVariance: weight.variance, biasVariance: bias?.variance ?? 0, activation: activationAfter(call) ?? 'linear' });
      if (pooledBeforeNextLayer(call)) close();
    });
    close();
  }
  return chains;
}

const fixed = (x: number): string => x.toPrecision(3);

export function describeGain(l: LayerGain): string {
  const bias = l.biasVariance > 0 ? ` + Var(b) ${l.biasVariance.toExponential(2)}` : '';
  const variance = `Var(z) = fan_in·Var(W)·E[x²]${bias ? ' + Var(b)' : ''} = ${l.fanIn}·${l.weightVariance.toExponential(2)}·${fixed(l.inputSecondMoment)}${bias} = ${fixed(l.preactivationVariance)}`;
  return `${variance}; g = E[${l.activation}(z)²]/E[x²] = ${l.gain.toPrecision(3)} (${l.activation === 'linear' ? 'no activation after it' : `${l.activation} after it`})`;
}

/**
 * Chains at least this deep get a warning; shallower ones (a 2-layer MLP with PyTorch's default init, which trains
 * fine) only a hint, which VS Code shows as faint dots and keeps out of the Problems panel.
 */
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
        severity: c.layers.length >= WARNING_DEPTH ? 'warning' : 'hint',
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
  const layerBiases = Object.fromEntries(
    summary.modules.flatMap((m) => {
      const bias = m.inits.find((p) => p.name === 'bias');
      return bias ? [[`${model}\u0000${m.path}`, bias] as const] : [];
    }),
  );
  return Object.fromEntries(varianceChains({ calls, layerWeights, layerBiases }).flatMap((c) => c.layers.map((l) => [l.path, l.gain] as const)));
}
