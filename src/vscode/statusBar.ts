// The status-bar item that says the extension is ready and, for the active Python document, when its
// analysis is too complex to finish in time (reduced to the module scope, or not analysed at all).
import * as vscode from 'vscode';
import type { AnalysisService } from './analysisService';

const READY_TOOLTIP = 'ML Notes is ready: hover a layer in a PyTorch file, or open the notes from the activity bar.';

export function createStatusItem(context: vscode.ExtensionContext, analysis?: AnalysisService): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('mlNotes.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'ML Notes';
  item.command = 'mlNotes.openDerivation';
  const render = (): void => {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const state = uri && analysis?.state(uri);
    if (state && (state.status === 'reduced' || state.status === 'tooComplex')) {
      item.text = '$(warning) ML Notes: too complex';
      item.tooltip = state.detail ?? 'Too complex to analyse in time.';
      item.command = 'mlNotes.showOutput';
    } else {
      item.text = '$(book) ML Notes';
      item.tooltip = READY_TOOLTIP;
      item.command = 'mlNotes.openDerivation';
    }
  };
  render();
  item.show();
  context.subscriptions.push(item, vscode.window.onDidChangeActiveTextEditor(render));
  if (analysis) context.subscriptions.push(analysis.onDidChangeState((uri) => uri.toString() === vscode.window.activeTextEditor?.document.uri.toString() && render()));
  return item;
}
