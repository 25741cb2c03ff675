// Runs the browser UI cases of every test/e2e/ui/*.ui.js file against one workbench session.
// A case file exports `cases`: [{ name, timeoutMs?, run: async (bench) => { ... } }]; a case fails by
// throwing (use node:assert). Between cases the editors are closed so each case starts clean.
//
// Usage: node test/e2e/ui/run.js BASE_URL WORKSPACE_DIR
// Env: ML_NOTES_SCREENSHOTS (default .e2e/screenshots) where cases save named screenshots;
//      ML_NOTES_E2E_ARTIFACTS (default .e2e) where failure screenshots go; ML_NOTES_UI_FILTER (substrings separated by |).
// Ends with `RESULT passed=N failed=M`; exit code 0 only when nothing failed.
'use strict';
const fs = require('fs');
const path = require('path');
const { Workbench, launchBrowser, elapsedLog } = require('./lib');

const REPO = path.resolve(__dirname, '../../..');
const DEFAULT_CASE_TIMEOUT_MS = 90000;

function loadCases(filter) {
  return fs.readdirSync(__dirname)
    .filter((name) => name.endsWith('.ui.js'))
    .sort()
    .flatMap((file) => require(path.join(__dirname, file)).cases.map((c) => ({ ...c, file })))
    .filter((c) => !filter || filter.split('|').some((part) => `${c.file} ${c.name}`.includes(part)));
}

function withTimeout(promise, ms, name) {
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`case "${name}" timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

function safeName(text) {
  return text.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
}

async function main() {
  const [base, workspace] = process.argv.slice(2);
  const screenshotDir = path.resolve(REPO, process.env.ML_NOTES_SCREENSHOTS || '.e2e/screenshots');
  const artifacts = path.resolve(REPO, process.env.ML_NOTES_E2E_ARTIFACTS || '.e2e');
  fs.mkdirSync(artifacts, { recursive: true });
  const cases = loadCases(process.env.ML_NOTES_UI_FILTER);
  const log = elapsedLog();
  const { page, close } = await launchBrowser();
  // Errors from the workbench and its webview frames, printed with the case that failed.
  const recentErrors = [];
  const remember = (text) => recentErrors.push(text.slice(0, 300)) > 20 && recentErrors.shift();
  page.on('pageerror', (error) => remember(`[pageerror] ${error}`));
  page.on('console', (message) => message.type() === 'error' && remember(`[console.error] ${message.text()}`));
  let passed = 0;
  let failed = 0;
  try {
    const bench = await Workbench.open(page, { base, workspace, screenshotDir, log });
    for (const testCase of cases) {
      const started = Date.now();
      recentErrors.length = 0;
      try {
        await withTimeout(testCase.run(bench), testCase.timeoutMs || DEFAULT_CASE_TIMEOUT_MS, testCase.name);
        passed++;
        console.log(`  ok   ${testCase.file} › ${testCase.name} (${Date.now() - started} ms)`);
      } catch (error) {
        failed++;
        console.log(`  FAIL ${testCase.file} › ${testCase.name} (${Date.now() - started} ms)`);
        console.log(`       ${String(error && error.message).split('\n').slice(0, 8).join('\n       ')}`);
        for (const line of recentErrors) console.log(`       ${line}`);
        const shot = path.join(artifacts, `ui-fail-${safeName(testCase.name)}.png`);
        await page.screenshot({ path: shot }).then(() => console.log(`       screenshot: ${shot}`), () => undefined);
      }
      await bench.reset().catch(() => undefined);
    }
  } catch (error) {
    failed++;
    console.log(`  FAIL workbench did not load: ${String(error && error.message).split('\n')[0]}`);
    await page.screenshot({ path: path.join(artifacts, 'ui-fail-workbench.png') }).catch(() => undefined);
  } finally {
    await close();
  }
  console.log(`RESULT passed=${passed} failed=${failed}`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  console.log('RESULT passed=0 failed=1');
  process.exit(1);
});
