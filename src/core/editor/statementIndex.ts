// Indexes of the document's syntax kept per top-level statement. An incremental parse keeps the objects of
// the top-level statements an edit did not touch (src/core/python/parse.ts), so after an edit only the
// touched statements are walked again, not the whole module.
import type { Module, Stmt } from '../python/ast';
import { allStatements, statementCalls, type CallExpr } from '../python/syntax';
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

/**
 * The lists are made when the index is; the maps by range only when a lookup first asks: the first view of a
 * file indexes every top-level statement for its calls, and keying every statement and call by its range
 * cost as much again.
 */
class StatementIndexOf implements StatementIndex {
  readonly statementList: readonly Stmt[];
  readonly callList: readonly CallExpr[];
  readonly functions: readonly Range[];
  private statementMap: Map<string, Stmt> | undefined;
  private callMap: Map<string, CallExpr> | undefined;

  constructor(statement: Stmt) {
    this.statementList = [...allStatements([statement])];
    this.functions = this.statementList.flatMap((s) => (s.k === 'def' ? [s.r] : []));
    this.callList = statementCalls(statement);
  }

  get statements(): ReadonlyMap<string, Stmt> {
    if (!this.statementMap) {
      this.statementMap = new Map();
      // A nested statement with its parent's range (rare) is the one found, as in a map of the whole module.
      for (const s of this.statementList) this.statementMap.set(rangeKey(s.r), s);
    }
    return this.statementMap;
  }

  get calls(): ReadonlyMap<string, CallExpr> {
    if (!this.callMap) {
      this.callMap = new Map();
      for (const c of this.callList) if (!this.callMap.has(rangeKey(c.r))) this.callMap.set(rangeKey(c.r), c);
    }
    return this.callMap;
  }
}

export function statementIndex(statement: Stmt): StatementIndex {
  const known = INDEXES.get(statement);
  if (known) return known;
  const index = new StatementIndexOf(statement);
  INDEXES.set(statement, index);
  return index;
}

/** Each module's top-level statements as a set (built once per parse). */
const TOP_LEVEL = new WeakMap<Module, ReadonlySet<Stmt>>();

/**
 * Whether `statement` is one of the module's top-level statements. What was found inside a top-level statement of
 * an earlier version (by range) is found again in this one while that statement's object is still in it: an
 * incremental parse keeps an unchanged statement's object, and the syntax is never changed.
 */
export function isTopLevelOf(module: Module, statement: Stmt): boolean {
  let statements = TOP_LEVEL.get(module);
  if (!statements) TOP_LEVEL.set(module, (statements = new Set(module.body)));
  return statements.has(statement);
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

