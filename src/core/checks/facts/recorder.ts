// Records the interpreter's evaluation of a file for the checks: every call and tensor operation with its
// values, in execution order, with the dynamic context it ran in (the chain of function calls and the loop
// iterations around it, across functions and files), and which event produced each value.
import type { Expr, FunctionDef, Stmt } from '../../python/ast';
import type { Range } from '../../values';
import { tensor } from '../../values';
import type { CallEvent, InterpreterObserver, OperationEvent } from '../../interp/observer';
import { LOOP_CUT } from '../../interp/observer';
import type { FunctionV, Value } from '../../interp/values';

/** One loop iteration the event ran inside (outermost first): a for/while statement or a comprehension. */
export interface LoopFrame {
  readonly stmt: Stmt | Expr;
  /** How many function calls deep the loop runs (0: module level): the frame whose code holds it. */
  readonly depth: number;
  readonly file: string;
  readonly iteration: number;
  /** Which execution of the loop statement this is (a loop in a function called twice runs twice). */
  readonly run: number;
}

/** One function call the event ran inside (outermost first). */
export interface FunctionFrame {
  readonly fn: FunctionV;
  readonly def?: FunctionDef;
  readonly callRange: Range;
  readonly callFile: string;
  /** Sequence number of the call's entry: distinguishes two calls of one function. */
  readonly entry: number;
}

export interface EventContext {
  readonly functions: readonly FunctionFrame[];
  readonly loops: readonly LoopFrame[];
}

interface EventBase {
  /** Execution order, from 0. */
  readonly seq: number;
  readonly file: string;
  readonly context: EventContext;
  readonly result: Value;
  /** The value the call returned when the recorder gave the result a fresh identity (a module's forward output). */
  readonly original?: Value;
}

export interface RecordedCall extends EventBase, Omit<CallEvent, 'result'> {
  readonly kind: 'call';
}

export interface RecordedOperation extends EventBase, Omit<OperationEvent, 'result'> {
  readonly kind: 'op';
}

export type RecordedEvent = RecordedCall | RecordedOperation;

export interface AttributeWrite {
  readonly seq: number;
  readonly target: Expr;
  readonly obj: Value;
  readonly name: string;
  readonly value: Value;
  readonly file: string;
  readonly context: EventContext;
}

const MAX_EVENTS = 200_000;
/** Methods whose call marks a loop as training or evaluation code: two iterations of it show all there is. */
const LOOP_MARKERS = new Set(['backward', 'step', 'zero_grad', 'eval', 'train']);
const MAX_MARKED_ITERATIONS = 2;
/**
 * Iterations of a loop seen before the rest is explored as undecided (LOOP_CUT). An init loop over
 * `self.modules()` must be seen whole: 32 cut timm's VGG-19 (42 modules) before its last convs, and CC-16
 * then reported a false alarm; 512 costs 6-9% more of the checks corpus's time (issue 16).
 */
const MAX_ITERATIONS = 512;
/** The passes the interpreter explores a loop's undecided rest with (EXPLORED_ITERATIONS). */
const EXPLORED_PASSES = 2;
const MAX_RECURSION = 3;

function someValue(map: ReadonlyMap<string, Value>, value: Value): boolean {
  // Most calls pass no keyword: no iterator over an empty map.
  if (map.size === 0) return false;
  for (const v of map.values()) if (v === value) return true;
  return false;
}

export class FactsRecorder implements InterpreterObserver {
  readonly explore = true;
  readonly events: RecordedEvent[] = [];
  readonly writes: AttributeWrite[] = [];
  // Maps, not WeakMaps: the recorder lives as long as the events that hold these values, and a WeakMap's
  // lookups and its work for the garbage collector cost more per event.
  /** Which event produced a value (the value is the event's result). */
  readonly producer = new Map<object, RecordedEvent>();
  /** A value chosen by a conditional expression with an unknown test: the values it may be. */
  private readonly alternativeValues = new Map<object, readonly Value[]>();
  /** Every function definition that was entered at least once. */
  readonly entered = new Set<FunctionDef | FunctionV>();
  private readonly functionStack: FunctionFrame[] = [];
  /** How many calls of each function (by definition) the stack holds: its recursion depth. */
  private readonly callsRunning = new Map<FunctionDef | FunctionV, number>();
  private readonly loopStack: LoopFrame[] = [];
  private readonly loopRuns = new Map<Stmt | Expr, number>();
  /** The loop runs (statement → run number) in which a training or evaluation method was called. */
  private readonly markedRuns = new Map<Stmt | Expr, number>();
  /** The loop runs cut short after MAX_ITERATIONS (loop statement → run number). */
  private readonly cutRuns = new Map<Stmt | Expr, number>();
  private seq = 0;
  private context: EventContext = { functions: [], loops: [] };
  /**
   * Which stack changed since `context` was made: the next event makes it again (calls without events between
   * them make none), copying only the stack that changed; the other one's copy is shared, since every event
   * keeps its context for the whole file.
   */
  private functionsStale = false;
  private loopsStale = false;

  private snapshot(): EventContext {
    if (this.functionsStale || this.loopsStale) {
      this.context = { functions: this.functionsStale ? [...this.functionStack] : this.context.functions, loops: this.loopsStale ? [...this.loopStack] : this.context.loops };
      this.functionsStale = false;
      this.loopsStale = false;
    }
    return this.context;
  }

  call(event: CallEvent): Value | undefined {
    if (this.events.length >= MAX_EVENTS) return undefined;
    const given = event.result;
    const { callee, receiver, args } = event;
    const isInput = given === callee || given === receiver || args.positional.includes(given) || someValue(args.keywords, given);
    const result = this.distinct(given, isInput);
    if (event.expr.fn.k === 'attr' && LOOP_MARKERS.has(event.expr.fn.name)) for (const l of this.loopStack) this.markedRuns.set(l.stmt, l.run);
    // One object shape for every record (receiver and original undefined when absent).
    const recorded: RecordedCall = { kind: 'call', expr: event.expr, file: event.file, callee, receiver, args, seq: this.seq++, context: this.snapshot(), result, original: result === given ? undefined : given };
    this.events.push(recorded);
    this.claim(result, recorded);
    return result === given ? undefined : result;
  }

  operation(event: OperationEvent): Value | undefined {
    if (this.events.length >= MAX_EVENTS) return undefined;
    const given = event.result;
    const result = this.distinct(given, event.operands.includes(given));
    const recorded: RecordedOperation = { kind: 'op', expr: event.expr, file: event.file, op: event.op, operands: event.operands, seq: this.seq++, context: this.snapshot(), result, original: result === given ? undefined : given };
    this.events.push(recorded);
    this.claim(result, recorded);
    return result === given ? undefined : result;
  }

  attributeSet(target: Expr, obj: Value, name: string, value: Value, file: string): void {
    if (this.writes.length < MAX_EVENTS) this.writes.push({ seq: this.seq++, target, obj, name, value, file, context: this.snapshot() });
  }

  enterFunction(fn: FunctionV, callRange: Range, callFile: string): boolean {
    // Recursion (walking an unknown module tree) runs a few levels: each explored level doubles the work.
    const key = fn.def ?? fn;
    const depth = this.callsRunning.get(key) ?? 0;
    if (depth >= MAX_RECURSION) return false;
    this.callsRunning.set(key, depth + 1);
    this.entered.add(key);
    // Two literals rather than a spread of a conditional object: the same frames, without copying one per call.
    const entry = this.seq++;
    this.functionStack.push(fn.def ? { fn, def: fn.def, callRange, callFile, entry } : { fn, callRange, callFile, entry });
    this.functionsStale = true;
    return true;
  }

  exitFunction(): void {
    const frame = this.functionStack.pop();
    if (frame) {
      const key = frame.def ?? frame.fn;
      const depth = this.callsRunning.get(key)!;
      if (depth > 1) this.callsRunning.set(key, depth - 1);
      else this.callsRunning.delete(key);
    }
    this.functionsStale = true;
  }

  loopIteration(loop: Stmt | Expr, index: number, file: string): boolean | typeof LOOP_CUT {
    const top = this.loopStack[this.loopStack.length - 1];
    // A training loop over a long concrete range (epochs) repeats the same facts: two iterations suffice.
    if (top?.stmt === loop && index >= MAX_MARKED_ITERATIONS && this.markedRuns.get(loop) === top.run) return false;
    if (index >= MAX_ITERATIONS) {
      // Cut once per run of the loop; the explored passes that stand for the rest (from MAX_ITERATIONS) then run.
      if (this.cutRuns.get(loop) !== top?.run) {
        this.cutRuns.set(loop, top?.run ?? 0);
        return LOOP_CUT;
      }
      if (index >= MAX_ITERATIONS + EXPLORED_PASSES) return false;
    }
    if (index === 0 || top?.stmt !== loop) {
      const run = (this.loopRuns.get(loop) ?? 0) + 1;
      this.loopRuns.set(loop, run);
      if (top?.stmt === loop) this.loopStack.pop();
      this.loopStack.push({ stmt: loop, depth: this.functionStack.length, file, iteration: index, run });
    } else {
      this.loopStack[this.loopStack.length - 1] = { ...top, iteration: index };
    }
    this.loopsStale = true;
    return true;
  }

  loopExit(loop: Stmt | Expr): void {
    let at = this.loopStack.length - 1;
    while (at >= 0 && this.loopStack[at]!.stmt !== loop) at--;
    if (at >= 0) this.loopStack.length = at;
    this.loopsStale = true;
  }

  alternatives(result: Value, options: readonly Value[]): void {
    if (typeof result === 'object') this.alternativeValues.set(result, options);
  }

  alternativesOf(value: Value): readonly Value[] {
    return this.alternativeValues.get(value) ?? [value];
  }

  /**
   * Gives each call's result its own identity when it would share one with an input (a method on an unknown
   * returns the unknown itself; `x.detach()` returns `x`), so provenance can tell the two apart.
   */
  private distinct(result: Value, isInput: boolean): Value {
    if (!isInput && !this.producer.has(result)) return result;
    if (result.kind === 'unknown') return { ...result };
    if (result.kind === 'tensor') return tensor(result.shape, result.dtype);
    return result;
  }

  private claim(value: Value, event: RecordedEvent): void {
    if ((value.kind === 'unknown' || value.kind === 'tensor' || value.kind === 'tuple' || value.kind === 'list') && !this.producer.has(value)) this.producer.set(value, event);
  }
}
