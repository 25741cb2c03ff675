// The editor's worker process starts from its loader (src/worker/analysisWorkerLoader.ts), which runs the worker's
// bundle with V8's code cache (src/node/codeCache.ts): the answers are the bundle's own, the cache is stored once
// the worker has been idle after a request, a worker started with it takes it (V8 accepts it, so nothing is stored
// again), and ML_NOTES_NO_CODE_CACHE runs without one.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AnalysisWorkerClient, type AnalyzeOutcome, type AnalyzeRequest } from '../../../src/worker/client';
import { CODE_CACHE_IDLE_MS, isOtherBuildsCache } from '../../../src/node/codeCache';
import { DEFAULT_TORCH_VERSION } from '../../../src/core/frameworks/torch/version';
import { bundledWorker, bundledWorkerWithLoader } from './bundledWorker';

const MODEL = `import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(10, 4)

    def forward(self, x):
        return self.fc(x)
`;

function request(): AnalyzeRequest {
  return { type: 'analyze', path: '/work/net.py', text: MODEL, files: new Map(), user: {}, budgetMs: 120_000, mode: 'full', disabledChecks: [], varianceGainRange: [0.1, 10], torchVersion: DEFAULT_TORCH_VERSION };
}

/** The models of an answer: name and parameter count. */
function models(outcome: AnalyzeOutcome): { readonly className: string | undefined; readonly params: number | undefined }[] {
  expect(outcome.kind).toBe('result');
  return (outcome as Extract<AnalyzeOutcome, { kind: 'result' }>).analysis.models.map((m) => ({ className: m.className, params: m.params }));
}

const loader = bundledWorkerWithLoader();
const bundle = bundledWorker();
const clients: AnalysisWorkerClient[] = [];
const cacheFolders: string[] = [];
afterAll(() => {
  for (const client of clients) client.dispose();
  loader.remove();
  bundle.remove();
  for (const folder of cacheFolders) rmSync(folder, { recursive: true, force: true });
});

/** A user cache folder of this test's own (XDG_CACHE_HOME), removed after the file. */
function cacheHome(): string {
  const folder = mkdtempSync(join(tmpdir(), 'ml-notes-xdg-'));
  cacheFolders.push(folder);
  return folder;
}

/** A worker started (it forks on its first request) with this environment, and its first answer. */
async function startedWorker(workerPath: string, env: Record<string, string | undefined>): Promise<{ client: AnalysisWorkerClient; first: AnalyzeOutcome }> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  try {
    const client = new AnalysisWorkerClient({ workerPath });
    clients.push(client);
    return { client, first: await client.analyze('/work/net.py', request()) };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const idle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, CODE_CACHE_IDLE_MS + 1500));
const caches = (xdg: string): string[] => {
  try {
    return readdirSync(join(xdg, 'ml-notes', 'v8'));
  } catch {
    return [];
  }
};

describe("the editor worker's code cache", () => {
  it('answers as the bundle does, stores its cache when idle, and a later worker takes it without storing again', async () => {
    const xdg = cacheHome();
    const direct = await startedWorker(bundle.path, {});
    // nn.Linear(10, 4): 10 x 4 weights + 4 biases = 44 parameters.
    expect(models(direct.first)).toEqual([{ className: 'Net', params: 44 }]);

    const first = await startedWorker(loader.path, { XDG_CACHE_HOME: xdg, ML_NOTES_NO_CODE_CACHE: undefined });
    expect(models(first.first)).toEqual(models(direct.first));
    expect(caches(xdg)).toEqual([]);
    await idle();
    const stored = caches(xdg);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/^analysisWorker-main-v\d+\.\d+\.\d+-[\d.]+.*-editor\.bin$/);
    const written = statSync(join(xdg, 'ml-notes', 'v8', stored[0]!)).mtimeMs;

    const second = await startedWorker(loader.path, { XDG_CACHE_HOME: xdg, ML_NOTES_NO_CODE_CACHE: undefined });
    expect(models(second.first)).toEqual(models(direct.first));
    await idle();
    // V8 accepted the cache: the worker had nothing to store.
    expect(caches(xdg)).toEqual(stored);
    expect(statSync(join(xdg, 'ml-notes', 'v8', stored[0]!)).mtimeMs).toBe(written);
  }, 60_000);

  it('runs without a cache under ML_NOTES_NO_CODE_CACHE', async () => {
    const xdg = cacheHome();
    const worker = await startedWorker(loader.path, { XDG_CACHE_HOME: xdg, ML_NOTES_NO_CODE_CACHE: '1' });
    expect(models(worker.first)).toEqual([{ className: 'Net', params: 44 }]);
    await idle();
    expect(caches(xdg)).toEqual([]);
  }, 60_000);

  it("tells another build's caches from this build's", () => {
    const prefix = 'analysisWorker-main-v20.1.0-11.3.244.8-node.38-2431106-1796634481771-';
    expect(isOtherBuildsCache(`${prefix}editor.bin`, 'analysisWorker-main', prefix)).toBe(false);
    expect(isOtherBuildsCache(`${prefix}editor.bin.123456.tmp`, 'analysisWorker-main', prefix)).toBe(true);
    expect(isOtherBuildsCache('analysisWorker-main-v20.1.0-11.3.244.8-node.38-2431000-1796634481771-editor.bin', 'analysisWorker-main', prefix)).toBe(true);
    // The CLI's caches in the same folder are not the worker's to remove.
    expect(isOtherBuildsCache('cli-main-v20.1.0-11.3.244.8-node.38-1-2-summary.bin', 'analysisWorker-main', prefix)).toBe(false);
    expect(isOtherBuildsCache('notes.txt', 'analysisWorker-main', prefix)).toBe(false);
  });
});
