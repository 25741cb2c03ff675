// Runs a file the way the checks need to see it: as the script (`__name__ == "__main__"`), in explore mode,
// then every function and method of the file that nothing called, with unknown arguments, so training
// and evaluation code in functions is seen even when only the command line would reach it.
import type { ClassDef, FunctionDef, Module, Stmt } from '../../python/ast';
import { statementCalls } from '../../python/syntax';
import type { Range } from '../../values';
import { str, unknown } from '../../values';
import { createSession } from '../../interp/session';
import type { Session } from '../../interp/session';
import { BudgetExceeded, PyRaise } from '../../interp/interpreter';
import type { Budget } from '../../interp/interpreter';
import type { ClassV, FunctionV, ObjectV, Scope, Value } from '../../interp/values';
import { FactsRecorder } from './recorder';
import type { FunctionFrame } from './recorder';

export interface DrivenFile {
  readonly path: string;
  readonly module: Module;
  readonly session: Session;
  readonly scope: Scope;
  readonly recorder: FactsRecorder;
  /** Instances the driver built to call methods on (models of the file among them). */
  readonly instances: readonly ObjectV[];
  /** Why the evaluation stopped early, if it did (the facts seen until then still count). */
  readonly incomplete?: string;
}

export interface DriveRequest {
  readonly path: string;
  readonly module: Module;
  /** The file's text: a plain `import m` it never mentions again runs at the import, as in the summary (`execModule`). */
  readonly text?: string;
  readonly readFile?: (path: string) => string | undefined;
  /** Parses imported files (a shared cache of ASTs by text); from scratch when absent. */
  readonly parseImport?: (text: string) => Module;
  readonly budget?: Budget;
}

// The step budget decides (the same findings on any machine); the time limit is only a safety net. A loop run
// that has taken an eighth of it is cut (Budget.loopSteps: its rest explored as a loop over unknown items), so one
// function's long loop leaves the file's other functions steps to be explored with (issue 16).
export const DRIVE_BUDGET: Budget = { steps: 400_000, ms: 30_000, importChars: 400_000, loopSteps: 50_000 };

/** Evaluates the file and its uncalled functions under the facts recorder. Never throws. */
export function driveFile(req: DriveRequest): DrivenFile {
  const session = createSession({ ...(req.readFile ? { readFile: req.readFile } : {}), ...(req.parseImport ? { parse: req.parseImport } : {}), budget: req.budget ?? DRIVE_BUDGET });
  const recorder = new FactsRecorder();
  session.interp.observer = recorder;
  session.torch.recording = false;
  // The facts read calls, values and module trees, never a call's training cost.
  session.torch.tracesCosts = false;
  const scope = session.interp.newModuleScope(req.path);
  scope.vars.set('__name__', str('__main__'));
  let incomplete: string | undefined;
  const guard = (run: () => void): boolean => {
    try {
      run();
      return true;
    } catch (e) {
      if (e instanceof BudgetExceeded) {
        incomplete = e.reason;
        return false;
      }
      if (e instanceof PyRaise) return true;
      incomplete = `internal error: ${e instanceof Error ? e.message : String(e)}`;
      return false;
    }
  };
  const instances = new Map<ClassV, ObjectV>();
  if (guard(() => session.interp.execModule(req.module, scope, req.text))) {
    session.interp.currentFile = req.path;
    // Functions nothing in the file calls come first: they call the others with real arguments.
    const targets = uncalledTargets(req.module, scope, recorder);
    const called = calledNames(req.module);
    const ordered = [...targets.filter((t) => !called.has(t.def.name)), ...targets.filter((t) => called.has(t.def.name))];
    for (const target of ordered) {
      if (recorder.entered.has(target.def)) continue;
      if (!guard(() => callWithUnknowns(session, target, req.path, instances))) break;
    }
  }
  return { path: req.path, module: req.module, session, scope, recorder, instances: [...instances.values()], ...(incomplete ? { incomplete } : {}) };
}

/**
 * Names the file's code calls (`f(...)`, `self.f(...)`, `obj.f(...)`). Each statement's calls are walked once
 * (statementCalls): a check unit's core is in every unit, and the editor has walked them for its index already.
 */
function calledNames(module: Module): Set<string> {
  const out = new Set<string>();
  for (const statement of module.body) {
    for (const call of statementCalls(statement)) {
      if (call.fn.k === 'name') out.add(call.fn.id);
      else if (call.fn.k === 'attr') out.add(call.fn.name);
    }
  }
  return out;
}

interface DriveTarget {
  readonly fn: FunctionV;
  readonly def: FunctionDef;
  /** The class whose method it is (called on an instance). */
  readonly cls?: ClassV;
}

/** Top-level functions and class methods of the file that the evaluation never entered, in source order. */
function uncalledTargets(module: Module, scope: Scope, recorder: FactsRecorder): DriveTarget[] {
  const out: DriveTarget[] = [];
  const visit = (stmts: readonly Stmt[]): void => {
    for (const s of stmts) {
      if (s.k === 'def') {
        const v = scope.vars.get(s.name);
        if (v?.kind === 'function' && v.def === s) out.push({ fn: v, def: s });
      } else if (s.k === 'class') {
        const cls = scope.vars.get(s.name);
        if (cls?.kind === 'class') out.push(...methodsOf(s, cls));
      } else if (s.k === 'if' || s.k === 'try') {
        // Definitions guarded by `if TYPE_CHECKING`/`try: import` still bind module names.
        if (s.k === 'if') for (const b of s.branches) visit(b.body);
        else visit(s.body);
      }
    }
  };
  visit(module.body);
  return out.filter((t) => !recorder.entered.has(t.def));
}

function methodsOf(def: ClassDef, cls: ClassV): DriveTarget[] {
  const out: DriveTarget[] = [];
  for (const s of def.body) {
    if (s.k !== 'def') continue;
    const v = cls.attrs.get(s.name);
    const fn = v?.kind === 'function' ? v : v?.kind === 'descriptor' && v.fn.kind === 'function' ? v.fn : undefined;
    if (fn && fn.def === s) out.push({ fn, def: s, cls });
  }
  return out;
}

const ENTRY: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * True when a function frame is one the driver started (a function called with unknown arguments, or an
 * instance built for calling methods on), not a call the file's code makes.
 */
export function isDriverFrame(frame: FunctionFrame): boolean {
  return frame.callRange === ENTRY || (frame.fn.definingClass !== undefined && frame.callRange === frame.fn.definingClass.r);
}

function callWithUnknowns(session: Session, target: DriveTarget, path: string, instances: Map<ClassV, ObjectV>): void {
  const { interp } = session;
  const params = target.def.params.filter((p) => p.kind === 'normal');
  const positional: Value[] = [];
  const decorated = target.cls?.attrs.get(target.def.name);
  const isStatic = decorated?.kind === 'descriptor' && decorated.type === 'staticmethod';
  const isClassMethod = decorated?.kind === 'descriptor' && decorated.type === 'classmethod';
  params.forEach((p, i) => {
    if (i === 0 && target.cls && !isStatic) positional.push(isClassMethod ? target.cls : instanceOf(session, target.cls, path, instances));
    // Every parameter is unknown, defaults included: a caller elsewhere may pass any value (an AMP scaler
    // for `scaler=None`), so both sides of a test on it are explored.
    else positional.push(unknown(`argument ${p.name} of ${target.def.name} (no call in this file)`, target.def.nameRange));
  });
  interp.currentFile = path;
  try {
    interp.callFunction(target.fn, { positional, keywords: unknownKeywordOnly(target.fn, `of ${target.def.name} (no call in this file)`, target.def.nameRange) }, ENTRY);
  } catch (e) {
    if (!(e instanceof PyRaise)) throw e;
  }
}

/**
 * Unknown values for the keyword-only parameters without a default (`def MBConv(dim_in, dim_out, *,
 * downsample)`): without them the call raises a TypeError and the function body is never seen. Those with a
 * default keep it, as Python binds it.
 */
function unknownKeywordOnly(fn: FunctionV, where: string, range: Range | undefined): Map<string, Value> {
  const keywords = new Map<string, Value>();
  for (const p of fn.params) {
    if (p.kind === 'kwonly' && !fn.defaults.has(p.name)) keywords.set(p.name, unknown(`keyword argument ${p.name} ${where}`, range));
  }
  return keywords;
}

/** An instance to call a method on (one per class: fields set in __init__ reach every method), built with
 * unknown arguments, or an empty one when construction fails. */
function instanceOf(session: Session, cls: ClassV, path: string, instances: Map<ClassV, ObjectV>): Value {
  const cached = instances.get(cls);
  if (cached) return cached;
  const { interp } = session;
  const init = interp.findClassAttr(cls, '__init__');
  const required = init?.kind === 'function' ? init.params.slice(1).filter((p) => p.kind === 'normal' && !init.defaults.has(p.name)) : [];
  let built: Value | undefined;
  try {
    interp.currentFile = path;
    const keywords = init?.kind === 'function' ? unknownKeywordOnly(init, `of ${cls.name}'s constructor`, cls.r) : new Map<string, Value>();
    built = interp.call(cls, { positional: required.map((p) => unknown(`constructor argument ${p.name} of ${cls.name}`, cls.r)), keywords }, cls.r ?? ENTRY);
  } catch (e) {
    if (!(e instanceof PyRaise)) throw e;
  }
  const obj: ObjectV = built?.kind === 'object' ? built : { kind: 'object', cls, attrs: new Map(), id: interp.newId(), ...(cls.mro.includes(session.torch.moduleClass) ? { module: { children: new Map(), params: new Map(), training: true } } : {}) };
  instances.set(cls, obj);
  return obj;
}
