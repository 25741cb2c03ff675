// The CLI finds the site-packages of the environment a model file runs in: an active virtual environment, a
// .venv beside the code, then the system's folders (only those that exist).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { environmentSitePackages } from '../../../src/cli/environment';

const root = mkdtempSync(join(tmpdir(), 'ml-notes-env-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function venv(prefix: string): string {
  const site = join(prefix, 'lib', 'python3.11', 'site-packages');
  mkdirSync(site, { recursive: true });
  writeFileSync(join(prefix, 'pyvenv.cfg'), 'home = /usr/bin\n');
  return site;
}

describe('environmentSitePackages', () => {
  const project = join(root, 'project');
  const code = join(project, 'src', 'models');
  mkdirSync(code, { recursive: true });
  const local = venv(join(project, '.venv'));
  const active = venv(join(root, 'active-env'));

  it('lists the active environment first, then a .venv above the code', () => {
    const found = environmentSitePackages(code, { VIRTUAL_ENV: join(root, 'active-env') });
    expect(found.indexOf(active)).toBe(0);
    expect(found).toContain(local);
    expect(found.indexOf(local)).toBeGreaterThan(0);
  });

  it('lists only folders that exist', () => {
    const found = environmentSitePackages(code, {});
    expect(found).toContain(local);
    expect(found).not.toContain(active);
    expect(found.every((f) => f.length > 0)).toBe(true);
    expect(found.some((f) => f.includes(join('lib', 'python3.11', 'dist-packages')) && f.startsWith(project))).toBe(false);
  });
});
