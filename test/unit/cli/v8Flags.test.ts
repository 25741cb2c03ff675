import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { commandV8Flags } from '../../../src/node/v8Flags';

describe('the V8 flags a CLI command sets for itself', () => {
  it('turns inlining off and TurboFan later for check only', () => {
    expect(commandV8Flags(['check', 'model.py'])).toEqual(['--no-turbo-inlining', '--interrupt-budget=1081344']);
    expect(commandV8Flags(['summary', 'model.py'])).toEqual([]);
    expect(commandV8Flags(['constructor'])).toEqual([]);
    expect(commandV8Flags([])).toEqual([]);
  });

  it('names flags this node accepts (node exits with "bad option" on a misspelt one)', () => {
    const flags = commandV8Flags(['check']);
    const run = spawnSync(process.execPath, [...flags, '-e', '0'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const misspelt = spawnSync(process.execPath, ['--no-turbo-inlinin', '-e', '0'], { encoding: 'utf8' });
    expect(misspelt.status).not.toBe(0);
  });

});
