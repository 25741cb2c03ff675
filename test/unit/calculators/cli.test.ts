// `ml-notes calc`, run in-process through the CLI dispatcher: the brief's required commands, --json,
// --list, and exit code 2 with one line on bad input.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/types';
import { calculators } from '../../../src/core/calculators';

const io: CliIo = { readFile: () => undefined, listPythonFiles: () => undefined, isDirectory: () => false, cwd: '/' };
const calc = (...args: string[]) => runCli(['calc', ...args], io);

async function json(...args: string[]): Promise<{ result: unknown; formula: string }> {
  const out = await calc(...args, '--json');
  expect(out.stderr).toBe('');
  expect(out.code).toBe(0);
  return JSON.parse(out.stdout) as { result: unknown; formula: string };
}

describe('ml-notes calc', () => {
  it('conv-out in=224 kernel=7 stride=2 padding=3 dilation=1 → 112', async () => {
    const out = await json('conv-out', 'in=224', 'kernel=7', 'stride=2', 'padding=3', 'dilation=1');
    expect(out).toEqual({ result: 112, formula: 'L_out = ⌊(224 + 2·3 − 1·(7 − 1) − 1)/2⌋ + 1 = 112' });
  });

  it('pool-out in=5 kernel=2 stride=3 padding=1 ceil_mode=true → 2', async () => {
    expect((await json('pool-out', 'in=5', 'kernel=2', 'stride=3', 'padding=1', 'ceil_mode=true')).result).toBe(2);
  });

  it('convtranspose-out in=15 kernel=4 stride=2 padding=1 output_padding=0 dilation=1 → 30', async () => {
    expect((await json('convtranspose-out', 'in=15', 'kernel=4', 'stride=2', 'padding=1', 'output_padding=0', 'dilation=1')).result).toBe(30);
  });

  it('receptive-field stack="conv3, conv3 s2, pool2, conv3 d2" → 23 (hand-worked in shapes.test.ts)', async () => {
    const out = await json('receptive-field', 'stack=conv3, conv3 s2, pool2, conv3 d2');
    expect(out.result).toMatchObject({ receptive_field: 23, jump: 4 });
    // The same stack split by the shell into several words reads the same.
    const split = await json('receptive-field', 'stack=conv3,', 'conv3', 's2,', 'pool2,', 'conv3', 'd2');
    expect(split.result).toEqual(out.result);
  });

  it('kv-cache with dtype=bf16 prints bytes and the GiB text', async () => {
    // 2·32·8·128·4096·1·2 = 536870912 B = 0.5 GiB.
    const out = await json('kv-cache', 'layers=32', 'kv_heads=8', 'head_dim=128', 'context=4096', 'batch=1', 'dtype=bf16');
    expect(out.result).toBe(536870912);
    expect(out.formula).toContain('0.5 GiB');
    const readable = await calc('kv-cache', 'layers=32', 'kv_heads=8', 'head_dim=128', 'context=4096', 'batch=1', 'dtype=bf16');
    expect(readable.stdout).toMatch(/^kv-cache: 536870912\n/);
    expect(readable.stdout).toContain('= 536870912 B = 512 MiB (0.5 GiB)');
  });

  it('prints a readable result with the substituted formula without --json', async () => {
    const out = await calc('conv-out', 'in=224', 'kernel=7', 'stride=2', 'padding=3');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('conv-out: 112');
    expect(out.stdout).toContain('⌊(224 + 2·3 − 1·(7 − 1) − 1)/2⌋ + 1 = 112');
  });

  it('exits 2 with one line naming the problem', async () => {
    const cases: [string[], string][] = [
      [['conv-out', 'in=5', 'kernel=7'], 'the kernel (7) is larger than the padded input (5)'],
      [['conv-out', 'in=10', 'kernel=3', 'stride=0'], 'stride must be a positive integer'],
      [['kv-cache', 'layers=', 'kv_heads=', 'head_dim=', 'context=', 'batch=', 'dtype=bf16'], 'layers= has no value'],
      // An empty value is refused, not read as the default (issue 15).
      [['conv-out', 'in=10', 'kernel=3', 'stride='], 'stride= has no value'],
      [['kv-cache', 'layers=2', 'kv_heads=2', 'head_dim=2', 'context=2', 'dtype=fp64'], 'dtype must be one of fp32, fp16, bf16, int8, fp8'],
      [['nope'], "unknown calculator 'nope'"],
      [['conv-out', '224'], "expected key=value, got '224'"],
      [[], 'calc needs a calculator name'],
    ];
    for (const [args, message] of cases) {
      const out = await calc(...args);
      expect(out.code).toBe(2);
      expect(out.stdout).toBe('');
      expect(out.stderr).toContain(message);
      expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it('--list names every calculator with its keys and defaults', async () => {
    const out = await calc('--list');
    expect(out.code).toBe(0);
    for (const calculator of calculators) {
      expect(out.stdout).toContain(calculator.id);
      for (const input of calculator.inputs) expect(out.stdout).toContain(input.name);
    }
    expect(out.stdout).toContain('in kernel stride=1 padding=0 dilation=1');
    expect(calculators.map((c) => c.id)).toEqual(
      expect.arrayContaining(['conv-out', 'pool-out', 'convtranspose-out', 'conv-padding', 'receptive-field', 'conv-params', 'attention-cost', 'vit-tokens', 'kv-cache', 'init-std', 'gd-step', 'adam-bias', 'diffusion-schedule', 'kl-gaussians']),
    );
  });
});
