// Every loss computed while the file ran, with the activation that produced its first input: through
// reshapes and indexing, through a model's forward (its last layer) or an nn.Sequential's last child, and
// for a loss chosen by a conditional expression or passed in as an argument, each loss it may be.
import type { Expr } from '../python/ast';
import type { CallExpr } from '../python/syntax';
import type { ObjectV, Value } from '../interp/values';
import type { RuleContext } from './types';
import type { LossKind, Producer } from './losses';
import { FUNCTIONAL_LOSSES, lossKindOfModule } from './losses';
import type { ActivationKind } from './models';
import type { CheckFacts } from './facts/facts';
import type { RecordedCall } from './facts/recorder';
import { isSequential, layerName } from './facts/models';
import { lookupLayer, lookupOp } from '../frameworks/torch';
import type { Probabilities, VarianceRole } from '../frameworks/types';

export interface LossInput {
  readonly loss: CallExpr;
  readonly kind: LossKind;
  readonly input: Expr;
  readonly producer: Producer;
}

const CHECKED: ReadonlySet<string> = new Set<ActivationKind>(['relu', 'leaky_relu', 'tanh', 'sigmoid', 'softmax', 'log_softmax', 'softplus']);

/** The activation a catalogue entry applies (its variance role or probabilities), among those the loss checks know. */
function activationKindOf(entry: { readonly variance?: VarianceRole; readonly probabilities?: Probabilities } | undefined): ActivationKind | undefined {
  if (entry?.probabilities) return entry.probabilities;
  const applied = entry?.variance?.kind === 'activation' ? entry.variance.activation : undefined;
  return applied !== undefined && CHECKED.has(applied) ? (applied as ActivationKind) : undefined;
}

/** The activation a torch function or tensor method applies (its in-place form `relu_` as the function). */
const opActivation = (qualified: string): ActivationKind | undefined => activationKindOf(lookupOp(qualified) ?? lookupOp(qualified.replace(/_$/, '')));

/** Calls that keep what a value is (its activation): reshapes, dtype/device moves, indexing. */
const TRANSPARENT = /^(view|reshape|flatten|squeeze|unsqueeze|float|double|half|to|cuda|cpu|contiguous|clone|permute|transpose|view_as|reshape_as|type)$/;

const NO_LOSS_KINDS: readonly LossKind[] = [];

/** The loss a builtin computes (`F.cross_entropy`, `torch.nn.functional.mse_loss`, a bare `cross_entropy`), if any. */
function builtinLossKind(name: string): LossKind | undefined {
  const kind = FUNCTIONAL_LOSSES[name.slice(name.lastIndexOf('.') + 1)];
  return kind && /(^|\.)functional\.|^[a-z_]+$/.test(name) ? kind : undefined;
}

/** The losses a callee (or each value a conditional chose between) computes, each once. Asked of every call of the file: no set per call. */
function lossKindsOf(facts: CheckFacts, callee: Value): readonly LossKind[] {
  let out: LossKind[] | undefined;
  for (const v of facts.alternativesOf(callee)) {
    const kind = v.kind === 'builtin' ? builtinLossKind(v.name) : facts.isModule(v) ? lossKindOfModule(layerName(v)) : undefined;
    if (kind && !out?.includes(kind)) (out ??= []).push(kind);
  }
  return out ?? NO_LOSS_KINDS;
}

/** The activation a call applies, if it is one: `F.softmax(x)`, `x.softmax()`, `self.act(x)` with an activation module. */
function activationOf(facts: CheckFacts, c: RecordedCall): ActivationKind | undefined {
  if (c.callee.kind === 'builtin') {
    const own = c.callee.name.slice(c.callee.name.lastIndexOf('.') + 1);
    return /^[a-z]/.test(own) ? (opActivation(c.callee.name) ?? opActivation(`Tensor.${own}`)) : undefined;
  }
  if (facts.isModule(c.callee)) return activationKindOf(lookupLayer(layerName(lastChild(facts, c.callee)))?.traits);
  // `x.softmax(dim=-1)` on a value the analysis cannot see into.
  if (c.expr.fn.k === 'attr' && /^[a-z]/.test(c.expr.fn.name) && (c.receiver?.kind === 'tensor' || c.receiver?.kind === 'unknown')) return opActivation(`Tensor.${c.expr.fn.name}`);
  return undefined;
}

function lastChild(facts: CheckFacts, m: ObjectV): ObjectV {
  let current = m;
  for (let i = 0; i < 8 && isSequential(current); i++) {
    const children = facts.driven.session.torch.childrenOf(current);
    const last = children[children.length - 1];
    if (!last) break;
    current = last[1];
  }
  return current;
}

/** The activation behind a value: the call that produced it, looking through reshapes and into models. */
function producerOfValue(facts: CheckFacts, context: RuleContext, start: Value | undefined): Producer | undefined {
  let v = start;
  let via: string | undefined;
  for (let hop = 0; hop < 12 && v; hop++) {
    const p = facts.producerOf(v);
    if (!p) return undefined;
    if (p.kind === 'op') {
      if (p.op !== '[]') return undefined;
      v = p.operands[0];
      continue;
    }
    const activation = activationOf(facts, p);
    if (activation) {
      const call = !via && p.file === context.path ? p.expr : undefined;
      const viaText = via ?? (facts.isModule(p.callee) && isSequential(p.callee) ? 'the nn.Sequential model' : undefined);
      return { activation, ...(call ? { call } : {}), ...(viaText ? { via: viaText } : {}) };
    }
    const method = p.expr.fn.k === 'attr' ? p.expr.fn.name : undefined;
    if (method && TRANSPARENT.test(method) && p.receiver && (p.receiver.kind === 'tensor' || p.receiver.kind === 'unknown')) {
      v = p.receiver;
      continue;
    }
    // A model's output: what its forward returned.
    if (facts.isModule(p.callee) && !p.callee.cls.layer && p.original !== undefined) {
      via ??= `${p.callee.cls.name}.forward`;
      v = p.original;
      continue;
    }
    return undefined;
  }
  return undefined;
}

/** Every loss computed in the checked file with its first input's activation; computed once per facts, shared by the rules. */
export function lossInputs(context: RuleContext): readonly LossInput[] {
  return context.facts().derived(`lossInputs\u0000${context.path}`, () => findLossInputs(context));
}

function findLossInputs(context: RuleContext): LossInput[] {
  const facts = context.facts();
  const out: LossInput[] = [];
  const seen = new Set<string>();
  for (const c of facts.localCalls) {
    const kinds = lossKindsOf(facts, c.callee);
    if (kinds.length === 0) continue;
    const input = c.expr.args.find((a) => a.kind === 'pos')?.value ?? c.expr.args.find((a) => a.kind === 'kw' && a.name === 'input')?.value;
    const producer = producerOfValue(facts, context, c.args.positional[0] ?? c.args.keywords.get('input'));
    if (!input || !producer) continue;
    for (const kind of kinds) {
      const key = `${c.expr.r.start.line}:${c.expr.r.start.character}:${kind}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ loss: c.expr, kind, input, producer });
    }
  }
  return out;
}

/** How a finding names where the activation is, when not in the caller's own code. */
export const describeProducer = (p: Producer): string => (p.via ? ` (the last layer of ${p.via})` : '');
