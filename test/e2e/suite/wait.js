// What the extension-host suites share: waiting for the editor to catch up, and the activated extension's API.
'use strict';
const vscode = require('vscode');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every 100 ms until it returns something truthy, or fails naming `what`. */
async function waitFor(probe, what, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** The extension's API (activating it if needed). */
async function api() {
  return vscode.extensions.getExtension('ml-notes.ml-notes').activate();
}

module.exports = { api, sleep, waitFor };
