// The model summary: builds a model with the abstract interpreter, runs it on the given input shapes,
// and reports every atomic module call (path, type, shapes, params, MACs, receptive field, lines) and
// every module's init with its fans and weight variance.
import { formatRational, type Rational } from '../formulas/rational';
import type { RfState } from '../interp/torch';
import { summarizeAxisField } from '../formulas/receptiveField';
import type { Dim } from '../dims/dims';
import * as dims from '../dims/dims';
import type { InitSpec } from '../frameworks/types';
import type { FunctionDef, Module } from '../python/ast';
import type { DType, Range } from '../values';
import type { Session } from '../interp/session';
import { createSession } from '../interp/session';
import { bracketGroups } from '../brackets';
import { parseDocument } from '../python/parse';
import type { TorchVersion } from '../frameworks/torch/version';
import { BudgetExceeded, PyRaise } from '../interp/interpreter';
import type { BuiltModel, InputSpec } from './modelSetup';
import { buildsWithoutArguments, constructorHint, argsWithBatch, describeCall, inputsFromSpecs, parseInputSpec, sampleCall, specsWithBatch } from './modelSetup';
import type { CallArgs } from '../interp/values';
import { toData } from '../interp/scalars';
import type { Budget } from '../interp/interpreter';
import type { CallRecord, OpRecord, SampleCalls } from '../interp/torch';
import { COST_CONVENTION, ELEMENT_BYTES, type ElementType, type MemoryBreakdown, type OptimizerKind, flopsOfMacs, optimizerStateBytes, peakBytes } from '../formulas/costs';
import type { CallCost, Storage, TrainingPrecision } from '../interp/costTrace';
import { dimArith } from '../dims/dimArith';
import type { ClassV, ObjectV, ParamInfo, Scope, Value } from '../interp/values';
import { NO_KEYWORDS, NO_POSITIONAL, scopeV } from '../interp/values';
import { initVariance } from './init';
import { type KeptRun, type KeptSessions, isTrainStep, keepsModuleLevel } from './keptSession';
import { layerDetails } from './layerDetails';
import type { LayerDetails } from './layerDetails';
import type { InitReport } from './init';
import { assumedReport, consumersOf, loopReports, opReports, statementReports } from './trace';
import type { AssumedReport, LoopReport, OpReport, StatementReport } from './trace';

/** A shape in JSON: ints, or strings for symbolic dims; a tuple output is a list of shapes; null for None. */
export type JsonShape = (number | string)[] | JsonShape[] | null;

/**
 * The receptive field of a call's output per spatial axis, in input pixels: the largest extent (`size`)
 * and the smallest (`minSize`: they differ after upsampling, where neighbouring units see 2 or 3 inputs),
 * the jump between neighbouring units and the centre of unit 0 (pixel i spans [i, i + 1]). Jump and start
 * are exact rationals: ×2 upsampling gives jump 1/2.
 */
export interface ReceptiveFieldReport {
  readonly size: number[];
  readonly minSize: number[];
  readonly jump: Rational[];
  readonly start: Rational[];
  readonly exact: boolean;
}

/** The report as text per part, axes joined: size `6×6` (or `2–3×2–3` where units differ), jump `1/2×1/2`, start `1/4, 1/4`. */
export function receptiveFieldText(rf: ReceptiveFieldReport): { readonly size: string; readonly jump: string; readonly start: string } {
  return {
    size: rf.size.map((s, i) => (rf.minSize[i] !== undefined && rf.minSize[i] !== s ? `${rf.minSize[i]}–${s}` : String(s))).join('×'),
    jump: rf.jump.map(formatRational).join('×'),
    start: rf.start.map(formatRational).join(', '),
  };
}

export function receptiveFieldReport(rf: RfState): ReceptiveFieldReport {
  // One loop over the axes rather than a summary list mapped five times: a summary makes one of these per field.
  const size: number[] = [];
  const minSize: number[] = [];
  const jump: Rational[] = [];
  const start: Rational[] = [];
  for (const field of rf.axes) {
    const axis = summarizeAxisField(field);
    size.push(axis.size);
    minSize.push(axis.minSize);
    jump.push(axis.jump);
    start.push(axis.start);
  }
  return { size, minSize, jump, start, exact: rf.exact };
}

export interface CallReport {
  readonly path: string;
  readonly type: string;
  /** 1-based line of the call that ran this module (in `file`). */
  readonly line: number;
  readonly input: JsonShape[];
  readonly output: JsonShape;
  readonly params: number;
  readonly macs: number | string | null;
  readonly rf: ReceptiveFieldReport | null;
  /** Where the module was constructed (0-based range) and in which file. */
  readonly constructed?: { readonly file: string; readonly range: Range };
  readonly callRange: Range;
  readonly file: string;
  readonly error?: string;
  /** The call happens only if this condition holds (the analysis could not decide it). */
  readonly onlyIf?: string;
  /** Parameters `params` leaves out because their size or existence is unknown: the count is at least `params`. */
  readonly paramsUnknown?: readonly ParamsUnknown[];
  /** Why the output is not known, when it is not. */
  readonly outputUnknown?: string;
  /** The output was computed past a shape error (the layer's or an earlier one). */
  readonly assumed?: AssumedReport;
  /** The calls that consumed the output, first consumer first (module types and op names). */
  readonly next?: readonly string[];
  /**
   * Made by a container from the same call expression (`self.features(x)` runs features.0, .1, …): the
   * expression in the file is the container's call, not this layer's.
   */
  readonly viaContainer?: true;
}

/** A parameter a count leaves out: its size is unknown, or it exists only under an undecided condition. */
export interface ParamsUnknown {
  readonly path: string;
  readonly reason: string;
  /** Its size when known (a parameter that exists only under a condition). */
  readonly params?: number;
}

/** A call of a module that holds other modules (a Sequential, a residual block, a whole sub-network). */
export interface ContainerCallReport extends Omit<CallReport, 'rf' | 'next'> {
  /** Its direct children. */
  readonly children: number;
}

export interface ModuleReport extends LayerDetails {
  readonly path: string;
  readonly type: string;
  readonly params: number;
  readonly paramsUnknown?: readonly ParamsUnknown[];
  /** The module exists only if this condition holds (the analysis could not decide it). */
  readonly onlyIf?: string;
  readonly constructed?: { readonly file: string; readonly range: Range };
  readonly inits: readonly InitReport[];
}

/** A training precision in words: `float32`, `bfloat16`, `autocast bfloat16 (cuda), float32 master weights`. */
export const precisionText = (p: TrainingPrecision): string =>
  p.autocast ? `autocast ${p.autocast.dtype} (${p.autocast.device} op lists), float32 master weights, gradients and optimizer state` : p.dtype;

/** What one training step costs: the backward from each op's gradient rules, memory from what autograd keeps. */
export interface TrainCosts {
  /** How the step holds its tensors, in words (precisionText). */
  readonly precision: string;
  /** Multiply-adds of the backward: each gradient the step computes, only for tensors that require grad. */
  readonly backward_macs: number | string;
  /** 2 · (forward MACs + backward MACs): the multiply-add FLOPs of one step. */
  readonly train_flops: number | string;
  /** Other arithmetic of the step (elementwise, normalisation, softmax, pooling, reductions), one per element-step. */
  readonly other_ops: number | string;
  readonly memory: {
    readonly params_bytes: number;
    readonly grads_bytes: number;
    readonly optimizer: OptimizerKind;
    readonly optimizer_bytes: number;
    /** Storages autograd saves for backward, each once (views and in-place results share their input's). */
    readonly activations_bytes: number | string;
    /** Parameters, gradients, optimizer state and saved activations at once (backward starting). */
    readonly peak_bytes: number | string;
  };
  /** Calls the step's numbers leave out: no cost rule, an unreadable one, or an undecided condition. */
  readonly unknown?: readonly { readonly path: string; readonly reason: string }[];
}

export interface ModelSummary {
  readonly model: string;
  /** The 1-based line of the analysed file that built the model, when the file's own code did (a notebook's CLI says its cell). */
  readonly originLine?: number;
  readonly input: (number | string)[][];
  /** How the model was called, when not simply with `input` as float tensors (dtypes, keywords, None). */
  readonly call?: string;
  readonly output: JsonShape;
  /** Parameters of known size that certainly exist; with `params_unknown`, the true total is at least this. */
  readonly params: number;
  readonly trainable_params: number;
  /** What `params` leaves out (unknown sizes, parameters under undecided conditions); absent when exact. */
  readonly params_unknown?: readonly ParamsUnknown[];
  /** Multiply-adds of every op forward runs: module calls plus functional ops, tensor methods and operators. */
  readonly macs: number | string;
  /** Multiply-adds of module calls only (what module-hook counters such as torchinfo report). */
  readonly macs_modules: number | string;
  /** The convention of both counts, in words (COST_CONVENTION). */
  readonly macs_convention: string;
  /** Calls `macs` leaves out (their count is unknown, or they run only under an undecided condition). */
  readonly macs_unknown?: readonly { readonly path: string; readonly reason: string }[];
  /** One training step of this call (train mode, float32, the loss a function of the output): FLOPs and memory. */
  readonly train?: TrainCosts;
  /** Why the training step could not be analysed (the train-mode run failed). */
  readonly train_error?: string;
  readonly calls: CallReport[];
  /** Every module of the model; empty when the request's `detail` is 'calls' (as are the fields below so marked). */
  readonly modules: ModuleReport[];
  readonly unknown: { line: number; reason: string; file: string }[];
  /** Tensor assignments inside forward code, in execution order (a line run twice appears twice); empty for 'calls'. */
  readonly assignments: { readonly file: string; readonly range: Range; readonly target: string; readonly shape: JsonShape }[];
  readonly errors: { line: number; message: string; file: string }[];
  /** Calls of modules with children, in the order they started (the model itself left out); empty for 'calls'. */
  readonly containerCalls: ContainerCallReport[];
  /** Functional ops and tensor methods called by forward code. */
  readonly ops: OpReport[];
  /** Assignments, returns and expression statements of forward code, with their values; empty for 'calls'. */
  readonly statements: StatementReport[];
  /** Loops of forward code, with their carried variables after each iteration; empty for 'calls'. */
  readonly loops: LoopReport[];
}

/**
 * What a summary reports. 'all' (the default: the editor's summary panel) is everything; 'calls' is what the CLI
 * prints: the totals, each layer call (without the calls that consumed its output), the ops, unknowns and errors,
 * without the per-module and container-call reports, and without recording forward code's statements,
 * assignments and loops (a fifth of a cold ResNet-50 summary's report and forward run went to them).
 */
export type SummaryDetail = 'all' | 'calls';

export interface SummaryRequest {
  readonly path: string;
  /** Also analyse a training step (a second run in train mode): `train` in the summary. */
  readonly train?: boolean;
  /** The optimizer whose state the training-step memory counts (Adam when absent). */
  readonly optimizer?: OptimizerKind;
  /** The batch size: the first dimension of each tensor input (given, commented, sampled or inferred). */
  readonly batch?: number;
  /** With `train`, run the train-mode step only (its shapes are the summary's): what "does it fit?" needs. */
  readonly trainOnly?: boolean;
  /** How the training step holds its tensors: the model's floating type, and autocast (float32 when absent). */
  readonly precision?: TrainingPrecision;
  readonly text: string;
  readonly readFile?: (path: string) => string | undefined;
  readonly model?: string;
  readonly inputs?: readonly string[];
  readonly dtype?: 'float' | 'long';
  readonly budget?: Budget;
  readonly parse?: (text: string) => Module;
  /** The user's PyTorch release; the newest the catalogue knows when absent. */
  readonly torchVersion?: TorchVersion;
  /** Environment variables as the user's run sets them (os.environ.get, os.getenv); the others are unknown. */
  readonly environment?: Readonly<Record<string, string>>;
  /** A parsed module for `text`, to skip parsing it again. */
  readonly module?: Module;
  /** The Python environment's site-packages folders (installed torchvision, torchaudio, torchtext). */
  readonly sitePackages?: readonly string[];
  /**
   * A Python call expression run instead of a plain call, with `model` and the inputs `x` (= `x0`), `x1`…
   * bound: `model(x, lengths=None)`.
   */
  readonly call?: string;
  /** Without `model`, take the model from the file's own call of this class (not any class). */
  readonly sampleOf?: string;
  /** What the summary reports beside its totals and calls ('all' when absent). */
  readonly detail?: SummaryDetail;
  /** Told when the summary is done whether a budget ran out, and whether it was the time (a result to recompute, never to reuse). */
  readonly onDone?: (facts: { readonly budgetSpent: boolean; readonly timeSpent: boolean }) => void;
  /** Gets every `def` whose body the summary's runs called (the interpreter's ranDefinitions). */
  readonly ranDefinitions?: Set<FunctionDef>;
}

/** Longest --model expression accepted (a real one is a constructor call of a few dozen characters). */
const MAX_MODEL_EXPRESSION = 10_000;

/** Why a --model expression is not one Python expression, or undefined when it is. */
export function modelExpressionProblem(expression: string): string | undefined {
  if (expression.trim() === '') return 'it is empty';
  if (expression.length > MAX_MODEL_EXPRESSION) return `longer than ${MAX_MODEL_EXPRESSION.toLocaleString('en-US')} characters`;
  if (/[\n\r]/.test(expression)) return 'it spans several lines';
  // The usual expression (`resnet50()`, `Net(num_classes=10, dropout=0.5)`) needs no parser: in the CLI, whose parses
  // come from its cache, parsing it was the only reason to load the Python grammar (about 5% of a summary's run).
  return isPlainCall(expression) ? undefined : parsedExpressionProblem(expression);
}

/** Why a one-line expression is not one Python expression the analysis reads, from the parser. */
export function parsedExpressionProblem(expression: string): string | undefined {
  const prefix = '__ml_notes_model__ = ';
  const parsed = parseDocument(`${prefix}${expression}\n`);
  let error: number | undefined;
  parsed.tree.iterate({
    enter: (node) => {
      if (error === undefined && node.type.isError) error = Math.max(0, node.from - prefix.length);
      return error === undefined;
    },
  });
  if (error !== undefined) return `syntax error at character ${error + 1}`;
  const stmt = parsed.module.body[0];
  if (parsed.module.body.length !== 1 || stmt?.k !== 'assign' || !stmt.value) return 'not a single expression';
  if (stmt.value.k === 'unsupported') return stmt.value.what;
  return undefined;
}

/** Python's keywords: never names; True, False and None are values but never attribute or keyword-argument names. */
const PYTHON_KEYWORDS: ReadonlySet<string> = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);
const VALUE_KEYWORDS: ReadonlySet<string> = new Set(['True', 'False', 'None']);

interface PlainToken {
  readonly kind: 'name' | 'number' | 'string' | 'punct';
  readonly text: string;
}

/**
 * The tokens of an expression made only of names, decimal numbers (no leading zero, no exponent), quoted strings
 * without backslashes, `( ) . , = -` and spaces or tabs; undefined when it has anything else.
 */
function plainTokens(expression: string): PlainToken[] | undefined {
  const token = /([A-Za-z_][A-Za-z0-9_]*)|((?:0|[1-9][0-9]*)(?:\.[0-9]+)?)|('[^'\\]*'|"[^"\\]*")|([().,=-])/y;
  const out: PlainToken[] = [];
  let at = 0;
  while (at < expression.length) {
    const c = expression[at];
    if (c === ' ' || c === '\t' || c === '\f') {
      at++;
      continue;
    }
    token.lastIndex = at;
    const m = token.exec(expression);
    if (!m) return undefined;
    out.push(m[1] !== undefined ? { kind: 'name', text: m[1] } : m[2] !== undefined ? { kind: 'number', text: m[2] } : m[3] !== undefined ? { kind: 'string', text: m[3] } : { kind: 'punct', text: m[4]! });
    at = token.lastIndex;
  }
  return out;
}

/**
 * Whether an expression is certainly one valid Python expression the analysis reads, without parsing it: a name
 * followed by attributes and calls whose arguments are such expressions, numbers, strings or negative numbers, with
 * keyword arguments after the positional ones. Anything else (operators, brackets, lambdas, comments) is false: the
 * parser decides.
 */
export function isPlainCall(expression: string): boolean {
  const tokens = plainTokens(expression);
  if (!tokens || tokens.length === 0) return false;
  let at = 0;
  const isPunct = (text: string): boolean => tokens[at]?.kind === 'punct' && tokens[at]!.text === text;
  const isNameAt = (i: number, valuesToo: boolean): boolean => tokens[i]?.kind === 'name' && (!PYTHON_KEYWORDS.has(tokens[i]!.text) || (valuesToo && VALUE_KEYWORDS.has(tokens[i]!.text)));
  // After `(`: arguments, keyword arguments after positional ones, an optional trailing comma, then `)`.
  const argumentList = (depth: number): boolean => {
    let keywords = false;
    while (!isPunct(')')) {
      if (tokens[at + 1]?.kind === 'punct' && tokens[at + 1]!.text === '=') {
        if (!isNameAt(at, false)) return false;
        at += 2;
        keywords = true;
      } else if (keywords) return false;
      if (!value(depth + 1)) return false;
      if (isPunct(',')) at++;
      else if (!isPunct(')')) return false;
    }
    at++;
    return true;
  };
  const value = (depth: number): boolean => {
    if (depth > 20) return false;
    const kind = tokens[at]?.kind;
    if (kind === 'number' || kind === 'string') return (at++, true);
    if (isPunct('-')) return (at++, tokens[at]?.kind === 'number' && (at++, true));
    if (!isNameAt(at, true)) return false;
    at++;
    for (;;) {
      if (isPunct('.')) {
        at++;
        if (!isNameAt(at, false)) return false;
        at++;
      } else if (isPunct('(')) {
        at++;
        if (!argumentList(depth)) return false;
      } else return true;
    }
  };
  return value(0) && at === tokens.length;
}

/** Shapes from `# ml-notes: input=[1,3,224,224]` (several: `input=[1,16], [1,16]`). */
export function inputsFromComment(text: string): string[] {
  const m = /#\s*ml-notes:\s*inputs?\s*=(.*)$/m.exec(text);
  if (!m) return [];
  const groups = bracketGroups(m[1]!, '[', ']').map((g) => g.inner.replace(/\s+/g, ''));
  return groups.filter((g) => g.length > 0);
}

export function shapeToJson(v: Value | undefined): JsonShape {
  if (!v) return null;
  if (v.kind === 'tensor') return v.shape ? v.shape.map(dims.dimToJson) : null;
  // A PackedSequence shows as its data, as torchinfo and forward hooks report it.
  if (v.kind === 'tuple' && v.namedtuple === 'PackedSequence') return shapeToJson(v.items[0]);
  if (v.kind === 'tuple' || v.kind === 'list') return v.items.map((x) => shapeToJson(x)) as JsonShape[];
  return null;
}

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Builds and runs the model; never throws. */
export function summarizeModel(req: SummaryRequest): ModelSummary | { error: string } {
  let session: Session | undefined;
  let stepSession: Session | undefined;
  try {
    session = newSession(req);
    if (req.train && req.trainOnly) return summarizeUnsafe(req, session, true);
    const summary = summarizeUnsafe(req, session, false);
    if (!req.train || 'error' in summary) return summary;
    // The training step runs the model again in train mode: dropout masks, batch statistics and any
    // `if self.training:` path are the step's, while the summary's shapes stay those of eval mode.
    const step = summarizeUnsafe(req, (stepSession = newSession(req)), true);
    return 'error' in step ? { ...summary, train_error: step.error } : { ...summary, ...(step.train ? { train: step.train } : {}) };
  } catch (e) {
    if (e instanceof BudgetExceeded) return { error: `analysis stopped: ${e.reason}` };
    return { error: `internal error: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    // Both runs' budgets: the training step's session is the second one's.
    const spent = (key: 'budgetSpent' | 'timeSpent'): boolean => (session?.interp[key] ?? true) || (stepSession?.interp[key] ?? false);
    req.onDone?.({ budgetSpent: spent('budgetSpent'), timeSpent: spent('timeSpent') });
  }
}

/**
 * Summarises as summarizeModel does, in the analyzer's kept session of the file when the request may use one
 * (src/core/analysis/keptSession.ts): the module level of the file and of what it imports then runs once for
 * every summary of the same file, and each answer is the one a fresh session gives.
 */
export function summarizeModelKept(req: SummaryRequest, kept: KeptSessions): ModelSummary | { error: string } {
  if (!keepsModuleLevel(req)) return summarizeModel(req);
  let run: KeptRun | undefined;
  let ended = false;
  let budgetSpent = true;
  let timeSpent = true;
  const trainStep = isTrainStep(req);
  try {
    const started = kept.start(req, (session) => runModuleLevel(req, session, trainStep));
    if (started === undefined) return summarizeModel(req);
    if ('error' in started) return started;
    run = started;
    const summary = summarizeAfterModuleLevel(req, run.session, run.moduleLevel, trainStep);
    budgetSpent = run.session.interp.budgetSpent;
    timeSpent = run.session.interp.timeSpent;
    ended = true;
    return summary;
  } catch (e) {
    if (e instanceof BudgetExceeded) return { error: `analysis stopped: ${e.reason}` };
    return { error: `internal error: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    // A run that did not end as a run should (an exception) may leave what no record puts back: not kept.
    run?.end(ended);
    req.onDone?.({ budgetSpent, timeSpent });
  }
}

/** A fresh interpreter session for one run of the model. */
function newSession(req: SummaryRequest): Session {
  const session = createSession({
    ...(req.readFile ? { readFile: req.readFile } : {}),
    ...(req.budget ? { budget: req.budget } : {}),
    ...(req.parse ? { parse: req.parse } : {}),
    ...(req.sitePackages ? { sitePackages: req.sitePackages } : {}),
    ...(req.torchVersion ? { torchVersion: req.torchVersion } : {}),
    ...(req.environment ? { environment: req.environment } : {}),
  });
  session.interp.ranDefinitions = req.ranDefinitions;
  return session;
}

function summarizeUnsafe(req: SummaryRequest, session: Session, trainStep: boolean): ModelSummary | { error: string } {
  const ran = runModuleLevel(req, session, trainStep);
  return 'error' in ran ? ran : summarizeAfterModuleLevel(req, session, ran, trainStep);
}

/** The file's module, its scope after its module level ran, and the sample calls that run noted. */
export interface ModuleLevel {
  readonly scope: Scope;
  readonly module: Module;
  readonly capture: SampleCalls;
}

/** Runs the file's module level in the session (the first half of a summary). */
export function runModuleLevel(req: SummaryRequest, session: Session, trainStep: boolean): ModuleLevel | { error: string } {
  const { interp, torch } = session;
  // Only a training step reports training costs: an eval-mode run skips tracing them (the answer is the same).
  torch.tracesCosts = trainStep;
  const scope = interp.newModuleScope(req.path);
  // The parse shares the budget's deadline: a file too large to parse in time is summarised from its first part.
  const deadline = req.budget?.deadline ?? (req.budget?.ms !== undefined ? Date.now() + req.budget.ms : undefined);
  const module = req.module ?? (deadline !== undefined ? parseDocument(req.text, undefined, undefined, deadline).module : interp.parse(req.text));
  torch.recording = false;
  interp.currentFile = req.path;
  // Top-level calls of the file's models made while the module runs are noted (the summary's sample).
  const capture: SampleCalls = { file: req.path, ...(req.sampleOf ? { className: req.sampleOf } : {}), stop: false };
  if (!req.model) torch.sampleCalls = capture;
  try {
    interp.execModule(module, scope, req.text);
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    return { error: `analysis stopped while evaluating the file: ${e.reason}` };
  } finally {
    torch.sampleCalls = undefined;
  }
  interp.currentFile = req.path;
  return { scope, module, capture };
}

/** Builds, runs and reports the model once the file's module level has run (the second half of a summary). */
export function summarizeAfterModuleLevel(req: SummaryRequest, session: Session, moduleLevel: ModuleLevel, trainStep: boolean): ModelSummary | { error: string } {
  const { interp, torch } = session;
  const { scope, module, capture } = moduleLevel;
  const specs = (req.inputs ?? []).map(parseInputSpec);
  if (specs.some((s) => s === undefined)) return { error: `bad --input: ${req.inputs?.join(' ')} (use 1,3,224,224 or B,3,H,W, a dtype as 2,16:long, a keyword as lengths=2:long or mask=None, known contents as 2:long=20 or [20,18]:long)` };
  let built: BuiltModel | { error: string };
  try {
    built = buildModel(session, scope, module, req, capture);
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    return { error: `analysis stopped while building the model: ${e.reason}` };
  }
  if ('error' in built) return built;
  const { model, expression } = built;

  // Inputs: --input specs, else a `# ml-notes: input=[1,3,224,224]` comment, else the file's own call of
  // the model, else symbols from its first layer (or nothing, for a forward that takes no input).
  const commented = specs.length === 0 ? inputsFromComment(req.text).map(parseInputSpec) : [];
  const given = [...specs, ...commented].filter((s): s is InputSpec => s !== undefined);
  const dtype: DType = req.dtype === 'long' ? 'int64' : 'float32';
  // --batch sets the first dimension of each tensor input, whichever way the inputs were found.
  const batched = (specs: InputSpec[]): InputSpec[] | { readonly error: string } => (req.batch === undefined ? specs : specsWithBatch(specs, req.batch));
  let args: CallArgs;
  if (given.length > 0) {
    const specs = batched(given);
    if ('error' in specs) return specs;
    args = inputsFromSpecs(session, specs, dtype);
  } else if (built.sampleArgs && !req.call) {
    const sample = req.batch === undefined ? built.sampleArgs : argsWithBatch(session, built.sampleArgs, req.batch);
    if ('error' in sample) return sample;
    args = sample;
  } else {
    const shapes = forwardTakesNoInput(session, model) ? [] : defaultInputShapes(session, model);
    if (!shapes) return { error: 'no input shape given and none could be inferred; pass --input' };
    const specs = batched(shapes.map((shape): InputSpec => ({ kind: 'tensor', shape })));
    if ('error' in specs) return specs;
    args = inputsFromSpecs(session, specs, dtype);
  }
  if (!req.call && args !== built.sampleArgs) args = withMissingInputsUnknown(session, model, args);
  for (const v of [...args.positional, ...args.keywords.values()]) if (v.kind === 'tensor') torch.seedRf(v);

  // The oracle runs the model in eval mode (as inference does); a training step in train mode.
  for (const m of torch.modulesOf(model)) m.module!.training = trainStep;
  if (trainStep && req.precision) torch.costs.setPrecision(req.precision);
  torch.recording = true;
  // Forward code's statements, assignments and loops are recorded only for a report that shows them.
  interp.recordAssignments = req.detail !== 'calls';
  const first = torch.calls.length;
  let output: Value;
  try {
    output = req.call ? runCallExpression(session, scope, req.call, model, args) : interp.call(model, args, ZERO);
  } catch (e) {
    if (e instanceof BudgetExceeded) output = interp.noteUnknown(`analysis stopped: ${e.reason}`);
    else if (e instanceof PyRaise) {
      interp.noteError(`the model raised ${e.message}`, e.range);
      output = { kind: 'unknown', reason: e.message };
    } else throw e;
  }
  const records = torch.calls.slice(first);
  const shapes = args.positional.flatMap((v) => (v.kind === 'tensor' && v.shape ? [v.shape as Dim[]] : []));
  const dtypes = new Set(args.positional.map((v) => (v.kind === 'tensor' ? v.dtype : v.kind)));
  const plainCall = args.keywords.size === 0 && args.positional.every((v) => v.kind === 'tensor') && dtypes.size <= 1;
  const callText = req.call ?? (plainCall ? undefined : `model(${describeCall(args)})`);
  return report(session, model, expression, shapes, output, records, first, {
    ...(callText ? { call: callText } : {}),
    ...(built.originLine ? { originLine: built.originLine } : {}),
    ...(req.optimizer ? { optimizer: req.optimizer } : {}),
    ...(req.precision ? { precision: req.precision } : {}),
    trainStep,
    detail: req.detail ?? 'all',
  });
}

/** Evaluates `--call` (e.g. `model(x, lengths=None)`) with `model` and the inputs `x`, `x0`, `x1`… bound. */
function runCallExpression(session: Session, scope: Scope, call: string, model: ObjectV, inputs: CallArgs): Value {
  const { interp } = session;
  const parsed = interp.parse(`__ml_notes_call__ = ${call}\n`);
  const stmt = parsed.body[0];
  if (!stmt || stmt.k !== 'assign' || !stmt.value) throw new PyRaise({ kind: 'none' }, `cannot parse --call expression: ${call}`, undefined, scope.file);
  const local = scopeV('function', interp.map('values'), scope, scope.globals, scope.file);
  local.vars.set('model', model);
  inputs.positional.forEach((v, i) => {
    local.vars.set(`x${i}`, v);
    if (i === 0) local.vars.set('x', v);
  });
  for (const [k, v] of inputs.keywords) local.vars.set(k, v);
  return interp.evalExpr(stmt.value, local);
}

function buildModel(session: Session, scope: Scope, module: Module, req: SummaryRequest, capture: SampleCalls): BuiltModel | { error: string } {
  const { interp } = session;
  if (req.model) {
    const shown = req.model.length > 80 ? `${req.model.slice(0, 80)}…` : req.model;
    const problem = modelExpressionProblem(req.model);
    if (problem) return { error: `malformed model expression '${shown}': ${problem}` };
    const parsed = interp.parse(`__ml_notes_model__ = ${req.model}\n`);
    const stmt = parsed.body[0];
    if (!stmt || stmt.k !== 'assign' || !stmt.value) return { error: `cannot parse --model expression: ${shown}` };
    let v: Value;
    try {
      v = interp.evalExpr(stmt.value, scope);
      // `--model Net` names the class: it is built without arguments, or the error says what it needs.
      if (v.kind === 'class' && v.mro.includes(session.torch.moduleClass)) {
        if (!buildsWithoutArguments(session, v)) return { error: constructorHint(session, v, scope) };
        v = interp.call(v, { positional: NO_POSITIONAL, keywords: NO_KEYWORDS }, ZERO);
      }
    } catch (e) {
      if (!(e instanceof PyRaise)) throw e;
      if (!e.partialModule) return { error: `building ${shown} raised ${e.message}` };
      // What __init__ built before it raised is still summarised, beside the error.
      const previous = interp.currentFile;
      interp.currentFile = e.file;
      interp.noteError(`building ${shown} raised ${e.message}`, e.range);
      interp.currentFile = previous;
      v = e.partialModule;
    }
    if (v.kind !== 'object' || !v.module) return { error: `${shown} is not an nn.Module (${v.kind === 'unknown' ? v.reason : v.kind})` };
    return { model: v, expression: req.model };
  }
  // The file's own call of one of its models is what its author runs: its constructor arguments and inputs.
  const sample = sampleCall(session, scope, module, capture, req.text);
  if (sample) return sample;
  const classes = userModuleClasses(session, scope, req.path).filter((c) => !req.sampleOf || c.name === req.sampleOf);
  for (const cls of [...classes].reverse()) {
    if (!buildsWithoutArguments(session, cls)) continue;
    try {
      const v = interp.call(cls, { positional: NO_POSITIONAL, keywords: NO_KEYWORDS }, ZERO);
      if (v.kind === 'object' && v.module) return { model: v, expression: `${cls.name}()` };
    } catch (e) {
      if (!(e instanceof PyRaise)) throw e;
    }
  }
  const last = classes[classes.length - 1];
  if (last) return { error: `no call of a model in the file and ${constructorHint(session, last, scope)}` };
  return { error: 'no nn.Module subclass in the file builds without arguments; pass --model' };
}

/** The nn.Module subclasses defined in the file, in definition order. */
export function userModuleClasses(session: Session, scope: Scope, path: string): ClassV[] {
  const out: ClassV[] = [];
  for (const v of scope.vars.values()) {
    if (v.kind === 'class' && v.file === path && v.mro.includes(session.torch.moduleClass) && !out.includes(v)) out.push(v);
  }
  return out.sort((a, b) => (a.r?.start.line ?? 0) - (b.r?.start.line ?? 0));
}


/** Without --input: a symbolic input from the first layer the model holds. */
/** A user-defined forward whose only parameter is self (it makes its own tensors) is called with no input. */
/**
 * forward's required inputs that no input was given for (a second input of a model whose first one was
 * inferred, or fewer --input than it takes) are Unknown values naming the parameter: what reads them is
 * unknown, the rest is still computed, and the missing argument is never reported as the model's error,
 * since the call is the analysis's, not the user's.
 */
function withMissingInputsUnknown(session: Session, model: ObjectV, args: CallArgs): CallArgs {
  const forward = session.interp.findClassAttr(model.cls, 'forward');
  if (forward?.kind !== 'function') return args;
  const [, ...params] = forward.params;
  const positional = [...args.positional];
  const keywords = new Map(args.keywords);
  // The unknown sits on forward's definition when that is in the analysed file (closure.file says where it was defined).
  const at = forward.closure.file === session.interp.currentFile ? forward.r : undefined;
  const missing = (name: string): Value =>
    session.interp.noteUnknown(`no shape is known for forward's input '${name}': give one input per parameter (--input, or "Set input shape…" in the editor)`, at);
  params.forEach((p, i) => {
    if (p.default !== undefined || keywords.has(p.name)) return;
    // Required positional parameters come first, so a parameter's index is its position in the call.
    if (p.kind === 'normal' && i >= positional.length) positional.push(missing(p.name));
    else if (p.kind === 'kwonly') keywords.set(p.name, missing(p.name));
  });
  return positional.length === args.positional.length && keywords.size === args.keywords.size ? args : { positional, keywords };
}

function forwardTakesNoInput(session: Session, model: ObjectV): boolean {
  const forward = session.interp.findClassAttr(model.cls, 'forward');
  if (forward?.kind !== 'function') return false;
  const [, ...rest] = forward.params;
  return rest.every((p) => p.kind === 'star' || p.kind === 'dstar' || p.default !== undefined);
}

/** The input the model's first layer takes when none is given, as its catalogue entry builds it from the constructor. */
function defaultInputShapes(session: Session, model: ObjectV): Dim[][] | undefined {
  for (const m of session.torch.modulesOf(model)) {
    const entry = m.cls.layer;
    const ctor = m.module?.ctorArgs;
    if (!entry || !ctor) continue;
    const example = entry.traits?.exampleInput?.(Object.fromEntries([...ctor].map(([k, v]) => [k, toData(v)])));
    return example?.map((shape) => [...shape]);
  }
  return undefined;
}

/** PyTorch turns a lazy layer into its eager class once it has seen an input (LazyLinear → Linear). */
function typeName(m: ObjectV): string {
  const name = m.cls.name;
  return m.cls.layer && name.startsWith('Lazy') && m.module?.layerConfig !== undefined ? name.slice(4) : name;
}

/** A parameter count, and the parameters it leaves out. */
interface ParamTally {
  readonly count: number;
  readonly unknown: ParamsUnknown[];
}

/**
 * Counts parameters of known size that certainly exist; the others are listed, never counted as a guess.
 * `onlyIfOf` gives the condition of the module holding one, when it exists only under one.
 */
function tallyParams(params: ReadonlyMap<string, ParamInfo> | readonly (readonly [string, ParamInfo])[], onlyIfOf: (path: string) => string | undefined = () => undefined): ParamTally {
  let count = 0;
  const unknown: ParamsUnknown[] = [];
  const tallyOne = (p: ParamInfo, path: string): void => {
    const share = paramShare(p, p.onlyIf ?? onlyIfOf(path));
    if (typeof share === 'number') count += share;
    else if (share !== undefined) unknown.push({ path, ...share });
  };
  // A module's own map is walked with forEach: a for-of over its entries made an array per parameter.
  if (isParamMap(params)) params.forEach(tallyOne);
  else for (const [path, p] of params) tallyOne(p, path);
  return { count, unknown };
}

/**
 * What one parameter adds to a count: its size when known and certain, else why it is left out (with its size
 * when only its existence is in doubt); a buffer adds nothing. The one counting rule of tallyParams and subtreeTally.
 */
function paramShare(p: ParamInfo, condition: string | undefined): number | Omit<ParamsUnknown, 'path'> | undefined {
  if (p.buffer) return undefined;
  const n = p.shape ? dims.product(p.shape) : undefined;
  if (typeof n !== 'number') return { reason: p.shape ? `its size [${p.shape.map(dims.formatDim).join(', ')}] depends on the input` : 'its size is unknown' };
  if (condition !== undefined) return { reason: `exists only if ${condition}`, params: n };
  return n;
}

/**
 * tallyParams of a module's parameters and its submodules' (namedParameters: each module and tensor once),
 * without the path of every parameter: those are needed only when one is left out, and then the tally is made
 * from namedParameters. A summary makes one per container call (a block, a Sequential of blocks).
 */
function subtreeTally(torch: Session['torch'], root: ObjectV): ParamTally {
  let count = 0;
  let plain = true;
  const seen = new Set<Value>();
  const add = (p: ParamInfo): void => {
    if (!plain || seen.has(p.tensor)) return;
    const share = paramShare(p, p.onlyIf);
    if (share === undefined) return;
    seen.add(p.tensor);
    if (typeof share === 'number') count += share;
    else plain = false;
  };
  for (const m of torch.modulesOf(root)) {
    m.module!.params.forEach(add);
    if (!plain) return tallyParams(torch.namedParameters(root));
  }
  return { count, unknown: [] };
}

const isParamMap = (params: ReadonlyMap<string, ParamInfo> | readonly (readonly [string, ParamInfo])[]): params is ReadonlyMap<string, ParamInfo> => params instanceof Map;

/** A module's own parameters by name (the map itself: tallyParams only iterates it). */
const named = (m: ObjectV): ReadonlyMap<string, ParamInfo> => m.module!.params;

/** For every module of the model, the undecided condition it exists under (its own or an ancestor's). */
function moduleConditions(torch: Session['torch'], model: ObjectV): Map<number, string> {
  const out = new Map<number, string>();
  const walk = (m: ObjectV, inherited: string | undefined, seen: Set<number>): void => {
    if (seen.has(m.id)) return;
    seen.add(m.id);
    const condition = m.module?.onlyIf ?? inherited;
    if (condition !== undefined) out.set(m.id, condition);
    for (const [, child] of torch.childrenOf(m)) walk(child, condition, seen);
  };
  walk(model, undefined, new Set());
  return out;
}

/** Calls made by a container from the very call expression that called the container (same file and range). */
function callsOfContainers(records: readonly CallRecord[], first: number): Set<CallRecord> {
  const out = new Set<CallRecord>();
  const open: CallRecord[] = [];
  records.forEach((r, i) => {
    const index = first + i;
    while (open.length > 0 && (open[open.length - 1]!.end ?? 0) <= index) open.pop();
    const parent = open[open.length - 1];
    const sameRange = (a: CallRecord, b: CallRecord) => a.file === b.file && a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character && a.range.end.line === b.range.end.line && a.range.end.character === b.range.end.character;
    if (parent && sameRange(parent, r)) out.add(r);
    if (!r.atomic) open.push(r);
  });
  return out;
}

function unknownReason(v: Value): string | undefined {
  if (v.kind === 'unknown') return v.reason;
  if (v.kind === 'tensor' && !v.shape) return 'the rank of the tensor is not known';
  return undefined;
}

function report(
  session: Session,
  model: ObjectV,
  expression: string,
  inputShapes: Dim[][],
  output: Value,
  records: CallRecord[],
  first: number,
  how: { readonly call?: string; readonly originLine?: number; readonly optimizer?: OptimizerKind; readonly precision?: TrainingPrecision; readonly trainStep?: boolean; readonly detail?: SummaryDetail } = {},
): ModelSummary {
  const all = how.detail !== 'calls';
  const { interp, torch } = session;
  const named_ = torch.namedModules(model);
  const pathOf = new Map<number, string>();
  for (const [p, m] of named_) pathOf.set(m.id, p);
  const conditions = moduleConditions(torch, model);
  const calls: CallReport[] = [];
  const macsUnknown: { path: string; reason: string }[] = [];
  // The calls' MACs that count, summed once after the loop (dims.sum).
  const certainMacs: Dim[] = [];
  const assumptionOf = (v: Value) => torch.assumptionOf(v);
  const consumers = all ? consumersOf(records, torch.ops, (r) => typeName(r.module)) : new Map<CallRecord, string[]>();
  // A module's own parameters are tallied once: its calls (a ReLU called three times) and its module report share it.
  const ownTallies = new Map<ObjectV, ParamTally>();
  const ownTally = (m: ObjectV): ParamTally => {
    let tally = ownTallies.get(m);
    if (!tally) ownTallies.set(m, (tally = tallyParams(named(m))));
    return tally;
  };
  const viaContainer = callsOfContainers(records, first);
  // A layer that keeps its input's grid (an activation, a norm) passes the same field on: its report is made once.
  const rfReports = new Map<RfState, ReceptiveFieldReport>();
  const rfReportOf = (rf: RfState): ReceptiveFieldReport => {
    let made = rfReports.get(rf);
    if (!made) rfReports.set(rf, (made = receptiveFieldReport(rf)));
    return made;
  };
  for (const r of records) {
    if (!r.atomic) continue;
    // Modules without a MAC rule count 0, as the convention says; null only when the call itself is unknown.
    const outputKnown = r.output.kind !== 'unknown' && !r.error;
    const callMacs = r.macs ?? (outputKnown ? 0 : null);
    const onlyIf = r.onlyIf ?? conditions.get(r.module.id);
    // The total counts the calls that certainly happen with a known count, and names the others.
    if (callMacs !== null && onlyIf === undefined) certainMacs.push(callMacs);
    else if (callMacs === null || callMacs !== 0) macsUnknown.push({ path: pathOf.get(r.module.id) ?? '?', reason: callMacs === null ? 'its MACs are unknown' : `runs only if ${onlyIf}` });
    const tally = r.module.cls.layer?.traits?.ownsSubmodules ? tallyParams(torch.namedParameters(r.module)) : ownTally(r.module);
    // Fields are set one by one in the report's order, optional ones only when present: spreading conditional
    // objects made these reports a large part of a summary's time (one per call, per container, per module).
    const call = withCallHead({} as Mutable<CallReport>, r, pathOf.get(r.module.id) ?? '?', tally);
    call.macs = callMacs === null ? null : dims.dimToJson(callMacs);
    call.rf = r.rf ? rfReportOf(r.rf) : null;
    const constructed = r.module.module!.constructedAt;
    if (constructed) call.constructed = constructed;
    call.callRange = r.range;
    call.file = r.file;
    if (r.error) call.error = r.error;
    if (onlyIf !== undefined) call.onlyIf = onlyIf;
    setOutputFacts(call, r, assumptionOf);
    const next = consumers.get(r);
    if (next) call.next = next;
    if (viaContainer.has(r)) call.viaContainer = true;
    calls.push(call);
  }
  const containerCalls: ContainerCallReport[] = [];
  if (all) {
    records.forEach((r, i) => {
      const path = pathOf.get(r.module.id);
      if (r.atomic || path === '' || path === undefined || viaContainer.has(r)) return;
      // MACs of a container call: the sum of the atomic calls made inside it. As in the totals: a module without
      // a MAC rule counts 0; an unknown call makes the sum unknown.
      const parts: Dim[] = [];
      let known = true;
      const end = Math.min(r.end ?? first + i + 1, torch.calls.length);
      for (let at = first + i + 1; at < end && known; at++) {
        const c = torch.calls[at]!;
        if (!c.atomic) continue;
        const callMacs = c.macs ?? (c.output.kind !== 'unknown' && !c.error ? 0 : null);
        if (callMacs === null) known = false;
        else parts.push(callMacs);
      }
      const total = known ? dims.sum(parts) : null;
      const tally = subtreeTally(torch, r.module);
      const call = withCallHead({} as Mutable<ContainerCallReport>, r, path, tally);
      call.macs = total === null ? null : dims.dimToJson(total);
      call.children = torch.childrenOf(r.module).length;
      const constructed = r.module.module!.constructedAt;
      if (constructed) call.constructed = constructed;
      call.callRange = r.range;
      call.file = r.file;
      if (r.error) call.error = r.error;
      setOutputFacts(call, r, assumptionOf);
      containerCalls.push(call);
    });
  }
  // The walk named_ already made: nothing since has changed the model's modules.
  const allParams = torch.parametersOf(named_);
  const modules: ModuleReport[] = (all ? named_ : []).map(([path, m]) => {
    const tally = ownTally(m);
    const onlyIf = conditions.get(m.id);
    const report = {} as Mutable<ModuleReport>;
    report.path = path;
    report.type = typeName(m);
    report.params = tally.count;
    if (tally.unknown.length) report.paramsUnknown = tally.unknown;
    if (onlyIf !== undefined) report.onlyIf = onlyIf;
    const constructed = m.module!.constructedAt;
    if (constructed) report.constructed = constructed;
    const inits: InitReport[] = [];
    for (const p of m.module!.params.values()) if (!p.buffer) inits.push(initVariance(p));
    report.inits = inits;
    const details = layerDetails(m);
    if (details.args) report.args = details.args;
    if (details.geometry) report.geometry = details.geometry;
    if (details.readers) report.readers = details.readers;
    return report;
  });
  // A parameter's module is the module whose path is its name without the last part (the first module
  // named so, as the walk in named_ meets them).
  // Without any module under a condition (the usual model) no parameter has one, and the map is not built.
  const moduleAtPath = new Map<string, ObjectV>();
  if (conditions.size > 0) for (const [p, m] of named_) if (!moduleAtPath.has(p)) moduleAtPath.set(p, m);
  const conditionOfParam = (name: string): string | undefined => {
    if (conditions.size === 0) return undefined;
    const m = moduleAtPath.get(name.slice(0, Math.max(0, name.lastIndexOf('.'))));
    return m ? conditions.get(m.id) : undefined;
  };
  const total = tallyParams(allParams, conditionOfParam);
  const trainable = tallyParams(allParams.filter(([, p]) => p.trainable), conditionOfParam);
  const seen = new Set<string>();
  const unknown = interp.diagnostics.unknowns
    .filter((d) => {
      const key = `${d.file}:${d.range?.start.line}:${d.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((d) => ({ line: (d.range?.start.line ?? 0) + 1, reason: d.message, file: d.file }));
  // An unknown output whose cause was never noted (a value of an unmodelled library flowed through quietly)
  // still says why, so a summary with no shapes never looks complete.
  if (output.kind === 'unknown' && !unknown.some((u) => u.reason === output.reason)) {
    unknown.push({ line: 0, reason: `the output is unknown: ${output.reason}`, file: interp.currentFile });
  }
  const errors = interp.diagnostics.errors.map((d) => ({ line: (d.range?.start.line ?? 0) + 1, message: d.message, file: d.file }));
  const firstSeq = records[0]?.seq ?? 0;
  const ops = torch.ops.filter((o) => o.seq >= firstSeq);
  const opMacs = opMacsTotal(ops, (m) => pathOf.get(m.id) ?? '?', (m) => conditions.get(m.id));
  macsUnknown.push(...opMacs.unknown);
  const macs = dims.sum(certainMacs);
  const forwardMacs = dims.add(macs, opMacs.total);
  const train = how.trainStep && trainCosts(
    [
      ...records.filter((r) => r.atomic).map((r) => ({ where: pathOf.get(r.module.id) || '(model)', what: typeName(r.module), cost: r.train, onlyIf: r.onlyIf ?? conditions.get(r.module.id) })),
      ...ops.map((o) => ({ where: `${o.module ? pathOf.get(o.module.id) || '(model)' : '(script)'} line ${o.range.start.line + 1}`, what: o.name, cost: o.train, onlyIf: o.onlyIf ?? (o.module ? conditions.get(o.module.id) : undefined) })),
    ],
    forwardMacs,
    allParams.map(([, p]) => p),
    how.optimizer ?? 'adam',
    torch.costs.indexingSaves,
    how.precision ?? { dtype: 'float32' },
  );
  return {
    model: expression,
    ...(how.originLine ? { originLine: how.originLine } : {}),
    input: inputShapes.map((s) => s.map(dims.dimToJson)),
    ...(how.call ? { call: how.call } : {}),
    output: shapeToJson(output),
    params: total.count,
    trainable_params: trainable.count,
    ...(total.unknown.length ? { params_unknown: total.unknown } : {}),
    macs: dims.dimToJson(forwardMacs),
    macs_modules: dims.dimToJson(macs),
    macs_convention: COST_CONVENTION,
    ...(macsUnknown.length ? { macs_unknown: macsUnknown } : {}),
    ...(train ? { train } : {}),
    calls,
    modules,
    unknown,
    errors,
    assignments: interp.assignments.map((a) => ({ file: a.file, range: a.range, target: a.target, shape: shapeToJson(a.value) })),
    containerCalls,
    ops: opReports(torch.ops, assumptionOf, (m) => pathOf.get(m.id)),
    statements: statementReports(interp.statements, assumptionOf),
    loops: loopReports(interp.loopIterations, assumptionOf),
  };
}

/**
 * The multiply-adds of the ops forward code runs outside module calls (F.conv2d, x @ w, torch.bmm, einsum):
 * the total of those that certainly run with a known count, and the others by where they run and why.
 */
function opMacsTotal(ops: readonly OpRecord[], pathOf: (m: ObjectV) => string, conditionOf: (m: ObjectV) => string | undefined): { total: Dim; unknown: { path: string; reason: string }[] } {
  const certain: Dim[] = [];
  const unknown: { path: string; reason: string }[] = [];
  for (const op of ops) {
    const onlyIf = op.onlyIf ?? (op.module ? conditionOf(op.module) : undefined);
    if (op.macs !== null && onlyIf === undefined) certain.push(op.macs);
    else if (op.macs === null || op.macs !== 0) {
      const where = `${op.module ? pathOf(op.module) || '(model)' : '(script)'} line ${op.range.start.line + 1} ${op.name}`;
      unknown.push({ path: where, reason: op.macs === null ? 'its MACs are unknown' : `runs only if ${onlyIf}` });
    }
  }
  return { total: dims.sum(certain), unknown };
}

/**
 * One training step: the backward MACs of every call that certainly runs, the storages autograd keeps (each
 * once, parameters and buffers apart), and the parameter, gradient and optimizer bytes (float32 training).
 */
function trainCosts(
  calls: readonly { where: string; what: string; cost: CallCost | null | undefined; onlyIf: string | undefined }[],
  forwardMacs: Dim,
  params: readonly ParamInfo[],
  optimizer: OptimizerKind,
  indexingSaves: readonly Storage[],
  precision: TrainingPrecision,
): TrainCosts {
  // The certain calls' parts, each summed once (dims.sum).
  const backwardParts: Dim[] = [];
  const otherOpsParts: Dim[] = [];
  const activationParts: Dim[] = [];
  const kept = new Set<number>();
  const unknown: { path: string; reason: string }[] = [];
  for (const c of calls) {
    if (c.cost === undefined) continue;
    if (c.cost === null) {
      unknown.push({ path: `${c.where} ${c.what}`, reason: 'its training cost is unknown (no cost rule, or arguments it cannot read)' });
      continue;
    }
    if (c.onlyIf !== undefined) {
      unknown.push({ path: `${c.where} ${c.what}`, reason: `runs only if ${c.onlyIf}` });
      continue;
    }
    backwardParts.push(c.cost.backwardMacs);
    otherOpsParts.push(c.cost.otherOps, c.cost.backwardOtherOps);
    for (const s of c.cost.saved) {
      if (s.held || kept.has(s.id)) continue;
      kept.add(s.id);
      activationParts.push(s.bytes);
    }
  }
  for (const s of indexingSaves) {
    if (s.held || kept.has(s.id)) continue;
    kept.add(s.id);
    activationParts.push(s.bytes);
  }
  const backward = dims.sum(backwardParts);
  const otherOps = dims.sum(otherOpsParts);
  const activations = dims.sum(activationParts);
  const sizes = (ps: readonly ParamInfo[]): number[] => ps.flatMap((p) => (p.shape && typeof dims.product(p.shape) === 'number' ? [dims.product(p.shape) as number] : []));
  const weights = params.filter((p) => !p.buffer);
  const trainable = weights.filter((p) => p.trainable);
  // Parameters, their gradients and the optimizer state are in the model's floating type: float32 master
  // weights under autocast, bfloat16 or float16 throughout in a model turned to that type.
  const paramType = (p: ParamInfo): ElementType => (p.tensor.dtype === 'float32' ? precision.dtype : (p.tensor.dtype as ElementType));
  const bytes = (ps: readonly ParamInfo[]): number => ps.reduce((total, p) => total + (p.shape && typeof dims.product(p.shape) === 'number' ? (dims.product(p.shape) as number) * (ELEMENT_BYTES[paramType(p)] ?? 4) : 0), 0);
  const memory: MemoryBreakdown = {
    paramsBytes: bytes(params),
    gradsBytes: bytes(trainable),
    optimizerBytes: optimizerStateBytes(optimizer, sizes(trainable), ELEMENT_BYTES[precision.dtype]),
    activationsBytes: 0,
  };
  const fixed = peakBytes(memory);
  return {
    backward_macs: dims.dimToJson(backward),
    train_flops: dims.dimToJson(flopsOfMacs(dimArith, dims.add(forwardMacs, backward))),
    other_ops: dims.dimToJson(otherOps),
    precision: precisionText(precision),
    memory: {
      params_bytes: memory.paramsBytes,
      grads_bytes: memory.gradsBytes,
      optimizer,
      optimizer_bytes: memory.optimizerBytes,
      activations_bytes: dims.dimToJson(activations),
      peak_bytes: dims.dimToJson(dims.add(fixed, activations)),
    },
    ...(unknown.length ? { unknown } : {}),
  };
}

/** Sets why a call's output is unknown, and the error it was computed past, on its report (when there are such). */
function setOutputFacts(report: { outputUnknown?: string; assumed?: AssumedReport }, r: CallRecord, assumptionOf: (v: Value) => ReturnType<Session['torch']['assumptionOf']>): void {
  const reason = unknownReason(r.output);
  const assumed = assumedReport(assumptionOf(r.output));
  if (reason) report.outputUnknown = reason;
  if (assumed) report.assumed = assumed;
}

/** A report under construction: its fields are set one by one, in the order the JSON shows them. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Sets a module call's report fields shared by a layer call and a container call, in the reports' order. */
function withCallHead<T extends Mutable<Pick<CallReport, 'path' | 'type' | 'line' | 'input' | 'output' | 'params' | 'paramsUnknown'>>>(call: T, record: CallRecord, path: string, tally: { count: number; unknown: ParamsUnknown[] }): T {
  call.path = path;
  call.type = typeName(record.module);
  call.line = record.range.start.line + 1;
  call.input = record.inputs.map((v) => shapeToJson(v));
  call.output = shapeToJson(record.output);
  call.params = tally.count;
  if (tally.unknown.length) call.paramsUnknown = tally.unknown;
  return call;
}

export type { InitSpec };
