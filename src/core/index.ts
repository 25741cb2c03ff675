// The core's public API: plain serializable data in and out, never throws. The editor and the CLI
// call only these functions.
import type { Range } from './values';
import type { Module } from './python/ast';
import type { ParsedDocument } from './python/parse';
import { parseDocument } from './python/parse';
import { createSession } from './interp/session';
import { BudgetExceeded } from './interp/interpreter';
import type { Budget } from './interp/interpreter';
import type { TorchVersion } from './frameworks/torch/version';
import { summarizeModel as summarize, userModuleClasses } from './analysis/summary';
import type { ModelSummary, SummaryRequest as InternalSummaryRequest } from './analysis/summary';

export type { ModelSummary, CallReport, ContainerCallReport, ModuleReport, JsonShape, ParamsUnknown, ReceptiveFieldReport } from './analysis/summary';
export type { ValueShape, StatementReport, LoopReport, OpReport, AssumedReport } from './analysis/trace';
export type { InitReport } from './analysis/init';
export { modelExpressionProblem, receptiveFieldText } from './analysis/summary';
export { inputSpecProblem, parseInputSpec, parseShape, shapeProblem } from './analysis/modelSetup';
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
}

/** The summary request of the analysis, with the caller's own parse instead of its internal parse hooks. */
export interface SummaryRequest extends Omit<InternalSummaryRequest, 'parse' | 'module'> {
  /** A parse of `text` the caller already has (from parseDocument), so it is not parsed twice. */
  readonly parsed?: ParsedDocument;
}

// The editor's per-file analysis stays cheap: imported files it may parse are capped.
const DEFAULT_ANALYZE_BUDGET: Budget = { steps: 100_000, ms: 400, importChars: 100_000 };

function analyzeParsed(req: AnalyzeRequest, parsed: ParsedDocument, parseImport?: (text: string) => Module): FileAnalysis {
  const classes: ClassInfo[] = [];
  const functions: { name: string; range: Range }[] = [];
  const imports: { module: string; range: Range }[] = [];
  for (const s of parsed.module.body) {
    if (s.k === 'def') functions.push({ name: s.name, range: s.r });
    else if (s.k === 'import') for (const n of s.names) imports.push({ module: n.module, range: s.r });
    else if (s.k === 'from') imports.push({ module: `${'.'.repeat(s.level)}${s.module}`, range: s.r });
  }
  let incomplete: string | undefined;
  const session = createSession({ ...(req.readFile ? { readFile: req.readFile } : {}), ...(parseImport ? { parse: parseImport } : {}), budget: req.budget ?? DEFAULT_ANALYZE_BUDGET, ...(req.torchVersion ? { torchVersion: req.torchVersion } : {}) });
  const scope = session.interp.newModuleScope(req.path);
  session.torch.recording = false;
  try {
    session.interp.execModule(parsed.module, scope);
  } catch (e) {
    incomplete = e instanceof BudgetExceeded ? e.reason : `internal error: ${e instanceof Error ? e.message : String(e)}`;
  }
  const modules = new Set(userModuleClasses(session, scope, req.path));
  for (const s of parsed.module.body) {
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
    return analyzeParsed(req, req.parsed?.text === req.text ? req.parsed : parseDocument(req.text));
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
}

/** Parses of imported files kept by an analyzer, keyed by their text (ASTs are never mutated). */
const IMPORT_PARSE_LIMIT = 300;

export function createAnalyzer(): Analyzer {
  const documents = new Map<string, ParsedDocument>();
  const importParses = new Map<string, Module>();
  // Imported files (torchvision's utils, a sibling blocks.py) rarely change between analyses.
  const parseImport = (text: string): Module => {
    const cached = importParses.get(text);
    if (cached) return cached;
    if (importParses.size >= IMPORT_PARSE_LIMIT) importParses.delete(importParses.keys().next().value!);
    const module = parseDocument(text).module;
    importParses.set(text, module);
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
  const moduleFor = (path: string, text: string, given?: ParsedDocument): Module => parsedFor(path, text, given).module;
  return {
    analyzeFile(req) {
      try {
        return analyzeParsed(req, parsedFor(req.path, req.text, req.parsed), parseImport);
      } catch (e) {
        return { path: req.path, classes: [], functions: [], imports: [], unknown: [], errors: [], incomplete: `internal error: ${e instanceof Error ? e.message : String(e)}` };
      }
    },
    summarizeModel(req) {
      try {
        return summarize({ ...req, module: moduleFor(req.path, req.text, req.parsed), parse: parseImport });
      } catch (e) {
        return { error: `internal error: ${e instanceof Error ? e.message : String(e)}` };
      }
    },
    close(path) {
      documents.delete(path);
    },
  };
}
