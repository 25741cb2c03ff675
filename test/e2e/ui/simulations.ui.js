// Simulation UI cases (issue 7): each simulation opens from the palette; moving its first slider
// changes the plot (compared as canvas pixels before and after).
'use strict';
const assert = require('node:assert/strict');
const { poll, sleep } = require('./lib');

const SIMULATIONS = [
  { title: 'Gradient descent, momentum and Adam', shot: 'sim-gd' },
  { title: 'Activation and gradient spread', shot: 'sim-activation-variance' },
  { title: 'Softmax saturation', shot: 'sim-softmax' },
  { title: 'RNN state and gradient norms', shot: 'sim-rnn' },
  { title: 'Diffusion forward process', shot: 'sim-diffusion' },
  { title: 'Receptive field on the input grid', shot: 'sim-receptive-field' },
];

async function canvasPixels(frame) {
  return frame.locator('canvas').evaluateAll((canvases) => canvases.map((c) => c.toDataURL()).join('|'));
}

module.exports.cases = SIMULATIONS.map((sim) => ({
  name: `simulation "${sim.title}" reacts to its slider`,
  timeoutMs: 120000,
  run: async (bench) => {
    await bench.openFile('train.py');
    await bench.runCommand('ML Notes: Open Simulation…');
    await bench.pick(sim.title, { row: sim.title });
    const frame = await bench.webviewFrame('input[type=range]');
    await frame.locator('canvas').first().waitFor({ timeout: 20000 });
    await sleep(1500);
    const before = await canvasPixels(frame);
    const slider = frame.locator('input[type=range]').first();
    const label = await slider.evaluate((el) => (el.labels && el.labels[0] ? el.labels[0].textContent : el.getAttribute('aria-label')) || '');
    assert.ok(label.trim().length > 0, 'the slider has no label');
    await slider.evaluate((el) => {
      const min = Number(el.min);
      const max = Number(el.max);
      el.value = String(min + (max - min) * (Number(el.value) > (min + max) / 2 ? 0.2 : 0.8));
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await poll(async () => (await canvasPixels(frame)) !== before, { timeout: 20000, what: `the ${sim.title} plot to change` });
    await sleep(500);
    await bench.screenshot(sim.shot);
  },
}));
