// The abstract interpreter: evaluates Python model code with shapes, symbolic ints and Unknowns as
// values. It never executes user code for real and never throws to its caller: budgets bound every
// loop and call, and every failure becomes an Unknown with a reason and a range.
import type { Arg, ClassDef, CompClause, ExceptHandler, Expr, FunctionDef, Module, Param, Stmt } from '../python/ast';
import type { Range, TensorValue } from '../values';
import { NONE, bool, float, int, str, unknown } from '../values';
import type {
  BuiltinV, CallArgs, ClassV, DictV, FunctionDefaults, FunctionV, ListV, NamespaceV, ObjectV, Scope, TupleV, Value,
} from './values';
import { DefinedFunction, NO_KEYWORDS, NO_POSITIONAL, appendAll, builtin, classV, keyOf, listV, namespaceV, objectV, scopeV, tupleV } from './values';
import { asDim, asNumber, compareOrder, pyStr, pythonSplit, pythonStrip, pythonTitle, rangeLength, scalarBinary, truthy, valuesEqual } from './scalars';
import { STR_ITEM_CELLS, resultCells } from './sizes';
import * as dims from '../dims/dims';
import type { ContainerKind, Contents } from './journal';
import type { BranchRun } from './journal';
import { Journal, TrackedMap, copyContents, restoreContents, sameContents } from './journal';
import type { LiveBranch, PendingReturn, Side } from './branches';
import { joinStates, joinValues, markOnlyIf } from './branches';
import { negateText, unparse } from '../python/unparse';
import { PYTHON_STDLIB } from './stdlib';
import type { InterpreterObserver } from './observer';
import { LOOP_CUT } from './observer';

/** A Python exception raised by the analysed code (or by a layer PyTorch would reject). */
export class PyRaise {
  /** The outermost nn.Module whose __init__ this exception left (what a summary can still show). */
  partialModule?: ObjectV;

  constructor(
    readonly value: Value,
    readonly message: string,
    readonly range: Range | undefined,
    readonly file: string,
  ) {}
}

/** The step or time budget ran out: unwinds to the analysis entry point. */
export class BudgetExceeded {
  constructor(readonly reason: string) {}
}

/** A sample call of a model was found while running the file's driver code: unwinds to the summary. */
export class SampleCallFound {
  constructor(readonly model: ObjectV, readonly args: CallArgs) {}
}

/** The defaults of a function that has none: it holds nothing, so every such function shares it. */
const NO_DEFAULTS: FunctionDefaults = Object.freeze({ has: () => false, get: () => undefined });

/** Errors that end the analysed code's run wherever they happen (no statement or decorator swallows them). */
/** Thrown while a default value is computed at definition time when it would load an imported file. */
class ImportLoadDeferred {}
const IMPORT_LOAD_DEFERRED = new ImportLoadDeferred();

const stopsTheRun = (e: unknown): boolean => e instanceof BudgetExceeded || e instanceof SampleCallFound || e instanceof ImportLoadDeferred;

type Completion = undefined | { readonly type: 'return'; readonly value: Value } | { readonly type: 'break' } | { readonly type: 'continue' };

export interface Diagnostic {
  readonly file: string;
  readonly range?: Range;
  readonly message: string;
}

export interface Budget {
  readonly steps?: number;
  readonly ms?: number;
  /**
   * The end of the whole analysis as a Date.now() time, shared by every pass of one request (parse, module
   * scope, each model, checks); when given it wins over `ms`.
   */
  readonly deadline?: number;
  /**
   * Items and characters the analysed code may create in total (list, tuple, dict and string building,
   * ranges and strings turned into lists); an allocation past it gives Unknown instead.
   */
  readonly cells?: number;
  /** Total characters of imported files the analysis may parse (imports beyond it give Unknown). */
  readonly importChars?: number;
  /**
   * Steps one run of a loop may take (its body's, calls included) before the rest is explored as a loop over
   * unknown items is: one pass joined with stopping there, so what the rest would change is unknown after the
   * loop. A loop of cheap iterations still runs whole; a script's 20,000-iteration training loop no longer
   * spends the whole step budget, leaving the code after it unseen. Without it a loop runs until it ends or
   * a budget does.
   */
  readonly loopSteps?: number;
  /**
   * The same bound for loops run in a module's own scope only (`for step in range(50000):` at a script's top
   * level, or in its `if __name__ == '__main__':` block), where `loopSteps` is not set: the editor's passes set it,
   * so a module-level training loop is cut while the loops of functions (a model's `__init__` building its layers,
   * which decide its parameter counts) run whole.
   */
  readonly moduleLoopSteps?: number;
}

/** The torch runtime hooks the core interpreter calls for tensors and nn.Module objects. */
export interface TorchHooks {
  getTensorAttr(t: TensorValue, name: string, range: Range): Value;
  binaryTensor(op: string, a: Value, b: Value, range: Range): Value;
  unaryTensor(op: string, a: TensorValue, range: Range): Value;
  indexTensor(t: TensorValue, index: Value, range: Range): Value;
  callModule(obj: ObjectV, args: CallArgs, range: Range): Value;
  construct(cls: ClassV, args: CallArgs, range: Range): Value | undefined;
  getModuleAttr(obj: ObjectV, name: string): Value | undefined;
  setModuleAttr(obj: ObjectV, name: string, value: Value): boolean;
  deleteModuleAttr(obj: ObjectV, name: string): void;
  importTorch(name: string): Value | undefined;
  isParameter(t: TensorValue): boolean;
  setTensorAttr(t: TensorValue, name: string, value: Value): void;
  setTensorItem(t: TensorValue, index: Value, value: Value): void;
  /** A catalogue name the user's torch release lacks: importing it raises ImportError. */
  absentFromRelease(module: string, name: string): boolean;
  /** A catalogue name that some PyTorch releases have and others lack (F.scaled_dot_product_attention, since 2.0). */
  releaseDependent(module: string, name: string): boolean;
  readonly tensorClass: ClassV;
  deepcopy(v: Value): Value;
  /** Module calls and ops are recorded for the summary (off while module-level code runs). */
  recording: boolean;
  /** The value of a one-element tensor whose contents are known (`int(lengths.max())`), else undefined. */
  knownScalar(t: TensorValue): number | undefined;
  /** A field of a torch namedtuple (`packed.data`), else undefined. */
  namedTupleField(t: TupleV, name: string): Value | undefined;
}

/** What one statement run by a model produced (the value of its right-hand side), for inlay hints. */
export interface StatementRecord {
  readonly file: string;
  readonly range: Range;
  readonly kind: 'assign' | 'aug' | 'return' | 'expr';
  readonly value: Value;
  /** Which run of its function it belongs to: statements of one call share it. */
  readonly frame: number;
}

/** The values a `for` loop's carried variables hold after one iteration (a loop over blocks in forward). */
export interface LoopIterationRecord {
  readonly file: string;
  /** The whole `for` statement. */
  readonly range: Range;
  readonly iteration: number;
  readonly values: readonly { readonly name: string; readonly value: Value }[];
}

const MAX_DEPTH = 120;
const MAX_RECORDS = 50_000;
const MAX_ITERATIONS = 100_000;
/** The default size budget: about 100 MB of values at worst, far above what model code builds. */
export const DEFAULT_CELLS = 8_000_000;
/** An allocation of this many items or more reads the clock (copying them costs far more than the read). */
const LARGE_ALLOCATION_CELLS = 1 << 16;
/** Passes a loop over unknown items runs for an observer in explore mode. */
const EXPLORED_ITERATIONS = 2;

/** The interpreter's counters and its logs' lengths, which a kept session's runs start from and a replayed load leaves. */
export interface InterpreterCounters {
  readonly nextId: number;
  readonly steps: number;
  readonly clockCalls: number;
  readonly cellsLeft: number;
  readonly importCharsLeft: number;
  readonly budgetSpent: boolean;
  readonly timeSpent: boolean;
  readonly isolatedFailures: number;
  readonly unknowns: number;
  readonly errors: number;
  readonly assignments: number;
  readonly statements: number;
  readonly loopIterations: number;
  readonly frames: number;
}

/** What a kept session saves of an interpreter after its module level (see Interpreter.runState). */
export interface InterpreterRunState extends InterpreterCounters {
  readonly moduleCache: ReadonlyMap<string, NamespaceV>;
  readonly moduleTexts: ReadonlyMap<string, string>;
  readonly recordAssignments: boolean;
  readonly currentFile: string;
}

/**
 * What a kept session (src/core/analysis/keptSession.ts) lets its runs replay: a module its model loads on first
 * use (torchvision's utils.py for `_log_api_usage_once`, in every ResNet.__init__) is run once, and a later run
 * that reaches the load in the same state takes what that load left instead of running the file again.
 */
export interface LoadReplays {
  /** Whether the values a load left may outlive its run: no tensor, nn.Module or library object among them. */
  readonly mayKeep: (values: readonly Value[]) => boolean;
  /** The torch runtime's counters and logs (a load is recorded only if it leaves them as they were). */
  readonly torchState: () => readonly unknown[];
  /** The loads recorded, by the record a pending import or lazy module keeps its result in. */
  readonly loads: WeakMap<object, RecordedLoad>;
}

/** The interpreter's counters and log lengths a module load may read or change, and the torch runtime's. */
export interface LoadPoint extends InterpreterCounters {
  readonly depth: number;
  readonly speculating: boolean;
  readonly moduleTexts: number;
  readonly torch: readonly unknown[];
}

/** A module load run in a kept session: the state it started from and what it left. */
export interface RecordedLoad {
  readonly before: LoadPoint;
  readonly after: LoadPoint;
  /** The containers the run had changed before the load, with their contents then. */
  readonly changed: readonly (readonly [object, Contents])[];
  /** The module cache before the load (every other container is as the kept session's module level left it). */
  readonly modules: Contents;
  /** Every file the load read (undefined: not found). */
  readonly reads: ReadonlyMap<string, string | undefined>;
  readonly modulesAfter: Contents;
  readonly textsAfter: Contents;
  /** What the load added to the logs. */
  readonly unknowns: readonly Diagnostic[];
  readonly errors: readonly Diagnostic[];
  readonly value: Value;
}

export class Interpreter {
  readonly diagnostics = { unknowns: [] as Diagnostic[], errors: [] as Diagnostic[] };
  /** Tensor values assigned while a model runs (for hovers and inlay hints), when enabled. */
  readonly assignments: { readonly file: string; readonly range: Range; readonly target: string; readonly value: Value }[] = [];
  /** Statements run while a model runs, with their values, when `recordAssignments` is on. */
  readonly statements: StatementRecord[] = [];
  /** Iterations of loops run while a model runs, when `recordAssignments` is on. */
  readonly loopIterations: LoopIterationRecord[] = [];
  recordAssignments = false;
  /** A budget ran out somewhere in this analysis (the result may differ from one with more time or room). */
  budgetSpent = false;
  /**
   * The budget that ran out was the time (the deadline): the result may differ on another run of the same code. The
   * others (steps, sizes, imported characters) are spent by the code and the files it reads alone, at the same point
   * on every run, so a result they cut short is the one the same statements and files give again.
   */
  timeSpent = false;
  /**
   * When set, every `def` whose body a call ran: a result whose run skipped a body cannot change when only that body
   * changes (the analyzer's reuse reads it, see dependencies.ts sameRunStatements).
   */
  ranDefinitions: Set<FunctionDef> | undefined;
  /** The frame number of each function scope whose statements were recorded (a kept session's runs put it back). */
  private frames = new Map<Scope, number>();
  private steps = 0;
  private clockCalls = 0;
  private readonly maxSteps: number;
  private readonly maxLoopSteps: number;
  /** maxLoopSteps for a loop run in a module's own scope (Budget.moduleLoopSteps). */
  private readonly maxModuleLoopSteps: number;
  private deadline: number;
  private depth = 0;
  private cellsLeft: number;
  private readonly cellBudget: number;
  private importCharsLeft: number;
  private nextId = 1;
  readonly moduleCache = new Map<string, NamespaceV>();
  /**
   * Names a module-level `from m import n` bound without loading `m` yet, per module scope: `m` is parsed and
   * run when code first uses one of them (a name the scope assigns later shadows it, as the import would be).
   */
  private readonly pendingImports = new WeakMap<Scope, Map<string, () => Value | undefined>>();
  /** Texts of the modules run, by file (for `mayDeferImport`). */
  private readonly moduleTexts = new Map<string, string>();
  /** Set while a default value is computed at definition time: loading an imported file then defers it. */
  private importLoadsDeferred = false;
  /** Undoes and records what the branches of an undecidable condition change. */
  readonly journal = new Journal();
  /**
   * The callable each `functools.wraps(wrapped)(wrapper)` made a function the wrapper of, by wrapper: its
   * `__wrapped__`, which its `__name__`, `__doc__` and `inspect.signature` follow as Python's update_wrapper and
   * unwrap do. A side table in a map the journal records (born before every branch and kept run), not a field of
   * the function: a branch or a kept run that wraps a function leaves nothing behind when it is undone.
   */
  readonly wrappedFunctions: TrackedMap<FunctionV, Value> = TrackedMap.of(this.journal, 'values', 0);
  /**
   * How many items `next()` took from each generator expression it was given (a tuple of its items here, so
   * `next(i for i, p in enumerate(ps) if ...)` finds the first): journaled like wrappedFunctions.
   */
  readonly generatorPositions: TrackedMap<TupleV, Value> = TrackedMap.of(this.journal, 'values', 0);
  /**
   * The tuples that stand for generator expressions: only these are iterators to next(). A tuple written as one is
   * not (Python raises TypeError), so next() of it stays unknown rather than stepping through its items.
   */
  readonly generatorExpressions = new WeakSet<TupleV>();
  /** The conditions assumed by the sides of undecided conditions running now, outermost first. */
  private readonly assumptions: string[] = [];
  /**
   * Conditions' text by expression, and negations by text: the text is a function of the syntax alone, and a
   * loop or a function explored again asks for the same condition's each time it runs.
   */
  private readonly conditionTexts = new WeakMap<Expr, string>();
  private readonly negations = new Map<string, string>();
  /** How many `try` bodies around the running code catch ImportError (so a missing package raises it). */
  private importFallbacks = 0;
  /** Returns the running function took under an undecided condition; its result joins them. */
  private pendingReturns: PendingReturn[] = [];
  builtins!: NamespaceV;
  torch!: TorchHooks;
  /** The file being evaluated (for diagnostics). */
  currentFile = '';
  objectClass!: ClassV;
  /** Sees every call and operation (the checks' facts recorder); in explore mode it also changes control flow. */
  observer: InterpreterObserver | undefined;
  /** Statements that raised and were skipped (explore mode): a function that had one returns unknown, not None. */
  private isolatedFailures = 0;
  /** Set by a kept session: module loads its runs may replay (replayingLoad). */
  loadReplays: LoadReplays | undefined;

  constructor(
    public readFile: (path: string) => string | undefined,
    readonly parse: (text: string) => Module,
    budget: Budget = {},
    /** The environment's site-packages folders: ENVIRONMENT_PACKAGES are read from them. */
    private readonly sitePackages: readonly string[] = [],
  ) {
    this.maxSteps = budget.steps ?? 2_000_000;
    this.maxLoopSteps = budget.loopSteps ?? Number.POSITIVE_INFINITY;
    this.maxModuleLoopSteps = Math.min(this.maxLoopSteps, budget.moduleLoopSteps ?? Number.POSITIVE_INFINITY);
    this.deadline = budget.deadline ?? Date.now() + (budget.ms ?? 2_000);
    this.cellBudget = budget.cells ?? DEFAULT_CELLS;
    this.cellsLeft = this.cellBudget;
    this.importCharsLeft = budget.importChars ?? 5_000_000;
    // Fields a kept session writes (restoreRunState, keptSession.ts) are written a second time here: V8 compiles
    // code against a field that has held one value since its object was made, and the first kept run of a process
    // deoptimised the methods that read them (recordStatement, through it execStmt, and callFunction; see Journal's
    // constructor).
    this.setCounters(this.counters());
    this.frames = new Map();
    this.readFile = readFile;
    this.recordAssignments = false;
    this.depth = 0;
    this.importFallbacks = 0;
    this.importLoadsDeferred = false;
    // A record and then nothing: any value, as Journal's `kept`.
    this.loadReplays = { mayKeep: () => false, torchState: () => [], loads: new WeakMap() };
    this.loadReplays = undefined;
  }

  newId(): number {
    return this.nextId++;
  }

  /** A map whose in-place changes branches the analysis cannot decide can undo and join. */
  map<K, V>(kind: ContainerKind, entries?: Iterable<readonly [K, V]>): Map<K, V> {
    // The map takes an id of its own, so "created after a branch began" compares like objects' ids.
    return TrackedMap.of<K, V>(this.journal, kind, this.newId(), entries);
  }

  newDict(entries?: Iterable<readonly [string, { key: Value; value: Value }]>): DictV {
    return { kind: 'dict', entries: this.map('entries', entries) };
  }

  newObject(cls: ClassV, attrs?: Iterable<readonly [string, Value]>): ObjectV {
    return objectV(cls, this.map('values', attrs), this.newId());
  }

  /** Call before changing a list's items in place (the journal keeps what undecided branches changed). */
  touchList(items: Value[]): void {
    this.journal.touch('items', items);
  }

  // ---------------------------------------------------------------------------------------------
  // Budget and diagnostics.

  /** The steps this interpreter has taken (the model search bounds its drivers by them: the same on any machine). */
  get stepsTaken(): number {
    return this.steps;
  }

  tick(): void {
    this.steps++;
    if (this.steps > this.maxSteps) this.stop(`step budget of ${this.maxSteps} exceeded`);
    if ((this.steps & 1023) === 0 && Date.now() > this.deadline) this.stopInTime();
  }

  /** Every loop iteration and every call asks for the clock, so no loop or recursion outlives the deadline. */
  checkClock(): void {
    // The first call reads it, then every 32nd: Date.now() was ~1% of an explored file's time, and the
    // statements between two reads tick (and read it every 1,024 steps) anyway.
    if ((this.clockCalls++ & 31) === 0 && Date.now() > this.deadline) this.stopInTime();
  }

  private stop(reason: string): never {
    this.budgetSpent = true;
    throw new BudgetExceeded(reason);
  }

  private stopInTime(): never {
    this.timeSpent = true;
    this.stop('time budget exceeded');
  }

  /**
   * Charges an allocation of `cells` items or characters to the size budget. The one place the budget is
   * spent: false past it (the caller then returns `tooLarge`), so doubling a list in a loop ends as Unknown.
   */
  allocate(cells: number): boolean {
    // A large allocation reads the clock: a loop whose every pass doubles a list does ever more work per pass,
    // so the loop's clock read every 32nd pass (checkClock) would let it run to the size budget.
    if (cells >= LARGE_ALLOCATION_CELLS && Date.now() > this.deadline) this.stopInTime();
    if (!(cells <= this.cellsLeft)) {
      this.cellsLeft = 0;
      this.budgetSpent = true;
      return false;
    }
    this.cellsLeft -= cells;
    return true;
  }

  /** The Unknown an allocation past the size budget gives. */
  tooLarge(range?: Range): Value {
    return this.noteUnknown(`value too large: the analysis's size budget of ${this.cellBudget.toLocaleString('en-US')} items is spent`, range);
  }

  /** `build()` when `cells` fit in the size budget, else Unknown. */
  sized(cells: number, range: Range | undefined, build: () => Value): Value {
    return this.allocate(cells) ? build() : this.tooLarge(range);
  }

  noteUnknown(reason: string, range?: Range): Value {
    const u = unknown(reason, range);
    if (this.diagnostics.unknowns.length < 500) this.diagnostics.unknowns.push(range ? { file: this.currentFile, range, message: reason } : { file: this.currentFile, message: reason });
    return u;
  }

  noteError(message: string, range?: Range): void {
    // On one side of an undecided condition an error PyTorch would raise ends that side, as a raise
    // does; the other side is what runs, and no diagnostic is given.
    if (this.speculating) throw new PyRaise(str(message), message, range, this.currentFile);
    if (this.diagnostics.errors.length < 500) this.diagnostics.errors.push(range ? { file: this.currentFile, range, message } : { file: this.currentFile, message });
  }

  /** Raises the Python exception `type` (an instance of the builtin class, so `except` clauses can match it). */
  raise(message: string, range?: Range, type = 'RuntimeError'): never {
    const cls = this.builtins.get(type);
    const value = cls?.kind === 'class' ? this.newObject(cls, [['args', tupleV([str(message)])]]) : str(`${type}: ${message}`);
    throw new PyRaise(value, `${type}: ${message}`, range, this.currentFile);
  }

  /** Whether an `except` clause catches the raised exception; a clause naming an unknown type does. */
  private handles(handler: ExceptHandler, raised: PyRaise, scope: Scope): boolean {
    if (!handler.type) return true;
    const raisedClass = raised.value.kind === 'object' ? raised.value.cls : raised.value.kind === 'class' ? raised.value : undefined;
    const matches = (wanted: Value): boolean => {
      if (wanted.kind === 'tuple') return wanted.items.some(matches);
      if (wanted.kind === 'class') return raisedClass === undefined || raisedClass.mro.includes(wanted);
      return true;
    };
    return matches(this.evalExpr(handler.type, scope));
  }

  // ---------------------------------------------------------------------------------------------
  // Modules and scopes.

  newModuleScope(file: string): Scope {
    const vars = this.map<string, Value>('values');
    // A module scope is its own globals.
    const scope = scopeV('module', vars, undefined, undefined, file);
    (scope as { globals: Scope }).globals = scope;
    // Imported, not run as a script (as the oracle loads it): `if __name__ == "__main__":` blocks stay off.
    vars.set('__name__', str(file.replace(/^.*\//, '').replace(/\.py$/, '')));
    vars.set('__file__', str(file));
    return scope;
  }

  /**
   * Evaluates a module body in a fresh scope; statements that fail leave Unknowns, the rest proceed. With the
   * module's text, imports its names are never used again in are run at once (see `mayDeferImport`).
   */
  execModule(module: Module, scope: Scope, text?: string): void {
    if (text !== undefined) this.moduleTexts.set(scope.file, text);
    const previous = this.currentFile;
    this.currentFile = scope.file;
    try {
      this.execBlock(module.body, scope, true);
    } finally {
      this.currentFile = previous;
    }
  }

  namespaceOf(name: string, scope: Scope): NamespaceV {
    return namespaceV({
      name,
      get: (n) => scope.vars.get(n) ?? this.pendingImports.get(scope)?.get(n)?.(),
      set: (n, v) => scope.vars.set(n, v),
      names: () => [...new Set([...scope.vars.keys(), ...(this.pendingImports.get(scope)?.keys() ?? [])])],
      complete: true,
      pending: (n) => (scope.vars.has(n) ? undefined : this.pendingImports.get(scope)?.get(n)),
      scope,
    });
  }

  lookup(name: string, scope: Scope, range: Range): Value {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      if (s.kind === 'class' && s !== scope) continue;
      const v = s.vars.get(name);
      if (v !== undefined) return v;
      const pending = s.kind === 'module' ? this.pendingImports.get(s)?.get(name)?.() : undefined;
      if (pending) return pending;
    }
    const b = this.builtins.get(name);
    if (b !== undefined) return b;
    return this.noteUnknown(`name '${name}' is not defined`, range);
  }

  private assignName(name: string, value: Value, scope: Scope): void {
    if (scope.globalNames?.has(name)) scope.globals.vars.set(name, value);
    else scope.vars.set(name, value);
  }

  // ---------------------------------------------------------------------------------------------
  // Statements.

  /** Runs statements; at top level (`isolate`), a failing statement does not stop the next ones. */
  execBlock(stmts: readonly Stmt[], scope: Scope, isolate = false): Completion {
    // Explore mode: a statement that raises (on unknown data) does not hide the statements after it.
    const isolated = isolate || this.observer?.explore === true;
    // Indexed loops here and in the other per-node paths: code V8 has not optimised (most of `check`, a first view's
    // early part) makes an iterator and a result object per item of a for-of loop.
    for (let i = 0; i < stmts.length; i++) {
      const stmt = stmts[i]!;
      let completion: Completion;
      if (isolated) {
        try {
          completion = this.execStmt(stmt, scope);
        } catch (e) {
          if (stopsTheRun(e)) throw e;
          if (this.observer?.explore) this.isolatedFailures++;
          if (e instanceof PyRaise) this.noteUnknown(`raised at module level: ${e.message}`, e.range ?? stmt.r);
          else this.noteUnknown(`internal error: ${e instanceof Error ? e.message : String(e)}`, stmt.r);
          continue;
        }
      } else completion = this.execStmt(stmt, scope);
      if (completion) return completion;
    }
    return undefined;
  }

  /**
   * One statement. As in evalExpr, the longer and rarer cases are methods of their own (6,776 -> 1,328 bytes), and
   * the rarer kinds are one call (execOtherStatement): V8 deoptimises an optimised method that reaches code it never
   * ran (a call of `execTry`, first met in a torchvision file after the editor's files), and optimises it again only
   * after it has run long enough (a dozen warm ResNet-50 summaries). A kind first met behind the one call runs where
   * the others of its group already ran.
   */
  execStmt(stmt: Stmt, scope: Scope): Completion {
    this.tick();
    switch (stmt.k) {
      case 'expr':
        this.recordStatement(stmt, 'expr', this.evalExpr(stmt.value, scope), scope);
        return undefined;
      case 'assign': {
        if (!stmt.value) {
          return undefined;
        }
        const value = this.evalExpr(stmt.value, scope);
        const targets = stmt.targets;
        for (let i = 0; i < targets.length; i++) this.assign(targets[i]!, value, scope);
        if (this.recordAssignments && scope.kind === 'function' && (value.kind === 'tensor' || value.kind === 'tuple') && this.assignments.length < 20_000) {
          for (const target of stmt.targets) if (target.k === 'name') this.assignments.push({ file: this.currentFile, range: stmt.r, target: target.id, value });
        }
        this.recordStatement(stmt, 'assign', value, scope);
        return undefined;
      }
      case 'if':
        return this.execIf(stmt.branches, 0, stmt.orelse, scope);
      case 'for':
        return this.execFor(stmt, scope);
      case 'def':
        this.assignName(stmt.name, this.defineFunction(stmt, scope), scope);
        return undefined;
      case 'class':
        this.assignName(stmt.name, this.defineClass(stmt, scope), scope);
        return undefined;
      case 'return': {
        const value = stmt.value ? this.evalExpr(stmt.value, scope) : NONE;
        if (stmt.value) this.recordStatement(stmt, 'return', value, scope);
        return { type: 'return', value };
      }
      case 'pass':
        return undefined;
      default:
        return this.execOtherStatement(stmt, scope);
    }
  }

  /** The statements execStmt leaves to one call (see there). */
  private execOtherStatement(stmt: Exclude<Stmt, { k: 'expr' | 'assign' | 'if' | 'for' | 'def' | 'class' | 'return' | 'pass' }>, scope: Scope): Completion {
    switch (stmt.k) {
      case 'aug':
        return this.execAugmented(stmt, scope);
      case 'while':
        return this.execWhile(stmt, scope);
      case 'break':
        return { type: 'break' };
      case 'continue':
        return { type: 'continue' };
      case 'import':
        return this.execImport(stmt, scope);
      case 'from':
        return this.execFrom(stmt, scope);
      case 'try':
        return this.execTry(stmt, scope);
      case 'with':
        return this.execWith(stmt, scope);
      case 'raise': {
        const v = stmt.exc ? this.evalExpr(stmt.exc, scope) : NONE;
        throw new PyRaise(v, describeException(v), stmt.r, this.currentFile);
      }
      case 'assert': {
        // A failing assert raises; one that depends on unknown values lets the analysis go on.
        if (truthy(this.evalExpr(stmt.test, scope)) === false) this.raise(unparse(stmt.test), stmt.r, 'AssertionError');
        return undefined;
      }
      case 'global':
        if (scope.kind !== 'module') {
          const names = scope.globalNames ?? new Set<string>();
          for (const n of stmt.names) names.add(n);
          (scope as { globalNames?: Set<string> }).globalNames = names;
        }
        return undefined;
      case 'nonlocal':
        return undefined;
      case 'del':
        return this.execDel(stmt, scope);
      case 'unsupported':
        this.noteUnknown(`unsupported statement: ${stmt.what}`, stmt.r);
        return undefined;
    }
  }

  private execAugmented(stmt: Extract<Stmt, { k: 'aug' }>, scope: Scope): Completion {
    const current = this.evalExpr(stmt.target, scope);
    const rhs = this.evalExpr(stmt.value, scope);
    if (current.kind === 'object' && stmt.op === '+') {
      const iadd = this.getAttr(current, '__iadd__', stmt.r, true);
      if (iadd.kind !== 'unknown') {
        this.assign(stmt.target, this.call(iadd, { positional: [rhs], keywords: new Map() }, stmt.r), scope);
        return undefined;
      }
    }
    if (current.kind === 'list' && stmt.op === '+') {
      const items = this.iterate(rhs, stmt.r);
      this.touchList(current.items);
      if (items) appendAll(current.items, items);
      // The observer sees the extension in place (`layers += [conv, bn, relu]`: the layers a container gets).
      this.observer?.operation?.({ expr: stmt.value, file: this.currentFile, op: '+=', operands: [current, rhs], result: current });
      return undefined;
    }
    let updated = this.binary(stmt.op, current, rhs, stmt.r);
    if (this.observer?.operation) updated = this.observer.operation({ expr: stmt.value, file: this.currentFile, op: `${stmt.op}=`, operands: [current, rhs], result: updated }) ?? updated;
    this.assign(stmt.target, updated, scope);
    this.recordStatement(stmt, 'aug', updated, scope);
    return undefined;
  }

  private execWhile(stmt: Extract<Stmt, { k: 'while' }>, scope: Scope): Completion {
    const started = this.steps;
    const maxSteps = scope.kind === 'module' ? this.maxModuleLoopSteps : this.maxLoopSteps;
    try {
      for (let i = 0; i < MAX_ITERATIONS; i++) {
        this.checkClock();
        const test = truthy(this.evalExpr(stmt.test, scope));
        if (test === undefined) {
          // One more pass joined with stopping here: whatever the body changes becomes unknown unless
          // it is the same either way, and what it creates is kept "only if" the condition holds.
          return this.undecidedStatements(this.conditionText(stmt.test), stmt.test.r, () => this.unknownPasses(stmt, scope, i), () => this.execBlock(stmt.orelse, scope), scope);
        }
        if (!test) return this.execBlock(stmt.orelse, scope);
        const go = this.observer?.loopIteration?.(stmt, i, this.currentFile);
        if (go === false) return undefined;
        if (go === LOOP_CUT || this.steps - started > maxSteps) return this.cutLoop(stmt, scope, i);
        const c = this.execBlock(stmt.body, scope);
        if (c?.type === 'break') return undefined;
        if (c?.type === 'return') return c;
      }
    } finally {
      this.observer?.loopExit?.(stmt, this.currentFile);
    }
    return undefined;
  }

  private execImport(stmt: Extract<Stmt, { k: 'import' }>, scope: Scope): Completion {
    for (const n of stmt.names) {
      const lazy = this.mayDeferImport(n.module, 0, scope, n.asName ?? n.module.split('.')[0]!);
      if (n.asName) this.assignName(n.asName, this.importModule(n.module, 0, scope, stmt.r, false, lazy), scope);
      else {
        const top = n.module.split('.')[0]!;
        const mod = this.importModule(top, 0, scope, stmt.r, false, lazy);
        // `import a.b` binds `a`; importing the full path makes `a.b` resolvable for workspace packages.
        if (n.module !== top) this.importModule(n.module, 0, scope, stmt.r, false, lazy);
        this.assignName(top, mod, scope);
      }
    }
    return undefined;
  }

  private execFrom(stmt: Extract<Stmt, { k: 'from' }>, scope: Scope): Completion {
    if (stmt.names !== '*' && this.mayDeferImport(stmt.module, stmt.level, scope)) {
      this.deferFromImport(stmt, stmt.names, scope);
      return undefined;
    }
    const mod = this.importModule(stmt.module, stmt.level, scope, stmt.r);
    if (stmt.names === '*') {
      if (mod.kind === 'namespace' && mod.names) {
        for (const n of mod.names()) {
          if (n.startsWith('_')) continue;
          // A name the star-imported module has not loaded yet stays unloaded here too.
          const pending = scope.kind === 'module' && !scope.globalNames ? mod.pending?.(n) : undefined;
          if (pending && !this.journal.active) this.pendingBindings(scope).set(n, pending);
          else this.assignName(n, mod.get(n)!, scope);
        }
      }
      return undefined;
    }
    for (const n of stmt.names) this.assignName(n.asName ?? n.name, this.importedName(stmt, n.name, mod, scope), scope);
    return undefined;
  }

  private execTry(stmt: Extract<Stmt, { k: 'try' }>, scope: Scope): Completion {
    let completion: Completion;
    const missingModule = new PyRaise(this.newObject(this.builtins.get('ModuleNotFoundError') as ClassV), 'ModuleNotFoundError', stmt.r, this.currentFile);
    const fallback = stmt.handlers.some((h) => this.handles(h, missingModule, scope)) ? 1 : 0;
    try {
      this.importFallbacks += fallback;
      try {
        completion = this.execBlock(stmt.body, scope);
      } finally {
        this.importFallbacks -= fallback;
      }
      if (!completion) completion = this.execBlock(stmt.orelse, scope);
    } catch (e) {
      const handler = e instanceof PyRaise ? stmt.handlers.find((h) => this.handles(h, e, scope)) : undefined;
      if (!handler) {
        this.execBlock(stmt.finalbody, scope);
        throw e;
      }
      if (handler.name) this.assignName(handler.name, (e as PyRaise).value, scope);
      completion = this.execBlock(handler.body, scope);
    }
    const fin = this.execBlock(stmt.finalbody, scope);
    return fin ?? completion;
  }

  private execWith(stmt: Extract<Stmt, { k: 'with' }>, scope: Scope): Completion {
    for (const item of stmt.items) {
      const ctx = this.evalExpr(item.ctx, scope);
      if (item.asTarget) {
        const enter = ctx.kind === 'object' ? this.getAttr(ctx, '__enter__', item.ctx.r, true) : undefined;
        this.assignName(item.asTarget, enter && enter.kind !== 'unknown' ? this.call(enter, { positional: NO_POSITIONAL, keywords: NO_KEYWORDS }, item.ctx.r) : ctx, scope);
      }
    }
    return this.execBlock(stmt.body, scope);
  }

  private execDel(stmt: Extract<Stmt, { k: 'del' }>, scope: Scope): Completion {
    for (const t of stmt.targets) {
      if (t.k === 'name') {
        scope.vars.delete(t.id);
        const pending = this.journal.active ? undefined : this.pendingImports.get(scope);
        if (pending?.has(t.id)) {
          this.keepingAside(pending);
          pending.delete(t.id);
        }
      }
      else if (t.k === 'attr') this.deleteAttr(this.evalExpr(t.obj, scope), t.name);
      else if (t.k === 'sub') {
        const obj = this.evalExpr(t.obj, scope);
        const idx = this.evalExpr(t.index, scope);
        if (obj.kind === 'dict') obj.entries.delete(keyOf(idx));
        else if (obj.kind === 'list') {
          const i = asDim(idx);
          if (typeof i === 'number') {
            this.touchList(obj.items);
            obj.items.splice(i < 0 ? obj.items.length + i : i, 1);
          }
        }
      }
    }
    return undefined;
  }

  private execIf(branches: Extract<Stmt, { k: 'if' }>['branches'], at: number, orelse: readonly Stmt[], scope: Scope): Completion {
    const branch = branches[at];
    if (!branch) return this.execBlock(orelse, scope);
    const test = truthy(this.evalExpr(branch.test, scope));
    if (test === true) return this.execBlock(branch.body, scope);
    if (test === false) return this.execIf(branches, at + 1, orelse, scope);
    return this.undecidedStatements(this.conditionText(branch.test), branch.test.r, () => this.execBlock(branch.body, scope), () => this.execIf(branches, at + 1, orelse, scope), scope);
  }

  // ---------------------------------------------------------------------------------------------
  // Conditions the analysis cannot decide: both sides run from the same state and their results join.

  /** True while a side of an undecided condition runs: what happens there may not happen for real. */
  get speculating(): boolean {
    return this.assumptions.length > 0;
  }

  /** An expression's short text (`unparse`), for conditions the analysis names. */
  private conditionText(e: Expr): string {
    let text = this.conditionTexts.get(e);
    if (text === undefined) this.conditionTexts.set(e, (text = unparse(e)));
    return text;
  }

  private negation(condition: string): string {
    let text = this.negations.get(condition);
    if (text === undefined) this.negations.set(condition, (text = negateText(condition)));
    return text;
  }

  /** The conditions the running code assumes, as text ('' when it assumes none). */
  get assumption(): string {
    return this.assumptions.join(' and ');
  }

  /**
   * Runs `whenTrue` assuming `condition` and `whenFalse` assuming its negation, each from the same state.
   * A side that raises is dead: the other one is what runs. When both raise, so does the code.
   */
  private runSides<T>(condition: string, range: Range, whenTrue: () => T, whenFalse: () => T): LiveBranch<T>[] {
    const live: LiveBranch<T>[] = [];
    const raisedTrue = this.runSide(condition, whenTrue, live);
    const raisedFalse = this.runSide(this.negation(condition), whenFalse, live);
    // When both raise, the first side's error is the code's.
    const raised = raisedTrue ?? raisedFalse;
    if (live.length === 0) throw raised!;
    if (raised) this.noteUnknown(`assumed ${live[0]!.assumption}: otherwise ${raised.message}`, range);
    return live;
  }

  /** Runs one side of an undecided condition assuming `assumption`: adds it to `live`, or returns what it raised. */
  private runSide<T>(assumption: string, body: () => T, live: LiveBranch<T>[]): PyRaise | undefined {
    this.assumptions.push(assumption);
    const full = this.assumption;
    const firstId = this.nextId;
    let run: BranchRun<T>;
    try {
      run = this.journal.run(body);
    } finally {
      this.assumptions.pop();
    }
    if (run.outcome.kind === 'done') live.push({ assumption: full, firstId, value: run.outcome.value, changes: run.changes });
    else if (run.outcome.error instanceof PyRaise) return run.outcome.error;
    else throw run.outcome.error;
    return undefined;
  }

  /** An expression's value when its condition is undecided (`a if c else b`, `a and b`, `a or b`). */
  private undecidedValue(condition: string, range: Range, whenTrue: () => Value, whenFalse: () => Value): Value {
    const live = this.runSides(condition, range, whenTrue, whenFalse);
    joinStates(this, live);
    if (live.length === 1) return live[0]!.value;
    return joinValues(this, live[0]!.value, live[1]!.value, live[0]!, live[1]!) as Value;
  }

  /** Statements under an undecided condition. A side that returns while the other goes on is joined into the function's result. */
  private undecidedStatements(condition: string, range: Range, whenTrue: () => Completion, whenFalse: () => Completion, scope: Scope): Completion {
    const live = this.runSides(condition, range, whenTrue, whenFalse);
    if (live.length === 1) {
      joinStates(this, live);
      return live[0]!.value;
    }
    const [a, b] = live as [LiveBranch<Completion>, LiveBranch<Completion>];
    const returnsA = a.value?.type === 'return';
    const returnsB = b.value?.type === 'return';
    if (returnsA && returnsB) {
      joinStates(this, live);
      const value = joinValues(this, (a.value as { value: Value }).value, (b.value as { value: Value }).value, a, b) as Value;
      return { type: 'return', value };
    }
    if (returnsA !== returnsB) {
      const [returning, going] = returnsA ? [0, 1] : [1, 0];
      joinStates(this, live, scope.kind === 'function' ? { vars: scope.vars, branch: going } : undefined);
      const ret = live[returning]!;
      this.journal.touch('log', this.pendingReturns);
      this.pendingReturns.push({ value: (ret.value as { value: Value }).value, assumption: ret.assumption });
      return live[going]!.value;
    }
    joinStates(this, live);
    // Both sides leave the same way (fall through, break or continue); mixed loop exits keep looping.
    return a.value?.type === b.value?.type ? a.value : undefined;
  }

  /** A function's result joined with the returns it took under undecided conditions. */
  private withPendingReturns(pending: readonly PendingReturn[], result: Value | undefined): Value {
    let acc = result;
    // Nothing is created by a join of returns, so no side marks anything (firstId beyond every id).
    const side = (assumption: string): Side => ({ assumption, firstId: Number.POSITIVE_INFINITY });
    for (const p of [...pending].reverse()) acc = acc === undefined ? p.value : (joinValues(this, p.value, acc, side(p.assumption), side(this.negation(p.assumption))) as Value);
    return acc ?? NONE;
  }

  private execFor(stmt: Extract<Stmt, { k: 'for' }>, scope: Scope): Completion {
    const iterable = this.evalExpr(stmt.iter, scope);
    const items = this.iterate(iterable, stmt.iter.r);
    if (!items) {
      // One pass with an unknown item, joined with not looping: what the body creates is kept "only if"
      // there are items, and what it changes becomes unknown unless it is the same either way.
      const reason = `an item of ${describe(iterable)}`;
      try {
        return this.undecidedStatements(`${this.conditionText(stmt.iter)} is not empty`, stmt.iter.r, () => this.unknownPasses(stmt, scope, 0, () => this.assign(stmt.target, unknown(reason, stmt.iter.r), scope)), () => this.execBlock(stmt.orelse, scope), scope);
      } finally {
        this.observer?.loopExit?.(stmt, this.currentFile);
      }
    }
    const recording = this.recordAssignments && scope.kind === 'function';
    // Variables bound before the loop and assigned in its body are what the loop carries (`x = block(x)`).
    const carried = recording ? assignedNames(stmt.body).filter((n) => scope.vars.has(n)) : [];
    let iteration = 0;
    const started = this.steps;
    const maxSteps = scope.kind === 'module' ? this.maxModuleLoopSteps : this.maxLoopSteps;
    try {
      for (let i = 0; i < items.length; i++) {
        this.checkClock();
        const go = this.observer?.loopIteration?.(stmt, i, this.currentFile);
        if (go === false) return undefined;
        if (go === LOOP_CUT || this.steps - started > maxSteps) return this.cutLoop(stmt, scope, i, () => this.assign(stmt.target, unknown(`an item of ${describe(iterable)} after ${i} iterations`, stmt.iter.r), scope));
        this.assign(stmt.target, items[i]!, scope);
        const c = this.execBlock(stmt.body, scope);
        if (carried.length > 0 && this.loopIterations.length < MAX_RECORDS) {
          const values = carried.flatMap((name) => {
            const value = scope.vars.get(name);
            return value ? [{ name, value: snapshot(value) }] : [];
          });
          this.loopIterations.push({ file: this.currentFile, range: stmt.r, iteration: iteration++, values });
        }
        if (c?.type === 'break') return undefined;
        if (c?.type === 'return') return c;
      }
    } finally {
      this.observer?.loopExit?.(stmt, this.currentFile);
    }
    return this.execBlock(stmt.orelse, scope);
  }

  /**
   * A loop the observer cut short after `done` iterations: the rest run as a loop over unknown items does (an
   * explored pass joined with stopping here), so what they would change is unknown after the loop rather than
   * what the partial run left.
   */
  private cutLoop(stmt: Extract<Stmt, { k: 'for' | 'while' }>, scope: Scope, done: number, nextItem?: () => void): Completion {
    return this.undecidedStatements(`the loop runs on after ${done} iterations`, stmt.r, () => this.unknownPasses(stmt, scope, done, nextItem), () => this.execBlock(stmt.orelse, scope), scope);
  }

  private recordStatement(stmt: Stmt, kind: StatementRecord['kind'], value: Value, scope: Scope): void {
    if (this.recordAssignments && scope.kind === 'function' && this.statements.length < MAX_RECORDS) {
      let frame = this.frames.get(scope);
      if (frame === undefined) this.frames.set(scope, (frame = this.frames.size + 1));
      this.statements.push({ file: this.currentFile, range: stmt.r, kind, value: snapshot(value), frame });
    }
  }

  /**
   * The pass a loop runs on unknown items (or an unknown condition): once, or, for an observer in explore
   * mode, twice, so what one iteration hands to the next (a hidden state, a model's mode) is seen.
   */
  private unknownPasses(stmt: Extract<Stmt, { k: 'for' | 'while' }>, scope: Scope, from: number, nextItem?: () => void): Completion {
    const passes = this.observer?.explore ? EXPLORED_ITERATIONS : 1;
    let c: Completion;
    for (let i = 0; i < passes; i++) {
      if (this.observer?.loopIteration?.(stmt, from + i, this.currentFile) === false) break;
      nextItem?.();
      c = loopPass(this.execBlock(stmt.body, scope));
      if (c?.type === 'return') return c;
    }
    return c;
  }

  assign(target: Expr, value: Value, scope: Scope): void {
    switch (target.k) {
      case 'name':
        this.assignName(target.id, value, scope);
        return;
      case 'tuple':
      case 'list': {
        const starAt = target.items.findIndex((t) => t.k === 'starred');
        const items = this.iterate(value, target.r);
        if (!items) {
          for (const t of target.items) {
            const item = this.noteUnknown(`cannot unpack ${describe(value)}`, target.r);
            // Each unpacked unknown keeps where it came from (the observer links it to `value`).
            const seen = this.observer?.operation?.({ expr: t, file: this.currentFile, op: 'unpack', operands: [value], result: item }) ?? item;
            this.assign(t.k === 'starred' ? t.value : t, seen, scope);
          }
          return;
        }
        if (starAt < 0) {
          if (items.length !== target.items.length) {
            this.raise(`cannot unpack ${items.length} values into ${target.items.length} targets`, target.r, 'ValueError');
          }
          for (let i = 0; i < items.length; i++) this.assign(target.items[i]!, items[i]!, scope);
          return;
        }
        const after = target.items.length - starAt - 1;
        target.items.forEach((t, i) => {
          if (i < starAt) this.assign(t, items[i] ?? NONE, scope);
          else if (i === starAt && t.k === 'starred') this.assign(t.value, listV(items.slice(starAt, items.length - after)), scope);
          else this.assign(t, items[items.length - (target.items.length - i)] ?? NONE, scope);
        });
        return;
      }
      case 'attr': {
        const obj = this.evalExpr(target.obj, scope);
        this.observer?.attributeSet?.(target, obj, target.name, value, this.currentFile);
        this.setAttr(obj, target.name, value, target.r);
        return;
      }
      case 'sub': {
        const obj = this.evalExpr(target.obj, scope);
        const idx = this.evalExpr(target.index, scope);
        this.setItem(obj, idx, value, target.r);
        return;
      }
      case 'starred':
        this.assign(target.value, value, scope);
        return;
      default:
        return;
    }
  }

  setItem(obj: Value, idx: Value, value: Value, range: Range): void {
    if (obj.kind === 'dict') obj.entries.set(keyOf(idx), { key: idx, value });
    else if (obj.kind === 'list') {
      const i = asDim(idx);
      if (typeof i === 'number') {
        const at = i < 0 ? obj.items.length + i : i;
        if (at >= 0 && at < obj.items.length) {
          this.touchList(obj.items);
          obj.items[at] = value;
        }
      }
    } else if (obj.kind === 'object') {
      const setitem = this.getAttr(obj, '__setitem__', range, true);
      if (setitem.kind !== 'unknown') this.call(setitem, { positional: [idx, value], keywords: new Map() }, range);
    } else if (obj.kind === 'tensor') this.torch.setTensorItem(obj, idx, value);
    // Tensor item assignment (`x[:, 0] = ...`) does not change shapes; an ndarray's known contents follow it.
  }

  // ---------------------------------------------------------------------------------------------
  // Functions and classes.

  defineFunction(def: FunctionDef, scope: Scope): Value {
    const closure = scope.kind === 'class' ? (scope.parent ?? scope.globals) : scope;
    const fn = new DefinedFunction(def.name, def.params, this.evalDefaults(def.params, scope), closure, def, def.isGenerator, def.r);
    let out: Value = fn;
    // The innermost decorator applies first; walking the list backwards copies nothing per definition.
    for (let i = def.decorators.length - 1; i >= 0; i--) out = this.applyDecorator(def.decorators[i]!, out, scope);
    return out;
  }

  /**
   * Default values, computed when the function is defined as Python does, except one whose expression needs a
   * file import not loaded yet (`interpolation=InterpolationMode.BILINEAR` from a package the model never
   * otherwise uses): that one is computed when a call first needs it, so the import is only read if used.
   */
  private evalDefaults(params: readonly Param[], scope: Scope): FunctionDefaults {
    // Most functions and methods take no default: they share one empty, never-written map.
    if (!params.some((p) => p.default)) return NO_DEFAULTS;
    const values = new Map<string, Value>();
    const deferred = new Map<string, Expr>();
    for (const p of params) {
      if (!p.default) continue;
      const value = this.evalUnlessImportLoads(p.default, scope);
      if (value) values.set(p.name, value);
      else deferred.set(p.name, p.default);
    }
    if (deferred.size === 0) return values;
    return {
      known: () => values.values(),
      has: (name) => values.has(name) || deferred.has(name),
      get: (name) => {
        const expr = deferred.get(name);
        if (!expr) return values.get(name);
        const value = this.loadingModule(scope.file, () => this.evalExpr(expr, scope));
        this.keepingAside(deferred, values);
        deferred.delete(name);
        values.set(name, value);
        return value;
      },
    };
  }

  /** The expression's value, or undefined when computing it would load an imported file. */
  private evalUnlessImportLoads(expr: Expr, scope: Scope): Value | undefined {
    const saved = this.importLoadsDeferred;
    this.importLoadsDeferred = true;
    try {
      return this.evalExpr(expr, scope);
    } catch (e) {
      if (e instanceof ImportLoadDeferred) return undefined;
      throw e;
    } finally {
      this.importLoadsDeferred = saved;
    }
  }

  /**
   * Call before a change that no branch undoes (an import loaded on first use, a deferred default computed): a
   * kept session's later run puts these back too (the journal's keepChanges), so its next run starts as a fresh one.
   */
  keepingAside(...targets: object[]): void {
    this.journal.outside(() => {
      for (const target of targets) this.journal.touch('aside', target);
    });
  }

  /**
   * What a run adds to the interpreter's counters and logs, as they are now: a kept session (src/core/analysis/
   * keptSession.ts) puts them back after each run, so every run starts where its module level ended.
   */
  runState(): InterpreterRunState {
    return {
      ...this.counters(),
      moduleCache: new Map(this.moduleCache),
      moduleTexts: new Map(this.moduleTexts),
      recordAssignments: this.recordAssignments,
      currentFile: this.currentFile,
    };
  }

  private counters(): InterpreterCounters {
    return {
      nextId: this.nextId,
      steps: this.steps,
      clockCalls: this.clockCalls,
      cellsLeft: this.cellsLeft,
      importCharsLeft: this.importCharsLeft,
      budgetSpent: this.budgetSpent,
      timeSpent: this.timeSpent,
      isolatedFailures: this.isolatedFailures,
      unknowns: this.diagnostics.unknowns.length,
      errors: this.diagnostics.errors.length,
      assignments: this.assignments.length,
      statements: this.statements.length,
      loopIterations: this.loopIterations.length,
      frames: this.frames.size,
    };
  }

  /** Sets the counters a run advances (the logs are put back by their owners: truncated or appended to). */
  private setCounters(counters: InterpreterCounters): void {
    this.nextId = counters.nextId;
    this.steps = counters.steps;
    this.clockCalls = counters.clockCalls;
    this.cellsLeft = counters.cellsLeft;
    this.importCharsLeft = counters.importCharsLeft;
    this.budgetSpent = counters.budgetSpent;
    this.timeSpent = counters.timeSpent;
    this.isolatedFailures = counters.isolatedFailures;
  }

  /** Puts the counters and logs back as `runState` saw them; the next run reads with `readFile`, by `deadline`. */
  restoreRunState(state: InterpreterRunState, readFile: (path: string) => string | undefined, deadline: number): void {
    this.setCounters(state);
    this.diagnostics.unknowns.length = state.unknowns;
    this.diagnostics.errors.length = state.errors;
    this.assignments.length = state.assignments;
    this.statements.length = state.statements;
    this.loopIterations.length = state.loopIterations;
    // The frames the run numbered go with a new map of the earlier ones rather than by deleting them from this one:
    // with a few hundred scopes added to and deleted from the session's map on every run, V8's scavenges kept each
    // run's scopes (and the modules and tensors in them) alive until a full collection, copying and promoting them
    // (0.24 MB per warm ResNet-50 summary; 0.004 MB with a new map).
    if (this.frames.size > state.frames) {
      const earlier = new Map<Scope, number>();
      for (const [scope, frame] of this.frames) {
        if (earlier.size === state.frames) break;
        earlier.set(scope, frame);
      }
      this.frames = earlier;
    }
    restoreContents(this.moduleCache, state.moduleCache as Map<unknown, unknown>);
    restoreContents(this.moduleTexts, state.moduleTexts as Map<unknown, unknown>);
    this.recordAssignments = state.recordAssignments;
    this.currentFile = state.currentFile;
    this.depth = 0;
    this.assumptions.length = 0;
    this.pendingReturns = [];
    this.importFallbacks = 0;
    this.importLoadsDeferred = false;
    this.readFile = readFile;
    this.deadline = deadline;
  }

  /** Whether nothing runs now: no call, branch, import or default being computed (a kept session's condition). */
  get idle(): boolean {
    return this.depth === 0 && this.assumptions.length === 0 && this.pendingReturns.length === 0 && this.importFallbacks === 0 && !this.importLoadsDeferred && !this.journal.active;
  }

  /** Called before an imported file is first loaded. */
  private beforeImportLoad(): void {
    if (this.importLoadsDeferred) throw IMPORT_LOAD_DEFERRED;
  }

  /** Applies a decorator; one the analysis cannot model leaves the function undecorated. */
  private applyDecorator(expr: Expr, target: Value, scope: Scope): Value {
    const decorator = this.evalExpr(expr, scope);
    if (decorator.kind === 'unknown') return target;
    try {
      const result = this.call(decorator, { positional: [target], keywords: new Map() }, expr.r);
      return result.kind === 'unknown' ? target : result;
    } catch (e) {
      if (stopsTheRun(e)) throw e;
      return target;
    }
  }

  defineClass(def: ClassDef, scope: Scope): Value {
    const bases: ClassV[] = [];
    const keywords = new Map<string, Value>();
    for (const arg of def.bases) {
      const v = this.evalExpr(arg.value, scope);
      if (arg.kind === 'kw' && arg.name) keywords.set(arg.name, v);
      else if (v.kind === 'class') bases.push(v);
      else if (arg.kind === 'pos' && v.kind !== 'unknown') this.noteUnknown(`base class is ${describe(v)}`, arg.value.r);
    }
    if (bases.length === 0) bases.push(this.objectClass);
    const classScope = scopeV('class', this.map('values'), scope, scope.globals, scope.file);
    classScope.vars.set('__qualname__', str(def.name));
    this.execBlock(def.body, classScope);
    const cls = classV({ name: def.name, bases, attrs: classScope.vars, file: scope.file, r: def.r });
    cls.mro = linearize(cls);
    for (const v of cls.attrs.values()) {
      if (v.kind === 'function') v.definingClass = cls;
      else if (v.kind === 'descriptor') {
        if (v.fn.kind === 'function') v.fn.definingClass = cls;
        if (v.setter?.kind === 'function') v.setter.definingClass = cls;
      }
    }
    const fields = def.body.filter((s): s is Extract<Stmt, { k: 'assign' }> => s.k === 'assign' && s.annotated === true && s.targets.length === 1 && s.targets[0]!.k === 'name');
    // Fields keep the position of their first definition; a subclass redefinition replaces the default.
    const merged = new Map<string, { name: string; default?: Value }>();
    for (const b of [...bases].reverse()) for (const f of b.dataclassFields ?? []) merged.set(f.name, f);
    for (const s of fields) {
      const name = (s.targets[0] as { id: string }).id;
      const d = classScope.vars.get(name);
      merged.set(name, d !== undefined ? { name, default: d } : { name });
    }
    cls.dataclassFields = [...merged.values()];
    if (cls.mro.some((c) => c.native === 'namedtuple')) cls.attrs.set('_fields', tupleV(cls.dataclassFields.map((f) => str(f.name))));
    if (cls.mro.some((c) => c.native === 'Enum')) this.makeEnum(cls);
    let out: Value = cls;
    for (let i = def.decorators.length - 1; i >= 0; i--) out = this.applyDecorator(def.decorators[i]!, out, scope);
    return out;
  }

  private makeEnum(cls: ClassV): void {
    const members = new Map<string, ObjectV>();
    for (const [name, value] of cls.attrs) {
      if (name.startsWith('_') || value.kind === 'function' || value.kind === 'descriptor' || value.kind === 'builtin') continue;
      const member = this.newObject(cls, [['name', str(name)], ['value', value], ['_name_', str(name)], ['_value_', value]]);
      members.set(name, member);
      cls.attrs.set(name, member);
    }
    cls.enumMembers = members;
  }

  /** Binds call arguments to a Python signature; raises TypeError like Python on a mismatch. */
  bindParams(fn: FunctionV, args: CallArgs, range: Range, scope: Scope): void {
    const positional = args.positional;
    let pi = 0;
    // The parameters' names, to tell the keywords left for **kwargs: only a call with keywords needs them.
    const used = args.keywords.size > 0 ? new Set<string>() : undefined;
    let kwargsName: string | undefined;
    const params = fn.params;
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      if (p.kind === 'normal') {
        if (pi < positional.length) scope.vars.set(p.name, positional[pi++]!);
        else if (args.keywords.has(p.name)) scope.vars.set(p.name, args.keywords.get(p.name)!);
        else if (fn.defaults.has(p.name)) scope.vars.set(p.name, fn.defaults.get(p.name)!);
        else this.raise(`${fn.name}() missing required argument '${p.name}'`, range, 'TypeError');
        used?.add(p.name);
      } else if (p.kind === 'star') {
        scope.vars.set(p.name, tupleV(positional.slice(pi)));
        pi = positional.length;
      } else if (p.kind === 'kwonly') {
        if (args.keywords.has(p.name)) scope.vars.set(p.name, args.keywords.get(p.name)!);
        else if (fn.defaults.has(p.name)) scope.vars.set(p.name, fn.defaults.get(p.name)!);
        else this.raise(`${fn.name}() missing keyword argument '${p.name}'`, range, 'TypeError');
        used?.add(p.name);
      } else kwargsName = p.name;
    }
    if (pi < positional.length) this.raise(`${fn.name}() takes ${pi} positional arguments but ${positional.length} were given`, range, 'TypeError');
    // The **kwargs dict exists only for a function that takes one (a call is most often of one that does not).
    const extra = kwargsName !== undefined ? this.newDict() : undefined;
    if (used) {
      for (const [k, v] of args.keywords) {
        if (used.has(k)) continue;
        if (!extra) this.raise(`${fn.name}() got an unexpected keyword argument '${k}'`, range, 'TypeError');
        extra.entries.set(keyOf(str(k)), { key: str(k), value: v });
      }
    }
    if (kwargsName !== undefined) scope.vars.set(kwargsName, extra!);
  }

  callFunction(fn: FunctionV, args: CallArgs, range: Range): Value {
    if (fn.def) this.ranDefinitions?.add(fn.def);
    // torchvision's usage logging is telemetry; running it only adds noise to the unknowns.
    if (fn.name === '_log_api_usage_once') return NONE;
    if (fn.isGenerator) return this.noteUnknown(`generator function ${fn.name} is not modelled`, range);
    const scope = scopeV('function', this.map('values'), fn.closure, fn.closure.globals, fn.closure.file);
    this.bindParams(fn, args, range, scope);
    if (fn.definingClass) {
      scope.vars.set('__class__', fn.definingClass);
      const first = fn.params[0];
      if (first && first.kind === 'normal') scope.vars.set('__self__', scope.vars.get(first.name)!);
    }
    const previous = this.currentFile;
    // The observer may decline a call (explore mode: recursion over unknown data multiplies without end).
    if (this.observer?.enterFunction?.(fn, range, previous) === false) return this.noteUnknown(`${fn.name}() recursion over unknown values is not explored`, range);
    const outerPending = this.pendingReturns;
    // A function a default's expression calls runs as any call does: its imports load.
    const outerDeferral = this.importLoadsDeferred;
    this.importLoadsDeferred = false;
    this.currentFile = fn.closure.file;
    this.pendingReturns = [];
    try {
      if (!Array.isArray(fn.body)) return this.evalExpr(fn.body as Expr, scope);
      let result: Value | undefined;
      try {
        const failuresBefore = this.isolatedFailures;
        const c = this.execBlock(fn.body as readonly Stmt[], scope);
        result = c?.type === 'return' ? c.value : this.isolatedFailures > failuresBefore ? unknown(`${fn.name}() did not complete`, range) : NONE;
      } catch (e) {
        // The path that raised is dead when the function already returned under some condition.
        if (!(e instanceof PyRaise) || this.pendingReturns.length === 0) throw e;
      }
      return this.pendingReturns.length > 0 ? this.withPendingReturns(this.pendingReturns, result) : result!;
    } finally {
      this.importLoadsDeferred = outerDeferral;
      this.currentFile = previous;
      this.pendingReturns = outerPending;
      this.observer?.exitFunction?.(fn);
    }
  }

  /**
   * Calls any callable value. Every call reads the clock; calls of Python functions and of module objects
   * (the two ways code can recur, native containers included) count against the recursion depth limit.
   */
  call(callee: Value, args: CallArgs, range: Range): Value {
    this.tick();
    this.checkClock();
    if (callee.kind !== 'function' && callee.kind !== 'object') return this.callUnguarded(callee, args, range);
    if (this.depth >= MAX_DEPTH) return this.noteUnknown('recursion depth limit reached', range);
    this.depth++;
    try {
      return this.callUnguarded(callee, args, range);
    } finally {
      this.depth--;
    }
  }

  private callUnguarded(callee: Value, args: CallArgs, range: Range): Value {
    switch (callee.kind) {
      case 'function':
        return this.callFunction(callee, args, range);
      case 'builtin':
        return callee.call(args, range);
      case 'method':
        return this.call(callee.fn, { positional: [callee.self, ...args.positional], keywords: args.keywords }, range);
      case 'class':
        return this.construct(callee, args, range);
      case 'unknown':
        return callee;
    }
    if (callee.kind === 'object' && callee.module) return this.torch.callModule(callee, args, range);
    // The rarer callees are one call, as execStmt's rarer statements are (see there).
    return this.callOther(callee, args, range);
  }

  /** A call of an object that is not an nn.Module (its `__call__`), of a descriptor, or of what cannot be called. */
  private callOther(callee: Value, args: CallArgs, range: Range): Value {
    if (callee.kind === 'object') {
      const dunder = this.getAttr(callee, '__call__', range, true);
      if (dunder.kind !== 'unknown') return this.call(dunder, args, range);
      return this.noteUnknown(`${callee.cls.name} object is not callable`, range);
    }
    if (callee.kind === 'descriptor') return this.call(callee.fn, args, range);
    return this.noteUnknown(`${describe(callee)} is not callable`, range);
  }

  construct(cls: ClassV, args: CallArgs, range: Range): Value {
    const native = this.torch.construct(cls, args, range);
    if (native !== undefined) return native;
    // Library classes (optimizers, loaders, …) build their instances themselves.
    const factory = this.findClassAttr(cls, '__native_new__');
    if (factory?.kind === 'builtin') return factory.call(args, range);
    if (cls.enumMembers) {
      const wanted = args.positional[0];
      for (const m of cls.enumMembers.values()) if (wanted && valuesEqual(m.attrs.get('value')!, wanted) === true) return m;
      return this.noteUnknown(`no ${cls.name} member with that value`, range);
    }
    const nativeBase = cls.mro.find((c) => c.native && c.native !== 'object');
    if (nativeBase?.native === 'exception') return this.newObject(cls, [['args', tupleV(args.positional)]]);
    const obj = this.newObject(cls);
    const init = this.findClassAttr(cls, '__init__');
    if (init) this.call(init, { positional: [obj, ...args.positional], keywords: args.keywords }, range);
    return obj;
  }

  initDataclass(cls: ClassV, obj: ObjectV, args: CallArgs, range: Range): void {
    const fields = cls.dataclassFields ?? [];
    fields.forEach((f, i) => {
      const v = i < args.positional.length ? args.positional[i]! : args.keywords.get(f.name) ?? this.fieldDefault(f.default, range);
      obj.attrs.set(f.name, v ?? this.noteUnknown(`missing dataclass field ${f.name}`, range));
    });
    const post = this.findClassAttr(cls, '__post_init__');
    if (post) this.call(post, { positional: [obj], keywords: new Map() }, range);
  }

  private fieldDefault(d: Value | undefined, range: Range): Value | undefined {
    if (d?.kind === 'object' && d.cls.native === 'field') {
      const factory = d.attrs.get('default_factory');
      if (factory) return this.call(factory, { positional: NO_POSITIONAL, keywords: NO_KEYWORDS }, range);
      return d.attrs.get('default');
    }
    return d;
  }

  findClassAttr(cls: ClassV, name: string, after?: ClassV): Value | undefined {
    let skipping = after !== undefined;
    const mro = cls.mro;
    for (let i = 0; i < mro.length; i++) {
      const c = mro[i]!;
      if (skipping) {
        if (c === after) skipping = false;
        continue;
      }
      const v = c.attrs.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Binds a class attribute found on an instance: functions become bound methods, properties run. */
  bindAttr(v: Value, self: Value, cls: ClassV, range: Range): Value {
    if (v.kind === 'function' || v.kind === 'builtin') return { kind: 'method', self, fn: v };
    if (v.kind === 'descriptor') {
      if (v.type === 'property') return this.call(v.fn, { positional: [self], keywords: new Map() }, range);
      if (v.type === 'classmethod' && (v.fn.kind === 'function' || v.fn.kind === 'builtin')) return { kind: 'method', self: cls, fn: v.fn };
      return v.fn;
    }
    return v;
  }

  // ---------------------------------------------------------------------------------------------
  // Attributes.

  getAttr(obj: Value, name: string, range: Range, quiet = false): Value {
    switch (obj.kind) {
      case 'namespace': {
        const v = obj.get(name);
        if (v !== undefined) return v;
        return quiet ? unknown(`${obj.name}.${name} is not known`, range) : this.noteUnknown(`${obj.name}.${name} is not known`, range);
      }
      case 'object': {
        if (obj.module) {
          const m = this.torch.getModuleAttr(obj, name);
          if (m !== undefined) return m;
        }
        const own = obj.attrs.get(name);
        if (own !== undefined) return own;
        if (name === '__class__') return obj.cls;
        if (name === '__module__') return str(obj.cls.file ?? 'builtins');
        // A live view: `self.__dict__.update(cfg)` sets attributes, as in Python.
        if (name === '__dict__') return { kind: 'dict', entries: new AttributeDictView(obj.attrs) };
        const v = this.findClassAttr(obj.cls, name);
        if (v !== undefined) return this.bindAttr(v, obj, obj.cls, range);
        const getattr = this.findClassAttr(obj.cls, '__getattr__');
        if (getattr && getattr.kind === 'function') return this.call(getattr, { positional: [obj, str(name)], keywords: new Map() }, range);
        return quiet ? unknown(`'${obj.cls.name}' object has no attribute '${name}'`, range) : this.noteUnknown(`'${obj.cls.name}' object has no attribute '${name}'`, range);
      }
      case 'class': {
        if (name === '__name__' || name === '__qualname__') return str(obj.name);
        if (name === '__module__') return str(obj.file ?? 'builtins');
        if (name === '__mro__') return tupleV(obj.mro);
        const v = this.findClassAttr(obj, name);
        if (v !== undefined) {
          if (v.kind === 'descriptor') return v.type === 'classmethod' ? { kind: 'method', self: obj, fn: v.fn as FunctionV } : v.type === 'staticmethod' ? v.fn : v;
          return v;
        }
        return quiet ? unknown(`class ${obj.name} has no attribute '${name}'`, range) : this.noteUnknown(`class ${obj.name} has no attribute '${name}'`, range);
      }
      case 'super': {
        const cls = obj.self.kind === 'object' ? obj.self.cls : obj.self.kind === 'class' ? obj.self : undefined;
        if (!cls) return this.noteUnknown('super() outside a method', range);
        const v = this.findClassAttr(cls, name, obj.after);
        if (v === undefined) return this.noteUnknown(`super() has no attribute '${name}'`, range);
        return this.bindAttr(v, obj.self, cls, range);
      }
      case 'tensor':
        return this.torch.getTensorAttr(obj, name, range);
      case 'unknown':
        return obj;
      case 'function':
        return this.functionAttr(obj, name, range);
      case 'builtin':
        if (name === '__name__') return str(obj.name);
        return obj.attrs?.[name] ?? unknown(`function attribute ${name}`, range);
      case 'descriptor':
        // `@x.setter` gives the property with that setter; its getter stays.
        if (name === 'setter') return builtin(name, (a) => ({ ...obj, setter: a.positional[0] ?? NONE }));
        if (name === 'getter' || name === 'deleter') return builtin(name, () => obj);
        if (name === 'fget' || name === '__func__') return obj.fn;
        return unknown(`descriptor attribute ${name}`, range);
      default: {
        // A torch namedtuple (PackedSequence) reads its fields by name.
        const field = obj.kind === 'tuple' && obj.namedtuple ? this.torch.namedTupleField(obj, name) : undefined;
        if (field) return field;
        const method = this.builtinMethod(obj, name, range);
        if (method) return method;
        return quiet ? unknown(`${describe(obj)} has no attribute '${name}'`, range) : this.noteUnknown(`${describe(obj)} has no attribute '${name}'`, range);
      }
    }
  }

  /**
   * An attribute of a function: its `__name__` and `__doc__`, which a functools.wraps wrapper takes from the
   * function it wraps, and that one as its `__wrapped__`. Other attributes are not modelled.
   */
  private functionAttr(fn: FunctionV, name: string, range: Range): Value {
    const wrapped = this.wrappedFunctions.get(fn);
    if (wrapped !== undefined) {
      if (name === '__wrapped__') return wrapped;
      if (name === '__name__' || name === '__doc__') {
        // update_wrapper copies what the wrapped callable has: a function's, a class's or a builtin's name.
        if (wrapped.kind === 'function') return this.functionAttr(wrapped, name, range);
        if (name === '__name__' && (wrapped.kind === 'class' || wrapped.kind === 'builtin')) return str(wrapped.name);
        return unknown(`${name} of a function wrapping ${describe(wrapped)}`, range);
      }
    }
    if (name === '__name__') return str(fn.name);
    if (name === '__doc__') return docstringOf(fn);
    return unknown(`function attribute ${name}`, range);
  }

  /** `del obj.name`: a module forgets the submodule or parameter too (DETR drops its backbone's fc this way). */
  deleteAttr(obj: Value, name: string): void {
    if (obj.kind === 'object') {
      if (obj.module) this.torch.deleteModuleAttr(obj, name);
      obj.attrs.delete(name);
    } else if (obj.kind === 'class') {
      if (!(obj.attrs instanceof TrackedMap)) this.keepingAside(obj.attrs);
      obj.attrs.delete(name);
    }
  }

  /** `obj.name = value`: a user `__setattr__` or a property's setter runs, unless `raw` (object.__setattr__). */
  setAttr(obj: Value, name: string, value: Value, range: Range = ZERO_RANGE, raw = false): void {
    if (obj.kind === 'object') {
      const hook = raw ? undefined : this.findClassAttr(obj.cls, '__setattr__');
      if (hook?.kind === 'function') {
        this.call(hook, { positional: [obj, str(name), value], keywords: new Map() }, range);
        return;
      }
      if (obj.module && this.torch.setModuleAttr(obj, name, value)) return;
      const desc = this.findClassAttr(obj.cls, name);
      if (desc?.kind === 'descriptor' && desc.type === 'property') {
        if (desc.setter) this.call(desc.setter, { positional: [obj, value], keywords: new Map() }, range);
        return;
      }
      obj.attrs.set(name, value);
    } else if (obj.kind === 'class') {
      // A built-in class's attributes are a plain map, which no branch undoes; a kept session's next run must not see it.
      if (!(obj.attrs instanceof TrackedMap)) this.keepingAside(obj.attrs);
      obj.attrs.set(name, value);
    } else if (obj.kind === 'namespace' && obj.set) obj.set(name, value);
    else if (obj.kind === 'tensor') this.torch.setTensorAttr(obj, name, value);
  }

  /**
   * Methods of sets, which are lists of distinct items here (`set(...)` builds one): subset tests and the set
   * algebra that config code applies to layer names. A membership that depends on unknown values is unknown.
   */
  private setMethod(obj: ListV, name: string, range: Range): BuiltinV | undefined {
    const other = (args: CallArgs): Value[] | undefined => this.iterate(args.positional[0] ?? NONE, range);
    const has = (items: readonly Value[], x: Value): boolean | undefined => {
      let answer: boolean | undefined = false;
      for (const item of items) {
        const same = valuesEqual(item, x);
        if (same === true) return true;
        if (same !== false) answer = undefined;
      }
      return answer;
    };
    const all = (items: readonly Value[], test: (x: Value) => boolean | undefined): Value => {
      let answer: boolean | undefined = true;
      for (const x of items) {
        const ok = test(x);
        if (ok === false) return bool(false);
        if (ok === undefined) answer = undefined;
      }
      return answer === undefined ? this.noteUnknown(`set.${name} of unknown items`, range) : bool(true);
    };
    const known = (items: Value[] | undefined, build: (items: Value[]) => Value): Value =>
      items ? build(items) : this.noteUnknown(`set.${name} of an unknown iterable`, range);
    const distinct = (items: readonly Value[]): ListV => listV(items.filter((x, i) => items.findIndex((y) => valuesEqual(x, y) === true) === i));
    const filtered = (items: readonly Value[], keep: (x: Value) => boolean | undefined): Value => {
      const decisions = items.map(keep);
      return decisions.includes(undefined) ? this.noteUnknown(`set.${name} of unknown items`, range) : listV(items.filter((_, i) => decisions[i]));
    };
    const m = (call: (args: CallArgs) => Value): BuiltinV => builtin(name, (args) => call(args));
    switch (name) {
      case 'issubset':
        return m((a) => known(other(a), (items) => all(obj.items, (x) => has(items, x))));
      case 'issuperset':
        return m((a) => known(other(a), (items) => all(items, (x) => has(obj.items, x))));
      case 'isdisjoint':
        return m((a) => known(other(a), (items) => all(obj.items, (x) => { const h = has(items, x); return h === undefined ? undefined : !h; })));
      case 'union':
        return m((a) => known(other(a), (items) => distinct([...obj.items, ...items])));
      case 'intersection':
        return m((a) => known(other(a), (items) => filtered(obj.items, (x) => has(items, x))));
      case 'difference':
        return m((a) => known(other(a), (items) => filtered(obj.items, (x) => { const h = has(items, x); return h === undefined ? undefined : !h; })));
      case 'add':
        return m((a) => {
          const x = a.positional[0] ?? NONE;
          if (has(obj.items, x) !== true) obj.items.push(x);
          return NONE;
        });
      case 'discard':
        return m((a) => {
          const i = obj.items.findIndex((y) => valuesEqual(y, a.positional[0] ?? NONE) === true);
          if (i >= 0) obj.items.splice(i, 1);
          return NONE;
        });
      default:
        return undefined;
    }
  }

  /** Methods of str, list, tuple, dict and int values. */
  builtinMethod(obj: Value, name: string, range: Range): Value | undefined {
    const m = (call: (args: CallArgs) => Value): BuiltinV => builtin(name, (args) => call(args));
    const arg = (args: CallArgs, i: number): Value => args.positional[i] ?? NONE;
    if (obj.kind === 'list') {
      // Every method below that changes the list in place tells the journal first.
      const change = (call: (args: CallArgs) => Value): BuiltinV => m((a) => (this.touchList(obj.items), call(a)));
      switch (name) {
        case 'append':
          return change((a) => (obj.items.push(arg(a, 0)), NONE));
        case 'extend':
          return change((a) => (appendAll(obj.items, this.iterate(arg(a, 0), range) ?? []), NONE));
        case 'insert':
          return change((a) => {
            const i = asNumber(arg(a, 0)) ?? 0;
            obj.items.splice(i < 0 ? Math.max(0, obj.items.length + i) : i, 0, arg(a, 1));
            return NONE;
          });
        case 'pop':
          return change((a) => {
            const i = a.positional.length ? asNumber(arg(a, 0)) ?? -1 : -1;
            const at = i < 0 ? obj.items.length + i : i;
            return obj.items.splice(at, 1)[0] ?? this.noteUnknown('pop from empty list', range);
          });
        case 'reverse':
          return change(() => (obj.items.reverse(), NONE));
        // collections.deque is modelled as a list: its left-end methods.
        case 'appendleft':
          return change((a) => (obj.items.unshift(arg(a, 0)), NONE));
        case 'extendleft':
          return change((a) => {
            const front = (this.iterate(arg(a, 0), range) ?? []).reverse();
            const back = obj.items.splice(0, obj.items.length);
            appendAll(obj.items, front);
            appendAll(obj.items, back);
            return NONE;
          });
        case 'popleft':
          return change(() => obj.items.shift() ?? this.noteUnknown('pop from an empty deque', range));
        case 'copy':
        case 'tolist':
          return m(() => this.sized(obj.items.length, range, () => listV([...obj.items])));
        case 'index':
          return m((a) => int(obj.items.findIndex((x) => valuesEqual(x, arg(a, 0)) === true)));
        case 'count':
          return m((a) => int(obj.items.filter((x) => valuesEqual(x, arg(a, 0)) === true).length));
        case 'remove':
          return change((a) => {
            const i = obj.items.findIndex((x) => valuesEqual(x, arg(a, 0)) === true);
            if (i >= 0) obj.items.splice(i, 1);
            return NONE;
          });
        case 'sort':
          return change(() => (sortValues(obj.items), NONE));
        case 'clear':
          return change(() => ((obj.items.length = 0), NONE));
      }
    }
    if (obj.kind === 'list') {
      const setMethod = this.setMethod(obj, name, range);
      if (setMethod) return setMethod;
    }
    if (obj.kind === 'tuple' || obj.kind === 'list') {
      if (name === 'index') return m((a) => int(obj.items.findIndex((x) => valuesEqual(x, arg(a, 0)) === true)));
      if (name === 'count') return m((a) => int(obj.items.filter((x) => valuesEqual(x, arg(a, 0)) === true).length));
      if (name === 'numel') return m(() => int(dims.product(obj.items.map((x) => asDim(x) ?? 1))));
    }
    if (obj.kind === 'dict') {
      const entries = obj.entries;
      switch (name) {
        case 'get':
          return m((a) => entries.get(keyOf(arg(a, 0)))?.value ?? arg(a, 1));
        case 'items':
          return m(() => this.sized(3 * entries.size, range, () => listV([...entries.values()].map((e) => tupleV([e.key, e.value])))));
        case 'keys':
          return m(() => this.sized(entries.size, range, () => listV([...entries.values()].map((e) => e.key))));
        case 'values':
          return m(() => this.sized(entries.size, range, () => listV([...entries.values()].map((e) => e.value))));
        case 'pop':
          return m((a) => {
            const k = keyOf(arg(a, 0));
            const v = entries.get(k)?.value ?? (a.positional.length > 1 ? arg(a, 1) : this.noteUnknown('key not in dict', range));
            entries.delete(k);
            return v;
          });
        case 'setdefault':
          return m((a) => {
            const k = keyOf(arg(a, 0));
            if (!entries.has(k)) entries.set(k, { key: arg(a, 0), value: arg(a, 1) });
            return entries.get(k)!.value;
          });
        case 'update':
          return m((a) => {
            const src = arg(a, 0);
            if (!this.allocate(src.kind === 'dict' ? src.entries.size : 0)) return this.tooLarge(range);
            if (src.kind === 'dict') for (const [k, e] of src.entries) entries.set(k, e);
            for (const [k, v] of a.keywords) entries.set(keyOf(str(k)), { key: str(k), value: v });
            return NONE;
          });
        case 'copy':
          return m(() => this.sized(entries.size, range, () => this.newDict(entries)));
      }
    }
    if (obj.kind === 'str') {
      const s = obj.value;
      switch (name) {
        case 'format':
          return m((a) => {
            let i = 0;
            if (!this.allocate(s.length)) return this.tooLarge(range);
            return str(s.replace(/\{([^{}]*)\}/g, (_, key: string) => {
              const name0 = key.split(':')[0]!.split('!')[0]!;
              const v = name0 === '' ? a.positional[i++] : /^\d+$/.test(name0) ? a.positional[Number(name0)] : a.keywords.get(name0);
              return (v && pyStr(v)) ?? '?';
            }));
          });
        case 'lower': return m(() => str(s.toLowerCase()));
        case 'find': return m((a) => int(a.positional[0]?.kind === 'str' ? s.indexOf(a.positional[0].value) : -1));
        case 'rfind': return m((a) => int(a.positional[0]?.kind === 'str' ? s.lastIndexOf(a.positional[0].value) : -1));
        case 'lstrip': return m((a) => this.strStrip(s, a, 'left', range));
        case 'rstrip': return m((a) => this.strStrip(s, a, 'right', range));
        case 'isdigit': return m(() => bool(/^\d+$/.test(s)));
        case 'isalpha': return m(() => bool(/^\p{L}+$/u.test(s)));
        case 'capitalize': return m(() => str(s.charAt(0).toUpperCase() + s.slice(1).toLowerCase()));
        case 'title': return m(() => str(pythonTitle(s)));
        case 'zfill': return m((a) => {
          const width = asNumber(a.positional[0] ?? int(0)) ?? 0;
          return this.sized(Math.max(0, width - s.length), range, () => str(s.padStart(width, '0')));
        });
        case 'split':
        case 'rsplit':
          return m((a) => this.strSplit(s, a, name === 'rsplit', range));
        case 'upper': return m(() => str(s.toUpperCase()));
        case 'strip': return m((a) => this.strStrip(s, a, 'both', range));
        case 'startswith': return m((a) => bool(a.positional[0]?.kind === 'str' ? s.startsWith(a.positional[0].value) : false));
        case 'endswith': return m((a) => bool(a.positional[0]?.kind === 'str' ? s.endsWith(a.positional[0].value) : false));
        case 'join':
          return m((a) => {
            const parts = (this.iterate(arg(a, 0), range) ?? []).map((p) => pyStr(p) ?? '?');
            const length = parts.reduce((total, p) => total + p.length + s.length, 0);
            return this.sized(length, range, () => str(parts.join(s)));
          });
        case 'replace':
          return m((a) => {
            const [old, replacement] = a.positional;
            if (old?.kind !== 'str' || replacement?.kind !== 'str') return obj;
            const parts = s.split(old.value);
            return this.sized(s.length + (parts.length - 1) * replacement.value.length, range, () => str(parts.join(replacement.value)));
          });
      }
    }
    if (obj.kind === 'int' && name === 'bit_length') return m(() => (typeof obj.value === 'number' ? int(Math.abs(obj.value).toString(2).length * (obj.value === 0 ? 0 : 1)) : unknown('symbolic')));
    if (obj.kind === 'float' && name === 'is_integer') return m(() => bool(Number.isInteger(obj.value)));
    return undefined;
  }

  /** str.split and str.rsplit as CPython runs them (sep and maxsplit by position or keyword). */
  private strSplit(s: string, a: CallArgs, fromRight: boolean, range: Range): Value {
    const sep = a.positional[0] ?? a.keywords.get('sep') ?? NONE;
    const maxsplit = a.positional[1] ?? a.keywords.get('maxsplit') ?? int(-1);
    const limit = asNumber(maxsplit);
    if ((sep.kind !== 'str' && sep.kind !== 'none') || limit === undefined || maxsplit.kind === 'float') return this.noteUnknown(`str.${fromRight ? 'rsplit' : 'split'} with a separator or count not known here`, range);
    if (sep.kind === 'str' && sep.value === '') this.raise('empty separator', range, 'ValueError');
    return this.sized(s.length, range, () => listV(pythonSplit(s, sep.kind === 'str' ? sep.value : undefined, limit, fromRight).map((p) => str(p))));
  }

  /** str.strip, lstrip and rstrip as CPython runs them (whitespace, or the characters given). */
  private strStrip(s: string, a: CallArgs, side: 'both' | 'left' | 'right', range: Range): Value {
    const chars = a.positional[0] ?? a.keywords.get('chars') ?? NONE;
    if (chars.kind !== 'str' && chars.kind !== 'none') return this.noteUnknown(`str.${side === 'both' ? '' : side === 'left' ? 'l' : 'r'}strip with characters not known here`, range);
    return str(pythonStrip(s, chars.kind === 'str' ? chars.value : undefined, side));
  }

  // ---------------------------------------------------------------------------------------------
  // Expressions.

  evalArgs(args: readonly Arg[], scope: Scope): CallArgs {
    let positionalCount = 0;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a.kind === 'pos') positionalCount++;
      else if (a.kind !== 'kw') return this.evalArgsUnpacking(args, scope);
    }
    // Most calls pass up to three positional arguments and keywords: their list is a literal of its exact length,
    // not an array grown by push (which keeps room for 16 more items) copied at its length, as below.
    if (positionalCount > 3) return this.evalArgsUnpacking(args, scope);
    let first: Value | undefined;
    let second: Value | undefined;
    let third: Value | undefined;
    let keywords: Map<string, Value> | undefined;
    let at = 0;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      const v = this.evalExpr(a.value, scope);
      if (a.kind === 'pos') {
        if (at === 0) first = v;
        else if (at === 1) second = v;
        else third = v;
        at++;
      } else if (a.name) (keywords ??= new Map()).set(a.name, v);
    }
    const positional = positionalCount === 0 ? NO_POSITIONAL : positionalCount === 1 ? [first!] : positionalCount === 2 ? [first!, second!] : [first!, second!, third!];
    return { positional, keywords: keywords ?? NO_KEYWORDS };
  }

  /** The arguments of a call that unpacks (`*args`, `**kwargs`) or passes more than three positional ones. */
  private evalArgsUnpacking(args: readonly Arg[], scope: Scope): CallArgs {
    const positional: Value[] = [];
    let keywords: Map<string, Value> | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      const v = this.evalExpr(a.value, scope);
      if (a.kind === 'pos') positional.push(v);
      else if (a.kind === 'kw' && a.name) (keywords ??= new Map()).set(a.name, v);
      else if (a.kind === 'star') {
        const items = this.iterate(v, a.value.r);
        // An unknown *args (often a wrapper passing its arguments through) contributes nothing.
        if (items) appendAll(positional, items);
        else this.noteUnknown(`cannot unpack *${describe(v)}`, a.value.r);
      } else if (a.kind === 'dstar') {
        if (v.kind === 'dict') for (const e of v.entries.values()) if (e.key.kind === 'str') (keywords ??= new Map()).set(e.key.value, e.value);
      }
    }
    // An array grown by push keeps room for 16 more items; the checks' facts keep every call's arguments, so
    // the call keeps an exact-size copy.
    return { positional: positional.length === 0 ? NO_POSITIONAL : positional.slice(), keywords: keywords ?? NO_KEYWORDS };
  }

  /**
   * One expression's value. Only the commonest cases are written here; the others are methods of their own, so
   * that V8 optimises this function again soon after a deoptimization: it waits for 3 + bytecode length / 150
   * ticks of the interrupt budget, and new code (a summary's library modules after the editor's files) deoptimizes
   * it. At 6,031 bytes of bytecode it was optimised again only at the bench's ninth warm ResNet-50 summary; at 776,
   * before the first.
   */
  evalExpr(e: Expr, scope: Scope): Value {
    this.tick();
    switch (e.k) {
      case 'name':
        return this.lookup(e.id, scope, e.r);
      case 'num':
        return e.isInt ? int(e.value) : float(e.value);
      case 'str':
        return str(e.value);
      case 'const':
        return e.value === 'None' ? NONE : e.value === 'True' ? bool(true) : e.value === 'False' ? bool(false) : ELLIPSIS;
      case 'attr':
        return this.getAttr(this.evalExpr(e.obj, scope), e.name, e.r);
      case 'sub':
        return this.evalSubscript(e, scope);
      case 'call':
        return this.evalCall(e, scope);
      case 'bin': {
        const left = this.evalExpr(e.left, scope);
        const right = this.evalExpr(e.right, scope);
        const result = this.binary(e.op, left, right, e.r);
        if (!this.observer?.operation) return result;
        return this.observer.operation({ expr: e, file: this.currentFile, op: e.op, operands: [left, right], result }) ?? result;
      }
      case 'unary':
        return this.evalUnary(e, scope);
      case 'bool':
        return this.evalBoolOp(e, scope);
      case 'cmp':
        return this.evalCompare(e, scope);
      case 'tuple':
      case 'list':
      case 'set':
        return this.evalCollection(e, scope);
      default:
        return this.evalOtherExpr(e, scope);
    }
  }

  /** The expressions evalExpr leaves to one call (as execStmt does, see there). */
  private evalOtherExpr(e: Exclude<Expr, { k: 'name' | 'num' | 'str' | 'const' | 'attr' | 'sub' | 'call' | 'bin' | 'unary' | 'bool' | 'cmp' | 'tuple' | 'list' | 'set' }>, scope: Scope): Value {
    switch (e.k) {
      case 'fstr':
        return this.evalFstr(e, scope);
      case 'slice':
        return this.evalSlice(e, scope);
      case 'ifexp':
        return this.evalIfExp(e, scope);
      case 'lambda':
        return this.evalLambda(e, scope);
      case 'starred':
        return this.evalExpr(e.value, scope);
      case 'dict':
        return this.evalDict(e, scope);
      case 'comp':
        return this.comprehension(e, scope);
      case 'named': {
        const v = this.evalExpr(e.value, scope);
        this.assignName(e.target, v, scope);
        return v;
      }
      case 'unsupported':
        return this.noteUnknown(`unsupported expression: ${e.what}`, e.r);
    }
  }

  private evalFstr(e: Extract<Expr, { k: 'fstr' }>, scope: Scope): Value {
    // Python evaluates every part, even after one whose text is unknown.
    let out: string | undefined = '';
    for (const p of e.parts) {
      if (typeof p === 'string') out = out === undefined ? out : out + p;
      else {
        const s = pyStr(this.evalExpr(p.expr, scope));
        out = s === undefined || out === undefined ? undefined : out + s;
        if (s !== undefined && !this.allocate(s.length)) return this.tooLarge(e.r);
      }
    }
    return out === undefined ? unknown('f-string with an unknown value', e.r) : str(out);
  }

  private evalSubscript(e: Extract<Expr, { k: 'sub' }>, scope: Scope): Value {
    const obj = this.evalExpr(e.obj, scope);
    const index = this.evalExpr(e.index, scope);
    const result = this.getItem(obj, index, e.r);
    if (!this.observer?.operation || (obj.kind !== 'tensor' && obj.kind !== 'unknown')) return result;
    return this.observer.operation({ expr: e, file: this.currentFile, op: '[]', operands: [obj, index], result }) ?? result;
  }

  private evalSlice(e: Extract<Expr, { k: 'slice' }>, scope: Scope): Value {
    return {
      kind: 'slice',
      start: e.lower ? this.evalExpr(e.lower, scope) : NONE,
      stop: e.upper ? this.evalExpr(e.upper, scope) : NONE,
      step: e.step ? this.evalExpr(e.step, scope) : NONE,
    };
  }

  private evalCall(e: Extract<Expr, { k: 'call' }>, scope: Scope): Value {
    if (e.fn.k === 'name' && e.fn.id === 'super' && e.args.length === 0) {
      const cls = this.lookup('__class__', scope, e.r);
      const self = this.lookup('__self__', scope, e.r);
      if (cls.kind !== 'class') return this.noteUnknown('super() outside a method', e.r);
      return { kind: 'super', self, after: cls };
    }
    // The receiver of `obj.method(...)` is evaluated once and kept for the observer.
    const receiver = e.fn.k === 'attr' ? this.evalExpr(e.fn.obj, scope) : undefined;
    const fn = e.fn.k === 'attr' ? this.getAttr(receiver!, e.fn.name, e.fn.r) : this.evalExpr(e.fn, scope);
    if (fn.kind === 'builtin' && e.args.length === 0 && SCOPE_VIEWS.has(fn.name)) return this.scopeDict(fn.name, scope);
    const args = this.evalArgs(e.args, scope);
    if (fn.kind === 'builtin' && fn.name === 'super' && args.positional.length === 2 && args.positional[0]!.kind === 'class') {
      return { kind: 'super', self: args.positional[1]!, after: args.positional[0] as ClassV };
    }
    const result = this.call(fn, args, e.r);
    if (!this.observer?.call) return result;
    return this.observer.call({ expr: e, file: this.currentFile, callee: fn, receiver, args, result }) ?? result;
  }

  private evalUnary(e: Extract<Expr, { k: 'unary' }>, scope: Scope): Value {
    const v = this.evalExpr(e.operand, scope);
    if (e.op === 'not') {
      const t = truthy(v);
      return t === undefined ? unknown('truth value depends on unknown values', e.r) : bool(!t);
    }
    if (v.kind === 'tensor') {
      const result = this.torch.unaryTensor(e.op, v, e.r);
      return this.observer?.operation?.({ expr: e, file: this.currentFile, op: e.op, operands: [v], result }) ?? result;
    }
    if (e.op === '+') return v;
    const d = asDim(v);
    if (e.op === '-') {
      if (d !== undefined) return int(dims.sub(0, d));
      if (v.kind === 'float') return float(-v.value);
    }
    if (e.op === '~' && typeof d === 'number') return int(~d);
    if (v.kind !== 'unknown') return unknown(`unary ${e.op} on ${describe(v)}`, e.r);
    // A negated unknown is another value for the observer (the sign of a loss term is a fact).
    return this.observer?.operation?.({ expr: e, file: this.currentFile, op: e.op, operands: [v], result: v }) ?? v;
  }

  private evalBoolOp(e: Extract<Expr, { k: 'bool' }>, scope: Scope): Value {
    const left = this.evalExpr(e.left, scope);
    const t = truthy(left);
    if (t === undefined) {
      const right = (): Value => this.evalExpr(e.right, scope);
      const condition = this.conditionText(e.left);
      return e.op === 'and' ? this.undecidedValue(condition, e.left.r, right, () => left) : this.undecidedValue(condition, e.left.r, () => left, right);
    }
    if (e.op === 'and') return t ? this.evalExpr(e.right, scope) : left;
    return t ? left : this.evalExpr(e.right, scope);
  }

  private evalCompare(e: Extract<Expr, { k: 'cmp' }>, scope: Scope): Value {
    const left = this.evalExpr(e.left, scope);
    const right = this.evalExpr(e.right, scope);
    const result = this.compare(e.op, left, right, e.r);
    // The observer sees comparisons of tensors (a hand-written dropout mask is `rand_like(x) > p`).
    if (!this.observer?.operation || ![left, right].some((v) => v.kind === 'tensor' || v.kind === 'unknown')) return result;
    return this.observer.operation({ expr: e, file: this.currentFile, op: e.op, operands: [left, right], result }) ?? result;
  }

  private evalIfExp(e: Extract<Expr, { k: 'ifexp' }>, scope: Scope): Value {
    const t = truthy(this.evalExpr(e.test, scope));
    if (t === undefined) return this.undecidedValue(this.conditionText(e.test), e.test.r, () => this.evalExpr(e.body, scope), () => this.evalExpr(e.orelse, scope));
    return t === false ? this.evalExpr(e.orelse, scope) : this.evalExpr(e.body, scope);
  }

  private evalLambda(e: Extract<Expr, { k: 'lambda' }>, scope: Scope): Value {
    return new DefinedFunction('<lambda>', e.params, this.evalDefaults(e.params, scope), scope.kind === 'class' ? (scope.parent ?? scope) : scope, undefined, false, e.r, e.body);
  }

  private evalCollection(e: Extract<Expr, { k: 'tuple' | 'list' | 'set' }>, scope: Scope): Value {
    const items: Value[] = [];
    for (let i = 0; i < e.items.length; i++) {
      const item = e.items[i]!;
      if (item.k === 'starred') {
        const v = this.evalExpr(item.value, scope);
        const inner = this.iterate(v, item.r);
        if (inner) appendAll(items, inner);
        else items.push(this.noteUnknown(`cannot unpack ${describe(v)}`, item.r));
      } else items.push(this.evalExpr(item, scope));
    }
    if (e.k === 'tuple') return tupleV(items);
    return listV(e.k === 'set' ? dedupe(items) : items);
  }

  private evalDict(e: Extract<Expr, { k: 'dict' }>, scope: Scope): Value {
    const d = this.newDict();
    for (let i = 0; i < e.items.length; i++) {
      const item = e.items[i]!;
      const v = this.evalExpr(item.value, scope);
      if (!item.key) {
        if (v.kind === 'dict') for (const [k, entry] of v.entries) d.entries.set(k, entry);
        continue;
      }
      const key = this.evalExpr(item.key, scope);
      d.entries.set(keyOf(key), { key, value: v });
    }
    return d;
  }

  /** `locals()` / `vars()` (a copy of the running function's variables) and `globals()` (the module's, live). */
  private scopeDict(which: string, scope: Scope): Value {
    if (which === 'globals') {
      // The dict lists every name: imports not loaded yet are loaded now.
      for (const [n, load] of this.pendingImports.get(scope.globals) ?? []) {
        const v = scope.globals.vars.has(n) ? undefined : load();
        if (v) scope.globals.vars.set(n, v);
      }
      return { kind: 'dict', entries: new AttributeDictView(scope.globals.vars) };
    }
    const own = [...scope.vars].filter(([k]) => k !== '__class__' && k !== '__self__');
    return this.newDict(own.map(([k, v]) => [keyOf(str(k)), { key: str(k), value: v }]));
  }

  private comprehension(e: Extract<Expr, { k: 'comp' }>, scope: Scope): Value {
    const inner = scopeV('function', this.map('values'), scope, scope.globals, scope.file);
    const items: Value[] = [];
    const d = this.newDict();
    let failed: Value | undefined;
    const run = (clauses: readonly CompClause[]): void => {
      if (failed) return;
      const [first, ...rest] = clauses;
      if (!first) {
        if (e.kind === 'dict' && e.key) {
          const key = this.evalExpr(e.key, inner);
          d.entries.set(keyOf(key), { key, value: this.evalExpr(e.elt, inner) });
        } else items.push(this.evalExpr(e.elt, inner));
        return;
      }
      if (first.k === 'if') {
        const t = truthy(this.evalExpr(first.test, inner));
        if (t === true) run(rest);
        else if (t === undefined) {
          // The item is kept, and modules among what it adds are marked "only if" the filter holds.
          this.assumptions.push(this.conditionText(first.test));
          const from = items.length;
          const side: Side = { assumption: this.assumption, firstId: this.nextId };
          try {
            run(rest);
          } finally {
            for (const item of items.slice(from)) markOnlyIf(this, item, side);
            this.assumptions.pop();
          }
        }
        return;
      }
      const iterable = this.evalExpr(first.iter, inner);
      const values = this.iterate(iterable, e.r);
      if (!values) {
        failed = this.noteUnknown(`cannot iterate over ${describe(iterable)}`, e.r);
        // Explore mode: the element still runs once on an unknown item (a model called per batch).
        if (this.observer?.explore) {
          this.observer.loopIteration?.(e, 0, this.currentFile);
          try {
            this.assign(first.target, unknown(`an item of ${describe(iterable)}`, first.iter.r), inner);
            const kept = failed;
            failed = undefined;
            const before = items.length;
            run(rest);
            // The unknown result remembers the items this explored run computed (their provenance).
            failed = this.observer.operation?.({ expr: e, file: this.currentFile, op: 'comprehension', operands: items.slice(before), result: kept }) ?? kept;
          } finally {
            this.observer.loopExit?.(e, this.currentFile);
          }
        }
        return;
      }
      for (const v of values) {
        this.checkClock();
        this.assign(first.target, v, inner);
        run(rest);
      }
    };
    run(e.clauses);
    if (failed) return failed;
    if (e.kind === 'dict') return d;
    if (e.kind === 'set') return listV(dedupe(items));
    if (e.kind !== 'gen') return listV(items);
    const generator = tupleV(items);
    this.generatorExpressions.add(generator);
    return generator;
  }

  binary(op: string, a: Value, b: Value, range: Range): Value {
    if (a.kind === 'tensor' || b.kind === 'tensor') return this.torch.binaryTensor(op, a, b, range);
    if (!this.allocate(resultCells(op, a, b))) return this.tooLarge(range);
    if (op === '%' && a.kind === 'str') return formatPercent(a.value, b);
    if (op === '|' && a.kind === 'dict' && b.kind === 'dict') return this.newDict([...a.entries, ...b.entries]);
    if (a.kind === 'object' || a.kind === 'class') {
      const dunder = this.getAttr(a, BINARY_DUNDER[op] ?? '__unknown__', range, true);
      if (dunder.kind !== 'unknown') return this.call(dunder, { positional: [b], keywords: new Map() }, range);
    }
    const out = scalarBinary(op, a, b, range);
    if (out) return out;
    if (a.kind === 'unknown') return a;
    return unknown(`operator ${op} on ${describe(a)} and ${describe(b)}`, range);
  }

  compare(op: string, a: Value, b: Value, range: Range): Value {
    if (op === 'is' || op === 'is not') {
      const same = identical(a, b);
      if (same === undefined) return unknown('identity of unknown values', range);
      return bool(op === 'is' ? same : !same);
    }
    if (op === 'in' || op === 'not in') {
      const found = this.contains(b, a, range);
      if (found === undefined) return unknown('membership of unknown values', range);
      return bool(op === 'in' ? found : !found);
    }
    if ((a.kind === 'tensor' || b.kind === 'tensor') && op !== '==' && op !== '!=') return this.torch.binaryTensor(op, a, b, range);
    if (a.kind === 'tensor' || b.kind === 'tensor') return this.torch.binaryTensor(op, a, b, range);
    if (op === '==' || op === '!=') {
      const eq = valuesEqual(a, b);
      if (eq === undefined) return unknown('comparison of unknown values', range);
      return bool(op === '==' ? eq : !eq);
    }
    const r = compareOrder(op, a, b);
    return r === undefined ? unknown('comparison of unknown values', range) : bool(r);
  }

  contains(container: Value, item: Value, range: Range): boolean | undefined {
    if (container.kind === 'dict') return container.entries.has(keyOf(item));
    if (container.kind === 'str' && item.kind === 'str') return container.value.includes(item.value);
    if (container.kind === 'object' && container.module) {
      const keys = this.iterate(container, range);
      if (keys) return keys.some((k) => valuesEqual(k, item) === true);
    }
    const items = this.iterate(container, range);
    if (!items) return undefined;
    let sawUnknown = false;
    for (const x of items) {
      const eq = valuesEqual(x, item);
      if (eq === true) return true;
      if (eq === undefined) sawUnknown = true;
    }
    return sawUnknown ? undefined : false;
  }

  getItem(obj: Value, idx: Value, range: Range): Value {
    switch (obj.kind) {
      case 'tuple':
      case 'list': {
        if (idx.kind === 'slice') {
          const picked = this.allocate(obj.items.length) ? sliceItems(obj.items, idx) : undefined;
          if (!picked) return this.cellsLeft === 0 ? this.tooLarge(range) : unknown('slice with unknown bounds', range);
          return obj.kind === 'tuple' ? tupleV(picked) : listV(picked);
        }
        const i = asDim(idx);
        if (typeof i !== 'number') return unknown(`index ${describe(idx)} is not a known int`, range);
        const at = i < 0 ? obj.items.length + i : i;
        const v = obj.items[at];
        if (v === undefined) this.raise(`index ${i} out of range for length ${obj.items.length}`, range, 'IndexError');
        return v;
      }
      case 'str': {
        if (idx.kind === 'slice') {
          const picked = sliceItems([...obj.value], idx);
          return picked ? str(picked.join('')) : unknown('string slice with unknown bounds', range);
        }
        const i = asDim(idx);
        if (typeof i !== 'number') return unknown(`string index ${describe(idx)} is not a known int`, range);
        const c = obj.value.at(i);
        if (c === undefined) this.raise('string index out of range', range, 'IndexError');
        return str(c);
      }
      case 'dict': {
        const e = obj.entries.get(keyOf(idx));
        if (e) return e.value;
        if (idx.kind === 'unknown') return idx;
        if (obj.defaultFactory) {
          const value = this.call(obj.defaultFactory, { positional: NO_POSITIONAL, keywords: NO_KEYWORDS }, range);
          obj.entries.set(keyOf(idx), { key: idx, value });
          return value;
        }
        // A dict filled under unknown keys may hold this one.
        if ([...obj.entries.values()].some((x) => x.key.kind === 'unknown')) return unknown('a value of a dict with unknown keys', range);
        this.raise(`KeyError ${pyStr(idx) ?? describe(idx)}`, range, 'KeyError');
        break;
      }
      case 'tensor':
        return this.torch.indexTensor(obj, idx, range);
      case 'range': {
        const i = asDim(idx);
        const n = rangeLength(obj.start, obj.stop, obj.step);
        if (typeof i === 'number') return int(obj.start + (i < 0 ? n + i : i) * obj.step);
        return unknown('range index', range);
      }
      case 'class': {
        if (obj.enumMembers && idx.kind === 'str') return obj.enumMembers.get(idx.value) ?? this.noteUnknown(`no member ${idx.value}`, range);
        // Generic aliases (`List[int]`, `Optional[nn.Module]`) are annotations: keep the class.
        return obj;
      }
      case 'object': {
        const getitem = this.getAttr(obj, '__getitem__', range, true);
        if (getitem.kind !== 'unknown') return this.call(getitem, { positional: [idx], keywords: new Map() }, range);
        return this.noteUnknown(`${obj.cls.name} object is not subscriptable`, range);
      }
      case 'unknown':
        return obj;
      case 'namespace':
      case 'builtin':
        // typing constructs such as Optional[...] or Callable[...].
        return obj;
      default:
        return unknown(`cannot index ${describe(obj)}`, range);
    }
    return unknown('index', range);
  }

  /**
   * The items of an iterable, or undefined when they cannot be known. The copy it returns is charged to the
   * size budget (strings and ranges become lists of values here); past it, undefined with the reason noted.
   */
  iterate(v: Value, range: Range): Value[] | undefined {
    // A copy whose size is known is charged before it is made: a list past the budget (doubled by `x.extend(x)` in a
    // loop) would otherwise be copied whole on every pass only to be refused, until the time budget ends.
    const cells = iterationCells(v);
    if (cells !== undefined && !(cells <= this.cellsLeft)) {
      this.allocate(cells);
      this.tooLarge(range);
      return undefined;
    }
    const items = this.iterateUncharged(v, range);
    if (items && !this.allocate(v.kind === 'str' ? STR_ITEM_CELLS * items.length : items.length)) {
      this.tooLarge(range);
      return undefined;
    }
    return items;
  }

  private iterateUncharged(v: Value, range: Range): Value[] | undefined {
    switch (v.kind) {
      case 'tuple': {
        // A generator expression next() took items from goes on after them, and is then exhausted (Python's
        // `next(g); sum(g); list(g)` gives the rest, then nothing).
        const taken = this.generatorPositions.get(v);
        if (taken === undefined) return [...v.items];
        const at = asNumber(taken);
        if (at === undefined) return undefined;
        this.generatorPositions.set(v, int(v.items.length));
        return v.items.slice(at);
      }
      case 'list':
        return [...v.items];
      case 'str':
        if (v.value.length > MAX_ITERATIONS) return undefined;
        return [...v.value].map((c) => str(c));
      case 'dict':
        return [...v.entries.values()].map((e) => e.key);
      case 'range': {
        const n = rangeLength(v.start, v.stop, v.step);
        if (n > MAX_ITERATIONS) return undefined;
        return Array.from({ length: n }, (_, i) => int(v.start + i * v.step));
      }
      case 'class':
        return v.enumMembers ? [...v.enumMembers.values()] : undefined;
      case 'object': {
        if (v.module) {
          const iter = this.torch.getModuleAttr(v, '__iter__');
          if (iter) {
            const out = this.call(iter, { positional: NO_POSITIONAL, keywords: NO_KEYWORDS }, range);
            return out.kind === 'list' || out.kind === 'tuple' ? [...out.items] : undefined;
          }
        }
        const iter = this.findClassAttr(v.cls, '__iter__');
        if ((iter?.kind === 'function' && !iter.isGenerator) || iter?.kind === 'builtin') return this.iterate(this.call(iter, { positional: [v], keywords: new Map() }, range), range);
        return undefined;
      }
      case 'tensor': {
        const first = v.shape?.[0];
        if (typeof first === 'number' && first <= 10_000) {
          return Array.from({ length: first }, (_, i) => this.torch.indexTensor(v, int(i), range));
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Imports.

  /** Imports `name` (dotted) at `level` dots relative to the current file. */
  importModule(name: string, level: number, scope: Scope, range: Range, quiet = false, lazy = false): Value {
    // A model library's own source in the workspace (a clone of torchvision or timm) wins over the built-in
    // stub; everything else built-in first.
    const preferFiles = level === 0 && SOURCE_FIRST_PACKAGES.has(name.split('.')[0]!);
    if (level === 0 && !preferFiles) {
      const builtinNs = this.torch.importTorch(name);
      if (builtinNs) return builtinNs;
    }
    for (const path of this.submoduleOfModelledPackage(name, level, preferFiles) ? [] : this.moduleCandidates(name, level, scope.file)) {
      const cached = this.moduleCache.get(path);
      if (cached) return cached;
      const text = this.readFile(path);
      if (text === undefined) continue;
      const late = Date.now() > this.deadline;
      if (late || text.length > this.importCharsLeft) {
        this.budgetSpent = true;
        this.timeSpent ||= late;
        return this.noteUnknown(`import of ${path} skipped: the analysis budget for imported files is spent`, range);
      }
      this.importCharsLeft -= text.length;
      return lazy ? this.lazyModule(path, text) : this.loadFile(path, text);
    }
    if (preferFiles) {
      const builtinNs = this.torch.importTorch(name);
      if (builtinNs) return builtinNs;
    }
    if (level === 0 && this.torch.importTorch(name.split('.')[0]!) === undefined && PYTHON_STDLIB_LIKE.test(name)) {
      // Optional dependencies (`try: import apex` / `except ImportError:`): a package that is neither in
      // the workspace nor modelled takes the fallback the code provides; elsewhere it is unknown.
      if (this.importFallbacks > 0 && !PYTHON_STDLIB.has(name.split('.')[0]!)) this.raise(`No module named '${name}'`, range, 'ModuleNotFoundError');
      return quiet ? unknown(`module ${name} is not modelled`, range) : this.noteUnknown(`module ${name} is not found or not modelled`, range);
    }
    if (level > 0 && name === '') {
      // `from . import x`: the package itself; names are resolved as submodules.
      const dir = parentDir(scope.file, level);
      return namespaceV({ name: dir, get: () => undefined });
    }
    return quiet ? unknown(`module ${'.'.repeat(level)}${name} not found`, range) : this.noteUnknown(`module ${'.'.repeat(level)}${name} not found`, range);
  }

  /**
   * Whether an import statement may bind its names now and load the module on first use: at module level,
   * outside `try` bodies that catch ImportError and outside undecided branches, for modules read from files
   * (the built-in torch, NumPy and standard-library models cost nothing to import). A plain `import m` (its
   * bound name given) that the file never mentions again runs at once, as Python runs it: it is there for what
   * the module does when it runs (`import models  # registers them`), and a registry it fills may be read through
   * another module's function (`build('resnet')`) that nothing would make load it. A package's `__init__.py`
   * re-exports, and `from m import name` binds names to use: those stay deferred.
   */
  private mayDeferImport(module: string, level: number, scope: Scope, bound?: string): boolean {
    if (scope.kind !== 'module' || this.importFallbacks > 0 || this.journal.active || this.speculating) return false;
    if (!(level > 0 || SOURCE_FIRST_PACKAGES.has(module.split('.')[0]!) || this.torch.importTorch(module) === undefined)) return false;
    if (bound === undefined || /(^|\/)__init__\.py$/.test(scope.file)) return true;
    const text = this.moduleTexts.get(scope.file);
    // The import statement names it once; a file whose text is not known keeps its imports deferred.
    if (text === undefined) return true;
    // A second mention is enough to know: the search stops there instead of listing every mention in the file.
    const mentions = mentionsOf(bound);
    return mentions.exec(text) !== null && mentions.exec(text) !== null;
  }

  private pendingBindings(scope: Scope): Map<string, () => Value | undefined> {
    let pending = this.pendingImports.get(scope);
    if (!pending) this.pendingImports.set(scope, (pending = new Map()));
    return pending;
  }

  /** `from m import a, b as c` at module level: each name is looked up in `m` (loading it) on first use. */
  private deferFromImport(stmt: Extract<Stmt, { k: 'from' }>, names: readonly { readonly name: string; readonly asName?: string }[], scope: Scope): void {
    const pending = this.pendingBindings(scope);
    for (const n of names) {
      const bound = n.asName ?? n.name;
      scope.vars.delete(bound);
      // In a record, not a closure's variable, so that a kept session can put it back (keepingAside).
      const binding: { value: Value | undefined } = { value: undefined };
      let loading = false;
      pending.set(bound, () => {
        // Asked again while its own import runs (`from pkg import sub` in pkg/__init__.py): not bound yet, as in Python.
        if (binding.value || loading) return binding.value;
        this.beforeImportLoad();
        loading = true;
        try {
          const value = this.replayingLoad(binding, () =>
            this.loadingModule(scope.file, () => {
              try {
                return this.importedName(stmt, n.name, this.importModule(stmt.module, stmt.level, scope, stmt.r), scope);
              } catch (e) {
                if (!(e instanceof PyRaise)) throw e;
                return this.noteUnknown(`raised at module level: ${e.message}`, e.range ?? stmt.r);
              }
            }),
          );
          this.keepingAside(binding);
          binding.value = value;
        } finally {
          loading = false;
        }
        return binding.value;
      });
    }
  }

  /** The value `from m import name` binds, `m` being loaded. */
  private importedName(stmt: Extract<Stmt, { k: 'from' }>, name: string, mod: Value, scope: Scope): Value {
    if (stmt.level === 0 && this.torch.absentFromRelease(stmt.module, name)) this.raise(`cannot import name '${name}' from '${stmt.module}'`, stmt.r, 'ImportError');
    const v = this.getAttr(mod, name, stmt.r, true);
    if (v.kind !== 'unknown') return v;
    // `from pkg import submodule` imports a module file, run when first used: a package's __init__ that
    // imports all its submodules (torchvision's datasets, io, ...) costs nothing for a model that uses none of them.
    const sub = this.importModule(stmt.module ? `${stmt.module}.${name}` : name, stmt.level, scope, stmt.r, true, true);
    return sub.kind !== 'unknown' ? sub : v;
  }

  /**
   * Loads a module on first use, wherever that happens (inside a model's forward, on one side of an undecided
   * condition, inside a `try`): as a module-level import runs, not recorded as the model's calls, not undone
   * with the branch, with that module's own file for diagnostics.
   */
  private loadingModule<T>(file: string, load: () => T): T {
    const saved = { file: this.currentFile, fallbacks: this.importFallbacks, assumptions: this.assumptions.splice(0), returns: this.pendingReturns, recording: this.torch.recording, assignments: this.recordAssignments, deferral: this.importLoadsDeferred };
    this.currentFile = file;
    this.importLoadsDeferred = false;
    this.importFallbacks = 0;
    this.pendingReturns = [];
    this.torch.recording = false;
    this.recordAssignments = false;
    try {
      return this.journal.outside(load);
    } finally {
      this.currentFile = saved.file;
      this.importFallbacks = saved.fallbacks;
      this.assumptions.push(...saved.assumptions);
      this.pendingReturns = saved.returns;
      this.torch.recording = saved.recording;
      this.recordAssignments = saved.assignments;
      this.importLoadsDeferred = saved.deferral;
    }
  }

  /**
   * A module load on first use (`load`, whose result `site` keeps), replayed in a kept session's run that reaches
   * it in the state an earlier run recorded it from: the same counters and log lengths, the same module cache,
   * the same contents in every container the run has changed so far (the rest of the state is the module
   * level's, the same in every run), and the same texts in the files it read. The replay leaves what the load
   * left: the ids it gave (its objects are the recorded ones, with those ids), its diagnostics, its modules.
   * A load is recorded only if it changed nothing that existed before it but the module cache and the logs, and
   * left only values whose changes the journal records; later changes to them are put back after each run.
   */
  private replayingLoad<T extends Value>(site: object, load: () => T): T {
    const replays = this.loadReplays;
    const changed = replays && !this.journal.active ? this.journal.keptContents() : undefined;
    if (!replays || !changed) return load();
    const before = this.loadPoint(replays);
    const recorded = replays.loads.get(site);
    if (
      recorded &&
      samePoint(recorded.before, before) &&
      sameContents(recorded.modules, this.moduleCache) &&
      recorded.changed.length === changed.length &&
      recorded.changed.every(([target, contents], i) => changed[i]![0] === target && sameContents(contents, changed[i]![1])) &&
      [...recorded.reads].every(([path, text]) => this.readFile(path) === text)
    ) {
      this.replay(recorded);
      return recorded.value as T;
    }
    const modules = copyContents(this.moduleCache);
    const readFile = this.readFile;
    const reads = new Map<string, string | undefined>();
    this.readFile = (path) => {
      const text = readFile(path);
      reads.set(path, text);
      return text;
    };
    let value: T;
    try {
      value = load();
    } finally {
      this.readFile = readFile;
    }
    const after = this.loadPoint(replays);
    const changedAfter = this.journal.keptContents()!;
    const leftTheRest =
      changedAfter.length === changed.length && changed.every(([target, contents], i) => changedAfter[i]![0] === target && sameContents(contents, changedAfter[i]![1]));
    const added = [...this.moduleCache].filter(([path, m]) => (modules as Map<string, NamespaceV>).get(path) !== m).map(([, m]) => m);
    const leftTheLogs = after.assignments === before.assignments && after.statements === before.statements && after.loopIterations === before.loopIterations && after.frames === before.frames;
    if (leftTheRest && leftTheLogs && sameValues(before.torch, after.torch) && replays.mayKeep([value, ...added])) {
      replays.loads.set(site, {
        before,
        after,
        changed,
        modules,
        reads,
        modulesAfter: copyContents(this.moduleCache),
        textsAfter: copyContents(this.moduleTexts),
        unknowns: this.diagnostics.unknowns.slice(before.unknowns),
        errors: this.diagnostics.errors.slice(before.errors),
        value,
      });
      this.journal.keepAlso(site, before.nextId, after.nextId);
    }
    return value;
  }

  /** The counters and log lengths a load may read or change. */
  private loadPoint(replays: LoadReplays): LoadPoint {
    return { ...this.counters(), depth: this.depth, speculating: this.speculating, moduleTexts: this.moduleTexts.size, torch: replays.torchState() };
  }

  /** Leaves what a recorded load left (its loads were checked to start from this state). */
  private replay(load: RecordedLoad): void {
    this.setCounters(load.after);
    this.diagnostics.unknowns.push(...load.unknowns);
    this.diagnostics.errors.push(...load.errors);
    restoreContents(this.moduleCache, load.modulesAfter);
    restoreContents(this.moduleTexts, load.textsAfter);
  }

  /** A module whose file is parsed and run on first use of one of its names. */
  private lazyModule(path: string, text: string): NamespaceV {
    const module: { loaded: NamespaceV | undefined } = { loaded: undefined };
    const load = (): NamespaceV => {
      if (module.loaded) return module.loaded;
      this.beforeImportLoad();
      const loaded = this.replayingLoad(module, () => this.loadingModule(path, () => this.loadFile(path, text)));
      this.keepingAside(module);
      return (module.loaded = loaded);
    };
    const lazy = namespaceV({
      name: path,
      get: (n) => load().get(n),
      set: (n, v) => load().set?.(n, v),
      names: () => load().names?.() ?? [],
      complete: true,
      pending: (n) => load().pending?.(n),
    });
    this.moduleCache.set(path, lazy);
    return lazy;
  }

  loadFile(path: string, text: string): NamespaceV {
    const scope = this.newModuleScope(path);
    const ns = this.namespaceOf(path, scope);
    this.moduleCache.set(path, ns);
    this.execModule(this.parse(text), scope, text);
    return ns;
  }

  /**
   * `inspect.signature` or `types.ModuleType` asked for as a module (`from inspect import signature` when the
   * model of `inspect` lacks the name): Python looks for it inside the package the analysis models, never in the
   * workspace, so no file is read (each try is a failed read of a path in every ancestor folder).
   */
  private submoduleOfModelledPackage(name: string, level: number, preferFiles: boolean): boolean {
    const top = name.split('.')[0]!;
    return level === 0 && !preferFiles && top !== name && !ENVIRONMENT_PACKAGES.has(top) && this.torch.importTorch(top) !== undefined;
  }

  private moduleCandidates(name: string, level: number, file: string): string[] {
    const rel = name.split('.').filter(Boolean).join('/');
    const bases: string[] = [];
    if (level > 0) bases.push(parentDir(file, level));
    else {
      // Absolute imports: the file's folder and its ancestors (the workspace or package root).
      let dir = parentDir(file, 1);
      for (let i = 0; i < 6; i++) {
        bases.push(dir);
        const up = parentDir(dir + '/x', 2);
        if (up === dir) break;
        dir = up;
      }
    }
    // Model libraries the user has installed are read from the environment, after the workspace's own copy.
    if (level === 0 && ENVIRONMENT_PACKAGES.has(name.split('.')[0]!)) bases.push(...this.sitePackages);
    const out: string[] = [];
    // Other libraries' internals (PIL, requests, numpy's own sources) are never read: a library folder reached
    // by climbing from an installed package's file serves only the model libraries read from the environment.
    const fromEnvironment = level > 0 || ENVIRONMENT_PACKAGES.has(name.split('.')[0]!);
    for (const base of bases) {
      if (!fromEnvironment && (this.sitePackages.includes(base) || LIBRARY_FOLDERS.some((f) => base.endsWith(f)))) continue;
      const prefix = base === '' ? '' : `${base}/`;
      if (rel) out.push(`${prefix}${rel}.py`, `${prefix}${rel}/__init__.py`);
      else out.push(`${prefix}__init__.py`);
    }
    return out;
  }
}

/**
 * Mentions of a name as a name: not an attribute (`self.small`), not part of a longer word, not a string of its
 * own (a registry's key, `get('small')`). A mention in a comment or a longer string counts, which keeps the
 * import deferred, as before. One regular-expression scan per name: counting every word of torchvision's files
 * in cold code took 5-12 ms of a 170 ms run.
 */
const mentionsOf = (name: string): RegExp => new RegExp(`(?<![\\w.'"])${name}(?![\\w'"])`, 'g');

/**
 * The cells `iterate` charges for the items of a list, tuple, dict or range, known before they are copied
 * (undefined for other values, and for a range that `iterate` does not spell out).
 */
function iterationCells(v: Value): number | undefined {
  switch (v.kind) {
    case 'list':
    case 'tuple':
      return v.items.length;
    case 'dict':
      return v.entries.size;
    case 'range': {
      const n = rangeLength(v.start, v.stop, v.step);
      return n > MAX_ITERATIONS ? undefined : n;
    }
    default:
      return undefined;
  }
}

/** A list as it is now (lists are mutated in place later: `features.append(x)`); other values as they are. */
function snapshot(v: Value): Value {
  if (v.kind === 'list') return listV(v.items.map(snapshot));
  if (v.kind === 'tuple') return v.items.some((i) => i.kind === 'list') ? tupleV(v.items.map(snapshot)) : v;
  return v;
}

const ASSIGNED_NAMES = new WeakMap<readonly Stmt[], string[]>();

/** Names a block assigns (plain and unpacking targets, augmented assignments), nested blocks included, defs excluded. */
export function assignedNames(body: readonly Stmt[]): string[] {
  const cached = ASSIGNED_NAMES.get(body);
  if (cached) return cached;
  const names = new Set<string>();
  const addTarget = (t: Expr): void => {
    if (t.k === 'name') names.add(t.id);
    else if (t.k === 'tuple' || t.k === 'list') t.items.forEach(addTarget);
    else if (t.k === 'starred') addTarget(t.value);
  };
  const visit = (stmts: readonly Stmt[]): void => {
    for (const s of stmts) {
      if (s.k === 'assign') s.targets.forEach(addTarget);
      else if (s.k === 'aug') addTarget(s.target);
      else if (s.k === 'if') {
        s.branches.forEach((b) => visit(b.body));
        visit(s.orelse);
      } else if (s.k === 'for' || s.k === 'while') {
        visit(s.body);
        visit(s.orelse);
      } else if (s.k === 'with') visit(s.body);
      else if (s.k === 'try') {
        visit(s.body);
        s.handlers.forEach((h) => visit(h.body));
        visit(s.orelse);
        visit(s.finalbody);
      }
    }
  };
  visit(body);
  const out = [...names];
  ASSIGNED_NAMES.set(body, out);
  return out;
}

const PYTHON_STDLIB_LIKE = /^[a-z_][a-z0-9_.]*$/;
/** Builtins whose no-argument call reads the calling scope. */
const SCOPE_VIEWS = new Set(['locals', 'vars', 'globals']);
const ZERO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** One pass of a loop body as a branch: break and continue end the pass; return goes on. */
function loopPass(c: Completion): Completion {
  return c?.type === 'return' ? c : undefined;
}

/**
 * Installed packages whose model code is read from the environment's site-packages when the workspace has no
 * copy: their builders (torchvision.models.resnet50, torchaudio.models.wav2vec2_base) are Python over torch.
 * Other third-party packages (data loading, plotting, HTTP) stay unknown rather than being interpreted.
 */
const ENVIRONMENT_PACKAGES: ReadonlySet<string> = new Set(['torchvision', 'torchaudio', 'torchtext']);
/** Model libraries whose source, when the workspace or environment has it, is read before the built-in stub. */
const SOURCE_FIRST_PACKAGES: ReadonlySet<string> = new Set(['torchvision', 'timm']);
/** Folders Python installs libraries into. */
const LIBRARY_FOLDERS: readonly string[] = ['/site-packages', '/dist-packages'];

const sameValues = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** Whether two load points hold the same counters and log lengths, the torch runtime's among them. */
function samePoint(a: LoadPoint, b: LoadPoint): boolean {
  return (Object.keys(a) as (keyof LoadPoint)[]).every((key) => (key === 'torch' ? sameValues(a.torch, b.torch) : a[key] === b[key]));
}

/** The folder `level - 1` levels above the file's folder. */
function parentDir(file: string, level: number): string {
  const parts = file.split('/');
  parts.pop();
  for (let i = 1; i < level; i++) parts.pop();
  return parts.join('/');
}

const BINARY_DUNDER: Record<string, string> = { '+': '__add__', '-': '__sub__', '*': '__mul__', '/': '__truediv__', '@': '__matmul__', '|': '__or__' };

/** `...` is one shared constant, recognised by identity (tensor indexing expands it). */
export const ELLIPSIS: Value = { kind: 'str', value: '...' };
export const isEllipsis = (v: Value): boolean => v === ELLIPSIS;

/** A function's docstring as Python keeps it (its body's first statement, a string literal), or None. */
function docstringOf(fn: FunctionV): Value {
  const first = Array.isArray(fn.body) ? (fn.body as readonly Stmt[])[0] : undefined;
  return first?.k === 'expr' && first.value.k === 'str' ? str(first.value.value) : NONE;
}

export function describe(v: Value): string {
  switch (v.kind) {
    case 'object':
      return `a ${v.cls.name} object`;
    case 'class':
      return `class ${v.name}`;
    case 'unknown':
      return `an unknown value (${v.reason})`;
    case 'int':
      return 'an int';
    default:
      return `a ${v.kind}`;
  }
}

function describeException(v: Value): string {
  if (v.kind === 'object') {
    const args = v.attrs.get('args');
    const first = args?.kind === 'tuple' ? args.items[0] : undefined;
    return `${v.cls.name}: ${first ? pyStr(first) ?? '' : ''}`;
  }
  if (v.kind === 'class') return v.name;
  return pyStr(v) ?? 'exception';
}

function identical(a: Value, b: Value): boolean | undefined {
  if (a.kind === 'unknown' || b.kind === 'unknown') return undefined;
  if (a.kind === 'none' || b.kind === 'none') return a.kind === b.kind;
  if (a.kind === 'bool' && b.kind === 'bool') return a.value === b.value;
  if ((a.kind === 'str' || a.kind === 'int') && a.kind === b.kind) return valuesEqual(a, b);
  return a === b;
}

function dedupe(items: Value[]): Value[] {
  const seen = new Set<string>();
  return items.filter((v) => {
    const k = keyOf(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function sortValues(items: Value[]): void {
  items.sort((x, y) => {
    const a = asNumber(x);
    const b = asNumber(y);
    if (a !== undefined && b !== undefined) return a - b;
    if (x.kind === 'str' && y.kind === 'str') return x.value < y.value ? -1 : x.value > y.value ? 1 : 0;
    return 0;
  });
}

/**
 * An object's `__dict__` as a dict: reads and writes go to the object's attributes, so updating the
 * dict sets attributes (config objects do `self.__dict__.update(kwargs)`).
 */
class AttributeDictView extends Map<string, { key: Value; value: Value }> {
  constructor(private readonly attrs: Map<string, Value>) {
    super();
  }

  private static nameOf(key: string): string | undefined {
    return key.startsWith('t:') ? key.slice(2) : undefined;
  }

  override get size(): number {
    return this.attrs.size;
  }

  override get(key: string): { key: Value; value: Value } | undefined {
    const name = AttributeDictView.nameOf(key);
    const value = name === undefined ? undefined : this.attrs.get(name);
    return value === undefined ? undefined : { key: str(name!), value };
  }

  override has(key: string): boolean {
    const name = AttributeDictView.nameOf(key);
    return name !== undefined && this.attrs.has(name);
  }

  override set(_key: string, entry: { key: Value; value: Value }): this {
    // Only string keys name attributes (Python raises on others only when they are used as names).
    if (entry.key.kind === 'str') this.attrs.set(entry.key.value, entry.value);
    return this;
  }

  override delete(key: string): boolean {
    const name = AttributeDictView.nameOf(key);
    return name !== undefined && this.attrs.delete(name);
  }

  override clear(): void {
    this.attrs.clear();
  }

  override *entries(): MapIterator<[string, { key: Value; value: Value }]> {
    for (const [name, value] of this.attrs) yield [`t:${name}`, { key: str(name), value }];
  }

  override *keys(): MapIterator<string> {
    for (const name of this.attrs.keys()) yield `t:${name}`;
  }

  override *values(): MapIterator<{ key: Value; value: Value }> {
    for (const [name, value] of this.attrs) yield { key: str(name), value };
  }

  override [Symbol.iterator](): MapIterator<[string, { key: Value; value: Value }]> {
    return this.entries();
  }

  override forEach(fn: (value: { key: Value; value: Value }, key: string, map: Map<string, { key: Value; value: Value }>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}

function formatPercent(template: string, args: Value): Value {
  const values = args.kind === 'tuple' ? [...args.items] : [args];
  let i = 0;
  return str(template.replace(/%[-+ #0]*(?:[1-9]\d*)?(?:\.\d+)?[sdifr%]/g, (spec) => (spec.endsWith('%') ? '%' : pyStr(values[i++] ?? NONE) ?? '?')));
}

/** Python slice semantics over a list (numeric bounds only). */
export function sliceItems<T>(items: readonly T[], s: Extract<Value, { kind: 'slice' }>): T[] | undefined {
  const n = items.length;
  const num = (v: Value): number | null | undefined => (v.kind === 'none' ? null : (() => {
    const d = asDim(v);
    return typeof d === 'number' ? d : undefined;
  })());
  const step = num(s.step) ?? 1;
  const start = num(s.start);
  const stop = num(s.stop);
  if (start === undefined || stop === undefined || step === 0) return undefined;
  const norm = (x: number): number => (x < 0 ? Math.max(step < 0 ? -1 : 0, n + x) : Math.min(x, step < 0 ? n - 1 : n));
  const lo = start === null ? (step > 0 ? 0 : n - 1) : norm(start);
  const hi = stop === null ? (step > 0 ? n : -1) : norm(stop);
  const out: T[] = [];
  if (step > 0) for (let i = lo; i < hi; i += step) out.push(items[i]!);
  else for (let i = lo; i > hi; i += step) out.push(items[i]!);
  return out;
}

/** C3 linearization; falls back to depth-first order when the hierarchy is inconsistent. */
function linearize(cls: ClassV): ClassV[] {
  const seqs: ClassV[][] = [...cls.bases.map((b) => [...b.mro]), [...cls.bases]];
  const out: ClassV[] = [cls];
  for (let guard = 0; guard < 1000; guard++) {
    const nonEmpty = seqs.filter((s) => s.length > 0);
    if (nonEmpty.length === 0) return out;
    const head = nonEmpty.map((s) => s[0]!).find((h) => !nonEmpty.some((s) => s.indexOf(h) > 0));
    if (!head) break;
    out.push(head);
    for (const s of nonEmpty) if (s[0] === head) s.shift();
  }
  const dfs: ClassV[] = [cls];
  for (const b of cls.bases) for (const c of b.mro) if (!dfs.includes(c)) dfs.push(c);
  return dfs;
}

export type { Value };
