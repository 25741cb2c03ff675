import type { ParseCache } from '../core/python/parseCache';
import type { CheckResult } from '../core/checks';
import type { ReadRecorder, ReadSet } from '../node/readSet';
import type { FileAnswers } from '../node/resultCache';

// What a CLI subcommand receives and returns. Commands are pure over this interface so tests can run
// them in-process; only src/cli.ts touches process.argv, stdout and the exit code.

/** Exit codes: 0 ok, 1 the analysis found errors, 2 bad usage or unreadable input. */
export type ExitCode = 0 | 1 | 2;

/** A file read under the CLI's rules, or why it was refused (too large, binary, not UTF-8, not a regular file). */
export type FileRead = { readonly text: string } | { readonly error: string };

export interface CliIo {
  readonly readFile: (path: string) => string | undefined;
  /**
   * Reads a file the user named (or one found in a folder they named, then inside `root`), with the reason
   * when it is refused. Defaults to readFile.
   */
  readonly readSource?: (path: string, root?: string) => FileRead;
  /**
   * Reads a file an analysed file imports, under the import rules (regular files only, at most 1 MB, inside
   * the working directory or the analysed file's folder); undefined when it does not exist. Defaults to readFile.
   */
  readonly readImport?: (path: string, importer: string) => FileRead | undefined;
  /** The Python files (`.py`) and Jupyter notebooks (`.ipynb`) under a directory, sorted; undefined when unreadable. */
  readonly listPythonFiles: (dir: string) => string[] | undefined;
  readonly isDirectory: (path: string) => boolean;
  readonly cwd: string;
  /** The site-packages folders of the Python environment the code runs in (see src/cli/environment.ts). */
  readonly sitePackages?: (codeDir: string) => readonly string[];
  /** Names in a directory (empty when absent); with `env`, lets commands find the user's torch release. */
  readonly listDir?: (path: string) => readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Parses kept between runs (the user's cache folder); absent with `--no-cache`. */
  readonly parseCache?: ParseCache;
  /** Records what the run reads from the file system (the node io's), for the result cache. */
  readonly recorder?: ReadRecorder;
  /** `check`'s answers per file kept between runs (src/node/resultCache.ts); absent with `--no-cache` or `--no-result-cache`. */
  readonly fileResults?: FileAnswers<FileCheckOutcome>;
  /** How many files may be checked at once (the machine's cores); absent or 1: one at a time. */
  readonly parallelism?: number;
  /** Checks files on `threads` threads at once, each answer in the order of `jobs` (see src/cli/parallelCheck.ts). */
  readonly checkInParallel?: (jobs: readonly FileCheckJob[], options: FileCheckOptions, threads: number, caches: WorkerCaches) => Promise<FileCheckOutcome[]>;
}

/** The caches a check worker thread uses, as the run that starts it does. */
export interface WorkerCaches {
  /** Stored parses are read and written (not with `--no-cache`). */
  readonly parseCache: boolean;
  /**
   * The run keeps answers (not with `--no-cache` or `--no-result-cache`): only then does a worker record what each
   * file's check reads, which the answer is kept with.
   */
  readonly keptAnswers: boolean;
}

/** One file for `check`: its path and the Python text to check (a notebook's module). */
export interface FileCheckJob {
  readonly path: string;
  readonly text: string;
}

export interface FileCheckOptions {
  readonly disabled: readonly string[];
  /** Per file: parsing, the analysis and the rules share it. */
  readonly budgetMs: number;
}

/** What checking one file gave: its findings and rule failures, and the imports it could not read. */
export interface FileCheckOutcome extends CheckResult {
  readonly skippedImports: readonly (readonly [path: string, why: string])[];
  /**
   * Everything checking the file read (src/node/readSet.ts), when the io records and the answer may be kept:
   * not when it came close to its time budget (a faster run could differ) or its worker stopped.
   */
  readonly reads?: ReadSet;
}

const isArray = (value: unknown): value is unknown[] => Array.isArray(value);

/** Whether a stored per-file answer has the form of an outcome (a corrupt or foreign entry is a miss). */
export function isFileCheckOutcome(value: unknown): value is FileCheckOutcome {
  const v = value as Partial<Record<keyof FileCheckOutcome, unknown>> | null;
  return typeof v === 'object' && v !== null && isArray(v.findings) && isArray(v.problems) && isArray(v.skippedImports) && v.reads === undefined;
}

export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: ExitCode;
}

/** What a command's module (src/cli/commands/<name>.ts) implements. */
export interface CliCommandImplementation {
  readonly usage: string;
  run(args: readonly string[], io: CliIo): CliResult | Promise<CliResult>;
}

/**
 * A command as `ml-notes` lists it. Its module is loaded when it runs, so a run initialises only what its
 * command needs: a summary never builds the notes, the check rules or the calculators.
 */
export interface CliCommand {
  readonly name: string;
  /** One line for `ml-notes --help`. */
  readonly summary: string;
  load(): Promise<CliCommandImplementation>;
}

export const usageError = (message: string): CliResult => ({ stdout: '', stderr: `ml-notes: ${message}\n`, code: 2 });

/** The analysis time budget a command gets without --time-budget-ms, and the bounds of the option. */
export const DEFAULT_CLI_BUDGET_MS = 20_000;
const BUDGET_BOUNDS = { min: 10, max: 600_000 };

/** `--time-budget-ms` as milliseconds, or the message saying what it must be. */
export function parseBudgetMs(value: string | undefined): number | string {
  const n = value !== undefined && /^\d{1,7}$/.test(value) ? Number(value) : NaN;
  return n >= BUDGET_BOUNDS.min && n <= BUDGET_BOUNDS.max ? n : `--time-budget-ms must be a whole number of milliseconds from ${BUDGET_BOUNDS.min} to ${BUDGET_BOUNDS.max}, got ${value ?? 'nothing'}`;
}
