// VS Code conventions of the manifest (issue 12): every setting has a scope, every user-facing string of
// package.json comes from package.nls.json, the runtime strings' bundle (l10n/) is what `npm run l10n`
// exports from the code, the walkthrough's media exist, and the capabilities are declared.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = join(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  l10n: string;
  capabilities: { untrustedWorkspaces: { supported: boolean | string }; virtualWorkspaces: { supported: boolean | string; description?: string } };
  contributes: {
    configuration: { properties: Record<string, { scope?: string }> };
    walkthroughs: { steps: { media: { markdown?: string; image?: string }; completionEvents: string[]; description: string }[] }[];
    commands: { command: string }[];
  };
};
const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;

describe('the manifest', () => {
  it('gives every setting a scope', () => {
    const unscoped = Object.entries(manifest.contributes.configuration.properties).filter(([, p]) => !p.scope).map(([k]) => k);
    expect(unscoped).toEqual([]);
  });

  it('takes every %key% from package.nls.json, and package.nls.json holds no unused key', () => {
    const text = readFileSync(join(root, 'package.json'), 'utf8');
    const used = new Set([...text.matchAll(/"%([\w.]+)%"/g)].map((m) => m[1]!));
    expect([...used].filter((k) => !(k in nls))).toEqual([]);
    expect(Object.keys(nls).filter((k) => !used.has(k))).toEqual([]);
    expect(used.size).toBeGreaterThan(30);
  });

  it('declares the workspace capabilities (the extension never runs the code it reads)', () => {
    // Limited only by the settings that cost time or memory, which an untrusted workspace cannot raise.
    expect(manifest.capabilities.untrustedWorkspaces.supported).toBe('limited');
    expect(manifest.capabilities.virtualWorkspaces.supported).toBe('limited');
    expect(manifest.capabilities.virtualWorkspaces.description).toMatch(/^%/);
  });

  it('has a walkthrough whose steps have media that exist and complete on a command', () => {
    const steps = manifest.contributes.walkthroughs[0]!.steps;
    expect(steps.length).toBe(6);
    for (const step of steps) {
      expect(existsSync(join(root, step.media.markdown ?? step.media.image ?? 'missing'))).toBe(true);
      expect(step.completionEvents.every((e) => e.startsWith('onCommand:'))).toBe(true);
    }
  });

  it('ships the runtime strings bundle that `npm run l10n` exports from the code', () => {
    const out = mkdtempSync(join(tmpdir(), 'ml-notes-l10n-'));
    try {
      const run = spawnSync(process.execPath, [join(root, 'node_modules/@vscode/l10n-dev/dist/cli.js'), 'export', '--outDir', out, join(root, 'src')], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const exported = JSON.parse(readFileSync(join(out, 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
      const shipped = JSON.parse(readFileSync(join(root, manifest.l10n, 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
      expect(shipped).toEqual(exported);
      expect(Object.keys(shipped).length).toBeGreaterThan(40);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
