// Weight inits as the evaluation ran them: each `nn.init.*_` call or in-place fill (`w.data.normal_()`) in
// the checked file, the layer whose parameter it set (also through `for m in self.modules()` loops and
// helper functions), the init the catalogue recorded for that parameter, the layer's fans, and what the
// layer's output flows into (an activation, another layer, a residual sum, a norm).
import type { ObjectV, ParamInfo, Value } from '../../interp/values';
import type { ActivationName } from '../../formulas/activations';
import { fansOfShape } from '../../formulas/init';
import type { Fans } from '../../formulas/init';
import type { CheckFacts } from './facts';
import type { RecordedCall } from './recorder';
import { activationOfLayer, allModules, isDense, isNormalization, isSequential, layerName, parentsOf } from './models';
import { lookupOp } from '../../frameworks/torch';

const INIT_METHODS = /^(normal_|uniform_|zero_|fill_|trunc_normal_)$/;

/** What a layer's output flows into. */
export type Next =
  | { readonly kind: 'activation'; readonly activation: ActivationName | 'softmax' }
  | { readonly kind: 'layer' | 'residual-add' | 'norm' | 'returned' | 'unknown' };

export interface InitFact {
  readonly call: RecordedCall;
  /** The init's own name: `xavier_uniform_`, `normal_`, `zero_`. */
  readonly fn: string;
  readonly layer: ObjectV;
  readonly layerClass: string;
  readonly param: ParamInfo;
  /** True when no later init call replaced what this one set. */
  readonly final: boolean;
  readonly fans?: Fans;
  readonly next: Next;
}

/** The activation a module applies, if it is one (its catalogue entry's trait). */
export const activationOfModule = activationOfLayer;

/** The activation a torch function applies (`F.relu`, `torch.tanh`): its catalogue entry's variance role or probabilities. */
function activationOfOp(name: string): ActivationName | 'softmax' | undefined {
  const entry = lookupOp(name) ?? lookupOp(`Tensor.${name.slice(name.lastIndexOf('.') + 1)}`);
  if (entry?.probabilities) return 'softmax';
  return entry?.variance?.kind === 'activation' ? entry.variance.activation : undefined;
}

function activationOfCall(facts: CheckFacts, c: RecordedCall): ActivationName | 'softmax' | undefined {
  if (facts.isModule(c.callee)) return activationOfModule(c.callee);
  if (c.callee.kind === 'builtin') {
    const own = c.callee.name.slice(c.callee.name.lastIndexOf('.') + 1);
    return /^[a-z]/.test(own) ? activationOfOp(c.callee.name) : undefined;
  }
  return undefined;
}

const memo = new WeakMap<CheckFacts, Map<Value, { layer: ObjectV; param: ParamInfo }>>();

/** Parameter tensor → the module that owns it (its direct owner) and its record. */
function parameterOwners(facts: CheckFacts): Map<Value, { layer: ObjectV; param: ParamInfo }> {
  let map = memo.get(facts);
  if (map) return map;
  map = new Map();
  for (const m of allModules(facts)) for (const p of m.module?.params.values() ?? []) map.set(p.tensor, { layer: m, param: p });
  memo.set(facts, map);
  return map;
}

/** The fans of a weight of known shape. */
function fansOf(param: ParamInfo): Fans | undefined {
  const shape = param.shape;
  if (!shape || shape.length < 2 || !shape.every((d) => typeof d === 'number')) return undefined;
  return fansOfShape(shape as number[]);
}

/** What flows out of a layer: its next sibling in an nn.Sequential, or the consumers of its output in forward code. */
export function nextOf(facts: CheckFacts, layer: ObjectV): Next {
  const outcomes: Next[] = [];
  for (const { parent, index } of parentsOf(facts, layer)) {
    if (!isSequential(parent)) continue;
    const children = facts.driven.session.torch.childrenOf(parent);
    const next = children[index + 1]?.[1];
    outcomes.push(next ? classify(next) : { kind: 'unknown' });
  }
  for (const call of facts.callsOf(layer)) {
    const out = call.result;
    for (const e of facts.consumersOf(out)) {
      if (e.seq <= call.seq) continue;
      const inputs = e.kind === 'call' ? [e.receiver, ...e.args.positional] : e.operands;
      if (!inputs.includes(out)) continue;
      if (e.kind === 'op') outcomes.push(e.op === '+' || e.op === '+=' ? { kind: 'residual-add' } : { kind: 'unknown' });
      else {
        const activation = activationOfCall(facts, e) ?? (e.expr.fn.k === 'attr' && e.receiver === out ? activationOfOp(`Tensor.${e.expr.fn.name}`) : undefined);
        outcomes.push(activation ? { kind: 'activation', activation } : facts.isModule(e.callee) ? classify(e.callee) : { kind: 'unknown' });
      }
      break;
    }
  }
  const first = outcomes[0];
  if (!first) return { kind: 'unknown' };
  const same = outcomes.every((o) => o.kind === first.kind && (o.kind !== 'activation' || first.kind !== 'activation' || o.activation === first.activation));
  return same ? first : { kind: 'unknown' };
}

function classify(m: ObjectV): Next {
  const activation = activationOfModule(m);
  if (activation) return { kind: 'activation', activation };
  if (isDense(m)) return { kind: 'layer' };
  if (isNormalization(m)) return { kind: 'norm' };
  return { kind: 'unknown' };
}

/** The init calls of the checked file on the weights of Linear/Conv layers (computed once per facts, shared by the rules). */
export function weightInits(facts: CheckFacts): readonly InitFact[] {
  return facts.derived('weightInits', () => findWeightInits(facts));
}

function findWeightInits(facts: CheckFacts): InitFact[] {
  // Built at the first init call: a unit that inits no tensor needs no map of every module's parameters.
  let owners: Map<Value, { layer: ObjectV; param: ParamInfo }> | undefined;
  const out: InitFact[] = [];
  for (const c of facts.localCalls) {
    if (c.callee.kind !== 'builtin') continue;
    const name = c.callee.name;
    // Both forms below end in `_` (an in-place init): asked of every call, the others stop here.
    if (!name.endsWith('_')) continue;
    const own = name.slice(name.lastIndexOf('.') + 1);
    const viaInit = /(^|\.)init\.[a-z_]+_$/.test(name);
    const viaMethod = !viaInit && INIT_METHODS.test(own) && c.expr.fn.k === 'attr';
    if (!viaInit && !viaMethod) continue;
    const target = viaInit ? (c.args.positional[0] ?? c.args.keywords.get('tensor')) : c.receiver;
    const owner = target ? (owners ??= parameterOwners(facts)).get(target) : undefined;
    if (!owner || owner.param.name !== 'weight') continue;
    const layerClass = layerName(owner.layer);
    if (!isDense(owner.layer)) continue;
    const override = owner.param.initOverride;
    const final = override !== undefined && override.range.start.line === c.expr.r.start.line && override.range.start.character === c.expr.r.start.character;
    const fans = fansOf(owner.param);
    out.push({ call: c, fn: own, layer: owner.layer, layerClass, param: owner.param, final, ...(fans ? { fans } : {}), next: nextOf(facts, owner.layer) });
  }
  return out;
}

/**
 * How the code names a layer, from the model whose method ran the init call: `self.fc1`, `self.features[0]`;
 * with the model it belongs to (the chain a rule measures), or the layer's own class when no model is known.
 */
export function layerLabel(facts: CheckFacts, f: InitFact): { label: string; model?: ObjectV } {
  const owner = [...f.call.context.functions].reverse().find((fr) => fr.fn.definingClass)?.fn.definingClass;
  const models = allModules(facts).filter((m) => (owner ? m.cls === owner : !isSequential(m) && !m.cls.layer));
  for (const model of models) {
    const named = facts.namedModulesOf(model).find(([, m]) => m === f.layer);
    if (named && named[0] !== '') return { label: `self.${named[0].replace(/\.(\d+)(?=\.|$)/g, '[$1]')}`, model };
  }
  return { label: f.layerClass };
}
