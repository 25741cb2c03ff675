// The "Show summary" panel: the torchinfo-like table of one model class, from the analysis worker. It opens
// as a full editor tab so no column is cut, and can focus the rows of one module (from a hover's link).
import * as vscode from 'vscode';
import type { HostToSummary, SummaryToHost } from '../webview/summaryProtocol';
import type { AnalysisService } from './analysisService';
import { SinglePanel } from './panels/singlePanel';
import { summaryMessage } from './webviewMessages';
import type { Log } from './log';

export function createSummaryPanel(context: vscode.ExtensionContext, service: AnalysisService, log: Log): (uri: vscode.Uri, className: string, focus?: string) => void {
  /** The document whose summary the panel shows (a notebook cell's URI for a notebook). */
  let shown: vscode.Uri | undefined;
  /** The files the summary on show reported: the only ones a revealLine may open. */
  let reported = new Set<string>();
  const panel = new SinglePanel<HostToSummary, SummaryToHost>({
    viewType: 'mlNotes.summary',
    extensionUri: context.extensionUri,
    shell: { bundle: 'summary', styles: ['summary.css'], title: vscode.l10n.t('ML Notes: Summary') },
    validate: summaryMessage,
    onRefused: (what) => log.info(`summary panel: ignored a message (${what})`),
    // A full editor tab: the table's seven columns fit without cutting one.
    column: vscode.ViewColumn.Active,
    onMessage: (message) => {
      if (message.type === 'revealLine') {
        if (!reported.has(message.file)) {
          log.info(`summary panel: ignored revealLine for ${message.file}, which the summary did not report`);
          return;
        }
        const line = Math.max(0, message.line - 1);
        // A line of the summarised document itself: in a notebook, a line of the cell it is in.
        const target = shown && shown.fsPath === message.file ? service.locateLine(shown, line) : { uri: vscode.Uri.file(message.file), line };
        void vscode.window.showTextDocument(target.uri, { selection: new vscode.Range(target.line, 0, target.line, 0), viewColumn: vscode.ViewColumn.One });
      }
    },
  });
  context.subscriptions.push(panel);
  return (uri, className, focus) => {
    shown = uri;
    void (async () => {
      const document = await vscode.workspace.openTextDocument(uri);
      const analysis = await service.whenCurrent(document);
      const name = className || analysis?.models.find((m) => !m.partOf && !m.error)?.className || '';
      const { summary, gains, fit } = await service.summarize(document, name);
      reported = new Set([uri.fsPath, ...('error' in summary ? [] : summary.calls.map((c) => c.file))]);
      panel.show(
        { type: 'showSummary', view: { className: name, file: uri.fsPath, gains, ...(focus ? { focus } : {}), ...(fit ? { fit } : {}), ...('error' in summary ? { error: summary.error } : { summary }) } },
        vscode.l10n.t('Summary: {0}', name),
      );
    })();
  };
}
