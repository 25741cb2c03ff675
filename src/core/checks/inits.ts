// Which layers an init call touches (CC-13..CC-15): `self.fc.weight`, `self.net[0].weight`, or `m.weight`
// in a `for m in self.modules(): if isinstance(m, nn.Linear)` loop, with the activation that follows each
// layer in forward's data flow.
import type { Expr, FunctionDef, Stmt } from '../python/ast';
import type { ActivationKind, ModuleClassInfo, ModuleClassIndex } from './models';
import { activationOfCall, activationOfModuleCtor, consumerOf, isLinearOrConvClass, sequentialItems, torchClassOfCall } from './models';
import type { CallExpr } from '../python/syntax';
import { dottedName, isCall, isSelfAttr, lastPart, numberValue, positionalArgs, walkBodyExprs, walkExpr, walkStmts, ownExprs, argument } from '../python/syntax';
import type { RuleContext } from './types';
import type { Fans } from '../formulas/init';

export interface LayerRef {
  readonly info: ModuleClassInfo;
  /** How the code names it: `self.fc1` or `self.net[0]`. */
  readonly label: string;
  readonly layerClass: string;
  readonly ctor: CallExpr;
  /** The activation applied to the layer's output in forward, when the data flow shows one. */
  readonly activation?: ActivationKind;
  /** How the output continues when it is not an activation: a residual addition, another call, or returned. */
  readonly next: 'activation' | 'residual-add' | 'call' | 'returned' | 'unknown';
  readonly fans?: Fans;
}

export interface InitCall {
  readonly call: CallExpr;
  /** The init function's own name: `xavier_uniform_`, `zeros_`, `fill_`. */
  readonly fn: string;
  /** The dotted module prefix of an nn.init function (`nn.init`), empty for tensor methods. */
  readonly prefix: string;
  readonly weight: Expr;
  readonly layers: readonly LayerRef[];
  /** True when the call initialises every matching layer in a modules() loop. */
  readonly viaLoop: boolean;
}

const INIT_PREFIXES = /^(nn\.init|torch\.nn\.init|init)$/;

const literalInt = (e: Expr | undefined): number | undefined => {
  const v = numberValue(e);
  return v !== undefined && Number.isInteger(v) && v > 0 ? v : undefined;
};

function fansOf(ctor: CallExpr, layerClass: string): Fans | undefined {
  const inputs = literalInt(argument(ctor, 0, layerClass === 'Linear' ? 'in_features' : 'in_channels'));
  const outputs = literalInt(argument(ctor, 1, layerClass === 'Linear' ? 'out_features' : 'out_channels'));
  if (inputs === undefined || outputs === undefined) return undefined;
  if (layerClass === 'Linear') return { fanIn: inputs, fanOut: outputs };
  if (!/^Conv[123]d$/.test(layerClass)) return undefined;
  const kernel = argument(ctor, 2, 'kernel_size');
  const rank = Number(layerClass[4]);
  const sizes = kernel?.k === 'tuple' ? kernel.items.map(literalInt) : Array.from({ length: rank }, () => literalInt(kernel));
  if (sizes.some((s) => s === undefined) || argument(ctor, 7, 'groups')) return undefined;
  const field = (sizes as number[]).reduce((p, s) => p * s, 1);
  return { fanIn: inputs * field, fanOut: outputs * field };
}

/** How a layer's output continues in forward: through an activation, a residual `+`, or else. */
function followLayer(info: ModuleClassInfo, index: ModuleClassIndex, isLayerCall: (c: CallExpr) => boolean): Pick<LayerRef, 'activation' | 'next'> {
  const forward = info.forward;
  const flow = info.forwardFlow;
  if (!forward || !flow) return { next: 'unknown' };
  const outcomes: Pick<LayerRef, 'activation' | 'next'>[] = [];
  const parents = index.parentsIn(forward);
  walkBodyExprs(forward.body, (e, _parent, stmt) => {
    if (!isCall(e) || !isLayerCall(e)) return;
    const consumer = consumerOf(e, forward, index, flow);
    const activation = consumer ? activationOfCall(consumer, info) : undefined;
    if (activation) outcomes.push({ activation, next: 'activation' });
    else if (parents.get(e)?.k === 'bin' && (parents.get(e) as { op: string }).op === '+') outcomes.push({ next: 'residual-add' });
    else if (stmt.k === 'return' && stmt.value === e) outcomes.push({ next: 'returned' });
    // Only another Linear/Conv counts as "feeds a layer"; methods like .view() or unknown modules stay unknown.
    else if (consumer && isSelfAttr(consumer.fn) && isLinearOrConvClass(torchClassOfCall(info.attributes.get(consumer.fn.name)))) outcomes.push({ next: 'call' });
    else outcomes.push({ next: 'unknown' });
  });
  const first = outcomes[0];
  if (!first) return { next: 'unknown' };
  const agree = outcomes.every((o) => o.next === first.next && o.activation === first.activation);
  return agree ? first : { next: 'unknown' };
}

function attributeLayer(info: ModuleClassInfo, index: ModuleClassIndex, attr: string): LayerRef | undefined {
  const ctor = info.attributes.get(attr);
  const layerClass = torchClassOfCall(ctor);
  if (!isCall(ctor) || !layerClass) return undefined;
  const follow = followLayer(info, index, (c) => isSelfAttr(c.fn) && c.fn.name === attr);
  const fans = fansOf(ctor, layerClass);
  return { info, label: `self.${attr}`, layerClass, ctor, ...follow, ...(fans ? { fans } : {}) };
}

function sequentialLayer(info: ModuleClassInfo, attr: string, position: number): LayerRef | undefined {
  const items = sequentialItems(info.attributes.get(attr));
  const ctor = items[position];
  const layerClass = torchClassOfCall(ctor);
  if (!isCall(ctor) || !layerClass) return undefined;
  const nextItem = items[position + 1];
  const activation = activationOfModuleCtor(nextItem);
  const fans = fansOf(ctor, layerClass);
  const next = activation ? 'activation' : isLinearOrConvClass(torchClassOfCall(nextItem)) ? 'call' : 'unknown';
  return { info, label: `self.${attr}[${position}]`, layerClass, ctor, next, ...(activation ? { activation } : {}), ...(fans ? { fans } : {}) };
}

/** Every Linear/Conv layer a class defines, as attributes or inside nn.Sequential attributes. */
export function layersOfClass(info: ModuleClassInfo, index: ModuleClassIndex): LayerRef[] {
  const out: LayerRef[] = [];
  for (const [attr, value] of info.attributes) {
    const items = sequentialItems(value);
    if (items.length > 0) {
      items.forEach((_, i) => {
        const layer = sequentialLayer(info, attr, i);
        if (layer && isLinearOrConvClass(layer.layerClass)) out.push(layer);
      });
    } else {
      const layer = attributeLayer(info, index, attr);
      if (layer && isLinearOrConvClass(layer.layerClass)) out.push(layer);
    }
  }
  return out;
}

/** The layer a weight expression belongs to: `self.fc.weight`, `self.fc.weight.data`, `self.net[0].weight`. */
function layerOfWeight(weight: Expr, info: ModuleClassInfo, index: ModuleClassIndex): LayerRef | undefined {
  let e = weight;
  if (e.k === 'attr' && e.name === 'data') e = e.obj;
  if (e.k !== 'attr' || e.name !== 'weight') return undefined;
  const owner = e.obj;
  if (isSelfAttr(owner)) return attributeLayer(info, index, owner.name);
  if (owner.k === 'sub' && isSelfAttr(owner.obj)) {
    const position = literalInt(owner.index) ?? (numberValue(owner.index) === 0 ? 0 : undefined);
    return position === undefined ? undefined : sequentialLayer(info, owner.obj.name, position);
  }
  return undefined;
}

/** The loop variable of `for m in self.modules()` and the layer classes an enclosing isinstance() keeps. */
function modulesLoopFilter(weight: Expr, ancestors: readonly Stmt[]): string[] | undefined {
  let e = weight;
  if (e.k === 'attr' && e.name === 'data') e = e.obj;
  if (e.k !== 'attr' || e.name !== 'weight' || e.obj.k !== 'name') return undefined;
  const variable = e.obj.id;
  const loop = ancestors.find((s) => s.k === 'for' && s.target.k === 'name' && s.target.id === variable);
  // Only `self.modules()` / `self.children()`: then the layers are this class's own.
  if (!loop || loop.k !== 'for' || !isCall(loop.iter) || !isSelfAttr(loop.iter.fn) || !/^(modules|children)$/.test(loop.iter.fn.name)) return undefined;
  // The innermost isinstance(m, ...) test on the path decides which layers the call reaches.
  for (const s of [...ancestors].reverse()) {
    if (s.k !== 'if') continue;
    for (const b of s.branches) {
      const classes = isinstanceClasses(b.test, variable);
      if (classes && b.body.some((inner) => containsStmtAt(inner, weight))) return classes;
    }
  }
  return undefined;
}

function containsStmtAt(s: Stmt, e: Expr): boolean {
  return (s.r.start.line < e.r.start.line || (s.r.start.line === e.r.start.line && s.r.start.character <= e.r.start.character)) &&
    (s.r.end.line > e.r.end.line || (s.r.end.line === e.r.end.line && s.r.end.character >= e.r.end.character));
}

function isinstanceClasses(test: Expr, variable: string): string[] | undefined {
  if (!isCall(test) || dottedName(test.fn) !== 'isinstance') return undefined;
  const [subject, types] = positionalArgs(test);
  if (subject?.k !== 'name' || subject.id !== variable || !types) return undefined;
  const list = types.k === 'tuple' ? types.items : [types];
  const names = list.map((t) => dottedName(t)).filter((n): n is string => n !== undefined).map(lastPart);
  return names.length === list.length ? names : undefined;
}

const INIT_METHODS = new Set(['fill_', 'zero_', 'normal_', 'uniform_']);

/** Every weight-init call in the classes of a file, with the layers it reaches. */
export function initCalls(context: RuleContext): InitCall[] {
  const out: InitCall[] = [];
  for (const { def, cls } of context.functions) {
    const info = cls ? context.classes.infoOf(cls) : undefined;
    if (!info) continue;
    collectInFunction(def, info, context.classes, out);
  }
  return out;
}

function collectInFunction(def: FunctionDef, info: ModuleClassInfo, index: ModuleClassIndex, out: InitCall[]): void {
  walkStmts(def.body, (stmt, ancestors) => {
    for (const root of ownExprs(stmt))
      walkExpr(root, (e) => {
        if (!isCall(e)) return;
        const name = dottedName(e.fn);
        let fn: string | undefined;
        let prefix = '';
        let weight: Expr | undefined;
        if (name && INIT_PREFIXES.test(name.slice(0, Math.max(0, name.lastIndexOf('.'))))) {
          fn = lastPart(name);
          prefix = name.slice(0, name.lastIndexOf('.'));
          weight = argument(e, 0, 'tensor');
        } else if (e.fn.k === 'attr' && INIT_METHODS.has(e.fn.name)) {
          fn = e.fn.name;
          weight = e.fn.obj;
        }
        if (!fn || !weight) return;
        const direct = layerOfWeight(weight, info, index);
        if (direct) {
          if (!isLinearOrConvClass(direct.layerClass)) return;
          out.push({ call: e, fn, prefix, weight, layers: [direct], viaLoop: false });
          return;
        }
        const classes = modulesLoopFilter(weight, [...ancestors, stmt]);
        if (!classes) return;
        const layers = layersOfClass(info, index).filter((l) => classes.includes(l.layerClass));
        if (layers.length > 0) out.push({ call: e, fn, prefix, weight, layers, viaLoop: true });
      });
  });
}
