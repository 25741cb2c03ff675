// The host's side of the analysis worker, free of `vscode` so tests drive it exactly as the extension does.
// The worker is a child process with a V8 heap limit: a file that exhausts memory or crashes V8 ends that
// process, never the extension host. A watchdog gives each request its deadline; past it the worker is
// killed and restarted and the request answers `timeout`, so one file never holds up the others.
import { fork, type ChildProcess } from 'node:child_process';
import type { EditorView } from '../core/editor/view';
import type { FitReport, ModelSummary } from '../core/index';
import type { AnalyzeMessage, FromWorker, SummarizeMessage, ToWorker } from './protocol';

export interface WorkerClientOptions {
  /** The bundled worker script (dist/analysisWorker.js). */
  readonly workerPath: string;
  /** V8's old-generation limit of the worker process, in MB. */
  readonly heapMb?: number;
  readonly log?: (level: 'info' | 'error', message: string) => void;
}

/** An imported file as the host read it: `token` changes whenever the text may have (size, mtime, version). */
export interface ImportedText {
  readonly text: string;
  readonly token: string;
}

type Request<M> = Omit<M, 'id' | 'files' | 'dropFiles'> & { readonly files: ReadonlyMap<string, ImportedText> };
export type AnalyzeRequest = Request<AnalyzeMessage>;
export type SummarizeRequest = Request<SummarizeMessage>;

export type AnalyzeOutcome =
  | { readonly kind: 'result'; readonly analysis: EditorView; readonly missingFiles: readonly string[]; readonly ms: number }
  /** The watchdog stopped the worker: the document is too complex to analyse within its budget. */
  | { readonly kind: 'timeout'; readonly ms: number }
  /** The worker process died (out of memory, a V8 abort) while on this request. */
  | { readonly kind: 'crashed'; readonly message: string; readonly ms: number }
  /** The worker caught an exception and said so. */
  | { readonly kind: 'failed'; readonly message: string; readonly ms: number }
  /** A newer request for the same document replaced this one before it started. */
  | { readonly kind: 'superseded' };

export type SummarizeOutcome = { readonly summary: ModelSummary | { readonly error: string }; readonly gains: Readonly<Record<string, number>>; readonly fit?: FitReport | { readonly error: string } };

/**
 * The watchdog's deadline for a request: twice its budget (which covers the whole analysis), less a margin
 * for the timer's own lateness, so every request is answered within twice its budget.
 */
export const watchdogMs = (budgetMs: number): number => 2 * budgetMs - Math.min(100, budgetMs / 4);

/** Default heap of the worker: far above what real model files need (ViT-B summarises in about 80 MB). */
export const DEFAULT_WORKER_HEAP_MB = 640;

/** What a queued job ends with: an analysis outcome, or a summary. */
type Outcome = AnalyzeOutcome | { readonly kind: 'summary'; readonly result: SummarizeOutcome };

interface Job {
  readonly key: string | undefined;
  readonly kind: 'analyze' | 'summarize';
  request: AnalyzeRequest | SummarizeRequest;
  readonly resolve: (outcome: Outcome) => void;
}

interface Running {
  readonly job: Job;
  readonly id: number;
  readonly started: number;
  readonly timer: ReturnType<typeof setTimeout>;
}

export class AnalysisWorkerClient {
  private child: ChildProcess | undefined;
  private ready = false;
  private readonly queue: Job[] = [];
  private running: Running | undefined;
  private nextId = 1;
  /** What the current worker process holds of each imported file. */
  private sent = new Map<string, string>();
  private stderrTail = '';
  private disposed = false;
  /** How many times the worker process was started (the first start included). */
  starts = 0;
  /** Characters of imported files sent to worker processes so far (each text once per process and version). */
  sentFileChars = 0;

  constructor(private readonly options: WorkerClientOptions) {}

  /** The worker's process id while one runs (tests read its peak memory). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Analyses a document; a request still queued for the same `key` (document) is superseded by this one. */
  async analyze(key: string, request: AnalyzeRequest): Promise<AnalyzeOutcome> {
    const outcome = await this.enqueue(key, 'analyze', request);
    return outcome.kind === 'summary' ? { kind: 'failed', message: 'the worker answered with a summary', ms: 0 } : outcome;
  }

  /** The full summary of one model; a timeout or crash becomes the summary's error. */
  async summarize(request: SummarizeRequest): Promise<SummarizeOutcome> {
    const outcome = await this.enqueue(undefined, 'summarize', request);
    if (outcome.kind === 'summary') return outcome.result;
    const error =
      outcome.kind === 'timeout' ? `too complex to summarise in time (stopped after ${outcome.ms} ms)`
      : outcome.kind === 'crashed' || outcome.kind === 'failed' ? outcome.message
      : outcome.kind === 'superseded' ? 'the analysis was closed' : 'the worker answered with an analysis';
    return { summary: { error }, gains: {} };
  }

  /** Forgets a closed document in the worker. */
  close(path: string): void {
    if (this.child && this.ready) this.post({ type: 'close', path });
  }

  dispose(): void {
    this.disposed = true;
    for (const job of this.queue.splice(0)) job.resolve({ kind: 'superseded' });
    if (this.running) {
      clearTimeout(this.running.timer);
      this.running.job.resolve({ kind: 'superseded' });
      this.running = undefined;
    }
    this.stop();
  }

  private enqueue(key: string | undefined, kind: Job['kind'], request: AnalyzeRequest | SummarizeRequest): Promise<Outcome> {
    if (this.disposed) return Promise.resolve({ kind: 'superseded' });
    return new Promise((resolve) => {
      const waiting = key === undefined ? -1 : this.queue.findIndex((j) => j.key === key && j.kind === kind);
      if (waiting >= 0) {
        this.queue[waiting]!.resolve({ kind: 'superseded' });
        this.queue[waiting] = { key, kind, request, resolve };
      } else this.queue.push({ key, kind, request, resolve });
      this.pump();
    });
  }

  private pump(): void {
    if (this.running || this.queue.length === 0 || this.disposed) return;
    if (!this.child) this.start();
    if (!this.ready) return;
    const job = this.queue.shift()!;
    const id = this.nextId++;
    const { files, ...rest } = job.request;
    const delta = this.fileDelta(files);
    const message = { ...rest, id, ...delta } as ToWorker;
    const budgetMs = job.request.budgetMs;
    const timer = setTimeout(() => this.timedOut(id), watchdogMs(budgetMs));
    this.running = { job, id, started: Date.now(), timer };
    this.post(message);
  }

  /** The imported texts this worker process has not got in this version, and those it should drop. */
  private fileDelta(files: ReadonlyMap<string, ImportedText>): { files: Record<string, string>; dropFiles: string[] } {
    const out: Record<string, string> = {};
    for (const [path, file] of files) {
      if (this.sent.get(path) === file.token) continue;
      out[path] = file.text;
      this.sent.set(path, file.token);
      this.sentFileChars += file.text.length;
    }
    // Files no request mentions any more stay until the process restarts; a later request may bring them back.
    return { files: out, dropFiles: [] };
  }

  private start(): void {
    this.starts++;
    this.ready = false;
    this.sent = new Map();
    this.stderrTail = '';
    const child = fork(this.options.workerPath, [], {
      execArgv: [`--max-old-space-size=${this.options.heapMb ?? DEFAULT_WORKER_HEAP_MB}`],
      // In VS Code's Electron host, fork() must run Electron as plain Node (what language clients do too).
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    this.child = child;
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-2000);
    });
    child.on('message', (message: FromWorker) => this.received(child, message));
    child.on('error', (error) => this.options.log?.('error', `analysis worker: ${error.message}`));
    child.on('exit', (code, signal) => this.exited(child, code, signal));
  }

  private stop(): void {
    const child = this.child;
    this.child = undefined;
    this.ready = false;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  private post(message: ToWorker): void {
    try {
      this.child?.send(message);
    } catch (error) {
      this.options.log?.('error', `analysis worker: cannot send: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private received(child: ChildProcess, message: FromWorker): void {
    if (child !== this.child) return;
    if (message.type === 'ready') {
      this.ready = true;
      this.pump();
      return;
    }
    const running = this.running;
    if (!running || running.id !== message.id) return;
    clearTimeout(running.timer);
    this.running = undefined;
    const ms = Date.now() - running.started;
    if (message.type === 'result') running.job.resolve({ kind: 'result', analysis: message.analysis, missingFiles: message.missingFiles, ms });
    else if (message.type === 'failed') running.job.resolve({ kind: 'failed', message: message.message, ms });
    else running.job.resolve({ kind: 'summary', result: { summary: message.summary, gains: message.gains, ...(message.fit ? { fit: message.fit } : {}) } });
    this.pump();
  }

  private timedOut(id: number): void {
    const running = this.running;
    if (!running || running.id !== id) return;
    this.running = undefined;
    this.options.log?.('info', `analysis worker stopped after ${watchdogMs(running.job.request.budgetMs)} ms on ${running.job.request.path}; restarting it`);
    this.stop();
    running.job.resolve({ kind: 'timeout', ms: Date.now() - running.started });
    this.pump();
  }

  private exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    this.child = undefined;
    this.ready = false;
    const why = `the analysis worker exited (${signal ?? `code ${code}`})${this.stderrTail ? `: ${lastLine(this.stderrTail)}` : ''}`;
    this.options.log?.('error', why);
    const running = this.running;
    if (running) {
      clearTimeout(running.timer);
      this.running = undefined;
      running.job.resolve({ kind: 'crashed', message: why, ms: Date.now() - running.started });
    }
    this.pump();
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter((l) => l.trim().length > 0).slice(-1)[0] ?? '';
}
