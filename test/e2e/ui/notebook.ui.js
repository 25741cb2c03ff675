// Notebook UI case (issue 13): examples/notebook.ipynb opens in VS Code's notebook editor, and the model
// defined in cell 3 shows its CodeLens and shape hints in that cell, from the call in cell 5. Numbers
// worked by hand: two padded 3×3 convs each followed by MaxPool2d(2) take 32×32 to 8×8; 64·8·8 = 4096
// features reach fc1. Params: 3·32·9 + 32 = 896, 32·64·9 + 64 = 18,496, 4096·128 + 128 = 524,416 and
// 128·10 + 10 = 1,290, 545,098 in all (545 K). MACs for the batch of 8: 7,077,888 + 37,748,736 + 4,194,304 +
// 10,240 = 49,031,168 (49.0 M).
'use strict';
const assert = require('node:assert/strict');
const { poll } = require('./lib');

/** The rendered text of every editor line and CodeLens, non-breaking spaces made plain. */
async function rendered(page, selector) {
  return (await page.locator(selector).allTextContents()).map((t) => t.replace(/\u00a0/g, ' '));
}

module.exports.cases = [
  {
    name: 'a notebook shows the CodeLens and shape hints in the cell of its model',
    run: async (bench) => {
      const page = bench.page;
      // A Python file first: once ML Notes is ready, the extension host (and VS Code's .ipynb support) is up.
      await bench.openFile('resnet.py');
      await bench.waitForStatusItem('ML Notes');
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'notebook.ipynb' }).first().click();
      await page.locator('.notebook-editor').first().waitFor({ timeout: 30000 });
      const lens = await poll(async () => (await rendered(page, '.codelens-decoration')).find((t) => t.startsWith('params')), { timeout: 30000, what: 'the CodeLens over SmallNet' });
      assert.match(lens, /^params 545 K · MACs 49\.0 M · out \[8, 10\]/);
      const lines = await poll(async () => {
        const all = await rendered(page, '.view-line');
        return all.some((l) => l.includes('return self.fc2(x)→ [8, 10]')) ? all : undefined;
      }, { timeout: 30000, what: "the hint on forward's last line" });
      assert.ok(lines.some((l) => l.trim() === 'x = self.pool(F.relu(self.conv2(x)))→ [8, 64, 8, 8]'), JSON.stringify(lines));
      await bench.screenshot('notebook');
    },
  },
];
