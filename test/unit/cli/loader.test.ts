// The `ml-notes` executable (src/cliLoader.ts) runs the CLI bundle with V8's code cache: the same output and
// exit code with and without the cache, a cache file after the first run, none with --no-cache.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSync } from 'esbuild';
import { REPO_ROOT, buildCli } from './buildCli';

describe('CLI loader with a code cache', () => {
  it('answers as the bundle alone does, caching compiled code between runs', () => {
    const dist = buildCli();
    const cache = mkdtempSync(join(tmpdir(), 'ml-notes-xdg-'));
    const env = { ...process.env, XDG_CACHE_HOME: cache };
    const args = ['calc', 'conv-out', 'in=224', 'kernel=7', 'stride=2', 'padding=3', '--json'];
    const direct = execFileSync('node', [join(dist, 'cli-main.js'), ...args], { encoding: 'utf8', env });
    const uncached = execFileSync('node', [join(dist, 'cli.js'), ...args, '--no-cache'], { encoding: 'utf8', env });
    expect(existsSync(join(cache, 'ml-notes', 'v8'))).toBe(false);
    const first = execFileSync('node', [join(dist, 'cli.js'), ...args], { encoding: 'utf8', env });
    expect(readdirSync(join(cache, 'ml-notes', 'v8')).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
    const second = execFileSync('node', [join(dist, 'cli.js'), ...args], { encoding: 'utf8', env });
    // The hand-worked output size: ⌊(224 + 6 − 6 − 1)/2⌋ + 1 = 112.
    expect(JSON.parse(direct).result).toBe(112);
    expect([uncached, first, second]).toEqual([direct, direct, direct]);
    const bad = spawnSync('node', [join(dist, 'cli.js'), 'no-such-command'], { encoding: 'utf8', env });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown command');
  }, 60_000);

  it("keeps one cache per command: another command's run neither uses nor replaces it", () => {
    const dist = buildCli();
    const cache = mkdtempSync(join(tmpdir(), 'ml-notes-xdg-'));
    const env = { ...process.env, XDG_CACHE_HOME: cache };
    const v8 = join(cache, 'ml-notes', 'v8');
    const calc = (): string => execFileSync('node', [join(dist, 'cli.js'), 'calc', 'conv-out', 'in=8', 'kernel=3', '--json'], { encoding: 'utf8', env });
    const first = calc();
    const [calcCache] = readdirSync(v8);
    expect(calcCache).toMatch(/-calc\.bin$/);
    const written = statSync(join(v8, calcCache!)).mtimeMs;
    execFileSync('node', [join(dist, 'cli.js'), '--help'], { encoding: 'utf8', env });
    execFileSync('node', [join(dist, 'cli.js'), 'notes', '--json'], { encoding: 'utf8', env });
    expect(readdirSync(v8).sort()).toEqual([expect.stringMatching(/-calc\.bin$/), expect.stringMatching(/-notes\.bin$/), expect.stringMatching(/-other\.bin$/)]);
    // ⌊(8 − 3)/1⌋ + 1 = 6, from the calc cache, which an accepted run does not write again.
    expect(JSON.parse(calc()).result).toBe(6);
    expect(calc()).toBe(first);
    expect(statSync(join(v8, calcCache!)).mtimeMs).toBe(written);
  }, 60_000);

  it('is a loader only: none of the analysis, its libraries or node:crypto is in it (they would run uncached)', () => {
    const built = buildSync({ entryPoints: [join(REPO_ROOT, 'src/cliLoader.ts')], bundle: true, platform: 'node', format: 'cjs', write: false, metafile: true, logLevel: 'silent', outfile: 'cli.js' });
    const inputs = Object.keys(built.metafile.inputs);
    expect(inputs).toContain('src/cliLoader.ts');
    expect(inputs.filter((input) => !/^src\/(cliLoader\.ts|node\/[^/]+\.ts|core\/textDigest\.ts)$/.test(input))).toEqual([]);
    expect(built.outputFiles[0]!.text).not.toMatch(/require\("node:crypto"\)/);
  });

  it("removes other bundles' code caches untouched for over an hour when it writes its own", () => {
    const dist = buildCli();
    const cache = mkdtempSync(join(tmpdir(), 'ml-notes-xdg-'));
    const v8 = join(cache, 'ml-notes', 'v8');
    mkdirSync(v8, { recursive: true });
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    for (const old of ['cli-main-v18.0.0-1-2.bin', 'cli-main-v20.0.0-3-4.bin.123.tmp']) {
      writeFileSync(join(v8, old), 'old');
      utimesSync(join(v8, old), twoHoursAgo, twoHoursAgo);
    }
    // Another bundle written a minute ago may be in use; a file that is not a code cache is not ours to remove.
    writeFileSync(join(v8, 'cli-main-v20.0.0-5-6.bin'), 'recent');
    writeFileSync(join(v8, 'notes.txt'), 'other');
    utimesSync(join(v8, 'notes.txt'), twoHoursAgo, twoHoursAgo);
    execFileSync('node', [join(dist, 'cli.js'), 'calc', 'conv-out', 'in=8', 'kernel=3', '--json'], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cache } });
    const left = readdirSync(v8).sort();
    expect(left.filter((f) => !f.startsWith('cli-main-v20.0.0') && f !== 'notes.txt')).toHaveLength(1);
    expect(left).toContain('cli-main-v20.0.0-5-6.bin');
    expect(left).toContain('notes.txt');
    expect(left).not.toContain('cli-main-v18.0.0-1-2.bin');
    expect(left).not.toContain('cli-main-v20.0.0-3-4.bin.123.tmp');
  }, 60_000);

  it("gives check's worker threads a code cache of their own, written when they end and used by the next run", () => {
    // A worker thread's argv names no command: it took the cache of `ml-notes` without one, which no worker wrote
    // (terminated, a worker never ran the exit hook), so every worker compiled the analysis afresh on every run.
    const dist = buildCli();
    const cache = mkdtempSync(join(tmpdir(), 'ml-notes-xdg-'));
    const project = mkdtempSync(join(tmpdir(), 'ml-notes-project-'));
    for (const name of ['cc01-pos.py', 'cc02-pos.py', 'cc03-pos.py']) copyFileSync(join(REPO_ROOT, 'test/unit/checks/fixtures', name), join(project, name));
    const env = { ...process.env, XDG_CACHE_HOME: cache };
    const check = () => spawnSync('node', [join(dist, 'cli.js'), 'check', '.', '--json', '--jobs', '2'], { cwd: project, encoding: 'utf8', env });
    const first = check();
    const v8 = join(cache, 'ml-notes', 'v8');
    const workerCache = readdirSync(v8).find((f) => f.endsWith('-check-worker.bin'));
    expect(readdirSync(v8).filter((f) => f.endsWith('.bin')).map((f) => f.replace(/^.*-/, '')).sort()).toEqual(['check.bin', 'worker.bin']);
    const mainCache = readdirSync(v8).find((f) => f.endsWith('-check.bin'));
    const written = statSync(join(v8, workerCache!)).mtimeMs;
    const mainWritten = statSync(join(v8, mainCache!)).mtimeMs;
    // The result cache would answer the second run without starting a worker.
    const second = spawnSync('node', [join(dist, 'cli.js'), 'check', '.', '--json', '--jobs', '2', '--no-result-cache'], { cwd: project, encoding: 'utf8', env });
    expect(JSON.parse(first.stdout).findings.length).toBeGreaterThan(2);
    expect({ stdout: second.stdout, status: second.status }).toEqual({ stdout: first.stdout, status: first.status });
    // The workers and the main thread of the second run loaded their caches (a rejected one is written again): check's
    // V8 flags are set before a cache is read (src/node/v8Flags.ts), so it is read under the flags it was made with.
    expect(statSync(join(v8, workerCache!)).mtimeMs).toBe(written);
    expect(statSync(join(v8, mainCache!)).mtimeMs).toBe(mainWritten);
  }, 120_000);
});
