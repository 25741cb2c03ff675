// The CLI's shared option parsing (node:util parseArgs), `summary --batch` and `--gpu-memory`, and
// `annotate --input` with summary's input specs, in-process on small models whose numbers are worked by hand.
import { describe, expect, it } from 'vitest';
import { runSummary } from '../../../src/cli/commands/summary';
import { runAnnotate } from '../../../src/cli/commands/annotate';
import { parseCommandArgs } from '../../../src/cli/options';
import type { CliIo } from '../../../src/cli/types';
import { parseGpuMemory } from '../../../src/core/analysis/fit';

const MLP = `import torch
import torch.nn as nn

class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(1000, 1000)
        self.fc2 = nn.Linear(1000, 10)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))
`;

const TAGGER = `import torch.nn as nn

class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(100, 8)

    def forward(self, tokens, lengths):
        return self.emb(tokens)
`;

const FILES: Record<string, string> = { '/w/mlp.py': MLP, '/w/tagger.py': TAGGER };
const io: CliIo = { cwd: '/w', readFile: (p) => FILES[p], listPythonFiles: () => [], isDirectory: (p) => p === '/w' };
/** The fields of `summary --json` these tests read. */
interface SummaryOutput {
  readonly input: unknown;
  readonly macs: unknown;
  readonly fit: {
    readonly fixed_bytes: number;
    readonly per_sample_bytes: number;
    readonly largest_batch: number;
    readonly affine: boolean;
    readonly at_largest: unknown;
    readonly evaluated: readonly { readonly batch: number }[];
  };
}
const json = (args: string[]): SummaryOutput => {
  const run = runSummary(args, io);
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as SummaryOutput;
};

describe('parseCommandArgs', () => {
  const options = { model: { type: 'string', value: 'a Python expression' }, json: { type: 'boolean' }, input: { type: 'string', multiple: true } } as const;
  it('reads values inline or next, repeated options and positionals', () => {
    expect(parseCommandArgs(['f.py', '--model=Net()', '--input', '1,2', '--input', '3', '--json'], options)).toEqual({ values: { model: 'Net()', input: ['1,2', '3'], json: true }, positionals: ['f.py'] });
  });
  it('says what is wrong in one line, never throws', () => {
    expect(parseCommandArgs(['--nope'], options)).toBe('unknown option --nope');
    expect(parseCommandArgs(['--model'], options)).toBe('--model needs a Python expression');
    expect(parseCommandArgs(['--model', '--json'], options)).toMatch(/^--model needs a Python expression \(a value starting with '-' is written --model=-…\)$/);
    expect(parseCommandArgs(['--json=yes'], options)).toBe('--json takes no value');
  });
  it('summary and annotate share it: the same messages', () => {
    for (const run of [runSummary, runAnnotate]) {
      expect(run(['mlp.py', '--bogus'], io).stderr).toMatch(/^ml-notes: unknown option --bogus\n/);
      expect(run([], io).stderr).toMatch(/^ml-notes: missing FILE\n/);
      expect(run(['mlp.py', 'other.py'], io).stderr).toMatch(/^ml-notes: unexpected argument other\.py\n/);
      expect(run(['mlp.py', '--dtype', 'half'], io).stderr).toMatch(/^ml-notes: --dtype must be float or long, got half\n/);
      expect(run(['mlp.py', '--input', '1,,3'], io).stderr).toMatch(/^ml-notes: bad --input '1,,3': dimension 2 is empty/);
    }
  });
});

describe('annotate --input reads summary\'s input specs', () => {
  it('keywords, dtypes and fills, as summary reads them', () => {
    const run = runAnnotate(['tagger.py', '--model', 'Tagger()', '--input', '2,5:long', '--input', 'lengths=2:long=5', '--json'], io);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).hints).toContainEqual(expect.objectContaining({ line: 9, label: '→ [2, 5, 8]' }));
  });
});

describe('summary --batch', () => {
  it('sets the first dimension of each input, given or inferred', () => {
    expect(json(['mlp.py', '--input', '4,1000', '--batch', '32', '--json']).input).toEqual([[32, 1000]]);
    // Inferred from the first layer (B, 1000), then batched.
    expect(json(['mlp.py', '--batch', '3', '--json']).input).toEqual([[3, 1000]]);
    expect(json(['mlp.py', '--batch', '3', '--json']).macs).toBe(3 * (1000 * 1000 + 1000 * 10));
  });
  it('refuses an input whose contents are listed, and a batch that is not a whole number', () => {
    expect(runSummary(['tagger.py', '--input', '2,5:long', '--input', 'lengths=[5,4]:long', '--batch', '3'], io).stderr).toMatch(/--batch cannot resize input lengths: its contents are listed/);
    expect(runSummary(['mlp.py', '--batch', '2.5'], io).stderr).toMatch(/--batch must be a whole number from 1/);
  });
});

describe('summary --gpu-memory: the largest batch that fits', () => {
  // By hand: params 1000·1000 + 1000 + 1000·10 + 10 = 1,011,010 floats = 4,044,040 B; gradients the same;
  // Adam 2 · 4,044,040 + 4 tensors · 4 B (step) = 8,088,096 B: fixed 16,176,176 B. Per sample fc1 keeps
  // its input (1000 floats) for the weight gradient, ReLU its output (1000), which fc2 keeps too: 8000 B.
  // 1 GiB: ⌊(1,073,741,824 − 16,176,176) / 8000⌋ = 132,195.
  it('solves the affine peak by hand and checks it at the answer and the next batch', () => {
    const fit = json(['mlp.py', '--input', '2,1000', '--gpu-memory', '1GB', '--json']).fit;
    expect(fit.fixed_bytes).toBe(16_176_176);
    expect(fit.per_sample_bytes).toBe(8000);
    expect(fit.largest_batch).toBe(132_195);
    expect(fit.affine).toBe(true);
    expect(fit.at_largest).toEqual({ batch: 132_195, peak_bytes: 16_176_176 + 132_195 * 8000, params_bytes: 4_044_040, grads_bytes: 4_044_040, optimizer_bytes: 8_088_096, activations_bytes: 132_195 * 8000 });
    expect(fit.evaluated.map((e) => e.batch)).toEqual([2, 4, 132_195, 132_196]);
  });
  // 15 MB = 15,728,640 B is less than the fixed 16,176,176 B.
  it('says when not one sample fits, and reads GPU sizes as binary units', () => {
    expect(json(['mlp.py', '--input', '2,1000', '--gpu-memory', '15MB', '--json']).fit.largest_batch).toBe(0);
    expect(parseGpuMemory('24GB')).toBe(24 * 2 ** 30);
    expect(parseGpuMemory('24 GiB')).toBe(24 * 2 ** 30);
    expect(parseGpuMemory('512MB')).toBe(2 ** 29);
    expect(parseGpuMemory('80')).toBe(80 * 2 ** 30);
    for (const bad of ['', 'lots', '-1GB', '1e9', '24 PB', '0']) expect(parseGpuMemory(bad)).toBeUndefined();
  });
  it('prints the answer with its breakdown', () => {
    const text = runSummary(['mlp.py', '--input', '2,1000', '--gpu-memory', '1GB'], io).stdout;
    expect(text).toMatch(/Largest batch that fits 1\.00 GiB: 132195\n/);
    expect(text).toMatch(/at batch 132195: params 0\.00 GiB, gradients 0\.00 GiB, optimizer 0\.01 GiB, activations 0\.98 GiB; peak 1\.00 GiB/);
  });
});

describe('--env sets the environment variables the code reads', () => {
  const SWITCHED = `import os
import torch.nn as nn
WIDE = os.environ.get('WIDE', '0') == '1'

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 8 if WIDE else 2)

    def forward(self, x):
        return self.fc(x)
`;
  const envIo: CliIo = { ...io, readFile: (p) => (p === '/w/switched.py' ? SWITCHED : FILES[p]) };
  const params = (extra: string[]): unknown => JSON.parse(runSummary(['switched.py', '--model', 'Net()', '--input', '1,4', '--json', ...extra], envIo).stdout).params;
  it('decides a switch from the value given, and refuses an entry without NAME=', () => {
    // Linear(4, 8): 4·8 + 8 = 40 parameters; Linear(4, 2): 4·2 + 2 = 10.
    expect(params(['--env', 'WIDE=1'])).toBe(40);
    expect(params(['--env', 'WIDE=0'])).toBe(10);
    const refused = runSummary(['switched.py', '--model', 'Net()', '--env', 'WIDE'], envIo);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--env needs an environment variable as NAME=VALUE');
  });
});
