// `ml-notes check FILE|DIR... [--format text|json|sarif|github] [--fail-on LEVEL] [--disable CC-xx,...]`:
// the code checks of catalogue §11 as a linter, on Python files and Jupyter notebooks. Prints
// `path:line:col CC-xx message` (1-based; in a notebook `nb.ipynb:cell 3:12:5`, rows carry `cell`), JSON,
// SARIF 2.1.0 or GitHub workflow annotations; exit 1 when a finding is at or above `--fail-on` (default
// error), 0 otherwise, 2 for bad usage, unreadable input or a malformed notebook (the other files are
// still checked).
import { isAbsolute, relative, resolve } from 'node:path';
import type { CliCommandImplementation, CliIo, CliResult, FileCheckJob, FileCheckOptions, FileCheckOutcome } from '../types';
import { DEFAULT_CLI_BUDGET_MS, parseBudgetMs, usageError } from '../types';
import { skippedLines } from '../files';
import type { Finding } from '../../core/checks';
import type { FailOn, OutputFormat, ReportRow } from '../checkFormats';
import { FAIL_ON_LEVELS, OUTPUT_FORMATS, failsOn, renderGithub, renderJson, renderSarif, renderText } from '../checkFormats';
import { version } from '../../../package.json';
import { isNotebookPath, locationText, readSource, sourceLine, type SourceFile } from '../sources';

const USAGE = 'ml-notes check FILE|DIR... [--format text|json|sarif|github] [--json] [--fail-on error|warning|info|never] [--disable CC-xx,CC-yy] [--time-budget-ms N] [--jobs N]';
/** Files checked at once at most: beyond this, threads only add memory. */
const MAX_THREADS = 16;
const RULE_ID = /^(CC-\d\d|SHAPE)$/;

interface CheckOptions {
  readonly targets: string[];
  readonly format: OutputFormat;
  readonly failOn: FailOn;
  readonly disabled: string[];
  /** Per file: parsing, the analysis and the rules share it. */
  readonly budgetMs: number;
  /** Files checked at once (`--jobs`); by default as many as the machine has cores. */
  readonly jobs?: number;
}

function parseOptions(args: readonly string[]): CheckOptions | string {
  const targets: string[] = [];
  const disabled: string[] = [];
  let format: OutputFormat = 'text';
  let failOn: FailOn = 'error';
  let budgetMs = DEFAULT_CLI_BUDGET_MS;
  let jobs: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (flag === '--json') format = 'json';
    else if (flag === '--time-budget-ms') {
      const parsed = parseBudgetMs(inline ?? args[++i]);
      if (typeof parsed === 'string') return parsed;
      budgetMs = parsed;
    }
    else if (flag === '--jobs') {
      const value = inline ?? args[++i];
      const n = value !== undefined && /^\d{1,3}$/.test(value) ? Number(value) : NaN;
      if (!(n >= 1 && n <= MAX_THREADS)) return `--jobs needs a whole number of files checked at once from 1 to ${MAX_THREADS}, got ${value ?? 'nothing'}`;
      jobs = n;
    } else if (flag === '--format') {
      const value = inline ?? args[++i];
      if (!OUTPUT_FORMATS.includes(value as OutputFormat)) return `--format needs one of ${OUTPUT_FORMATS.join(', ')}, got ${value ?? 'nothing'}`;
      format = value as OutputFormat;
    } else if (flag === '--fail-on') {
      const value = inline ?? args[++i];
      if (!FAIL_ON_LEVELS.includes(value as FailOn)) return `--fail-on needs one of ${FAIL_ON_LEVELS.join(', ')}, got ${value ?? 'nothing'}`;
      failOn = value as FailOn;
    } else if (flag === '--disable') {
      const value = inline ?? args[++i];
      const ids = (value ?? '').split(',').map((s) => s.trim().toUpperCase()).filter((s) => s.length > 0);
      if (ids.length === 0 || !ids.every((id) => RULE_ID.test(id))) return `--disable needs rule ids such as CC-27,CC-36 or shape, got ${value ?? 'nothing'}`;
      disabled.push(...ids.map((id) => (id === 'SHAPE' ? 'shape' : id)));
    } else if (a.startsWith('-')) return `unknown option ${a}`;
    else targets.push(a);
  }
  return targets.length === 0 ? 'missing FILE or DIR' : { targets, format, failOn, disabled, budgetMs, ...(jobs !== undefined ? { jobs } : {}) };
}

interface FileFinding {
  readonly file: string;
  readonly source: SourceFile;
  readonly finding: Finding;
}

/** Paths print relative to the working directory when inside it, as linters do. */
const displayPath = (cwd: string, path: string): string => {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
};

/** Checks the files on this thread; the analysis is loaded only when a file is not answered from the result cache. */
async function checkHere(io: CliIo, jobs: readonly FileCheckJob[], options: FileCheckOptions): Promise<FileCheckOutcome[]> {
  const [{ createAnalyzer }, { checkFileText }] = await Promise.all([import('../../core'), import('../checkFile')]);
  const analyzer = createAnalyzer(io.parseCache ? { parseCache: io.parseCache } : {});
  return jobs.map((job) => checkFileText(io, job, options, analyzer));
}

/**
 * Every file's outcome, in order: a file whose kept answer still holds (src/node/resultCache.ts) is not checked
 * again; the others are checked, on several threads when there are several, and kept with what they read. Each
 * file's reads join the run's, so the whole run's answer is kept with all of them.
 */
async function outcomesOf(io: CliIo, jobs: readonly FileCheckJob[], options: FileCheckOptions, threadsWanted: number): Promise<FileCheckOutcome[]> {
  const keyOf = (job: FileCheckJob): { path: string; text: string; disabled: readonly string[]; budgetMs: number } => ({ path: job.path, text: job.text, disabled: options.disabled, budgetMs: options.budgetMs });
  const kept = jobs.map((job) => io.fileResults?.get(keyOf(job)));
  const toCheck = jobs.filter((_, i) => kept[i] === undefined);
  const threads = Math.min(threadsWanted, toCheck.length);
  const checked = toCheck.length === 0 ? [] : threads > 1 && io.checkInParallel ? await io.checkInParallel(toCheck, options, threads, { parseCache: io.parseCache !== undefined, keptAnswers: io.fileResults !== undefined }) : await checkHere(io, toCheck, options);
  let next = 0;
  return jobs.map((job, i) => {
    const stored = kept[i];
    if (stored) {
      io.recorder?.include(stored.reads);
      return { ...stored.answer, reads: stored.reads };
    }
    const outcome = checked[next++]!;
    // An outcome without reads (close to its time budget, a stopped worker) keeps the whole run's answer from being kept.
    io.recorder?.include(outcome.reads);
    if (outcome.reads) {
      const { reads, ...answer } = outcome;
      io.fileResults?.set(keyOf(job), answer, reads);
    }
    return outcome;
  });
}

export async function runCheck(args: readonly string[], io: CliIo): Promise<CliResult> {
  const options = parseOptions(args);
  if (typeof options === 'string') return usageError(`${options}\nusage: ${USAGE}`);
  // Files named on the command line must be readable; files found in a named folder are skipped with a message.
  const files: { path: string; root?: string }[] = [];
  for (const target of options.targets) {
    const path = resolve(io.cwd, target);
    if (io.isDirectory(path)) {
      const listed = io.listPythonFiles(path);
      if (listed === undefined) return usageError(`cannot read directory ${target}`);
      files.push(...listed.map((p) => ({ path: p, root: path })));
    } else files.push({ path });
  }
  // Every file is read first, in order (a file named on the command line that cannot be read stops the run);
  // the checking, the slow part, may then run on several threads.
  const readable: { file: string; source: SourceFile; path: string }[] = [];
  const readProblems = new Map<number, string>();
  let malformed = false;
  for (const { path, root } of files) {
    const file = displayPath(io.cwd, path);
    const source = readSource(io, path, root);
    if ('error' in source) {
      // A file named on the command line that cannot be read, or a malformed notebook, makes the run exit 2;
      // a file found in a named folder and refused (a FIFO, binary, too large) is skipped with the reason.
      if (!root && !isNotebookPath(path)) return usageError(`cannot read ${file}: ${source.error}`);
      readProblems.set(readable.length, (readProblems.get(readable.length) ?? '') + `ml-notes: ${root && !isNotebookPath(path) ? 'skipped ' : ''}${file}: ${source.error}\n`);
      if (isNotebookPath(path)) malformed = true;
      continue;
    }
    readable.push({ file, source, path });
  }
  const jobs = readable.map(({ path, source }) => ({ path, text: source.text }));
  const fileOptions = { disabled: options.disabled, budgetMs: options.budgetMs };
  const outcomes = await outcomesOf(io, jobs, fileOptions, Math.min(options.jobs ?? io.parallelism ?? 1, MAX_THREADS));
  const found: FileFinding[] = [];
  const problems: string[] = [];
  readable.forEach(({ file, source }, i) => {
    problems.push(readProblems.get(i) ?? '');
    const outcome = outcomes[i]!;
    problems.push(skippedLines(new Map(outcome.skippedImports)));
    for (const finding of outcome.findings) found.push({ file, source, finding });
    for (const p of outcome.problems) problems.push(`ml-notes: ${file}: ${p.rule} failed: ${p.message}\n`);
  });
  problems.push(readProblems.get(readable.length) ?? '');
  const rows = found.map(({ file, source, finding }): ReportRow => {
    // In a notebook, lines count inside the finding's cell (a finding never spans cells).
    const start = sourceLine(source, finding.range.start.line + 1, finding.range.start.character + 1);
    const end = sourceLine(source, finding.range.end.line + 1, finding.range.end.character + 1);
    return {
      file,
      ...(start.cell !== undefined ? { cell: start.cell } : {}),
      line: start.line,
      col: start.column,
      endLine: end.cell === start.cell ? end.line : start.line,
      endCol: end.cell === start.cell ? end.column : start.column,
      rule: finding.rule,
      severity: finding.severity,
      message: finding.message,
      topic: finding.topic,
      location: locationText(file, source, finding.range.start.line + 1, finding.range.start.character + 1),
    };
  });
  const code = malformed ? 2 : failsOn(rows, options.failOn) ? 1 : 0;
  const stderr = problems.join('');
  switch (options.format) {
    case 'json':
      return { stdout: renderJson(rows), stderr, code };
    case 'sarif':
      return { stdout: renderSarif(rows, version), stderr, code };
    case 'github':
      return { stdout: renderGithub(rows), stderr, code };
    case 'text': {
      const { stdout, tally } = renderText(rows, files.length);
      return { stdout, stderr: stderr + tally, code };
    }
  }
}

export const checkCommand: CliCommandImplementation = {
  usage: USAGE,
  run: runCheck,
};
