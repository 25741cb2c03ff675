// `ml-notes annotate FILE [--model EXPR] [--input SHAPE]... [--dtype float|long] [--json]`: the file with
// the shapes the editor's inlay hints show, as trailing comments (for teaching material, code review and
// docs), or `{"hints": [{"line", "character", "label"}]}`. Computed by the editor's own analysis. A notebook
// is annotated in its cells (the output is the notebook JSON), and its JSON hints carry their `cell`.
import { resolve } from 'node:path';
import type { CliCommand, CliIo, CliResult } from '../types';
import { usageError } from '../types';
import { createAnalyzer, parseDocument, parseShape } from '../../core/index';
import { analyzeForEditor } from '../../core/editor/documentAnalysis';
import { annotateJson, annotateNotebook, annotateText } from '../../core/editor/annotate';
import { locationText, readSource } from '../sources';

const USAGE = 'ml-notes annotate FILE [--model EXPR] [--input SHAPE]... [--dtype float|long] [--json]';

interface AnnotateOptions {
  readonly file: string;
  readonly model?: string;
  readonly inputs: string[];
  readonly dtype: 'float' | 'long';
  readonly json: boolean;
}

function parseOptions(args: readonly string[]): AnnotateOptions | string {
  let file: string | undefined;
  let model: string | undefined;
  let dtype: 'float' | 'long' = 'float';
  let json = false;
  const inputs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    switch (flag) {
      case '--json':
        json = true;
        break;
      case '--model': {
        const v = value();
        if (!v) return '--model needs a Python expression';
        model = v;
        break;
      }
      case '--input': {
        const v = value();
        if (!v) return '--input needs a shape such as 1,3,224,224';
        inputs.push(v.replace(/^[[(]|[\])]$/g, ''));
        break;
      }
      case '--dtype': {
        const v = value();
        if (v !== 'float' && v !== 'long') return `--dtype must be float or long, got ${v ?? 'nothing'}`;
        dtype = v;
        break;
      }
      default:
        if (a.startsWith('-')) return `unknown option ${a}`;
        if (file) return `unexpected argument ${a}`;
        file = a;
    }
  }
  if (!file) return 'missing FILE';
  return { file, ...(model ? { model } : {}), inputs, dtype, json };
}

export function runAnnotate(args: readonly string[], io: CliIo): CliResult {
  const options = parseOptions(args);
  if (typeof options === 'string') return usageError(`${options}\nusage: ${USAGE}`);
  const badShape = options.inputs.find((i) => parseShape(i) === undefined);
  if (badShape !== undefined) return usageError(`bad --input shape '${badShape}' (use numbers or names: 1,3,224,224 or B,3,H,W)`);
  const path = resolve(io.cwd, options.file);
  const source = readSource(io, path);
  if (source === undefined) return usageError(`cannot read ${options.file}`);
  if ('error' in source) return usageError(`${options.file}: ${source.error}`);
  const text = source.text;
  const parsed = parseDocument(text);
  const input = options.inputs.length > 0 ? { shapes: options.inputs, dtype: options.dtype } : undefined;
  const analysis = analyzeForEditor(createAnalyzer(), parsed.module, {
    path,
    text,
    parsed,
    readFile: (p) => io.readFile(p),
    budget: { steps: 20_000_000, ms: 20_000 },
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

export const annotateCommand: CliCommand = {
  name: 'annotate',
  summary: 'the file with the shapes the editor shows, as trailing comments (or --json)',
  usage: USAGE,
  run: runAnnotate,
};
