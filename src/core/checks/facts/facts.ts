// The semantic model the checks query: built once per file from the interpreter's recorded evaluation.
// It answers which value is a model, an optimizer (and the parameters it owns), a loss, a loader; which
// loops train and which evaluate; and, per optimizer and per model object, where gradients are zeroed,
// stepped, clipped, where modes switch and where autograd is off. Rules are small queries over it.
import type { Expr, FunctionDef, Module, Stmt } from '../../python/ast';
import type { TensorValue } from '../../values';
import type { ObjectV, Value } from '../../interp/values';
import type { LibraryObjectInfo } from '../../interp/library';
import { libraryClassOf, libraryObjectOf } from '../../interp/library';
import type { DrivenFile } from './drive';
import type { EventContext, FunctionFrame, LoopFrame, RecordedCall, RecordedEvent, RecordedOperation } from './recorder';

/** A loop iteration as events see it: one run of a loop statement, one iteration index. */
export interface Iteration {
  readonly loop: LoopFrame;
}

export const sameIteration = (a: LoopFrame, b: LoopFrame): boolean => a.stmt === b.stmt && a.run === b.run && a.iteration === b.iteration;
export const sameRun = (a: LoopFrame, b: LoopFrame): boolean => a.stmt === b.stmt && a.run === b.run;

/** True when the event ran inside this iteration of the loop. */
export const inIteration = (e: { readonly context: EventContext }, loop: LoopFrame): boolean => e.context.loops.some((l) => sameIteration(l, loop));
export const inRun = (e: { readonly context: EventContext }, loop: LoopFrame): boolean => e.context.loops.some((l) => sameRun(l, loop));

const BACKWARD_BUILTINS = new Set(['torch.autograd.backward']);

/**
 * The recorded events grouped the ways rules ask for them, built in one pass on first use and shared by every
 * rule of a check unit: each list keeps execution order and holds exactly what a filter of every event would.
 */
interface EventIndex {
  /** Events and calls of the checked file's own code. */
  readonly local: RecordedEvent[];
  readonly localCalls: RecordedCall[];
  /** Operations by operator. */
  readonly operations: Map<string, RecordedOperation[]>;
  /** Calls by method or own name (`methodOf`). */
  readonly named: Map<string, RecordedCall[]>;
  /** Calls of builtins by qualified name. */
  readonly builtins: Map<string, RecordedCall[]>;
  /** Calls of a class (constructions), and the first construction that returned each value. */
  readonly constructions: RecordedCall[];
  readonly constructed: Map<Value, RecordedCall>;
  /** Calls whose callee is an object (a module, a callable instance) or a value the analysis does not know. */
  readonly valueCalls: RecordedCall[];
  /** Calls that returned an object (a module, an optimizer, a loader). */
  readonly objectResults: RecordedCall[];
  /** Events taking a list or a tuple (as an operand, a positional argument or the receiver). */
  readonly sequenceInputs: RecordedEvent[];
}

const isSequence = (v: Value | undefined): boolean => v?.kind === 'list' || v?.kind === 'tuple';

function pushTo<K, T>(map: Map<K, T[]>, key: K, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

/** Several execution-ordered lists as one, in execution order, each event once. */
export function inOrder<T extends RecordedEvent>(lists: readonly (readonly T[])[]): readonly T[] {
  const present = lists.filter((l) => l.length > 0);
  if (present.length <= 1) return present[0] ?? [];
  const merged = present.flat().sort((a, b) => a.seq - b.seq);
  return merged.filter((e, i) => i === 0 || merged[i - 1] !== e);
}
const NO_GRAD_BUILTINS = new Set(['no_grad', 'inference_mode']);

export class CheckFacts {
  readonly events: readonly RecordedEvent[];
  readonly calls: readonly RecordedCall[];
  /** Events by expression: built on first use (few files ask). */
  private byExpr: Map<Expr, RecordedEvent[]> | undefined;
  private readonly parentCache = new Map<object, Map<Expr, readonly Stmt[]>>();
  /** Per function (or the module), its expressions by start position: the first one in `statementParents` order. */
  private readonly startCache = new Map<object, Map<string, Expr>>();
  private readonly paramCache = new WeakMap<ObjectV, Set<TensorValue>>();
  /** A module's named submodules (itself first) and the set of them: the module tree is final once the evaluation ran. */
  private readonly namedModuleCache = new Map<ObjectV, readonly (readonly [string, ObjectV])[]>();
  private readonly submoduleSets = new Map<ObjectV, ReadonlySet<ObjectV>>();
  /**
   * Events by loop statement, run and iteration, and calls by callee: built on first use, so a query is a lookup, not
   * a scan of every event. Runs and iterations are numbers: keyed as they are, not by a string made per event and loop.
   */
  private iterationIndex: Map<Stmt | Expr, Map<number, Map<number, RecordedEvent[]>>> | undefined;
  /** A value's one consumer as itself, more as a list: most values are used once, and most are never asked about. */
  private consumerIndex: Map<Value, RecordedEvent | RecordedEvent[]> | undefined;
  private calleeIndex: Map<Value, RecordedCall[]> | undefined;
  private frameIndex: Map<Value, FunctionFrame[]> | undefined;
  private eventIndex: EventIndex | undefined;
  private readonly derivedFacts = new Map<string, unknown>();
  private readonly noGradStacks = new Map<readonly FunctionFrame[], boolean>();

  constructor(readonly driven: DrivenFile) {
    this.events = driven.recorder.events;
    this.calls = this.events.filter((e): e is RecordedCall => e.kind === 'call');
  }

  get path(): string {
    return this.driven.path;
  }

  /** Events that take a value as an input (receiver, argument or operand), in execution order. */
  consumersOf(v: Value): readonly RecordedEvent[] {
    if (!this.consumerIndex) {
      const index = new Map<Value, RecordedEvent | RecordedEvent[]>();
      // An event taking one value twice (`x * x`) is listed once: it is the last entry of that value's list.
      const consumes = (e: RecordedEvent, i: Value | undefined): void => {
        if (!i || typeof i !== 'object') return;
        const known = index.get(i);
        if (known === undefined) index.set(i, e);
        else if (Array.isArray(known)) {
          if (known[known.length - 1] !== e) known.push(e);
        } else if (known !== e) index.set(i, [known, e]);
      };
      for (const e of this.events) {
        if (e.kind === 'op') {
          for (const i of e.operands) consumes(e, i);
          continue;
        }
        consumes(e, e.receiver);
        for (const i of e.args.positional) consumes(e, i);
        // Most calls pass no keyword: no iterator over an empty map for each.
        if (e.args.keywords.size > 0) for (const i of e.args.keywords.values()) consumes(e, i);
      }
      this.consumerIndex = index;
    }
    const found = this.consumerIndex.get(v);
    return found === undefined ? [] : Array.isArray(found) ? found : [found];
  }

  /** Events of an expression (a call site runs once per time it was evaluated). */
  eventsAt(expr: Expr): readonly RecordedEvent[] {
    if (!this.byExpr) {
      const index = new Map<Expr, RecordedEvent[]>();
      for (const e of this.events) pushTo(index, e.expr, e);
      this.byExpr = index;
    }
    return this.byExpr.get(expr) ?? [];
  }

  /** Events of one loop iteration, in execution order (the events `inIteration` accepts). */
  eventsInIteration(loop: LoopFrame): readonly RecordedEvent[] {
    if (!this.iterationIndex) {
      const index = new Map<Stmt | Expr, Map<number, Map<number, RecordedEvent[]>>>();
      for (const e of this.events) {
        for (const l of e.context.loops) {
          let byRun = index.get(l.stmt);
          if (!byRun) index.set(l.stmt, (byRun = new Map()));
          let byIteration = byRun.get(l.run);
          if (!byIteration) byRun.set(l.run, (byIteration = new Map()));
          const list = byIteration.get(l.iteration);
          // An event inside the same iteration twice (recursion) is listed once, as a filter would.
          if (list?.at(-1) === e) continue;
          if (list) list.push(e);
          else byIteration.set(l.iteration, [e]);
        }
      }
      this.iterationIndex = index;
    }
    return this.iterationIndex.get(loop.stmt)?.get(loop.run)?.get(loop.iteration) ?? [];
  }

  /** The calls made of one value (a module object called in forward code), in execution order. */
  callsOf(callee: Value): readonly RecordedCall[] {
    if (!this.calleeIndex) {
      const index = new Map<Value, RecordedCall[]>();
      for (const c of this.calls) {
        const list = index.get(c.callee);
        if (list) list.push(c);
        else index.set(c.callee, [c]);
      }
      this.calleeIndex = index;
    }
    return this.calleeIndex.get(callee) ?? [];
  }

  private get index(): EventIndex {
    if (this.eventIndex) return this.eventIndex;
    const index: EventIndex = {
      local: [],
      localCalls: [],
      operations: new Map(),
      named: new Map(),
      builtins: new Map(),
      constructions: [],
      constructed: new Map(),
      valueCalls: [],
      objectResults: [],
      sequenceInputs: [],
    };
    const path = this.path;
    for (const e of this.events) {
      const local = e.file === path;
      if (local) index.local.push(e);
      if (e.kind === 'op') {
        pushTo(index.operations, e.op, e);
        if (e.operands.some(isSequence)) index.sequenceInputs.push(e);
        continue;
      }
      if (local) index.localCalls.push(e);
      const name = this.methodOf(e);
      if (name !== undefined) pushTo(index.named, name, e);
      if (e.callee.kind === 'builtin') pushTo(index.builtins, e.callee.name, e);
      if (e.callee.kind === 'class') {
        index.constructions.push(e);
        if (!index.constructed.has(e.result)) index.constructed.set(e.result, e);
      }
      if (e.callee.kind === 'object' || e.callee.kind === 'unknown') index.valueCalls.push(e);
      if (e.result.kind === 'object') index.objectResults.push(e);
      if (isSequence(e.receiver) || e.args.positional.some(isSequence)) index.sequenceInputs.push(e);
    }
    return (this.eventIndex = index);
  }

  /**
   * A fact derived from these (the loss inputs, the weight inits), computed once and shared by every rule that
   * asks; callers only read what it returns.
   */
  derived<T>(key: string, build: () => T): T {
    if (!this.derivedFacts.has(key)) this.derivedFacts.set(key, build());
    return this.derivedFacts.get(key) as T;
  }

  /** Events of the checked file's own code, in execution order. */
  get localEvents(): readonly RecordedEvent[] {
    return this.index.local;
  }

  /** Calls made by the checked file's own code, in execution order. */
  get localCalls(): readonly RecordedCall[] {
    return this.index.localCalls;
  }

  /** Operations with one of these operators, in execution order. */
  operations(...ops: string[]): readonly RecordedOperation[] {
    return inOrder(ops.map((op) => this.index.operations.get(op) ?? []));
  }

  /** Calls whose `methodOf` is one of these names, in execution order. */
  callsNamed(...names: string[]): readonly RecordedCall[] {
    return inOrder(names.map((name) => this.index.named.get(name) ?? []));
  }

  /** Calls whose `methodOf` passes the test, in execution order. */
  callsNamedBy(test: (name: string) => boolean): readonly RecordedCall[] {
    return inOrder([...this.index.named].filter(([name]) => test(name)).map(([, calls]) => calls));
  }

  /** Calls that may be a backward (`isBackward` needs a method named backward or a backward builtin), in execution order. */
  backwardCandidates(): readonly RecordedCall[] {
    return inOrder([this.callsNamed('backward'), this.builtinCalls((name) => BACKWARD_BUILTINS.has(name))]);
  }

  /** Calls of the builtins whose qualified name passes the test, in execution order. */
  builtinCalls(test: RegExp | ((name: string) => boolean)): readonly RecordedCall[] {
    const passes = typeof test === 'function' ? test : (name: string): boolean => test.test(name);
    return inOrder([...this.index.builtins].filter(([name]) => passes(name)).map(([, calls]) => calls));
  }

  /** Calls of a class, in execution order. */
  get constructions(): readonly RecordedCall[] {
    return this.index.constructions;
  }

  /** The first call of a class that returned this value (where an object was built). */
  constructionOf(v: Value): RecordedCall | undefined {
    return this.index.constructed.get(v);
  }

  /** Calls of an object (a module, a callable instance) or of a value the analysis does not know, in execution order. */
  get valueCalls(): readonly RecordedCall[] {
    return this.index.valueCalls;
  }

  /** Calls that returned an object (a module, an optimizer, a loader), in execution order. */
  get objectResultCalls(): readonly RecordedCall[] {
    return this.index.objectResults;
  }

  /** Events taking a list or a tuple as an operand, a positional argument or the receiver, in execution order. */
  get sequenceInputEvents(): readonly RecordedEvent[] {
    return this.index.sequenceInputs;
  }

  /** The calls of a function that recorded events ran inside (their frames), each once. */
  framesOf(fn: Value): readonly FunctionFrame[] {
    if (!this.frameIndex) {
      const index = new Map<Value, FunctionFrame[]>();
      const seen = new Set<FunctionFrame>();
      let previous: EventContext['functions'] | undefined;
      for (const e of this.events) {
        // Consecutive events share their function stack until a call or a return changes it.
        if (e.context.functions === previous) continue;
        previous = e.context.functions;
        for (const f of e.context.functions) {
          if (seen.has(f)) continue;
          seen.add(f);
          pushTo(index, f.fn, f);
        }
      }
      this.frameIndex = index;
    }
    return this.frameIndex.get(fn) ?? [];
  }

  producerOf(v: Value | undefined): RecordedEvent | undefined {
    return v && typeof v === 'object' ? this.driven.recorder.producer.get(v) : undefined;
  }

  alternativesOf(v: Value): readonly Value[] {
    return this.driven.recorder.alternativesOf(v);
  }

  /** The library object a value is, or one of the objects a conditional chose between (`GradScaler() if amp else None`). */
  libraryOf(v: Value | undefined): { object: ObjectV; info: LibraryObjectInfo } | undefined {
    return this.librariesOf(v)[0];
  }

  /** Every library object a value may be (one, or the alternatives of a conditional). */
  librariesOf(v: Value | undefined): { object: ObjectV; info: LibraryObjectInfo }[] {
    if (!v) return [];
    const out: { object: ObjectV; info: LibraryObjectInfo }[] = [];
    for (const a of this.alternativesOf(v)) {
      const info = libraryObjectOf(a);
      if (info && a.kind === 'object') out.push({ object: a, info });
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------------
  // Calls by what they are.

  /** `obj.name(...)`: the method name; `f(...)`: the builtin's or function's own name. */
  methodOf(e: RecordedCall): string | undefined {
    if (e.expr.fn.k === 'attr') return e.expr.fn.name;
    if (e.callee.kind === 'builtin' || e.callee.kind === 'function' || e.callee.kind === 'class') return e.callee.name.slice(e.callee.name.lastIndexOf('.') + 1);
    if (e.expr.fn.k === 'name') return e.expr.fn.id;
    return undefined;
  }

  builtinName(e: RecordedCall): string | undefined {
    return e.callee.kind === 'builtin' ? e.callee.name : undefined;
  }

  /** A tensor's (or a value the analysis cannot see into) `.backward()`, or `torch.autograd.backward(loss)`. */
  isBackward(e: RecordedCall): boolean {
    if (BACKWARD_BUILTINS.has(this.builtinName(e) ?? '')) return true;
    if (e.expr.fn.k !== 'attr' || e.expr.fn.name !== 'backward') return false;
    const r = e.receiver;
    if (r === undefined || (r.kind !== 'tensor' && r.kind !== 'unknown')) return false;
    return !this.isEngine(r) || e.expr.args.length > 0;
  }

  /**
   * The loss a backward call differentiates: the receiver of `loss.backward()`, the argument of
   * `torch.autograd.backward(loss)` and of a training engine's `accelerator.backward(loss)`.
   */
  lossOfBackward(e: RecordedCall): Value | undefined {
    if (e.expr.fn.k !== 'attr' || e.expr.fn.name !== 'backward') return e.args.positional[0];
    if (this.isEngine(e.receiver)) return e.args.positional[0];
    // `obj.backward(x)` on a value the analysis cannot see: a tensor's gradient argument or another API's.
    return e.receiver?.kind === 'tensor' || e.expr.args.length === 0 ? e.receiver : undefined;
  }

  /** An object built by calling a class the analysis does not know (Accelerator(), Fabric()): never a tensor. */
  isEngine(v: Value | undefined): boolean {
    if (v?.kind !== 'unknown') return false;
    const p = this.producerOf(v);
    if (p?.kind !== 'call') return false;
    const fn = p.expr.fn;
    const name = fn.k === 'name' ? fn.id : fn.k === 'attr' ? fn.name : '';
    return /^[A-Z][A-Za-z0-9]*$/.test(name) && !/^[A-Z0-9_]+$/.test(name);
  }

  /** The optimizer a call steps: `opt.step()` or `scaler.step(opt)`; undefined when it steps nothing known. */
  steppedOptimizer(e: RecordedCall): Value | undefined {
    if (this.methodOf(e) !== 'step' || e.expr.fn.k !== 'attr') return undefined;
    const r = e.receiver;
    const info = this.libraryOf(r)?.info;
    if (info?.kind === 'optimizer') return r;
    if (info?.kind === 'scaler') return e.args.positional[0];
    // An AMP scaler the analysis could not see (a parameter): `scaler.step(optimizer)`.
    if (r?.kind === 'unknown' && /scaler/i.test(exprName(e.expr.fn.obj) ?? '') && e.args.positional[0]) return e.args.positional[0];
    if (r?.kind === 'object' && this.isOptimizerObject(r)) return r;
    // A value the analysis could not build (a factory in another package): named like an optimizer.
    if (r?.kind === 'unknown' && this.presumedOptimizer(e.expr.fn.obj)) return r;
    return undefined;
  }

  /** A user class deriving from torch.optim.Optimizer counts as an optimizer. */
  isOptimizerObject(v: ObjectV): boolean {
    return v.cls.mro.some((c) => libraryClassOf(c)?.kind === 'optimizer');
  }

  /** Only where the analysis has no value: an expression whose last name reads like an optimizer. */
  presumedOptimizer(e: Expr): boolean {
    const name = e.k === 'name' ? e.id : e.k === 'attr' ? e.name : undefined;
    return name !== undefined && /opt/i.test(name) && !/sched|lr|scaler/i.test(name);
  }

  optimizerInfo(v: Value | undefined): LibraryObjectInfo | undefined {
    const info = this.libraryOf(v)?.info;
    return info?.kind === 'optimizer' ? info : undefined;
  }

  // -------------------------------------------------------------------------------------------------
  // Models and parameters.

  isModule(v: Value | undefined): v is ObjectV {
    return v?.kind === 'object' && v.module !== undefined;
  }

  parametersOf(m: ObjectV): Set<TensorValue> {
    let set = this.paramCache.get(m);
    if (!set) {
      set = new Set(this.driven.session.torch.namedParameters(m).map(([, p]) => p.tensor));
      this.paramCache.set(m, set);
    }
    return set;
  }

  /** The tensors of an optimizer's parameter groups, when every one is known. */
  optimizerTensors(opt: Value): Set<TensorValue> | undefined {
    if (opt.kind !== 'object') return undefined;
    const groups = opt.attrs.get('param_groups');
    if (groups?.kind !== 'list') return undefined;
    const out = new Set<TensorValue>();
    for (const g of groups.items) {
      if (g.kind !== 'dict') return undefined;
      const params = [...g.entries.values()].find((e) => e.key.kind === 'str' && e.key.value === 'params')?.value;
      if (!params || (params.kind !== 'list' && params.kind !== 'tuple')) return undefined;
      for (const p of params.items) {
        if (p.kind !== 'tensor') return undefined;
        out.add(p);
      }
    }
    return out;
  }

  /** The model values whose `.parameters()` (or named_parameters) the optimizer was built from. */
  optimizerSources(opt: Value): Value[] {
    const params = this.optimizerInfo(opt)?.args.get('params');
    if (!params) return [];
    const out: Value[] = [];
    const visit = (v: Value, depth: number): void => {
      if (depth > 4) return;
      const p = this.producerOf(v);
      if (p?.kind === 'call' && /^(parameters|named_parameters)$/.test(this.methodOf(p) ?? '') && p.receiver) out.push(p.receiver);
      else if (p) for (const o of p.kind === 'call' ? [p.receiver, ...p.args.positional] : p.operands) if (o) visit(o, depth + 1);
      if (v.kind === 'list' || v.kind === 'tuple') for (const i of v.items) visit(i, depth + 1);
      if (v.kind === 'dict') for (const e of v.entries.values()) visit(e.value, depth + 1);
    };
    visit(params, 0);
    return out;
  }

  /**
   * Whether zeroing `target` (a model or an optimizer) resets the gradients `opt` steps: true, false, or
   * undefined when the values do not tell.
   */
  resetsFor(opt: Value, target: Value): boolean | undefined {
    if (target === opt) return true;
    if (this.optimizerInfo(target) || (target.kind === 'object' && this.isOptimizerObject(target))) {
      const a = this.optimizerTensors(opt);
      const b = this.optimizerTensors(target);
      if (a && b && a.size > 0 && b.size > 0) return [...a].some((t) => b.has(t));
      return undefined;
    }
    if (this.isModule(target)) {
      const tensors = this.optimizerTensors(opt);
      const params = this.parametersOf(target);
      if (tensors && tensors.size > 0 && params.size > 0) return [...tensors].some((t) => params.has(t));
      const sources = this.optimizerSources(opt);
      if (sources.length > 0 && sources.every((s) => this.isModule(s))) return sources.some((s) => s === target || this.contains(s as ObjectV, target) || this.contains(target, s as ObjectV));
      return undefined;
    }
    const sources = this.optimizerSources(opt);
    if (sources.includes(target)) return true;
    return undefined;
  }

  /** PyTorch's named_modules of a module as the evaluation left it (itself first, pre-order, each once). */
  namedModulesOf(m: ObjectV): readonly (readonly [string, ObjectV])[] {
    let named = this.namedModuleCache.get(m);
    if (!named) {
      named = this.driven.session.torch.namedModules(m);
      this.namedModuleCache.set(m, named);
    }
    return named;
  }

  /** True when `inner` is `outer` or one of its submodules. */
  contains(outer: ObjectV, inner: ObjectV): boolean {
    let set = this.submoduleSets.get(outer);
    if (!set) {
      set = new Set(this.namedModulesOf(outer).map(([, m]) => m));
      this.submoduleSets.set(outer, set);
    }
    return set.has(inner);
  }

  // -------------------------------------------------------------------------------------------------
  // Where an event sits in the source.

  /** The function whose body holds the event's expression (undefined at module level). */
  defOf(e: { readonly context: EventContext }): FunctionDef | undefined {
    const frames = e.context.functions;
    return frames[frames.length - 1]?.def;
  }

  /** Statements enclosing an expression of the event, innermost last (within its own function or module). */
  ancestorsOf(e: { readonly context: EventContext; readonly expr: Expr }): readonly Stmt[] {
    const def = this.defOf(e);
    const body = def ? def.body : this.driven.module.body;
    const key: object = def ?? this.driven.module;
    let map = this.parentCache.get(key);
    if (!map) {
      map = statementParents(body);
      this.parentCache.set(key, map);
    }
    return map.get(e.expr) ?? [];
  }

  /** True when the event ran under `with torch.no_grad()` / `inference_mode()` / `set_grad_enabled(False)`, here or in a caller, or in a function decorated with one. */
  underNoGrad(e: RecordedEvent): boolean {
    const here = this.ancestorsOf(e).some((s) => s.k === 'with' && s.items.some((i) => this.isNoGradExpr(i.ctx)));
    return here || this.callersUnderNoGrad(e.context.functions);
  }

  /**
   * Whether a function of the stack is decorated with no_grad or called under it: the same for every event of one
   * call, which share their stack (the recorder's snapshot), so it is found once per stack, not once per event.
   */
  private callersUnderNoGrad(functions: readonly FunctionFrame[]): boolean {
    const known = this.noGradStacks.get(functions);
    if (known !== undefined) return known;
    const contexts: Expr[] = [];
    for (const f of functions) if (f.def) contexts.push(...f.def.decorators);
    // Callers' call sites: the statements around each call up the stack.
    for (let i = 0; i < functions.length; i++) {
      const frame = functions[i]!;
      const outer = { context: { functions: functions.slice(0, i), loops: [] }, expr: this.callExprAt(frame.callRange, i === 0 ? undefined : functions[i - 1]!.def) };
      if (outer.expr) for (const s of this.ancestorsOf(outer as { context: EventContext; expr: Expr })) if (s.k === 'with') contexts.push(...s.items.map((item) => item.ctx));
    }
    const under = contexts.some((ctx) => this.isNoGradExpr(ctx));
    this.noGradStacks.set(functions, under);
    return under;
  }

  private callExprAt(range: { start: { line: number; character: number } }, def: FunctionDef | undefined): Expr | undefined {
    const key: object = def ?? this.driven.module;
    let byStart = this.startCache.get(key);
    if (!byStart) {
      let map = this.parentCache.get(key);
      if (!map) {
        map = statementParents(def ? def.body : this.driven.module.body);
        this.parentCache.set(key, map);
      }
      byStart = new Map();
      for (const expr of map.keys()) {
        const at = `${expr.r.start.line}:${expr.r.start.character}`;
        if (!byStart.has(at)) byStart.set(at, expr);
      }
      this.startCache.set(key, byStart);
    }
    return byStart.get(`${range.start.line}:${range.start.character}`);
  }

  isNoGradExpr(ctx: Expr): boolean {
    for (const ev of this.eventsAt(ctx)) {
      if (ev.kind !== 'call') continue;
      const name = this.builtinName(ev) ?? '';
      if (NO_GRAD_BUILTINS.has(name)) return true;
      if (name === 'set_grad_enabled') {
        const flag = ev.args.positional[0];
        if (flag?.kind === 'bool' && !flag.value) return true;
      }
    }
    // `with torch.no_grad:` without the call, or a context the evaluation never reached.
    const text = ctx.k === 'call' ? ctx.fn : ctx;
    return text.k === 'attr' && NO_GRAD_BUILTINS.has(text.name) && this.eventsAt(ctx).length === 0 && false;
  }
}

/** The last name of `a`, `a.b`, `self.c`. */
export function exprName(e: Expr): string | undefined {
  return e.k === 'name' ? e.id : e.k === 'attr' ? e.name : undefined;
}

/** Each expression of a body mapped to its enclosing statements (outermost first, the statement itself last). */
function statementParents(body: readonly Stmt[]): Map<Expr, readonly Stmt[]> {
  const out = new Map<Expr, readonly Stmt[]>();
  const visitExpr = (e: Expr | undefined, stack: readonly Stmt[]): void => {
    if (!e) return;
    out.set(e, stack);
    forEachChild(e, (c) => visitExpr(c, stack));
  };
  const visit = (stmts: readonly Stmt[], stack: readonly Stmt[]): void => {
    for (const s of stmts) {
      const here = [...stack, s];
      switch (s.k) {
        case 'expr':
          visitExpr(s.value, here);
          break;
        case 'assign':
          for (const t of s.targets) visitExpr(t, here);
          visitExpr(s.value, here);
          break;
        case 'aug':
          visitExpr(s.target, here);
          visitExpr(s.value, here);
          break;
        case 'return':
          visitExpr(s.value, here);
          break;
        case 'if':
          for (const b of s.branches) {
            visitExpr(b.test, here);
            visit(b.body, here);
          }
          visit(s.orelse, here);
          break;
        case 'for':
          visitExpr(s.target, here);
          visitExpr(s.iter, here);
          visit(s.body, here);
          visit(s.orelse, here);
          break;
        case 'while':
          visitExpr(s.test, here);
          visit(s.body, here);
          visit(s.orelse, here);
          break;
        case 'with':
          for (const i of s.items) visitExpr(i.ctx, here);
          visit(s.body, here);
          break;
        case 'try':
          visit(s.body, here);
          for (const h of s.handlers) visit(h.body, here);
          visit(s.orelse, here);
          visit(s.finalbody, here);
          break;
        case 'raise':
          visitExpr(s.exc, here);
          break;
        case 'assert':
          visitExpr(s.test, here);
          break;
        case 'del':
          for (const t of s.targets) visitExpr(t, here);
          break;
        default:
          break;
      }
    }
  };
  visit(body, []);
  return out;
}

function forEachChild(e: Expr, f: (c: Expr) => void): void {
  switch (e.k) {
    case 'attr':
      f(e.obj);
      break;
    case 'sub':
      f(e.obj);
      f(e.index);
      break;
    case 'slice':
      if (e.lower) f(e.lower);
      if (e.upper) f(e.upper);
      if (e.step) f(e.step);
      break;
    case 'call':
      f(e.fn);
      for (const a of e.args) f(a.value);
      break;
    case 'bin':
    case 'bool':
    case 'cmp':
      f(e.left);
      f(e.right);
      break;
    case 'unary':
      f(e.operand);
      break;
    case 'ifexp':
      f(e.test);
      f(e.body);
      f(e.orelse);
      break;
    case 'lambda':
      f(e.body);
      break;
    case 'tuple':
    case 'list':
    case 'set':
      e.items.forEach(f);
      break;
    case 'starred':
      f(e.value);
      break;
    case 'dict':
      for (const i of e.items) {
        if (i.key) f(i.key);
        f(i.value);
      }
      break;
    case 'comp':
      f(e.elt);
      if (e.key) f(e.key);
      for (const c of e.clauses) {
        if (c.k === 'for') {
          f(c.target);
          f(c.iter);
        } else f(c.test);
      }
      break;
    case 'named':
      f(e.value);
      break;
    case 'fstr':
      for (const p of e.parts) if (typeof p !== 'string') f(p.expr);
      break;
    default:
      break;
  }
}

export type { Module };
