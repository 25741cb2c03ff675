import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { commandV8Flags, tunedV8Flags } from '../../../src/node/v8Flags';

describe('the V8 flags a CLI command sets for itself', () => {
  it('turns inlining off and TurboFan later for check only', () => {
    // Node 20's V8, where they were measured.
    expect(commandV8Flags(['check', 'model.py'], '11.3.244.8-node.38')).toEqual(['--no-turbo-inlining', '--interrupt-budget=1081344']);
    expect(commandV8Flags(['summary', 'model.py'])).toEqual([]);
    expect(commandV8Flags(['constructor'])).toEqual([]);
    expect(commandV8Flags([])).toEqual([]);
  });

  it('sets none on another V8 (Node 24 has no --interrupt-budget: node refuses to start with it)', () => {
    expect(commandV8Flags(['check', 'model.py'], '13.6.233.17-node.34')).toEqual([]);
    expect(commandV8Flags(['check', 'model.py'], '12.4.254.21-node.33')).toEqual([]);
    expect(tunedV8Flags(['--interrupt-budget=270336'], '13.6.233.17-node.34')).toEqual([]);
    expect(tunedV8Flags(['--interrupt-budget=270336'], '11.3.244.8-node.38')).toEqual(['--interrupt-budget=270336']);
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
