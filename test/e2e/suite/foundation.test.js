// Foundation checks inside the extension host (issue 2): the extension is found, opening an example
// Python file activates it, every contributed command is registered, and a derivation panel opens.
'use strict';
const assert = require('node:assert/strict');
const path = require('path');
const vscode = require('vscode');
const { suite, test } = require('mocha');
const { waitFor } = require('./wait');
const { note } = require('./notes');

const EXTENSION_ID = 'ml-notes.ml-notes';
const manifest = require(path.resolve(__dirname, '../../../package.json'));

function exampleUri(name) {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  assert.ok(folder, 'the tests need the examples folder open as the workspace');
  return vscode.Uri.joinPath(folder.uri, name);
}

suite('ML Notes extension host: foundation', () => {
  test('the extension under development is present', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} not found`);
    note(`VS Code ${vscode.version} (${vscode.env.appName}, host ${vscode.env.appHost}, remote ${vscode.env.remoteName})`);
  });

  test('opening an example .py file activates it', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    const activeBefore = extension.isActive;
    const opened = Date.now();
    const document = await vscode.workspace.openTextDocument(exampleUri('resnet.py'));
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'python');
    await waitFor(() => extension.isActive, 'activation after opening resnet.py');
    note(activeBefore
      ? 'extension was already active before a Python file was opened'
      : `active ${Date.now() - opened} ms after opening resnet.py (polled every 100 ms)`);
    const exports = extension.exports;
    if (exports && typeof exports.activationMs === 'number') note(`activationMs reported by the extension: ${exports.activationMs.toFixed(1)} ms`);
  });

  test('every contributed command is registered', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    await extension.activate();
    const contributed = ((manifest.contributes && manifest.contributes.commands) || []).map((c) => c.command);
    assert.ok(contributed.includes('mlNotes.openDerivation'), 'mlNotes.openDerivation is not contributed');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
    note(`${contributed.length} contributed commands registered`);
  });

  test('mlNotes.openDerivation with a topic id opens a webview panel', async () => {
    const webviewTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
    const before = webviewTabs().length;
    await vscode.commands.executeCommand('mlNotes.openDerivation', 'conv-output-size');
    // The tab model is updated asynchronously from the renderer.
    const tabs = await waitFor(() => (webviewTabs().length > before ? webviewTabs() : null), 'a webview tab');
    note(`derivation panel tab: ${tabs[tabs.length - 1].label}`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
