// The host's guards that need no editor: settings clamped into their bounds, webview messages checked
// against their protocol before any handler runs, and imported files read only when the rules allow.
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_GAIN_RANGE, NUMBER_SETTINGS, RESTRICTED_SETTINGS, clampGainRange, clampSetting } from '../../../src/core/editor/settings';
import { derivationMessage, simulationMessage, summaryMessage } from '../../../src/vscode/webviewMessages';
import { decodeText, fileStamp, readFileSafely, readFileSafelySync, realRoots } from '../../../src/node/files';
import pkg from '../../../package.json';

describe('settings that cost time or memory are clamped', () => {
  it('numbers land in their bounds and anything else gives the default', () => {
    expect(clampSetting('analysis.timeBudgetMs', 10 ** 9)).toBe(10_000);
    expect(clampSetting('analysis.timeBudgetMs', 1)).toBe(50);
    expect(clampSetting('analysis.timeBudgetMs', Number.NaN)).toBe(500);
    expect(clampSetting('analysis.timeBudgetMs', '9999999')).toBe(500);
    expect(clampSetting('imports.maxFileKb', -5)).toBe(1);
    expect(clampSetting('analysis.debounceMs', Infinity)).toBe(150);
  });

  it('the gain range keeps 0 < low < high within [1e-6, 1e6]', () => {
    expect(clampGainRange([0.5, 2])).toEqual([0.5, 2]);
    expect(clampGainRange([1e-30, 1e30])).toEqual([1e-6, 1e6]);
    expect(clampGainRange([2, 1])).toEqual(DEFAULT_GAIN_RANGE);
    expect(clampGainRange([0, 10])).toEqual(DEFAULT_GAIN_RANGE);
    expect(clampGainRange('0.1,10')).toEqual(DEFAULT_GAIN_RANGE);
  });

  it('package.json declares the same bounds and restricts the costly settings in untrusted workspaces', () => {
    const properties = pkg.contributes.configuration.properties as Record<string, { minimum?: number; maximum?: number; default?: unknown }>;
    for (const [key, bounds] of Object.entries(NUMBER_SETTINGS)) {
      expect(properties[`mlNotes.${key}`], key).toMatchObject({ minimum: bounds.min, maximum: bounds.max, default: bounds.default });
    }
    expect(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.sort()).toEqual(RESTRICTED_SETTINGS.map((k) => `mlNotes.${k}`).sort());
  });
});

describe('webview messages are validated before they are acted on', () => {
  it('insertSnippet names a topic and an index, never code', () => {
    expect(derivationMessage({ type: 'insertSnippet', topicId: 'kaiming-init', index: 0 })).toEqual({ type: 'insertSnippet', topicId: 'kaiming-init', index: 0 });
    expect(derivationMessage({ type: 'insertSnippet', topicId: 'kaiming-init', title: 'x', code: 'import os; os.system("rm -rf ~")' })).toBeUndefined();
    expect(derivationMessage({ type: 'insertSnippet', topicId: 'kaiming-init', index: -1 })).toBeUndefined();
  });

  it('substitutions carry finite numbers only, and not too many', () => {
    expect(derivationMessage({ type: 'substitute', topicId: 't', values: { n: 3 } })).toEqual({ type: 'substitute', topicId: 't', values: { n: 3 } });
    expect(derivationMessage({ type: 'substitute', topicId: 't', values: { n: Number.NaN } })).toBeUndefined();
    expect(derivationMessage({ type: 'substitute', topicId: 't', values: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`v${i}`, i])) })).toBeUndefined();
  });

  it('unknown types and malformed messages are refused', () => {
    for (const raw of [null, 'ready', 42, [], { type: 'runShell', command: 'rm' }, { type: '__proto__' }, { type: 'toString' }, { type: 'log', level: 'debug', message: 'x' }]) {
      expect(derivationMessage(raw)).toBeUndefined();
      expect(simulationMessage(raw)).toBeUndefined();
      expect(summaryMessage(raw)).toBeUndefined();
    }
    expect(summaryMessage({ type: 'revealLine', file: '/w/a.py', line: 3 })).toEqual({ type: 'revealLine', file: '/w/a.py', line: 3 });
    expect(summaryMessage({ type: 'revealLine', file: '/w/a.py', line: 1.5 })).toBeUndefined();
    expect(simulationMessage({ type: 'ready' })).toEqual({ type: 'ready' });
  });
});

describe('imported files are read only when the rules allow', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-notes-imports-'));
  const inside = join(dir, 'ws');
  mkdirSync(inside);
  writeFileSync(join(inside, 'blocks.py'), 'class Block:\n    pass\n');
  writeFileSync(join(inside, 'big.py'), `# ${'x'.repeat(2 * 1024 * 1024)}\n`);
  writeFileSync(join(dir, 'outside.py'), 'x = 1\n');
  symlinkSync(join(dir, 'outside.py'), join(inside, 'leaving.py'));
  symlinkSync('/dev/zero', join(inside, 'device.py'));
  execFileSync('mkfifo', [join(inside, 'fifo.py')]);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const policy = { roots: [inside], maxBytes: 1024 * 1024 };

  it.each([
    ['blocks.py', undefined],
    ['big.py', 'larger than 1024 KB'],
    ['leaving.py', 'outside the allowed folders'],
    ['device.py', 'outside the allowed folders'],
    ['fifo.py', 'not a regular file'],
    ['missing.py', 'ENOENT'],
  ])('%s: %s', async (name, refusal) => {
    const sync = readFileSafelySync(join(inside, name), policy);
    const async = await readFileSafely(join(inside, name), policy);
    const stamp = await fileStamp(join(inside, name), policy, await realRoots(policy.roots));
    expect(sync.ok ? undefined : sync.reason).toBe(refusal);
    expect(async.ok ? undefined : async.reason).toBe(refusal);
    expect('reason' in stamp ? stamp.reason : undefined).toBe(refusal);
  });

  it('binary and non-UTF-8 text is refused', () => {
    expect(decodeText(new Uint8Array([120, 0, 10]))).toEqual({ ok: false, reason: 'a binary file (it contains NUL bytes)' });
    expect(decodeText(new Uint8Array([0xff, 0xfe, 0x41]))).toEqual({ ok: false, reason: 'not UTF-8 text' });
    expect(decodeText(new TextEncoder().encode('π = 3.14\n'))).toEqual({ ok: true, text: 'π = 3.14\n' });
  });
});
