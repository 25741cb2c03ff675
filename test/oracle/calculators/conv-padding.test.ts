// The inverse calculator (conv-padding) against real PyTorch: for every case PyTorch tries each padding
// (and, transposed, each output_padding) by brute force and reports which give the wanted size. The
// calculator must return the smallest such padding, or say that none exists exactly when PyTorch finds none.
import { spawnSync } from 'node:child_process';
import { TORCH_PYTHON } from '../lib/python';
import { beforeAll, describe, expect, it } from 'vitest';
import { findCalculator } from '../../../src/core/calculators';

interface InverseCase {
  readonly in: number;
  readonly out: number;
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
  readonly transposed: boolean;
}

/** For each case: the smallest working [padding, output_padding] PyTorch finds, or null. */
type TorchSolution = [number, number] | null;

const SCRIPT = String.raw`
import json, sys, warnings
import torch
import torch.nn.functional as F
torch.set_num_threads(1)
warnings.filterwarnings('ignore')

def size(c, padding, output_padding):
    # The functional ops are what nn.Conv1d / nn.ConvTranspose1d call; a fixed weight keeps the search fast.
    x = torch.zeros(1, 1, c['in'])
    w = torch.zeros(1, 1, c['kernel'])
    try:
        if c['transposed']:
            y = F.conv_transpose1d(x, w, stride=c['stride'], padding=padding, output_padding=output_padding, dilation=c['dilation'])
        else:
            y = F.conv1d(x, w, stride=c['stride'], padding=padding, dilation=c['dilation'])
        return y.shape[2]
    except Exception:
        return None

out = []
for c in json.load(sys.stdin):
    found = None
    limit = max(c['stride'], c['dilation']) if c['transposed'] else 1
    for padding in range(0, 40):
        sizes = [size(c, padding, op) for op in range(limit)]
        if c['out'] in sizes:
            found = [padding, sizes.index(c['out'])]
            break
        known = [s for s in sizes if s is not None]
        # Conv sizes grow with padding and transposed sizes shrink: past the wanted size, stop searching.
        if known and (min(known) > c['out'] if not c['transposed'] else max(known) < c['out']):
            break
    out.append(found)
print(json.dumps(out))
`;

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function cases(count: number): InverseCase[] {
  const random = seeded(99);
  const pick = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  return Array.from({ length: count }, (_, i) => {
    const transposed = i % 2 === 1;
    const size = pick(1, 16);
    return {
      in: size,
      out: transposed ? pick(1, 40) : pick(1, 20),
      kernel: pick(1, 6),
      stride: pick(1, 3),
      dilation: pick(1, 3),
      transposed,
    };
  });
}

const CASES = cases(300);
let solutions: TorchSolution[] = [];

beforeAll(() => {
  const run = spawnSync(TORCH_PYTHON, ['-c', SCRIPT], { input: JSON.stringify(CASES), encoding: 'utf8', timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`${TORCH_PYTHON} failed: ${run.error?.message ?? run.stderr.slice(0, 2000)}`);
  solutions = JSON.parse(run.stdout) as TorchSolution[];
});

describe('conv-padding agrees with a brute-force search in PyTorch', () => {
  it('finds the smallest padding, or says none exists, for 300 conv and transposed cases', () => {
    const calculator = findCalculator('conv-padding');
    expect(calculator).toBeDefined();
    const mismatches: string[] = [];
    CASES.forEach((c, i) => {
      const outcome = calculator!.compute({
        in: String(c.in),
        out: String(c.out),
        kernel: String(c.kernel),
        stride: String(c.stride),
        dilation: String(c.dilation),
        transposed: String(c.transposed),
      });
      const expected = solutions[i];
      if (!outcome.ok) {
        mismatches.push(`${JSON.stringify(c)}: refused (${outcome.errors.join('; ')})`);
        return;
      }
      const result = outcome.result as { exists: boolean; padding: number | null; output_padding?: number | null };
      const got = result.exists ? [result.padding, c.transposed ? result.output_padding : 0] : null;
      if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push(`${JSON.stringify(c)}: PyTorch ${JSON.stringify(expected)}, calculator ${JSON.stringify(got)}`);
    });
    const solvable = solutions.filter((s) => s !== null).length;
    expect(solvable).toBeGreaterThan(60);
    expect(CASES.length - solvable).toBeGreaterThan(30);
    expect(mismatches).toEqual([]);
  });
});
