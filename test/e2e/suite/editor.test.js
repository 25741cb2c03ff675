// Editor features inside the real extension host (issue 4): hover text with the substituted formula,
// inlay hints, CodeLens totals, and a shape diagnostic whose quick fix is applied. Expected numbers are
// worked by hand: conv1 of resnet.py is Conv2d(3, 64, 7, 2, 3) on 224 → ⌊(224 + 6 − 6 − 1)/2⌋ + 1 = 112;
// ResNet-18 has 11,689,512 parameters (torchvision's published count).
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { suite, test } = require('mocha');
const { api, waitFor } = require('./wait');
const { note } = require('./notes');

async function openExample(name) {
  const folder = vscode.workspace.workspaceFolders[0];
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, name));
  await vscode.window.showTextDocument(document);
  const started = Date.now();
  const analysis = await (await api()).analysis.whenCurrent(document);
  assert.ok(analysis, `no analysis of ${name}`);
  note(`${name} analysed (${analysis.elapsedMs} ms in the worker, ${Date.now() - started} ms until current)`);
  return document;
}

function positionOf(document, text, offsetInText = 0) {
  const index = document.getText().indexOf(text);
  assert.ok(index >= 0, `${text} not found`);
  return document.positionAt(index + offsetInText);
}

function hoverText(hovers) {
  return hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
}

suite('ML Notes extension host: editor', () => {
  test('hovering nn.Conv2d shows the output-size formula with this call\'s numbers', async () => {
    const document = await openExample('resnet.py');
    const position = positionOf(document, 'nn.Conv2d(3, self.inplanes', 4);
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', document.uri, position);
    const text = hoverText(hovers);
    assert.match(text, /H_out = ⌊\(224 \+ 2·3 − 1·\(7 − 1\) − 1\)\/2⌋ \+ 1 = 112/);
    assert.match(text, /\[1, 3, 224, 224\] → \[1, 64, 112, 112\]/);
    // 64·3·7·7 = 9,408 weights, no bias.
    assert.match(text, /\*\*Params\*\* 9,408/);
  });

  test('inlay hints show the shape after each module call in forward', async () => {
    const document = await openExample('resnet.py');
    const lastLine = document.lineCount - 1;
    const hints = await vscode.commands.executeCommand('vscode.executeInlayHintProvider', document.uri, new vscode.Range(0, 0, lastLine, 0));
    const labels = hints.map((h) => ({ line: h.position.line, label: typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('') }));
    const maxpoolLine = positionOf(document, 'x = self.maxpool(x)').line;
    // 112 → ⌊(112 + 2 − 2 − 1)/2⌋ + 1 = 56.
    assert.ok(labels.some((h) => h.line === maxpoolLine && h.label === '→ [1, 64, 56, 56]'), JSON.stringify(labels.slice(0, 8)));
    note(`${labels.length} inlay hints in resnet.py`);
  });

  test('the CodeLens over ResNet shows its parameter count and output', async () => {
    const document = await openExample('resnet.py');
    const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', document.uri);
    const titles = lenses.map((l) => (l.command ? l.command.title : ''));
    assert.ok(titles.some((t) => t.startsWith('params 11.7 M') && t.includes('out [1, 1000]')), titles.join(' | '));
    assert.ok(titles.includes('Set input shape…'));
  });

  test('with mlNotes.costs.gpuMemoryGB set, a model\'s CodeLens says the largest training batch that fits', async () => {
    const content = [
      'import torch',
      'import torch.nn as nn',
      '',
      '',
      '# ml-notes: input=[2, 1000]',
      'class MLP(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.fc1 = nn.Linear(1000, 1000)',
      '        self.fc2 = nn.Linear(1000, 10)',
      '',
      '    def forward(self, x):',
      '        return self.fc2(torch.relu(self.fc1(x)))',
      '',
    ].join('\n');
    const document = await vscode.workspace.openTextDocument({ language: 'python', content });
    await vscode.window.showTextDocument(document);
    const config = vscode.workspace.getConfiguration('mlNotes');
    await config.update('costs.gpuMemoryGB', 24, vscode.ConfigurationTarget.Global);
    try {
      const title = await waitFor(async () => {
        const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', document.uri);
        return lenses.map((l) => (l.command ? l.command.title : '')).find((t) => t.includes('in 24 GB'));
      }, 'a CodeLens with the largest batch in 24 GB');
      // By hand (float32, Adam): fixed 16,176,176 B, 8000 B per sample; ⌊(24·2^30 − 16,176,176) / 8000⌋ = 3,219,203.
      assert.match(title, /fits batch 3219203 in 24 GB/);
    } finally {
      await config.update('costs.gpuMemoryGB', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('a Linear that does not fit the flattened size gets a diagnostic whose quick fix corrects it', async () => {
    const content = [
      'import torch',
      'import torch.nn as nn',
      '',
      '',
      '# ml-notes: input=[4, 3, 32, 32]',
      'class Bad(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.conv = nn.Conv2d(3, 8, 3)',
      '        self.fc = nn.Linear(8 * 32 * 32, 10)',
      '',
      '    def forward(self, x):',
      '        x = torch.flatten(self.conv(x), 1)',
      '        return self.fc(x)',
      '',
    ].join('\n');
    const document = await vscode.workspace.openTextDocument({ language: 'python', content });
    await vscode.window.showTextDocument(document);
    const diagnostics = await waitFor(() => {
      const found = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'ML Notes' && d.code === 'shape');
      return found.length ? found : null;
    }, 'the shape diagnostic');
    // 3×3 without padding on 32 → 30; 8·30·30 = 7200 features reach a Linear built for 8·32·32 = 8192.
    assert.match(diagnostics[0].message, /7200/);
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', document.uri, diagnostics[0].range);
    const fix = actions.find((a) => a.title.includes('7200'));
    assert.ok(fix, `no quick fix among ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(document.getText(), /self\.fc = nn\.Linear\(7200, 10\)/);
    await waitFor(() => vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'ML Notes' && d.code === 'shape').length === 0, 'the diagnostic to clear after the fix');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('a chain of imports (a -> b -> c) is followed in one analysis', async () => {
    // Linear(WIDTH, 3) with WIDTH = 7 read from c.py: 7·3 weights + 3 biases = 24 parameters.
    const folder = path.join(vscode.workspace.workspaceFolders[0].uri.fsPath, `e2e-import-chain-${process.pid}`);
    fs.mkdirSync(folder, { recursive: true });
    try {
      fs.writeFileSync(path.join(folder, 'c.py'), 'WIDTH = 7\n');
      fs.writeFileSync(path.join(folder, 'b.py'), 'import torch.nn as nn\nfrom c import WIDTH\n\n\nclass Head(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(WIDTH, 3)\n\n    def forward(self, x):\n        return self.fc(x)\n');
      fs.writeFileSync(path.join(folder, 'a.py'), 'import torch.nn as nn\nfrom b import Head\n\n\nclass Model(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.head = Head()\n\n    def forward(self, x):\n        return self.head(x)\n');
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder, 'a.py')));
      await vscode.window.showTextDocument(document);
      const analysis = await (await api()).analysis.whenCurrent(document);
      const model = analysis && analysis.models.find((m) => m.className === 'Model');
      assert.equal(model && model.params, 24, `Model: ${JSON.stringify(model)}`);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
