// The shape calculators against real PyTorch: every case is run through nn.ConvNd / nn.MaxPoolNd /
// nn.AvgPoolNd / nn.ConvTransposeNd on a zero tensor in one /usr/bin/python3 process, and the calculator
// must give the same size, or refuse the inputs exactly when PyTorch raises.
import { spawnSync } from 'node:child_process';
import { TORCH_PYTHON } from '../lib/python';
import { beforeAll, describe, expect, it } from 'vitest';
import { findCalculator } from '../../../src/core/calculators';
import type { RawInputs } from '../../../src/core/calculators';

interface ShapeCase {
  readonly calc: 'conv-out' | 'pool-out' | 'convtranspose-out';
  readonly inputs: Readonly<Record<string, string>>;
}

interface TorchAnswer {
  readonly size?: number[];
  readonly error?: string;
}

const PYTHON = TORCH_PYTHON;

// Builds the layer from the same key=value text the calculator reads, runs it, prints the spatial size.
const SCRIPT = String.raw`
import json, sys, warnings
import torch
torch.set_num_threads(1)
warnings.filterwarnings('ignore')

def ints(text, dims):
    values = [int(v) for v in text.split(',')]
    return tuple(values * dims) if len(values) == 1 else tuple(values)

def run(case):
    kind, a = case['calc'], case['inputs']
    size = [int(v) for v in a['in'].split(',')]
    dims = max(len(size), *(len(a[k].split(',')) for k in ('kernel', 'stride', 'padding', 'dilation', 'output_padding') if k in a and a[k] not in ('same', 'valid')))
    size = size * dims if len(size) == 1 else size
    kernel = ints(a['kernel'], dims)
    stride = ints(a['stride'], dims) if 'stride' in a else (None if kind == 'pool-out' else 1)
    dilation = ints(a.get('dilation', '1'), dims)
    padding = a.get('padding', '0')
    padding = padding if padding in ('same', 'valid') else ints(padding, dims)
    x = torch.zeros(1, 1, *size)
    if kind == 'conv-out':
        layer = getattr(torch.nn, 'Conv%dd' % dims)(1, 1, kernel, stride=stride, padding=padding, dilation=dilation)
    elif kind == 'pool-out':
        ceil = a.get('ceil_mode', 'false') == 'true'
        if a.get('mode', 'max') == 'avg':
            layer = getattr(torch.nn, 'AvgPool%dd' % dims)(kernel, stride=stride, padding=padding, ceil_mode=ceil)
        else:
            layer = getattr(torch.nn, 'MaxPool%dd' % dims)(kernel, stride=stride, padding=padding, dilation=dilation, ceil_mode=ceil)
    else:
        layer = getattr(torch.nn, 'ConvTranspose%dd' % dims)(1, 1, kernel, stride=stride, padding=padding,
            output_padding=ints(a.get('output_padding', '0'), dims), dilation=dilation)
    with torch.no_grad():
        return {'size': list(layer(x).shape[2:])}

out = []
for case in json.load(sys.stdin):
    try:
        out.append(run(case))
    except Exception as e:
        out.append({'error': str(e).splitlines()[0][:200]})
print(json.dumps(out))
`;

function runTorch(cases: readonly ShapeCase[]): TorchAnswer[] {
  const run = spawnSync(PYTHON, ['-c', SCRIPT], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
  if (run.status !== 0) throw new Error(`${PYTHON} failed (${run.status}): ${run.stderr.slice(0, 2000)}`);
  return JSON.parse(run.stdout) as TorchAnswer[];
}

/** A small deterministic generator (mulberry32), so the swept cases are the same on every run. */
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

const HAND_PICKED: ShapeCase[] = [
  // The brief's required cases.
  { calc: 'conv-out', inputs: { in: '224', kernel: '7', stride: '2', padding: '3', dilation: '1' } },
  { calc: 'pool-out', inputs: { in: '5', kernel: '2', stride: '3', padding: '1', ceil_mode: 'true' } },
  { calc: 'convtranspose-out', inputs: { in: '15', kernel: '4', stride: '2', padding: '1', output_padding: '0', dilation: '1' } },
  // 2-D and 3-D, per-axis lists.
  { calc: 'conv-out', inputs: { in: '224,224', kernel: '7', stride: '2', padding: '3' } },
  { calc: 'conv-out', inputs: { in: '32,48', kernel: '3,5', stride: '1,2', padding: '1,2', dilation: '2,1' } },
  { calc: 'conv-out', inputs: { in: '16,16,8', kernel: '3', stride: '2', padding: '1' } },
  // 'same' and 'valid', odd and even kernels, dilation.
  { calc: 'conv-out', inputs: { in: '56', kernel: '3', padding: 'same', dilation: '2' } },
  { calc: 'conv-out', inputs: { in: '10', kernel: '4', padding: 'same' } },
  { calc: 'conv-out', inputs: { in: '9,7', kernel: '4,2', padding: 'same', dilation: '3,1' } },
  { calc: 'conv-out', inputs: { in: '10', kernel: '3', padding: 'valid' } },
  { calc: 'conv-out', inputs: { in: '10', kernel: '3', stride: '2', padding: 'same' } },
  // Kernel larger than the padded input, with and without dilation.
  { calc: 'conv-out', inputs: { in: '5', kernel: '7' } },
  { calc: 'conv-out', inputs: { in: '5', kernel: '3', dilation: '3' } },
  { calc: 'conv-out', inputs: { in: '5', kernel: '7', padding: '1' } },
  // ceil_mode edge cases: the last window dropped, kept, pool padding limits, avg pooling.
  { calc: 'pool-out', inputs: { in: '5,5', kernel: '2', stride: '2', ceil_mode: 'true' } },
  { calc: 'pool-out', inputs: { in: '6', kernel: '2', stride: '2', padding: '1', ceil_mode: 'true' } },
  { calc: 'pool-out', inputs: { in: '1', kernel: '2', stride: '2', padding: '1', ceil_mode: 'true', mode: 'avg' } },
  { calc: 'pool-out', inputs: { in: '112,112', kernel: '3', stride: '2', padding: '1' } },
  { calc: 'pool-out', inputs: { in: '7', kernel: '3', stride: '2', ceil_mode: 'true' } },
  { calc: 'pool-out', inputs: { in: '5', kernel: '3', stride: '1', padding: '2' } },
  { calc: 'pool-out', inputs: { in: '5', kernel: '4', stride: '1', padding: '2' } },
  { calc: 'pool-out', inputs: { in: '5', kernel: '3', stride: '1', padding: '1', dilation: '2' } },
  { calc: 'pool-out', inputs: { in: '5', kernel: '7' } },
  { calc: 'pool-out', inputs: { in: '10', kernel: '3' } },
  { calc: 'pool-out', inputs: { in: '10', kernel: '3', ceil_mode: 'true', mode: 'avg' } },
  // Transposed: output_padding limits, dilation, too-large padding.
  { calc: 'convtranspose-out', inputs: { in: '5', kernel: '3', stride: '2', output_padding: '2' } },
  { calc: 'convtranspose-out', inputs: { in: '5', kernel: '3', stride: '1', output_padding: '1', dilation: '2' } },
  { calc: 'convtranspose-out', inputs: { in: '2', kernel: '3', stride: '1', padding: '3' } },
  { calc: 'convtranspose-out', inputs: { in: '7,9', kernel: '4,3', stride: '2,3', padding: '1,0', output_padding: '1,2', dilation: '1,2' } },
];

/** A sweep of 1-D cases over small values, where every rounding and rule boundary is hit. */
function sweep(count: number): ShapeCase[] {
  const random = seeded(20261130);
  const pick = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const cases: ShapeCase[] = [];
  for (let i = 0; i < count; i++) {
    const common = { in: String(pick(1, 20)), kernel: String(pick(1, 7)), stride: String(pick(1, 4)), padding: String(pick(0, 4)), dilation: String(pick(1, 3)) };
    const which = i % 3;
    if (which === 0) cases.push({ calc: 'conv-out', inputs: common });
    else if (which === 1) {
      const avg = random() < 0.3;
      cases.push({ calc: 'pool-out', inputs: { ...common, dilation: avg ? '1' : common.dilation, ceil_mode: random() < 0.6 ? 'true' : 'false', mode: avg ? 'avg' : 'max' } });
    } else cases.push({ calc: 'convtranspose-out', inputs: { ...common, output_padding: String(pick(0, 3)) } });
  }
  return cases;
}

/** 2-D pooling, where PyTorch's rule for a too-small output differs from max_pool1d's. */
function sweep2d(count: number): ShapeCase[] {
  const random = seeded(7);
  const pick = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pair = (lo: number, hi: number) => `${pick(lo, hi)},${pick(lo, hi)}`;
  return Array.from({ length: count }, () => {
    const avg = random() < 0.4;
    return {
      calc: 'pool-out' as const,
      inputs: { in: pair(1, 12), kernel: pair(1, 5), stride: pair(1, 3), padding: pair(0, 2), dilation: avg ? '1' : pair(1, 2), ceil_mode: random() < 0.6 ? 'true' : 'false', mode: avg ? 'avg' : 'max' },
    };
  });
}

const SWEEP_1D = sweep(900);
const CASES = [...HAND_PICKED, ...SWEEP_1D, ...sweep2d(200)];

let answers: TorchAnswer[] = [];
beforeAll(() => {
  answers = runTorch(CASES);
});

const describeCase = (c: ShapeCase) => `${c.calc} ${Object.entries(c.inputs).map(([k, v]) => `${k}=${v}`).join(' ')}`;

function compareWithTorch(c: ShapeCase, torch: TorchAnswer): string | undefined {
  const calculator = findCalculator(c.calc);
  if (!calculator) return `${c.calc}: no such calculator`;
  const outcome = calculator.compute(c.inputs as RawInputs);
  if (torch.error !== undefined) {
    return outcome.ok ? `${describeCase(c)}: PyTorch raises "${torch.error}" but the calculator gave ${JSON.stringify(outcome.result)}` : undefined;
  }
  if (!outcome.ok) return `${describeCase(c)}: PyTorch gives ${JSON.stringify(torch.size)} but the calculator refused: ${outcome.errors.join('; ')}`;
  const got = typeof outcome.result === 'number' ? [outcome.result] : outcome.result;
  const expected = torch.size ?? [];
  // A single-axis input with per-axis lists of one value is 1-D; PyTorch's shape has as many axes as the case.
  return JSON.stringify(got) === JSON.stringify(expected) ? undefined : `${describeCase(c)}: PyTorch ${JSON.stringify(expected)}, calculator ${JSON.stringify(got)}`;
}

describe('shape calculators agree with PyTorch 1.13', () => {
  it('gives the brief\'s three required sizes (112, 2, 30) as PyTorch does', () => {
    expect(answers.slice(0, 3).map((a) => a.size)).toEqual([[112], [2], [30]]);
    expect(CASES.slice(0, 3).map((c) => findCalculator(c.calc)?.compute(c.inputs))).toMatchObject([{ ok: true, result: 112 }, { ok: true, result: 2 }, { ok: true, result: 30 }]);
  });

  it('matches every hand-picked case, including ceil_mode, same/valid, dilation and errors', () => {
    const mismatches = HAND_PICKED.map((c, i) => compareWithTorch(c, answers[i]!)).filter((m) => m !== undefined);
    expect(mismatches).toEqual([]);
  });

  it('matches a sweep of 900 one-axis conv / pool / transposed cases', () => {
    const offset = HAND_PICKED.length;
    const mismatches = SWEEP_1D.map((c, i) => compareWithTorch(c, answers[offset + i]!)).filter((m) => m !== undefined);
    // The sweep must exercise both outcomes, or it proves little.
    const errors = answers.slice(offset, offset + SWEEP_1D.length).filter((a) => a.error !== undefined).length;
    expect(errors).toBeGreaterThan(50);
    expect(SWEEP_1D.length - errors).toBeGreaterThan(300);
    expect(mismatches).toEqual([]);
  });

  it('matches a sweep of 200 two-axis pooling cases (per-axis lists, ceil_mode, max and avg)', () => {
    const offset = HAND_PICKED.length + SWEEP_1D.length;
    const cases = CASES.slice(offset);
    const mismatches = cases.map((c, i) => compareWithTorch(c, answers[offset + i]!)).filter((m) => m !== undefined);
    const errors = answers.slice(offset).filter((a) => a.error !== undefined).length;
    expect(errors).toBeGreaterThan(10);
    expect(cases.length - errors).toBeGreaterThan(50);
    expect(mismatches).toEqual([]);
  });
});
