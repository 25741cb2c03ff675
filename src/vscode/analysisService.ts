// One analysis per open Python document, and one per open notebook (its Python cells as one module),
// computed in a worker thread (so typing never waits for it), re-run after edits (debounced) and when an
// imported workspace file changes, and cached by version. Hovers, hints, lenses and diagnostics only
// read this cache; a notebook cell reads its part of the notebook's analysis, in its own positions.
import * as vscode from 'vscode';
import { Worker } from 'node:worker_threads';
import type { EditorView } from '../core/editor/view';
import { cellView } from '../core/editor/notebookView';
import { notebookModule, toCellPosition, type NotebookModule } from '../core/notebook/cells';
import type { ModelSummary } from '../core/index';
import type { UserModelSettings } from '../core/editor/modelInputs';
import type { FromWorker, ToWorker } from '../worker/protocol';
import type { Log } from './log';
import { hasPythonCells, isNotebookCell, notebookCells, notebookOfCell, notebookVersion } from './notebooks';
import { TorchVersionSource } from './torchVersion';

/** What one analysis covers: a Python file, or a notebook's Python cells as one module. */
type Target = { readonly kind: 'file'; readonly document: vscode.TextDocument } | { readonly kind: 'notebook'; readonly notebook: vscode.NotebookDocument };

interface DocumentState {
  version: string;
  analysis?: EditorView;
  /** For a notebook: each code cell's part of the analysis, by the cell document's URI. */
  cellViews?: Map<string, EditorView>;
  /** For a notebook: the module the analysis read. */
  notebook?: NotebookModule;
  timer?: ReturnType<typeof setTimeout>;
  requestId: number;
  /** Imported files the host has read for this document, by path. */
  files: Record<string, string>;
}

interface PendingRequest {
  readonly uri: vscode.Uri;
  readonly version: string;
  readonly retried: boolean;
  /** For a notebook: the module sent and the URI of every cell at that moment, by index. */
  readonly notebook?: { readonly module: NotebookModule; readonly cellUris: readonly string[] };
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

const targetUri = (target: Target): vscode.Uri => (target.kind === 'file' ? target.document.uri : target.notebook.uri);
const targetVersion = (target: Target): string => (target.kind === 'file' ? String(target.document.version) : notebookVersion(target.notebook));
const targetClosed = (target: Target): boolean => (target.kind === 'file' ? target.document.isClosed : target.notebook.isClosed);

/** The text the worker analyses: the file's, or the notebook's module with its map. */
function targetText(target: Target): { text: string; notebook?: PendingRequest['notebook'] } {
  if (target.kind === 'file') return { text: target.document.getText() };
  const module = notebookModule(notebookCells(target.notebook));
  return { text: module.text, notebook: { module, cellUris: target.notebook.getCells().map((c) => c.document.uri.toString()) } };
}

export class AnalysisService implements vscode.Disposable {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly documents = new Map<string, DocumentState>();
  private readonly pending = new Map<number, PendingRequest>();
  private readonly summaries = new Map<number, (result: SummaryResult) => void>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly torchVersions = new TorchVersionSource();
  private readonly disposables: vscode.Disposable[] = [];
  /** Fires with a document's URI (each cell's, for a notebook) when its analysis has been replaced. */
  readonly onDidChangeAnalysis = this.changed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, this.debounceMs())),
      vscode.workspace.onDidCloseTextDocument((d) => isNotebookCell(d) || this.forget(d.uri)),
      vscode.workspace.onDidSaveTextDocument((d) => this.importedFileChanged(d.uri)),
      vscode.workspace.onDidOpenNotebookDocument((n) => this.scheduleTarget({ kind: 'notebook', notebook: n }, 0)),
      vscode.workspace.onDidChangeNotebookDocument((e) => this.scheduleTarget({ kind: 'notebook', notebook: e.notebook }, this.debounceMs())),
      vscode.workspace.onDidCloseNotebookDocument((n) => this.forget(n.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mlNotes.torchVersion')) this.torchVersions.clear();
        if (e.affectsConfiguration('mlNotes.checks') || e.affectsConfiguration('mlNotes.analysis') || e.affectsConfiguration('mlNotes.init') || e.affectsConfiguration('mlNotes.torchVersion')) {
          for (const d of vscode.workspace.textDocuments) this.schedule(d, 0, false);
        }
      }),
    );
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.py');
    this.disposables.push(watcher, watcher.onDidChange((u) => this.importedFileChanged(u)), watcher.onDidCreate((u) => this.importedFileChanged(u)));
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
    for (const n of vscode.workspace.notebookDocuments) this.scheduleTarget({ kind: 'notebook', notebook: n }, 0);
  }

  /** The latest analysis of a document, or of a notebook cell (possibly of an earlier version while a new one runs). */
  get(uri: vscode.Uri): EditorView | undefined {
    const key = uri.toString();
    const state = this.documents.get(key);
    if (state) return state.analysis;
    for (const s of this.documents.values()) {
      const view = s.cellViews?.get(key);
      if (view) return view;
    }
    return undefined;
  }

  /** Resolves when the document's (or its notebook's) analysis is at its current version (for tests and commands). */
  async whenCurrent(document: vscode.TextDocument, timeoutMs = 20_000): Promise<EditorView | undefined> {
    const deadline = Date.now() + timeoutMs;
    this.schedule(document, 0, false);
    while (Date.now() < deadline) {
      const target = this.targetOf(document);
      const key = target && targetUri(target).toString();
      const state = key ? this.documents.get(key) : undefined;
      if (target && state?.analysis && state.version === targetVersion(target) && !state.timer && ![...this.pending.values()].some((p) => p.uri.toString() === key)) {
        return this.get(document.uri);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.get(document.uri);
  }

  /** The user's model settings of a document (for a cell, of its notebook). */
  userSettings(uri: vscode.Uri): Record<string, UserModelSettings> {
    const all = this.context.workspaceState.get<Record<string, Record<string, UserModelSettings>>>(USER_SETTINGS_KEY, {});
    return all[this.settingsKey(uri)] ?? {};
  }

  async setUserSettings(document: vscode.TextDocument, className: string, settings: UserModelSettings): Promise<void> {
    const all = this.context.workspaceState.get<Record<string, Record<string, UserModelSettings>>>(USER_SETTINGS_KEY, {});
    const key = this.settingsKey(document.uri);
    const forDoc = { ...(all[key] ?? {}), [className]: settings };
    await this.context.workspaceState.update(USER_SETTINGS_KEY, { ...all, [key]: forDoc });
    this.schedule(document, 0, false);
  }

  /**
   * The document a related place or a quick-fix edit is in: `uri` itself, or for a place in another cell
   * of `uri`'s notebook (`cell`, its index among all cells), that cell's document.
   */
  locate(uri: vscode.Uri, cell?: number): vscode.Uri | undefined {
    if (cell === undefined) return uri;
    const notebook = vscode.workspace.notebookDocuments.find((n) => n.getCells().some((c) => c.document.uri.toString() === uri.toString()));
    return notebook && cell < notebook.cellCount ? notebook.cellAt(cell).document.uri : undefined;
  }

  /** A 0-based line of the analysed module (the summary's call lines) as a line of a document: for a cell, of the cell it is in. */
  locateLine(uri: vscode.Uri, line: number): { readonly uri: vscode.Uri; readonly line: number } {
    const state = [...this.documents.values()].find((s) => s.cellViews?.has(uri.toString()));
    const at = state?.notebook && toCellPosition(state.notebook, { line, character: 0 });
    const cellUri = at && this.locate(uri, at.cell);
    return at && cellUri ? { uri: cellUri, line: at.line } : { uri, line };
  }

  /** The full summary of one model class of a document (or of its notebook), as the editor analysis built it. */
  summarize(document: vscode.TextDocument, className: string): Promise<SummaryResult> {
    const model = this.get(document.uri)?.models.find((m) => m.className === className);
    const target = this.targetOf(document);
    if (!model?.expression || !target) return Promise.resolve({ summary: { error: model?.error ?? `${className} has not been analysed yet` }, gains: {} });
    const id = this.nextId++;
    const state = this.documents.get(targetUri(target).toString());
    const message: ToWorker = {
      type: 'summarize',
      id,
      path: targetUri(target).fsPath,
      text: targetText(target).text,
      files: state?.files ?? {},
      model: model.expression,
      ...(model.input ? { inputs: model.input.shapes, dtype: model.input.dtype } : model.ranOn ? { inputs: model.ranOn.map((s) => s.join(',')) } : {}),
      budgetMs: 10_000,
      torchVersion: this.torchVersions.forDocument(targetUri(target)),
    };
    return new Promise((resolve) => {
      this.summaries.set(id, resolve);
      this.ensureWorker().postMessage(message);
    });
  }

  private debounceMs(): number {
    return vscode.workspace.getConfiguration('mlNotes').get<number>('analysis.debounceMs', 150);
  }

  /** What analyses a document: the file itself, or the notebook a cell belongs to. */
  private targetOf(document: vscode.TextDocument): Target | undefined {
    if (isNotebookCell(document)) {
      const notebook = notebookOfCell(document);
      return notebook && hasPythonCells(notebook) ? { kind: 'notebook', notebook } : undefined;
    }
    return document.languageId === 'python' && document.uri.scheme !== 'output' ? { kind: 'file', document } : undefined;
  }

  /** The open file or notebook whose URI is `key`. */
  private targetFor(key: string): Target | undefined {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    if (document) return this.targetOf(document);
    const notebook = vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === key);
    return notebook && hasPythonCells(notebook) ? { kind: 'notebook', notebook } : undefined;
  }

  private settingsKey(uri: vscode.Uri): string {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const target = document && this.targetOf(document);
    return (target ? targetUri(target) : uri).toString();
  }

  private schedule(document: vscode.TextDocument, delayMs: number, skipIfCurrent = true): void {
    const target = this.targetOf(document);
    if (target) this.scheduleTarget(target, delayMs, skipIfCurrent);
  }

  private scheduleTarget(target: Target, delayMs: number, skipIfCurrent = true): void {
    if (target.kind === 'notebook' && !hasPythonCells(target.notebook)) return;
    const key = targetUri(target).toString();
    const state = this.documents.get(key) ?? { version: '', requestId: 0, files: {} };
    this.documents.set(key, state);
    if (skipIfCurrent && state.version === targetVersion(target) && state.analysis) return;
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      this.send(target, false);
    }, delayMs);
  }

  private send(target: Target, retried: boolean): void {
    const uri = targetUri(target);
    const state = this.documents.get(uri.toString());
    if (!state || targetClosed(target)) return;
    const id = this.nextId++;
    state.requestId = id;
    const { text, notebook } = targetText(target);
    this.pending.set(id, { uri, version: targetVersion(target), retried, ...(notebook ? { notebook } : {}) });
    const message: ToWorker = {
      type: 'analyze',
      id,
      path: uri.fsPath,
      text,
      files: state.files,
      user: this.userSettings(uri),
      budgetMs: vscode.workspace.getConfiguration('mlNotes').get<number>('analysis.timeBudgetMs', 500),
      disabledChecks: vscode.workspace.getConfiguration('mlNotes').get<string[]>('checks.disabled', []),
      varianceGainRange: gainRange(vscode.workspace.getConfiguration('mlNotes').get<number[]>('init.varianceGainRange', [0.1, 10])),
      torchVersion: this.torchVersions.forDocument(uri),
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
        const target = this.targetFor(request.uri.toString());
        if (target) {
          this.send(target, true);
          return;
        }
      }
    }
    state.version = request.version;
    state.analysis = message.analysis;
    this.log.info(`analysed ${vscode.workspace.asRelativePath(request.uri)} in ${message.analysis.elapsedMs} ms`);
    if (!request.notebook) {
      this.changed.fire(request.uri);
      return;
    }
    // A notebook: each code cell gets its part; cells that had one before and lost it are told too.
    const { module, cellUris } = request.notebook;
    const previous = [...(state.cellViews?.keys() ?? [])];
    state.notebook = module;
    state.cellViews = new Map(module.cells.map((span) => [cellUris[span.cell]!, cellView(message.analysis, module, span.cell)]));
    for (const uri of new Set([...previous, ...state.cellViews.keys()])) this.changed.fire(vscode.Uri.parse(uri));
  }

  private async readFiles(paths: readonly string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    await Promise.all(
      paths.map(async (path) => {
        const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === path && !isNotebookCell(d));
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
      const target = this.targetFor(key);
      if (target) this.scheduleTarget(target, 0, false);
    }
  }

  private forget(uri: vscode.Uri): void {
    const state = this.documents.get(uri.toString());
    if (state?.timer) clearTimeout(state.timer);
    this.documents.delete(uri.toString());
    // A closed notebook's cells lose their part of its analysis.
    for (const cell of state?.cellViews?.keys() ?? []) this.changed.fire(vscode.Uri.parse(cell));
    this.worker?.postMessage({ type: 'close', path: uri.fsPath } satisfies ToWorker);
  }

  dispose(): void {
    for (const state of this.documents.values()) if (state.timer) clearTimeout(state.timer);
    this.disposables.forEach((d) => d.dispose());
    void this.worker?.terminate();
  }
}
