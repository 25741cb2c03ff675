// One analysis per open Python document, and one per open notebook (its Python cells as one module),
// computed in the analysis worker process (so typing never waits for it and no file can take the extension
// host down), re-run after edits (debounced) and when an imported workspace file changes, and cached by
// version. Hovers, hints, lenses and diagnostics only read this cache; a notebook cell reads its part of the
// notebook's analysis, in its own positions. A document whose analysis outlives the watchdog is marked "too
// complex to analyse in time" and analysed in the reduced mode (module scope only) until a full one fits.
import * as vscode from 'vscode';
import { dirname, isAbsolute } from 'node:path';
import type { EditorView } from '../core/editor/view';
import { editorView, withVisibleModels } from '../core/editor/view';
import { cellView, hoverInCell } from '../core/editor/notebookView';
import { notebookModule, toCellPosition, toModulePosition, type NotebookModule } from '../core/notebook/cells';
import { variableHover, type HoverContent } from '../core/editor/hover';
import type { AnalysisMode } from '../core/editor/documentAnalysis';
import type { LineRange } from '../core/editor/visibleModels';
import type { UserModelSettings } from '../core/editor/modelInputs';
import { RESTRICTED_SETTINGS, clampGainRange, clampSetting, type NumberSettingKey } from '../core/editor/settings';
import { BYTES_PER_GPU_GB } from '../core/formulas/costs';
import { AnalysisWorkerClient, analyzeWithImports, watchdogMs, type AnalyzeOutcome, type ImportedText, type ImportLimits, type SummarizeOutcome } from '../worker/client';
import type { PartialScope } from '../worker/protocol';
import { fileStamp, readFileSafely, realRoots, type ReadPolicy } from '../node/files';
import type { Log } from './log';
import { hasPythonCells, isNotebookCell, notebookCells, notebookOfCell, notebookVersion } from './notebooks';
import { TorchVersionSource } from './torchVersion';

/** What one analysis covers: a Python file, or a notebook's Python cells as one module. */
type Target = { readonly kind: 'file'; readonly document: vscode.TextDocument } | { readonly kind: 'notebook'; readonly notebook: vscode.NotebookDocument };

const targetUri = (target: Target): vscode.Uri => (target.kind === 'file' ? target.document.uri : target.notebook.uri);
const targetVersion = (target: Target): string => (target.kind === 'file' ? String(target.document.version) : notebookVersion(target.notebook));
const targetClosed = (target: Target): boolean => (target.kind === 'file' ? target.document.isClosed : target.notebook.isClosed);

/** The text the worker analyses: the file's, or the notebook's module with its map. */
function targetText(target: Target): { text: string; notebook?: SentNotebook } {
  if (target.kind === 'file') return { text: target.document.getText() };
  const module = notebookModule(notebookCells(target.notebook));
  return { text: module.text, notebook: { module, cellUris: target.notebook.getCells().map((c) => c.document.uri.toString()) } };
}

/** The lines the editors showing a document show (its models are analysed first). */
function visibleLinesOf(document: vscode.TextDocument): LineRange[] {
  return vscode.window.visibleTextEditors.filter((e) => e.document === document).flatMap((e) => e.visibleRanges.map((r) => ({ start: r.start.line, end: r.end.line })));
}

/** What a request sent, for its answer. */
interface SentRequest {
  readonly version: string;
  readonly mode: AnalysisMode;
  readonly budgetMs: number;
  readonly notebook?: SentNotebook;
}

/** For a notebook: the module sent and the URI of every cell at that moment, by index. */
interface SentNotebook {
  readonly module: NotebookModule;
  readonly cellUris: readonly string[];
}

/** Where a document's analysis stands, for the status item. */
export type AnalysisStatus = 'analysing' | 'ready' | 'reduced' | 'tooComplex';

export interface DocumentAnalysisState {
  readonly status: AnalysisStatus;
  /** A sentence for a tooltip when the status is not 'ready'. */
  readonly detail?: string;
}

interface DocumentState {
  version: string;
  analysis?: EditorView;
  /** For a notebook: each code cell's part of the analysis, by the cell document's URI. */
  cellViews?: Map<string, EditorView>;
  /** For a notebook: each code cell's index among all cells, by the cell document's URI (as `notebook` numbers them). */
  cellIndexes?: Map<string, number>;
  /** For a notebook: the module the analysis read. */
  notebook?: NotebookModule;
  timer?: ReturnType<typeof setTimeout>;
  /** Requests sent and not answered yet. */
  inFlight: number;
  /** Imported files this document's analysis asked for and the host could read. */
  imports: Set<string>;
  /** `analysis` is a partial view (models without the checks), shown with the last final view's diagnostics. */
  partial?: boolean;
  status: AnalysisStatus;
  detail?: string;
  /** Watchdog stops in a row; the reduced mode lasts while it is above zero and the retry time has not come. */
  timeouts: number;
  fullRetryAt: number;
  /** The full analysis tried again at `fullRetryAt` without waiting for an edit (a file opened and only read). */
  retryTimer?: ReturnType<typeof setTimeout>;
}

const USER_SETTINGS_KEY = 'mlNotes.modelSettings';
/** After a watchdog stop, a full analysis is tried again after this long, doubling on each stop in a row. */
const FULL_RETRY_MS = 10_000;
const FULL_RETRY_MAX_MS = 300_000;
/**
 * Imports are read in rounds: an answer that names files the worker did not have is asked again at once with
 * those the host could read, so a chain of imports (a -> b -> c) resolves in one analysis.
 */
const IMPORT_LIMITS: ImportLimits = { rounds: 8, files: 200 };
/** A summary may take longer than an analysis (one model, opened on request). */
const SUMMARY_BUDGET_MS = 10_000;

/** A model's full summary and each dense layer's forward variance gain, by module path. */
export type SummaryResult = SummarizeOutcome;

/** Reads a setting; in an untrusted workspace, a costly one ignores the workspace's value. */
function setting(key: string): unknown {
  const config = vscode.workspace.getConfiguration('mlNotes');
  if (vscode.workspace.isTrusted || !RESTRICTED_SETTINGS.includes(key)) return config.get(key);
  const inspected = config.inspect(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

const numberSetting = (key: NumberSettingKey): number => clampSetting(key, setting(key));
/** mlNotes.costs.gpuMemoryGB in bytes (GPU sizes are binary: 24 GB = 24·2³⁰ bytes); 0 when off. */
const gpuBytesSetting = (): number => Math.round(numberSetting('costs.gpuMemoryGB') * BYTES_PER_GPU_GB);

/** The view shown when even the reduced analysis did not fit: nothing but the reason, at the top of the file. */
function tooComplexView(path: string, message: string): EditorView {
  return editorView({
    path,
    models: [],
    calls: [],
    containerCalls: [],
    ops: [],
    statements: [],
    loops: [],
    modules: [],
    layerWeights: {},
    hints: [],
    variables: [],
    diagnostics: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'info', message, code: 'too-complex' }],
    findings: [],
    optimizers: [],
    requestedFiles: [],
    elapsedMs: 0,
  });
}

/** A reduced analysis keeps what it found and says why the models are missing, once. */
function withTooComplexNote(view: EditorView, message: string): EditorView {
  if (view.diagnostics.some((d) => d.code === 'too-complex')) return view;
  const note = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'info' as const, message, code: 'too-complex' };
  return { ...view, diagnostics: [note, ...view.diagnostics] };
}

export class AnalysisService implements vscode.Disposable {
  private readonly client: AnalysisWorkerClient;
  private readonly documents = new Map<string, DocumentState>();
  /** Imported files' texts by path, with the stamp (real path, size, mtime) they were read at. */
  private readonly importCache = new Map<string, ImportedText>();
  private readonly skippedImports = new Set<string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly stateChanged = new vscode.EventEmitter<vscode.Uri>();
  private readonly torchVersions = new TorchVersionSource();
  private readonly disposables: vscode.Disposable[] = [];
  /** Fires with a document's URI when its analysis has been replaced. */
  readonly onDidChangeAnalysis = this.changed.event;
  /** Fires with a document's URI when its analysis state (analysing, ready, reduced, too complex) changes. */
  readonly onDidChangeState = this.stateChanged.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {
    this.client = new AnalysisWorkerClient({
      workerPath: vscode.Uri.joinPath(context.extensionUri, 'dist', 'analysisWorker.js').fsPath,
      log: (level, message) => (level === 'error' ? log.error(message) : log.info(message)),
    });
    this.disposables.push(
      this.changed,
      this.stateChanged,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, numberSetting('analysis.debounceMs'))),
      vscode.workspace.onDidCloseTextDocument((d) => isNotebookCell(d) || this.forget(d.uri)),
      vscode.workspace.onDidSaveTextDocument((d) => this.importedFileChanged(d.uri)),
      vscode.workspace.onDidOpenNotebookDocument((n) => this.scheduleTarget({ kind: 'notebook', notebook: n }, 0)),
      vscode.workspace.onDidChangeNotebookDocument((e) => this.scheduleTarget({ kind: 'notebook', notebook: e.notebook }, numberSetting('analysis.debounceMs'))),
      vscode.workspace.onDidCloseNotebookDocument((n) => this.forget(n.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mlNotes.torchVersion')) this.torchVersions.clear();
        if (
          e.affectsConfiguration('mlNotes.checks') ||
          e.affectsConfiguration('mlNotes.analysis') ||
          e.affectsConfiguration('mlNotes.init') ||
          e.affectsConfiguration('mlNotes.imports') ||
          e.affectsConfiguration('mlNotes.costs') ||
          e.affectsConfiguration('mlNotes.torchVersion')
        ) {
          for (const d of vscode.workspace.textDocuments) this.schedule(d, 0, false);
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        for (const d of vscode.workspace.textDocuments) this.schedule(d, 0, false);
      }),
    );
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.py');
    this.disposables.push(watcher, watcher.onDidChange((u) => this.importedFileChanged(u)), watcher.onDidCreate((u) => this.importedFileChanged(u)));
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
    for (const n of vscode.workspace.notebookDocuments) this.scheduleTarget({ kind: 'notebook', notebook: n }, 0);
  }

  /** The latest analysis of a document, or of a notebook cell (possibly of an earlier version while a new one runs). */
  get(uri: vscode.Uri): EditorView | undefined {
    return this.stateOf(uri)?.view;
  }

  /** Whether the view of `uri` is partial (its diagnostics are the last final view's; the checks still run). */
  isPartial(uri: vscode.Uri): boolean {
    return this.stateOf(uri)?.state.partial === true;
  }

  /**
   * The hover at a position of a document (or cell) as its view shows it: a tensor variable's shape from the view,
   * else the layer, op or construction there, rendered by the worker from the analysis that made the view.
   */
  async hover(document: vscode.TextDocument, position: { line: number; character: number }): Promise<HoverContent | undefined> {
    const found = this.stateOf(document.uri);
    if (!found?.view) return undefined;
    const variable = variableHover(found.view.variables, position, document.lineAt(position.line).text);
    if (variable) return variable;
    const { state, key, view } = found;
    const cell = state.cellIndexes?.get(document.uri.toString());
    const notebook = state.notebook;
    // Plain data crosses to the worker: a vscode.Position keeps its numbers in private fields behind getters.
    const at = cell === undefined ? { line: position.line, character: position.character } : notebook && toModulePosition(notebook, cell, position);
    if (!at) return undefined;
    const outcome = await this.client.hover({ path: vscode.Uri.parse(key).fsPath, source: view.hovers, position: at });
    if (outcome.kind === 'failed') this.log.error(`hover in ${document.uri.fsPath} failed: ${outcome.message}`);
    if (outcome.kind !== 'hover') return undefined;
    // A cell's hover is found in the notebook's module and shown in the cell's own positions.
    return cell === undefined ? outcome.hover : notebook && hoverInCell(notebook, cell, outcome.hover);
  }

  /** The state of a document, or of the notebook a cell belongs to (`key`: the document's or notebook's URI), with the view for that URI. */
  private stateOf(uri: vscode.Uri): { state: DocumentState; key: string; view: EditorView | undefined } | undefined {
    const key = uri.toString();
    const state = this.documents.get(key);
    if (state) return { state, key, view: state.analysis };
    for (const [notebookKey, s] of this.documents) {
      const view = s.cellViews?.get(key);
      if (view) return { state: s, key: notebookKey, view };
    }
    return undefined;
  }

  /** Where the analysis of a document (or of a cell's notebook) stands; undefined for documents it does not analyse. */
  state(uri: vscode.Uri): DocumentAnalysisState | undefined {
    const state = this.stateOf(uri)?.state;
    return state ? { status: state.status, ...(state.detail ? { detail: state.detail } : {}) } : undefined;
  }

  /** Resolves when the document's (or its notebook's) analysis is at its current version (for tests and commands). */
  async whenCurrent(document: vscode.TextDocument, timeoutMs = 20_000): Promise<EditorView | undefined> {
    const deadline = Date.now() + timeoutMs;
    this.schedule(document, 0, false);
    while (Date.now() < deadline) {
      const target = this.targetOf(document);
      const state = target ? this.documents.get(targetUri(target).toString()) : undefined;
      if (target && state?.analysis && state.version === targetVersion(target) && !state.timer && state.inFlight === 0) return this.get(document.uri);
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
  async summarize(document: vscode.TextDocument, className: string): Promise<SummaryResult> {
    const model = this.get(document.uri)?.models.find((m) => m.className === className);
    const target = this.targetOf(document);
    if (!model?.expression || !target) return { summary: { error: model?.error ?? `${className} has not been analysed yet` }, gains: {} };
    const uri = targetUri(target);
    const state = this.documents.get(uri.toString());
    return this.client.summarize({
      type: 'summarize',
      path: uri.fsPath,
      text: targetText(target).text,
      files: await this.importTexts(uri, state?.imports ?? new Set()),
      model: model.expression,
      ...(model.input ? { inputs: model.input.shapes, dtype: model.input.dtype } : model.ranOn ? { inputs: model.ranOn.map((s) => s.join(',')) } : {}),
      budgetMs: SUMMARY_BUDGET_MS,
      torchVersion: this.torchVersions.forDocument(uri),
      gpuBytes: gpuBytesSetting(),
    });
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
    const state = this.documents.get(key) ?? { version: '', inFlight: 0, imports: new Set<string>(), status: 'analysing' as AnalysisStatus, timeouts: 0, fullRetryAt: 0 };
    this.documents.set(key, state);
    if (skipIfCurrent && state.version === targetVersion(target) && state.analysis) return;
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void this.send(target);
    }, delayMs);
  }

  /**
   * Sends the document again when its full analysis may be tried again: a first analysis a cold or busy worker
   * stopped would otherwise leave a file that is only read without hints and hovers until its next edit.
   */
  private retryFullLater(key: string, state: DocumentState): void {
    if (state.retryTimer) clearTimeout(state.retryTimer);
    state.retryTimer = setTimeout(() => {
      state.retryTimer = undefined;
      const target = this.targetFor(key);
      if (this.documents.get(key) === state && state.timeouts > 0 && target) void this.send(target);
    }, Math.max(0, state.fullRetryAt - Date.now()));
  }

  private setStatus(uri: vscode.Uri, state: DocumentState, status: AnalysisStatus, detail?: string): void {
    if (state.status === status && state.detail === detail) return;
    state.status = status;
    state.detail = detail;
    this.stateChanged.fire(uri);
  }

  /** Asks the worker for an analysis, reading the imports its answers name (analyzeWithImports). */
  private async send(target: Target): Promise<void> {
    const uri = targetUri(target);
    const key = uri.toString();
    const state = this.documents.get(key);
    if (!state || targetClosed(target)) return;
    const budgetMs = numberSetting('analysis.timeBudgetMs');
    const mode: AnalysisMode = state.timeouts > 0 && Date.now() < state.fullRetryAt ? 'moduleScope' : 'full';
    let sent: SentRequest = { version: targetVersion(target), mode, budgetMs };
    state.inFlight++;
    if (state.status === 'ready' || state.status === 'analysing') this.setStatus(uri, state, 'analysing');
    let outcome: AnalyzeOutcome;
    try {
      outcome = await analyzeWithImports(
        async (imports) => {
          // After reading imports, the document's text as it is now.
          const current = this.targetFor(key) ?? target;
          if (targetClosed(current)) return { kind: 'superseded' };
          const { text, notebook } = targetText(current);
          const visibleLines = current.kind === 'file' ? visibleLinesOf(current.document) : [];
          sent = { version: targetVersion(current), mode, budgetMs, ...(notebook ? { notebook } : {}) };
          return this.client.analyze(
            key,
            {
              type: 'analyze',
              path: uri.fsPath,
              text,
              files: await this.importTexts(uri, imports),
              user: this.userSettings(uri),
              budgetMs,
              mode,
              disabledChecks: (setting('checks.disabled') as string[] | undefined) ?? [],
              varianceGainRange: clampGainRange(setting('init.varianceGainRange')) as [number, number],
              torchVersion: this.torchVersions.forDocument(uri),
              gpuBytes: gpuBytesSetting(),
              partialView: true,
              ...(visibleLines.length > 0 ? { visibleLines } : {}),
            },
            (partial, scope) => this.receivedPartial(uri, state, partial, scope, notebook),
          );
        },
        state.imports,
        (paths) => this.readImports(uri, paths),
        IMPORT_LIMITS,
      );
    } finally {
      state.inFlight--;
    }
    if (this.documents.get(key) !== state) return;
    this.received(target, state, outcome, sent);
  }

  /**
   * A partial view while the analysis goes on: hints, hovers and lenses show it at once (the visible models'
   * part over the last view, or every model's part); the diagnostics and findings stay the last final view's
   * until the final view arrives.
   */
  private receivedPartial(uri: vscode.Uri, state: DocumentState, partial: EditorView, scope: PartialScope, notebook: SentNotebook | undefined): void {
    if (this.documents.get(uri.toString()) !== state) return;
    const previous = state.analysis;
    const models = scope === 'visible' ? withVisibleModels(previous, partial) : partial;
    const view: EditorView = { ...models, diagnostics: previous?.diagnostics ?? [], findings: previous?.findings ?? [] };
    this.publish(uri, state, { version: state.version, ...(notebook ? { notebook } : {}) }, view, true);
  }

  private received(target: Target, state: DocumentState, outcome: AnalyzeOutcome, sent: SentRequest): void {
    const uri = targetUri(target);
    const relative = vscode.workspace.asRelativePath(uri);
    switch (outcome.kind) {
      case 'superseded':
        return;
      case 'failed':
        this.log.error(`analysis of ${uri.fsPath} failed: ${outcome.message}`);
        if (state.status === 'analysing') this.setStatus(uri, state, 'ready');
        return;
      case 'timeout':
      case 'crashed': {
        state.timeouts++;
        state.fullRetryAt = Date.now() + Math.min(FULL_RETRY_MAX_MS, FULL_RETRY_MS * 2 ** (state.timeouts - 1));
        const why = outcome.kind === 'timeout' ? `took longer than ${watchdogMs(sent.budgetMs)} ms` : `stopped the analysis worker (${outcome.message})`;
        this.log.info(`${relative} ${why}: ${sent.mode === 'full' ? 'analysing its module scope only' : 'not analysed'}`);
        if (sent.mode === 'full') {
          // The next analysis runs reduced straight away; a full one is tried again after the retry time.
          this.setStatus(uri, state, 'reduced', `Too complex to analyse in time: the analysis ${why}; ML Notes analyses the module scope only.`);
          if (!targetClosed(target)) void this.send(target);
          this.retryFullLater(uri.toString(), state);
          return;
        }
        this.publish(uri, state, sent, tooComplexView(uri.fsPath, `Too complex to analyse in time: even the module scope ${why}. ML Notes will try again after the next edit (mlNotes.analysis.timeBudgetMs).`));
        this.setStatus(uri, state, 'tooComplex', `Too complex to analyse in time: even the module scope ${why}.`);
        return;
      }
      case 'result':
        break;
    }
    if (sent.mode === 'full') {
      state.timeouts = 0;
      this.publish(uri, state, sent, outcome.analysis);
      this.setStatus(uri, state, 'ready');
    } else {
      const note = `Too complex to analyse in time: a full analysis took longer than ${watchdogMs(sent.budgetMs)} ms, so ML Notes shows the module scope only (raise mlNotes.analysis.timeBudgetMs, or split the file).`;
      this.publish(uri, state, sent, withTooComplexNote(outcome.analysis, note));
      this.setStatus(uri, state, 'reduced', note);
    }
    this.log.info(`analysed ${relative}${sent.mode === 'full' ? '' : ' (module scope only)'} in ${outcome.analysis.elapsedMs} ms`);
  }

  /**
   * Stores a view and tells the features; for a notebook each code cell gets its part (cells that lost theirs are
   * told too). A partial view leaves the version (the last final view's) as it is.
   */
  private publish(uri: vscode.Uri, state: DocumentState, sent: { version: string; notebook?: SentNotebook }, view: EditorView, partial = false): void {
    if (!partial) state.version = sent.version;
    state.partial = partial;
    state.analysis = view;
    if (!sent.notebook) {
      this.changed.fire(uri);
      return;
    }
    const { module, cellUris } = sent.notebook;
    const previous = [...(state.cellViews?.keys() ?? [])];
    state.notebook = module;
    state.cellViews = new Map(module.cells.map((span) => [cellUris[span.cell]!, cellView(view, module, span.cell)]));
    state.cellIndexes = new Map(module.cells.map((span) => [cellUris[span.cell]!, span.cell]));
    for (const cell of new Set([...previous, ...state.cellViews.keys()])) this.changed.fire(vscode.Uri.parse(cell));
  }

  /** Where imports may be read from: the workspace folders, or the document's own folder outside them. */
  private readPolicy(uri: vscode.Uri): ReadPolicy {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    const inWorkspace = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
    return { roots: inWorkspace || uri.scheme !== 'file' ? folders : [...folders, dirname(uri.fsPath)], maxBytes: numberSetting('imports.maxFileKb') * 1024 };
  }

  /** An open editor's text for an imported path (a notebook's cells are not files). */
  private openDocument(path: string): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === path && !isNotebookCell(d));
  }

  /** Reads imported files under the rules (regular files, size limit, inside the roots); the paths read. */
  private async readImports(importer: vscode.Uri, paths: readonly string[]): Promise<string[]> {
    const policy = this.readPolicy(importer);
    const roots = await realRoots(policy.roots);
    const read = await Promise.all(
      paths.filter((path) => isAbsolute(path)).map(async (path) => {
        if (this.openDocument(path)) return path;
        const stamp = await fileStamp(path, policy, roots);
        if ('reason' in stamp) {
          // A candidate path that does not exist is the normal case (the interpreter tries several); others are worth a line.
          if (stamp.reason !== 'ENOENT' && !this.skippedImports.has(path)) {
            this.skippedImports.add(path);
            this.log.info(`skipped import ${path}: ${stamp.reason}`);
          }
          return undefined;
        }
        if (this.importCache.get(path)?.token === stamp.stamp) return path;
        const outcome = await readFileSafely(path, policy, roots);
        if (!outcome.ok) {
          this.log.info(`skipped import ${path}: ${outcome.reason}`);
          return undefined;
        }
        this.importCache.set(path, { text: outcome.text, token: stamp.stamp });
        return path;
      }),
    );
    return read.filter((p): p is string => p !== undefined);
  }

  /** The current texts of a document's imports: open editors' text, else the cache, re-read when the file's stamp changed. */
  private async importTexts(importer: vscode.Uri, paths: ReadonlySet<string>): Promise<Map<string, ImportedText>> {
    const stale = [...paths].filter((p) => !this.openDocument(p));
    if (stale.length > 0) await this.readImports(importer, stale);
    const out = new Map<string, ImportedText>();
    for (const path of paths) {
      const open = this.openDocument(path);
      if (open) out.set(path, { text: open.getText(), token: `open:${open.uri.toString()}:${open.version}` });
      else {
        const cached = this.importCache.get(path);
        if (cached) out.set(path, cached);
      }
    }
    return out;
  }

  private importedFileChanged(uri: vscode.Uri): void {
    for (const [key, state] of this.documents) {
      if (!state.imports.has(uri.fsPath) || key === uri.toString()) continue;
      const target = this.targetFor(key);
      if (target) this.scheduleTarget(target, 0, false);
    }
  }

  private forget(uri: vscode.Uri): void {
    const state = this.documents.get(uri.toString());
    if (state?.timer) clearTimeout(state.timer);
    if (state?.retryTimer) clearTimeout(state.retryTimer);
    this.documents.delete(uri.toString());
    // A closed notebook's cells lose their part of its analysis.
    for (const cell of state?.cellViews?.keys() ?? []) this.changed.fire(vscode.Uri.parse(cell));
    this.client.close(uri.fsPath);
  }

  dispose(): void {
    for (const state of this.documents.values()) {
      if (state.timer) clearTimeout(state.timer);
      if (state.retryTimer) clearTimeout(state.retryTimer);
    }
    this.disposables.forEach((d) => d.dispose());
    this.client.dispose();
  }
}

