// Entry point of the extension-host test suite, loaded by VS Code through extensionTestsPath (code-server
// in CI via test/e2e/exthost.js, desktop VS Code via test/e2e/electron/run.mjs or the "Extension Tests"
// launch config). Runs every *.test.js in this folder with mocha (tdd ui) and, when ML_NOTES_E2E_RESULT
// is set, writes a JSON summary there, because the extension host's console is not visible to the runner.
'use strict';
const fs = require('fs');
const path = require('path');
const Mocha = require('mocha');
const { takeNotes } = require('./notes');

// foundation.test.js runs first: it checks that opening a Python file is what activates the extension,
// which only holds before any other suite has activated it.
const FIRST = 'foundation.test.js';

function testFiles() {
  return fs.readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort((a, b) => Number(b === FIRST) - Number(a === FIRST) || a.localeCompare(b))
    .map((name) => path.join(__dirname, name));
}

module.exports.run = function run() {
  const mocha = new Mocha({ ui: 'tdd', timeout: 60000, color: false });
  for (const file of testFiles()) mocha.addFile(file);
  const tests = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const resultPath = process.env.ML_NOTES_E2E_RESULT;
      if (resultPath) {
        const summary = { failures, tests, notes: takeNotes(), vscodeVersion: require('vscode').version };
        fs.writeFileSync(resultPath, JSON.stringify(summary, null, 1));
      }
      if (failures > 0) reject(new Error(`${failures} extension-host tests failed`));
      else resolve();
    });
    runner.on('pass', (test) => tests.push({ title: test.fullTitle(), state: 'passed', ms: test.duration }));
    runner.on('fail', (test, error) => tests.push({ title: test.fullTitle(), state: 'failed', error: String(error && error.stack || error).split('\n').slice(0, 6).join('\n') }));
  });
};
