// Runs the core's analyzeFile on one file, timing it and turning any exception into a recorded failure.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFile } from '../../../src/core/index';

/**
 * Most time one file may take, in milliseconds. The 2 s bound is on CPU time, which other processes on a
 * shared two-core machine do not inflate; wall time gets a looser bound that still catches a hang.
 */
export interface TimeLimit {
  readonly cpuMs: number;
  readonly wallMs: number;
}

export const PER_FILE_LIMIT: TimeLimit = { cpuMs: 2000, wallMs: 10_000 };

export interface FileRun {
  readonly path: string;
  /** Wall-clock time. */
  readonly ms: number;
  /** CPU time of this process (user + system) during the call. */
  readonly cpuMs: number;
  /** The exception's message when analyzeFile threw, or why its result is not plain data. */
  readonly failure?: string;
  /** An exception the core caught itself and reported as `incomplete: 'internal error: ...'`. */
  readonly internalError?: string;
}

export interface RunStats {
  readonly files: number;
  readonly totalMs: number;
  readonly maxMs: number;
  readonly totalCpuMs: number;
  readonly maxCpuMs: number;
  /** The files that took the most CPU time. */
  readonly slowest: readonly { readonly path: string; readonly cpuMs: number }[];
}

/** Reads files from disk for import resolution, remembering them (many files import the same modules). */
export function cachedReader(): (path: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (path) => {
    if (!cache.has(path)) {
      try {
        cache.set(path, readFileSync(path, 'utf8'));
      } catch {
        cache.set(path, undefined);
      }
    }
    return cache.get(path);
  };
}

const SKIPPED_DIRECTORIES = new Set(['__pycache__']);

/** Every .py file under `dir` (following symlinked files, not symlinked folders, so no cycle), sorted. */
export function listPythonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return SKIPPED_DIRECTORIES.has(entry.name) ? [] : listPythonFiles(path);
      const isFile = entry.isFile() || (entry.isSymbolicLink() && isRegularFile(path));
      return isFile && entry.name.endsWith('.py') ? [path] : [];
    })
    .sort();
}

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Results must be plain serializable data (ARCHITECTURE.md, Invariants): JSON.stringify throws on cycles and BigInt. */
function notPlainData(result: unknown): string | undefined {
  try {
    JSON.stringify(result);
    return result === undefined || result === null ? 'the core returned nothing' : undefined;
  } catch (error) {
    return `result is not plain data: ${error instanceof Error ? error.message : String(error)}`;
  }
}

const INTERNAL_ERROR = /^internal error/;

/** The message of an exception the core caught and reported instead of a result. */
function internalErrorOf(result: unknown): string | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const { incomplete, error } = result as { incomplete?: unknown; error?: unknown };
  const message = typeof incomplete === 'string' ? incomplete : typeof error === 'string' ? error : undefined;
  return message !== undefined && INTERNAL_ERROR.test(message) ? message : undefined;
}

/** Times one call into the core and classifies what came back. */
export function runTimed(path: string, call: () => unknown): FileRun {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const elapsed = (): { ms: number; cpuMs: number } => {
    const cpu = process.cpuUsage(cpuStarted);
    return { ms: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 };
  };
  try {
    const result = call();
    const times = elapsed();
    const failure = notPlainData(result);
    const internalError = internalErrorOf(result);
    return { path, ...times, ...(failure ? { failure } : {}), ...(internalError ? { internalError } : {}) };
  } catch (error) {
    const times = elapsed();
    const message = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack?.split('\n').slice(1, 4).join('\n')}` : String(error);
    return { path, ...times, failure: `threw ${message}` };
  }
}

export const analyzeTimed = (path: string, text: string, readFile: (path: string) => string | undefined): FileRun =>
  runTimed(path, () => analyzeFile({ path, text, readFile }));

export function statsOf(runs: readonly FileRun[]): RunStats {
  const sorted = [...runs].sort((a, b) => b.cpuMs - a.cpuMs);
  const total = (pick: (r: FileRun) => number): number => Math.round(runs.reduce((sum, r) => sum + pick(r), 0));
  return {
    files: runs.length,
    totalMs: total((r) => r.ms),
    maxMs: Math.round(Math.max(0, ...runs.map((r) => r.ms))),
    totalCpuMs: total((r) => r.cpuMs),
    maxCpuMs: Math.round(sorted[0]?.cpuMs ?? 0),
    slowest: sorted.slice(0, 5).map((r) => ({ path: r.path, cpuMs: Math.round(r.cpuMs) })),
  };
}

/** Exceptions the core caught itself: not a crash, but a bug its message should name. */
export function describeInternalErrors(runs: readonly FileRun[]): string[] {
  return runs.flatMap((r) => (r.internalError ? [`${r.path}: ${r.internalError}`] : []));
}

/** Every exception, non-data result or overrun of a batch, one per line, for an assertion message. */
export function describeProblems(runs: readonly FileRun[], limit: TimeLimit = PER_FILE_LIMIT): string[] {
  return runs.flatMap((r) => {
    const problems: string[] = [];
    if (r.failure) problems.push(`${r.path}: ${r.failure}`);
    if (r.cpuMs > limit.cpuMs) problems.push(`${r.path}: took ${Math.round(r.cpuMs)} ms of CPU (limit ${limit.cpuMs} ms)`);
    if (r.ms > limit.wallMs) problems.push(`${r.path}: took ${Math.round(r.ms)} ms of wall time (limit ${limit.wallMs} ms)`);
    return problems;
  });
}
