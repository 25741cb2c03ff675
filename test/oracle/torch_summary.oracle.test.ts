// The oracle itself, checked against hand arithmetic: torch_summary.py must apply the MAC convention
// stated at its top (one multiply-add = 1 MAC) and list atomic calls the way the CLI schema says.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SummaryJson } from './lib/summaryJson';
import { ORACLE_SCRIPT, TORCH_PYTHON, assertTorchAvailable } from './lib/torchOracle';

const FIXTURE = fileURLToPath(new URL('./lib/fixtures/conventions.py', import.meta.url));

function oracle(args: readonly string[]): SummaryJson {
  const run = spawnSync(TORCH_PYTHON, [ORACLE_SCRIPT, FIXTURE, ...args], { encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`torch_summary.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as SummaryJson;
}

describe('torch_summary.py conventions (hand-computed)', () => {
  let mixed: SummaryJson;
  let conv: SummaryJson;

  beforeAll(() => {
    assertTorchAvailable();
    mixed = oracle(['--model', 'ConventionCheck()', '--input', '2,3,4']);
    // No --model: the last nn.Module subclass that builds without arguments (ConvAndBilinear).
    conv = oracle(['--input', '1,4,9,9']);
  });

  it('lists atomic calls in execution order, a module called twice twice, MultiheadAttention as one unit', () => {
    expect(mixed.calls.map((c) => `${c.path}:${c.type}`)).toEqual([
      'fc:Linear',
      'fc:Linear',
      'attn:MultiheadAttention',
      'up:ConvTranspose1d',
      'lstm:LSTM',
      'cell:RNNCell',
      'frozen:Linear',
      'tied:Linear',
    ]);
    expect(conv.model).toBe('ConvAndBilinear()');
  });

  it('records shapes: tuples as lists of shapes, keyword-called attention inputs included', () => {
    const byPath = new Map(mixed.calls.map((c) => [c.path, c]));
    // batch_first MHA returns (N, L, E) and head-averaged weights (N, L, S + 1 for bias_kv) = (2, 3, 4).
    expect(byPath.get('attn')?.output).toEqual([[2, 3, 4], [2, 3, 4]]);
    expect(byPath.get('attn')?.input).toEqual([[2, 3, 4], [2, 3, 4], [2, 3, 4]]);
    // ConvTranspose1d length: (3 - 1)·2 + (3 - 1) + 1 = 7.
    expect(byPath.get('up')?.output).toEqual([2, 2, 7]);
    // Unbatched LSTM with proj_size 2: output (T, P), h (layers, P), c (layers, H).
    expect(byPath.get('lstm')?.output).toEqual([[3, 2], [[1, 2], [1, 3]]]);
    expect(mixed.output).toEqual([[2, 3, 4], [2, 2, 7], [3, 5]]);
  });

  it('counts MACs per call by the stated rules', () => {
    expect(mixed.calls.map((c) => c.macs)).toEqual([
      96, // fc: out.numel 2·3·4 = 24 × in_features 4
      96, // fc again
      576, // attn: N=2 × [L·E·E 3·4·4=48 + S·kdim·E 48 + S·vdim·E 48 + 2·L·S'·E 2·3·4·4=96 (S' = 3+1 bias_kv) + out 48] = 2 × 288
      72, // up: in.numel 2·4·3 = 24 × (out 2 / groups 2 = 1) × kernel 3
      234, // lstm: T=3 steps × [4 gates·H 3·(I 4 + P 2) = 72 + H·P 3·2 = 6] = 3 × 78
      105, // cell: N=3 × 1 gate × H 5 × (I 2 + H 5) = 3 × 35
      96, // frozen: 24 × 4
      96, // tied: 24 × 4
    ]);
    // The hand-written (a @ aᵀ) @ a in forward belongs to no module call and is not counted.
    expect(mixed.macs).toBe(96 + 96 + 576 + 72 + 234 + 105 + 96 + 96);
    // conv: out (1, 6, 7, 7) = 294 elements × (C_in 4 / groups 2) × 3·3 = 5292; bilinear: out 4·2 = 8 × 3 × 5 = 120.
    expect(conv.calls.map((c) => c.macs)).toEqual([5292, 120]);
    expect(conv.calls.map((c) => c.output)).toEqual([[1, 6, 7, 7], [4, 2]]);
  });

  it('counts params per module and totals once per shared parameter, trainable apart', () => {
    expect(mixed.calls.map((c) => c.params)).toEqual([
      20, // fc: 4·4 + 4
      20,
      88, // attn: in_proj 3·4·4 = 48 + 12 bias + out_proj 4·4 + 4 + bias_k 4 + bias_v 4
      14, // up: weight (C_in 4, C_out/g 1, k 3) = 12 + bias 2
      102, // lstm: W_ih 12·4 = 48 + W_hh 12·2 = 24 + b_ih 12 + b_hh 12 + W_hr 2·3 = 6
      45, // cell: 5·2 + 5·5 + 5 + 5
      20, // frozen
      16, // tied: its own weight (shared with fc), no bias
    ]);
    // Totals: 20 + 88 + 14 + 102 + 45 + 20 = 289 (tied adds nothing new); frozen's 20 are not trainable.
    expect(mixed.params).toBe(289);
    expect(mixed.trainable_params).toBe(269);
    // conv: 6·(4/2)·3·3 + 6 = 114; bilinear: 2·3·5 + 2 = 32.
    expect(conv.params).toBe(146);
  });
});
