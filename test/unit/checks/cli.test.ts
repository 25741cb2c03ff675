// `ml-notes check` in-process over an in-memory file system: linter lines, JSON, exit codes.
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/cli/commands/check';
import type { CliIo } from '../../../src/cli/types';

const FILES: Record<string, string> = {
  '/proj/train.py': [
    'import torch',
    '',
    'def train(model, loader, criterion):',
    '    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)',
    '    for xb, yb in loader:',
    '        loss = criterion(model(xb), yb)',
    '        loss.backward()',
    '        optimizer.step()',
    '',
  ].join('\n'),
  '/proj/models/net.py': ['import torch.nn as nn', '', 'norm = nn.GroupNorm(32, 48)', 'opt = None', ''].join('\n'),
  '/proj/clean.py': 'x = 1\n',
  '/proj/quiet.py': ['import torch', 'opt = torch.optim.Adam([], weight_decay=0.1)  # ml-notes: ignore[CC-36]', ''].join('\n'),
  '/proj/info.py': ['import torch', 'opt = torch.optim.Adam([], weight_decay=0.1)', ''].join('\n'),
};

const io: CliIo = {
  cwd: '/proj',
  readFile: (p) => FILES[p],
  listPythonFiles: (dir) => Object.keys(FILES).filter((p) => p.startsWith(`${dir}/`)).sort(),
  isDirectory: (p) => p === '/proj' || p === '/proj/models',
};

describe('ml-notes check', () => {
  it('prints path:line:col CC-xx message with 1-based positions and exits 1 on an error finding', () => {
    const result = runCheck(['train.py'], io);
    // optimizer.step() is on line 8 (1-based), indented by 8 spaces, so column 9.
    expect(result.stdout).toMatch(/^train\.py:8:9 CC-01 .*zero/);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.code).toBe(1);
  });

  it('walks a directory and reports JSON with the issue schema', () => {
    const result = runCheck(['models', '--json'], io);
    const parsed = JSON.parse(result.stdout) as { findings: Record<string, unknown>[] };
    expect(parsed.findings).toEqual([
      { file: 'models/net.py', line: 3, col: 8, rule: 'CC-29', severity: 'error', message: expect.stringContaining('48') },
    ]);
    expect(result.code).toBe(1);
  });

  it('exits 0 when the findings are only infos or warnings, or there are none', () => {
    expect(runCheck(['info.py'], io)).toMatchObject({ code: 0, stdout: expect.stringContaining('info.py:2:7 CC-36') });
    expect(runCheck(['clean.py'], io)).toMatchObject({ code: 0, stdout: '' });
  });

  it('honours line suppressions and --disable', () => {
    expect(runCheck(['quiet.py'], io).stdout).toBe('');
    expect(runCheck(['train.py', '--disable', 'CC-01'], io)).toMatchObject({ code: 0, stdout: '' });
  });

  it('exits 2 on bad usage or unreadable input', () => {
    expect(runCheck([], io).code).toBe(2);
    expect(runCheck(['--frobnicate', 'train.py'], io).code).toBe(2);
    expect(runCheck(['missing.py'], io)).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read missing.py') });
    expect(runCheck(['train.py', '--disable', 'nonsense'], io).code).toBe(2);
  });
});
