// The "Show summary" panel: the torchinfo-like table of one model class, from the analysis worker.
import * as vscode from 'vscode';
import type { HostToSummary, SummaryToHost } from '../webview/summaryProtocol';
import type { AnalysisService } from './analysisService';
import { SinglePanel } from './panels/singlePanel';

export function createSummaryPanel(context: vscode.ExtensionContext, service: AnalysisService): (uri: vscode.Uri, className: string) => void {
  /** The document whose summary the panel shows (a notebook cell's URI for a notebook). */
  let shown: vscode.Uri | undefined;
  const panel = new SinglePanel<HostToSummary, SummaryToHost>({
    viewType: 'mlNotes.summary',
    extensionUri: context.extensionUri,
    shell: { bundle: 'summary', styles: ['summary.css'], title: 'ML Notes: Summary' },
    onMessage: (message) => {
      if (message.type === 'revealLine') {
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
      panel.show(
        { type: 'showSummary', view: { className: name, file: uri.fsPath, gains, ...('error' in summary ? { error: summary.error } : { summary }) } },
        `Summary: ${name}`,
      );
    })();
  };
}
