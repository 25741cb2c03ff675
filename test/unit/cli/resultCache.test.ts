// The CLI's result cache (src/node/resultCache.ts): a kept `summary` or `check` answer is written byte for byte as
// the fresh run wrote it (the oracle here is the same command run with --no-result-cache), without loading the
// analysis bundle; anything it read that changes (an imported file edited, a file created where an import was
// looked for and not found), another option, another build or a damaged entry gives a fresh answer; and `check`
// checks again only the files whose inputs changed.
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main';
import { nodeIo } from '../../../src/cli/nodeIo';
import { isFileCheckOutcome, type CliIo } from '../../../src/cli/types';
import { diskFileAnswers } from '../../../src/node/resultCache';
import { buildCli } from './buildCli';

const NET = `import torch
from torch import nn
from blocks import WIDTH


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(WIDTH, 4)

    def forward(self, x):
        return self.fc(x)


layer = nn.Linear(10, 5)
y = layer(torch.randn(2, WIDTH))
`;

/** A project: sub/net.py imports WIDTH from blocks.py one folder up (the import looks in sub/ first). */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ml-notes-results-'));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'blocks.py'), 'WIDTH = 7\n');
  writeFileSync(join(dir, 'sub', 'net.py'), NET);
  writeFileSync(join(dir, 'sub', 'clean.py'), 'import torch\nfrom torch import nn\n\nlayer = nn.Linear(3, 2)\ny = layer(torch.randn(4, 3))\n');
  return dir;
}

interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  /** Whether the process read the analysis bundle (dist/cli-main.js). */
  readonly loadedBundle: boolean;
  /** Whether the process loaded node:worker_threads. */
  readonly loadedWorkerThreads: boolean;
  /** Whether the process loaded node:net (process.stdout on a pipe does). */
  readonly loadedNet: boolean;
}

/** Notes every file the process reads through fs.readFileSync (the loader reads the bundle so). */
const SPY = `const fs = require('node:fs');
const read = fs.readFileSync;
const seen = [];
fs.readFileSync = function (path, ...rest) { seen.push(String(path)); return read.call(this, path, ...rest); };
// Node's own modules loaded, as a line of their own (a kept answer needs no worker threads).
process.on('exit', () => fs.appendFileSync(process.env.ML_NOTES_TEST_SPY, [...seen, ...process.moduleLoadList.map((m) => 'module ' + m)].join('\\n') + '\\n'));
`;

function cli(dist: string, cache: string): (args: readonly string[], cwd: string) => Run {
  const spy = join(dist, 'spy.cjs');
  writeFileSync(spy, SPY);
  return (args, cwd) => {
    const seen = join(mkdtempSync(join(tmpdir(), 'ml-notes-spy-')), 'reads.txt');
    writeFileSync(seen, '');
    const r = spawnSync('node', ['-r', spy, join(dist, 'cli.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cache, ML_NOTES_TEST_SPY: seen } });
    const lines = readFileSync(seen, 'utf8').split('\n');
    return { stdout: r.stdout, stderr: r.stderr, code: r.status, loadedBundle: lines.includes(join(dist, 'cli-main.js')), loadedWorkerThreads: lines.includes('module NativeModule worker_threads'), loadedNet: lines.includes('module NativeModule net') };
  };
}

const answer = (r: Run): Omit<Run, 'loadedBundle' | 'loadedWorkerThreads' | 'loadedNet'> => ({ stdout: r.stdout, stderr: r.stderr, code: r.code });

describe('result cache', () => {
  const dist = buildCli();

  it('answers a kept summary and check byte for byte as the fresh run did, without loading the analysis', () => {
    const dir = project();
    const run = cli(dist, mkdtempSync(join(tmpdir(), 'ml-notes-xdg-')));
    const commands = [
      ['summary', 'sub/net.py', '--model', 'Net()', '--input', '2,7'],
      ['summary', 'sub/net.py', '--model', 'Net()', '--input', '2,7', '--json'],
      // On two threads (one per file), so the fresh runs load node:worker_threads: the spy sees it.
      ['check', 'sub', '--jobs', '2'],
      ['check', 'sub', '--format', 'json', '--jobs', '2'],
      ['check', 'sub', '--format', 'sarif', '--jobs', '2'],
    ];
    for (const args of commands) {
      const fresh = run([...args, '--no-result-cache'], dir);
      const first = run(args, dir);
      const kept = run(args, dir);
      expect(fresh.loadedBundle && first.loadedBundle).toBe(true);
      expect(kept.loadedBundle).toBe(false);
      // A summary's analysis runs without worker threads (src/cli/parallelCheck.ts loads them for a check's).
      expect(fresh.loadedWorkerThreads).toBe(args[0] === 'check');
      expect(kept.loadedWorkerThreads).toBe(false);
      // The answer goes to the pipe spawnSync reads by its descriptor (src/node/output.ts), without node:net.
      expect(kept.loadedNet).toBe(false);
      expect(answer(first)).toEqual(answer(fresh));
      expect(answer(kept)).toEqual(answer(fresh));
      // The shape error on line 16 (a 2x7 input to Linear(10, 5)) makes every one exit 1.
      expect(fresh.code).toBe(1);
    }
    // 7·4 + 4 parameters, from the file as the fresh run read it.
    expect(JSON.parse(run(commands[1]!, dir).stdout).params).toBe(32);
    expect(run(commands[3]!, dir).stdout).toContain('(2x7 and 10x5)');
  }, 120_000);

  it('answers afresh when an imported file changes, a file shadows a probed import, an option or the build changes', () => {
    const dir = project();
    const cache = mkdtempSync(join(tmpdir(), 'ml-notes-xdg-'));
    const run = cli(dist, cache);
    const summary = ['summary', 'sub/net.py', '--model', 'Net()', '--input', '2,7', '--json'];
    const check = ['check', 'sub', '--format', 'json'];
    const expectFresh = (args: string[]): Run => {
      const fresh = run([...args, '--no-result-cache'], dir);
      const answered = run(args, dir);
      expect(answered.loadedBundle).toBe(true);
      expect(answer(answered)).toEqual(answer(fresh));
      expect(run(args, dir).loadedBundle).toBe(false);
      return answered;
    };
    const before = [expectFresh(summary), expectFresh(check)];
    // An imported file edited: WIDTH 7 → 10 moves the shape error from line 16 into the model.
    writeFileSync(join(dir, 'blocks.py'), 'WIDTH = 10\n');
    const edited = [expectFresh(summary), expectFresh(check)];
    expect(edited.map((r) => r.stdout)).not.toEqual(before.map((r) => r.stdout));
    expect(edited[1]!.stdout).not.toContain('(2x7 and 10x5)');
    // A blocks.py created in sub/, where the import looks first (it did not exist): WIDTH is 7 again.
    writeFileSync(join(dir, 'sub', 'blocks.py'), 'WIDTH = 7\n');
    const shadowed = [expectFresh(summary), expectFresh(check)];
    expect(shadowed.map((r) => r.stdout)).toEqual(before.map((r) => r.stdout));
    // Another option.
    expect(JSON.parse(expectFresh([...check.slice(0, -2), '--format', 'sarif']).stdout).version).toBe('2.1.0');
    expect(expectFresh([...check, '--disable', 'shape']).code).toBe(0);
    // Another build: the same sources with one more byte in the bundle.
    const other = buildCli();
    appendFileSync(join(other, 'cli-main.js'), '\n');
    const otherRun = cli(other, cache);
    const rebuilt = otherRun(summary, dir);
    expect(rebuilt.loadedBundle).toBe(true);
    expect(answer(rebuilt)).toEqual(answer(shadowed[0]!));
    expect(otherRun(summary, dir).loadedBundle).toBe(false);
  }, 180_000);

  it('takes a damaged, truncated or foreign entry or an unusable cache folder as a miss, never a wrong answer', () => {
    const dir = project();
    const cache = mkdtempSync(join(tmpdir(), 'ml-notes-xdg-'));
    const run = cli(dist, cache);
    const args = ['check', 'sub', '--format', 'json'];
    const fresh = answer(run([...args, '--no-result-cache'], dir));
    run(args, dir);
    const folder = join(cache, 'ml-notes', 'results', readdirSync(join(cache, 'ml-notes', 'results')).find((name) => name !== 'builds')!);
    const entries = readdirSync(folder).map((name) => join(folder, name));
    const damages: ((text: string) => string)[] = [
      (text) => text.slice(0, Math.floor(text.length / 2)),
      (text) => text.replace('"v":1', '"v":0'),
      (text) => text.replace(/"stdout":"/, '"stdout":"x').replace(/"findings":\[/, '"findings":[{"rule":"CC-01"},'),
      (text) => text.replace(/"(read|realpath|stat)","([^"]+)","/, '"$1","$2","~'),
      () => '\u0000not json',
    ];
    for (const damage of damages) {
      for (const entry of entries) writeFileSync(entry, damage(readFileSync(entry, 'utf8')));
      const again = run(args, dir);
      expect(again.loadedBundle).toBe(true);
      expect(answer(again)).toEqual(fresh);
    }
    // A cache folder that is a file, and one that cannot be written.
    const notAFolder = join(dir, 'cache-file');
    writeFileSync(notAFolder, 'x');
    expect(answer(cli(dist, notAFolder)(args, dir))).toEqual(fresh);
    const readOnly = mkdtempSync(join(tmpdir(), 'ml-notes-xdg-'));
    chmodSync(readOnly, 0o500);
    expect(answer(cli(dist, readOnly)(args, dir))).toEqual(fresh);
    rmSync(readOnly, { recursive: true, force: true });
  }, 120_000);

  it('checks again only the files whose text or reads changed', async () => {
    const dir = project();
    writeFileSync(join(dir, 'sub', 'other.py'), 'import torch\nfrom torch import nn\n\nz = nn.Conv2d(3, 8, 3)(torch.randn(1, 4, 8, 8))\n');
    // A second importer of blocks.py, checked after net.py: the run reads blocks.py once, and both answers depend on it.
    writeFileSync(join(dir, 'sub', 'wide.py'), 'import torch\nfrom torch import nn\nfrom blocks import WIDTH\n\nh = nn.Linear(WIDTH, 3)(torch.randn(2, 7))\n');
    const cache = mkdtempSync(join(tmpdir(), 'ml-notes-xdg-'));
    const build = [join(dist, 'cli-main.js'), join(dist, 'cli.js')];
    const checked: string[] = [];
    const runCheck = async (args: string[]): Promise<{ stdout: string; stderr: string; code: number }> => {
      const io = nodeIo(dir);
      const answers = diskFileAnswers(cache, build, dir, process.env, isFileCheckOutcome);
      const withCache: CliIo = {
        ...io,
        // Every file checked is kept: noting what is kept notes what was checked.
        fileResults: { get: (file) => answers.get(file), set: (file, outcome, reads) => (checked.push(file.path.slice(dir.length + 1)), answers.set(file, outcome, reads)) },
      };
      return runCli(['check', 'sub', ...args], withCache);
    };
    const fresh = async (): Promise<unknown> => runCheck(['--json', '--no-result-cache']);
    const first = await runCheck(['--json']);
    expect(checked.sort()).toEqual(['sub/clean.py', 'sub/net.py', 'sub/other.py', 'sub/wide.py']);
    checked.length = 0;
    expect(await runCheck(['--json'])).toEqual(first);
    expect(checked).toEqual([]);
    // One file's text.
    appendFileSync(join(dir, 'sub', 'clean.py'), '# edited\n');
    checked.length = 0;
    const afterEdit = await runCheck(['--json']);
    expect(checked).toEqual(['sub/clean.py']);
    checked.length = 0;
    expect(afterEdit).toEqual(await fresh());
    // A file net.py and wide.py import.
    writeFileSync(join(dir, 'blocks.py'), 'WIDTH = 10\n');
    checked.length = 0;
    const afterImport = await runCheck(['--json']);
    expect(checked).toEqual(['sub/net.py', 'sub/wide.py']);
    expect(afterImport).toEqual(await fresh());
    expect(afterImport.stdout).not.toEqual(first.stdout);
    // Other options keep their own answers.
    checked.length = 0;
    await runCheck(['--json', '--disable', 'shape']);
    expect(checked.sort()).toEqual(['sub/clean.py', 'sub/net.py', 'sub/other.py', 'sub/wide.py']);
  }, 120_000);
});
