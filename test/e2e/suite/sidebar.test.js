// The notes in the extension host (issue 6): the sidebar's tree lists all ten areas of the catalogue
// with their 72 topics, and opening a topic from the tree's command shows the derivation panel.
'use strict';
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { suite, test } = require('mocha');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const AREAS = ['Sequence models', 'Attention & transformers', 'Generative models', 'CNN arithmetic', 'Normalization & initialization',
  'Optimization', 'Regularization', 'Transfer & meta-learning', 'Graph networks', 'Math & probability'];

suite('ML Notes extension host: notes', () => {
  test('the sidebar lists every area and the 72 topics', async () => {
    const api = await vscode.extensions.getExtension('ml-notes.ml-notes').activate();
    const areas = await api.notesView.children();
    assert.deepEqual(areas.map((a) => a.label), AREAS);
    const topics = (await Promise.all(areas.map((a) => api.notesView.children(a)))).flat();
    // The catalogue's table of contents: 7 + 10 + 5 + 11 + 9 + 6 + 8 + 4 + 4 + 8 = 72.
    assert.equal(topics.length, 72);
  });

  test('a topic node opens its derivation panel', async () => {
    const api = await vscode.extensions.getExtension('ml-notes.ml-notes').activate();
    const [cnn] = (await api.notesView.children()).filter((a) => a.label === 'CNN arithmetic');
    const [topic] = (await api.notesView.children(cnn)).filter((t) => t.id === 'receptive-field');
    await vscode.commands.executeCommand('mlNotes.openDerivation', topic);
    for (let i = 0; i < 100; i++) {
      const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && /Receptive field/i.test(t.label));
      if (tab) return vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await sleep(100);
    }
    assert.fail('no derivation tab for receptive-field');
  });
});
