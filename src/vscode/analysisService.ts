// One analysis per open Python document, computed in a worker thread (so typing never waits for it),
// re-run after edits (debounced) and when an imported workspace file changes, and cached by document
// version. Hovers, hints, lenses and diagnostics only read this cache.
import * as vscode from 'vscode';
import { Worker } from 'node:worker_threads';
import type { EditorView } from '../core/editor/view';
import type { ModelSummary } from '../core/index';
import type { UserModelSettings } from '../core/editor/modelInputs';
import type { FromWorker, ToWorker } from '../worker/protocol';
import type { Log } from './log';

interface DocumentState {
  version: number;
  analysis?: EditorView;
  timer?: ReturnType<typeof setTimeout>;
  requestId: number;
  /** Imported files the host has read for this document, by path. */
  files: Record<string, string>;
}

const USER_SETTINGS_KEY = 'mlNotes.modelSettings';

/** A model's full summary and each dense layer's forward variance gain, by module path. */
export interface SummaryResult {
  readonly summary: ModelSummary | { readonly error: string };
  readonly gains: Readonly<Record<string, number>>;
}

/** The setting as a valid [low, high] with 0 < low < high, else the default [0.1, 10]. */
function gainRange(value: readonly number[] | undefined): [number, number] {
  const [low, high] = value ?? [];
  return typeof low === 'number' && typeof high === 'number' && low > 0 && high > low ? [low, high] : [0.1, 10];
}

export class AnalysisService implements vscode.Disposable {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly documents = new Map<string, DocumentState>();
  private readonly pending = new Map<number, { uri: vscode.Uri; version: number; retried: boolean }>();
  private readonly summaries = new Map<number, (result: SummaryResult) => void>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Fires with a document's URI when its analysis has been replaced. */
  readonly onDidChangeAnalysis = this.changed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, this.debounceMs())),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidSaveTextDocument((d) => this.importedFileChanged(d.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mlNotes.checks') || e.affectsConfiguration('mlNotes.analysis') || e.affectsConfiguration('mlNotes.init')) for (const d of vscode.workspace.textDocuments) this.schedule(d, 0, false);
      }),
    );
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.py');
    this.disposables.push(watcher, watcher.onDidChange((u) => this.importedFileChanged(u)), watcher.onDidCreate((u) => this.importedFileChanged(u)));
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  /** The latest analysis of a document (possibly of an earlier version while a new one runs). */
  get(uri: vscode.Uri): EditorView | undefined {
    return this.documents.get(uri.toString())?.analysis;
  }

  /** Resolves when the document's analysis is at its current version (for tests and commands). */
  async whenCurrent(document: vscode.TextDocument, timeoutMs = 20_000): Promise<EditorView | undefined> {
    const deadline = Date.now() + timeoutMs;
    this.schedule(document, 0, false);
    while (Date.now() < deadline) {
      const state = this.documents.get(document.uri.toString());
      if (state?.analysis && state.version === document.version && !state.timer && ![...this.pending.values()].some((p) => p.uri.toString() === document.uri.toString())) return state.analysis;
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.get(document.uri);
  }

  userSettings(uri: vscode.Uri): Record<string, UserModelSettings> {
    const all = this.context.workspaceState.get<Record<string, Record<string, UserModelSettings>>>(USER_SETTINGS_KEY, {});
    return all[uri.toString()] ?? {};
  }

  async setUserSettings(document: vscode.TextDocument, className: string, settings: UserModelSettings): Promise<void> {
    const all = this.context.workspaceState.get<Record<string, Record<string, UserModelSettings>>>(USER_SETTINGS_KEY, {});
    const forDoc = { ...(all[document.uri.toString()] ?? {}), [className]: settings };
    await this.context.workspaceState.update(USER_SETTINGS_KEY, { ...all, [document.uri.toString()]: forDoc });
    this.schedule(document, 0, false);
  }

  /** The full summary of one model class of a document, as the editor analysis built it. */
  summarize(document: vscode.TextDocument, className: string): Promise<SummaryResult> {
    const model = this.get(document.uri)?.models.find((m) => m.className === className);
    if (!model?.expression) return Promise.resolve({ summary: { error: model?.error ?? `${className} has not been analysed yet` }, gains: {} });
    const id = this.nextId++;
    const state = this.documents.get(document.uri.toString());
    const message: ToWorker = {
      type: 'summarize',
      id,
      path: document.uri.fsPath,
      text: document.getText(),
      files: state?.files ?? {},
      model: model.expression,
      ...(model.input ? { inputs: model.input.shapes, dtype: model.input.dtype } : model.ranOn ? { inputs: model.ranOn.map((s) => s.join(',')) } : {}),
      budgetMs: 10_000,
    };
    return new Promise((resolve) => {
      this.summaries.set(id, resolve);
      this.ensureWorker().postMessage(message);
    });
  }

  private debounceMs(): number {
    return vscode.workspace.getConfiguration('mlNotes').get<number>('analysis.debounceMs', 150);
  }

  private schedule(document: vscode.TextDocument, delayMs: number, skipIfCurrent = true): void {
    if (document.languageId !== 'python' || document.uri.scheme === 'output') return;
    const key = document.uri.toString();
    const state = this.documents.get(key) ?? { version: -1, requestId: 0, files: {} };
    this.documents.set(key, state);
    if (skipIfCurrent && state.version === document.version && state.analysis) return;
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      this.send(document, false);
    }, delayMs);
  }

  private send(document: vscode.TextDocument, retried: boolean): void {
    const state = this.documents.get(document.uri.toString());
    if (!state || document.isClosed) return;
    const id = this.nextId++;
    state.requestId = id;
    this.pending.set(id, { uri: document.uri, version: document.version, retried });
    const message: ToWorker = {
      type: 'analyze',
      id,
      path: document.uri.fsPath,
      text: document.getText(),
      files: state.files,
      user: this.userSettings(document.uri),
      budgetMs: vscode.workspace.getConfiguration('mlNotes').get<number>('analysis.timeBudgetMs', 500),
      disabledChecks: vscode.workspace.getConfiguration('mlNotes').get<string[]>('checks.disabled', []),
      varianceGainRange: gainRange(vscode.workspace.getConfiguration('mlNotes').get<number[]>('init.varianceGainRange', [0.1, 10])),
    };
    this.ensureWorker().postMessage(message);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'analysisWorker.js').fsPath);
    worker.on('message', (m: FromWorker) => void this.receive(m));
    worker.on('error', (e) => this.log.error('analysis worker failed', e));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      if (code !== 0) this.log.error(`analysis worker exited with code ${code}`);
    });
    this.worker = worker;
    return worker;
  }

  private async receive(message: FromWorker): Promise<void> {
    if (message.type === 'summary') {
      this.summaries.get(message.id)?.({ summary: message.summary, gains: message.gains });
      this.summaries.delete(message.id);
      return;
    }
    const request = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (!request) return;
    const state = this.documents.get(request.uri.toString());
    if (!state || state.requestId !== message.id) return;
    if (message.type === 'failed') {
      this.log.error(`analysis of ${request.uri.fsPath} failed: ${message.message}`);
      return;
    }
    // Imports the worker could not see: read them through the workspace file system and run again once.
    if (message.missingFiles.length > 0 && !request.retried) {
      const found = await this.readFiles(message.missingFiles);
      if (Object.keys(found).length > 0) {
        Object.assign(state.files, found);
        const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === request.uri.toString());
        if (document) {
          this.send(document, true);
          return;
        }
      }
    }
    state.version = request.version;
    state.analysis = message.analysis;
    this.log.info(`analysed ${vscode.workspace.asRelativePath(request.uri)} in ${message.analysis.elapsedMs} ms`);
    this.changed.fire(request.uri);
  }

  private async readFiles(paths: readonly string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    await Promise.all(
      paths.map(async (path) => {
        const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === path);
        if (open) {
          out[path] = open.getText();
          return;
        }
        try {
          out[path] = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(path)));
        } catch {
          // Not in the workspace: the analysis treats that import as unknown.
        }
      }),
    );
    return out;
  }

  private importedFileChanged(uri: vscode.Uri): void {
    for (const [key, state] of this.documents) {
      if (!(uri.fsPath in state.files) || key === uri.toString()) continue;
      delete state.files[uri.fsPath];
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      if (document) this.schedule(document, 0, false);
    }
  }

  private forget(uri: vscode.Uri): void {
    const state = this.documents.get(uri.toString());
    if (state?.timer) clearTimeout(state.timer);
    this.documents.delete(uri.toString());
    this.worker?.postMessage({ type: 'close', path: uri.fsPath } satisfies ToWorker);
  }

  dispose(): void {
    for (const state of this.documents.values()) if (state.timer) clearTimeout(state.timer);
    this.disposables.forEach((d) => d.dispose());
    void this.worker?.terminate();
  }
}
