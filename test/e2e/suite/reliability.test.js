// Nothing a file contains takes the extension host down (issue 15): the 3-line list-doubling file, which
// used to abort V8 in the host at 3.3 GB and kill every extension of the window, is answered, and another
// document still gets its hints; a file too large to analyse in its budget is marked "too complex".
'use strict';
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { suite, test } = require('mocha');
const { api, waitFor } = require('./wait');
const { note } = require('./notes');

suite('ML Notes extension host: reliability', () => {
  test('the list-doubling file is answered, the host survives and a second document still gets hints', async () => {
    const service = (await api()).analysis;
    const started = Date.now();
    const doubling = await vscode.workspace.openTextDocument({ language: 'python', content: 'x = [0]\nwhile True:\n    x = x + x\n' });
    await vscode.window.showTextDocument(doubling);
    const analysis = await service.whenCurrent(doubling);
    assert.ok(analysis, 'the list-doubling file got no analysis');
    note(`list-doubling file answered in ${Date.now() - started} ms (${analysis.elapsedMs} ms in the worker), state ${JSON.stringify(service.state(doubling.uri))}`);

    const folder = vscode.workspace.workspaceFolders[0];
    const resnet = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'resnet.py'));
    await vscode.window.showTextDocument(resnet);
    await service.whenCurrent(resnet);
    const hints = await waitFor(async () => {
      const all = await vscode.commands.executeCommand('vscode.executeInlayHintProvider', resnet.uri, new vscode.Range(0, 0, resnet.lineCount, 0));
      return all && all.length > 0 ? all : undefined;
    }, 'inlay hints in resnet.py after the list-doubling file');
    assert.ok(hints.some((h) => String(typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')).startsWith('→ [')));
  });

  test('a document too large for its budget gets one "too complex" information diagnostic', async () => {
    const service = (await api()).analysis;
    const config = vscode.workspace.getConfiguration('mlNotes');
    await config.update('analysis.timeBudgetMs', 50, vscode.ConfigurationTarget.Global);
    try {
      const lines = ['import torch.nn as nn', 'class Net(nn.Module):', '    def __init__(self):', '        super().__init__()', '        self.fc = nn.Linear(8, 8)', '    def forward(self, x):'];
      for (let i = 0; i < 10000; i++) lines.push('        x = self.fc(x)');
      lines.push('        return x', '');
      const big = await vscode.workspace.openTextDocument({ language: 'python', content: lines.join('\n') });
      await vscode.window.showTextDocument(big);
      const diagnostics = await waitFor(() => {
        const found = vscode.languages.getDiagnostics(big.uri).filter((d) => d.code === 'too-complex');
        return found.length > 0 ? found : undefined;
      }, 'the too-complex diagnostic', 60000);
      assert.equal(diagnostics.length, 1);
      assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Information);
      note(`10,000-statement forward at 50 ms: ${diagnostics[0].message} (state ${JSON.stringify(service.state(big.uri))})`);
    } finally {
      await config.update('analysis.timeBudgetMs', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
