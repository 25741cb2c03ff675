// `check` on several threads: files vary from milliseconds to the whole time budget, so each worker thread
// takes the next file when it finishes one (no fixed split). A worker runs the same CLI bundle, entered
// through the loader so it starts from V8's code cache, and checks with its own analyzer and parse cache.
import type { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { CliIo, FileCheckJob, FileCheckOptions, FileCheckOutcome, WorkerCaches } from './types';
import { CHECK_WORKER_ARGUMENT } from '../node/checkWorker';

interface WorkerSetup {
  readonly mlNotesCheckWorker: true;
  readonly cwd: string;
  readonly caches: WorkerCaches;
  readonly options: FileCheckOptions;
}

interface JobMessage {
  readonly index: number;
  readonly job: FileCheckJob;
}

interface AnswerMessage {
  readonly index: number;
  readonly outcome: FileCheckOutcome;
}

export { CHECK_WORKER_ARGUMENT };

/** What a worker is sent when there is no file left for it: it stops listening and its thread ends on its own. */
interface StopMessage {
  readonly stop: true;
}

/**
 * How long a worker told to stop may take to end (writing its code cache at exit takes ~10-50 ms) before it is
 * terminated: a worker that does not end keeps the process alive.
 */
const STOP_GRACE_MS = 5_000;

/** node:worker_threads, loaded when a check runs in parallel or a check worker starts. */
const workerThreads = (): typeof import('node:worker_threads') => createRequire(__filename)('node:worker_threads') as typeof import('node:worker_threads');

const isWorkerSetup = (data: unknown): data is WorkerSetup => typeof data === 'object' && data !== null && (data as Partial<WorkerSetup>).mlNotesCheckWorker === true;

/**
 * A check worker's young generation: a worker thread's default in Node 20 is 48 MB (what its resourceLimits report:
 * three 16 MB semi-spaces' worth). Checking a file allocates fast and keeps much of it until the file is done (the
 * facts recorder's events), so with the default a worker ran ~400 scavenges over the checks corpus; with 96 MB
 * (32 MB semi-spaces) ~230.
 */
export const WORKER_YOUNG_GENERATION_MB = 96;

/**
 * Files a worker holds at once: the one it checks and the next, which it starts as soon as it has answered,
 * without waiting for the main thread to take the answer and send another. On a busy machine that wait was a
 * scheduler's turn of the main thread per file: over the 332-file checks corpus at load 6.5 the two workers sat
 * idle between files 1.0 and 1.7 s in all (median wait 0.2 and 5.6 ms, up to 180 ms).
 */
export const FILES_PER_WORKER = 2;

/** The order files are handed to workers in: the longest texts first, so no long file starts last and runs alone. */
export function largestFirst(jobs: readonly FileCheckJob[]): number[] {
  return jobs.map((_, i) => i).sort((a, b) => jobs[b]!.text.length - jobs[a]!.text.length || a - b);
}

/** The outcome of a file whose worker stopped (out of memory, a crash): the other files are still checked. */
const workerStopped = (why: string): FileCheckOutcome => ({ findings: [], problems: [{ rule: 'analysis', message: `the check's worker thread stopped: ${why}` }], skippedImports: [] });

/**
 * The parallel checker for the CLI bundle at `bundle` (dist/cli-main.js): workers start from the loader next
 * to it (dist/cli.js) when there is one.
 */
export function parallelChecker(bundle: string, cwd: string): NonNullable<CliIo['checkInParallel']> {
  const loader = join(dirname(bundle), 'cli.js');
  const entry = existsSync(loader) ? loader : bundle;
  return (jobs, options, threads, caches) =>
    new Promise((resolve) => {
      const { Worker } = workerThreads();
      const outcomes: (FileCheckOutcome | undefined)[] = new Array<FileCheckOutcome | undefined>(jobs.length);
      const order = largestFirst(jobs);
      let next = 0;
      // Files a stopped worker held but had not started, handed out again before the others.
      const returned: number[] = [];
      const nextFile = (): number | undefined => returned.shift() ?? (next < jobs.length ? order[next++] : undefined);
      let answered = 0;
      const workers = new Set<Worker>();
      // A worker is told to stop rather than terminated, so its thread ends as a process does and the loader's exit
      // hook writes the worker's code cache (src/cliLoader.ts): terminated, every worker compiled the analysis
      // and the checks afresh on every run.
      const stop = (worker: Worker): void => {
        workers.delete(worker);
        const message: StopMessage = { stop: true };
        worker.postMessage(message);
        setTimeout(() => void worker.terminate(), STOP_GRACE_MS).unref();
      };
      const finish = (): void => {
        for (const w of [...workers]) stop(w);
        resolve(outcomes.map((o) => o ?? workerStopped('no answer')));
      };
      const start = (): void => {
        const setup: WorkerSetup = { mlNotesCheckWorker: true, cwd, caches, options };
        const worker = new Worker(entry, { workerData: setup, argv: [CHECK_WORKER_ARGUMENT, ...(caches.parseCache ? [] : ['--no-cache'])], resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
        workers.add(worker);
        // The files given to this worker and not answered yet, in the order given: it answers them in that order,
        // so the first is the one it is checking.
        const held: number[] = [];
        const give = (): void => {
          while (held.length < FILES_PER_WORKER) {
            const index = nextFile();
            if (index === undefined) break;
            held.push(index);
            const message: JobMessage = { index, job: jobs[index]! };
            worker.postMessage(message);
          }
          if (held.length === 0) stop(worker);
        };
        worker.on('message', (answer: AnswerMessage) => {
          // A worker told to stop has nothing left to answer.
          if (!workers.has(worker)) return;
          outcomes[answer.index] = answer.outcome;
          held.splice(held.indexOf(answer.index), 1);
          if (++answered === jobs.length) finish();
          else give();
        });
        const stopped = (why: string): void => {
          if (!workers.delete(worker)) return;
          const [current, ...waiting] = held;
          // The files it held but had not started go to the other workers, in their order.
          returned.unshift(...waiting.filter((index) => outcomes[index] === undefined));
          if (current !== undefined && outcomes[current] === undefined) {
            outcomes[current] = workerStopped(why);
            if (++answered === jobs.length) return finish();
          }
          // The files still waiting go to a fresh worker.
          if (returned.length > 0 || next < jobs.length) start();
        };
        worker.on('error', (error) => stopped(error.message));
        worker.on('exit', (code) => stopped(`exit code ${code}`));
        give();
      };
      for (let i = 0; i < Math.min(threads, jobs.length); i++) start();
    });
}

/**
 * In a check worker thread: answers files until the main thread stops it. Returns whether this thread is one.
 * The analysis and the checks are loaded only here (the bundle's other runs never initialise the check rules);
 * every job waits for the same load, so jobs are answered in the order they came.
 */
export function serveCheckWorker(makeIo: (cwd: string, caches: WorkerCaches) => CliIo, argv: readonly string[] = process.argv): boolean {
  if (!argv.includes(CHECK_WORKER_ARGUMENT)) return false;
  const { isMainThread, parentPort, workerData } = workerThreads();
  if (isMainThread || !parentPort || !isWorkerSetup(workerData)) return false;
  const setup = workerData;
  const io = makeIo(setup.cwd, setup.caches);
  const checker = Promise.all([import('../core'), import('./checkFile')]).then(([core, { checkFileText }]) => {
    const analyzer = core.createAnalyzer(io.parseCache ? { parseCache: io.parseCache } : {});
    return (job: FileCheckJob): FileCheckOutcome => checkFileText(io, job, setup.options, analyzer);
  });
  const port = parentPort;
  port.on('message', (message: JobMessage | StopMessage) => {
    if ('stop' in message) {
      // Nothing keeps the thread alive then: it ends, and the loader's exit hook runs.
      port.close();
      return;
    }
    void checker.then((check) => {
      const answer: AnswerMessage = { index: message.index, outcome: check(message.job) };
      port.postMessage(answer);
    });
  });
  return true;
}
