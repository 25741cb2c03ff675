// A session whose module level has run, kept by an analyzer for the next summary of the same file. Summarising
// torchvision's resnet.py spent about a fifth of its time running the module level of the file and of what it
// imports (classes, weight enums, decorated builders) again for every summary. A kept session runs it once; each
// later summary starts from the state it left and everything that summary changes is put back after it:
// - containers (maps, lists, module fields, import bindings) through the journal's keepChanges/putBack, the
//   same records that undo the branches of an undecidable condition;
// - the interpreter's and the torch runtime's counters and logs (object ids, budgets, diagnostics, recorded
//   calls) through their runState/restoreRunState.
// A module the model loads on first use (after the module level) is run once too: a later run that reaches the
// load in the state it was recorded from replays it (Interpreter.replayingLoad, interp.loadReplays).
// So every summary runs from the same state with the same ids, as in a fresh session. What neither covers is
// refused: a module level that leaves tensors, nn.Module instances or library objects (whose side tables are
// not journaled) reachable from the file's scope is not kept, and the summary runs in a fresh session.
import type { Session } from '../interp/session';
import { createSession } from '../interp/session';
import type { InterpreterRunState } from '../interp/interpreter';
import { TrackedMap } from '../interp/journal';
import type { TorchRunState } from '../interp/torch';
import type { FunctionV, Scope, Value } from '../interp/values';
import type { ModuleLevel, SummaryRequest } from './summary';

/** A session after its module level: what it read, and the state each later run starts from. */
interface KeptModuleLevel {
  readonly key: string;
  readonly text: string;
  readonly session: Session;
  readonly moduleLevel: ModuleLevel;
  /** Every file the module level read (undefined: not found), checked unchanged before each reuse. */
  readonly reads: ReadonlyMap<string, string | undefined>;
  readonly interp: InterpreterRunState;
  readonly torch: TorchRunState;
  /** The last object id the module level gave: containers born after it belong to a run. */
  readonly born: number;
}

/** What a run in a kept session needs: the session and its module level, ready to run. */
export interface KeptRun {
  readonly session: Session;
  readonly moduleLevel: ModuleLevel;
  /** Puts back what the run changed; `keep` false forgets the session (the run did not end as a run should). */
  readonly end: (keep: boolean) => void;
}

/**
 * Whether a request may use a kept session: a model expression given (no sample call noted while the module
 * level runs) and one run only: an eval-mode summary, or a training step alone (`trainOnly`, as "does it fit?"
 * asks for each batch it tries); a summary with its training step runs two sessions.
 */
export function keepsModuleLevel(req: SummaryRequest): boolean {
  return req.model !== undefined && req.sampleOf === undefined && (!req.train || req.trainOnly === true) && req.module !== undefined;
}

/** Whether the request's one run is a training step (its module level then traces costs too). */
export const isTrainStep = (req: SummaryRequest): boolean => req.train === true && req.trainOnly === true;

/** What makes two requests' module levels the same, besides the file's text and the files they read: file and session options. */
function keyOf(req: SummaryRequest): string {
  const budget = req.budget ?? {};
  return JSON.stringify([
    req.path,
    isTrainStep(req),
    budget.steps ?? null,
    budget.loopSteps ?? null,
    budget.moduleLoopSteps ?? null,
    budget.cells ?? null,
    budget.importChars ?? null,
    req.sitePackages ?? [],
    req.torchVersion ?? null,
    req.environment ?? {},
  ]);
}

/** The deadline a fresh session for the request would have. */
function deadlineOf(req: SummaryRequest): number {
  return req.budget?.deadline ?? Date.now() + (req.budget?.ms ?? 2_000);
}

/**
 * Whether every value the module level left reachable from the file's scope is one whose changes the journal
 * records: no tensor (the runtime keeps facts about tensors in side tables), no nn.Module instance, no object
 * whose attributes are a plain map (library objects keep their state aside). A function's `__wrapped__` (a side
 * table's entry) is reachable from it.
 */
function onlyJournaledValues(scope: Scope | undefined, modules: Iterable<Value>, wrapped: ReadonlyMap<FunctionV, Value>): boolean {
  const seenScopes = new Set<Scope>();
  const seen = new Set<object>();
  const values: Value[] = [];
  const addScope = (s: Scope | undefined): void => {
    for (let at = s; at && !seenScopes.has(at); at = at.parent) {
      seenScopes.add(at);
      at.vars.forEach((v) => values.push(v));
      if (at.globals !== at) addScope(at.globals);
    }
  };
  addScope(scope);
  for (const module of modules) values.push(module);
  while (values.length > 0) {
    const v = values.pop()!;
    if (seen.has(v)) continue;
    seen.add(v);
    switch (v.kind) {
      case 'tensor':
        return false;
      case 'object':
        if (v.module || !(v.attrs instanceof TrackedMap)) return false;
        v.attrs.forEach((a) => values.push(a));
        values.push(v.cls);
        break;
      case 'class':
        v.attrs.forEach((a) => values.push(a));
        for (const base of v.bases) values.push(base);
        v.enumMembers?.forEach((m) => values.push(m));
        for (const f of v.dataclassFields ?? []) if (f.default) values.push(f.default);
        break;
      case 'function':
        addScope(v.closure);
        if (wrapped.has(v)) values.push(wrapped.get(v)!);
        if (v.defaults instanceof Map) v.defaults.forEach((d) => values.push(d));
        else for (const d of v.defaults.known?.() ?? []) values.push(d);
        break;
      case 'builtin':
        for (const a of Object.values(v.attrs ?? {})) values.push(a);
        break;
      case 'namespace':
        addScope(v.scope);
        break;
      case 'tuple':
      case 'list':
        for (const item of v.items) values.push(item);
        break;
      case 'dict':
        v.entries.forEach((e) => values.push(e.key, e.value));
        if (v.defaultFactory) values.push(v.defaultFactory);
        break;
      case 'method':
        values.push(v.self, v.fn);
        break;
      case 'descriptor':
        values.push(v.fn);
        if (v.setter) values.push(v.setter);
        break;
      case 'super':
        values.push(v.self);
        break;
      default:
        break;
    }
  }
  return true;
}

/** A file and options, by key and text. */
interface Seen {
  readonly key: string;
  readonly text: string;
}

const same = (a: Seen | undefined, key: string, text: string): boolean => a !== undefined && a.key === key && a.text === text;

/**
 * An analyzer's kept sessions: one for eval-mode summaries and one for training steps alone, so that "does it
 * fit?" (a summary, then a training step per batch it tries) keeps both.
 */
export class KeptSessions {
  private readonly evalRuns = new KeptSession();
  private readonly trainSteps = new KeptSession();

  /** See KeptSession.start. */
  start(req: SummaryRequest, runModuleLevel: (session: Session) => ModuleLevel | { error: string }): KeptRun | { error: string } | undefined {
    return (isTrainStep(req) ? this.trainSteps : this.evalRuns).start(req, runModuleLevel);
  }

  /** Forgets the kept sessions of a closed document. */
  forget(path: string): void {
    this.evalRuns.forget(path);
    this.trainSteps.forget(path);
  }
}

/**
 * A kept session (the last file summarised), reused while its file and what it read are unchanged. An analyzer
 * that summarises once (the CLI's summary command) keeps none (AnalyzerOptions.keepsSessions): keeping costs a
 * walk of what the module level left and records during the run, which only a later summary repays.
 */
class KeptSession {
  private kept: KeptModuleLevel | undefined;
  /** The last request whose module level could not be kept: later ones like it run in fresh sessions. */
  private refused: Seen | undefined;

  /**
   * A run for the request: in the kept session when its key matches and every file its module level read reads
   * the same; else in a new session whose module level is run now and kept when it may be; undefined when the
   * last request like it could not be kept (the caller then runs a fresh session). An error when that module
   * level did not finish: `runModuleLevel`'s answer.
   */
  start(req: SummaryRequest, runModuleLevel: (session: Session) => ModuleLevel | { error: string }): KeptRun | { error: string } | undefined {
    const key = keyOf(req);
    const readFile = req.readFile ?? (() => undefined);
    const kept = this.kept;
    if (kept && kept.key === key && kept.text === req.text && [...kept.reads].every(([path, text]) => readFile(path) === text)) return this.resume(kept, req);
    this.kept = undefined;
    if (same(this.refused, key, req.text)) return undefined;
    const reads = new Map<string, string | undefined>();
    const session = createSession({
      readFile: (path) => {
        const text = readFile(path);
        reads.set(path, text);
        return text;
      },
      ...(req.budget ? { budget: req.budget } : {}),
      ...(req.parse ? { parse: req.parse } : {}),
      ...(req.sitePackages ? { sitePackages: req.sitePackages } : {}),
      ...(req.torchVersion ? { torchVersion: req.torchVersion } : {}),
      ...(req.environment ? { environment: req.environment } : {}),
    });
    const moduleLevel = runModuleLevel(session);
    if ('error' in moduleLevel) return moduleLevel;
    const { interp, torch } = session;
    interp.readFile = readFile;
    if (interp.budgetSpent || !interp.idle || !onlyJournaledValues(moduleLevel.scope, interp.moduleCache.values(), interp.wrappedFunctions)) {
      this.refused = { key, text: req.text };
      return { session, moduleLevel, end: () => undefined };
    }
    interp.loadReplays = {
      mayKeep: (values) => onlyJournaledValues(undefined, values, interp.wrappedFunctions),
      torchState: () => {
        const state = torch.runState();
        return [state.calls, state.ops, state.seq, state.prelude, state.costs.nextStorage, state.costs.indexingSaves, state.costs.precision];
      },
      loads: new WeakMap(),
    };
    const fresh: KeptModuleLevel = { key, text: req.text, session, moduleLevel, reads, interp: interp.runState(), torch: torch.runState(), born: interp.runState().nextId - 1 };
    interp.journal.keepChanges(fresh.born);
    return { session, moduleLevel, end: (keep) => this.end(fresh, keep) };
  }

  private resume(kept: KeptModuleLevel, req: SummaryRequest): KeptRun {
    const { interp, torch } = kept.session;
    interp.restoreRunState(kept.interp, req.readFile ?? (() => undefined), deadlineOf(req));
    torch.restoreRunState(kept.torch);
    interp.journal.keepChanges(kept.born);
    return { session: kept.session, moduleLevel: kept.moduleLevel, end: (keep) => this.end(kept, keep) };
  }

  /** Forgets the kept session of a closed document. */
  forget(path: string): void {
    if (this.kept?.moduleLevel.scope.file === path) this.kept = undefined;
    if (this.refused !== undefined && (JSON.parse(this.refused.key) as unknown[])[0] === path) this.refused = undefined;
  }

  private end(kept: KeptModuleLevel, keep: boolean): void {
    const { interp, torch } = kept.session;
    interp.journal.putBack();
    interp.restoreRunState(kept.interp, interp.readFile, 0);
    torch.restoreRunState(kept.torch);
    this.kept = keep ? kept : undefined;
  }
}
