// Which loss a call computes, and which activation produced a value that reaches it: the data-flow
// facts behind CC-09, CC-10, CC-12 and CC-44.
import type { Expr } from '../python/ast';
import type { ActivationKind, ModuleClassInfo, ModuleClassIndex } from './models';
import { activationOfCall, activationOfModuleCtor, sequentialItems, torchClassOfCall } from './models';
import type { CallExpr } from '../python/syntax';
import { dottedName, isCall, lastPart } from '../python/syntax';
import type { Scope } from './training';
import { lookupLayer } from '../frameworks/torch';

export type LossKind = 'cross_entropy' | 'nll' | 'bce_with_logits' | 'bce' | 'kl_div' | 'mse';

/** The losses the checks reason about, by functional name and by module class (shared by losses.ts and loss-inputs.ts). */
export const FUNCTIONAL_LOSSES: Readonly<Record<string, LossKind>> = {
  cross_entropy: 'cross_entropy',
  nll_loss: 'nll',
  binary_cross_entropy_with_logits: 'bce_with_logits',
  binary_cross_entropy: 'bce',
  kl_div: 'kl_div',
  mse_loss: 'mse',
};

/** The loss a module class computes: the F.* function its catalogue entry names (CrossEntropyLoss → cross_entropy). */
export function lossKindOfModule(layer: string): LossKind | undefined {
  const functional = lookupLayer(layer)?.traits?.loss?.functional;
  return functional ? FUNCTIONAL_LOSSES[functional] : undefined;
}

const FUNCTIONAL_PREFIXES = new Set(['F', 'functional', 'nn.functional', 'torch.nn.functional']);

/** The loss a call computes: `F.cross_entropy(...)`, `nn.CrossEntropyLoss()(...)`, `criterion(...)`. */
export function lossKindOfCall(call: CallExpr, scope: Scope): LossKind | undefined {
  const name = dottedName(call.fn);
  if (name) {
    const prefix = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : '';
    const kind = FUNCTIONAL_LOSSES[lastPart(name)];
    if (kind && (FUNCTIONAL_PREFIXES.has(prefix) || (prefix === '' && !scope.flow.binds(name)))) return kind;
  }
  const moduleClass = torchClassOfCall(scope.resolve(call.fn));
  return moduleClass ? lossKindOfModule(moduleClass) : undefined;
}

export interface Producer {
  readonly activation: ActivationKind;
  /** The activation call itself when the value flows from it in this scope (so a fix can remove it). */
  readonly call?: CallExpr;
  /** Where the activation lives when it is the model's last layer. */
  readonly via?: string;
}

/** The activation a model class applies last: its forward's returned call or its Sequential's last layer. */
export function lastActivationOfClass(info: ModuleClassInfo): ActivationKind | undefined {
  const forward = info.forward;
  const flow = info.forwardFlow;
  if (!forward || !flow) return undefined;
  const kinds = new Set<ActivationKind | undefined>();
  const visit = (stmts: typeof forward.body): void => {
    for (const s of stmts) {
      if (s.k === 'return') kinds.add(s.value ? activationOfValue(flow.resolve(s.value), info) : undefined);
      else if (s.k === 'if') for (const b of [...s.branches.map((x) => x.body), s.orelse]) visit(b);
    }
  };
  visit(forward.body);
  return kinds.size === 1 ? [...kinds][0] : undefined;
}

function activationOfValue(e: Expr, info: ModuleClassInfo): ActivationKind | undefined {
  if (!isCall(e)) return undefined;
  const direct = activationOfCall(e, info);
  if (direct) return direct;
  const module = e.fn.k === 'attr' && e.fn.obj.k === 'name' && e.fn.obj.id === 'self' ? info.attributes.get(e.fn.name) : undefined;
  const items = sequentialItems(module);
  return activationOfModuleCtor(items[items.length - 1]);
}

/** The activation that produced `value` in this scope, directly or as the last layer of a model defined in the file. */
export function producerOf(value: Expr, scope: Scope, classes: ModuleClassIndex): Producer | undefined {
  const resolved = scope.resolve(value);
  if (!isCall(resolved)) return undefined;
  const activation = activationOfCall(resolved, scope.cls);
  if (activation) return { activation, call: resolved };
  // `model(x)` with `model = SomeNet()` defined in this file, or an nn.Sequential ending in an activation.
  const model = scope.resolve(resolved.fn);
  if (!isCall(model)) return undefined;
  const items = sequentialItems(model);
  if (items.length > 0) {
    const kind = activationOfModuleCtor(items[items.length - 1]);
    return kind ? { activation: kind, via: 'the nn.Sequential model' } : undefined;
  }
  const className = dottedName(model.fn);
  const info = className ? classes.get(className) : undefined;
  const kind = info ? lastActivationOfClass(info) : undefined;
  return kind && info ? { activation: kind, via: `${info.cls.name}.forward` } : undefined;
}

/** The input an activation call applies to: `F.softmax(z, 1)`, `self.act(z)`, `nn.Softmax(1)(z)` → z; `z.softmax(1)` → z. */
export function activationInput(call: CallExpr): Expr | undefined {
  const first = call.args.find((a) => a.kind === 'pos')?.value;
  if (call.fn.k !== 'attr') return first;
  const owner = dottedName(call.fn.obj);
  if (owner && (FUNCTIONAL_PREFIXES.has(owner) || owner === 'torch' || owner === 'self' || owner === 'torch.special')) return first;
  // A tensor method applies to its receiver.
  return call.fn.obj;
}
