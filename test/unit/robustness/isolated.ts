// Runs the core's summarizeModel in a worker thread with a memory cap and a wall-clock deadline, so an
// out-of-memory crash or a hang is reported as that one case's failure instead of killing the test run.
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileRun } from './harness';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** What the worker receives: a summary request whose imports it reads from disk itself. */
export interface SummaryJob {
  readonly path: string;
  readonly text: string;
  readonly model?: string;
  readonly inputs?: readonly string[];
  readonly dtype?: 'float' | 'long';
  /** Follow imports by reading files from disk (functions cannot cross into the worker). */
  readonly readFromDisk: boolean;
}

const WORKER_SOURCE = `
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { summarizeModel } from './src/core/index';

const readFile = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

parentPort!.on('message', (job) => {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let failure: string | undefined;
  let internalError: string | undefined;
  try {
    const { readFromDisk, ...request } = job;
    const result = summarizeModel({ ...request, ...(readFromDisk ? { readFile } : {}) });
    const text = JSON.stringify(result);
    if (text === undefined) failure = 'summarizeModel returned nothing';
    const error = (result as { error?: unknown }).error;
    if (typeof error === 'string' && error.startsWith('internal error')) internalError = error;
  } catch (e) {
    failure = 'threw ' + (e instanceof Error ? e.name + ': ' + e.message : String(e));
  }
  const cpu = process.cpuUsage(cpuStarted);
  parentPort!.postMessage({ ms: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000, failure, internalError });
});
`;

let bundled: string | undefined;

/** The core plus the message loop above, bundled once per test file (about a second). */
function workerCode(): string {
  bundled ??= buildSync({
    stdin: { contents: WORKER_SOURCE, resolveDir: REPO_ROOT, loader: 'ts', sourcefile: 'summary-worker.ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  }).outputFiles[0]!.text;
  return bundled;
}

export interface IsolationLimits {
  /** Heap cap of the worker; past it the worker dies with ERR_WORKER_OUT_OF_MEMORY. */
  readonly heapMb: number;
  /** Wall-clock deadline after which the worker is terminated as hung. */
  readonly deadlineMs: number;
}

/** A reusable worker; after a crash or a hang the next job gets a fresh one. */
export class IsolatedSummarizer {
  private worker: Worker | undefined;

  constructor(private readonly limits: IsolationLimits) {}

  run(job: SummaryJob): Promise<FileRun> {
    const worker = (this.worker ??= new Worker(workerCode(), { eval: true, resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMb } }));
    const started = performance.now();
    return new Promise((resolve) => {
      const finish = (run: FileRun, discardWorker: boolean): void => {
        clearTimeout(timer);
        worker.removeAllListeners('message');
        worker.removeAllListeners('error');
        worker.removeAllListeners('exit');
        if (discardWorker) {
          this.worker = undefined;
          void worker.terminate();
        }
        resolve(run);
      };
      const crashed = (failure: string): void => finish({ path: job.path, ms: performance.now() - started, cpuMs: 0, failure }, true);
      const timer = setTimeout(() => crashed(`did not finish within ${this.limits.deadlineMs} ms (terminated as hung)`), this.limits.deadlineMs);
      worker.once('message', (reply: Omit<FileRun, 'path'>) => finish({ path: job.path, ...reply }, false));
      worker.once('error', (error: Error & { code?: string }) => crashed(`worker crashed: ${error.code ?? error.name}: ${error.message}`));
      worker.once('exit', (code) => crashed(`worker exited with code ${code}`));
      worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }
}
