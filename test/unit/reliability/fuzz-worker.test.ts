// The reliability fuzz suite through the analysis worker, driven exactly as the extension host drives it
// (src/worker/client.ts: a child process with a heap limit, a watchdog at twice the budget, the reduced
// mode after a stop): issue 15's reproducers and 5,000 seeded generated cases. Each must answer within
// twice its budget without a crash (plus however late this process's own timers ran and a scheduling slack),
// and the worker's peak memory must stay under 1 GB.
// FUZZ_SEED / FUZZ_CASES explore other cases locally.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { AnalysisWorkerClient, type AnalyzeOutcome, type ImportedText } from '../../../src/worker/client';
import type { AnalysisMode } from '../../../src/core/editor/documentAnalysis';
import { DEFAULT_TORCH_VERSION } from '../../../src/core/frameworks/torch/version';
import { generatedCase, reproducerCases, type FuzzCase } from './fuzzCases';
import { bundledWorker } from '../worker/bundledWorker';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
const CASES = Number(process.env.FUZZ_CASES ?? 5_000);
/** The analysis budget of every request (the extension's default is 500 ms; smaller keeps CI quick). */
const BUDGET_MS = 150;
/** The reproducers include files of 0.2–5 MB, whose copying and line indexing alone take tens of ms: the extension's default. */
const REPRODUCER_BUDGET_MS = 500;
const ONE_GB_KB = 1024 * 1024;

/** The worker process's peak resident memory so far (Linux), in KB. */
function peakKb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * How late this process's own timers ran during a case: on a machine shared with other jobs the watchdog's
 * timer (and the reply's delivery) can run late by that much, through no fault of the analysis.
 */
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
const lagMs = (): number => Math.max(0, lag.max / 1e6 - 10);

const worker = bundledWorker();
const client = new AnalysisWorkerClient({ workerPath: worker.path });
let peakWorkerKb = 0;
const sampler = setInterval(() => (peakWorkerKb = Math.max(peakWorkerKb, peakKb(client.pid))), 50);

afterAll(() => {
  clearInterval(sampler);
  lag.disable();
  client.dispose();
  worker.remove();
});

interface Run {
  readonly name: string;
  readonly mode: AnalysisMode;
  readonly outcome: AnalyzeOutcome;
  /** This process's timer lateness during the run. */
  readonly lagMs: number;
  readonly budgetMs: number;
}

const asFiles = (files: Readonly<Record<string, string>>): Map<string, ImportedText> => new Map(Object.entries(files).map(([p, text]) => [p, { text, token: `${text.length}` }]));

/** Analyses a case as the host does: full first, and after a watchdog stop, the module scope only. */
async function analyzeAsHost(c: FuzzCase, budgetMs = BUDGET_MS): Promise<Run[]> {
  const runs: Run[] = [];
  for (const mode of ['full', 'moduleScope'] as const) {
    lag.reset();
    const outcome = await client.analyze(c.path, { type: 'analyze', path: c.path, text: c.text, files: asFiles(c.files), user: {}, budgetMs, mode, disabledChecks: [], varianceGainRange: [0.1, 10], torchVersion: DEFAULT_TORCH_VERSION });
    runs.push({ name: c.name, mode, outcome, lagMs: lagMs(), budgetMs });
    peakWorkerKb = Math.max(peakWorkerKb, peakKb(client.pid));
    if (outcome.kind !== 'timeout') break;
  }
  return runs;
}

/**
 * Added to twice the budget: a shared machine can keep a process waiting for a core for hundreds of ms, which is
 * not the analysis overrunning. The bound still catches what issue 15 saw (answers after 46 s to over 60 s); the
 * measured slowest answer is printed with the figures, and speed is the bench's business.
 */
const SCHEDULING_SLACK_MS = 1_000;

/** What is wrong with a run: a crash, a failure, an internal error in a model, or an answer past twice the budget. */
function problemsOf(run: Run): string[] {
  const { outcome } = run;
  const label = `${run.name} (${run.mode})`;
  if (outcome.kind === 'crashed' || outcome.kind === 'failed') return [`${label}: ${outcome.kind}: ${outcome.message}`];
  if (outcome.kind === 'superseded') return [`${label}: superseded`];
  const problems: string[] = [];
  if (outcome.ms > 2 * run.budgetMs + run.lagMs + SCHEDULING_SLACK_MS) problems.push(`${label}: answered after ${outcome.ms} ms (budget ${run.budgetMs} ms, timers late by ${Math.round(run.lagMs)} ms)`);
  if (outcome.kind === 'result') {
    for (const m of outcome.analysis.models) if (m.error?.includes('internal error')) problems.push(`${label}: ${m.className}: ${m.error}`);
  }
  return problems;
}

const answered = (runs: readonly Run[]): number => Math.max(0, ...runs.map((r) => (r.outcome.kind === 'superseded' ? 0 : r.outcome.ms)));

describe('the analysis worker as the host drives it', () => {
  it("answers each of issue 15's reproducers within twice its budget, without a crash", async () => {
    const resnet = readFileSync(join(REPO_ROOT, 'examples/resnet.py'), 'utf8');
    const report: Record<string, string> = {};
    const problems: string[] = [];
    for (const c of reproducerCases(resnet)) {
      const runs = await analyzeAsHost(c, REPRODUCER_BUDGET_MS);
      problems.push(...runs.flatMap(problemsOf));
      report[c.name] = runs.map((r) => `${r.mode}: ${r.outcome.kind} in ${r.outcome.kind === 'superseded' ? '-' : r.outcome.ms} ms`).join(', ');
    }
    console.log(`worker reproducers (budget ${REPRODUCER_BUDGET_MS} ms): ${JSON.stringify(report, null, 1)}`);
    expect(problems).toEqual([]);
    // The list-doubling file is answered by the interpreter's size budget, not by the watchdog.
    expect(report['the 3-line list-doubling file']).toMatch(/^full: result/);
  }, 120_000);

  it(`answers ${CASES} generated cases within twice the budget, without a crash, under 1 GB`, async () => {
    const problems: string[] = [];
    let slowest = { name: '', ms: 0 };
    let timeouts = 0;
    const started = performance.now();
    for (let i = 0; i < CASES; i++) {
      const c = generatedCase(SEED, i);
      const runs = await analyzeAsHost(c);
      problems.push(...runs.flatMap(problemsOf));
      timeouts += runs.filter((r) => r.outcome.kind === 'timeout').length;
      const ms = answered(runs);
      if (ms > slowest.ms) slowest = { name: c.name, ms };
      if (problems.length > 20) break;
    }
    const figures = { cases: CASES, seed: SEED, budgetMs: BUDGET_MS, slowest, watchdogStops: timeouts, workerStarts: client.starts, peakWorkerMb: Math.round(peakWorkerKb / 1024), totalS: Math.round((performance.now() - started) / 1000) };
    console.log(`worker fuzz: ${JSON.stringify(figures)}`);
    expect(problems.slice(0, 20)).toEqual([]);
    expect(peakWorkerKb).toBeLessThan(ONE_GB_KB);
  }, 600_000);

  it('sends an imported file to the worker once, and again only when it changes', async () => {
    const big = `# ${'x'.repeat(900_000)}\nclass Block:\n    pass\n`;
    const request = (token: string) => ({ type: 'analyze' as const, path: '/imports/main.py', text: 'from blocks import Block\n', files: new Map([['/imports/blocks.py', { text: big, token }]]), user: {}, budgetMs: BUDGET_MS, mode: 'full' as const, disabledChecks: [], varianceGainRange: [0.1, 10] as [number, number], torchVersion: DEFAULT_TORCH_VERSION });
    const before = client.sentFileChars;
    await client.analyze('/imports/main.py', request('v1'));
    const first = client.sentFileChars - before;
    await client.analyze('/imports/main.py', request('v1'));
    const second = client.sentFileChars - before - first;
    await client.analyze('/imports/main.py', request('v2'));
    const third = client.sentFileChars - before - first - second;
    expect([first, second, third]).toEqual([big.length, 0, big.length]);
  }, 60_000);
});
