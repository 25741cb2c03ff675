// The analysis worker bundled from the current sources, as esbuild.config.mjs builds dist/analysisWorker.js, for
// tests that drive it through the host's client (src/worker/client.ts) exactly as the extension does.
import { buildSync } from 'esbuild';
import { afterAll } from 'vitest';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnalysisWorkerClient } from '../../../src/worker/client';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Bundles the worker into a temporary folder; `remove` deletes it. */
export function bundledWorker(): { readonly path: string; readonly remove: () => void } {
  const folder = mkdtempSync(join(tmpdir(), 'ml-notes-worker-'));
  const path = join(folder, 'analysisWorker.js');
  buildSync({ entryPoints: [join(REPO_ROOT, 'src/worker/analysisWorker.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: path, logLevel: 'silent' });
  return { path, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

/**
 * The worker as the extension starts it: the loader (src/worker/analysisWorkerLoader.ts) as analysisWorker.js and
 * the bundle beside it as analysisWorker-main.js, as esbuild.config.mjs builds them; `remove` deletes the folder.
 */
export function bundledWorkerWithLoader(): { readonly path: string; readonly remove: () => void } {
  const worker = bundledWorker();
  const folder = dirname(worker.path);
  renameSync(worker.path, join(folder, 'analysisWorker-main.js'));
  buildSync({ entryPoints: [join(REPO_ROOT, 'src/worker/analysisWorkerLoader.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: worker.path, logLevel: 'silent' });
  return worker;
}

/**
 * The bundled worker and a maker of host clients for it (another worker file may be given); the clients are
 * disposed and the bundle removed after the test file.
 */
export function workerClients(): { readonly newClient: (workerPath?: string) => AnalysisWorkerClient } {
  const worker = bundledWorker();
  const clients: AnalysisWorkerClient[] = [];
  afterAll(() => {
    for (const client of clients) client.dispose();
    worker.remove();
  });
  const newClient = (workerPath = worker.path): AnalysisWorkerClient => {
    const client = new AnalysisWorkerClient({ workerPath });
    clients.push(client);
    return client;
  };
  return { newClient };
}
