// The CLI's persistent parse cache (issue 16): a second run reads the stored ASTs and answers exactly what
// a run that parses everything answers; `--no-cache` neither reads nor writes it; a damaged cache file is
// parsed afresh.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main';
import { nodeIo } from '../../../src/cli/nodeIo';
import { userCacheDir } from '../../../src/node/cacheFolders';
import { diskParseCache, storedParseName } from '../../../src/node/parseCache';
import { parseModule } from '../../../src/core/python/parse';

const root = join(__dirname, '../../..');
const resnet = join(root, 'test/oracle/corpus/torchvision/models/resnet.py');
const summary = ['summary', resnet, '--model', 'resnet18()', '--input', '1,3,224,224', '--json'];

describe('CLI parse cache', () => {
  it('stores the parses of a summary and gives the same answer from them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-notes-cache-'));
    const io = { ...nodeIo(root), parseCache: diskParseCache(dir) };
    const fresh = await runCli([...summary, '--no-cache'], io);
    expect(fresh.code).toBe(0);
    // --no-cache wrote nothing.
    expect(() => readdirSync(join(dir, 'parse'))).toThrow();
    const first = await runCli(summary, io);
    const stored = readdirSync(join(dir, 'parse'));
    expect(stored.length).toBeGreaterThan(0);
    const second = await runCli(summary, io);
    expect(first).toEqual(fresh);
    expect(second).toEqual(fresh);
    // ResNet-18 as PyTorch counts it (torchvision's documented 11,689,512 parameters).
    expect((JSON.parse(second.stdout) as { params: number }).params).toBe(11_689_512);
  });

  it('parses afresh when a stored file is damaged, and keys by the bundle too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-notes-cache-'));
    const text = `import torch.nn as nn\n${'x = nn.Linear(3, 4)\n'.repeat(200)}`;
    const cache = diskParseCache(dir, 'bundle-a');
    expect(cache.get(text)).toBeUndefined();
    cache.set(text, parseModule(text));
    expect(cache.get(text)).toEqual(parseModule(text));
    expect(diskParseCache(dir, 'bundle-b').get(text)).toBeUndefined();
    for (const folder of readdirSync(join(dir, 'parse'))) for (const f of readdirSync(join(dir, 'parse', folder))) writeFileSync(join(dir, 'parse', folder, f), '{"body": [');
    expect(cache.get(text)).toBeUndefined();
  });

  it('keeps short texts too, and a stored file of another text under the same name is a miss', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-notes-cache-'));
    const cache = diskParseCache(dir, 'bundle-a');
    // One line: a CLI run whose parses are all stored never starts the parser.
    const short = '__ml_notes_model__ = resnet50()\n';
    cache.set(short, parseModule(short));
    expect(cache.get(short)).toEqual(parseModule(short));
    // As if two texts' digests collided: the file named for one holds the other's parse.
    const other = 'x = 1\n';
    cache.set(other, parseModule(other));
    const [folder] = readdirSync(join(dir, 'parse'));
    const named = (text: string): string => join(dir, 'parse', folder!, storedParseName(text));
    writeFileSync(named(short), readFileSync(named(other), 'utf8'));
    expect(cache.get(short)).toBeUndefined();
    expect(cache.get(other)).toEqual(parseModule(other));
  });

  it('names a long text by 1,024 of its characters, evenly spaced: versions differing between them share the file, each read right', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-notes-cache-'));
    const cache = diskParseCache(dir, 'bundle-a');
    // 8,192 characters: every 8th is in the name, so the character at index 2 (`2` -> `5`) is not.
    const version = (digit: string): string => `x=${digit}${'1'.repeat(8_184)}\ny=1\n`;
    const [first, second] = [version('2'), version('5')];
    expect(first).toHaveLength(8_192);
    expect(storedParseName(first)).toBe(storedParseName(second));
    cache.set(first, parseModule(first));
    expect(cache.get(first)).toEqual(parseModule(first));
    expect(cache.get(second)).toBeUndefined();
    cache.set(second, parseModule(second));
    expect(cache.get(second)).toEqual(parseModule(second));
    expect(cache.get(first)).toBeUndefined();
    // A character the name does read (index 8) gives another file.
    expect(storedParseName(`${first.slice(0, 8)}7${first.slice(9)}`)).not.toBe(storedParseName(first));
  });

  it("prunes other bundles' stale parses and caps its own folder when it writes", () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-notes-cache-'));
    const source = (k: number): string => `import torch.nn as nn\n${`x${k} = nn.Linear(3, 4)\n`.repeat(200)}`;
    // An old bundle's folder and a file of the layout before per-bundle folders, both two hours old.
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    const oldBundle = diskParseCache(dir, 'bundle-old');
    oldBundle.set(source(0), parseModule(source(0)));
    writeFileSync(join(dir, 'parse', 'flat-layout.json'), '{}');
    for (const name of readdirSync(join(dir, 'parse'))) utimesSync(join(dir, 'parse', name), twoHoursAgo, twoHoursAgo);
    // Another bundle's first write removes them; its own folder, written a minute ago, may be another
    // installed version in use: the next bundle keeps it.
    diskParseCache(dir, 'bundle-recent').set(source(1), parseModule(source(1)));
    expect(readdirSync(join(dir, 'parse'))).toHaveLength(1);
    expect(oldBundle.get(source(0))).toBeUndefined();
    // The current bundle keeps at most 4 parses, checked at the first write of each run.
    const firstRun = diskParseCache(dir, 'bundle-new', 4);
    for (let k = 2; k < 8; k++) firstRun.set(source(k), parseModule(source(k)));
    const folders = readdirSync(join(dir, 'parse'));
    expect(folders).toHaveLength(2);
    expect(diskParseCache(dir, 'bundle-recent').get(source(1))).toEqual(parseModule(source(1)));
    // Sources 2-5 written longest ago: the next run's first write trims the 6 files to the newest 2, then adds one.
    const own = folders.find((f) => readdirSync(join(dir, 'parse', f)).length === 6)!;
    const fileOf = (k: number): string => join(dir, 'parse', own, storedParseName(source(k)));
    for (let k = 2; k < 8; k++) {
      const when = new Date(Date.now() - (10 - k) * 60_000);
      utimesSync(fileOf(k), when, when);
    }
    mkdirSync(join(dir, 'parse'), { recursive: true });
    const nextRun = diskParseCache(dir, 'bundle-new', 4);
    nextRun.set(source(8), parseModule(source(8)));
    expect(readdirSync(join(dir, 'parse', own))).toHaveLength(3);
    expect([2, 3, 4, 5, 6, 7, 8].map((k) => nextRun.get(source(k)) !== undefined)).toEqual([false, false, false, false, true, true, true]);
  });

  it('lives in $XDG_CACHE_HOME, else the platform cache folder', () => {
    expect(userCacheDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux')).toBe('/x/cache/ml-notes');
    expect(userCacheDir({}, 'linux')).toMatch(/\.cache\/ml-notes$/);
    expect(userCacheDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32')).toContain('ml-notes');
  });
});
