// Code checks in the extension host (issue 5): a CC-31 diagnostic appears on F.dropout without
// `training=`, its code links to the notes topic, and its quick fix produces the corrected call.
'use strict';
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { suite, test } = require('mocha');
const { waitFor } = require('./wait');

const ruleOf = (d) => (typeof d.code === 'object' && d.code ? d.code.value : d.code);

suite('ML Notes extension host: checks', () => {
  test('F.dropout without training= gets CC-31 and its quick fix passes training=self.training', async () => {
    await vscode.extensions.getExtension('ml-notes.ml-notes').activate();
    const content = [
      'import torch.nn as nn',
      'import torch.nn.functional as F',
      '',
      '',
      'class Net(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.fc = nn.Linear(10, 10)',
      '',
      '    def forward(self, x):',
      '        return F.dropout(self.fc(x), p=0.5)',
      '',
    ].join('\n');
    const document = await vscode.workspace.openTextDocument({ language: 'python', content });
    await vscode.window.showTextDocument(document);
    const diagnostic = await waitFor(
      () => vscode.languages.getDiagnostics(document.uri).find((d) => d.source === 'ML Notes' && ruleOf(d) === 'CC-31'),
      'the CC-31 diagnostic',
    );
    assert.equal(diagnostic.range.start.line, 10);
    assert.match(String(diagnostic.code.target), /mlNotes\.openDerivation/);
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', document.uri, diagnostic.range);
    const fix = actions.find((a) => a.edit && /training/.test(a.title));
    assert.ok(fix, `no fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(actions.some((a) => a.title === 'Ignore CC-31 on this line'));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(document.lineAt(10).text, '        return F.dropout(self.fc(x), p=0.5, training=self.training)');
    await waitFor(() => !vscode.languages.getDiagnostics(document.uri).some((d) => ruleOf(d) === 'CC-31'), 'CC-31 to clear');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
