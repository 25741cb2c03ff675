// Issue 12 in the browser: ResNet's forward with a hint on layer1..layer4 and a GPT block's residual lines,
// screenshots in a dark and a light theme. Shapes worked by hand: 224 → 112 (stem) → 56 (maxpool), then
// layer2..4 halve it with 128/256/512 channels; the example GPT keeps [2, 64, 128] through every block.
'use strict';
const assert = require('node:assert/strict');
const { poll, sleep } = require('./lib');

async function setTheme(bench, name) {
  await bench.runCommand('Preferences: Color Theme');
  await bench.pick(name);
  await sleep(800);
}

/** The rendered text of the editor's visible lines, inlay hints included. */
async function renderedLines(bench) {
  const lines = await bench.page.locator('.monaco-editor .view-lines .view-line').allTextContents();
  return lines.map((l) => l.replace(/\u00a0/g, ' '));
}

async function waitForHint(bench, lineText, hint) {
  return poll(async () => {
    const lines = await renderedLines(bench);
    return lines.find((l) => l.includes(lineText) && l.includes(hint));
  }, { timeout: 30000, what: `the hint ${hint} on ${lineText}` });
}

module.exports.cases = [
  {
    name: 'ResNet forward shows a shape on layer1..layer4 (dark and light)',
    run: async (bench) => {
      await bench.openFile('resnet.py');
      await bench.waitForStatusItem('ML Notes');
      const text = await bench.activeEditorText();
      const forward = text.split('\n').findIndex((l) => l.includes('x = self.layer4(x)'));
      await bench.goToLine(forward + 8);
      await waitForHint(bench, 'x = self.layer1(x)', '[1, 64, 56, 56]');
      assert.ok(await waitForHint(bench, 'x = self.layer2(x)', '[1, 128, 28, 28]'));
      assert.ok(await waitForHint(bench, 'x = self.layer3(x)', '[1, 256, 14, 14]'));
      assert.ok(await waitForHint(bench, 'x = self.layer4(x)', '[1, 512, 7, 7]'));
      assert.ok(await waitForHint(bench, 'x = torch.flatten(x, 1)', '[1, 512]'));
      await setTheme(bench, 'Dark Modern');
      await bench.screenshot('forward-hints-resnet-dark');
      await setTheme(bench, 'Light Modern');
      await bench.screenshot('forward-hints-resnet-light');
    },
  },
  {
    name: 'a transformer block\'s residual lines and the loop over blocks (dark and light)',
    run: async (bench) => {
      await bench.openFile('transformer.py');
      await bench.waitForStatusItem('ML Notes');
      const text = await bench.activeEditorText();
      const block = text.split('\n').findIndex((l) => l.includes('x = x + self.attn(self.ln_1(x))'));
      await bench.goToLine(block + 20);
      assert.ok(await waitForHint(bench, 'x = x + self.attn(self.ln_1(x))', '[2, 64, 128]'));
      assert.ok(await waitForHint(bench, 'x = x + self.mlp(self.ln_2(x))', '[2, 64, 128]'));
      assert.ok(await waitForHint(bench, 'for block in self.h:', '×4'));
      await setTheme(bench, 'Dark Modern');
      await bench.screenshot('forward-hints-transformer-dark');
      await setTheme(bench, 'Light Modern');
      await bench.screenshot('forward-hints-transformer-light');
    },
  },
  {
    name: 'hovering a called stage shows its in → out, params and MACs',
    run: async (bench) => {
      await bench.openFile('resnet.py');
      await bench.waitForStatusItem('ML Notes');
      const hover = await bench.hoverText('layer2', { onLine: 'x = self.layer2(x)', contains: 'children' });
      assert.match(hover, /Sequential/);
      assert.match(hover, /525,568/);
      await bench.screenshot('forward-hover-layer2');
    },
  },
];
