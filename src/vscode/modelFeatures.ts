// Hovers, inlay hints, CodeLens and shape diagnostics on Python model code: thin adapters that look
// up the analysis service's cached results and convert core ranges to editor ranges.
import * as vscode from 'vscode';
import type { ModelFit, ModelView, QuickFixData } from '../core/editor/documentAnalysis';
import { BYTES_PER_GPU_GB } from '../core/formulas/costs';
import type { EditorView } from '../core/editor/view';
import { formatShape } from '../core/editor/format';
import { HOVER_COMMANDS, formatCompact } from '../core/editor/hover';
import { parseInputDirective } from '../core/editor/modelInputs';
import { ignoreCommentEdit } from '../core/checks';
import type { Range } from '../core/values';
import type { AnalysisService } from './analysisService';
import { SHAPE_FIX_APPLIED } from './walkthrough';

const PYTHON: vscode.DocumentSelector = [{ language: 'python' }];

export const toRange = (r: Range): vscode.Range => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

class ModelHoverProvider implements vscode.HoverProvider {
  constructor(private readonly service: AnalysisService) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const content = await this.service.hover(document, position);
    if (!content) return undefined;
    const markdown = new vscode.MarkdownString(content.markdown);
    // Only our own commands may run from a hover link; everything else in it is escaped text.
    markdown.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
    return new vscode.Hover(markdown, toRange(content.range));
  }
}

class ShapeInlayHintsProvider implements vscode.InlayHintsProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;

  constructor(private readonly service: AnalysisService) {
    service.onDidChangeAnalysis(() => this.changed.fire());
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('mlNotes.inlayHints') && this.changed.fire());
  }

  provideInlayHints(document: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    const settings = vscode.workspace.getConfiguration('mlNotes', document);
    if (!settings.get<boolean>('inlayHints.enabled', true)) return [];
    const entries = settings.get<boolean>('inlayHints.sequentialEntries', true);
    const analysis = this.service.get(document.uri);
    if (!analysis) return [];
    return analysis.hints
      .filter((h) => h.position.line >= range.start.line && h.position.line <= range.end.line && (entries || h.kind !== 'entry'))
      .map((h) => {
        const hint = new vscode.InlayHint(new vscode.Position(h.position.line, h.position.character), h.label, vscode.InlayHintKind.Type);
        hint.paddingLeft = true;
        hint.tooltip = h.tooltip;
        return hint;
      });
  }
}

function lensTitle(model: ModelView): string {
  if (model.partOf) return vscode.l10n.t('runs inside {0}', model.partOf);
  if (model.error) return vscode.l10n.t('ML Notes: {0}', model.error);
  const macs = typeof model.macs === 'number' ? formatCompact(model.macs) : model.macs ? vscode.l10n.t('symbolic') : '—';
  const output = model.output !== undefined ? formatShape(model.output) : '?';
  const totals = model.input
    ? vscode.l10n.t('params {0} · MACs {1} · out {2}', formatCompact(model.params ?? 0), macs, output)
    : vscode.l10n.t('params {0} · MACs {1} · out {2} (symbolic input)', formatCompact(model.params ?? 0), macs, output);
  return model.fit ? `${totals} · ${fitText(model.fit)}` : totals;
}

/** "Does it fit?" in a few words: the largest training batch in the GPU memory setting. */
function fitText(fit: ModelFit): string {
  const gb = formatCompact(fit.gpuBytes / BYTES_PER_GPU_GB);
  if ('error' in fit || fit.largestBatch === null) return vscode.l10n.t('fits: ? in {0} GB', gb);
  return fit.largestBatch === 0 ? vscode.l10n.t('batch 1 does not fit {0} GB', gb) : vscode.l10n.t('fits batch {0} in {1} GB', fit.largestBatch, gb);
}

class ModelCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly service: AnalysisService) {
    service.onDidChangeAnalysis(() => this.changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration('mlNotes', document).get<boolean>('codeLens.enabled', true)) return [];
    const analysis = this.service.get(document.uri);
    if (!analysis) return [];
    const optimizerLenses = analysis.optimizers.map(
      (o) =>
        new vscode.CodeLens(toRange(o.range), {
          title: o.kind === 'sgd' ? vscode.l10n.t('$(graph-line) Simulate GD / momentum with these settings') : vscode.l10n.t('$(graph-line) Simulate Adam with these settings'),
          command: 'mlNotes.openSimulation',
          arguments: [{ simulation: 'gd-momentum-adam', uri: document.uri.toString(), line: o.range.start.line }],
        }),
    );
    return [...optimizerLenses, ...analysis.models.flatMap((model) => {
      const range = toRange(model.nameRange);
      const args = [document.uri, model.className];
      const lenses = [
        new vscode.CodeLens(range, { title: lensTitle(model), command: model.partOf || model.error ? '' : 'mlNotes.showSummary', arguments: args }),
        new vscode.CodeLens(range, { title: vscode.l10n.t('Set input shape…'), command: 'mlNotes.setInputShape', arguments: args }),
      ];
      if (!model.partOf && !model.error) {
        lenses.push(
          new vscode.CodeLens(range, { title: vscode.l10n.t('Show summary'), command: 'mlNotes.showSummary', arguments: args }),
          new vscode.CodeLens(range, {
            title: vscode.l10n.t('Simulate init variance'),
            command: 'mlNotes.openSimulation',
            arguments: [{ simulation: 'activation-variance', uri: document.uri.toString() }],
          }),
        );
      }
      return lenses;
    })];
  }
}

const SEVERITY: Readonly<Record<string, vscode.DiagnosticSeverity>> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** The diagnostic's code links to the rule's notes topic (the derivation panel). */
function topicLink(rule: string, topic: string): { value: string; target: vscode.Uri } {
  return { value: rule, target: vscode.Uri.parse(`command:mlNotes.openDerivation?${encodeURIComponent(JSON.stringify([topic]))}`) };
}

function updateDiagnostics(collection: vscode.DiagnosticCollection, service: AnalysisService, uri: vscode.Uri, analysis: EditorView | undefined): void {
  // A partial view (the checks still run) keeps the diagnostics shown, which VS Code moves with the edits.
  if (!analysis || service.isPartial(uri)) return;
  const findings = analysis.findings.map((f) => {
    const diagnostic = new vscode.Diagnostic(toRange(f.range), f.message, SEVERITY[f.severity] ?? vscode.DiagnosticSeverity.Warning);
    diagnostic.source = 'ML Notes';
    diagnostic.code = topicLink(f.rule, f.topic);
    return diagnostic;
  });
  collection.set(
    uri,
    [...findings, ...analysis.diagnostics.map((d) => {
      const diagnostic = new vscode.Diagnostic(toRange(d.range), d.message, SEVERITY[d.severity] ?? vscode.DiagnosticSeverity.Warning);
      diagnostic.source = 'ML Notes';
      diagnostic.code = d.code;
      // In a notebook a related place may be in another cell.
      diagnostic.relatedInformation = d.related?.flatMap((r) => {
        const where = service.locate(uri, r.cell);
        return where ? [new vscode.DiagnosticRelatedInformation(new vscode.Location(where, toRange(r.range)), r.message)] : [];
      });
      return diagnostic;
    })],
  );
}

/** Quick fixes the core computed for the shape diagnostics under the cursor. */
/** Appends `# ml-notes: ignore[CC-xx]` to a line (or adds the id to an ignore list already there). */
const ignoreEdit = (document: vscode.TextDocument, line: number, rule: string): { range: Range; newText: string } => ignoreCommentEdit(document.lineAt(line).text, line, rule);

class ShapeFixProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly service: AnalysisService) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range): vscode.CodeAction[] {
    const analysis = this.service.get(document.uri);
    if (!analysis) return [];
    const toAction = (title: string, edits: readonly { range: Range; newText: string; cell?: number }[], preferred: boolean, afterwards?: vscode.Command): vscode.CodeAction => {
      const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      const edit = new vscode.WorkspaceEdit();
      // In a notebook an edit may be in another cell (a layer built in an earlier cell).
      for (const e of edits) edit.replace(this.service.locate(document.uri, e.cell) ?? document.uri, toRange(e.range), e.newText);
      action.edit = edit;
      action.isPreferred = preferred;
      if (afterwards) action.command = afterwards;
      return action;
    };
    const checkActions = analysis.findings
      .filter((f) => toRange(f.range).intersection(range))
      .flatMap((f) => {
        const learn = new vscode.CodeAction(vscode.l10n.t('Learn why ({0}): open the notes', f.rule), vscode.CodeActionKind.QuickFix);
        learn.command = { command: 'mlNotes.openDerivation', title: vscode.l10n.t('Open derivation'), arguments: [f.topic] };
        const ignore = toAction(vscode.l10n.t('Ignore {0} on this line', f.rule), [ignoreEdit(document, f.range.start.line, f.rule)], false);
        return [...(f.fixes ?? []).map((fix, i) => toAction(fix.title, fix.edits, i === 0)), ignore, learn];
      });
    // The walkthrough's "fix a shape error" step completes when one of these is applied.
    const applied: vscode.Command = { command: SHAPE_FIX_APPLIED, title: '' };
    // A call and its constructor's note offer the same fix: once is enough.
    const fixes = new Map<string, QuickFixData>();
    for (const d of analysis.diagnostics) {
      if (!d.fixes?.length || !toRange(d.range).intersection(range)) continue;
      for (const fix of d.fixes) if (!fixes.has(fix.title)) fixes.set(fix.title, fix);
    }
    const shapeActions = [...fixes.values()].map((fix) => toAction(fix.title, fix.edits, true, applied));
    return [...checkActions, ...shapeActions];
  }
}

async function setInputShape(service: AnalysisService, uri: vscode.Uri, className: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  const current = service.userSettings(uri)[className];
  const model = service.get(uri)?.models.find((m) => m.className === className);
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('Input shape for {0}', className),
    prompt: vscode.l10n.t('One shape per forward argument, e.g. [1, 3, 224, 224] or [B, 3, H, W]; add "long" for token ids.'),
    value: current?.input ? current.input.shapes.map((s) => `[${s.replace(/,/g, ', ')}]`).join(', ') : model?.ranOn?.map((s) => `[${s.join(', ')}]`).join(', ') ?? '',
    validateInput: (text) => (text.trim() === '' || parseInputDirective(text) ? undefined : vscode.l10n.t('Write shapes in brackets, e.g. [1, 3, 224, 224]')),
  });
  // Escape or an empty box leaves the settings as they are.
  if (value === undefined || value.trim() === '') return;
  const input = parseInputDirective(value)!;
  let expression = current?.expression;
  if (model?.error) {
    expression = await vscode.window.showInputBox({
      title: vscode.l10n.t('How to build {0}', className),
      prompt: vscode.l10n.t("A Python expression in this file's scope that builds the model"),
      value: expression ?? `${className}()`,
    });
    if (expression === undefined) return;
  }
  await service.setUserSettings(document, className, { input, ...(expression ? { expression } : {}) });
}

/** The open document (a notebook's, for a notebook's path) whose file is `path`, else the file itself. */
function documentAt(path: string): vscode.Uri {
  const notebook = vscode.workspace.notebookDocuments.find((n) => n.uri.fsPath === path);
  if (notebook) return notebook.getCells().find((c) => c.document.languageId === 'python')?.document.uri ?? notebook.uri;
  return vscode.workspace.textDocuments.find((d) => d.uri.fsPath === path)?.uri ?? vscode.Uri.file(path);
}

export function registerModelFeatures(context: vscode.ExtensionContext, service: AnalysisService, showSummary: (uri: vscode.Uri, className: string, focus?: string) => void): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('ml-notes');
  context.subscriptions.push(
    diagnostics,
    vscode.languages.registerHoverProvider(PYTHON, new ModelHoverProvider(service)),
    vscode.languages.registerInlayHintsProvider(PYTHON, new ShapeInlayHintsProvider(service)),
    vscode.languages.registerCodeLensProvider(PYTHON, new ModelCodeLensProvider(service)),
    vscode.languages.registerCodeActionsProvider(PYTHON, new ShapeFixProvider(service), { providedCodeActionKinds: ShapeFixProvider.kinds }),
    service.onDidChangeAnalysis((uri) => updateDiagnostics(diagnostics, service, uri, service.get(uri))),
    vscode.workspace.onDidCloseTextDocument((d) => diagnostics.delete(d.uri)),
    vscode.commands.registerCommand('mlNotes.setInputShape', (uri?: vscode.Uri, className?: string) => {
      if (uri && className) return setInputShape(service, uri, className);
      return undefined;
    }),
    // From a hover link the document comes as its path (the core knows no URIs), with the module to show.
    vscode.commands.registerCommand('mlNotes.showSummary', (uri?: vscode.Uri | string, className?: string, focus?: string) => {
      const target = typeof uri === 'string' ? documentAt(uri) : uri ?? vscode.window.activeTextEditor?.document.uri;
      if (target) showSummary(target, className ?? '', focus);
    }),
  );
}
