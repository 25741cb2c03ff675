// The CLI's persistent parse cache (issue 16): a second run reads the stored ASTs and answers exactly what
// a run that parses everything answers; `--no-cache` neither reads nor writes it; a damaged cache file is
// parsed afresh.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main';
import { nodeIo } from '../../../src/cli/nodeIo';
import { diskParseCache, userCacheDir } from '../../../src/node/parseCache';
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
    for (const f of readdirSync(join(dir, 'parse'))) writeFileSync(join(dir, 'parse', f), '{"body": [');
    expect(cache.get(text)).toBeUndefined();
  });

  it('lives in $XDG_CACHE_HOME, else the platform cache folder', () => {
    expect(userCacheDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux')).toBe('/x/cache/ml-notes');
    expect(userCacheDir({}, 'linux')).toMatch(/\.cache\/ml-notes$/);
    expect(userCacheDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32')).toContain('ml-notes');
  });
});
