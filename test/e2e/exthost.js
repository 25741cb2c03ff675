// Runs the mocha suite (test/e2e/suite/index.js) inside code-server's extension host, the way
// @vscode/test-electron would in desktop VS Code. The workbench honours the URL "payload"
// (extensionDevelopmentPath + extensionTestsPath) because code-server runs with
// --vscode-option enable-smoke-test-driver; when the suite ends it calls window.codeAutomationExit(code).
//
// Usage: node test/e2e/exthost.js BASE_URL WORKSPACE_DIR EXTENSION_DIR TESTS_INDEX RESULT_JSON [SCREENSHOT]
// Prints one line per test from RESULT_JSON (written by the suite) and `RESULT passed=N failed=M`.
'use strict';
const fs = require('fs');
const { launchBrowser, elapsedLog } = require('./ui/lib');

const SUITE_TIMEOUT_MS = Number(process.env.ML_NOTES_EXTHOST_TIMEOUT_MS || 240000);

function remoteUri(base, absolutePath) {
  return `vscode-remote://${new URL(base).host}${absolutePath}`;
}

function readResults(resultPath) {
  try {
    return JSON.parse(fs.readFileSync(resultPath, 'utf8'));
  } catch {
    return null;
  }
}

function printResults(results) {
  for (const test of results.tests) {
    const mark = test.state === 'passed' ? 'ok  ' : 'FAIL';
    console.log(`  ${mark} ${test.title}${test.ms !== undefined ? ` (${test.ms} ms)` : ''}`);
    if (test.error) console.log(`       ${test.error.split('\n').join('\n       ')}`);
  }
  for (const line of results.notes ?? []) console.log(`  note: ${line}`);
}

async function main() {
  const [base, workspace, extensionDir, testsIndex, resultPath, screenshot] = process.argv.slice(2);
  const log = elapsedLog();
  fs.rmSync(resultPath, { force: true });
  const { page, close } = await launchBrowser();
  let exitCode = 1;
  try {
    let finish;
    const exited = new Promise((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationLog', () => undefined);
    await page.exposeFunction('codeAutomationExit', (code) => finish(code));
    const payload = [
      ['extensionDevelopmentPath', remoteUri(base, extensionDir)],
      ['extensionTestsPath', remoteUri(base, testsIndex)],
    ];
    const url = `${base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    log('open workbench with the test payload');
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60000 });
    const timedOut = new Promise((resolve) => setTimeout(() => resolve('TIMEOUT'), SUITE_TIMEOUT_MS));
    const code = await Promise.race([exited, timedOut]);
    log(`extension host finished: ${code}`);
    if (screenshot) await page.screenshot({ path: screenshot }).catch(() => undefined);
    const results = readResults(resultPath);
    if (!results) {
      console.log(`RESULT passed=0 failed=1`);
      console.log(`  FAIL no results written by the suite (exit ${code})`);
      return;
    }
    printResults(results);
    const passed = results.tests.filter((t) => t.state === 'passed').length;
    // A suite that crashed before running tests still counts as one failure.
    const failed = results.tests.length - passed + (code === 0 || results.tests.length - passed > 0 ? 0 : 1);
    console.log(`RESULT passed=${passed} failed=${failed}`);
    exitCode = failed === 0 && code === 0 ? 0 : 1;
  } finally {
    await close();
    process.exit(exitCode);
  }
}

main().catch((error) => {
  console.error(error);
  console.log('RESULT passed=0 failed=1');
  process.exit(1);
});
