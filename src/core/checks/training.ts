// Training-loop facts shared by CC-01..CC-08: scopes (functions and the module's top level), loops,
// and which calls are backward passes, optimizer steps and gradient resets.
import type { Expr, Stmt, FunctionDef } from '../python/ast';
import { Flow, flowOf } from './flow';
import type { RuleContext } from './types';
import type { CallExpr, LoopStmt } from '../python/syntax';
import type { ModuleClassInfo } from './models';
import { calledName, dottedName, identifiersIn, isCall, isSelfAttr, lastPart, receiverOf, walkExpr, walkStmts, ownExprs, childBodies } from '../python/syntax';

export interface Scope {
  readonly body: readonly Stmt[];
  readonly flow: Flow;
  readonly def?: FunctionDef;
  readonly cls?: ModuleClassInfo;
  /** Follows names (locally, then at module level for free names) and `self.x` (to __init__) to their producer. */
  resolve(e: Expr): Expr;
}

const MAX_ATTRIBUTE_HOPS = 4;

function makeScope(body: readonly Stmt[], flow: Flow, moduleFlow: Flow, def?: FunctionDef, cls?: ModuleClassInfo): Scope {
  const resolve = (e: Expr): Expr => {
    let current = flow.resolve(e);
    for (let hop = 0; hop < MAX_ATTRIBUTE_HOPS; hop++) {
      if (current.k === 'name' && flow !== moduleFlow && !flow.binds(current.id)) {
        const defs = moduleFlow.definitionsOf(current.id);
        const value = defs.length === 1 ? defs[0]!.value : undefined;
        if (!value) return current;
        current = value;
      } else if (isSelfAttr(current) && cls?.attributes.has(current.name)) {
        current = cls.attributes.get(current.name)!;
      } else return current;
    }
    return current;
  };
  return { body, flow, resolve, ...(def ? { def } : {}), ...(cls ? { cls } : {}) };
}

// Scopes are derived data of an immutable context; the memo only saves rebuilding them once per rule.
const scopeMemo = new WeakMap<RuleContext, Scope[]>();

export function scopesOf(context: RuleContext): Scope[] {
  const cached = scopeMemo.get(context);
  if (cached) return cached;
  const scopes = buildScopes(context);
  scopeMemo.set(context, scopes);
  return scopes;
}

function buildScopes(context: RuleContext): Scope[] {
  const moduleFlow = new Flow(context.module.body);
  const top = makeScope(context.module.body, moduleFlow, moduleFlow);
  return [
    top,
    ...context.functions.map(({ def, cls }) => {
      const info = cls ? context.classes.infoOf(cls) : undefined;
      return makeScope(def.body, flowOf(def), moduleFlow, def, info);
    }),
  ];
}

/** A call found in a body with the statements enclosing it (innermost last). */
export interface LocatedCall {
  readonly call: CallExpr;
  readonly stmt: Stmt;
  readonly ancestors: readonly Stmt[];
}

// Bodies are immutable AST arrays; the memo saves re-walking the same function once per rule.
const callMemo = new WeakMap<readonly Stmt[], LocatedCall[]>();

export function locatedCalls(body: readonly Stmt[]): LocatedCall[] {
  const cached = callMemo.get(body);
  if (cached) return cached;
  const out: LocatedCall[] = [];
  callMemo.set(body, out);
  walkStmts(body, (stmt, ancestors) => {
    for (const e of ownExprs(stmt))
      walkExpr(e, (n) => {
        if (n.k === 'call') out.push({ call: n, stmt, ancestors });
      });
  });
  return out;
}

export const innermostLoop = (ancestors: readonly Stmt[]): LoopStmt | undefined =>
  [...ancestors].reverse().find((s): s is LoopStmt => s.k === 'for' || s.k === 'while');

export const isBackwardCall = (call: CallExpr): boolean => call.fn.k === 'attr' && call.fn.name === 'backward';

const OPTIMIZER_MODULES = /(^|\.)optim$/;
const SCHEDULER_NAME = /sched|lr_?|warmup/i;
const OPTIMIZER_NAME = /opt/i;

/** True when `e` (a receiver) is an optimizer: built by `torch.optim.X(...)`, or named like one. */
export function isOptimizerExpr(e: Expr | undefined, flow: Flow): boolean {
  if (!e) return false;
  const resolved = flow.resolve(e);
  if (isCall(resolved)) {
    const name = dottedName(resolved.fn);
    if (name && OPTIMIZER_MODULES.test(name.slice(0, Math.max(0, name.lastIndexOf('.'))))) return true;
  }
  const name = dottedName(e);
  if (!name) return false;
  const last = lastPart(name);
  return OPTIMIZER_NAME.test(last) && !SCHEDULER_NAME.test(last);
}

/** `optimizer.step()` or `scaler.step(optimizer)`. */
export function isOptimizerStep(call: CallExpr, flow: Flow): boolean {
  if (calledName(call) !== 'step' || call.fn.k !== 'attr') return false;
  const receiver = receiverOf(call);
  const receiverName = dottedName(receiver);
  if (receiverName && /scaler/i.test(lastPart(receiverName))) return true;
  return isOptimizerExpr(receiver, flow);
}

export const isZeroGradCall = (call: CallExpr): boolean => calledName(call) === 'zero_grad';

/** True when a body resets gradients somehow: zero_grad(), `p.grad = None`, `p.grad.zero_()`. */
export function resetsGradients(body: readonly Stmt[]): boolean {
  let found = false;
  walkStmts(body, (s) => {
    if (found) return;
    if (s.k === 'assign' && s.targets.some((t) => t.k === 'attr' && t.name === 'grad')) found = true;
    for (const e of ownExprs(s))
      walkExpr(e, (n) => {
        if (n.k !== 'call') return;
        const name = calledName(n);
        if (name === 'zero_grad') found = true;
        const receiver = receiverOf(n);
        if ((name === 'zero_' || name === 'detach_' || name === 'fill_' || name === 'requires_grad_') && receiver && identifiersIn(receiver).includes('grad')) found = true;
      });
  });
  return found;
}

/** The statements of a loop body with every nested (non-loop) block flattened, in source order. */
export function flattenedStatements(body: readonly Stmt[]): Stmt[] {
  const out: Stmt[] = [];
  for (const s of body) {
    out.push(s);
    if (s.k !== 'for' && s.k !== 'while') for (const b of childBodies(s)) out.push(...flattenedStatements(b));
  }
  return out;
}

/** Loops that call `.backward()` and an optimizer step in the same iteration. */
export function trainingLoops(scope: Scope): { loop: LoopStmt; backward: LocatedCall[]; steps: LocatedCall[] }[] {
  const calls = locatedCalls(scope.body);
  const byLoop = new Map<LoopStmt, { backward: LocatedCall[]; steps: LocatedCall[] }>();
  for (const c of calls) {
    const isBackward = isBackwardCall(c.call);
    const isStep = isOptimizerStep(c.call, scope.flow);
    if (!isBackward && !isStep) continue;
    const loop = innermostLoop(c.ancestors);
    if (!loop) continue;
    const entry = byLoop.get(loop) ?? { backward: [], steps: [] };
    (isBackward ? entry.backward : entry.steps).push(c);
    byLoop.set(loop, entry);
  }
  return [...byLoop.entries()].map(([loop, e]) => ({ loop, ...e }));
}
