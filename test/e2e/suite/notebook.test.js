// Notebooks inside the real extension host (issue 13): VS Code's own .ipynb serializer opens a notebook
// written by nbformat (test/unit/notebook/fixtures), and its Python cells are analysed as one program.
// Numbers worked by hand: Conv2d(3, 8, 3, padding=1) keeps 32×32 (8·3·9 + 8 = 224 parameters),
// MaxPool2d(2) gives 16×16, the Linear sees 8·16·16 = 2048 features (2048·10 + 10 = 20,490 parameters),
// 20,714 in all; cell 5 calls the model on torch.randn(2, 3, 32, 32).
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vscode = require('vscode');
const { suite, suiteSetup, suiteTeardown, test } = require('mocha');
const { api, waitFor } = require('./wait');
const { note } = require('./notes');

const FIXTURE = path.join(__dirname, '..', '..', 'unit', 'notebook', 'fixtures', 'small_cnn.v4.5.ipynb');
const labelOf = (hint) => (typeof hint.label === 'string' ? hint.label : hint.label.map((p) => p.value).join(''));
const lineOf = (document, text) => document.getText().split('\n').findIndex((line) => line.includes(text));
const shapeDiagnostics = (document) => vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'ML Notes' && d.code === 'shape');

suite('ML Notes extension host: notebooks', () => {
  let folder;
  let notebook;
  // Cell 3 in Jupyter's numbering (index 2) defines the model; cell 5 (index 4) builds and calls it.
  let classCell;

  suiteSetup(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-notes-nb-'));
    const file = path.join(folder, 'small_cnn.ipynb');
    fs.copyFileSync(FIXTURE, file);
    notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    await vscode.window.showNotebookDocument(notebook);
    classCell = notebook.cellAt(2).document;
    assert.equal(classCell.uri.scheme, 'vscode-notebook-cell');
    assert.equal(classCell.languageId, 'python');
    const started = Date.now();
    const analysis = await (await api()).analysis.whenCurrent(classCell);
    assert.ok(analysis, 'no analysis of the notebook');
    note(`small_cnn.ipynb (${notebook.notebookType}, ${notebook.cellCount} cells) analysed in ${analysis.elapsedMs} ms in the worker, ${Date.now() - started} ms until current`);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test("the class cell's forward gets shape hints from the call in a later cell", async () => {
    const hints = await vscode.commands.executeCommand('vscode.executeInlayHintProvider', classCell.uri, new vscode.Range(0, 0, classCell.lineCount, 0));
    const labels = hints.map((h) => [h.position.line, labelOf(h)]);
    assert.deepEqual(labels.find(([line]) => line === lineOf(classCell, 'x = self.pool(')), [lineOf(classCell, 'x = self.pool('), '→ [2, 8, 16, 16]'], JSON.stringify(labels));
    assert.deepEqual(labels.find(([line]) => line === lineOf(classCell, 'return self.fc(x)')), [lineOf(classCell, 'return self.fc(x)'), '→ [2, 10]'], JSON.stringify(labels));
    const importsCell = notebook.cellAt(1).document;
    const elsewhere = await vscode.commands.executeCommand('vscode.executeInlayHintProvider', importsCell.uri, new vscode.Range(0, 0, importsCell.lineCount, 0));
    assert.deepEqual(elsewhere, []);
  });

  test('the CodeLens sits on the class in its cell, with the totals of the run', async () => {
    const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', classCell.uri);
    const summary = lenses.find((l) => l.command && l.command.title.startsWith('params'));
    assert.ok(summary, lenses.map((l) => l.command && l.command.title).join(' | '));
    assert.match(summary.command.title, /^params 20\.7 K · MACs .* · out \[2, 10\]$/);
    assert.equal(summary.range.start.line, 0);
    const callCell = notebook.cellAt(4).document;
    const none = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', callCell.uri);
    assert.equal(none.filter((l) => l.command && l.command.title.startsWith('params')).length, 0);
  });

  test('a hover on the Linear of the class cell shows its parameter count', async () => {
    const line = lineOf(classCell, 'nn.Linear(');
    const character = classCell.lineAt(line).text.indexOf('Linear');
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', classCell.uri, new vscode.Position(line, character));
    const text = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
    assert.match(text, /20,490/);
  });

  test('IPython syntax (%magic, !shell, ?help, %%time, %%bash) raises no diagnostic', async () => {
    // Hints (faint dots, such as the shallow default-init variance note) are not problems the syntax could cause.
    const diagnostics = notebook
      .getCells()
      .flatMap((cell) => vscode.languages.getDiagnostics(cell.document.uri).filter((d) => d.source === 'ML Notes' && d.severity !== vscode.DiagnosticSeverity.Hint));
    assert.deepEqual(diagnostics.map((d) => d.message), []);
  });

  test('a shape error typed into the class cell shows in that cell, and its quick fix edits that cell', async () => {
    const edit = new vscode.WorkspaceEdit();
    const line = lineOf(classCell, 'nn.Linear(8 * 16 * 16, 10)');
    const start = classCell.lineAt(line).text.indexOf('8 * 16 * 16');
    edit.replace(classCell.uri, new vscode.Range(line, start, line, start + '8 * 16 * 16'.length), '8 * 32 * 32');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const diagnostics = await waitFor(() => {
      const found = shapeDiagnostics(classCell);
      return found.length ? found : null;
    }, 'the shape diagnostic in the class cell');
    assert.match(diagnostics[0].message, /2048/);
    assert.equal(diagnostics[0].range.start.line, lineOf(classCell, 'return self.fc(x)'));
    for (const index of [1, 4, 5]) assert.deepEqual(shapeDiagnostics(notebook.cellAt(index).document), [], `cell ${index + 1} has no shape diagnostic`);
    const others = notebook.getCells().filter((c) => c.index !== 2).map((c) => c.document.getText());
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', classCell.uri, diagnostics[0].range);
    const fix = actions.find((a) => a.title.includes('2048'));
    assert.ok(fix, `no quick fix among ${actions.map((a) => a.title).join(', ')}`);
    assert.deepEqual(fix.edit.entries().map(([uri]) => uri.toString()), [classCell.uri.toString()]);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(classCell.getText(), /self\.fc = nn\.Linear\(2048, 10\)/);
    assert.deepEqual(notebook.getCells().filter((c) => c.index !== 2).map((c) => c.document.getText()), others);
    await waitFor(() => shapeDiagnostics(classCell).length === 0, 'the diagnostic to clear after the fix');
  });

  test('a fix for a layer built in an earlier cell edits that cell', async () => {
    const cells = [
      'import torch\nimport torch.nn as nn',
      'body = nn.Sequential(nn.Linear(10, 5), nn.ReLU(), nn.Linear(6, 3))',
      'class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.body = body\n\n    def forward(self, x):\n        return self.body(x)',
      'net = Net()\ny = net(torch.randn(2, 10))',
    ].map((source) => new vscode.NotebookCellData(vscode.NotebookCellKind.Code, source, 'python'));
    const untitled = await vscode.workspace.openNotebookDocument('jupyter-notebook', new vscode.NotebookData(cells));
    await vscode.window.showNotebookDocument(untitled);
    const netCell = untitled.cellAt(2).document;
    const layersCell = untitled.cellAt(1).document;
    const diagnostics = await waitFor(() => {
      const found = shapeDiagnostics(netCell);
      return found.length ? found : null;
    }, 'the shape diagnostic in the Net cell');
    assert.ok(diagnostics[0].relatedInformation.some((r) => r.location.uri.toString() === layersCell.uri.toString()), 'the related "constructed here" points into the layers cell');
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', netCell.uri, diagnostics[0].range);
    const fix = actions.find((a) => a.title.startsWith('Set in_features to 5'));
    assert.ok(fix, `no quick fix among ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(layersCell.getText(), 'body = nn.Sequential(nn.Linear(10, 5), nn.ReLU(), nn.Linear(5, 3))');
    await waitFor(() => shapeDiagnostics(netCell).length === 0, 'the diagnostic to clear after the fix');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
