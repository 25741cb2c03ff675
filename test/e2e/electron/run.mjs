// The same extension-host mocha suite (test/e2e/suite) in desktop VS Code via @vscode/test-electron
// (npm run test:electron). CI uses code-server instead (test/e2e/run.sh) because no VS Code desktop
// build can be downloaded there. Set VSCODE_EXECUTABLE to a local VS Code binary to skip the download.
import { runTests } from '@vscode/test-electron';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const executable = process.env.VSCODE_EXECUTABLE;
const userData = mkdtempSync(join(tmpdir(), 'ml-notes-electron-'));

if (!executable) {
  console.log('VSCODE_EXECUTABLE is not set: @vscode/test-electron will download VS Code (needs network access).');
}

try {
  await runTests({
    ...(executable ? { vscodeExecutablePath: executable } : { timeout: 30000 }),
    extensionDevelopmentPath: repo,
    extensionTestsPath: join(repo, 'test/e2e/suite/index.js'),
    extensionTestsEnv: process.env.ML_NOTES_E2E_RESULT ? { ML_NOTES_E2E_RESULT: process.env.ML_NOTES_E2E_RESULT } : {},
    launchArgs: [join(repo, 'examples'), '--disable-extensions', '--disable-workspace-trust', '--skip-welcome',
      '--skip-release-notes', `--user-data-dir=${userData}`],
  });
  console.log('extension-host tests passed in desktop VS Code');
} catch (error) {
  const message = String(error && error.message ? error.message : error);
  console.error(`test:electron failed: ${message}`);
  if (!executable) {
    console.error('This machine could not get VS Code. Point VSCODE_EXECUTABLE at an installed VS Code binary, e.g.');
    console.error('  VSCODE_EXECUTABLE=/usr/share/code/code npm run test:electron');
    process.exitCode = 2;
  } else {
    process.exitCode = 1;
  }
} finally {
  rmSync(userData, { recursive: true, force: true });
}
