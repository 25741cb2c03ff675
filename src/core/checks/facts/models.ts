// The nn.Module objects the evaluation built, and the data flow between module calls: which module's output
// a value is, through containers (nn.Sequential runs its children in order) and shape-keeping layers.
import type { Expr } from '../../python/ast';
import type { ObjectV, Value } from '../../interp/values';
import type { EventContext } from './recorder';
import type { CheckFacts } from './facts';
import type { ActivationName } from '../../formulas/activations';
import type { LayerTraits } from '../../frameworks/types';
import { lookupLayer } from '../../frameworks/torch';

const memo = new WeakMap<CheckFacts, ObjectV[]>();

/** Every module object built while the file ran (its models and all their submodules), once each. */
export function allModules(facts: CheckFacts): ObjectV[] {
  const cached = memo.get(facts);
  if (cached) return cached;
  const roots = new Set<ObjectV>();
  for (const c of facts.objectResultCalls) if (facts.isModule(c.result)) roots.add(c.result);
  for (const i of facts.driven.instances) if (facts.isModule(i)) roots.add(i);
  const out = new Set<ObjectV>();
  for (const r of roots) addModulesUnder(r, out);
  const list = [...out];
  memo.set(facts, list);
  return list;
}

/**
 * Adds the modules under `root` to `out` in named_modules order (pre-order, children in registration order, each
 * module once), as `namedModulesOf(root)` lists them, without their paths and without walking again below a
 * module `out` holds: it was found under an earlier root with everything under it (the tree is final once the
 * evaluation ran; module ids are unique, so `out` also stands for named_modules' modules seen). Every root's
 * whole subtree was walked: each of a model's modules is a root too (its construction returned it), so that took
 * as many steps as all the subtrees' sizes summed.
 */
function addModulesUnder(root: ObjectV, out: Set<ObjectV>): void {
  if (out.has(root)) return;
  const stack: ObjectV[] = [root];
  const children: ObjectV[] = [];
  const collect = (child: ObjectV | null): void => {
    if (child !== null) children.push(child);
  };
  while (stack.length > 0) {
    const m = stack.pop()!;
    if (out.has(m)) continue;
    out.add(m);
    children.length = 0;
    m.module?.children.forEach(collect);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

/** The catalogue layer class of a module (`Conv2d`), or its own class name. */
export const layerName = (m: ObjectV): string => m.cls.mro.find((c) => c.layer)?.name ?? m.cls.name;

/** What the catalogue says of a module's layer class (its entry's traits); undefined for a class of the code's own. */
export const traitsOf = (m: ObjectV): LayerTraits | undefined => lookupLayer(layerName(m))?.traits;

/** A layer whose weight multiplies its input (Linear, Conv, ConvTranspose, their lazy forms). */
export const isDense = (m: ObjectV): boolean => traitsOf(m)?.variance?.kind === 'dense';

/** A normalization layer (batch, instance, layer, group, RMS norms). */
export const isNormalization = (m: ObjectV): boolean => traitsOf(m)?.variance?.kind === 'normalization';

/** A normalization layer, or a class of the code's own named like one (LLaMA-style `RMSNorm` classes): a name of user code, not a catalogue lookup. */
export const normalizes = (m: ObjectV): boolean => isNormalization(m) || (!m.cls.mro.some((c) => c.layer) && /norm/i.test(m.cls.name));

/** A layer that normalizes with the batch's own statistics in training (BatchNorm1d/2d/3d, SyncBatchNorm). */
export const usesBatchStatistics = (m: ObjectV): boolean => traitsOf(m)?.training?.kind === 'batch-statistics';

/** A dropout layer of any kind (element, channel, alpha). */
export const isDropout = (m: ObjectV): boolean => traitsOf(m)?.training?.kind === 'dropout';

/** The spatial rank of a convolution (not transposed, not lazy: its entry's fans run over a kernel), else undefined. */
export function convolutionRank(m: ObjectV): number | undefined {
  const traits = traitsOf(m);
  return traits?.variance?.kind === 'dense' && traits.fans?.kernel ? traits.spatialRank : undefined;
}

/** The spatial rank of a batch norm (BatchNorm1d/2d/3d and their lazy forms), else undefined. */
export const batchNormRank = (m: ObjectV): number | undefined => (usesBatchStatistics(m) ? traitsOf(m)?.spatialRank : undefined);

/** The activation a layer applies (its entry's variance role), a softmax-like layer as 'softmax'. */
export function activationOfLayer(m: ObjectV): ActivationName | 'softmax' | undefined {
  const traits = traitsOf(m);
  if (traits?.probabilities) return 'softmax';
  return traits?.variance?.kind === 'activation' ? traits.variance.activation : undefined;
}

/** A constructor argument of a catalogue layer as numbers (`kernel_size=3` → [3], `(1, 3)` → [1, 3]). */
export function ctorNumbers(m: ObjectV, name: string): number[] | undefined {
  const v = m.module?.ctorArgs?.get(name);
  if (!v) return undefined;
  const items: readonly Value[] = v.kind === 'tuple' || v.kind === 'list' ? v.items : [v];
  const out = items.map((i) => (i.kind === 'int' && typeof i.value === 'number' ? i.value : undefined));
  return out.every((x) => x !== undefined) ? (out as number[]) : undefined;
}

/** The container a module sits in and its position there (nn.Sequential / ModuleList children in order). */
export function parentsOf(facts: CheckFacts, child: ObjectV): { parent: ObjectV; index: number }[] {
  return parentIndex(facts).get(child) ?? [];
}

const parentMemo = new WeakMap<CheckFacts, Map<ObjectV, { parent: ObjectV; index: number }[]>>();

/** Every module's containers with its first position in each, built once per file (a lookup per query, not a walk of every module). */
function parentIndex(facts: CheckFacts): Map<ObjectV, { parent: ObjectV; index: number }[]> {
  const cached = parentMemo.get(facts);
  if (cached) return cached;
  const index = new Map<ObjectV, { parent: ObjectV; index: number }[]>();
  for (const parent of allModules(facts)) {
    // Positions count the registered children (None slots skipped, as childrenOf lists them). A module's children
    // are listed together, so a child registered twice in it finds its first position last in its list: no map
    // of first positions per module, and no [name, child] pair per child.
    let position = 0;
    parent.module?.children.forEach((child) => {
      if (child === null) return;
      const at = position++;
      const list = index.get(child);
      if (!list) index.set(child, [{ parent, index: at }]);
      else if (list[list.length - 1]!.parent !== parent) list.push({ parent, index: at });
    });
  }
  parentMemo.set(facts, index);
  return index;
}

export const isSequential = (m: ObjectV): boolean => m.cls.mro.some((c) => c.native === 'Sequential' || c.name === 'Sequential');

/**
 * The module whose output flows into `value`: the module called to produce it (following Sequential
 * containers to their last child), looking through the calls `through` accepts (activations, norms).
 */
export function producingModules(facts: CheckFacts, start: ObjectV, through: (m: ObjectV) => boolean): ObjectV[] {
  const out: ObjectV[] = [];
  // Inside containers: the siblings before `start`.
  for (const { parent, index } of parentsOf(facts, start)) {
    if (!isSequential(parent)) continue;
    const siblings = facts.driven.session.torch.childrenOf(parent).map(([, c]) => c);
    for (let i = index - 1; i >= 0; i--) {
      const s = lastLeaf(facts, siblings[i]!);
      if (through(s)) continue;
      out.push(s);
      break;
    }
  }
  // In forward code: the value `start` was called on, back through its producers.
  for (const call of facts.callsOf(start)) {
    let v: Value | undefined = call.args.positional[0];
    for (let hop = 0; hop < 8 && v; hop++) {
      const p = facts.producerOf(v);
      if (!p || p.kind !== 'call') break;
      const m = facts.isModule(p.callee) ? lastLeaf(facts, p.callee) : undefined;
      if (m && !through(m)) {
        out.push(m);
        break;
      }
      // An activation function or a shape-keeping module: look at its input.
      v = p.args.positional[0] ?? (p.receiver?.kind === 'tensor' || p.receiver?.kind === 'unknown' ? p.receiver : undefined);
    }
  }
  return out;
}

/**
 * The modules whose output is a module's input with nothing in between: the previous child of an
 * nn.Sequential it sits in, or the module called to produce the value it was called on in forward code.
 */
export function directProducers(facts: CheckFacts, start: ObjectV): ObjectV[] {
  const out: ObjectV[] = [];
  for (const { parent, index } of parentsOf(facts, start)) {
    if (!isSequential(parent) || index === 0) continue;
    const previous = facts.driven.session.torch.childrenOf(parent)[index - 1];
    if (previous) out.push(lastLeaf(facts, previous[1]));
  }
  for (const call of facts.callsOf(start)) {
    const p = facts.producerOf(call.args.positional[0]);
    if (p?.kind === 'call' && facts.isModule(p.callee)) out.push(lastLeaf(facts, p.callee));
  }
  return out;
}

/** A container's last leaf module (what its output comes from). */
function lastLeaf(facts: CheckFacts, m: ObjectV): ObjectV {
  let current = m;
  for (let depth = 0; depth < 8 && isSequential(current); depth++) {
    const children = facts.driven.session.torch.childrenOf(current);
    const last = children[children.length - 1];
    if (!last) break;
    current = last[1];
  }
  return current;
}

/** Every parameter tensor of every module the evaluation built. */
export function allParameters(facts: CheckFacts): Set<Value> {
  const out = new Set<Value>();
  for (const m of allModules(facts)) for (const t of facts.parametersOf(m)) out.add(t);
  return out;
}

/**
 * True when a value is computed from data: the walk back through its producers reaches a module called on
 * something, or a tensor the file did not compute (an input, an argument), rather than only module parameters
 * (learned queries: `self.query_embed.weight` expanded over the batch) or values that are no tensor at all.
 */
export function fromData(facts: CheckFacts, start: Value | undefined): boolean {
  if (!start) return false;
  const params = allParameters(facts);
  const stack: Value[] = [start];
  const seen = new Set<Value>();
  while (stack.length > 0 && seen.size < 64) {
    const v = stack.pop()!;
    if (seen.has(v) || params.has(v)) continue;
    seen.add(v);
    const p = facts.producerOf(v);
    if (!p) {
      if (v.kind === 'tensor' || v.kind === 'unknown') return true;
      continue;
    }
    if (p.kind === 'call' && facts.isModule(p.callee)) return true;
    // `self.query_embed.weight.unsqueeze(1)` where the layer could not be built (its size is an argument):
    // the receiver is a submodule's weight all the same.
    if (p.kind === 'call' && p.expr.fn.k === 'attr' && ownWeight(facts, p, p.expr.fn.obj)) continue;
    // A tensor method (`expand(-1, bs, -1)`) keeps what its receiver is; its arguments are sizes.
    const method = p.kind === 'call' && p.expr.fn.k === 'attr' && (p.receiver?.kind === 'tensor' || p.receiver?.kind === 'unknown' || p.receiver?.kind === 'none');
    const inputs = p.kind === 'op' ? p.operands : method ? [p.receiver] : p.args.positional;
    for (const i of inputs) if (i && (i.kind === 'tensor' || i.kind === 'unknown' || i.kind === 'none')) stack.push(i);
  }
  return false;
}

/** True when `expr` reads `self.<child>.weight` of a submodule of the class whose method the event ran in. */
function ownWeight(facts: CheckFacts, event: { readonly context: EventContext }, expr: Expr): boolean {
  if (expr.k !== 'attr' || expr.name !== 'weight' || expr.obj.k !== 'attr' || expr.obj.obj.k !== 'name' || expr.obj.obj.id !== 'self') return false;
  const child = expr.obj.name;
  const owner = [...event.context.functions].reverse().find((f) => f.fn.definingClass)?.fn.definingClass;
  if (!owner) return false;
  return allModules(facts).some((m) => m.cls === owner && m.module?.children.has(child));
}
