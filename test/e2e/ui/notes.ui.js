// Notes UI cases (issue 6): the sidebar lists the areas and opens a topic's derivation panel; a hover's
// "Open derivation" link opens the same panel with the layer's numbers; screenshots in light and dark.
'use strict';
const assert = require('node:assert/strict');
const { poll, sleep } = require('./lib');

async function setTheme(bench, name) {
  await bench.runCommand('Preferences: Color Theme');
  await bench.pick(name, { row: name });
  await sleep(800);
}

module.exports.cases = [
  {
    name: 'the sidebar lists every area and opens a topic in the derivation panel',
    run: async (bench) => {
      await bench.openViewContainer('ML Notes');
      const rows = bench.page.locator('.part.sidebar .monaco-list-row');
      await rows.first().waitFor({ timeout: 15000 });
      const labels = await poll(async () => {
        const all = await rows.allInnerTexts();
        return all.length >= 10 ? all : null;
      }, { what: 'ten area rows' });
      for (const area of ['Sequence models', 'CNN arithmetic', 'Optimization', 'Math & probability']) {
        assert.ok(labels.some((l) => l.includes(area)), `no ${area} in ${labels.join(', ')}`);
      }
      await rows.filter({ hasText: 'CNN arithmetic' }).first().click();
      const topic = rows.filter({ hasText: 'Convolution and pooling output size' }).first();
      await topic.waitFor({ timeout: 10000 });
      await topic.click();
      const frame = await bench.webviewFrame('h1', 30000, /output size/i);
      assert.match(await frame.locator('h1').first().innerText(), /output size/i);
      await frame.locator('.katex').first().waitFor({ timeout: 15000 });
      await sleep(500);
      await setTheme(bench, 'Dark Modern');
      await bench.screenshot('notes-sidebar-dark');
      await setTheme(bench, 'Light Modern');
      await bench.screenshot('notes-sidebar-light');
      await bench.runCommand('View: Show Explorer');
    },
  },
  {
    name: 'a hover link opens the derivation with the layer\'s numbers',
    run: async (bench) => {
      await bench.openFile('resnet.py');
      await bench.waitForStatusItem('ML Notes');
      await bench.hoverText('Conv2d', { onLine: 'nn.Conv2d(3, self.inplanes', contains: '224 + 2·3' });
      await bench.page.locator('.monaco-hover:not(.hidden) a', { hasText: 'Open derivation' }).first().click();
      const frame = await bench.webviewFrame('.numbers');
      const numbers = await frame.locator('.numbers').first().innerText();
      // The stem conv: W' = ⌊(224 + 2·3 − 1·(7 − 1) − 1)/2⌋ + 1 = 112.
      assert.match(numbers, /112/);
      assert.match(numbers, /224/);
      // Dismiss the hover so the screenshot shows the panel.
      await bench.page.mouse.move(5, 5);
      await bench.page.keyboard.press('Escape');
      await sleep(800);
      await bench.screenshot('derivation-from-hover');
    },
  },
];
