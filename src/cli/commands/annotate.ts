// `ml-notes annotate FILE [--model EXPR] [--input SPEC]... [--dtype float|long] [--json]` (SPEC as summary reads it): the file with
// the shapes the editor's inlay hints show, as trailing comments (for teaching material, code review and
// docs), or `{"hints": [{"line", "character", "label"}]}`. Computed by the editor's own analysis. A notebook
// is annotated in its cells (the output is the notebook JSON), and its JSON hints carry their `cell`.
import { resolve } from 'node:path';
import type { CliCommandImplementation, CliIo, CliResult } from '../types';
import { usageError } from '../types';
import { createAnalyzer, inputSpecProblem, parseDocument } from '../../core/index';
import { INPUT_SPEC_HELP, MODEL_INPUT_OPTIONS, type ModelInputOptions, type OptionDeclarations, modelInputOptions, parseCommandArgs } from '../options';
import { analyzeForEditor } from '../../core/editor/documentAnalysis';
import { annotateJson, annotateNotebook, annotateText } from '../../core/editor/annotate';
import { locationText, readSource } from '../sources';

const USAGE = 'ml-notes annotate FILE [--model EXPR] [--input [NAME=]SHAPE[:DTYPE][=FILL] | [NAME=][V,V,...][:DTYPE] | NAME=None]... [--dtype float|long] [--json] [--time-budget-ms N]';

const ANNOTATE_OPTIONS = {
  model: MODEL_INPUT_OPTIONS.model,
  input: MODEL_INPUT_OPTIONS.input,
  dtype: MODEL_INPUT_OPTIONS.dtype,
  json: MODEL_INPUT_OPTIONS.json,
  'time-budget-ms': MODEL_INPUT_OPTIONS['time-budget-ms'],
} as const satisfies OptionDeclarations;

function parseOptions(args: readonly string[]): ModelInputOptions | string {
  const parsed = parseCommandArgs(args, ANNOTATE_OPTIONS);
  return typeof parsed === 'string' ? parsed : modelInputOptions(parsed);
}

export function runAnnotate(args: readonly string[], io: CliIo): CliResult {
  const options = parseOptions(args);
  if (typeof options === 'string') return usageError(`${options}\nusage: ${USAGE}`);
  for (const input of options.inputs) {
    const problem = inputSpecProblem(input);
    if (problem) return usageError(`bad --input '${input.slice(0, 80)}': ${problem} (${INPUT_SPEC_HELP})`);
  }
  const path = resolve(io.cwd, options.file);
  const source = readSource(io, path);
  if (source === undefined) return usageError(`cannot read ${options.file}`);
  if ('error' in source) return usageError(`${options.file}: ${source.error}`);
  const text = source.text;
  const parsed = parseDocument(text);
  const input = options.inputs.length > 0 ? { shapes: options.inputs, dtype: options.dtype } : undefined;
  const analysis = analyzeForEditor(createAnalyzer(io.parseCache ? { parseCache: io.parseCache } : {}), parsed.module, {
    path,
    text,
    parsed,
    readFile: (p) => io.readFile(p),
    budget: { steps: 20_000_000, ms: options.budgetMs },
    ...(Object.keys(options.environment).length > 0 ? { environment: options.environment } : {}),
    ...(options.model || input ? { run: { ...(options.model ? { expression: options.model, only: true } : {}), ...(input ? { input } : {}) } } : {}),
  });
  if (analysis.runError !== undefined) return { stdout: '', stderr: `ml-notes: ${analysis.runError}\n`, code: 1 };
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  const stderr = errors.map((d) => `${locationText(options.file, source, d.range.start.line + 1, d.range.start.character + 1)}: ${d.message}\n`).join('');
  const notebook = source.notebook;
  const stdout = options.json
    ? `${JSON.stringify(annotateJson(analysis.hints, notebook))}\n`
    : notebook
      ? annotateNotebook(io.readFile(path) ?? '', notebook, analysis.hints) ?? ''
      : annotateText(text, analysis.hints);
  return { stdout, stderr, code: errors.length > 0 ? 1 : 0 };
}

export const annotateCommand: CliCommandImplementation = {
  usage: USAGE,
  run: runAnnotate,
};
