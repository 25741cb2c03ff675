// The `ml-notes` executable (src/cliLoader.ts) runs the CLI bundle with V8's code cache: the same output and
// exit code with and without the cache, a cache file after the first run, none with --no-cache.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCli } from './buildCli';

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
});
