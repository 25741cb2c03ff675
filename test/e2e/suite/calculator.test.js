// The calculator quick input driven through VS Code's own commands (issue 8): prefilled inputs are
// accepted one box at a time, then "Insert at cursor" puts the result into the editor.
// conv-out with in=224 kernel=7 stride=2 padding=3 dilation=1: ⌊(224 + 6 − 6 − 1)/2⌋ + 1 = 112.
'use strict';
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { suite, test } = require('mocha');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

suite('ML Notes extension host: calculator', () => {
  test('conv-out through the quick input inserts 112 at the cursor', async () => {
    await vscode.extensions.getExtension('ml-notes.ml-notes').activate();
    const document = await vscode.workspace.openTextDocument({ language: 'python', content: 'size = ' });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 7, 0, 7);
    const done = vscode.commands.executeCommand('mlNotes.calculator', {
      id: 'conv-out',
      inputs: { in: '224', kernel: '7', stride: '2', padding: '3', dilation: '1' },
    });
    // Five input boxes (in, kernel, stride, padding, dilation), each accepted as prefilled.
    for (let i = 0; i < 5; i++) {
      await sleep(400);
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    // The result pick lists Copy, Insert at cursor, Open derivation: move to the second and accept.
    await sleep(400);
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await sleep(200);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await done;
    await vscode.window.showTextDocument(document);
    assert.equal(document.getText(), 'size = 112');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
