// The host's side of the analysis worker, free of `vscode` so tests drive it exactly as the extension does.
// The worker is a child process with a V8 heap limit: a file that exhausts memory or crashes V8 ends that
// process, never the extension host. A watchdog gives each request its deadline; past it the worker is
// killed and restarted and the request answers `timeout`, so one file never holds up the others. A newer
// request for a document replaces a queued one and stops a running one at its next step (`cancel`).
import { fork, type ChildProcess } from 'node:child_process';
import type { EditorView } from '../core/editor/view';
import type { FitReport, ModelSummary } from '../core/index';
import type { HoverContent } from '../core/editor/hover';
import { applyViewDelta, type PostedView } from '../core/editor/viewDelta';
import { interruptBudgetFlag, tunedV8Flags } from '../node/v8Flags';
import type { AnalyzeMessage, FromWorker, HoverMessage, PartialScope, SummarizeMessage, ToWorker } from './protocol';

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
export type HoverRequest = Omit<HoverMessage, 'type' | 'id'>;

/** A hover's answer: the content, or why there is none ('none' also for a stale view or no worker). */
export type HoverOutcome = { readonly kind: 'hover'; readonly hover: HoverContent } | { readonly kind: 'none' } | { readonly kind: 'failed'; readonly message: string };

export type AnalyzeOutcome =
  | { readonly kind: 'result'; readonly analysis: EditorView; readonly missingFiles: readonly string[]; readonly ms: number }
  /** The watchdog stopped the worker: the document is too complex to analyse within its budget. */
  | { readonly kind: 'timeout'; readonly ms: number }
  /** The worker process died (out of memory, a V8 abort) while on this request. */
  | { readonly kind: 'crashed'; readonly message: string; readonly ms: number }
  /** The worker caught an exception and said so. */
  | { readonly kind: 'failed'; readonly message: string; readonly ms: number }
  /** A newer request for the same document replaced this one before it started, or stopped it while it ran. */
  | { readonly kind: 'superseded' };

/** Told each partial view (no findings yet) before the answer, when the request asked for them (see AnalyzeMessage.partialView). */
export type PartialListener = (analysis: EditorView, scope: PartialScope) => void;

export type SummarizeOutcome = { readonly summary: ModelSummary | { readonly error: string }; readonly gains: Readonly<Record<string, number>>; readonly fit?: FitReport | { readonly error: string } };

/**
 * The watchdog's deadline for a request: twice its budget (which covers the whole analysis), less a margin
 * for the timer's own lateness, so every request is answered within twice its budget.
 */
export const watchdogMs = (budgetMs: number): number => 2 * budgetMs - Math.min(100, budgetMs / 4);

/** How far the host follows imports in one analysis (analyzeWithImports). */
export interface ImportLimits {
  /** Re-requests after the first answer. */
  readonly rounds: number;
  /** Imported files per document. */
  readonly files: number;
}

/**
 * Analyses with the imports read so far (`known`); while the answer names files the worker did not have and
 * `read` can read some of them (it answers the paths it read), adds those and asks again at once, so a chain
 * of imports (a -> b -> c) resolves in one call instead of one level per edit. A file `read` could not read
 * ends the rounds (it is not asked for again here); `limits` bound the rounds and the files.
 */
export async function analyzeWithImports(
  analyze: (imports: ReadonlySet<string>) => Promise<AnalyzeOutcome>,
  known: Set<string>,
  read: (paths: readonly string[]) => Promise<readonly string[]>,
  limits: ImportLimits,
): Promise<AnalyzeOutcome> {
  for (let round = 0; ; round++) {
    const outcome = await analyze(known);
    if (outcome.kind !== 'result' || round >= limits.rounds) return outcome;
    const unread = outcome.missingFiles.filter((p) => !known.has(p)).slice(0, Math.max(0, limits.files - known.size));
    if (unread.length === 0) return outcome;
    const found = await read(unread);
    if (found.length === 0) return outcome;
    for (const path of found) known.add(path);
  }
}

/** Default heap of the worker: far above what real model files need (ViT-B summarises in about 80 MB). */
export const DEFAULT_WORKER_HEAP_MB = 640;

/**
 * The worker's semi-space (half its young generation): an edit allocates 6-12 MB, so with V8's default 16 MB nearly
 * every keystroke ran a scavenge. Measured with the bench's in-process part, 14 pairs in turns at load 2.3-2.8: an
 * edit of the 348-line file 10.0 -> 8.3 ms (median; lower in 11 of 14 pairs), the 5k file's edits and first view
 * unchanged.
 */
export const WORKER_SEMI_SPACE_MB = 32;

/**
 * The worker's TurboFan tier-up, four times V8's default interrupt budget (V8_DEFAULT_INTERRUPT_BUDGET). A fresh
 * worker's first view of the 5k bench file spent ~0.7 s on its thread and ~1.8 s in the process: the rest was mostly
 * TurboFan compiling, on the same 2 cores, functions that a later tier-up leaves to the baseline tiers. The bench's
 * in-process editor sequence (three first views, then 20 edits of the 5k file and 20 of the small one, then 60 more
 * of each), three runs in turns at load 2.1-2.7: first view 944/850/818 -> 742/824/712 ms, 5k edit 28.7/26.7/24.7 ->
 * 23.1/25.4/21.1 ms, small edit 8.8/7.8/6.7 -> 10.3/9.5/7.5 ms (the later 60: 7.6/7.0/7.0 -> 7.8/6.3/6.3), the
 * process's CPU -15%; at load 6-7 every key was lower (first view 1,640-1,747 -> 1,143-1,460 ms). Sixteen times (what
 * `check` uses, src/node/v8Flags.ts) made the long-lived worker's later edits slower (5k 14-18 -> 20-24 ms).
 */
export const WORKER_INTERRUPT_BUDGET_TIMES = 4;

/**
 * The V8 flags the worker process runs with. The bench's in-process part runs with them too: the heap limit and the
 * semi-space change how often V8 collects, and the tier-up when it compiles, so timings taken without them are not
 * the worker's.
 */
export function workerExecArgv(heapMb: number = DEFAULT_WORKER_HEAP_MB): string[] {
  // The tier-up only on the V8 it was measured on: the worker runs on the editor's own Node (Electron's, or
  // code-server's Node 24, which has no such flag and would refuse to start the worker).
  return [`--max-old-space-size=${heapMb}`, `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`, ...tunedV8Flags([interruptBudgetFlag(WORKER_INTERRUPT_BUDGET_TIMES)])];
}

/** What a queued job ends with: an analysis outcome, or a summary. */
type Outcome = AnalyzeOutcome | { readonly kind: 'summary'; readonly result: SummarizeOutcome };

interface Job {
  readonly key: string | undefined;
  readonly kind: 'analyze' | 'summarize';
  request: AnalyzeRequest | SummarizeRequest;
  readonly resolve: (outcome: Outcome) => void;
  readonly onPartial?: PartialListener;
}

interface Running {
  readonly job: Job;
  readonly id: number;
  readonly started: number;
  readonly timer: ReturnType<typeof setTimeout>;
  /** The 'models' partial view the worker sent; its final answer adds the checks' part to it. */
  partial?: EditorView;
  /** A newer request for the same document asked the worker to stop this one. */
  cancelled?: boolean;
}

export class AnalysisWorkerClient {
  private child: ChildProcess | undefined;
  private ready = false;
  private readonly queue: Job[] = [];
  private running: Running | undefined;
  private nextId = 1;
  /** What the current worker process holds of each imported file. */
  private sent = new Map<string, string>();
  /** By path, the last view of every model the current worker process posted (its next view is a change of it). */
  private views = new Map<string, { readonly id: number; readonly view: EditorView }>();
  private stderrTail = '';
  private disposed = false;
  /** Hover requests posted to the current worker process and not answered yet. */
  private readonly hovers = new Map<number, (outcome: HoverOutcome) => void>();
  /** How many times the worker process was started (the first start included). */
  starts = 0;
  /** Characters of imported files sent to worker processes so far (each text once per process and version). */
  sentFileChars = 0;

  constructor(private readonly options: WorkerClientOptions) {}

  /** The worker's process id while one runs (tests read its peak memory). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Analyses a document; a request still queued for the same `key` (document) is superseded by this one, and
   * one running is stopped at its next step (it answers superseded). `onPartial` receives the models' part of
   * the view before the checks finish, when `request.partialView` asks for it.
   */
  async analyze(key: string, request: AnalyzeRequest, onPartial?: PartialListener): Promise<AnalyzeOutcome> {
    const outcome = await this.enqueue(key, 'analyze', request, onPartial);
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

  /**
   * The hover at a position of a view the worker posted (`request.source` is the view's `hovers`). The worker
   * answers between the steps of a running analysis, not after it; no worker, a stale view or a worker that exits
   * first answer 'none'.
   */
  hover(request: HoverRequest): Promise<HoverOutcome> {
    if (this.disposed || !this.child || !this.ready) return Promise.resolve({ kind: 'none' });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.hovers.set(id, resolve);
      this.post({ type: 'hover', id, ...request });
    });
  }

  /** Forgets a closed document in the worker. */
  close(path: string): void {
    // The worker forgets its last view of the document when the close arrives: the next one it posts is whole.
    this.views.delete(path);
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

  private enqueue(key: string | undefined, kind: Job['kind'], request: AnalyzeRequest | SummarizeRequest, onPartial?: PartialListener): Promise<Outcome> {
    if (this.disposed) return Promise.resolve({ kind: 'superseded' });
    return new Promise((resolve) => {
      const job: Job = { key, kind, request, resolve, ...(onPartial ? { onPartial } : {}) };
      const waiting = key === undefined ? -1 : this.queue.findIndex((j) => j.key === key && j.kind === kind);
      if (waiting >= 0) {
        this.queue[waiting]!.resolve({ kind: 'superseded' });
        this.queue[waiting] = job;
      } else this.queue.push(job);
      const running = this.running;
      if (key !== undefined && kind === 'analyze' && running && running.job.key === key && running.job.kind === kind && !running.cancelled) {
        // The running analysis of this document is stale: the worker stops it at its next step.
        running.cancelled = true;
        this.post({ type: 'cancel', id: running.id });
      }
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
    this.views = new Map();
    this.stderrTail = '';
    const child = fork(this.options.workerPath, [], {
      execArgv: workerExecArgv(this.options.heapMb),
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

  /** The worker process that would answer the pending hovers is gone: they answer 'none'. */
  private settleHovers(): void {
    for (const resolve of this.hovers.values()) resolve({ kind: 'none' });
    this.hovers.clear();
  }

  private stop(): void {
    this.settleHovers();
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
    if (message.type === 'hover') {
      const resolve = this.hovers.get(message.id);
      this.hovers.delete(message.id);
      resolve?.(message.hover ? { kind: 'hover', hover: message.hover } : message.error !== undefined ? { kind: 'failed', message: message.error } : { kind: 'none' });
      return;
    }
    // Every view of every model is kept, whichever request it answers: the worker's next view changes it.
    const view = message.type === 'result' || message.type === 'partial' ? this.viewPosted(message.id, message.view, message.type === 'result' || message.scope === 'models') : undefined;
    const running = this.running;
    if (!running || running.id !== message.id) return;
    if (message.type === 'partial') {
      if (!view) return;
      if (message.scope === 'models') running.partial = view;
      running.job.onPartial?.(view, message.scope);
      return;
    }
    clearTimeout(running.timer);
    this.running = undefined;
    const ms = Date.now() - running.started;
    switch (message.type) {
      case 'result':
        // Without the view it changes (the document was closed while it was analysed), nobody waits for it.
        running.job.resolve(view ? { kind: 'result', analysis: view, missingFiles: message.missingFiles, ms } : { kind: 'superseded' });
        break;
      case 'checked':
        if (running.partial) running.job.resolve({ kind: 'result', analysis: { ...running.partial, ...message.checks }, missingFiles: message.missingFiles, ms });
        else running.job.resolve({ kind: 'failed', message: 'the worker sent the checks without the view', ms });
        break;
      case 'superseded':
        running.job.resolve({ kind: 'superseded' });
        break;
      case 'failed':
        running.job.resolve({ kind: 'failed', message: message.message, ms });
        break;
      case 'summary':
        running.job.resolve({ kind: 'summary', result: { summary: message.summary, gains: message.gains, ...(message.fit ? { fit: message.fit } : {}) } });
        break;
    }
    this.pump();
  }

  /**
   * The view a message posts, whole or applied to the last view of its document (kept when `keep`: a view of every
   * model); undefined when that last view is gone (closed since).
   */
  private viewPosted(id: number, posted: PostedView, keep: boolean): EditorView | undefined {
    let view: EditorView;
    if ('full' in posted) view = posted.full;
    else {
      const base = this.views.get(posted.path);
      if (base?.id !== posted.delta.base) {
        // Closed since the worker posted it. The worker is told again, so that its next view is whole.
        this.views.delete(posted.path);
        this.post({ type: 'close', path: posted.path });
        return undefined;
      }
      view = applyViewDelta(base.view, posted.delta);
    }
    if (keep) this.views.set(view.path, { id, view });
    return view;
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
    const started = this.ready;
    this.child = undefined;
    this.ready = false;
    this.settleHovers();
    const why = `the analysis worker exited (${signal ?? `code ${code}`})${this.stderrTail ? `: ${lastLine(this.stderrTail)}` : ''}`;
    this.options.log?.('error', why);
    const running = this.running;
    if (running) {
      clearTimeout(running.timer);
      this.running = undefined;
      running.job.resolve({ kind: 'crashed', message: why, ms: Date.now() - running.started });
    }
    // A worker that exits before it is ready would exit again: the waiting requests fail instead of restarting it
    // in a loop (the next request tries a new process).
    if (!started) for (const job of this.queue.splice(0)) job.resolve({ kind: 'crashed', message: why, ms: 0 });
    this.pump();
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter((l) => l.trim().length > 0).slice(-1)[0] ?? '';
}
