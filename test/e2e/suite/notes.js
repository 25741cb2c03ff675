// Lines the tests want shown in the runner's output (timings, versions); the suite's index.js writes
// them into its result file because the extension host's console is not visible to the runner.
'use strict';
const collected = [];

function note(line) {
  collected.push(String(line));
  console.log(`[ml-notes e2e] ${line}`);
}

function takeNotes() {
  return collected.splice(0, collected.length);
}

module.exports = { note, takeNotes };
