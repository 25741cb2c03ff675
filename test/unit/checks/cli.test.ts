// `ml-notes check` in-process over an in-memory file system: linter lines, JSON, exit codes.
import { readFileSync } from 'node:fs';
import Ajv from 'ajv-draft-04';
import type { Log } from 'sarif';
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
  it('prints path:line:col CC-xx message with 1-based positions and exits 1 on an error finding', async () => {
    const result = await runCheck(['train.py'], io);
    // optimizer.step() is on line 8 (1-based), indented by 8 spaces, so column 9.
    expect(result.stdout).toMatch(/^train\.py:8:9 CC-01 .*zero/);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.code).toBe(1);
  });

  it('walks a directory and reports JSON with the issue schema', async () => {
    const result = await runCheck(['models', '--json'], io);
    const parsed = JSON.parse(result.stdout) as { findings: Record<string, unknown>[] };
    expect(parsed.findings).toEqual([
      { file: 'models/net.py', line: 3, col: 8, rule: 'CC-29', severity: 'error', message: expect.stringContaining('48') },
    ]);
    expect(result.code).toBe(1);
  });

  it('exits 0 when the findings are only infos or warnings, or there are none', async () => {
    expect(await runCheck(['info.py'], io)).toMatchObject({ code: 0, stdout: expect.stringContaining('info.py:2:7 CC-36') });
    expect(await runCheck(['clean.py'], io)).toMatchObject({ code: 0, stdout: '' });
  });

  it('honours line suppressions and --disable', async () => {
    expect((await runCheck(['quiet.py'], io)).stdout).toBe('');
    expect(await runCheck(['train.py', '--disable', 'CC-01'], io)).toMatchObject({ code: 0, stdout: '' });
  });

  it('exits 2 on bad usage or unreadable input', async () => {
    expect((await runCheck([], io)).code).toBe(2);
    expect((await runCheck(['--frobnicate', 'train.py'], io)).code).toBe(2);
    expect(await runCheck(['missing.py'], io)).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read missing.py') });
    expect((await runCheck(['train.py', '--disable', 'nonsense'], io)).code).toBe(2);
  });
});

describe('ml-notes check output formats and exit policy', () => {
  const shapeIo: CliIo = {
    ...io,
    readFile: (p) =>
      p === '/proj/script.py'
        ? ['import torch', 'import torch.nn as nn', 'x = torch.randn(8, 3, 32, 32)', 'conv = nn.Conv2d(4, 16, 3)', 'y = conv(x)', ''].join('\n')
        : FILES[p],
  };

  it('reports shape errors of module-level code as rule "shape", severity error, 1-based positions', async () => {
    const result = await runCheck(['script.py', '--json'], shapeIo);
    const parsed = JSON.parse(result.stdout) as { findings: Record<string, unknown>[] };
    // PyTorch: "expected input[8, 3, 32, 32] to have 4 channels, but got 3 channels instead", at `conv(x)` on line 5.
    expect(parsed.findings).toEqual([{ file: 'script.py', line: 5, col: 5, rule: 'shape', severity: 'error', message: expect.stringContaining('to have 4 channels, but got 3 channels') }]);
    expect(result.code).toBe(1);
    expect(await runCheck(['script.py', '--disable', 'shape'], shapeIo)).toMatchObject({ code: 0, stdout: '' });
  });

  it('reports a model\'s shape error when the input is given, never on an input the analysis guessed', async () => {
    const model = (comment: string): string =>
      ['import torch.nn as nn', '', comment, 'class Net(nn.Module):', '    def __init__(self):', '        super().__init__()', '        self.conv = nn.Conv2d(3, 8, 3)', '        self.fc = nn.Linear(100, 10)', '', '    def forward(self, x):', '        return self.fc(self.conv(x).flatten(1))', ''].join('\n');
    const files: Record<string, string> = { '/proj/given.py': model('# ml-notes: input=[2, 3, 10, 10]'), '/proj/guessed.py': model('') };
    const modelIo: CliIo = { ...io, readFile: (p) => files[p] };
    // PyTorch: conv gives [2, 8, 8, 8], flattened 512 features into Linear(100, 10): "mat1 and mat2 shapes cannot be multiplied (2x512 and 100x10)".
    const given = JSON.parse((await runCheck(['given.py', '--json'], modelIo)).stdout) as { findings: { line: number; rule: string; message: string }[] };
    // CC-40 names the same error at the Linear's constructor, so the call's shape error is not repeated.
    expect(given.findings).toEqual([expect.objectContaining({ line: 8, rule: 'CC-40', message: expect.stringContaining('512') })]);
    expect(JSON.parse((await runCheck(['given.py', '--json', '--disable', 'CC-40'], modelIo)).stdout)).toEqual({
      findings: [expect.objectContaining({ line: 11, rule: 'shape', message: expect.stringContaining('2x512 and 100x10') })],
    });
    expect(await runCheck(['guessed.py'], modelIo)).toMatchObject({ code: 0, stdout: '' });
  });

  it('writes SARIF 2.1.0 that the official schema accepts, with each rule\'s notes topic as help', async () => {
    const result = await runCheck(['train.py', 'info.py', '--format', 'sarif'], io);
    const log = JSON.parse(result.stdout) as Log;
    const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
    const validate = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false }).compile(schema);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const run = log.runs[0]!;
    const rules = run.tool.driver.rules!;
    const cc01 = rules.find((r) => r.id === 'CC-01')!;
    expect(cc01.help?.text).toContain('ml-notes notes training-loop-debugging');
    expect(rules.find((r) => r.id === 'shape')).toBeDefined();
    expect(run.results!.map((r) => [r.ruleId, r.level, r.locations![0]!.physicalLocation!.region!.startLine])).toEqual([
      ['CC-01', 'error', 8],
      ['CC-36', 'note', 2],
    ]);
    expect(run.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('train.py');
    expect(rules[run.results![0]!.ruleIndex!]!.id).toBe('CC-01');
  });

  it('writes GitHub workflow annotations', async () => {
    const result = await runCheck(['train.py', 'info.py', '--format=github'], io);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^::error file=train\.py,line=8,col=9,endLine=8,endColumn=\d+,title=CC-01::This loop/);
    expect(lines[1]).toMatch(/^::notice file=info\.py,line=2,col=7,.*title=CC-36::/);
  });

  it('exits 1 only for findings at or above --fail-on (default error)', async () => {
    expect((await runCheck(['info.py'], io)).code).toBe(0);
    expect((await runCheck(['info.py', '--fail-on', 'info'], io)).code).toBe(1);
    expect((await runCheck(['info.py', '--fail-on', 'warning'], io)).code).toBe(0);
    expect((await runCheck(['train.py', '--fail-on', 'never'], io)).code).toBe(0);
    expect((await runCheck(['train.py', '--fail-on', 'sometimes'], io)).code).toBe(2);
    expect((await runCheck(['train.py', '--format', 'xml'], io)).code).toBe(2);
  });
});
