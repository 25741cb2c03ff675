// CC-56: softmax / log_softmax taken over dim 0 of a batch (a model's output, or data from a loader): each
// sample's probabilities then depend on the other samples of the batch.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import type { RuleReport } from '../types';
import type { ObjectV, Value } from '../../interp/values';
import type { CheckFacts } from '../facts/facts';
import type { RecordedCall, RecordedEvent } from '../facts/recorder';
import { layerName, traitsOf } from '../facts/models';
import type { LayerTraits } from '../../frameworks/types';
import { activationOfModule } from '../facts/inits';
import { presumedModel } from '../facts/training';
import type { Expr } from '../../python/ast';

const SOFTMAX = /^(softmax|log_softmax)$/;

/** Layers whose input and output have the batch on axis 0 by definition (a conv's N, BatchNorm's N). */
const batchFirstLayer = (traits: LayerTraits): boolean => (traits.grid === 'windows' && traits.variance?.kind === 'dense') || traits.training?.kind === 'batch-statistics';
/** Functions that give the batch axis by definition. */
const BATCH_FIRST_FUNCTIONS = /^(conv[123]d|conv_transpose[123]d|batch_norm)$/;
/** Functions and methods that keep axis 0 where it was: element-wise maps, pooling, per-sample flattening. */
const KEEPS_AXIS_0 = /^(relu|relu_|relu6|leaky_relu|gelu|silu|elu|selu|mish|sigmoid|tanh|hardswish|dropout|dropout2d|max_pool[123]d|avg_pool[123]d|adaptive_avg_pool[123]d|adaptive_max_pool[123]d|linear|layer_norm|normalize|flatten|float|double|half|to|contiguous|squeeze|view|reshape|clone|cpu|cuda|type|exp)$/;
const ARITHMETIC = /^(\+|-|\*|\/|\*\*|@)$/;

/** The own name of a function or method call: `relu` for `F.relu(x)` and `x.relu()`. */
function calledName(p: RecordedCall): string | undefined {
  if (p.callee.kind === 'builtin') return p.callee.name.slice(p.callee.name.lastIndexOf('.') + 1);
  return p.expr.fn.k === 'attr' ? p.expr.fn.name : undefined;
}

/**
 * True when axis 0 of a value is the batch: a model's output, a conv/BatchNorm output (their axis 0 is N by
 * definition), a batch-first recurrent output, or something computed from one by operations that keep
 * axis 0 (activations, dropout, pooling, Linear, `flatten(x, 1)`, arithmetic with other tensors).
 */
function batched(facts: CheckFacts, v: Value | undefined, depth = 0): boolean {
  if (!v || depth > 40) return false;
  if (v.kind === 'tensor' && v.shape && typeof v.shape[0] === 'object') return true;
  const p = facts.producerOf(v) ?? tupleProducer(facts, v);
  if (!p) return false;
  if (p.kind === 'op') {
    if (p.op === 'unpack') return batched(facts, p.operands[0], depth + 1);
    if (p.op === '[]') return batched(facts, p.operands[0], depth + 1) && !leadingIndex(p);
    return ARITHMETIC.test(p.op) && p.operands.some((o) => (o.kind === 'tensor' || o.kind === 'unknown') && batched(facts, o, depth + 1));
  }
  if (facts.isModule(p.callee)) {
    if (!p.callee.cls.layer) return true;
    const traits = traitsOf(p.callee) ?? {};
    if (batchFirstLayer(traits)) return true;
    // Recurrent layers over a sequence: axis 0 is the batch only with batch_first=True.
    if (traits.recurrent === 'sequence') {
      const first = p.callee.module?.ctorArgs?.get('batch_first');
      return first?.kind === 'bool' && first.value;
    }
    return batched(facts, p.args.positional[0], depth + 1);
  }
  if (p.callee.kind === 'unknown' && presumedModel(p.expr.fn) && !(p.expr.fn.k === 'attr' && p.receiver === p.callee)) return true;
  // A method of a model (`model.logits(x)`, `self.encode(x)`) computes on the model's batch.
  if (p.expr.fn.k === 'attr' && facts.isModule(p.receiver) && !p.receiver.cls.layer && p.callee.kind === 'function') return true;
  // The same on a model the analysis could not see, named like one (`model.logits(tokens, features)`).
  if (p.expr.fn.k === 'attr' && p.receiver?.kind === 'unknown' && p.callee.kind === 'unknown' && presumedModel(p.expr.fn.obj)) return true;
  const name = calledName(p);
  if (!name) return false;
  if (p.callee.kind === 'builtin' && BATCH_FIRST_FUNCTIONS.test(name)) return true;
  if (!KEEPS_AXIS_0.test(name)) return false;
  // `flatten(x)` (start_dim 0) merges the batch away; `x.view(-1)` likewise is not followed.
  if (name === 'flatten' && !flattenKeepsBatch(p)) return false;
  const input = p.expr.fn.k === 'attr' && p.callee.kind !== 'builtin' ? p.receiver : p.callee.kind === 'builtin' && p.expr.fn.k === 'attr' && p.receiver?.kind === 'tensor' ? p.receiver : p.args.positional[0];
  return batched(facts, input ?? p.receiver, depth + 1);
}

/** The call that returned a tuple holding the value (`output, state = self.rnn(x)`): its items have no producer of their own. */
function tupleProducer(facts: CheckFacts, v: Value): RecordedEvent | undefined {
  let byFirst = tupleMemo.get(facts);
  if (!byFirst) {
    byFirst = new Map();
    for (const e of facts.events) if (e.result.kind === 'tuple' && e.result.items.length > 0 && !byFirst.has(e.result.items[0]!)) byFirst.set(e.result.items[0]!, e);
    tupleMemo.set(facts, byFirst);
  }
  return byFirst.get(v);
}

/** Per facts, the first event whose result is a tuple, by the tuple's first item. */
const tupleMemo = new WeakMap<CheckFacts, Map<Value, RecordedEvent>>();

/** `x[0]`, `x[-1]`: an integer first index picks one sample, so axis 0 is no longer the batch. */
function leadingIndex(p: Extract<RecordedEvent, { kind: 'op' }>): boolean {
  const [obj, index] = p.operands;
  if (obj?.kind === 'tuple' || obj?.kind === 'list') return false;
  return index?.kind === 'int' || (index?.kind === 'tuple' && index.items[0]?.kind === 'int');
}

/** `flatten(x, 1)` / `x.flatten(1)`: the start dimension leaves axis 0 alone. */
function flattenKeepsBatch(p: RecordedCall): boolean {
  const method = p.callee.kind !== 'builtin' || (p.expr.fn.k === 'attr' && p.receiver?.kind === 'tensor');
  const start = p.args.keywords.get('start_dim') ?? p.args.positional[method ? 0 : 1];
  return start?.kind === 'int' && typeof start.value === 'number' && start.value >= 1;
}

/** `x.softmax(0)`: the method form, on a tensor (or a value the analysis cannot see). */
const isMethodForm = (c: RecordedCall): boolean => c.expr.fn.k === 'attr' && (c.receiver?.kind === 'tensor' || c.receiver?.kind === 'unknown');

/** The softmax a call computes, if it is one: the function, the method, or an nn.Softmax module. */
function softmaxName(facts: CheckFacts, c: RecordedCall): string | undefined {
  if (facts.isModule(c.callee)) return traitsOf(c.callee)?.probabilities;
  // Asked of every call of the file: a builtin whose name does not end so is none, without taking its own name apart.
  if (c.callee.kind === 'builtin' && !c.callee.name.endsWith('softmax')) return undefined;
  const own = c.callee.kind === 'builtin' ? c.callee.name.slice(c.callee.name.lastIndexOf('.') + 1) : isMethodForm(c) && c.expr.fn.k === 'attr' ? c.expr.fn.name : undefined;
  return own && SOFTMAX.test(own) ? own : undefined;
}

/** The dim argument as written, and its value when known. */
function dimOf(facts: CheckFacts, c: RecordedCall): { dim: number; argument?: Expr } | undefined {
  if (facts.isModule(c.callee)) {
    const d = c.callee.module?.ctorArgs?.get('dim');
    return d?.kind === 'int' && typeof d.value === 'number' ? { dim: d.value } : undefined;
  }
  const positionalIndex = isMethodForm(c) ? 0 : 1;
  const argument = c.expr.args.find((a) => a.kind === 'kw' && a.name === 'dim')?.value ?? c.expr.args.filter((a) => a.kind === 'pos')[positionalIndex]?.value;
  const v = c.args.keywords.get('dim') ?? c.args.positional[positionalIndex];
  return v?.kind === 'int' && typeof v.value === 'number' ? { dim: v.value, ...(argument ? { argument } : {}) } : undefined;
}

export const cc56 = defineRule('CC-56', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const seen = new Set<unknown>();
  for (const c of facts.localCalls) {
    if (seen.has(c.expr)) continue;
    const own = softmaxName(facts, c);
    if (!own) continue;
    const d = dimOf(facts, c);
    if (!d || d.dim !== 0) continue;
    const input = isMethodForm(c) && !facts.isModule(c.callee) ? c.receiver : c.args.positional[0];
    if (!batched(facts, input)) continue;
    seen.add(c.expr);
    reports.push({
      message: message(own),
      range: c.expr.r,
      ...(d.argument ? { fixes: [fix('Normalise over the last axis (dim=-1)', replace(d.argument.r, '-1'))] } : {}),
    });
  }
  for (const { layer, own } of softmaxInSequentials(facts)) {
    const at = layer.module?.constructedAt;
    if (!at || at.file !== context.path || seen.has(layer)) continue;
    seen.add(layer);
    reports.push({ message: message(own), range: at.range });
  }
  return reports;
});

const message = (own: string): string =>
  `${own} over dim 0, the batch axis: each sample's probabilities are normalised across the batch, so they depend on the other samples. Use the class axis (dim=-1 or 1).`;

/** Layers of an nn.Sequential that keep axis 0 where it was: shape-keeping layers, dense layers (Linear, convs), pools. */
const keepsAxis0 = (traits: LayerTraits): boolean => traits.keepsShape === true || traits.variance?.kind === 'dense' || traits.variance?.kind === 'pooling';

/**
 * `nn.Softmax(dim=0)` inside an nn.Sequential called on batched data, reached through layers that keep axis 0:
 * the container runs its children itself, so these calls are not events of their own.
 */
function softmaxInSequentials(facts: CheckFacts): { layer: ObjectV; own: string }[] {
  const out: { layer: ObjectV; own: string }[] = [];
  for (const call of facts.valueCalls) {
    if (!facts.isModule(call.callee) || layerName(call.callee) !== 'Sequential' || !batched(facts, call.args.positional[0])) continue;
    for (const [, child] of facts.driven.session.torch.childrenOf(call.callee)) {
      const traits = traitsOf(child) ?? {};
      if (traits.probabilities) {
        const dim = child.module?.ctorArgs?.get('dim');
        if (dim?.kind === 'int' && dim.value === 0) out.push({ layer: child, own: traits.probabilities });
        break;
      }
      const start = child.module?.ctorArgs?.get('start_dim');
      const keeps = keepsAxis0(traits) || activationOfModule(child) !== undefined || (layerName(child) === 'Flatten' && !(start?.kind === 'int' && start.value === 0));
      if (!keeps) break;
    }
  }
  return out;
}
