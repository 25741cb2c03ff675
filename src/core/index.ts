// The core's public API: plain serializable data in and out, never throws. The editor and the CLI
// call only these functions.
import type { Range } from './values';
import type { FunctionDef, Module } from './python/ast';
import type { ParsedDocument } from './python/parse';
import type { ParseCache } from './python/parseCache';
import { parseDocument } from './python/parse';
import { createSession } from './interp/session';
import { BudgetExceeded } from './interp/interpreter';
import type { Budget } from './interp/interpreter';
import type { TorchVersion } from './frameworks/torch/version';
import { summarizeModel as summarize, summarizeModelKept, userModuleClasses } from './analysis/summary';
import { KeptSessions } from './analysis/keptSession';
import type { ModelSummary, SummaryRequest as InternalSummaryRequest } from './analysis/summary';
import { inputsFromComment } from './analysis/summary';
import { fileIndex, modelDependencies, sameDependencies, sameModuleScope, sameRunStatements, sameStatementsElsewhere, type DependencyStatement, type FileIndex, type KeptReaches, type StatementsRun } from './analysis/dependencies';
import { moveRanges, placesOfRanges, rangeMover, type RangeMove, type StatementPlace } from './moves';
import { keptFor, setBounded } from './boundedMaps';

export type { ModelSummary, CallReport, ContainerCallReport, ModuleReport, JsonShape, ParamsUnknown, ReceptiveFieldReport } from './analysis/summary';
export type { ValueShape, StatementReport, LoopReport, OpReport, AssumedReport } from './analysis/trace';
export type { InitReport } from './analysis/init';
export { modelExpressionProblem, receptiveFieldText } from './analysis/summary';
export { inputSpecProblem, parseInputSpec, parseShape, shapeProblem } from './analysis/modelSetup';
import { sampleDriverNames } from './analysis/modelSetup';
export { largestBatch, parseGpuMemory } from './analysis/fit';
export type { BatchPeak, FitReport } from './analysis/fit';
export type { TrainingPrecision } from './interp/costTrace';
export { formatRational, ratToNumber, type Rational } from './formulas/rational';
export { parseDocument } from './python/parse';
export type { TorchVersion } from './frameworks/torch/version';
export { parseTorchVersion, torchVersionFromVersionPy, formatTorchVersion, DEFAULT_TORCH_VERSION } from './frameworks/torch/version';

export interface ClassInfo {
  readonly name: string;
  readonly range: Range;
  readonly nameRange: Range;
  /** A subclass of nn.Module (directly or through other classes, imports included). */
  readonly isModule: boolean;
  readonly bases: readonly string[];
  /** Constructible without arguments (a default model candidate). */
  readonly constructibleWithoutArgs: boolean;
}

export interface FileAnalysis {
  readonly path: string;
  readonly classes: readonly ClassInfo[];
  readonly functions: readonly { readonly name: string; readonly range: Range }[];
  readonly imports: readonly { readonly module: string; readonly range: Range }[];
  readonly unknown: readonly { readonly range?: Range; readonly reason: string }[];
  /** Errors PyTorch would raise while the file's module-level code runs (script code), in this file. */
  readonly errors: readonly { readonly range?: Range; readonly message: string }[];
  /** Set when the analysis stopped early (budget) or failed internally. */
  readonly incomplete?: string;
}

export interface AnalyzeRequest {
  readonly path: string;
  readonly text: string;
  readonly readFile?: (path: string) => string | undefined;
  readonly budget?: Budget;
  /** A parse of `text` the caller already has (from parseDocument), so it is not parsed twice. */
  readonly parsed?: ParsedDocument;
  /** The user's PyTorch release; the newest the catalogue knows when absent. */
  readonly torchVersion?: TorchVersion;
  /** Environment variables the user's run sets; any other is unknown. */
  readonly environment?: Readonly<Record<string, string>>;
}

/** The summary request of the analysis, with the caller's own parse instead of its internal parse hooks. */
export interface SummaryRequest extends Omit<InternalSummaryRequest, 'parse' | 'module' | 'onDone'> {
  /** A parse of `text` the caller already has (from parseDocument), so it is not parsed twice. */
  readonly parsed?: ParsedDocument;
  /**
   * An analyzer may answer with the result it computed for an earlier text when nothing the model depends on
   * changed (the statements `modelDependencies` names, the imported files it read, the request); the summary
   * then lists only this file's unknowns and errors inside those statements, fresh or reused alike.
   */
  readonly reuse?: boolean;
}

// The editor's per-file analysis stays cheap: imported files it may parse are capped.
const DEFAULT_ANALYZE_BUDGET: Budget = { steps: 100_000, ms: 400, importChars: 100_000 };

function analyzeParsed(req: AnalyzeRequest, module: Module, parseImport?: (text: string) => Module): FileAnalysis {
  const classes: ClassInfo[] = [];
  const functions: { name: string; range: Range }[] = [];
  const imports: { module: string; range: Range }[] = [];
  for (const s of module.body) {
    if (s.k === 'def') functions.push({ name: s.name, range: s.r });
    else if (s.k === 'import') for (const n of s.names) imports.push({ module: n.module, range: s.r });
    else if (s.k === 'from') imports.push({ module: `${'.'.repeat(s.level)}${s.module}`, range: s.r });
  }
  let incomplete: string | undefined;
  const session = createSession({ ...(req.readFile ? { readFile: req.readFile } : {}), ...(parseImport ? { parse: parseImport } : {}), budget: req.budget ?? DEFAULT_ANALYZE_BUDGET, ...(req.torchVersion ? { torchVersion: req.torchVersion } : {}), ...(req.environment ? { environment: req.environment } : {}) });
  const scope = session.interp.newModuleScope(req.path);
  session.torch.recording = false;
  // The file's analysis gives its classes, functions, imports and diagnostics: no call's training cost.
  session.torch.tracesCosts = false;
  try {
    session.interp.execModule(module, scope, req.text);
  } catch (e) {
    incomplete = e instanceof BudgetExceeded ? e.reason : `internal error: ${e instanceof Error ? e.message : String(e)}`;
  }
  const modules = new Set(userModuleClasses(session, scope, req.path));
  for (const s of module.body) {
    if (s.k !== 'class') continue;
    const v = scope.vars.get(s.name);
    const cls = v?.kind === 'class' ? v : undefined;
    const init = cls ? session.interp.findClassAttr(cls, '__init__') : undefined;
    classes.push({
      name: s.name,
      range: s.r,
      nameRange: s.nameRange,
      isModule: cls ? modules.has(cls) : false,
      bases: cls ? cls.bases.map((b) => b.name) : [],
      constructibleWithoutArgs: !init || init.kind !== 'function' || init.params.slice(1).every((p) => (p.kind !== 'normal' && p.kind !== 'kwonly') || init.defaults.has(p.name)),
    });
  }
  return {
    path: req.path,
    classes,
    functions,
    imports,
    unknown: session.interp.diagnostics.unknowns.slice(0, 200).map((d) => ({ ...(d.range ? { range: d.range } : {}), reason: d.message })),
    errors: session.interp.diagnostics.errors.filter((d) => d.file === req.path).map((d) => ({ ...(d.range ? { range: d.range } : {}), message: d.message })),
    ...(incomplete ? { incomplete } : {}),
  };
}

/** Parses and evaluates the module scope of one file. Never throws. */
export function analyzeFile(req: AnalyzeRequest): FileAnalysis {
  try {
    return analyzeParsed(req, (req.parsed?.text === req.text ? req.parsed : parseDocument(req.text)).module);
  } catch (e) {
    return { path: req.path, classes: [], functions: [], imports: [], unknown: [], errors: [], incomplete: `internal error: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Summarises a model defined in a file. Never throws. */
export function summarizeModel(req: SummaryRequest): ModelSummary | { error: string } {
  return summarize(req.parsed?.text === req.text ? { ...req, module: req.parsed.module } : req);
}

/**
 * A stateful analyzer for an editor: it keeps each document's last parse so an edit reparses
 * incrementally and reuses the AST of unchanged top-level statements.
 */
export interface Analyzer {
  analyzeFile(req: AnalyzeRequest): FileAnalysis;
  summarizeModel(req: SummaryRequest): ModelSummary | { error: string };
  /** Forgets a closed document. */
  close(path: string): void;
  /** Parses an imported file, sharing this analyzer's parses of the same text (the checks' evaluations use it too). */
  parseImport(text: string): Module;
  /**
   * A file checked once (the CLI's `check`): with a persistent parse cache, the stored parse of its text (a parse
   * within `deadline` is stored when it is whole), which the analyses of `path` with this text then use until
   * `close(path)`; without one, or when the parse stopped at the deadline, the parse itself (`parsed`), which the
   * caller passes on as before.
   */
  parseChecked(path: string, text: string, deadline?: number): CheckedParse;
  /**
   * Models run and models whose earlier result served (as it was, or moved with its statements), and module scopes
   * whose earlier analysis served, since the analyzer was made.
   */
  readonly counts: { readonly modelRuns: number; readonly modelsReused: number; readonly modelsMoved: number; readonly moduleScopesReused: number };
}

/** A checked file's module, with the parse it came from when it was parsed here rather than read from the parse cache. */
export interface CheckedParse {
  readonly module: Module;
  readonly parsed?: ParsedDocument;
}

/** Parses of imported files kept by an analyzer, keyed by their text (ASTs are never mutated). */
const IMPORT_PARSE_LIMIT = 300;
/** Model results an analyzer keeps for reuse (a few per model class of the open documents). */
const REUSED_RESULTS_LIMIT = 1_000;
/** Documents whose models' reach an analyzer keeps (each holds its last file index). */
const REACHES_KEPT = 50;

/** A module-scope analysis and what it was computed from. */
interface ModuleScopeResult {
  /** The request's settings besides the text (release, environment, step budgets). */
  readonly key: string;
  readonly index: FileIndex;
  readonly reads: ReadonlyMap<string, string | undefined>;
  readonly result: FileAnalysis;
}

/** A model result and what it was computed from. */
interface ReusableResult {
  readonly dependencies: readonly DependencyStatement[];
  /** The statements the run evaluated, and the definitions whose bodies it ran. */
  readonly run: StatementsRun;
  /** Where those statements were. */
  readonly places: readonly StatementPlace[];
  /** Every file the analysis read, with the text it got (undefined: not there). */
  readonly reads: ReadonlyMap<string, string | undefined>;
  readonly result: ModelSummary | { error: string };
  /** Set when the step, size or import budget cut the run short: the budgets it had (budgetsOf), which a reuse must have. */
  readonly cutAt?: string;
}

/**
 * The budgets a run spends by its code alone (not the deadline), as a key: a module scope is kept for the same ones,
 * and a model result they cut short is reused only with the same ones.
 */
const budgetsOf = (budget: Budget | undefined): string => JSON.stringify([budget?.steps, budget?.cells, budget?.importChars, budget?.loopSteps, budget?.moduleLoopSteps]);

/**
 * Everything of a summary request besides the file's statements and imported files; a request without a dtype
 * is a float one (as the summary reads it), so the editor's runs and the checks' share results. `commentInputs` gives
 * the text's input comment (inputsFromComment).
 */
function requestKey(req: SummaryRequest, commentInputs: (text: string) => readonly string[]): string {
  const { path, model, inputs, call, sampleOf, torchVersion, sitePackages, environment } = req;
  const dtype = req.dtype ?? 'float';
  return JSON.stringify([path, model, inputs, dtype, call, sampleOf, torchVersion, sitePackages, environment, inputs?.length ? [] : commentInputs(req.text)]);
}

/** This file's unknowns and errors outside the model's statements are left out (other files' stay). */
function withinDependencies(result: ModelSummary | { error: string }, path: string, ranges: readonly Range[]): ModelSummary | { error: string } {
  if ('error' in result) return result;
  // Lines are 1-based here, 0 when the diagnostic has no place.
  const inside = (d: { readonly file: string; readonly line: number }): boolean => d.file !== path || d.line === 0 || ranges.some((r) => d.line - 1 >= r.start.line && d.line - 1 <= r.end.line);
  return { ...result, unknown: result.unknown.filter(inside), errors: result.errors.filter(inside) };
}

/**
 * Moves the ranges of a model's result with its statements. The model expression is evaluated as a line of its
 * own numbered 0 in the file (`__ml_notes_model__ = Net()`): a range on line 0 that no statement holds is the
 * expression's and stays, unless the file's first statement moved (then line 0 is ambiguous).
 */
function modelRangeMover(before: readonly StatementPlace[], after: readonly StatementPlace[]): RangeMove {
  const move = rangeMover(before, after);
  const firstMoved = before[0]?.start.line !== after[0]?.start.line;
  return (range) => (range.end.line === 0 && firstMoved ? undefined : (move(range) ?? (range.end.line === 0 ? range : undefined)));
}

export interface AnalyzerOptions {
  /** Parses of imported files kept beyond this analyzer (the CLI's cache on disk). */
  readonly parseCache?: ParseCache;
  /**
   * Whether a summary keeps the file's session after its module level for the next summary of the file
   * (analysis/keptSession.ts); true unless false. An analyzer that summarises once (the CLI's summary command)
   * passes false: keeping costs a walk and records during the run, which only a later summary repays.
   */
  readonly keepsSessions?: boolean;
}

export function createAnalyzer(options: AnalyzerOptions = {}): Analyzer {
  const documents = new Map<string, ParsedDocument>();
  const importParses = new Map<string, Module>();
  // Imported files (torchvision's utils, a sibling blocks.py) rarely change between analyses.
  const parseImport = (text: string): Module => {
    const kept = importParses.get(text);
    if (kept) return kept;
    const stored = options.parseCache?.get(text);
    const module = stored ?? parseDocument(text).module;
    setBounded(importParses, text, module, IMPORT_PARSE_LIMIT);
    if (!stored) options.parseCache?.set(text, module);
    return module;
  };
  const parsedFor = (path: string, text: string, given?: ParsedDocument): ParsedDocument => {
    if (given && given.text === text) {
      documents.set(path, given);
      return given;
    }
    const previous = documents.get(path);
    if (previous && previous.text === text) return previous;
    const parsed = parseDocument(text, previous);
    documents.set(path, parsed);
    return parsed;
  };
  /** Checked files' modules from the parse cache (parseChecked), by path, until closed. */
  const checkedModules = new Map<string, { readonly text: string; readonly module: Module }>();
  const checkedModule = (path: string, text: string): Module | undefined => {
    const kept = checkedModules.get(path);
    return kept?.text === text ? kept.module : undefined;
  };
  const parseChecked = (path: string, text: string, deadline?: number): CheckedParse => {
    const kept = checkedModule(path, text);
    if (kept) return { module: kept };
    const stored = options.parseCache?.get(text);
    if (stored) {
      checkedModules.set(path, { text, module: stored });
      return { module: stored };
    }
    const parsed = parseDocument(text, undefined, undefined, deadline);
    // A parse cut short at the deadline holds only the statements before it: never stored.
    if (parsed.stoppedAtLine === undefined) options.parseCache?.set(text, parsed.module);
    return { module: parsed.module, parsed };
  };
  const moduleFor = (path: string, text: string, given?: ParsedDocument): Module => {
    const checked = given ? undefined : checkedModule(path, text);
    if (checked) return checked;
    // Without an editor's earlier parse to reuse (the CLI), the stored parse of the same text serves.
    if (options.parseCache && !given && !documents.has(path)) return parseImport(text);
    return parsedFor(path, text, given).module;
  };
  const reusable = new Map<string, ReusableResult>();
  // Every model of a document is asked for with the same text: its input comment is looked for once per text, not once
  // per model (a file without one was searched to its end for each of its models on every keystroke).
  let lastComment: { readonly text: string; readonly inputs: readonly string[] } | undefined;
  const commentInputs = (text: string): readonly string[] => {
    if (lastComment?.text !== text) lastComment = { text, inputs: inputsFromComment(text) };
    return lastComment.inputs;
  };
  /** Per document, what its models' names reached in its last version (see modelDependencies). */
  const reaches = new Map<string, KeptReaches>();
  const reachesOf = (path: string): KeptReaches => keptFor(reaches, path, REACHES_KEPT, () => ({}));
  const counts = { modelRuns: 0, modelsReused: 0, modelsMoved: 0, moduleScopesReused: 0 };
  /** Each document's last module-scope analysis and what it was computed from (see sameModuleScope). */
  const moduleScopes = new Map<string, ModuleScopeResult>();
  /** The file's module scope: the last analysis of its path when running the module would do the same again. */
  const analyzeModuleScope = (req: AnalyzeRequest): FileAnalysis => {
    const checked = req.parsed ? undefined : checkedModule(req.path, req.text);
    const parsed = checked ? undefined : parsedFor(req.path, req.text, req.parsed);
    const module = checked ?? parsed!.module;
    const key = JSON.stringify([req.torchVersion, req.environment, budgetsOf(req.budget)]);
    // The parse's line starts serve the index: the text is not searched for its lines again.
    const index = fileIndex(module, req.text, parsed?.lines.lineStarts);
    const previous = moduleScopes.get(req.path);
    // Files read before are read again (the caller learns which files the analysis depends on) and must be unchanged.
    if (previous && previous.key === key && [...previous.reads].every(([path, text]) => req.readFile?.(path) === text) && sameModuleScope(previous.index, index)) {
      counts.moduleScopesReused++;
      return previous.result;
    }
    const reads = new Map<string, string | undefined>();
    const given = req.readFile;
    const readFile = given
      ? (path: string): string | undefined => {
          const text = given(path);
          reads.set(path, text);
          return text;
        }
      : undefined;
    const result = analyzeParsed({ ...req, ...(readFile ? { readFile } : {}) }, module, parseImport);
    // A result a budget cut short is never reused.
    if (result.incomplete) moduleScopes.delete(req.path);
    else moduleScopes.set(req.path, { key, index, reads, result });
    return result;
  };
  /** The last result of a model whose statements and imported files are unchanged, moved to where its statements now are. */
  const reused = (previous: ReusableResult | undefined, req: SummaryRequest, statements: readonly DependencyStatement[], ranges: readonly Range[], module: Module): ReusableResult | undefined => {
    if (!previous || (previous.cutAt !== undefined && previous.cutAt !== budgetsOf(req.budget)) || ![...previous.reads].every(([path, text]) => req.readFile?.(path) === text)) return undefined;
    if (sameDependencies(previous.dependencies, statements)) return previous;
    const places = placesOfRanges(ranges);
    if (sameStatementsElsewhere(previous.dependencies, statements)) {
      const moved = moveRanges(previous.result, modelRangeMover(previous.places, places), req.path);
      if (!moved) return undefined;
      counts.modelsMoved++;
      // The run stays the one before the move: compared with it, a later edit in a body it skipped runs the model again.
      return { ...previous, dependencies: statements, places, result: moved };
    }
    // Changed only inside function bodies the run never called: the same run, with its statements where they were.
    const ran = sameRunStatements(previous.run, { statements, module });
    return ran && { ...previous, dependencies: statements, run: { statements, module, ran } };
  };
  /** The last summarised file's sessions after its module level, for its next summaries (analysis/keptSession.ts). */
  const keptSessions = options.keepsSessions === false ? undefined : new KeptSessions();
  /**
   * A model built by an expression, or from the file's own call of a class (`sampleOf`), reusing its last result
   * when nothing it depends on changed. A run evaluates only those statements: the others cannot change its result,
   * and a 60-model file's 60 runs no longer each define every class of the file.
   */
  const summarizeReusing = (req: SummaryRequest, module: Module): ModelSummary | { error: string } => {
    const key = requestKey(req, commentInputs);
    const { statements, ranges, module: dependencies } = modelDependencies(module, req.text, req.model ?? sampleDriverNames(module, req.sampleOf ?? ''), reachesOf(req.path));
    const previous = reusable.get(key);
    const kept = reused(previous, req, statements, ranges, dependencies);
    if (kept) {
      counts.modelsReused++;
      if (kept !== previous) reusable.set(key, kept);
      return kept.result;
    }
    counts.modelRuns++;
    const reads = new Map<string, string | undefined>();
    const readFile = (path: string): string | undefined => {
      const text = req.readFile?.(path);
      reads.set(path, text);
      return text;
    };
    let timeSpent = true;
    let budgetSpent = true;
    const ranDefinitions = new Set<FunctionDef>();
    const result = withinDependencies(
      summarize({ ...req, readFile, module: dependencies, parse: parseImport, ranDefinitions, onDone: (facts) => ({ timeSpent, budgetSpent } = facts) }),
      req.path,
      ranges,
    );
    reusable.delete(key);
    // A result the deadline cut short is never reused: with more time it could differ. One the step, size or import
    // budget cut short is kept: the same statements and files spend them at the same point again (a class whose
    // sample search spends the step budget searched again on every keystroke: timm's tiny_vit.py, issue 16).
    if (!timeSpent) {
      setBounded(reusable, key, { dependencies: statements, run: { statements, module: dependencies, ran: ranDefinitions }, places: placesOfRanges(ranges), reads, result, ...(budgetSpent ? { cutAt: budgetsOf(req.budget) } : {}) }, REUSED_RESULTS_LIMIT);
    }
    return result;
  };
  return {
    analyzeFile(req) {
      try {
        return analyzeModuleScope(req);
      } catch (e) {
        return { path: req.path, classes: [], functions: [], imports: [], unknown: [], errors: [], incomplete: `internal error: ${e instanceof Error ? e.message : String(e)}` };
      }
    },
    summarizeModel(req) {
      try {
        const module = moduleFor(req.path, req.text, req.parsed);
        if (req.reuse && (req.model !== undefined || req.sampleOf !== undefined)) return summarizeReusing(req, module);
        return keptSessions ? summarizeModelKept({ ...req, module, parse: parseImport }, keptSessions) : summarize({ ...req, module, parse: parseImport });
      } catch (e) {
        return { error: `internal error: ${e instanceof Error ? e.message : String(e)}` };
      }
    },
    parseImport,
    parseChecked,
    counts,
    close(path) {
      documents.delete(path);
      checkedModules.delete(path);
      moduleScopes.delete(path);
      keptSessions?.forget(path);
      reaches.delete(path);
      for (const key of [...reusable.keys()]) if (key.startsWith(JSON.stringify([path]).slice(0, -1))) reusable.delete(key);
    },
  };
}
