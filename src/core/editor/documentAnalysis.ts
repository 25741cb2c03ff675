// Everything the editor shows for one Python document, computed in one pass and returned as plain
// data: the models the file defines (with the input each was run on), every module call and module
// construction site in this file with its shapes, the inlay hints and the shape diagnostics. Hovers,
// hints and lenses only look things up in this result.
import type { Budget } from '../interp/interpreter';
import type { Analyzer, CallReport, ContainerCallReport, FileAnalysis, InitReport, JsonShape, ModelSummary, ModuleReport, SummaryRequest, TorchVersion } from '../index';
import { largestBatch } from '../analysis/fit';
import type { LoopReport, OpReport, StatementReport } from '../analysis/trace';
import type { ClassDef, Expr, Module, Stmt } from '../python/ast';
import type { CallExpr } from '../python/syntax';
import type { ParsedDocument } from '../python/parse';
import type { Range } from '../values';
import { rangeKey, rangeWithin } from '../ranges';
import { resolveModelInput, modelExpressions, type ModelInput, type UserModelSettings } from './modelInputs';
import { optimizerCalls, type OptimizerSite } from './simulationSeeds';
import { formatShape, formatValue } from './format';
import { modelPartChains, varianceChainDiagnostics, varianceChains, type VarianceChain } from './varianceChain';
import { GroupsByPart, groupBy } from './partGroups';
import { documentHints, type HintData } from './hints';
import { CheckCache, checkSteps, type CheckInput, type Finding } from '../checks';
import { parseShapeAnnotation, shapeMismatch, type Bindings } from './shapeComments';
import { checkForwardAnnotations, forwardAnnotations, type ForwardCall } from './annotationChecks';
import { pushTo } from '../groups';
import { lookupLayer } from '../frameworks/torch/index';
import { callAt, isTopLevelOf, statementIndex, topLevelStatementAt } from './statementIndex';
import { visibleFirstClasses, type LineRange } from './visibleModels';
import { RenderedBy, sameItems } from './renderedBy';
import { sameData } from './viewDelta';

export { formatShape };
export type { HintData };

export interface ModelView {
  readonly className: string;
  readonly classRange: Range;
  readonly nameRange: Range;
  /** The expression that built the model (`ResNet()`, `resnet18()`), or undefined when none could. */
  readonly expression?: string;
  readonly input?: ModelInput;
  /** The shapes the model actually ran on (symbolic when no input was known). */
  readonly ranOn?: readonly (readonly (number | string)[])[];
  readonly params?: number;
  readonly trainableParams?: number;
  readonly macs?: number | string;
  readonly output?: JsonShape;
  /** Why the model could not be summarised. */
  readonly error?: string;
  /** The class ran only as part of another model of this file. */
  readonly partOf?: string;
  /** "Does it fit?" (mlNotes.costs.gpuMemoryGB): the largest batch whose training step fits, or why it is not known. */
  readonly fit?: ModelFit;
}

/** The largest batch of a model's training step in a GPU's memory (0: not one sample), or why it could not be found. */
export type ModelFit = { readonly gpuBytes: number; readonly largestBatch: number | null; readonly affine: boolean } | { readonly gpuBytes: number; readonly error: string };

/**
 * One call of a module whose call expression is in this file. File names are left out (everything here
 * is this file): the result crosses from the worker to the editor's main thread on every analysis.
 */
export interface CallSite extends Omit<CallReport, 'file' | 'constructed' | 'line'> {
  readonly model: string;
  /** Where the called module was constructed, when that is in this file. */
  readonly constructedHere?: Range;
}

/** A call of a module that holds other modules (`self.layer2(x)`, `block(x)`), made in this file. */
export interface ContainerSite extends Omit<ContainerCallReport, 'file' | 'constructed' | 'line'> {
  readonly model: string;
  readonly constructedHere?: Range;
}

/** A functional op or tensor method called in this file (`F.softmax(att, dim=-1)`, `x.view(B, T, C)`). */
export interface OpSite extends Omit<OpReport, 'file'> {
  readonly model: string;
}

/** A module constructed in this file, with every call made of it. */
export interface ModuleSite {
  readonly range: Range;
  readonly model: string;
  readonly report: ModuleReport;
  readonly calls: readonly CallSite[];
}

/** The shapes a variable holds after an assignment in forward code (several when the line runs several times). */
export interface VariableSite {
  readonly name: string;
  readonly statement: Range;
  /** The innermost function containing the assignment. */
  readonly scope: Range;
  readonly shapes: readonly string[];
}

export interface TextEditData {
  readonly range: Range;
  readonly newText: string;
  /** In a notebook's view of one cell: the cell (index among all cells) the edit is in, when it is another. */
  readonly cell?: number;
}

/** A place related to a diagnostic (where the layer was built, where its input came from). */
export interface RelatedSite {
  readonly range: Range;
  readonly message: string;
  /** In a notebook's view of one cell: the cell (index among all cells) the range is in, when it is another. */
  readonly cell?: number;
}

export interface QuickFixData {
  readonly title: string;
  readonly edits: readonly TextEditData[];
}

export interface ShapeDiagnostic {
  readonly range: Range;
  readonly severity: 'error' | 'warning' | 'info' | 'hint';
  readonly message: string;
  readonly code: string;
  /** Where the other shape came from (the layer's construction, the call that produced the input). */
  readonly related?: readonly RelatedSite[];
  readonly fixes?: readonly QuickFixData[];
  /** The model ran on an input the analysis guessed (no comment, setting or sample call gave one). */
  readonly guessedInput?: boolean;
}

export interface EditorAnalysis {
  readonly path: string;
  readonly models: readonly ModelView[];
  readonly calls: readonly CallSite[];
  /** Calls of modules with children (containers, blocks) made in this file. */
  readonly containerCalls: readonly ContainerSite[];
  /** Functional ops and tensor methods called in this file. */
  readonly ops: readonly OpSite[];
  /** What each statement and loop of this file's forward code produced (every model run, in order). */
  readonly statements: readonly StatementReport[];
  readonly loops: readonly LoopReport[];
  readonly modules: readonly ModuleSite[];
  /** The weight init of every Linear/Conv module by `model\u0000path` (the variance-chain analysis reads it). */
  readonly layerWeights: Readonly<Record<string, InitReport>>;
  /** The bias init of the same modules, where they have one (its variance enters the variance chain). */
  readonly layerBiases?: Readonly<Record<string, InitReport>>;
  readonly hints: readonly HintData[];
  readonly variables: readonly VariableSite[];
  readonly diagnostics: readonly ShapeDiagnostic[];
  /** Findings of the code checks (CC-xx), when the request asked for them. */
  readonly findings: readonly Finding[];
  /** Optimizer constructions (`optim.SGD(...)`), where the editor offers the optimizer simulation. */
  readonly optimizers: readonly OptimizerSite[];
  /** Files the analysis asked for (imports), so the editor can re-analyse when they change. */
  readonly requestedFiles: readonly string[];
  readonly elapsedMs: number;
  /** Why the requested model (`run.expression`) could not be run. */
  readonly runError?: string;
  /** Set when the analysis ran out of its budget somewhere (the file or a model is too complex to finish in time). */
  readonly stopped?: string;
}

/**
 * 'full' runs every model and the checks; 'moduleScope' (the host's reduced mode after its watchdog had to
 * stop a full analysis of the document) evaluates the file's top level only.
 */
export type AnalysisMode = 'full' | 'moduleScope';

/** Why a model has no summary in the reduced mode, and when the shared deadline passed before it. */
export const MODULE_SCOPE_ONLY = 'too complex to analyse in time: only the module scope was analysed';
export const TIME_SPENT = "not analysed: the analysis's time budget was spent on the code before it";
/** Why `check` did not run a model (see skipGuessedInputs). */
const NO_GIVEN_INPUT = 'not run: the file gives no input for it (a `# ml-notes: input=` comment or a call)';

/** Whether a line of the class carries a shape comment (`# -> [B, 64, H, W]`) that only a run can check. */
const hasShapeComments = (lines: readonly string[], cls: ClassDef): boolean =>
  lines.slice(cls.r.start.line, cls.r.end.line + 1).some((line) => line.includes('#') && parseShapeAnnotation(line) !== undefined);

export interface EditorAnalysisRequest {
  readonly path: string;
  readonly text: string;
  readonly readFile?: (path: string) => string | undefined;
  readonly user?: Readonly<Record<string, UserModelSettings>>;
  readonly budget?: Budget;
  /** The caller's parse of `text`, so the analyzer does not parse it again. */
  readonly parsed?: ParsedDocument;
  /** Run the code checks too, without these rule ids. */
  readonly checks?: { readonly disabled: readonly string[] };
  /** A chain of layers whose forward variance product leaves this range is flagged (setting). */
  readonly varianceGainRange?: readonly [number, number];
  /**
   * The model to run first and its input (`ml-notes annotate --model EXPR --input SHAPE`). Without an
   * expression, the input applies to the first model the editor runs.
   */
  readonly run?: {
    readonly expression?: string;
    readonly input?: { readonly shapes: readonly string[]; readonly dtype: 'float' | 'long' };
    /** Run only this model (the CLI's `--model`), not every model class of the file. */
    readonly only?: boolean;
  };
  readonly mode?: AnalysisMode;
  /** The user's PyTorch release (setting or environment); the newest known when absent. */
  readonly torchVersion?: TorchVersion;
  /** GPU memory in bytes (mlNotes.costs.gpuMemoryGB): each model's largest training batch that fits it. */
  readonly gpuBytes?: number;
  /** Environment variables the user's run sets (the CLI's --env); any other is unknown. */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * For `ml-notes check`: a model whose input the file does not give is not run, unless shape comments in its
   * class need a run (a guessed input is no evidence, so its shape errors are never reported anyway).
   */
  readonly skipGuessedInputs?: boolean;
  /**
   * For `ml-notes check`, which reads only the diagnostics: the optimizer sites (the simulations' code lenses) are
   * not looked for, and `optimizers` is empty. Their search indexed every statement of the file, function bodies
   * included (~3% of a check's processor time, issue 16); the diagnostics are the same.
   */
  readonly diagnosticsOnly?: boolean;
  /** The module-scope pass's step budget, when it is smaller than the budget's (`ml-notes check`: see checkDocument). */
  readonly moduleScopeSteps?: number;
  /** The steps a loop of the module-scope pass takes before its rest is explored as unknown (`Budget.loopSteps`). */
  readonly moduleScopeLoopSteps?: number;
  /** The lines the editor shows: their models are analysed first and reported as a `visible` step. */
  readonly visibleLines?: readonly LineRange[];
}



/** Each analyzer's check results by unit, reused after an edit that left a unit's statements unchanged. */
const CHECK_CACHES = new WeakMap<Analyzer, CheckCache>();

function checkCacheOf(analyzer: Analyzer): CheckCache {
  let cache = CHECK_CACHES.get(analyzer);
  if (!cache) CHECK_CACHES.set(analyzer, (cache = new CheckCache()));
  return cache;
}

/** Forgets a closed document: the analyzer's state for it and the split of its check units. */
export function closeDocument(analyzer: Analyzer, path: string): void {
  analyzer.close(path);
  CHECK_CACHES.get(analyzer)?.forget(path);
}

/** Check units checked and reused by an analyzer's analyses (for tests). */
export const checkCounts = (analyzer: Analyzer): { readonly checked: number; readonly reused: number } => ({ ...checkCacheOf(analyzer).counts });

/** The largest batch of one model's training step in `gpuBytes` (the analyses share the document's budget). */
function modelFit(analyzer: Analyzer, request: SummaryRequest, gpuBytes: number): ModelFit {
  const fit = largestBatch(request, gpuBytes, (r) => analyzer.summarizeModel(r));
  return 'error' in fit ? { gpuBytes, error: fit.error } : { gpuBytes, largestBatch: fit.largest_batch, affine: fit.affine };
}

/** The constructor argument passed for a parameter, by keyword or position. */
function argumentExpr(call: CallExpr, name: string, position: number): Expr | undefined {
  return call.args.find((a) => a.kind === 'kw' && a.name === name)?.value ?? call.args.filter((a) => a.kind === 'pos')[position]?.value;
}

/**
 * The feature/channel argument a shape error of this layer can be fixed by (its catalogue entry's
 * inputSize), with its position in the constructor and the input axis it must match.
 */
function fixableArgument(layerType: string): { readonly name: string; readonly position: number; readonly axis: 'last' | 'channel' } | undefined {
  const entry = lookupLayer(layerType);
  const inputSize = entry?.traits?.inputSize;
  if (!entry || !inputSize) return undefined;
  const position = entry.signature.findIndex((a) => a.name === inputSize.argument);
  return position < 0 ? undefined : { name: inputSize.argument, position, axis: inputSize.axis };
}

/**
 * A diagnostic for each layer call that would raise, at the call, naming both shapes: the input that
 * arrived (and the call that produced it) and what the layer was built for (its constructor), with a fix
 * that puts the number the input actually has into the constructor.
 */
function callDiagnostics(module: Module, lines: readonly string[], calls: readonly CallReport[], path: string): ShapeDiagnostic[] {
  const out: ShapeDiagnostic[] = [];
  const constructorNotes: ShapeDiagnostic[] = [];
  const seen = new Set<string>();
  calls.forEach((call, i) => {
    if (!call.error || call.file !== path || seen.has(rangeKey(call.callRange))) return;
    seen.add(rangeKey(call.callRange));
    const input = call.input[0];
    const earlier = [...calls.slice(0, i)].reverse().filter((c) => c.file === path);
    const producer = earlier.find((c) => formatShape(c.output) === formatShape(input ?? null));
    const previous = producer ?? earlier[0];
    const related: { range: Range; message: string }[] = [];
    if (call.constructed?.file === path) related.push({ range: call.constructed.range, message: `${call.path} (${call.type}) is constructed here` });
    if (producer) related.push({ range: producer.callRange, message: `the input ${formatShape(producer.output)} comes from ${producer.path} (${producer.type})` });
    else if (previous) related.push({ range: previous.callRange, message: `the last layer before it, ${previous.path} (${previous.type}), gives ${formatShape(previous.output)}` });
    const fixes: QuickFixData[] = [];
    const fixable = fixableArgument(call.type);
    const shape = Array.isArray(input) ? (input as (number | string)[]) : undefined;
    const wanted = shape && fixable ? (fixable.axis === 'last' ? shape[shape.length - 1] : shape.length >= 3 ? shape[1] : shape[0]) : undefined;
    const ctor = call.constructed?.file === path ? callAt(module, call.constructed.range) : undefined;
    const arg = ctor && fixable ? argumentExpr(ctor, fixable.name, fixable.position) : undefined;
    if (fixable && arg && typeof wanted === 'number') {
      fixes.push({ title: `Set ${fixable.name} to ${wanted} (the input's size)`, edits: [{ range: arg.r, newText: String(wanted) }] });
      // The same fix where the number is written: the constructor's argument.
      constructorNotes.push({
        range: arg.r,
        severity: 'hint',
        message: `${call.path} (${call.type}) is built with ${fixable.name} = ${argumentText(arg, lines)}, but its input at line ${call.callRange.start.line + 1} has ${wanted}`,
        code: 'shape-constructor',
        related: [{ range: call.callRange, message: `${call.path} receives ${input !== undefined ? formatShape(input) : '?'} here` }],
        fixes: [...fixes],
      });
    }
    out.push({
      range: call.callRange,
      severity: 'error',
      message: `${call.path}: ${call.error} — input ${input !== undefined ? formatShape(input) : '?'}${producer ? ` from ${producer.path}` : ''}`,
      code: 'shape',
      ...(related.length ? { related } : {}),
      ...(fixes.length ? { fixes } : {}),
    });
  });
  return [...out, ...constructorNotes];
}

/**
 * The call diagnostics of a model's result, made once per result object: a result an edit left in use ran the same
 * statements at the same places, so the constructors and lines these diagnostics quote are the same too.
 */
const CALL_DIAGNOSTICS = new WeakMap<ModelSummary, { readonly path: string; readonly diagnostics: readonly ShapeDiagnostic[] }>();

function callDiagnosticsOf(module: Module, lines: readonly string[], summary: ModelSummary, path: string): readonly ShapeDiagnostic[] {
  const known = CALL_DIAGNOSTICS.get(summary);
  if (known?.path === path) return known.diagnostics;
  const diagnostics = callDiagnostics(module, lines, summary.calls, path);
  CALL_DIAGNOSTICS.set(summary, { path, diagnostics });
  return diagnostics;
}

/**
 * A warning on each shape comment that disagrees with what its statement produced (`x = f(x)  # [B, 64, H/2, W/2]`),
 * naming both shapes. The comment sits on the statement's last line. Names bind across the comments of
 * one run of a function (CLIP's `# shape = [*, width, grid, grid]` then `# shape = [*, width, grid ** 2]`).
 */
function shapeCommentDiagnostics(lines: readonly string[], statements: readonly StatementReport[]): ShapeDiagnostic[] {
  const annotations = new Map<number, ReturnType<typeof parseShapeAnnotation>>();
  const annotationAt = (line: number) => {
    if (!annotations.has(line)) annotations.set(line, parseShapeAnnotation(lines[line] ?? ''));
    return annotations.get(line);
  };
  const byFrame = new Map<number, StatementReport[]>();
  for (const st of statements) {
    if (!annotationAt(st.range.end.line)) continue;
    pushTo(byFrame, st.frame, st);
  }
  const problems = new Map<string, { statement: StatementReport; why: string; values: Set<string> }>();
  for (const run of byFrame.values()) {
    const bound: Bindings = new Map();
    for (const st of run) {
      const annotation = annotationAt(st.range.end.line)!;
      if (st.value.kind !== 'tensor' || !st.value.shape) continue;
      const why = shapeMismatch(annotation.dims, st.value.shape, bound);
      const key = rangeKey(st.range);
      const problem = problems.get(key);
      if (problem) problem.values.add(formatValue(st.value));
      else if (why) problems.set(key, { statement: st, why, values: new Set([formatValue(st.value)]) });
    }
  }
  return [...problems.values()].map(({ statement, why, values }): ShapeDiagnostic => {
    const line = statement.range.end.line;
    const annotation = annotationAt(line)!;
    return {
      range: { start: { line, character: annotation.start }, end: { line, character: annotation.end } },
      severity: 'warning',
      message: `The comment says [${annotation.dims.join(', ')}] but the line gives ${[...values].join(' | ')} (${why})`,
      code: 'shape-comment',
    };
  });
}

/** The source text of an expression on one line (its first line otherwise). */
function argumentText(e: Expr, lines: readonly string[]): string {
  const line = lines[e.r.start.line] ?? '';
  return e.r.start.line === e.r.end.line ? line.slice(e.r.start.character, e.r.end.character) : `${line.slice(e.r.start.character)}…`;
}

/** A variable's assignment with its shape as text. */
interface ShownAssignment {
  readonly name: string;
  readonly statement: Range;
  readonly shape: string;
}

/** Each variable's site by its group's first assignment, with the top-level statement and the group it was made from. */
const VARIABLE_SITES = new RenderedBy<VariableSite | undefined>(sameItems);

/**
 * The site of a group (a part's own array, which a model an edit did not touch keeps) with the top-level statement it
 * is in: while that statement is in the module, the site is taken again without looking the statement up.
 */
const GROUP_SITES = new WeakMap<readonly ShownAssignment[], { readonly top: Stmt; readonly site: VariableSite | undefined }>();

function variableSites(module: Module, groups: ReadonlyMap<string, readonly ShownAssignment[]>): VariableSite[] {
  const sites: VariableSite[] = [];
  for (const group of groups.values()) {
    const kept = GROUP_SITES.get(group);
    if (kept && isTopLevelOf(module, kept.top)) {
      if (kept.site) sites.push(kept.site);
      continue;
    }
    const { name, statement } = group[0]!;
    const top = topLevelStatementAt(module, statement);
    const site =
      top &&
      VARIABLE_SITES.get(group[0]!, [top, group], () => {
        // The innermost function containing the assignment, among those of its top-level statement.
        const scope = statementIndex(top).functions.filter((d) => rangeWithin(statement, d)).sort((a, b) => b.start.line - a.start.line)[0];
        return scope ? { name, statement, scope, shapes: [...new Set(group.map((a) => a.shape))] } : undefined;
      });
    if (top) GROUP_SITES.set(group, { top, site });
    if (site) sites.push(site);
  }
  return sites;
}

/** Each model part's assignments by variable and statement, with their shapes as text. */
const VARIABLE_GROUPS = new GroupsByPart<ModelParts, ShownAssignment>((parts) =>
  groupBy(
    parts.assignments.map((a) => ({ name: a.target, statement: a.range, shape: formatShape(a.shape) })),
    (a) => `${a.name}@${rangeKey(a.statement)}`,
  ),
);

/** Each model part's statements by range, for the hints. */
const STATEMENT_GROUPS = new GroupsByPart<ModelParts, StatementReport>((parts) => groupBy(parts.statements, (s) => rangeKey(s.range)));

/** Each model part's calls by the range of the construction (in this file) of the module they call. */
const CALLS_BY_CONSTRUCTION = new GroupsByPart<ModelParts, CallSite>((parts) => groupBy(parts.calls, (c) => (c.constructedHere ? rangeKey(c.constructedHere) : undefined)));

/** Each module site by its report, with the model and the calls it was made from (a model an edit did not touch keeps them). */
const MODULE_SITES = new RenderedBy<ModuleSite>(sameItems);
const NO_CALLS: readonly CallSite[] = [];
/** The same, by a part's module and the calls of it (a part's own array, kept with the part while one model calls it). */
const SITE_OF_MODULE = new WeakMap<ModelModule, { readonly calls: readonly CallSite[]; readonly site: ModuleSite }>();

/** Each model part's variance chains (a part holds every call of its model when no other part runs the same expression). */
const PART_CHAINS = new WeakMap<ModelParts, VarianceChain[]>();

function chainsOfParts(parts: readonly ModelParts[], expressions: readonly string[], analysis: () => Pick<EditorAnalysis, 'calls' | 'layerWeights' | 'layerBiases'>): VarianceChain[] {
  // Two runs of one expression share their model's chains: computed from all their calls together.
  if (new Set(expressions).size !== expressions.length) return varianceChains(analysis());
  return parts.flatMap((p) => {
    let chains = PART_CHAINS.get(p);
    if (!chains) {
      chains = modelPartChains(p.model, p.calls, p.weights, p.biases);
      PART_CHAINS.set(p, chains);
    }
    return chains;
  });
}

/** Where a model's entry shows its class. */
type ClassPlace = Pick<ModelView, 'className' | 'classRange' | 'nameRange'>;

const samePlace = (a: ClassPlace, b: ClassPlace): boolean => a.className === b.className && sameData(a.classRange, b.classRange) && sameData(a.nameRange, b.nameRange);

/**
 * A model's entry in the view, kept with the result it shows (or the class shown as part of another model) while it
 * holds the same data: the view's change since the last one (viewDelta.ts) then finds it by identity. An entry is
 * kept with what it was made from besides its result, so the same data is found by comparing those few fields: the
 * result's own fields (the same objects) need no deep comparison.
 */
const RAN_MODEL_VIEWS = new WeakMap<ModelSummary, { readonly view: ModelView; readonly place: ClassPlace; readonly expression: string; readonly input: ModelInput | undefined; readonly fit: ModelFit | undefined }>();
const PART_MODEL_VIEWS = new WeakMap<FileAnalysis['classes'][number], { readonly view: ModelView; readonly place: ClassPlace; readonly partOf: string }>();

function ranModelView(summary: ModelSummary, place: ClassPlace, expression: string, input: ModelInput | undefined, fit: ModelFit | undefined): ModelView {
  const known = RAN_MODEL_VIEWS.get(summary);
  if (known && known.expression === expression && samePlace(known.place, place) && sameData(known.input, input) && sameData(known.fit, fit)) return known.view;
  const view: ModelView = {
    ...place,
    expression,
    ...(input ? { input } : {}),
    ranOn: summary.input,
    params: summary.params,
    trainableParams: summary.trainable_params,
    macs: summary.macs,
    output: summary.output,
    ...(fit ? { fit } : {}),
  };
  RAN_MODEL_VIEWS.set(summary, { view, place, expression, input, fit });
  return view;
}

function partModelView(cls: FileAnalysis['classes'][number], place: ClassPlace, partOf: string): ModelView {
  const known = PART_MODEL_VIEWS.get(cls);
  if (known && known.partOf === partOf && samePlace(known.place, place)) return known.view;
  const view: ModelView = { ...place, partOf };
  PART_MODEL_VIEWS.set(cls, { view, place, partOf });
  return view;
}

/** The parts' weight (or bias) inits by `expression\u0000module path`, in the parts' order (a later part's wins). */
function initsByModelAndPath(partsList: readonly ModelParts[], initsOf: (parts: ModelParts) => ReadonlyMap<string, InitReport>): Record<string, InitReport> {
  const out: Record<string, InitReport> = {};
  // Every key holds a NUL: none is an Object.prototype name such as __proto__, so assigning defines it.
  for (const parts of partsList) initsOf(parts).forEach((init, path) => (out[`${parts.model}\u0000${path}`] = init));
  return out;
}

/** A value computed when first asked for, then kept. */
function once<T>(compute: () => T): () => T {
  let known: { readonly value: T } | undefined;
  return () => (known ??= { value: compute() }).value;
}

/** The analysis with some fields replaced; its fields computed when first read stay so (a spread would read them). */
function withFields(analysis: EditorAnalysis, fields: Partial<EditorAnalysis>): EditorAnalysis {
  return Object.assign(Object.defineProperties({}, Object.getOwnPropertyDescriptors(analysis)), fields) as EditorAnalysis;
}

function classDefs(module: Module): ClassDef[] {
  return module.body.filter((s): s is ClassDef => s.k === 'class');
}

/**
 * Shape errors of the file's module-level code (tensors built at top level and passed through layers and
 * ops), one per statement, except where a model's run already reported that line.
 */
function scriptDiagnostics(errors: FileAnalysis['errors'], existing: readonly ShapeDiagnostic[]): ShapeDiagnostic[] {
  const reported = new Set(existing.map((d) => d.range.start.line));
  const out: ShapeDiagnostic[] = [];
  for (const e of errors) {
    if (!e.range || reported.has(e.range.start.line)) continue;
    reported.add(e.range.start.line);
    out.push({ range: e.range, severity: 'error', message: e.message, code: 'shape' });
  }
  return out;
}

const BUDGET_STOP = /^analysis stopped/;
const STEP: AnalysisProgress = { kind: 'step' };

/**
 * Why the analysis did not finish, when its budget ran out: while evaluating the file, while building a
 * model, or part-way through a model's forward (its output is then unknown for that reason). Ordinary
 * model errors are not a stop.
 */
function stoppedReason(incomplete: string | undefined, models: readonly ModelView[], forwardStops: readonly string[]): { stopped?: string } {
  if (incomplete && !incomplete.startsWith('internal error')) return { stopped: incomplete };
  const model = models.find((m) => m.error && BUDGET_STOP.test(m.error));
  if (model) return { stopped: `${model.className}: ${model.error!}` };
  return forwardStops.length ? { stopped: forwardStops[0]! } : {};
}

/** What one model's result contributes to the document's analysis: its sites in this file. */
interface ModelParts {
  /** The expression that built the model. */
  readonly model: string;
  readonly calls: readonly CallSite[];
  readonly assignments: readonly { range: Range; target: string; shape: JsonShape }[];
  readonly containerCalls: readonly ContainerSite[];
  readonly ops: readonly OpSite[];
  /** This file's statements, with the frames the model's run numbers them by. */
  readonly statements: readonly StatementReport[];
  /** The highest frame number of the model's run. */
  readonly lastFrame: number;
  readonly loops: readonly LoopReport[];
  /** Its weight and bias inits (each module's first) by module path, in the modules' order. */
  readonly weights: ReadonlyMap<string, InitReport>;
  readonly biases: ReadonlyMap<string, InitReport>;
  /** The types of its modules, each once, in the order they first come. */
  readonly moduleTypes: ReadonlySet<string>;
  /**
   * Its modules constructed in this file (not the root, whose construction is the model expression) with the model's
   * expression, by construction site (range key): the first the run built at each site.
   */
  readonly constructedHere: ReadonlyMap<string, ModelModule>;
}

/** A module of a model's result, with the expression that built the model. */
interface ModelModule {
  readonly model: string;
  readonly report: ModuleReport;
}

/** A model's statements with their frames numbered after the models before it, kept while that number is the same. */
const REBASED = new WeakMap<ModelParts, { readonly base: number; readonly statements: readonly StatementReport[] }>();

function rebasedStatements(parts: ModelParts, base: number): readonly StatementReport[] {
  if (base === 0) return parts.statements;
  const known = REBASED.get(parts);
  if (known?.base === base) return known.statements;
  const statements = parts.statements.map((st) => ({ ...st, frame: st.frame + base }));
  REBASED.set(parts, { base, statements });
  return statements;
}

/**
 * Each result's parts, by file and model expression. A model an edit did not touch keeps its result object
 * (the analyzer's reuse), so it keeps these objects too, and what is derived from them after (hints, variance
 * chains, the view's groups: partGroups.ts) can be reused by identity.
 */
const MODEL_PARTS = new WeakMap<ModelSummary, Map<string, ModelParts>>();

function modelParts(summary: ModelSummary, path: string, expression: string): ModelParts {
  const key = `${path}\u0000${expression}`;
  const known = MODEL_PARTS.get(summary)?.get(key);
  if (known) return known;
  const here = <T extends { readonly file: string }>(items: readonly T[]): T[] => items.filter((i) => i.file === path);
  // One walk over the modules for their inits, types and constructions (flatMaps made arrays per module).
  const weights = new Map<string, InitReport>();
  const biases = new Map<string, InitReport>();
  const moduleTypes = new Set<string>();
  // A site that builds many modules (a block's layer, once per block) is kept once: the view shows the first.
  const constructedHere = new Map<string, ModelModule>();
  for (const m of summary.modules) {
    const weight = m.inits.find((p) => p.name === 'weight');
    if (weight) weights.set(m.path, weight);
    const bias = m.inits.find((p) => p.name === 'bias');
    if (bias) biases.set(m.path, bias);
    moduleTypes.add(m.type);
    if (m.path !== '' && m.constructed?.file === path) {
      const key = rangeKey(m.constructed.range);
      if (!constructedHere.has(key)) constructedHere.set(key, { model: expression, report: m });
    }
  }
  const parts: ModelParts = {
    model: expression,
    calls: here(summary.calls).map((c) => siteOf(c, expression, path)),
    assignments: here(summary.assignments),
    containerCalls: here(summary.containerCalls).map((c) => siteOf(c, expression, path)),
    ops: here(summary.ops).map(({ file: _file, ...o }) => ({ ...o, model: expression })),
    statements: here(summary.statements),
    lastFrame: summary.statements.reduce((m, st) => Math.max(m, st.frame), 0),
    loops: here(summary.loops),
    weights,
    biases,
    moduleTypes,
    constructedHere,
  };
  const byKey = MODEL_PARTS.get(summary) ?? new Map<string, ModelParts>();
  byKey.set(key, parts);
  MODEL_PARTS.set(summary, byKey);
  return parts;
}

/**
 * A call's report as a site of this file: its fields but the file, construction and line, in their order (as a
 * rest and spread copy gives them, without its runtime copy), then the model's expression and, when this file
 * constructed the module, where.
 */
function siteOf<R extends CallReport | ContainerCallReport>(report: R, model: string, path: string): Omit<R, 'file' | 'constructed' | 'line'> & { readonly model: string; readonly constructedHere?: Range } {
  const site: Record<string, unknown> = {};
  for (const key in report) if (key !== 'file' && key !== 'constructed' && key !== 'line') site[key] = report[key];
  site['model'] = model;
  if (report.constructed?.file === path) site['constructedHere'] = report.constructed.range;
  return site as Omit<R, 'file' | 'constructed' | 'line'> & { readonly model: string; readonly constructedHere?: Range };
}

/**
 * What the step-wise analysis reports between its steps: a step done (module scope, one model class, one
 * check unit), or the models' part of the view before the checks run (all but the checks' findings).
 */
export type AnalysisProgress =
  | { readonly kind: 'step' }
  /** The models the user sees (visibleLines) and those that run them: their part of the view, as the whole pass gives it. */
  | { readonly kind: 'visible'; readonly analysis: EditorAnalysis }
  | { readonly kind: 'models'; readonly analysis: EditorAnalysis };

/** Analyses a document for the editor. Never throws: failures become a model's `error`. */
export function analyzeForEditor(analyzer: Analyzer, module: Module, req: EditorAnalysisRequest): EditorAnalysis {
  const steps = editorAnalysisSteps(analyzer, module, req);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * The steps one run of a loop in the module's own scope may take in the editor's passes (`Budget.moduleLoopSteps`,
 * the checks' DRIVE_BUDGET.loopSteps): past it the rest of the loop is explored as a loop over unknown items, so
 * what it writes is unknown after it and the code after it is still analysed. yunjey/pytorch-tutorial's
 * tensorboard/main.py trains for `range(50000)` steps at module level: each keystroke ran it until the step budget
 * ran out. Loops of functions (`__init__`) are not cut.
 */
export const MODULE_LOOP_STEPS = 50_000;

/**
 * analyzeForEditor in steps: the generator pauses after the module scope, after each model class and after
 * each check unit (so the worker can stop a stale request between them), and reports the visible models' part
 * of the view (with `visibleLines`) and the models' part before the checks run. Its return value is
 * analyzeForEditor's result; the steps do not change it.
 */
export function* editorAnalysisSteps(analyzer: Analyzer, module: Module, req: EditorAnalysisRequest): Generator<AnalysisProgress, EditorAnalysis, void> {
  const started = Date.now();
  const mode = req.mode ?? 'full';
  // One deadline for every pass (module scope, each model, checks): budget.ms is the whole analysis's, not each pass's.
  const deadline = req.budget?.deadline ?? (req.budget?.ms !== undefined ? started + req.budget.ms : undefined);
  // Module-level loops are cut after MODULE_LOOP_STEPS steps (a script's training loop), each pass alike.
  const budget = req.budget ? { moduleLoopSteps: MODULE_LOOP_STEPS, ...req.budget, ...(deadline !== undefined ? { deadline } : {}) } : undefined;
  const pastDeadline = (): boolean => deadline !== undefined && Date.now() > deadline;
  const requested = new Set<string>();
  const readFile = (path: string): string | undefined => {
    requested.add(path);
    return req.readFile?.(path);
  };
  const shared = { ...(budget ? { budget } : {}), ...(req.parsed ? { parsed: req.parsed } : {}), ...(req.torchVersion ? { torchVersion: req.torchVersion } : {}), ...(req.environment ? { environment: req.environment } : {}) };
  const moduleScopeBudget = { ...(req.moduleScopeSteps !== undefined ? { steps: req.moduleScopeSteps } : {}), ...(req.moduleScopeLoopSteps !== undefined ? { loopSteps: req.moduleScopeLoopSteps } : {}) };
  const info = analyzer.analyzeFile({ path: req.path, text: req.text, readFile, ...shared, ...(Object.keys(moduleScopeBudget).length > 0 ? { budget: { ...budget, ...moduleScopeBudget } } : {}) });
  yield STEP;
  // The text's lines, split once for both model passes and the checks.
  const lines = once(() => req.text.split('\n'));
  const context: PassContext = { analyzer, module, req, info, mode, shared, readFile, pastDeadline, started, requested, lines };
  // The classes the user sees (and those that can run them) first, as a partial view; then every class.
  const visible = req.visibleLines && mode === 'full' ? visibleFirstClasses(module, req.text, req.visibleLines) : undefined;
  if (visible) yield { kind: 'visible', analysis: yield* modelPass(context, visible) };
  const modelPart = yield* modelPass(context, undefined);
  if (!req.checks || mode !== 'full' || pastDeadline()) return modelPart;
  yield { kind: 'models', analysis: modelPart };
  const checkInput: CheckInput = {
    path: req.path,
    text: req.text,
    module,
    lines: lines(),
    ...(req.parsed?.text === req.text ? { lineIndex: req.parsed.lines } : {}),
    ...(req.readFile ? { readFile } : {}),
    parseImport: analyzer.parseImport,
    summarize: (r) => analyzer.summarizeModel({ ...shared, ...r, path: req.path, text: req.text, reuse: true }),
  };
  const checks = checkSteps(checkInput, { disabled: req.checks.disabled, ...(deadline !== undefined ? { deadline } : {}) }, undefined, checkCacheOf(analyzer));
  for (let unit = checks.next(); ; unit = checks.next()) {
    if (unit.done) return withFields(modelPart, { findings: unit.value.findings, requestedFiles: [...requested], elapsedMs: Date.now() - started });
    yield STEP;
  }
}

/** What the model passes of one analysis share. */
interface PassContext {
  readonly analyzer: Analyzer;
  readonly module: Module;
  readonly req: EditorAnalysisRequest;
  readonly info: FileAnalysis;
  readonly mode: AnalysisMode;
  readonly shared: SharedRequest;
  readonly readFile: (path: string) => string | undefined;
  readonly pastDeadline: () => boolean;
  readonly started: number;
  readonly requested: ReadonlySet<string>;
  /** The text's lines. */
  readonly lines: () => readonly string[];
}

/** The parts of every summary request of one analysis besides the model. */
type SharedRequest = Pick<SummaryRequest, 'budget' | 'parsed' | 'torchVersion' | 'environment'>;

/**
 * Runs the file's model classes (only those in `only`, when given: the models' results for them are the ones the
 * whole pass gives, see visibleFirstClasses) and assembles the models' part of the view, pausing after each class.
 */
function* modelPass(context: PassContext, only: ReadonlySet<string> | undefined): Generator<AnalysisProgress, EditorAnalysis, void> {
  const { analyzer, module, req, info, mode, shared, readFile, pastDeadline, started, requested } = context;
  const lines = context.lines();
  const defs = new Map(classDefs(module).map((c) => [c.name, c]));
  const models: ModelView[] = [];
  const calls: CallSite[] = [];
  const containerCalls: ContainerSite[] = [];
  const ops: OpSite[] = [];
  const statements: StatementReport[] = [];
  const loops: LoopReport[] = [];
  const diagnostics: ShapeDiagnostic[] = [];
  /** The parts of every model run, in the order they ran, and the expression each model was built by. */
  const partsList: ModelParts[] = [];
  const partExpressions: string[] = [];
  /** The model each module type first ran in (a class shown as part of that model), until the class runs as a root. */
  const covered = new Map<string, string>();
  /** Models whose forward ran out of the budget part-way, with the reason. */
  const forwardStops: string[] = [];

  /**
   * Runs one model (built by an expression, or taken from the file's own call of a class) and collects its
   * facts; the error when it cannot be built or run.
   */
  const runModel = (build: string | { readonly sampleOf: string }, input: ModelInput | undefined, base: Omit<ModelView, 'expression'> | undefined): string | undefined => {
    const summary = analyzer.summarizeModel({
      path: req.path,
      text: req.text,
      readFile,
      ...(typeof build === 'string' ? { model: build } : build),
      ...(input ? { inputs: input.shapes, dtype: input.dtype } : {}),
      ...shared,
      // Models whose statements and imports an edit did not touch keep their last result.
      reuse: true,
    });
    if ('error' in summary) return summary.error;
    const expression = typeof build === 'string' ? build : summary.model;
    const stop = summary.unknown.find((u) => BUDGET_STOP.test(u.reason));
    if (stop) forwardStops.push(`${base?.className ?? expression}: ${stop.reason}`);
    const cls = classByName().get(summary.modules[0]?.type ?? '');
    const view = base ?? (cls ? { className: cls.name, classRange: cls.range, nameRange: cls.nameRange } : undefined);
    if (view) {
      const fit = req.gpuBytes ? modelFit(analyzer, { path: req.path, text: req.text, readFile, model: expression, inputs: input?.shapes ?? summary.input.map((s) => s.join(',')), ...(input ? { dtype: input.dtype } : {}), ...shared }, req.gpuBytes) : undefined;
      models.push(ranModelView(summary, view, expression, input, fit));
    }
    const parts = modelParts(summary, req.path, expression);
    partsList.push(parts);
    partExpressions.push(expression);
    calls.push(...parts.calls);
    containerCalls.push(...parts.containerCalls);
    ops.push(...parts.ops);
    // Frames number the runs of functions within one model run: keep them apart across models.
    for (const st of rebasedStatements(parts, frameBase)) statements.push(st);
    frameBase += parts.lastFrame;
    loops.push(...parts.loops);
    const owner = view?.className ?? expression;
    for (const type of parts.moduleTypes) if (!covered.has(type)) covered.set(type, owner);
    // The root ran as itself, not as part of another model.
    if (view) covered.delete(view.className);
    ranAsRoot.add(view?.className ?? '');
    const callErrors = callDiagnosticsOf(module, lines, summary, req.path).map((d) => (input ? d : { ...d, guessedInput: true }));
    diagnostics.push(...callErrors);
    const coveredLines = new Set(callErrors.filter((d) => d.severity === 'error').map((d) => d.range.start.line));
    for (const e of summary.errors) {
      if (e.file !== req.path || coveredLines.has(e.line - 1)) continue;
      const line = Math.max(0, e.line - 1);
      const text = lines[line] ?? '';
      const indent = text.length - text.trimStart().length;
      diagnostics.push({
        range: { start: { line, character: indent }, end: { line, character: text.trimEnd().length } },
        severity: 'error',
        message: e.message,
        code: 'shape',
        ...(input ? {} : { guessedInput: true }),
      });
    }
    return undefined;
  };

  const ranAsRoot = new Set<string>();
  // The file's first class of each name (a result's root type is looked up once per model).
  const classByName = once(() => {
    const byName = new Map<string, FileAnalysis['classes'][number]>();
    for (const c of info.classes) if (!byName.has(c.name)) byName.set(c.name, c);
    return byName;
  });
  let frameBase = 0;
  const annotated = forwardAnnotations(module, lines);
  const requestedInput: ModelInput | undefined = req.run?.input ? { ...req.run.input, source: 'user' } : undefined;
  const runError = req.run?.expression && !only ? (mode === 'moduleScope' ? MODULE_SCOPE_ONLY : runModel(req.run.expression, requestedInput, undefined)) : undefined;
  let pendingInput = req.run?.expression ? undefined : requestedInput;

  // Roots usually come last in a file (the model that uses the blocks above it), so start there.
  for (const cls of req.run?.only && req.run.expression ? [] : [...info.classes].reverse()) {
    if (only && !only.has(cls.name)) continue;
    const def = defs.get(cls.name);
    if (!cls.isModule || !def || ranAsRoot.has(cls.name)) continue;
    const base = { className: cls.name, classRange: cls.range, nameRange: cls.nameRange };
    const partOf = covered.get(cls.name);
    if (partOf) {
      models.push(partModelView(cls, base, partOf));
      continue;
    }
    const user = req.user?.[cls.name];
    if (mode === 'moduleScope' || pastDeadline()) {
      models.push({ ...base, error: mode === 'moduleScope' ? MODULE_SCOPE_ONLY : TIME_SPENT });
      continue;
    }
    const input = pendingInput ?? resolveModelInput(lines, module, def, user, annotated.find((a) => a.className === cls.name));
    if (!input && req.skipGuessedInputs && !hasShapeComments(lines, def)) {
      models.push({ ...base, error: NO_GIVEN_INPUT });
      continue;
    }
    // The expressions to build it with, then the file's own call of the class (its arguments and inputs).
    const attempts: (string | { readonly sampleOf: string })[] = [...modelExpressions(module, def, cls.constructibleWithoutArgs, user), { sampleOf: cls.name }];
    let lastError = '';
    let done = false;
    for (const attempt of attempts) {
      const error = runModel(attempt, input, base);
      if (error !== undefined) {
        // The class's needs and a call to write, phrased for the editor ("Set input shape…" takes the call).
        const needs = /needs: ([^;]*); try --model '([^']*)'/.exec(error);
        lastError ||= needs ? `${cls.name} needs ${needs[1]}: set a call such as ${needs[2]} with "Set input shape…", or call it in this file` : error;
        continue;
      }
      done = true;
      pendingInput = undefined;
      break;
    }
    if (!done) models.push({ ...base, ...(input ? { input } : {}), error: lastError });
    yield STEP;
  }

  diagnostics.push(...scriptDiagnostics(info.errors, diagnostics));

  // A module constructed here is shown with the first model that built it.
  const moduleReports = new Map<string, ModelModule>();
  // forEach, not for-of: a for-of over a Map makes an entry array per item (a few thousand per keystroke here).
  const addFirst = (built: ModelModule, key: string): void => {
    if (!moduleReports.has(key)) moduleReports.set(key, built);
  };
  for (const parts of partsList) parts.constructedHere.forEach(addFirst);
  const callsByModule = CALLS_BY_CONSTRUCTION.merged(partsList);
  const modules: ModuleSite[] = [];
  moduleReports.forEach((built, key) => {
    const calls = callsByModule.get(key) ?? NO_CALLS;
    const kept = SITE_OF_MODULE.get(built);
    if (kept?.calls === calls) {
      modules.push(kept.site);
      return;
    }
    const { model, report } = built;
    const site = MODULE_SITES.get(report, [model, calls], () => ({ range: report.constructed!.range, model, report, calls }));
    SITE_OF_MODULE.set(built, { calls, site });
    modules.push(site);
  });

  diagnostics.push(...shapeCommentDiagnostics(lines, statements));
  if (annotated.length > 0) {
    const observed: ForwardCall[] = [
      ...models.flatMap((m) => (m.ranOn && m.output !== undefined ? [{ className: m.className, inputs: m.ranOn.map((s) => [...s]), output: m.output }] : [])),
      ...containerCalls.map((c) => ({ className: c.type, inputs: c.input, output: c.output })),
      ...calls.map((c) => ({ className: c.type, inputs: c.input, output: c.output })),
    ];
    for (const f of checkForwardAnnotations(annotated, observed)) diagnostics.push({ range: f.range, severity: 'warning', message: f.message, code: 'shape-annotation' });
  }

  if (req.parsed?.stoppedAtLine !== undefined) {
    const line = req.parsed.stoppedAtLine;
    diagnostics.push({
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
      severity: 'info',
      message: `Too large to analyse in time: ML Notes parsed the lines before ${line + 1} only (mlNotes.analysis.timeBudgetMs).`,
      code: 'too-complex',
    });
  }
  // Only hovers and models run twice read the inits by module path: the dictionaries are made when first read.
  const layerWeights = once(() => initsByModelAndPath(partsList, (p) => p.weights));
  const layerBiases = once(() => initsByModelAndPath(partsList, (p) => p.biases));
  diagnostics.push(...varianceChainDiagnostics(chainsOfParts(partsList, partExpressions, () => ({ calls, layerWeights: layerWeights(), layerBiases: layerBiases() })), req.varianceGainRange ?? [0.1, 10]));

  const hints = documentHints({
    module,
    lines,
    // The hints read no frames: they take the model's own report objects, which a reused result keeps.
    statements: STATEMENT_GROUPS.merged(partsList),
    loops,
    entries: modules,
  });

  const modelPart: EditorAnalysis = {
    path: req.path,
    variables: variableSites(module, VARIABLE_GROUPS.merged(partsList)),
    models: models.reverse(),
    calls,
    containerCalls,
    ops,
    statements,
    loops,
    modules,
    get layerWeights() {
      return layerWeights();
    },
    get layerBiases() {
      return layerBiases();
    },
    hints,
    diagnostics,
    optimizers: req.diagnosticsOnly ? [] : optimizerCalls(module),
    findings: [],
    requestedFiles: [...requested],
    elapsedMs: Date.now() - started,
    ...(runError !== undefined ? { runError } : {}),
    ...stoppedReason(info.incomplete, models, forwardStops),
  };
  return modelPart;
}
