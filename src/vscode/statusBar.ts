// The status-bar item: says the extension is ready, then shows the totals of the model under the cursor
// (params, MACs, output) and the analysis state of the active document (analysing; too complex when the
// analysis was reduced or stopped, or ran out of its budget part-way). Clicking it opens that model's summary.
import * as vscode from 'vscode';
import type { ModelView } from '../core/editor/documentAnalysis';
import type { EditorView } from '../core/editor/view';
import { formatShape } from '../core/editor/format';
import { formatCompact, formatCount } from '../core/editor/hover';
import { containsPosition } from '../core/ranges';
import type { AnalysisService, DocumentAnalysisState } from './analysisService';

/** The model the cursor is in (its class, or the model that runs it), else the file's first root model. */
export function modelAt(analysis: EditorView, position: { line: number; character: number } | undefined): ModelView | undefined {
  const roots = analysis.models.filter((m) => !m.partOf && !m.error && m.expression);
  const here = position ? analysis.models.find((m) => containsPosition(m.classRange, position)) : undefined;
  if (here?.partOf) return roots.find((m) => m.className === here.partOf) ?? roots[0];
  if (here && !here.error) return here;
  return roots[0];
}

function macsText(macs: ModelView['macs']): string {
  return typeof macs === 'number' ? formatCompact(macs) : macs ? vscode.l10n.t('symbolic') : '—';
}

export interface StatusContent {
  readonly text: string;
  readonly tooltip: string;
  readonly command?: vscode.Command;
}

/** What the item says for a document's state (none for a file it does not analyse) and the model under the cursor. */
export function statusContent(state: DocumentAnalysisState | undefined, analysis: EditorView | undefined, model: ModelView | undefined, uri: vscode.Uri | undefined): StatusContent {
  if (state?.status === 'analysing') return { text: vscode.l10n.t('$(sync~spin) ML Notes: analysing…'), tooltip: vscode.l10n.t('ML Notes is analysing this file.') };
  // Reduced or not analysed by the service's watchdog, or a budget that ran out inside the analysis.
  const stopped = state?.status === 'reduced' || state?.status === 'tooComplex' ? (state.detail ?? vscode.l10n.t('too complex to analyse in time')) : analysis?.stopped;
  if (stopped) {
    return {
      text: vscode.l10n.t('$(warning) ML Notes: too complex'),
      tooltip: vscode.l10n.t('The analysis stopped before the end: {0}. Results shown are partial; raise mlNotes.analysis.timeBudgetMs or simplify the file.', stopped),
      command: { command: 'mlNotes.showOutput', title: vscode.l10n.t('Show Log') },
    };
  }
  if (!model || !uri) {
    return {
      text: '$(book) ML Notes',
      tooltip: vscode.l10n.t('ML Notes is ready: hover a layer in a PyTorch file, or open the notes from the activity bar.'),
      command: { command: 'mlNotes.openDerivation', title: vscode.l10n.t('Open Derivation…') },
    };
  }
  const params = model.params ?? 0;
  const input = model.ranOn?.map((s) => `[${s.join(', ')}]`).join(', ') ?? '?';
  return {
    text: vscode.l10n.t('$(book) ML Notes: {0} · {1} params · {2} MACs', model.className, formatCompact(params), macsText(model.macs)),
    tooltip: [
      vscode.l10n.t('{0} ({1})', model.className, model.expression ?? ''),
      vscode.l10n.t('input {0} → output {1}', input, model.output !== undefined ? formatShape(model.output) : '?'),
      vscode.l10n.t('{0} parameters ({1} trainable)', formatCount(params), formatCount(model.trainableParams ?? params)),
      vscode.l10n.t('{0} MACs', typeof model.macs === 'number' ? formatCount(model.macs) : String(model.macs ?? '—')),
      vscode.l10n.t('Click to show the summary.'),
    ].join('\n'),
    command: { command: 'mlNotes.showSummary', title: vscode.l10n.t('Show Model Summary'), arguments: [uri, model.className] },
  };
}

export function createStatusItem(context: vscode.ExtensionContext, service: AnalysisService): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('mlNotes.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'ML Notes';
  const update = (): void => {
    const editor = vscode.window.activeTextEditor;
    const document = editor?.document.languageId === 'python' ? editor.document : undefined;
    const uri = document?.uri;
    const analysis = uri ? service.get(uri) : undefined;
    const content = statusContent(uri && service.state(uri), analysis, analysis ? modelAt(analysis, editor?.selection.active) : undefined, uri);
    item.text = content.text;
    item.tooltip = content.tooltip;
    item.command = content.command;
  };
  update();
  item.show();
  context.subscriptions.push(
    item,
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.window.onDidChangeTextEditorSelection((e) => e.textEditor === vscode.window.activeTextEditor && update()),
    service.onDidChangeAnalysis(update),
    service.onDidChangeState(update),
  );
  return item;
}
