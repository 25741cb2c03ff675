// The Getting Started walkthrough's commands: open its example model (a small CNN with one shape error)
// in an untitled editor, and mark the "fix a shape error" step done when a shape quick fix is applied.
import * as vscode from 'vscode';

/** Run by every shape quick fix after its edit: the walkthrough's "Fix a shape error" completes on it. */
export const SHAPE_FIX_APPLIED = 'mlNotes.shapeFixApplied';

export function registerWalkthrough(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('mlNotes.openWalkthroughExample', async () => {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'media', 'walkthrough', 'example.py'));
      const document = await vscode.workspace.openTextDocument({ language: 'python', content: new TextDecoder().decode(bytes) });
      await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside });
    }),
    vscode.commands.registerCommand(SHAPE_FIX_APPLIED, () => undefined),
  );
}
