// `ml-notes check` on several worker threads (src/cli/parallelCheck.ts) answers exactly as on one: the same
// rows in file order, the same skipped-file messages in place, the same exit code; the findings the rule
// fixtures mark (`# expect: CC-NN`) are all there.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT as root, buildCli } from './buildCli';
import { FILES_PER_WORKER, WORKER_YOUNG_GENERATION_MB, largestFirst, parallelChecker } from '../../../src/cli/parallelCheck';
const fixtures = join(root, 'test/unit/checks/fixtures');

describe('check on several threads', () => {
  it('gives the output of one thread, in file order, with and without the parse cache', () => {
    const dist = buildCli();
    const project = mkdtempSync(join(tmpdir(), 'ml-notes-project-'));
    const positives = readdirSync(fixtures).filter((f) => /^cc0[1-8]-pos\.py$/.test(f));
    for (const f of positives) copyFileSync(join(fixtures, f), join(project, f));
    copyFileSync(join(root, 'test/unit/notebook/fixtures/training.ipynb'), join(project, 'training.ipynb'));
    // A file found in the folder and refused (binary) is skipped with a message, in its place.
    writeFileSync(join(project, 'cc04-zz-binary.py'), Buffer.from([0, 1, 2, 3, 0, 255]));
    const env = { ...process.env, XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'ml-notes-xdg-')) };
    const run = (...args: string[]) => spawnSync('node', [join(dist, 'cli.js'), 'check', '.', '--json', ...args], { cwd: project, encoding: 'utf8', env });
    const one = run('--jobs', '1');
    const expected = positives.flatMap((f) =>
      readFileSync(join(project, f), 'utf8')
        .split('\n')
        .flatMap((text, i) => [...text.matchAll(/# expect: (CC-\d\d)/g)].map((m) => `${f}:${i + 1}:${m[1]}`)),
    );
    expect(expected.length).toBeGreaterThan(10);
    const rows = (JSON.parse(one.stdout) as { findings: { file: string; line: number; rule: string }[] }).findings;
    expect(rows.map((r) => `${r.file}:${r.line}:${r.rule}`)).toEqual(expect.arrayContaining(expected));
    expect(rows.some((r) => r.file === 'training.ipynb')).toBe(true);
    expect(one.stderr).toContain('skipped cc04-zz-binary.py');
    for (const args of [['--jobs', '3'], ['--jobs', '2', '--no-cache']]) {
      const many = run(...args);
      expect({ stdout: many.stdout, stderr: many.stderr, status: many.status }).toEqual({ stdout: one.stdout, stderr: one.stderr, status: one.status });
    }
  }, 240_000);

  it('hands the longest files to the workers first, files of one length in their order', () => {
    const job = (path: string, length: number) => ({ path, text: 'x'.repeat(length) });
    expect(largestFirst([job('a', 10), job('b', 300), job('c', 10), job('d', 40)])).toEqual([1, 3, 0, 2]);
    expect(largestFirst([])).toEqual([]);
  });

  it('runs its workers with the larger young generation and hands them the longest files first', async () => {
    // A stand-in bundle: each answer says the worker's own resource limits and the order the job came in.
    const folder = mkdtempSync(join(tmpdir(), 'ml-notes-limits-worker-'));
    const bundle = join(folder, 'cli-main.js');
    writeFileSync(
      bundle,
      "const { parentPort, resourceLimits } = require('node:worker_threads');\nlet seq = 0;\nparentPort.on('message', (m) => parentPort.postMessage({ index: m.index, outcome: { findings: [], problems: [{ rule: String(seq++), message: String(resourceLimits.maxYoungGenerationSizeMb) }], skippedImports: [] } }));\n",
    );
    try {
      const jobs = [10, 300, 10, 40].map((length, i) => ({ path: `/ws/f${i}.py`, text: 'x'.repeat(length) }));
      const outcomes = await parallelChecker(bundle, folder)(jobs, { disabled: [], budgetMs: 1000 }, 1, { parseCache: true, keptAnswers: true });
      // A worker thread's default young generation is 48 MB (measured: a worker started without the limit reports
      // 48); the workers get WORKER_YOUNG_GENERATION_MB.
      expect(WORKER_YOUNG_GENERATION_MB).toBeGreaterThan(48);
      expect(outcomes.map((o) => o.problems[0]?.message)).toEqual(Array(4).fill(String(WORKER_YOUNG_GENERATION_MB)));
      // One worker takes them one at a time: 300, then 40, then the two of 10 in their order.
      expect(outcomes.map((o) => o.problems[0]?.rule)).toEqual(['2', '0', '3', '1']);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);

  it('gives a worker its next file while it checks one, and the files a stopped worker had not started to another', async () => {
    // A stand-in bundle that answers a file when the next one has come (or after 2 s without one), saying which; a
    // file whose text starts with "crash" ends its thread.
    const folder = mkdtempSync(join(tmpdir(), 'ml-notes-held-worker-'));
    const bundle = join(folder, 'cli-main.js');
    writeFileSync(
      bundle,
      [
        "const { parentPort } = require('node:worker_threads');",
        'const waiting = [];',
        "const answer = (m, held) => parentPort.postMessage({ index: m.index, outcome: { findings: [], problems: [{ rule: 'test', message: held ? 'held the next file' : 'alone' }], skippedImports: [] } });",
        "parentPort.on('message', (m) => {",
        '  if (m.stop) return parentPort.close();',
        "  if (m.job.text.startsWith('crash')) process.exit(3);",
        '  const before = waiting.shift();',
        '  if (before) { clearTimeout(before.timer); answer(before.m, true); }',
        '  const entry = { m, timer: setTimeout(() => { waiting.splice(waiting.indexOf(entry), 1); answer(m, false); }, 2000) };',
        '  waiting.push(entry);',
        '});',
        '',
      ].join('\n'),
    );
    try {
      const jobs = ['crash'.padEnd(300, 'x'), 'x'.repeat(200), 'x'.repeat(100), 'x'.repeat(50)].map((text, i) => ({ path: `/ws/f${i}.py`, text }));
      const outcomes = await parallelChecker(bundle, folder)(jobs, { disabled: [], budgetMs: 1000 }, 1, { parseCache: true, keptAnswers: true });
      expect(FILES_PER_WORKER).toBe(2);
      // The first worker held the crashing file and the next; only the one it was checking is lost, the other goes
      // to a fresh worker, which is given the file after it before it answers; the last file comes alone.
      expect(outcomes.map((o) => o.problems[0]?.message)).toEqual(["the check's worker thread stopped: exit code 3", 'held the next file', 'held the next file', 'alone']);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);

  it('records what each file read only when the run keeps answers', async () => {
    // The real bundle's workers: with kept answers each outcome carries its read set (the result cache keeps it);
    // without (--no-result-cache, --no-cache) nothing is recorded or posted, and the findings are the same.
    const dist = buildCli();
    const project = mkdtempSync(join(tmpdir(), 'ml-notes-project-'));
    writeFileSync(join(project, 'blocks.py'), 'import torch.nn as nn\n\ndef head(n):\n    return nn.Linear(n, 2)\n');
    const train = readFileSync(join(fixtures, 'cc01-pos.py'), 'utf8');
    const jobs = [
      { path: join(project, 'train.py'), text: train },
      { path: join(project, 'model.py'), text: 'from blocks import head\nmodel = head(4)\n' },
    ];
    const saved = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = mkdtempSync(join(tmpdir(), 'ml-notes-xdg-'));
    try {
      const check = parallelChecker(join(dist, 'cli-main.js'), project);
      const options = { disabled: [], budgetMs: 60_000 };
      const kept = await check(jobs, options, 2, { parseCache: true, keptAnswers: true });
      const dropped = await check(jobs, options, 2, { parseCache: true, keptAnswers: false });
      expect(kept.map((o) => o.reads !== undefined)).toEqual([true, true]);
      // model.py read blocks.py.
      expect(kept[1]!.reads!.length).toBeGreaterThan(0);
      expect(dropped.map((o) => o.reads)).toEqual([undefined, undefined]);
      expect(dropped).toEqual(kept.map(({ reads: _, ...answer }) => answer));
      expect(kept[0]!.findings.some((f) => f.rule === 'CC-01')).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved;
    }
  }, 120_000);

  it('refuses a --jobs that is not a count of threads', () => {
    const dist = buildCli();
    for (const bad of ['0', '17', 'many']) {
      const result = spawnSync('node', [join(dist, 'cli-main.js'), 'check', '.', '--jobs', bad], { encoding: 'utf8' });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('--jobs needs a whole number');
    }
  }, 60_000);
});
