// The forward variance gain of each Linear/Conv layer and of each chain of them (issue 5, topic
// weight-init-xavier-he), by the mean-field recursion of formulas/init.ts: Var(z_l) = fan_in·Var(W)·E[a_(l−1)²]
// + Var(b), E[a_l²] = E[φ(z_l)²] for the activation φ that follows, and the product of the gains
// E[a_l²]/E[a_(l−1)²] along layers that no normalization layer separates, from a unit-variance input.
import { propagateSecondMoment, chainVarianceGain } from '../formulas/init';
import type { ActivationName } from '../formulas/activations';
import type { Range } from '../values';
import type { CallSite, EditorAnalysis, ShapeDiagnostic } from './documentAnalysis';
import type { ModelSummary } from '../analysis/summary';
import type { InitReport } from '../analysis/init';
import { lookupLayer, lookupOp } from '../frameworks/torch/index';
import type { VarianceRole } from '../frameworks/types';
import { pushTo } from '../groups';
import { RenderedBy } from './renderedBy';

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

/**
 * A consumer's part in the chain (module type, or op catalogue name such as `torch.nn.functional.relu`), as its
 * catalogue entry declares it: a dense step, an activation, a pass-through, a normalization or a pooling.
 */
function roleOf(consumer: string): VarianceRole | undefined {
  if (consumer.includes('.')) return lookupOp(consumer)?.variance;
  const layer = lookupLayer(consumer);
  // A module of the code's own named as a normalization (LLaMA-style RMSNorm classes) resets the scale too.
  return layer ? layer.traits?.variance : USER_NORMALIZATION.test(consumer) ? { kind: 'normalization' } : undefined;
}

const USER_NORMALIZATION = /Norm/;

/** A consumer as the activation it applies. */
export function activationOf(consumer: string): ActivationName | undefined {
  const role = roleOf(consumer);
  return role?.kind === 'activation' ? role.activation : undefined;
}

/**
 * The activation applied to a layer's output, following its data (the interpreter's record of who
 * consumed it): the first consumer that is an activation, module or functional (`torch.relu(self.conv1(x))`,
 * `F.gelu`, `x.relu()`), past dropout, reshapes, normalization and max pooling (conv → BatchNorm → ReLU is a
 * conv followed by ReLU; relu(maxpool(z)) = maxpool(relu(z))). Undefined when something else (an add,
 * another layer, the model's output) comes first.
 */
export function activationAfter(call: Pick<CallSite, 'next'>): ActivationName | undefined {
  for (const consumer of call.next ?? []) {
    const role = roleOf(consumer);
    if (role?.kind === 'activation') return role.activation;
    const passes = role?.kind === 'passThrough' || role?.kind === 'normalization' || (role?.kind === 'pooling' && role.commutesWithActivation);
    if (!passes) return undefined;
  }
  return undefined;
}

/**
 * True when the layer's output is pooled before it reaches the next Linear/Conv (or the model's output):
 * pooling changes E[x²] in a way the recursion does not carry (the max of several ReLU outputs raises it,
 * an average of correlated ones lowers it), so a chain ends at a pool.
 */
export function pooledBeforeNextLayer(call: Pick<CallSite, 'next'>): boolean {
  for (const consumer of call.next ?? []) {
    const role = roleOf(consumer);
    if (role?.kind === 'dense' && role.chained) return false;
    if (role?.kind === 'pooling') return true;
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
  // The analysis's diagnostics and its hovers both ask for the chains of the same calls.
  const known = CHAINS.get(analysis.calls);
  if (known && known.weights === analysis.layerWeights && known.biases === analysis.layerBiases) return known.chains;
  const chains = computeChains(analysis);
  CHAINS.set(analysis.calls, { weights: analysis.layerWeights, biases: analysis.layerBiases, chains });
  return chains;
}

const CHAINS = new WeakMap<readonly CallSite[], { readonly weights: unknown; readonly biases: unknown; readonly chains: VarianceChain[] }>();

function computeChains(analysis: Pick<EditorAnalysis, 'calls' | 'layerWeights' | 'layerBiases'>): VarianceChain[] {
  const byModel = new Map<string, CallSite[]>();
  for (const c of analysis.calls) pushTo(byModel, c.model, c);
  return [...byModel].flatMap(([model, calls]) => {
    const keys = calls.map((c) => `${model}\u0000${c.path}`);
    // A model an edit did not touch keeps its calls and inits (the same objects), and so its chains.
    return MODEL_CHAINS.get(calls[0]!, [...calls, ...keys.map((k) => analysis.layerWeights[k]), ...keys.map((k) => analysis.layerBiases?.[k])], () =>
      modelChains(
        model,
        calls,
        (c) => analysis.layerWeights[`${model}\u0000${c.path}`],
        (c) => analysis.layerBiases?.[`${model}\u0000${c.path}`],
      ),
    );
  });
}

/**
 * The chains of one model's calls whose inits are given by module path (a model part's): the same chains, from the
 * same cache, as varianceChains gives for these calls in an analysis whose dictionaries hold these inits under
 * `model\u0000path`, without building those dictionaries.
 */
export function modelPartChains(model: string, calls: readonly CallSite[], weights: ReadonlyMap<string, InitReport>, biases: ReadonlyMap<string, InitReport>): VarianceChain[] {
  if (calls.length === 0) return [];
  const dependencies: unknown[] = [...calls];
  for (const c of calls) dependencies.push(weights.get(c.path));
  for (const c of calls) dependencies.push(biases.get(c.path));
  return MODEL_CHAINS.get(calls[0]!, dependencies, () =>
    modelChains(
      model,
      calls,
      (c) => weights.get(c.path),
      (c) => biases.get(c.path),
    ),
  );
}

const MODEL_CHAINS = new RenderedBy<VarianceChain[]>();

/** One model's chains, from its calls in the order they ran and each called module's weight and bias inits. */
function modelChains(model: string, calls: readonly CallSite[], weightOf: (call: CallSite) => InitReport | undefined, biasOf: (call: CallSite) => InitReport | undefined): VarianceChain[] {
  const chains: VarianceChain[] = [];
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
    const role = roleOf(call.type);
    if (role?.kind === 'normalization') return close();
    if (role?.kind !== 'dense' || !role.chained) return;
    const weight = weightOf(call);
    if (!weight?.fanIn || weight.variance === undefined) return close();
    const bias = biasOf(call);
    // A bias whose init is unknown leaves the chain's scale unknown: the chain ends before it.
    if (bias && bias.variance === undefined) return close();
    current.push({ call, fanIn: weight.fanIn, weightVariance: weight.variance, biasVariance: bias?.variance ?? 0, activation: activationAfter(call) ?? 'linear' });
    if (pooledBeforeNextLayer(call)) close();
  });
  close();
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
