// Issue 12 inside the real extension host: a hint on every tensor line of forward (containers, residual,
// functional lines, one hint on a loop over blocks), hovers on called submodules and functional ops, two
// independent shape errors with the analysis going on past the first, a quick fix on the constructor line,
// the status item's totals, and the manifest's conventions (walkthrough, capabilities, setting scopes).
// Expected numbers are worked by hand (and compared with PyTorch by test/oracle/annotate.oracle.test.ts):
// ResNet-18 on [1, 3, 224, 224] leaves layer1..4 at 56/28/14/7 with 64/128/256/512 channels; layer2 holds
// 525,568 parameters; the example GPT (n_embd 128, 4 blocks) keeps [2, 64, 128] through its blocks.
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');
const { suite, test } = require('mocha');
const { api, waitFor } = require('./wait');
const { note } = require('./notes');

const manifest = require(path.resolve(__dirname, '../../../package.json'));
async function openExample(name) {
  const folder = vscode.workspace.workspaceFolders[0];
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, name));
  await vscode.window.showTextDocument(document);
  assert.ok(await (await api()).analysis.whenCurrent(document), `no analysis of ${name}`);
  return document;
}

async function openUntitled(content) {
  const document = await vscode.workspace.openTextDocument({ language: 'python', content });
  await vscode.window.showTextDocument(document);
  assert.ok(await (await api()).analysis.whenCurrent(document), 'no analysis of the untitled document');
  return document;
}

const labelOf = (hint) => (typeof hint.label === 'string' ? hint.label : hint.label.map((p) => p.value).join(''));

async function hintsOf(document) {
  const hints = await vscode.commands.executeCommand('vscode.executeInlayHintProvider', document.uri, new vscode.Range(0, 0, document.lineCount, 0));
  return hints.map((h) => ({ line: h.position.line, label: labelOf(h) }));
}

function lineOf(document, text) {
  const line = document.getText().split('\n').findIndex((l) => l.includes(text));
  assert.ok(line >= 0, `${text} not found`);
  return line;
}

function hintOn(hints, document, text) {
  const line = lineOf(document, text);
  return hints.find((h) => h.line === line)?.label;
}

async function hoverAt(document, text, offset) {
  const line = lineOf(document, text);
  const character = document.lineAt(line).text.indexOf(text) + offset;
  const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', document.uri, new vscode.Position(line, character));
  return hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
}

const TWO_ERRORS = [
  'import torch',
  'import torch.nn as nn',
  '',
  '',
  '# ml-notes: input=[2, 3, 32, 32]',
  'class TwoErrors(nn.Module):',
  '    def __init__(self):',
  '        super().__init__()',
  '        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)',
  '        self.conv2 = nn.Conv2d(8, 32, 3, padding=1)',
  '        self.pool = nn.AdaptiveAvgPool2d(1)',
  '        self.fc1 = nn.Linear(64, 10)',
  '',
  '    def forward(self, x):',
  '        x = torch.relu(self.conv1(x))',
  '        x = self.conv2(x)',
  '        x = self.pool(x).flatten(1)',
  '        x = self.fc1(x)',
  '        return x',
  '',
].join('\n');

suite('ML Notes extension host: every line of forward (issue 12)', () => {
  test('hints on container, stage, flatten and functional lines, none of them a union of inner shapes', async () => {
    const resnet = await openExample('resnet.py');
    const hints = await hintsOf(resnet);
    assert.equal(hintOn(hints, resnet, 'x = self.layer1(x)'), '→ [1, 64, 56, 56]');
    assert.equal(hintOn(hints, resnet, 'x = self.layer2(x)'), '→ [1, 128, 28, 28]');
    assert.equal(hintOn(hints, resnet, 'x = self.layer3(x)'), '→ [1, 256, 14, 14]');
    assert.equal(hintOn(hints, resnet, 'x = self.layer4(x)'), '→ [1, 512, 7, 7]');
    assert.equal(hintOn(hints, resnet, 'x = torch.flatten(x, 1)'), '→ [1, 512]');
    const train = await openExample('train.py');
    const trainHints = await hintsOf(train);
    // Two conv(pad 1) + MaxPool2d(2) stages on the symbolic input: 64 channels at ⌊H/4⌋ × ⌊W/4⌋.
    assert.equal(hintOn(trainHints, train, 'x = self.features(x)'), '→ [B, 64, floor(H / 4), floor(W / 4)]');
    assert.equal(hintOn(trainHints, train, 'x = F.relu(self.fc1(x))'), '→ [B, 128]');
    note(`${hints.length} hints in resnet.py, ${trainHints.length} in train.py`);
  });

  test('residual lines show the new value and a loop over blocks has one hint on its header', async () => {
    const gpt = await openExample('transformer.py');
    const hints = await hintsOf(gpt);
    assert.equal(hintOn(hints, gpt, 'x = x + self.attn(self.ln_1(x))'), '→ [2, 64, 128]');
    assert.equal(hintOn(hints, gpt, 'x = x + self.mlp(self.ln_2(x))'), '→ [2, 64, 128]');
    assert.equal(hintOn(hints, gpt, 'for block in self.h:'), '→ [2, 64, 128] ×4');
    assert.equal(hintOn(hints, gpt, 'x = block(x)'), undefined);
    assert.equal(hintOn(hints, gpt, 'q, k, v = self.c_attn(x).split'), '→ ([2, 64, 128], [2, 64, 128], [2, 64, 128])');
  });

  test('hovering a called submodule or a functional op shows its shapes, totals and rule', async () => {
    const resnet = await openExample('resnet.py');
    const layer2 = await hoverAt(resnet, 'self.layer2(x)', 6);
    assert.match(layer2, /\*\*Sequential\*\* `layer2` · 2 children/);
    assert.match(layer2, /\[1, 64, 56, 56\] → \[1, 128, 28, 28\]/);
    assert.match(layer2, /\*\*Params\*\* 525,568/);
    assert.match(layer2, /Show in summary/);
    const gpt = await openExample('transformer.py');
    const softmax = await hoverAt(gpt, 'F.softmax(att', 2);
    assert.match(softmax, /\[2, 4, 64, 64\] → \[2, 4, 64, 64\]/);
    assert.match(softmax, /Shape rule/);
  });

  test('two independent errors are reported and the values after them are marked as assumed', async () => {
    const document = await openUntitled(TWO_ERRORS);
    const errors = await waitFor(() => {
      const found = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'ML Notes' && d.code === 'shape');
      return found.length >= 2 ? found : null;
    }, 'two shape diagnostics');
    assert.deepEqual(errors.map((d) => d.range.start.line).sort((a, b) => a - b), [lineOf(document, 'x = self.conv2(x)'), lineOf(document, 'x = self.fc1(x)')]);
    const hints = await hintsOf(document);
    // Conv2d(8, 32, 3, padding=1) would give 32 channels on 32×32; pooled and flattened: [2, 32]; Linear → 10.
    assert.equal(hintOn(hints, document, 'x = self.conv2(x)'), '→ [2, 32, 32, 32] (assumed)');
    assert.equal(hintOn(hints, document, 'x = self.fc1(x)'), '→ [2, 10] (assumed)');
    assert.ok(hints.every((h) => !/None/.test(h.label)), JSON.stringify(hints));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('the constructor line offers the quick fix too, and applying it clears the error', async () => {
    const document = await openUntitled(TWO_ERRORS);
    const line = lineOf(document, 'self.fc1 = nn.Linear(64, 10)');
    const at = document.lineAt(line).text.indexOf('64');
    const actions = await waitFor(async () => {
      const found = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', document.uri, new vscode.Range(line, at, line, at + 2));
      return found.some((a) => /in_features to 32/.test(a.title)) ? found : null;
    }, 'a quick fix on the constructor');
    const fix = actions.find((a) => /in_features to 32/.test(a.title));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(document.getText(), /self\.fc1 = nn\.Linear\(32, 10\)/);
    await waitFor(() => vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'ML Notes' && d.code === 'shape').length === 1, 'one error left');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('the status item shows the totals of the model under the cursor', async () => {
    const resnet = await openExample('resnet.py');
    const editor = vscode.window.activeTextEditor;
    const line = lineOf(resnet, 'x = self.layer2(x)');
    editor.selection = new vscode.Selection(line, 8, line, 8);
    const status = (await api()).status;
    // ResNet-18: 11,689,512 parameters (torchvision's published count) → 11.7 M.
    const text = await waitFor(() => (/ResNet · 11\.7 M params/.test(status.text) ? status.text : null), `the status item to show ResNet's totals (it says ${status.text})`);
    assert.match(text, /MACs/);
    note(`status item: ${text}`);
  });

  test('the manifest follows VS Code conventions: walkthrough, capabilities, scoped settings, l10n', () => {
    const contributes = manifest.contributes;
    const walkthrough = contributes.walkthroughs && contributes.walkthroughs[0];
    assert.ok(walkthrough, 'no walkthrough');
    assert.ok(walkthrough.steps.length >= 6, `${walkthrough.steps.length} walkthrough steps`);
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.ok(['limited', true, false].includes(manifest.capabilities.virtualWorkspaces.supported));
    const unscoped = Object.entries(contributes.configuration.properties).filter(([, p]) => !p.scope).map(([k]) => k);
    assert.deepEqual(unscoped, []);
    assert.equal(manifest.l10n, './l10n');
  });

  test('the walkthrough\'s example opens with its shape error', async () => {
    await vscode.commands.executeCommand('mlNotes.openWalkthroughExample');
    const document = vscode.window.activeTextEditor.document;
    assert.match(document.getText(), /class TinyNet/);
    await (await api()).analysis.whenCurrent(document);
    const errors = await waitFor(() => {
      const found = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'ML Notes' && d.code === 'shape');
      return found.length ? found : null;
    }, 'the example\'s shape error');
    // 32 channels pooled to 8×8 give 2048 features; the Linear is built for 32·16·8 = 4096.
    assert.match(errors[0].message, /2048/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
