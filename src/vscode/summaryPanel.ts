// The "Show summary" panel: the torchinfo-like table of one model class, from the analysis worker.
import * as vscode from 'vscode';
import type { HostToSummary, SummaryToHost } from '../webview/summaryProtocol';
import type { AnalysisService } from './analysisService';
import { SinglePanel } from './panels/singlePanel';

export function createSummaryPanel(context: vscode.ExtensionContext, service: AnalysisService): (uri: vscode.Uri, className: string) => void {
  const panel = new SinglePanel<HostToSummary, SummaryToHost>({
    viewType: 'mlNotes.summary',
    extensionUri: context.extensionUri,
    shell: { bundle: 'summary', styles: ['summary.css'], title: 'ML Notes: Summary' },
    onMessage: (message) => {
      if (message.type === 'revealLine') {
        const line = Math.max(0, message.line - 1);
        void vscode.window.showTextDocument(vscode.Uri.file(message.file), { selection: new vscode.Range(line, 0, line, 0), viewColumn: vscode.ViewColumn.One });
      }
    },
  });
  context.subscriptions.push(panel);
  return (uri, className) => {
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
