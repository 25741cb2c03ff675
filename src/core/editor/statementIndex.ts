// Indexes of the document's syntax kept per top-level statement. An incremental parse keeps the objects of
// the top-level statements an edit did not touch (src/core/python/parse.ts), so after an edit only the
// touched statements are walked again, not the whole module.
import type { Module, Stmt } from '../python/ast';
import { allCalls, allStatements, type CallExpr } from '../python/syntax';
import type { Range } from '../values';
import { rangeKey, rangeWithin } from '../ranges';

interface StatementIndex {
  /** The statement and every statement nested in it, by range (the innermost of equal ranges). */
  readonly statements: ReadonlyMap<string, Stmt>;
  /** Every call in it, by range (the first of equal ranges). */
  readonly calls: ReadonlyMap<string, CallExpr>;
  /** Its calls in source order. */
  readonly callList: readonly CallExpr[];
  /** Ranges of the function definitions in it, outermost first. */
  readonly functions: readonly Range[];
  /** The statement and every statement nested in it, in source order. */
  readonly statementList: readonly Stmt[];
}

const INDEXES = new WeakMap<Stmt, StatementIndex>();

export function statementIndex(statement: Stmt): StatementIndex {
  const known = INDEXES.get(statement);
  if (known) return known;
  const statements = new Map<string, Stmt>();
  const functions: Range[] = [];
  const statementList = [...allStatements([statement])];
  for (const s of statementList) {
    // A nested statement with its parent's range (rare) is the one found, as in a map of the whole module.
    statements.set(rangeKey(s.r), s);
    if (s.k === 'def') functions.push(s.r);
  }
  const callList = allCalls([statement]);
  const calls = new Map<string, CallExpr>();
  for (const c of callList) if (!calls.has(rangeKey(c.r))) calls.set(rangeKey(c.r), c);
  const index = { statements, calls, callList, functions, statementList };
  INDEXES.set(statement, index);
  return index;
}

/** The top-level statement that contains `range` (top-level statements are in source order and do not overlap). */
export function topLevelStatementAt(module: Module, range: Range): Stmt | undefined {
  const body = module.body;
  let low = 0;
  let high = body.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const s = body[middle]!;
    if (rangeWithin(range, s.r)) return s;
    const before = s.r.start.line > range.start.line || (s.r.start.line === range.start.line && s.r.start.character > range.start.character);
    if (before) high = middle - 1;
    else low = middle + 1;
  }
  return undefined;
}

/** The statement (at any depth) whose range is exactly `range`. */
export function statementAt(module: Module, range: Range): Stmt | undefined {
  const top = topLevelStatementAt(module, range);
  return top && statementIndex(top).statements.get(rangeKey(range));
}

/** The call expression whose range is exactly `range`. */
export function callAt(module: Module, range: Range): CallExpr | undefined {
  const top = topLevelStatementAt(module, range);
  return top && statementIndex(top).calls.get(rangeKey(range));
}

