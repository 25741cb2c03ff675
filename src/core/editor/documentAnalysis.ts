// Everything the editor shows for one Python document, computed in one pass and returned as plain
// data: the models the file defines (with the input each was run on), every module call and module
// construction site in this file with its shapes, the inlay hints and the shape diagnostics. Hovers,
// hints and lenses only look things up in this result.
import type { Budget } from '../interp/interpreter';
import type { Analyzer, CallReport, FileAnalysis, InitReport, JsonShape, ModuleReport } from '../index';
import type { ClassDef, Expr, Module } from '../python/ast';
import { allCalls, allStatements, type CallExpr } from '../python/syntax';
import type { ParsedDocument } from '../python/parse';
import type { Range } from '../values';
import { rangeKey, rangeWithin } from '../ranges';
import { resolveModelInput, modelExpressions, type ModelInput, type UserModelSettings } from './modelInputs';
import { optimizerCalls, type OptimizerSite } from './simulationSeeds';
import { formatShape } from './format';
import { varianceChainDiagnostics, varianceChains } from './varianceChain';

export { formatShape };
import { runChecks, type Finding } from '../checks';
import { annotationMismatch, parseShapeAnnotation } from './shapeComments';

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
}

/**
 * One call of a module whose call expression is in this file. File names are left out (everything here
 * is this file): the result crosses from the worker to the editor's main thread on every analysis.
 */
export interface CallSite extends Omit<CallReport, 'file' | 'constructed' | 'line'> {
  readonly model: string;
  /** Where the called module was constructed, when that is in this file. */
  readonly constructedHere?: Range;
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

export interface HintData {
  readonly position: { readonly line: number; readonly character: number };
  readonly label: string;
  readonly tooltip: string;
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
  readonly severity: 'error' | 'warning' | 'info';
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
}

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
}



/** Where a hint goes for a call: after the statement whose whole value the call is (`x = self.conv1(x)`). */
function hintAnchors(module: Module): Map<string, { line: number; character: number }> {
  const anchors = new Map<string, { line: number; character: number }>();
  for (const s of allStatements(module.body)) {
    const value: Expr | undefined = s.k === 'assign' || s.k === 'return' ? s.value : s.k === 'aug' ? s.value : s.k === 'expr' ? s.value : undefined;
    if (value?.k === 'call') anchors.set(rangeKey(value.r), s.r.end);
  }
  return anchors;
}

/** Ranges of the positional arguments of every `nn.Sequential(...)` call: the entries that get a hint. */
function sequentialEntries(module: Module): Set<string> {
  const entries = new Set<string>();
  for (const call of allCalls(module.body)) {
    const name = call.fn.k === 'attr' ? call.fn.name : call.fn.k === 'name' ? call.fn.id : '';
    if (name === 'Sequential') for (const a of call.args) if (a.kind === 'pos') entries.add(rangeKey(a.value.r));
  }
  return entries;
}

function distinctShapes(calls: readonly { readonly output: JsonShape }[]): string[] {
  return [...new Set(calls.map((c) => formatShape(c.output)))];
}

function hintLabel(shapes: readonly string[]): string {
  return `→ ${shapes.slice(0, 2).join(' | ')}${shapes.length > 2 ? ` | … (${shapes.length})` : ''}`;
}

/** The call expression in the file whose range is exactly `range` (a layer's constructor call). */
function callAt(module: Module, range: Range): CallExpr | undefined {
  const key = rangeKey(range);
  return allCalls(module.body).find((c) => rangeKey(c.r) === key);
}

/** The constructor argument passed for a parameter, by keyword or position. */
function argumentExpr(call: CallExpr, name: string, position: number): Expr | undefined {
  return call.args.find((a) => a.kind === 'kw' && a.name === name)?.value ?? call.args.filter((a) => a.kind === 'pos')[position]?.value;
}

/** Per-layer feature/channel arguments a shape error can be fixed by, with the input axis they must match. */
const FIXABLE_ARGUMENTS: Readonly<Record<string, { readonly name: string; readonly position: number; readonly axis: 'last' | 'channel' }>> = {
  Linear: { name: 'in_features', position: 0, axis: 'last' },
  Conv1d: { name: 'in_channels', position: 0, axis: 'channel' },
  Conv2d: { name: 'in_channels', position: 0, axis: 'channel' },
  Conv3d: { name: 'in_channels', position: 0, axis: 'channel' },
  BatchNorm1d: { name: 'num_features', position: 0, axis: 'channel' },
  BatchNorm2d: { name: 'num_features', position: 0, axis: 'channel' },
  BatchNorm3d: { name: 'num_features', position: 0, axis: 'channel' },
  LayerNorm: { name: 'normalized_shape', position: 0, axis: 'last' },
};

/**
 * A diagnostic for each layer call that would raise, at the call, naming both shapes: the input that
 * arrived (and the call that produced it) and what the layer was built for (its constructor), with a fix
 * that puts the number the input actually has into the constructor.
 */
function callDiagnostics(module: Module, calls: readonly CallReport[], path: string): ShapeDiagnostic[] {
  const out: ShapeDiagnostic[] = [];
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
    const fixable = FIXABLE_ARGUMENTS[call.type];
    const shape = Array.isArray(input) ? (input as (number | string)[]) : undefined;
    const wanted = shape && fixable ? (fixable.axis === 'last' ? shape[shape.length - 1] : shape.length >= 3 ? shape[1] : shape[0]) : undefined;
    const ctor = call.constructed?.file === path ? callAt(module, call.constructed.range) : undefined;
    const arg = ctor && fixable ? argumentExpr(ctor, fixable.name, fixable.position) : undefined;
    if (fixable && arg && typeof wanted === 'number') {
      fixes.push({ title: `Set ${fixable.name} to ${wanted} (the input's size)`, edits: [{ range: arg.r, newText: String(wanted) }] });
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
  return out;
}

/** Ranges of every function definition, innermost last when nested. */
function functionRanges(module: Module): Range[] {
  return [...allStatements(module.body)].filter((s) => s.k === 'def').map((s) => s.r);
}

function variableSites(module: Module, assignments: readonly { range: Range; target: string; shape: JsonShape }[]): VariableSite[] {
  const defs = functionRanges(module);
  const grouped = new Map<string, { name: string; statement: Range; shapes: Set<string> }>();
  for (const a of assignments) {
    const key = `${a.target}@${rangeKey(a.range)}`;
    const group = grouped.get(key) ?? { name: a.target, statement: a.range, shapes: new Set<string>() };
    group.shapes.add(formatShape(a.shape));
    grouped.set(key, group);
  }
  return [...grouped.values()].flatMap((g) => {
    const scope = defs.filter((d) => rangeWithin(g.statement, d)).sort((a, b) => b.start.line - a.start.line)[0];
    return scope ? [{ name: g.name, statement: g.statement, scope, shapes: [...g.shapes] }] : [];
  });
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

/** Analyses a document for the editor. Never throws: failures become a model's `error`. */
export function analyzeForEditor(analyzer: Analyzer, module: Module, req: EditorAnalysisRequest): EditorAnalysis {
  const started = Date.now();
  const requested = new Set<string>();
  const readFile = (path: string): string | undefined => {
    requested.add(path);
    return req.readFile?.(path);
  };
  const shared = { ...(req.budget ? { budget: req.budget } : {}), ...(req.parsed ? { parsed: req.parsed } : {}) };
  const info = analyzer.analyzeFile({ path: req.path, text: req.text, readFile, ...shared });
  const lines = req.text.split('\n');
  const defs = new Map(classDefs(module).map((c) => [c.name, c]));
  const models: ModelView[] = [];
  const calls: CallSite[] = [];
  const moduleReports = new Map<string, { model: string; report: ModuleReport }>();
  const diagnostics: ShapeDiagnostic[] = [];
  const assignments: { range: Range; target: string; shape: JsonShape }[] = [];
  const layerWeights: Record<string, InitReport> = {};
  const layerBiases: Record<string, InitReport> = {};
  const covered = new Map<string, string>();

  // Roots usually come last in a file (the model that uses the blocks above it), so start there.
  for (const cls of [...info.classes].reverse()) {
    const def = defs.get(cls.name);
    if (!cls.isModule || !def) continue;
    const base = { className: cls.name, classRange: cls.range, nameRange: cls.nameRange };
    const partOf = covered.get(cls.name);
    if (partOf) {
      models.push({ ...base, partOf });
      continue;
    }
    const user = req.user?.[cls.name];
    const input = resolveModelInput(lines, module, def, user);
    const expressions = modelExpressions(module, def, cls.constructibleWithoutArgs, user);
    let lastError = expressions.length === 0 ? `${cls.name} needs constructor arguments: set them with "Set input shape…" or call it in this file` : '';
    let done = false;
    for (const expression of expressions) {
      const summary = analyzer.summarizeModel({
        path: req.path,
        text: req.text,
        readFile,
        model: expression,
        ...(input ? { inputs: input.shapes, dtype: input.dtype } : {}),
        ...shared,
      });
      if ('error' in summary) {
        lastError = summary.error;
        continue;
      }
      models.push({
        ...base,
        expression,
        ...(input ? { input } : {}),
        ranOn: summary.input,
        params: summary.params,
        trainableParams: summary.trainable_params,
        macs: summary.macs,
        output: summary.output,
      });
      for (const { file, constructed, line: _line, ...c } of summary.calls) {
        if (file === req.path) calls.push({ ...c, model: expression, ...(constructed?.file === req.path ? { constructedHere: constructed.range } : {}) });
      }
      for (const a of summary.assignments) if (a.file === req.path) assignments.push(a);
      for (const m of summary.modules) {
        const weight = m.inits.find((p) => p.name === 'weight');
        if (weight) layerWeights[`${expression}\u0000${m.path}`] = weight;
        const bias = m.inits.find((p) => p.name === 'bias');
        if (bias) layerBiases[`${expression}\u0000${m.path}`] = bias;
        covered.set(m.type, covered.get(m.type) ?? cls.name);
        // The root module's own construction is the model expression, not a line of this file.
        if (m.path !== '' && m.constructed?.file === req.path && !moduleReports.has(rangeKey(m.constructed.range))) {
          moduleReports.set(rangeKey(m.constructed.range), { model: expression, report: m });
        }
      }
      const callErrors = callDiagnostics(module, summary.calls, req.path).map((d) => (input ? d : { ...d, guessedInput: true }));
      diagnostics.push(...callErrors);
      const coveredLines = new Set(callErrors.map((d) => d.range.start.line));
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
      done = true;
      break;
    }
    if (!done) models.push({ ...base, ...(input ? { input } : {}), error: lastError });
  }

  diagnostics.push(...scriptDiagnostics(info.errors, diagnostics));

  const callsByModule = new Map<string, CallSite[]>();
  for (const c of calls) {
    if (!c.constructedHere) continue;
    const key = rangeKey(c.constructedHere);
    callsByModule.set(key, [...(callsByModule.get(key) ?? []), c]);
  }
  const modules: ModuleSite[] = [...moduleReports.entries()].map(([key, { model, report }]) => ({
    range: report.constructed!.range,
    model,
    report,
    calls: callsByModule.get(key) ?? [],
  }));

  const hints: HintData[] = [];
  const anchors = hintAnchors(module);
  const callsByRange = new Map<string, CallSite[]>();
  for (const c of calls) callsByRange.set(rangeKey(c.callRange), [...(callsByRange.get(rangeKey(c.callRange)) ?? []), c]);
  for (const [key, group] of callsByRange) {
    const anchor = anchors.get(key);
    if (!anchor) continue;
    const shapes = distinctShapes(group);
    hints.push({ position: anchor, label: hintLabel(shapes), tooltip: `${group[0]!.type} ${group[0]!.path}: ${shapes.join(', ')}` });
  }
  // Shape comments on lines that assign a module call's result: a warning when they disagree.
  for (const [key, group] of callsByRange) {
    const anchor = anchors.get(key);
    const lineText = anchor ? lines[anchor.line] : undefined;
    const annotation = lineText ? parseShapeAnnotation(lineText) : undefined;
    if (!anchor || !annotation) continue;
    const mismatches = [...new Set(group.map((c) => annotationMismatch(annotation, c.output)).filter((m): m is string => m !== undefined))];
    if (mismatches.length === 0) continue;
    diagnostics.push({
      range: { start: { line: anchor.line, character: annotation.start }, end: { line: anchor.line, character: annotation.end } },
      severity: 'warning',
      message: `The comment says [${annotation.dims.join(', ')}] but ${group[0]!.path} gives ${distinctShapes(group).join(' | ')} (${mismatches[0]})`,
      code: 'shape-comment',
    });
  }

  diagnostics.push(...varianceChainDiagnostics(varianceChains({ calls, layerWeights, layerBiases }), req.varianceGainRange ?? [0.1, 10]));

  const entries = sequentialEntries(module);
  for (const m of modules) {
    const key = rangeKey(m.range);
    if (!entries.has(key) || m.calls.length === 0) continue;
    const shapes = distinctShapes(m.calls);
    hints.push({ position: m.range.end, label: hintLabel(shapes), tooltip: `${m.report.type} ${m.report.path}: ${shapes.join(', ')}` });
  }
  hints.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);

  return {
    path: req.path,
    variables: variableSites(module, assignments),
    models: models.reverse(),
    calls,
    modules,
    layerWeights,
    layerBiases,
    hints,
    diagnostics,
    optimizers: optimizerCalls(module),
    findings: req.checks ? runChecks({ path: req.path, text: req.text, ...(req.readFile ? { readFile } : {}) }, { disabled: req.checks.disabled }).findings : [],
    requestedFiles: [...requested],
    elapsedMs: Date.now() - started,
  };
}
