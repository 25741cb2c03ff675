// The host's side of the analysis worker (src/worker/client.ts) driving the real worker process: a newer request
// for a document stops the running one between steps, the models' part of the view arrives before the checks
// finish, imports are followed transitively in one call, and requests fail cleanly when the worker exits.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeWithImports, type AnalyzeOutcome, type AnalyzeRequest, type ImportedText } from '../../../src/worker/client';
import type { EditorView } from '../../../src/core/editor/view';
import { DEFAULT_TORCH_VERSION } from '../../../src/core/frameworks/torch/version';
import { largeModelFile } from '../../../scripts/bench/fixture';
import { workerClients } from './bundledWorker';

const root = join(__dirname, '../../..');
const { newClient } = workerClients();

/** Large enough that no analysis here stops on its budget (the answers are compared, not timed). */
const BUDGET_MS = 120_000;

function request(path: string, text: string, extra: Partial<AnalyzeRequest> = {}): AnalyzeRequest {
  return { type: 'analyze', path, text, files: new Map(), user: {}, budgetMs: BUDGET_MS, mode: 'full', disabledChecks: [], varianceGainRange: [0.1, 10], torchVersion: DEFAULT_TORCH_VERSION, ...extra };
}

/** The model file of the bench, then training code the checks have findings on (their test fixtures). */
const text = [largeModelFile(root, 1200), ...['cc01-pos.py', 'cc06-pos.py', 'cc24-pos.py'].map((f) => readFileSync(join(root, 'test/unit/checks/fixtures', f), 'utf8'))].join('\n');
const path = join(root, 'examples', 'bench_worker.py');

/** A layer width changed in the middle of the file. */
function edited(source: string): string {
  const lines = source.split('\n');
  const at = lines.findIndex((l, i) => i > lines.length / 2 && /nn\.Linear\(\w+, \d+\)/.test(l));
  expect(at).toBeGreaterThan(0);
  lines[at] = lines[at]!.replace(/\d+/, (d) => String(Number(d) + 8));
  return lines.join('\n');
}

/** What the editor shows of a result (its time and the request its hovers are asked of left out). */
function shown(outcome: AnalyzeOutcome): Omit<EditorView, 'elapsedMs' | 'hovers'> {
  expect(outcome.kind).toBe('result');
  const { elapsedMs: _elapsed, hovers: _hovers, ...rest } = (outcome as Extract<AnalyzeOutcome, { kind: 'result' }>).analysis;
  return rest;
}

/** A fresh worker's answer to a text. */
async function freshAnswer(source: string, extra: Partial<AnalyzeRequest> = {}): Promise<AnalyzeOutcome> {
  const client = newClient();
  const outcome = await client.analyze(path, request(path, source, extra));
  client.dispose();
  return outcome;
}

describe('the analysis worker client', () => {
  it('stops a running analysis when a newer request for the document arrives; the newer answer equals a fresh analysis', async () => {
    const client = newClient();
    // The worker is up and idle, so the first request below is posted at once (running, not queued).
    expect((await client.analyze('/warm.py', request('/warm.py', 'x = 1\n'))).kind).toBe('result');
    const newer = edited(text);
    const stale = client.analyze(path, request(path, text));
    const started = Date.now();
    const latest = client.analyze(path, request(path, newer));
    const staleOutcome = await stale;
    const stoppedAfterMs = Date.now() - started;
    expect(staleOutcome.kind).toBe('superseded');
    const latestOutcome = await latest;
    expect(shown(latestOutcome)).toEqual(shown(await freshAnswer(newer)));
    console.log(`stale analysis stopped ${stoppedAfterMs} ms after the newer request; the newer answered in ${latestOutcome.kind === 'result' ? latestOutcome.ms : '-'} ms`);
  }, 300_000);

  it('sends the models’ part of the view before the checks finish; it equals the final view but for the findings', async () => {
    const client = newClient();
    const events: string[] = [];
    const partials: EditorView[] = [];
    const outcome = await client.analyze(path, request(path, text, { partialView: true }), (partial) => {
      events.push('partial');
      partials.push(partial);
    });
    events.push('final');
    expect(events).toEqual(['partial', 'final']);
    const final = shown(outcome);
    const fresh = shown(await freshAnswer(text));
    // The final view assembled from the partial one and the checks' part is the one-message answer.
    expect(final).toEqual(fresh);
    expect(fresh.findings.length).toBeGreaterThan(0);
    const { elapsedMs: _elapsed, findings, requestedFiles: _requested, hovers, ...modelPart } = partials[0]!;
    // The final view's hovers are asked of the same analysis as the models' part.
    expect(hovers).toEqual((outcome as Extract<AnalyzeOutcome, { kind: 'result' }>).analysis.hovers);
    expect(hovers.analysis).toEqual(expect.any(Number));
    const { findings: _findings, requestedFiles: _requestedFinal, ...finalModelPart } = final;
    expect(findings).toEqual([]);
    expect(modelPart.hints.length).toBeGreaterThan(0);
    expect(modelPart).toEqual(finalModelPart);
  }, 300_000);

  it('rebuilds each view from the change the worker posts: over edits, partial views, and a close and reopen, every answer equals a fresh one', async () => {
    const client = newClient();
    const small = largeModelFile(root, 400);
    const lines = small.split('\n');
    const widths = lines.flatMap((l, i) => (/nn\.(Linear|Conv2d)\(\w+, \d+/.test(l) ? [i] : []));
    expect(widths.length).toBeGreaterThanOrEqual(4);
    const versions: string[] = [small];
    for (const at of widths.slice(0, 4)) {
      const copy = versions[versions.length - 1]!.split('\n');
      copy[at] = copy[at]!.replace(/\d+\)/, (d) => `${Number(d.slice(0, -1)) + 8})`);
      versions.push(copy.join('\n'));
    }
    for (const [k, version] of versions.entries()) {
      // Every other edit answers in one message; the rest post the models' part (a change too) before the checks.
      const outcome = await client.analyze(path, request(path, version, { partialView: k % 2 === 1 }));
      expect(shown(outcome)).toEqual(shown(await freshAnswer(version)));
      if (k === 2) client.close(path);
    }
  }, 300_000);

  it('sends the visible models’ part first, as the whole analysis gives it, then every model’s, then the answer', async () => {
    const client = newClient();
    const lines = text.split('\n');
    const first = lines.findIndex((l) => l.startsWith('class '));
    const visibleLines = [{ start: first, end: first + 20 }];
    const events: string[] = [];
    let visible: EditorView | undefined;
    const outcome = await client.analyze(path, request(path, text, { partialView: true, visibleLines }), (partial, scope) => {
      events.push(scope);
      if (scope === 'visible') visible = partial;
    });
    events.push('final');
    expect(events).toEqual(['visible', 'models', 'final']);
    const final = shown(outcome);
    // The answer does not depend on what was visible.
    expect(final).toEqual(shown(await freshAnswer(text)));
    const classes = visible!.models.map((m) => m.className);
    expect(classes).toContain(/^class (\w+)/.exec(lines[first]!)![1]);
    expect(classes.length).toBeLessThan(final.models.length);
    const ranges = visible!.models.map((m) => m.classRange);
    const inside = (line: number): boolean => ranges.some((r) => line >= r.start.line && line <= r.end.line);
    const byClass = (models: readonly EditorView['models'][number][]) => models.filter((m) => classes.includes(m.className)).sort((a, b) => a.className.localeCompare(b.className));
    expect(byClass(visible!.models)).toEqual(byClass(final.models));
    const hintsInside = (view: Pick<EditorView, 'hints'>) => view.hints.filter((h) => inside(h.position.line));
    expect(hintsInside(visible!).length).toBeGreaterThan(0);
    expect(hintsInside(visible!)).toEqual(hintsInside(final));
    // Its hovers are asked of the visible part's analysis (test/unit/editor/visibleModels.test.ts: hoverInShown).
    expect(visible!.hovers).toEqual({ visible: expect.any(Number) });
  }, 300_000);

  it('follows a chain of imports (a -> b -> c) in one analysis', async () => {
    const client = newClient();
    const files: Record<string, string> = {
      '/chain/b.py': 'import torch.nn as nn\nfrom c import WIDTH\n\n\nclass Head(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(WIDTH, 3)\n\n    def forward(self, x):\n        return self.fc(x)\n',
      '/chain/c.py': 'WIDTH = 7\n',
    };
    const main = 'import torch.nn as nn\nfrom b import Head\n\n\nclass Model(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.head = Head()\n\n    def forward(self, x):\n        return self.head(x)\n';
    const readRounds: string[][] = [];
    const read = async (paths: readonly string[]): Promise<string[]> => {
      const found = paths.filter((p) => files[p] !== undefined);
      readRounds.push(found);
      return found;
    };
    const analyzeWith = (imports: ReadonlySet<string>): Promise<AnalyzeOutcome> =>
      client.analyze('/chain/a.py', request('/chain/a.py', main, { files: new Map<string, ImportedText>([...imports].map((p) => [p, { text: files[p]!, token: 'v1' }])) }));
    const outcome = await analyzeWithImports(analyzeWith, new Set(), read, { rounds: 8, files: 200 });
    expect(readRounds).toEqual([['/chain/b.py'], ['/chain/c.py']]);
    const model = shown(outcome).models.find((m) => m.className === 'Model');
    // Linear(7, 3): 7·3 weights + 3 biases, known only once c.py is read.
    expect(model?.params).toBe(7 * 3 + 3);
    // One re-request (what the host did before), in a worker that has seen none of the files: b.py only, WIDTH unknown.
    const another = newClient();
    const oneLevel = await analyzeWithImports(
      (imports) => another.analyze('/chain/a.py', request('/chain/a.py', main, { files: new Map<string, ImportedText>([...imports].map((p) => [p, { text: files[p]!, token: 'v1' }])) })),
      new Set(),
      read,
      { rounds: 1, files: 200 },
    );
    expect(readRounds.slice(2)).toEqual([['/chain/b.py']]);
    expect(shown(oneLevel).models.find((m) => m.className === 'Model')?.params).not.toBe(7 * 3 + 3);
  }, 120_000);

  it('does not ask again for imports it cannot read', async () => {
    const client = newClient();
    let analyses = 0;
    let reads = 0;
    const outcome = await analyzeWithImports(
      (imports) => {
        analyses++;
        return client.analyze('/missing/a.py', request('/missing/a.py', 'from nowhere import Block\n\nblock = Block()\n', { files: new Map([...imports].map((p) => [p, { text: '', token: 'v1' }])) }));
      },
      new Set(),
      async () => {
        reads++;
        return [];
      },
      { rounds: 8, files: 200 },
    );
    expect(outcome.kind).toBe('result');
    expect([analyses, reads]).toEqual([1, 1]);
  }, 60_000);

  it('answers a running request "crashed" when the worker dies, and the next request gets a new worker', async () => {
    const client = newClient();
    expect((await client.analyze('/warm.py', request('/warm.py', 'x = 1\n'))).kind).toBe('result');
    const firstPid = client.pid;
    const running = client.analyze(path, request(path, text));
    const queued = client.analyze('/other.py', request('/other.py', 'import torch.nn as nn\nlayer = nn.Linear(4, 2)\n'));
    process.kill(firstPid!, 'SIGKILL');
    const outcome = await running;
    expect(outcome.kind).toBe('crashed');
    expect((await queued).kind).toBe('result');
    expect(client.pid).not.toBe(firstPid);
  }, 120_000);

  it('starts the worker with its heap limit (a file that exhausts memory ends that process only), its semi-space and its tier-up', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'ml-notes-flags-worker-'));
    const reporting = join(folder, 'worker.js');
    // A worker that prints the flags it was started with and exits: the crash message carries its last stderr line.
    writeFileSync(reporting, "process.stderr.write('flags ' + process.execArgv.join(' ') + '\\n');\nprocess.exit(3);\n");
    try {
      const outcome = await newClient(reporting).analyze('/a.py', request('/a.py', 'x = 1\n'));
      expect(outcome.kind).toBe('crashed');
      // Four times V8's default interrupt budget of 67,584: 270,336 (node exits with "bad option" on a flag it lacks).
      expect(JSON.stringify(outcome)).toContain('flags --max-old-space-size=640 --max-semi-space-size=32 --interrupt-budget=270336');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);

  it('fails waiting requests when the worker exits before it is ready, instead of restarting it in a loop', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'ml-notes-broken-worker-'));
    const broken = join(folder, 'worker.js');
    writeFileSync(broken, 'process.exit(3);\n');
    try {
      const client = newClient(broken);
      const outcomes = await Promise.all([client.analyze('/a.py', request('/a.py', 'x = 1\n')), client.analyze('/b.py', request('/b.py', 'y = 2\n'))]);
      expect(outcomes.map((o) => o.kind)).toEqual(['crashed', 'crashed']);
      expect(client.starts).toBe(1);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
