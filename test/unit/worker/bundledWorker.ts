// The analysis worker bundled from the current sources, as esbuild.config.mjs builds dist/analysisWorker.js, for
// tests that drive it through the host's client (src/worker/client.ts) exactly as the extension does.
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Bundles the worker into a temporary folder; `remove` deletes it. */
export function bundledWorker(): { readonly path: string; readonly remove: () => void } {
  const folder = mkdtempSync(join(tmpdir(), 'ml-notes-worker-'));
  const path = join(folder, 'analysisWorker.js');
  buildSync({ entryPoints: [join(REPO_ROOT, 'src/worker/analysisWorker.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: path, logLevel: 'silent' });
  return { path, remove: () => rmSync(folder, { recursive: true, force: true }) };
}
