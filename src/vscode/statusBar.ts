// The status-bar item that says the extension is ready (and, once a model is analysed, its totals).
import * as vscode from 'vscode';

export function createStatusItem(context: vscode.ExtensionContext): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('mlNotes.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'ML Notes';
  item.text = '$(book) ML Notes';
  item.tooltip = 'ML Notes is ready: hover a layer in a PyTorch file, or open the notes from the activity bar.';
  item.command = 'mlNotes.openDerivation';
  item.show();
  context.subscriptions.push(item);
  return item;
}
