// The nn.Module classes of one file as the rules see them: the submodules assigned to `self.x` in the
// methods, the layers inside `nn.Sequential(...)`, and which call consumes a submodule's output in
// `forward` (the activation that follows a layer in the data flow).
import type { ClassDef, Expr, FunctionDef, Stmt } from '../python/ast';
import { flowOf, type Flow } from './flow';
import { comparePositions } from './source';
import type { CallExpr } from '../python/syntax';
import { dottedName, isCall, isSelfAttr, lastPart, positionalArgs, walkBodyExprs, walkStmts } from '../python/syntax';
import { lookupLayer, lookupOp } from '../frameworks/torch/index';
import type { Probabilities, VarianceRole } from '../frameworks/types';

export type ActivationKind = 'relu' | 'leaky_relu' | 'tanh' | 'sigmoid' | 'softmax' | 'log_softmax' | 'softplus';

const CHECKED_KINDS: ReadonlySet<string> = new Set<ActivationKind>(['relu', 'leaky_relu', 'tanh', 'sigmoid', 'softmax', 'log_softmax', 'softplus']);

/** The kind of activation a catalogue entry applies (its init-variance role or its probabilities), if the checks know it. */
function kindOf(variance: VarianceRole | undefined, probabilities: Probabilities | undefined): ActivationKind | undefined {
  const kind = variance?.kind === 'activation' ? variance.activation : probabilities;
  return kind !== undefined && CHECKED_KINDS.has(kind) ? (kind as ActivationKind) : undefined;
}

/** The activation a torch layer class applies (`ReLU` → relu), from its catalogue entry. */
function activationOfLayer(cls: string): ActivationKind | undefined {
  const traits = lookupLayer(cls)?.traits;
  return kindOf(traits?.variance, traits?.probabilities);
}

/** The activation a functional or tensor-method name applies (`relu`, `relu_`, `log_softmax`), from its catalogue entry. */
function activationOfFunction(name: string): ActivationKind | undefined {
  const op = lookupOp(`torch.nn.functional.${name}`) ?? lookupOp(`Tensor.${name}`) ?? lookupOp(`torch.${name}`);
  return op ? kindOf(op.variance, op.probabilities) : undefined;
}

/** Module prefixes under which a bare activation/layer name refers to PyTorch's. */
const TORCH_PREFIXES = new Set(['', 'nn', 'torch.nn', 'F', 'functional', 'nn.functional', 'torch.nn.functional', 'torch', 'torch.special', 'special']);

const prefixOf = (dotted: string): string => (dotted.includes('.') ? dotted.slice(0, dotted.lastIndexOf('.')) : '');

/** The torch layer class a constructor call builds (`nn.Conv2d(...)` → `Conv2d`), if it is one of PyTorch's. */
export function torchClassOfCall(e: Expr | undefined): string | undefined {
  if (!isCall(e)) return undefined;
  const name = dottedName(e.fn);
  if (!name) return undefined;
  const prefix = prefixOf(name);
  if (prefix !== '' && prefix !== 'nn' && prefix !== 'torch.nn') return undefined;
  const cls = lastPart(name);
  return /^[A-Z]/.test(cls) ? cls : undefined;
}

/** A layer whose weight multiplies its input (Linear, Conv, ConvTranspose, Bilinear), as its catalogue entry says. */
export const isLinearOrConvClass = (cls: string | undefined): boolean => cls !== undefined && lookupLayer(cls)?.traits?.variance?.kind === 'dense';

export interface ModuleClassInfo {
  readonly cls: ClassDef;
  /** `self.name = value` assignments in the class's methods (the first one, usually in __init__). */
  readonly attributes: ReadonlyMap<string, Expr>;
  readonly methods: ReadonlyMap<string, FunctionDef>;
  readonly forward?: FunctionDef;
  readonly forwardFlow?: Flow;
}

function collectAttributes(cls: ClassDef): Map<string, Expr> {
  const attributes = new Map<string, Expr>();
  for (const s of cls.body) {
    if (s.k !== 'def') continue;
    walkStmts(s.body, (stmt) => {
      if (stmt.k !== 'assign' || !stmt.value) return;
      for (const t of stmt.targets) if (isSelfAttr(t) && !attributes.has(t.name)) attributes.set(t.name, stmt.value);
    });
  }
  return attributes;
}

export class ModuleClassIndex {
  readonly classes: ModuleClassInfo[];
  private readonly byName = new Map<string, ModuleClassInfo>();
  private readonly parents = new Map<FunctionDef, Map<Expr, Expr>>();

  constructor(classes: readonly ClassDef[]) {
    this.classes = classes.map((cls) => {
      const methods = new Map<string, FunctionDef>();
      for (const s of cls.body) if (s.k === 'def') methods.set(s.name, s);
      const forward = methods.get('forward');
      const info: ModuleClassInfo = forward
        ? { cls, attributes: collectAttributes(cls), methods, forward, forwardFlow: flowOf(forward) }
        : { cls, attributes: collectAttributes(cls), methods };
      return info;
    });
    for (const c of this.classes) if (!this.byName.has(c.cls.name)) this.byName.set(c.cls.name, c);
  }

  get(name: string): ModuleClassInfo | undefined {
    return this.byName.get(name);
  }

  infoOf(cls: ClassDef): ModuleClassInfo | undefined {
    return this.classes.find((c) => c.cls === cls);
  }

  /** Parent expression of each expression in a function (built once per function). */
  parentsIn(def: FunctionDef): Map<Expr, Expr> {
    let map = this.parents.get(def);
    if (!map) {
      const built = new Map<Expr, Expr>();
      walkBodyExprs(def.body, (e, parent) => {
        if (parent) built.set(e, parent);
      });
      this.parents.set(def, built);
      map = built;
    }
    return map;
  }
}

/** The activation an nn module constructor builds: `nn.ReLU()` → relu. */
export function activationOfModuleCtor(e: Expr | undefined): ActivationKind | undefined {
  const cls = torchClassOfCall(e);
  return cls ? activationOfLayer(cls) : undefined;
}

/** The activation a call applies to its first input, if it is one: `F.relu(x)`, `x.relu()`, `self.act(x)`, `nn.ReLU()(x)`. */
export function activationOfCall(call: CallExpr, info?: ModuleClassInfo): ActivationKind | undefined {
  const fnName = dottedName(call.fn);
  const own = fnName === undefined ? undefined : lastPart(fnName);
  const kind = own !== undefined && /^[a-z]/.test(own) ? activationOfFunction(own) : undefined;
  if (kind && fnName !== undefined) {
    // The functional form under a torch prefix (F.relu(x), torch.tanh(x), relu(x)) ...
    if (TORCH_PREFIXES.has(prefixOf(fnName))) return kind;
    // ... or a tensor method with no positional input (x.relu(), x.softmax(dim=-1)).
    if (call.fn.k === 'attr' && positionalArgs(call).every((a) => a.k === 'num' || a.k === 'unary')) return kind;
  }
  // A module called on the value: self.act(x) with self.act = nn.ReLU(), or nn.ReLU()(x).
  return activationOfModuleCtor(isSelfAttr(call.fn) ? info?.attributes.get(call.fn.name) : call.fn);
}

/** The call that consumes `value` (an expression inside `def`): its direct caller, or the first use of the name it is assigned to. */
export function consumerOf(value: Expr, def: FunctionDef, index: ModuleClassIndex, flow: Flow): CallExpr | undefined {
  const parents = index.parentsIn(def);
  const direct = directConsumer(value, parents);
  if (direct) return direct;
  const stmt = assignmentOf(value, def);
  if (!stmt || stmt.k !== 'assign' || stmt.targets.length !== 1 || stmt.targets[0]!.k !== 'name') return undefined;
  const name = stmt.targets[0]!.id;
  const use = firstUseAfter(def, name, stmt, flow);
  return use ? directConsumer(use, parents) : undefined;
}

function directConsumer(value: Expr, parents: Map<Expr, Expr>): CallExpr | undefined {
  const parent = parents.get(value);
  // A method call on the value, `value.relu()`: the parent is the attribute, the grandparent the call.
  if (parent?.k === 'attr' && parent.obj === value) {
    const grandparent = parents.get(parent);
    return isCall(grandparent) && grandparent.fn === parent ? grandparent : undefined;
  }
  if (isCall(parent) && positionalArgs(parent)[0] === value) return parent;
  return undefined;
}

function assignmentOf(value: Expr, def: FunctionDef): Stmt | undefined {
  let found: Stmt | undefined;
  walkStmts(def.body, (s) => {
    if (s.k === 'assign' && s.value === value) found = s;
  });
  return found;
}

function firstUseAfter(def: FunctionDef, name: string, stmt: Stmt, flow: Flow): Expr | undefined {
  let found: Expr | undefined;
  walkBodyExprs(def.body, (e, _parent, useStmt) => {
    if (found || e.k !== 'name' || e.id !== name) return;
    if (useStmt.k === 'assign' && useStmt.targets.includes(e)) return;
    if (comparePositions(e.r.start, stmt.r.end) < 0) return;
    if (flow.definitionBefore(name, e.r.start)?.stmt === stmt) found = e;
  });
  return found;
}

/** The layers of an `nn.Sequential(...)` call, in order (empty when it is not one). */
export function sequentialItems(e: Expr | undefined): Expr[] {
  if (!isCall(e) || torchClassOfCall(e) !== 'Sequential') return [];
  return positionalArgs(e);
}
