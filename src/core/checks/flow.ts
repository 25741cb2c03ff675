// Intra-procedural data flow for the rules: which expression a name was last assigned from before a
// given point of one function body (or of the module's top level). Straight-line approximation: the
// definition that ends last before the use wins; names bound by loops, `with ... as`, tuple unpacking or
// augmented assignment resolve to nothing, so rules stay silent rather than guess.
import type { Expr, FunctionDef, Param, Stmt } from '../python/ast';
import type { Position } from './source';
import { comparePositions } from './source';
import { walkExpr, walkStmts, ownExprs } from '../python/syntax';

interface Definition {
  readonly name: string;
  /** The assigned expression, or undefined when the binding's value is unknown. */
  readonly value: Expr | undefined;
  readonly stmt: Stmt;
  readonly end: Position;
}

const MAX_RESOLVE_STEPS = 12;

export class Flow {
  private readonly definitions = new Map<string, Definition[]>();
  readonly params: ReadonlySet<string>;

  constructor(
    readonly body: readonly Stmt[],
    params: readonly Param[] = [],
  ) {
    this.params = new Set(params.map((p) => p.name));
    walkStmts(body, (s) => this.collect(s));
    for (const defs of this.definitions.values()) defs.sort((a, b) => comparePositions(a.end, b.end));
  }

  private add(name: string, value: Expr | undefined, stmt: Stmt, end: Position = stmt.r.end): void {
    const list = this.definitions.get(name) ?? [];
    list.push({ name, value, stmt, end });
    this.definitions.set(name, list);
  }

  private collect(s: Stmt): void {
    if (s.k === 'assign' && s.value) {
      for (const t of s.targets) {
        if (t.k === 'name') this.add(t.id, s.value, s);
        else if (t.k === 'tuple' || t.k === 'list') for (const n of boundNames(t)) this.add(n, undefined, s);
      }
    } else if (s.k === 'aug' && s.target.k === 'name') {
      this.add(s.target.id, undefined, s);
    } else if (s.k === 'for') {
      for (const n of boundNames(s.target)) this.add(n, undefined, s, s.iter.r.end);
    } else if (s.k === 'with') {
      for (const i of s.items) if (i.asTarget) this.add(i.asTarget, undefined, s, i.ctx.r.end);
    } else if (s.k === 'def' || s.k === 'class') {
      this.add(s.name, undefined, s, s.nameRange.end);
    }
    for (const e of ownExprs(s))
      walkExpr(e, (n) => {
        if (n.k === 'named') this.add(n.target, n.value, s, n.r.end);
      });
  }

  /** The definition of `name` that reaches `at`: the last one ending before it. */
  definitionBefore(name: string, at: Position): Definition | undefined {
    const defs = this.definitions.get(name);
    if (!defs) return undefined;
    // Sorted by end: binary search, so a name assigned on each of 10,000 lines does not cost 10,000² steps.
    let lo = 0;
    let hi = defs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (comparePositions(defs[mid]!.end, at) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? defs[lo - 1] : undefined;
  }

  /** All definitions of a name in this scope. */
  definitionsOf(name: string): readonly Definition[] {
    return this.definitions.get(name) ?? [];
  }

  /** Follows a name through its reaching assignments to the expression that produced it. */
  resolve(e: Expr): Expr {
    let current = e;
    for (let step = 0; step < MAX_RESOLVE_STEPS && current.k === 'name'; step++) {
      const def = this.definitionBefore(current.id, current.r.start);
      if (!def?.value) return current;
      current = def.value;
    }
    return current;
  }

  /** True when `name` is assigned anywhere in this scope (a parameter counts). */
  binds(name: string): boolean {
    return this.params.has(name) || this.definitions.has(name);
  }
}

/** Each function's flow, kept with its definition: a flow never changes once built, and the syntax never does. */
const FUNCTION_FLOWS = new WeakMap<FunctionDef, Flow>();

/**
 * The flow of a function's body: built once per definition object, not once by the class index (a forward's
 * flow) and again by the rules' scopes, in every check unit whose module holds the definition, nor again after an
 * edit elsewhere (an incremental parse keeps the objects of the statements it did not touch).
 */
export function flowOf(def: FunctionDef): Flow {
  let flow = FUNCTION_FLOWS.get(def);
  if (!flow) FUNCTION_FLOWS.set(def, (flow = new Flow(def.body, def.params)));
  return flow;
}

/** The names a target binds: `a`, `a, b`, `(a, [b, *c])`. */
export function boundNames(target: Expr): string[] {
  if (target.k === 'name') return [target.id];
  if (target.k === 'tuple' || target.k === 'list') return target.items.flatMap(boundNames);
  if (target.k === 'starred') return boundNames(target.value);
  return [];
}
