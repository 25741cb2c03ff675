// `ml-notes summary FILE [--model EXPR] [--input SHAPE]... [--dtype float|long] [--json]`:
// a torchinfo-like table (or JSON) of every atomic module call of a model, computed statically. FILE may
// be a Jupyter notebook: its code cells run in order as one module, and lines name their cell.
import { dirname, resolve } from 'node:path';
import type { CliCommandImplementation, CliIo, CliResult } from '../types';
import { usageError } from '../types';
import { INPUT_SPEC_HELP, MODEL_INPUT_OPTIONS, type ModelInputOptions, type OptionDeclarations, modelInputOptions, parseCommandArgs } from '../options';
import { createAnalyzer, formatRational, inputSpecProblem, largestBatch, modelExpressionProblem, parseGpuMemory, ratToNumber, receptiveFieldText } from '../../core/index';
import { importReader, skippedLines } from '../files';
import type { CallReport, FitReport, JsonShape, ModelSummary, ParamsUnknown } from '../../core/index';
import { readSource, sourceLine, type SourceFile, type SourceLine } from '../sources';
import { pushTo } from '../../core/groups';
import { type TorchVersionChoice, chooseTorchVersion } from '../torchVersion';
import { OPTIMIZER_KINDS, type OptimizerKind, optimizerStateText } from '../../core/formulas/costs';
import type { TrainingPrecision } from '../../core/index';

interface SummaryOptions extends ModelInputOptions {
  /** Analyse a training step too (FLOPs and memory; a second run in train mode). */
  readonly train: boolean;
  readonly optimizer?: OptimizerKind;
  /** The first dimension of each tensor input. */
  readonly batch?: number;
  /** GPU memory in bytes: report the largest batch whose training step fits. */
  readonly gpuBytes?: number;
  readonly precision?: TrainingPrecision;
}

/** `--precision` names and the element types they stand for. */
const PRECISIONS: Readonly<Record<string, TrainingPrecision['dtype']>> = { fp32: 'float32', float32: 'float32', bf16: 'bfloat16', bfloat16: 'bfloat16', fp16: 'float16', float16: 'float16' };
/** torch.autocast's default lower type per device. */
const AUTOCAST_DEFAULT = { cuda: 'float16', cpu: 'bfloat16' } as const;

/** The training precision the flags ask for, or why they do not make one. */
function precisionOf(precision: string | undefined, amp: boolean, device: string | undefined): TrainingPrecision | undefined | string {
  const dtype = precision === undefined ? undefined : PRECISIONS[precision];
  if (precision !== undefined && dtype === undefined) return `--precision must be fp32, bf16 or fp16, got ${precision}`;
  if (device !== undefined && device !== 'cuda' && device !== 'cpu') return `--device must be cuda or cpu, got ${device}`;
  if (device !== undefined && !amp) return '--device chooses the autocast op lists: give it with --amp';
  if (!amp) return dtype === undefined ? undefined : { dtype };
  if (dtype === 'float32') return '--amp runs listed ops in bf16 or fp16: give --precision bf16 or fp16 (or none for the device\'s default)';
  const on = (device ?? 'cuda') as 'cuda' | 'cpu';
  return { dtype: 'float32', autocast: { dtype: dtype ?? AUTOCAST_DEFAULT[on], device: on } };
}

const USAGE =
  'ml-notes summary FILE [--model EXPR] [--input [NAME=]SHAPE[:DTYPE][=FILL] | [NAME=][V,V,...][:DTYPE] | NAME=None]... [--call EXPR] [--dtype float|long] [--batch N] [--torch-version X.Y] [--train [--optimizer sgd|sgd-momentum|adam|adamw] [--precision fp32|bf16|fp16] [--amp [--device cuda|cpu]] [--gpu-memory 24GB]] [--json] [--time-budget-ms N]';

const SUMMARY_OPTIONS = {
  ...MODEL_INPUT_OPTIONS,
  train: { type: 'boolean' },
  optimizer: { type: 'string', value: `one of ${OPTIMIZER_KINDS.join(', ')}` },
  batch: { type: 'string', value: 'a batch size such as 32' },
  'gpu-memory': { type: 'string', value: 'a GPU memory size such as 24GB' },
  precision: { type: 'string', value: 'fp32, bf16 or fp16' },
  amp: { type: 'boolean' },
  device: { type: 'string', value: 'cuda or cpu' },
} as const satisfies OptionDeclarations;

/** The largest batch size accepted: past it sizes stop being exact in a double. */
const MAX_BATCH = 2 ** 31;

function parseOptions(args: readonly string[]): SummaryOptions | string {
  const parsed = parseCommandArgs(args, SUMMARY_OPTIONS);
  if (typeof parsed === 'string') return parsed;
  const common = modelInputOptions(parsed);
  if (typeof common === 'string') return common;
  const v = parsed.values;
  if (v.optimizer !== undefined && !OPTIMIZER_KINDS.includes(v.optimizer as OptimizerKind)) return `--optimizer must be one of ${OPTIMIZER_KINDS.join(', ')}, got ${v.optimizer}`;
  const batch = v.batch === undefined ? undefined : /^\d{1,10}$/.test(v.batch) ? Number(v.batch) : Number.NaN;
  if (batch !== undefined && !(batch >= 1 && batch <= MAX_BATCH)) return `--batch must be a whole number from 1 to ${MAX_BATCH}, got ${v.batch}`;
  const gpuBytes = v['gpu-memory'] === undefined ? undefined : parseGpuMemory(v['gpu-memory']);
  if (v['gpu-memory'] !== undefined && gpuBytes === undefined) return `--gpu-memory must be a size such as 24GB, 80GiB or 512MB (GPU sizes are binary: 24GB = 24·2^30 bytes), got ${v['gpu-memory']}`;
  const precision = precisionOf(v.precision, v.amp ?? false, v.device);
  if (typeof precision === 'string') return precision;
  return {
    ...common,
    ...(precision ? { precision } : {}),
    train: (v.train ?? false) || gpuBytes !== undefined || precision !== undefined,
    ...(v.optimizer ? { optimizer: v.optimizer as OptimizerKind } : {}),
    ...(batch !== undefined ? { batch } : {}),
    ...(gpuBytes !== undefined ? { gpuBytes } : {}),
  };
}

/** The exact JSON schema of the issue (extra fields kept small and stable). */
/** Unknowns of the analysed file; those inside imported files name their file in the reason. */
function unknownsOf(s: ModelSummary, path: string, source: SourceFile): (SourceLine & { reason: string })[] {
  return s.unknown.map((u) => (u.file === path ? { ...lineIn(source, u.line), reason: u.reason } : { line: 0, reason: `${u.file.replace(/^.*\//, '')}:${u.line}: ${u.reason}` }));
}

/** A 1-based line of the analysed text as `{line}`, or `{cell, line}` in a notebook; 0 (no line) stays 0. */
function lineIn(source: SourceFile, line: number): SourceLine {
  if (line <= 0) return { line };
  const { column: _column, ...at } = sourceLine(source, line);
  return at;
}

/** Where the file built the model: `built at line 20`, or `built at cell 5:3` in a notebook. */
const originText = (line: number, source: SourceFile): string => `built at ${lineText(lineIn(source, line))}`;

/** `line 12`, or `cell 3:12` in a notebook. */
function lineText(at: SourceLine): string {
  return at.cell !== undefined ? `cell ${at.cell}:${at.line}` : `line ${at.line}`;
}

function toJson(s: ModelSummary, path: string, source: SourceFile, torch: TorchVersionChoice): unknown {
  return {
    model: s.model,
    torch_version: torch.text,
    ...(s.originLine ? { origin: originText(s.originLine, source) } : {}),
    ...(s.call ? { call: s.call } : {}),
    input: s.input,
    output: s.output,
    params: s.params,
    trainable_params: s.trainable_params,
    ...(s.params_unknown ? { params_unknown: s.params_unknown } : {}),
    macs: s.macs,
    macs_modules: s.macs_modules,
    macs_convention: s.macs_convention,
    ...(s.macs_unknown ? { macs_unknown: s.macs_unknown } : {}),
    ...(s.train
      ? {
          backward_macs: s.train.backward_macs,
          train_flops: s.train.train_flops,
          train_other_ops: s.train.other_ops,
          precision: s.train.precision,
          memory: s.train.memory,
          ...(s.train.unknown ? { train_unknown: s.train.unknown } : {}),
        }
      : {}),
    ...(s.train_error ? { train_error: s.train_error } : {}),
    calls: s.calls.map((c) => ({
      path: c.path,
      type: c.type,
      ...(c.file === path ? lineIn(source, c.line) : { line: c.line }),
      input: c.input,
      output: c.output,
      params: c.params,
      macs: c.macs,
      rf: c.rf
        ? {
            size: c.rf.size,
            min_size: c.rf.minSize,
            jump: c.rf.jump.map(ratToNumber),
            start: c.rf.start.map(ratToNumber),
            jump_fraction: c.rf.jump.map(formatRational),
            start_fraction: c.rf.start.map(formatRational),
            exact: c.rf.exact,
          }
        : null,
      ...(c.paramsUnknown ? { params_unknown: c.paramsUnknown } : {}),
      ...(c.onlyIf !== undefined ? { only_if: c.onlyIf } : {}),
    })),
    // The ops outside module calls that do multiply-adds (or whose count is unknown), where they run.
    op_macs: s.ops
      .filter((o) => o.macs !== 0)
      .map((o) => ({ op: o.name, ...(o.file === path ? lineIn(source, o.callRange.start.line + 1) : { line: o.callRange.start.line + 1 }), ...(o.module !== undefined ? { module: o.module } : {}), macs: o.macs, ...(o.onlyIf !== undefined ? { only_if: o.onlyIf } : {}) })),
    unknown: unknownsOf(s, path, source),
    errors: s.errors.map((e) => ({ ...(e.file === path ? lineIn(source, e.line) : { line: e.line }), message: e.message })),
  };
}

const shapeText = (s: JsonShape): string => {
  if (s === null) return '-';
  if (s.length > 0 && (Array.isArray(s[0]) || s[0] === null)) return `(${(s as JsonShape[]).map(shapeText).join(', ')})`;
  return `[${(s as (number | string)[]).join(', ')}]`;
};

const withCommas = (n: number | string | null): string => (n === null ? '-' : typeof n === 'number' ? n.toLocaleString('en-US') : n);

function rfText(c: CallReport): string {
  if (!c.rf) return '-';
  const text = receptiveFieldText(c.rf);
  return `${text.size} /${text.jump}${c.rf.exact ? '' : ' ~'}`;
}

/** A parameter count, "≥ N" when some parameters' size or existence is unknown. */
const paramsText = (n: number, unknown: readonly ParamsUnknown[] | undefined): string => (unknown?.length ? `≥ ${withCommas(n)}` : withCommas(n));

/** What a count leaves out, in a few words per parameter. */
function unknownParamsText(unknown: readonly ParamsUnknown[]): string {
  const shown = unknown.slice(0, 4).map((u) => `${u.path}${u.params !== undefined ? ` (${withCommas(u.params)})` : ''} ${u.reason}`);
  return `${shown.join('; ')}${unknown.length > 4 ? `; and ${unknown.length - 4} more` : ''}`;
}

function macsUnknownText(unknown: NonNullable<ModelSummary['macs_unknown']>): string {
  const byReason = new Map<string, string[]>();
  for (const u of unknown) pushTo(byReason, u.reason, u.path || '(model)');
  return [...byReason].map(([reason, paths]) => `${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ` and ${paths.length - 3} more` : ''} (${reason})`).join('; ');
}

/** Bytes as MiB with the exact count (symbolic sizes as they are). */
const bytesText = (n: number | string): string => (typeof n === 'number' ? `${(n / 2 ** 20).toFixed(1)} MiB (${withCommas(n)} B)` : `${n} B`);

/** The training step's lines: FLOPs forward and backward, memory by kind, and what the numbers leave out. */
function trainLines(s: ModelSummary): string[] {
  const t = s.train;
  if (!t) return ['', `Training step: not analysed (${s.train_error ?? 'no train-mode run'})`];
  const m = t.memory;
  return [
    '',
    `Training step (train mode, ${t.precision}, the output's sum as loss; ${s.macs_convention}):`,
    `  MACs: forward ${withCommas(s.macs)} + backward ${withCommas(t.backward_macs)}; FLOPs: ${withCommas(t.train_flops)}; other ops: ${withCommas(t.other_ops)}`,
    `  Memory: params ${bytesText(m.params_bytes)}, gradients ${bytesText(m.grads_bytes)}, ${m.optimizer} state ${bytesText(m.optimizer_bytes)} (${optimizerStateText(m.optimizer)})`,
    `          activations saved for backward ${bytesText(m.activations_bytes)}; peak ${bytesText(m.peak_bytes)}`,
    ...(t.unknown ? [`  Not counted: ${macsUnknownText(t.unknown)}`] : []),
  ];
}

function table(s: ModelSummary, path: string, source: SourceFile, torch: TorchVersionChoice, train = false): string {
  const rows = s.calls.map((c) => [
    `${c.path || '(model)'}${c.onlyIf !== undefined ? ` (only if ${c.onlyIf})` : ''}`,
    c.type,
    shapeText(c.output),
    paramsText(c.params, c.paramsUnknown),
    withCommas(c.macs),
    rfText(c),
  ]);
  const header = ['Layer (path)', 'Type', 'Output shape', 'Params', 'MACs', 'RF (size /jump)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i >= 3 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const rule = '='.repeat(widths.reduce((a, w) => a + w + 2, -2));
  const out = [
    `Model: ${s.model}${s.originLine ? ` (${originText(s.originLine, source)})` : ''}    ${s.call ? `call: ${s.call}` : `input: ${s.input.map((i) => `[${i.join(', ')}]`).join(', ')}`}`,
    rule,
    line(header),
    rule,
    ...rows.map(line),
    rule,
    `Output: ${shapeText(s.output)}`,
    s.params_unknown ? `Total params: at least ${withCommas(s.params)} (not counted: ${unknownParamsText(s.params_unknown)})` : `Total params: ${withCommas(s.params)}`,
    `Trainable params: ${s.params_unknown ? 'at least ' : ''}${withCommas(s.trainable_params)}`,
    `Non-trainable params: ${withCommas(s.params - s.trainable_params)}`,
    `Total MACs: ${s.macs_unknown ? 'at least ' : ''}${withCommas(s.macs)}  (every op; module calls: ${withCommas(s.macs_modules)}; ${s.macs_convention})${s.macs_unknown ? `; not counted: ${macsUnknownText(s.macs_unknown)}` : ''}`,
    `PyTorch: ${torch.text} (${torch.source})`,
    ...(train ? trainLines(s) : []),
  ];
  if (s.errors.length > 0) {
    out.push('', 'Errors (PyTorch would raise):');
    for (const e of s.errors) out.push(`  ${lineText(e.file === path ? lineIn(source, e.line) : { line: e.line })}: ${e.message}`);
  }
  const unknowns = unknownsOf(s, path, source);
  if (unknowns.length > 0) {
    out.push('', 'Unknown:');
    for (const u of unknowns.slice(0, 50)) out.push(u.line > 0 ? `  ${lineText(u)}: ${u.reason}` : `  ${u.reason}`);
    if (unknowns.length > 50) out.push(`  ... and ${unknowns.length - 50} more`);
  }
  return `${out.join('\n')}\n`;
}

/** User text echoed in a message, cut to a readable length. */
const clip = (text: string): string => (text.length > 80 ? `${text.slice(0, 80)}…` : text);

export function runSummary(args: readonly string[], io: CliIo): CliResult {
  const options = parseOptions(args);
  if (typeof options === 'string') return usageError(`${options}\nusage: ${USAGE}`);
  for (const input of options.inputs) {
    const problem = inputSpecProblem(input);
    if (problem) return usageError(`bad --input '${clip(input)}': ${problem} (${INPUT_SPEC_HELP})`);
  }
  const modelProblem = options.model === undefined ? undefined : modelExpressionProblem(options.model);
  if (modelProblem) return usageError(`malformed --model expression '${clip(options.model!)}': ${modelProblem}`);
  const path = resolve(io.cwd, options.file);
  const source = readSource(io, path);
  if ('error' in source) return usageError(`${options.file}: ${source.error}`);
  const imports = importReader(io, path);
  const torch = chooseTorchVersion(options.torchVersion, dirname(path), io);
  if (typeof torch === 'string') return usageError(torch);
  const request = {
    path,
    text: source.text,
    readFile: imports.read,
    ...(options.model ? { model: options.model } : {}),
    ...(options.call ? { call: options.call } : {}),
    inputs: options.inputs,
    dtype: options.dtype,
    budget: { steps: 20_000_000, ms: options.budgetMs },
    ...(io.sitePackages ? { sitePackages: io.sitePackages(dirname(path)) } : {}),
    torchVersion: torch.version,
    ...(Object.keys(options.environment).length > 0 ? { environment: options.environment } : {}),
    ...(options.optimizer ? { optimizer: options.optimizer } : {}),
    ...(options.batch !== undefined ? { batch: options.batch } : {}),
    ...(options.precision ? { precision: options.precision } : {}),
    ...(options.train ? { train: true } : {}),
    // The table and the JSON show the totals and the calls: the editor panel's other reports are not made.
    detail: 'calls' as const,
  };
  const started = Date.now();
  // One summary per process: no session is kept for a next one.
  const result = createAnalyzer({ ...(io.parseCache ? { parseCache: io.parseCache } : {}), keepsSessions: false }).summarizeModel(request);
  const skipped = skippedLines(imports.skipped);
  const fit = 'error' in result || options.gpuBytes === undefined ? undefined : largestBatch(request, options.gpuBytes);
  // An answer that took half its time budget or more is not kept by the result cache: a faster run could get further.
  if ((Date.now() - started) * 2 >= options.budgetMs) io.recorder?.include(undefined);
  if ('error' in result) return { stdout: '', stderr: `${skipped}ml-notes: ${result.error}\n`, code: 1 };
  const code = result.errors.length > 0 ? 1 : 0;
  const stdout = options.json
    ? `${JSON.stringify({ ...(toJson(result, path, source, torch) as object), ...(fit ? { fit: 'error' in fit ? { error: fit.error } : fit } : {}) })}\n`
    : `${table(result, path, source, torch, options.train)}${fit ? fitLines(fit).join('\n') + '\n' : ''}`;
  return { stdout, stderr: skipped, code };
}

/** "Does it fit?": the largest batch, the line it comes from and its breakdown. */
function fitLines(fit: FitReport | { error: string }): string[] {
  if ('error' in fit) return ['', `Largest batch that fits: not found (${fit.error})`];
  const gib = (n: number): string => `${(n / 2 ** 30).toFixed(2)} GiB`;
  const at = fit.at_largest;
  const answer = fit.largest_batch === null ? 'not found' : fit.largest_batch === 0 ? 'none (one sample does not fit)' : String(fit.largest_batch);
  return [
    '',
    `Largest batch that fits ${gib(fit.gpu_bytes)}: ${answer}`,
    `  peak ≈ ${bytesText(Math.round(fit.fixed_bytes))} + ${bytesText(Math.round(fit.per_sample_bytes))} per sample (from batches ${fit.evaluated.slice(0, 2).map((e) => e.batch).join(' and ')}; ${fit.affine ? 'affine in the batch: checked at the answer and the next batch' : 'not affine in the batch'})`,
    ...(at ? [`  at batch ${at.batch}: params ${gib(at.params_bytes)}, gradients ${gib(at.grads_bytes)}, optimizer ${gib(at.optimizer_bytes)}, activations ${gib(at.activations_bytes)}; peak ${gib(at.peak_bytes)}`] : []),
    ...fit.notes.map((n) => `  note: ${n}`),
  ];
}

export const summaryCommand: CliCommandImplementation = {
  usage: USAGE,
  run: runSummary,
};
