// A small typed Python AST: the statements and expressions the abstract interpreter evaluates.
// Anything else becomes an `unsupported` node that keeps its range, so analysis degrades locally.
import type { Range } from '../values';

export type { Range };

/**
 * The one empty list of the syntax tree (arguments, parameters, bodies, items...). A literal `[]` has V8's
 * elements kind of small integers and a list of nodes that of objects: the interpreter's per-node methods,
 * optimised on lists of nodes, were deoptimised by the first empty one they met ("wrong map"). This list has the
 * objects' kind (an item put in and taken out); it is never written (the tree's lists are readonly), and not
 * frozen, since a frozen array has an elements kind of its own.
 */
export const EMPTY_LIST: readonly never[] = emptyObjectList();

function emptyObjectList(): never[] {
  const list: unknown[] = [{}];
  list.pop();
  return list as never[];
}

/** `list`, or the shared EMPTY_LIST when it is empty. */
export const listOf = <T>(list: T[]): readonly T[] => (list.length === 0 ? EMPTY_LIST : list);

export interface Arg {
  readonly kind: 'pos' | 'star' | 'kw' | 'dstar';
  readonly name?: string;
  readonly value: Expr;
}

export interface SliceExpr {
  readonly k: 'slice';
  readonly lower?: Expr;
  readonly upper?: Expr;
  readonly step?: Expr;
  readonly r: Range;
}

export type CompClause = { readonly k: 'for'; readonly target: Expr; readonly iter: Expr } | { readonly k: 'if'; readonly test: Expr };

export interface Param {
  readonly name: string;
  readonly kind: 'normal' | 'star' | 'dstar' | 'kwonly';
  readonly default?: Expr;
  /** The type annotation (`x: Float[Tensor, "b c h w"]`), never evaluated. */
  readonly annotation?: Expr;
  /** Before the list's `/`: passed by position only (inspect.signature's POSITIONAL_ONLY; calls bind it like a normal one). */
  readonly positionalOnly?: true;
}

export type FStringPart = string | { readonly expr: Expr };

export type Expr =
  | { readonly k: 'name'; readonly id: string; readonly r: Range }
  | { readonly k: 'num'; readonly value: number; readonly isInt: boolean; readonly r: Range }
  | { readonly k: 'str'; readonly value: string; readonly r: Range }
  | { readonly k: 'fstr'; readonly parts: readonly FStringPart[]; readonly r: Range }
  | { readonly k: 'const'; readonly value: 'None' | 'True' | 'False' | 'Ellipsis'; readonly r: Range }
  | { readonly k: 'attr'; readonly obj: Expr; readonly name: string; readonly r: Range }
  | { readonly k: 'sub'; readonly obj: Expr; readonly index: Expr; readonly r: Range }
  | SliceExpr
  | { readonly k: 'call'; readonly fn: Expr; readonly args: readonly Arg[]; readonly r: Range }
  | { readonly k: 'bin'; readonly op: string; readonly left: Expr; readonly right: Expr; readonly r: Range }
  | { readonly k: 'unary'; readonly op: '-' | '+' | '~' | 'not'; readonly operand: Expr; readonly r: Range }
  | { readonly k: 'bool'; readonly op: 'and' | 'or'; readonly left: Expr; readonly right: Expr; readonly r: Range }
  | { readonly k: 'cmp'; readonly op: string; readonly left: Expr; readonly right: Expr; readonly r: Range }
  | { readonly k: 'ifexp'; readonly test: Expr; readonly body: Expr; readonly orelse: Expr; readonly r: Range }
  | { readonly k: 'lambda'; readonly params: readonly Param[]; readonly body: Expr; readonly r: Range }
  | { readonly k: 'tuple' | 'list' | 'set'; readonly items: readonly Expr[]; readonly r: Range }
  | { readonly k: 'starred'; readonly value: Expr; readonly r: Range }
  | { readonly k: 'dict'; readonly items: readonly { readonly key?: Expr; readonly value: Expr }[]; readonly r: Range }
  | {
      readonly k: 'comp';
      readonly kind: 'list' | 'gen' | 'set' | 'dict';
      readonly elt: Expr;
      readonly key?: Expr;
      readonly clauses: readonly CompClause[];
      readonly r: Range;
    }
  | { readonly k: 'named'; readonly target: string; readonly value: Expr; readonly r: Range }
  | { readonly k: 'unsupported'; readonly what: string; readonly r: Range };

export interface ExceptHandler {
  readonly type?: Expr;
  readonly name?: string;
  readonly body: readonly Stmt[];
}

export interface FunctionDef {
  readonly k: 'def';
  readonly name: string;
  readonly params: readonly Param[];
  /** The return annotation (`-> Float[Tensor, "b n"]`), never evaluated. */
  readonly returns?: Expr;
  readonly body: readonly Stmt[];
  readonly decorators: readonly Expr[];
  /** True when the body contains `yield`: the interpreter cannot model generators and returns Unknown. */
  readonly isGenerator: boolean;
  readonly r: Range;
  readonly nameRange: Range;
}

export interface ClassDef {
  readonly k: 'class';
  readonly name: string;
  readonly bases: readonly Arg[];
  readonly body: readonly Stmt[];
  readonly decorators: readonly Expr[];
  readonly r: Range;
  readonly nameRange: Range;
}

export type Stmt =
  | { readonly k: 'expr'; readonly value: Expr; readonly r: Range }
  | { readonly k: 'assign'; readonly targets: readonly Expr[]; readonly value?: Expr; readonly annotated?: boolean; readonly r: Range }
  | { readonly k: 'aug'; readonly target: Expr; readonly op: string; readonly value: Expr; readonly r: Range }
  | { readonly k: 'if'; readonly branches: readonly { readonly test: Expr; readonly body: readonly Stmt[] }[]; readonly orelse: readonly Stmt[]; readonly r: Range }
  | { readonly k: 'for'; readonly target: Expr; readonly iter: Expr; readonly body: readonly Stmt[]; readonly orelse: readonly Stmt[]; readonly r: Range }
  | { readonly k: 'while'; readonly test: Expr; readonly body: readonly Stmt[]; readonly orelse: readonly Stmt[]; readonly r: Range }
  | FunctionDef
  | ClassDef
  | { readonly k: 'return'; readonly value?: Expr; readonly r: Range }
  | { readonly k: 'pass' | 'break' | 'continue'; readonly r: Range }
  | { readonly k: 'import'; readonly names: readonly { readonly module: string; readonly asName?: string }[]; readonly r: Range }
  | {
      readonly k: 'from';
      readonly level: number;
      readonly module: string;
      readonly names: readonly { readonly name: string; readonly asName?: string }[] | '*';
      readonly r: Range;
    }
  | {
      readonly k: 'try';
      readonly body: readonly Stmt[];
      readonly handlers: readonly ExceptHandler[];
      readonly orelse: readonly Stmt[];
      readonly finalbody: readonly Stmt[];
      readonly r: Range;
    }
  | { readonly k: 'with'; readonly items: readonly { readonly ctx: Expr; readonly asTarget?: string }[]; readonly body: readonly Stmt[]; readonly r: Range }
  | { readonly k: 'raise'; readonly exc?: Expr; readonly r: Range }
  | { readonly k: 'assert'; readonly test: Expr; readonly r: Range }
  | { readonly k: 'global' | 'nonlocal'; readonly names: readonly string[]; readonly r: Range }
  | { readonly k: 'del'; readonly targets: readonly Expr[]; readonly r: Range }
  | { readonly k: 'unsupported'; readonly what: string; readonly r: Range };

export interface Module {
  readonly body: readonly Stmt[];
}
