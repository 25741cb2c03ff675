// What the interpreter tells an observer while it evaluates code: every call with its evaluated callee,
// receiver, arguments and result; tensor operations; attribute assignments; function entries and loop
// iterations. The checks' facts layer is such an observer: it reads the evaluation, it never re-derives it.
import type { Expr, Stmt } from '../python/ast';
import type { Range } from '../values';
import type { CallArgs, FunctionV, Value } from './values';

export type CallExpr = Extract<Expr, { k: 'call' }>;

export interface CallEvent {
  readonly expr: CallExpr;
  readonly file: string;
  readonly callee: Value;
  /** The object of `obj.method(...)`, evaluated once (the callee is its attribute). */
  readonly receiver?: Value;
  readonly args: CallArgs;
  readonly result: Value;
}

/** A binary or unary operator, or an index, applied to values (`a + b`, `-x`, `x[0]`). */
export interface OperationEvent {
  readonly expr: Expr;
  readonly file: string;
  readonly op: string;
  readonly operands: readonly Value[];
  readonly result: Value;
}

export interface InterpreterObserver {
  /**
   * Explore mode, for the checks: a loop over an unknown iterable (or with an unknown condition) runs its
   * body once with unknown values, and every branch of an unknown condition runs, so the facts of all
   * paths are seen. A statement that raises inside a function is skipped rather than aborting the call.
   */
  readonly explore: boolean;
  /** After a call; a returned value replaces the result (a fresh value, so each result has its own identity). */
  call?(event: CallEvent): Value | undefined;
  operation?(event: OperationEvent): Value | undefined;
  /** `obj.name = value` (for instance `p.grad = None`). */
  attributeSet?(target: Expr, obj: Value, name: string, value: Value, file: string): void;
  /** A function call starts; `false` declines it (the call gives unknown and exitFunction is not called). */
  enterFunction?(fn: FunctionV, callRange: Range, callFile: string): boolean | void;
  exitFunction?(fn: FunctionV): void;
  /**
   * The start of each iteration of a loop statement (0-based); `false` stops the loop there as if it had
   * ended; LOOP_CUT stops it with the iterations left undecided: the loop runs one more explored pass on an
   * unknown item, joined with stopping, so what the rest would change is unknown after it (the observer then
   * lets that pass's iterations run).
   */
  loopIteration?(loop: Stmt | Expr, index: number, file: string): boolean | typeof LOOP_CUT | void;
  loopExit?(loop: Stmt | Expr, file: string): void;
  /** A conditional expression with an unknown test evaluated both ways: `result` may be any of `options`. */
  alternatives?(result: Value, options: readonly Value[]): void;
  /** The alternatives a joined value stands for (itself when none were recorded). */
  alternativesOf?(value: Value): readonly Value[];
}

/** What `loopIteration` answers to cut a loop short without deciding what follows it from a partial run. */
export const LOOP_CUT = 'cut';
