// The "Show summary" panel: the torchinfo-like table of one model class, from the analysis worker.
import * as vscode from 'vscode';
import type { HostToSummary, SummaryToHost } from '../webview/summaryProtocol';
import type { AnalysisService } from './analysisService';
import { SinglePanel } from './panels/singlePanel';
import { summaryMessage } from './webviewMessages';
import type { Log } from './log';

export function createSummaryPanel(context: vscode.ExtensionContext, service: AnalysisService, log: Log): (uri: vscode.Uri, className: string) => void {
  /** The document whose summary the panel shows (a notebook cell's URI for a notebook). */
  let shown: vscode.Uri | undefined;
  /** The files the summary on show reported: the only ones a revealLine may open. */
  let reported = new Set<string>();
  const panel = new SinglePanel<HostToSummary, SummaryToHost>({
    viewType: 'mlNotes.summary',
    extensionUri: context.extensionUri,
    shell: { bundle: 'summary', styles: ['summary.css'], title: 'ML Notes: Summary' },
    validate: summaryMessage,
    onRefused: (what) => log.info(`summary panel: ignored a message (${what})`),
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
  return (uri, className) => {
    shown = uri;
    void (async () => {
      const document = await vscode.workspace.openTextDocument(uri);
      const analysis = await service.whenCurrent(document);
      const name = className || analysis?.models.find((m) => !m.partOf && !m.error)?.className || '';
      const { summary, gains } = await service.summarize(document, name);
      reported = new Set([uri.fsPath, ...('error' in summary ? [] : summary.calls.map((c) => c.file))]);
      panel.show(
        { type: 'showSummary', view: { className: name, file: uri.fsPath, gains, ...('error' in summary ? { error: summary.error } : { summary }) } },
        `Summary: ${name}`,
      );
    })();
  };
}
