// Small read-only helpers over the typed Python AST: dotted names, call arguments, and walks over
// statements and expressions that stay inside one function (nested defs and classes have their own scope).
import type { Arg, Expr, FunctionDef, ClassDef, Stmt } from './ast';

export type CallExpr = Extract<Expr, { k: 'call' }>;
export type NameExpr = Extract<Expr, { k: 'name' }>;
export type AttrExpr = Extract<Expr, { k: 'attr' }>;
export type BinExpr = Extract<Expr, { k: 'bin' }>;
export type ForStmt = Extract<Stmt, { k: 'for' }>;
export type WhileStmt = Extract<Stmt, { k: 'while' }>;
export type LoopStmt = ForStmt | WhileStmt;

/** `a.b.c` for a chain of names and attributes; undefined for anything else. */
export function dottedName(e: Expr | undefined): string | undefined {
  if (!e) return undefined;
  if (e.k === 'name') return e.id;
  if (e.k === 'attr') {
    const base = dottedName(e.obj);
    return base === undefined ? undefined : `${base}.${e.name}`;
  }
  return undefined;
}

export const lastPart = (dotted: string): string => dotted.slice(dotted.lastIndexOf('.') + 1);

export const isCall = (e: Expr | undefined): e is CallExpr => e?.k === 'call';

/** The called function's own name: `relu` for `F.relu(x)`, `x.relu()` and `relu(x)`. */
export function calledName(call: CallExpr): string | undefined {
  if (call.fn.k === 'name') return call.fn.id;
  if (call.fn.k === 'attr') return call.fn.name;
  return undefined;
}

/** For a method call `obj.m(...)`, the receiver `obj`. */
export const receiverOf = (call: CallExpr): Expr | undefined => (call.fn.k === 'attr' ? call.fn.obj : undefined);

export const positionalArgs = (call: CallExpr): Expr[] => call.args.filter((a) => a.kind === 'pos').map((a) => a.value);

export const keywordArg = (call: CallExpr, name: string): Expr | undefined => call.args.find((a) => a.kind === 'kw' && a.name === name)?.value;

/** The argument bound to parameter `name` at positional `index`, keyword first. */
export const argument = (call: CallExpr, index: number, name?: string): Expr | undefined =>
  (name === undefined ? undefined : keywordArg(call, name)) ?? positionalArgs(call)[index];

/** True when the call passes `*args` / `**kwargs`, so any parameter may be set invisibly. */
export const hasSplat = (call: CallExpr): boolean => call.args.some((a: Arg) => a.kind === 'star' || a.kind === 'dstar');

/**
 * Calls `visit(child, a, b)` for each direct sub-expression of `e` (lambda bodies included; an if-expression's
 * test before its body, the rest in source order), without an array of them: the walks of every expression of a
 * file (walkExpr, allCalls) ask this of each node. The two values are passed through, so a walk needs no closure
 * per node either.
 */
export function forEachChildExpr<A, B>(e: Expr, visit: (child: Expr, a: A, b: B) => void, a: A, b: B): void {
  switch (e.k) {
    case 'attr':
      visit(e.obj, a, b);
      return;
    case 'sub':
      visit(e.obj, a, b);
      visit(e.index, a, b);
      return;
    case 'slice':
      if (e.lower !== undefined) visit(e.lower, a, b);
      if (e.upper !== undefined) visit(e.upper, a, b);
      if (e.step !== undefined) visit(e.step, a, b);
      return;
    case 'call':
      visit(e.fn, a, b);
      for (const arg of e.args) visit(arg.value, a, b);
      return;
    case 'bin':
    case 'bool':
    case 'cmp':
      visit(e.left, a, b);
      visit(e.right, a, b);
      return;
    case 'unary':
      visit(e.operand, a, b);
      return;
    case 'ifexp':
      visit(e.test, a, b);
      visit(e.body, a, b);
      visit(e.orelse, a, b);
      return;
    case 'lambda':
      visit(e.body, a, b);
      return;
    case 'tuple':
    case 'list':
    case 'set':
      for (const item of e.items) visit(item, a, b);
      return;
    case 'starred':
      visit(e.value, a, b);
      return;
    case 'dict':
      for (const item of e.items) {
        if (item.key) visit(item.key, a, b);
        visit(item.value, a, b);
      }
      return;
    case 'comp':
      visit(e.elt, a, b);
      if (e.key) visit(e.key, a, b);
      for (const c of e.clauses) visit(c.k === 'for' ? c.iter : c.test, a, b);
      return;
    case 'named':
      visit(e.value, a, b);
      return;
    case 'fstr':
      for (const p of e.parts) if (typeof p !== 'string') visit(p.expr, a, b);
      return;
    default:
      return;
  }
}

/** Visits `e` and every sub-expression, pre-order, with the parent of each. */
export function walkExpr(e: Expr, visit: (node: Expr, parent: Expr | undefined) => void, parent?: Expr): void {
  visit(e, parent);
  forEachChildExpr(e, walkExpr, visit, e);
}

/** The expressions a statement evaluates itself (not those of the statements nested in its bodies). */
export function ownExprs(s: Stmt): Expr[] {
  switch (s.k) {
    case 'expr':
      return [s.value];
    case 'assign':
      return [...s.targets, ...(s.value ? [s.value] : [])];
    case 'aug':
      return [s.target, s.value];
    case 'if':
      return s.branches.map((b) => b.test);
    case 'for':
      return [s.target, s.iter];
    case 'while':
      return [s.test];
    case 'return':
      return s.value ? [s.value] : [];
    case 'with':
      return s.items.map((i) => i.ctx);
    case 'raise':
      return s.exc ? [s.exc] : [];
    case 'assert':
      return [s.test];
    case 'del':
      return [...s.targets];
    case 'def':
      return [...s.decorators, ...s.params.flatMap((p) => (p.default ? [p.default] : []))];
    case 'class':
      return s.bases.map((b) => b.value);
    default:
      return [];
  }
}

/** The statement lists nested directly in a statement (not into nested functions or classes). */
export function childBodies(s: Stmt): (readonly Stmt[])[] {
  switch (s.k) {
    case 'if':
      return [...s.branches.map((b) => b.body), s.orelse];
    case 'for':
    case 'while':
      return [s.body, s.orelse];
    case 'try':
      return [s.body, ...s.handlers.map((h) => h.body), s.orelse, s.finalbody];
    case 'with':
      return [s.body];
    default:
      return [];
  }
}

/** Visits every statement of a body in source order, with the chain of enclosing statements. Stays in scope. */
export function walkStmts(body: readonly Stmt[], visit: (s: Stmt, ancestors: readonly Stmt[]) => void, ancestors: readonly Stmt[] = []): void {
  for (const s of body) {
    visit(s, ancestors);
    const bodies = childBodies(s);
    // Most statements hold no body: their chain is made only for the statements nested in one.
    if (bodies.length === 0) continue;
    const inner = [...ancestors, s];
    for (const b of bodies) walkStmts(b, visit, inner);
  }
}

/** Every expression (recursively) evaluated in a body, in source order, with its parent expression. */
export function walkBodyExprs(body: readonly Stmt[], visit: (e: Expr, parent: Expr | undefined, stmt: Stmt) => void): void {
  walkStmts(body, (s) => {
    for (const e of ownExprs(s)) walkExpr(e, (node, parent) => visit(node, parent, s));
  });
}

/** Every call in a body (not in nested functions), in source order. */
export function callsIn(body: readonly Stmt[]): CallExpr[] {
  const out: CallExpr[] = [];
  walkBodyExprs(body, (e) => {
    if (e.k === 'call') out.push(e);
  });
  return out;
}

/** Every function of a module with its enclosing class, nested functions included. */
export function allFunctions(body: readonly Stmt[], cls?: ClassDef): { def: FunctionDef; cls?: ClassDef }[] {
  const out: { def: FunctionDef; cls?: ClassDef }[] = [];
  const visit = (stmts: readonly Stmt[], owner: ClassDef | undefined): void => {
    walkStmts(stmts, (s) => {
      if (s.k === 'def') {
        out.push(owner ? { def: s, cls: owner } : { def: s });
        visit(s.body, undefined);
      } else if (s.k === 'class') visit(s.body, s);
    });
  };
  visit(body, cls);
  return out;
}

/** Every class of a module, nested ones included. */
export function allClasses(body: readonly Stmt[]): ClassDef[] {
  const out: ClassDef[] = [];
  const visit = (stmts: readonly Stmt[]): void =>
    walkStmts(stmts, (s) => {
      if (s.k === 'class') {
        out.push(s);
        visit(s.body);
      } else if (s.k === 'def') visit(s.body);
    });
  visit(body);
  return out;
}

/** A number literal (with unary minus) as a number. */
export function numberValue(e: Expr | undefined): number | undefined {
  if (!e) return undefined;
  if (e.k === 'num') return e.value;
  if (e.k === 'unary' && e.op === '-') {
    const v = numberValue(e.operand);
    return v === undefined ? undefined : -v;
  }
  return undefined;
}

/** Names and attribute names mentioned anywhere in an expression. */
export function identifiersIn(e: Expr): string[] {
  const out: string[] = [];
  walkExpr(e, (n) => {
    if (n.k === 'name') out.push(n.id);
    else if (n.k === 'attr') out.push(n.name);
  });
  return out;
}

export const isSelfAttr = (e: Expr | undefined): e is AttrExpr => e?.k === 'attr' && e.obj.k === 'name' && e.obj.id === 'self';

/** Every statement at any depth, inside nested functions and classes too, in source order. */
export function* allStatements(body: readonly Stmt[]): Generator<Stmt> {
  for (const s of body) {
    yield s;
    for (const b of childBodies(s)) yield* allStatements(b);
    if (s.k === 'def' || s.k === 'class') yield* allStatements(s.body);
  }
}

/** Each top-level statement's calls (allCalls of it), kept with its object: the syntax never changes once parsed. */
const STATEMENT_CALLS = new WeakMap<Stmt, readonly CallExpr[]>();

/**
 * Every call at any depth of one statement, in source order, walked once per statement object: the editor's
 * statement index and the checks' evaluation of each unit (whose core every unit repeats) ask for the same
 * statements, and an incremental parse keeps the objects of the statements an edit did not touch.
 */
export function statementCalls(statement: Stmt): readonly CallExpr[] {
  let calls = STATEMENT_CALLS.get(statement);
  if (!calls) STATEMENT_CALLS.set(statement, (calls = allCalls([statement])));
  return calls;
}

/** Every call at any depth of a module, nested functions and classes included, in source order. */
export function allCalls(body: readonly Stmt[]): CallExpr[] {
  const out: CallExpr[] = [];
  addBodyCalls(body, out);
  return out;
}

/** The calls of a body's statements in allStatements' order (no generator), each statement's before its bodies'. */
function addBodyCalls(body: readonly Stmt[], out: CallExpr[]): void {
  for (const s of body) {
    for (const e of ownExprs(s)) addCalls(e, out);
    for (const b of childBodies(s)) addBodyCalls(b, out);
    if (s.k === 'def' || s.k === 'class') addBodyCalls(s.body, out);
  }
}

/** The calls in an expression, pre-order as walkExpr visits them. */
function addCalls(e: Expr, out: CallExpr[]): void {
  if (e.k === 'call') out.push(e);
  forEachChildExpr(e, addCalls, out, undefined);
}
