// The transformer-LM memory calculator against PyTorch 1.13: a GPT-2-style model written in torch
// (test/oracle/lm_memory.py) trained one step on CPU in float32, its saved storages measured with
// saved_tensors_hooks. Parameters and Adam state are exact. The closed form (Korthikanti et al. 2022, with
// 4-byte values and, on CPU, 4-byte dropout masks) leaves out what the paper leaves out, and the test names
// each part by hand: LayerNorm's float32 mean and 1/std (2 per token per LayerNorm), the causal bool mask
// masked_fill keeps (s² bytes per layer), the int64 token and position indices, the 0-d float64 scale
// factor each layer's `scores * (1/√d)` keeps (8 bytes) and the loss's 4-byte total weight.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { findCalculator } from '../../src/core/calculators';
import { numberArith } from '../../src/core/formulas/arith';
import { lmLayerActivationBytes, lmOuterActivationBytes } from '../../src/core/formulas/lmMemory';
import { runProcess } from './lib/process';
import { TORCH_PYTHON, assertTorchAvailable } from './lib/torchOracle';

const SCRIPT = fileURLToPath(new URL('./lm_memory.py', import.meta.url));

interface Measured {
  readonly saved_bytes: number;
  readonly checkpointed_saved_bytes: number;
  readonly params: number;
  readonly param_tensors: number;
  readonly adam_bytes: number;
}

const CONFIGS = [
  { layers: 2, d_model: 64, heads: 4, vocab: 100, seq_len: 16, batch: 3 },
  { layers: 3, d_model: 32, heads: 2, vocab: 50, seq_len: 8, batch: 2 },
];

async function measure(config: (typeof CONFIGS)[number]): Promise<Measured> {
  const run = await runProcess(TORCH_PYTHON, [SCRIPT], { input: JSON.stringify(config), timeoutMs: 120_000 });
  if (run.status !== 0) throw new Error(`lm_memory.py failed: ${run.stderr.slice(-1500)}`);
  return JSON.parse(run.stdout) as Measured;
}

describe('lm-training-memory against a GPT trained one step in PyTorch', () => {
  const measured: Measured[] = [];
  beforeAll(async () => {
    assertTorchAvailable();
    for (const c of CONFIGS) measured.push(await measure(c));
  }, 300_000);

  const inputs = (c: (typeof CONFIGS)[number]) => ({ ...Object.fromEntries(Object.entries(c).map(([k, v]) => [k, String(v)])), precision: 'fp32', amp: 'false', device: 'cpu', optimizer: 'adam' });
  const result = (c: (typeof CONFIGS)[number], extra: Record<string, string> = {}): Record<string, number> => {
    const out = findCalculator('lm-training-memory')!.compute({ ...inputs(c), ...extra });
    if (!out.ok) throw new Error(out.errors.join('; '));
    return out.result as Record<string, number>;
  };
  /** What the paper's accounting leaves out, by hand (see the header). */
  const leftOut = (c: (typeof CONFIGS)[number], layerNorms: number, layers: number): number => {
    const tokens = c.seq_len * c.batch;
    return layerNorms * 2 * tokens * 4 + layers * c.seq_len * c.seq_len + tokens * 8 + c.seq_len * 8 + layers * 8 + 4;
  };

  it.each(CONFIGS.map((c, i) => [i, c] as const))('config %i: parameters and Adam state exact', (i, c) => {
    const r = result(c);
    expect(r.params).toBe(measured[i]!.params);
    expect(r.optimizer_bytes).toBe(measured[i]!.adam_bytes);
  });

  it.each(CONFIGS.map((c, i) => [i, c] as const))('config %i: saved activations are the closed form plus what it leaves out, to the byte', (i, c) => {
    const r = result(c);
    const m = measured[i]!;
    // 2L + 1 LayerNorms; every layer has a causal mask and a scale factor.
    expect(m.saved_bytes - r.activations_bytes!).toBe(leftOut(c, 2 * c.layers + 1, c.layers));
    // The closed form alone is within 2% of the measurement at these tiny sizes (1.0% and 1.003%).
    expect(Math.abs(r.activations_bytes! - m.saved_bytes) / m.saved_bytes).toBeLessThan(0.02);
  });

  it.each(CONFIGS.map((c, i) => [i, c] as const))('config %i: with checkpointing each layer keeps its input (section 5), plus what the outer layers leave out', (i, c) => {
    const m = measured[i]!;
    const config = { layers: c.layers, dModel: c.d_model, heads: c.heads, vocab: c.vocab, seqLen: c.seq_len, batch: c.batch };
    const forwardSaved = c.layers * lmLayerActivationBytes(numberArith, config, 4, 4, true) + lmOuterActivationBytes(numberArith, config, 4, 4);
    // Only the final LayerNorm's statistics, the indices and the loss's total weight remain outside the checkpoints.
    const tokens = c.seq_len * c.batch;
    expect(m.checkpointed_saved_bytes - forwardSaved).toBe(2 * tokens * 4 + tokens * 8 + c.seq_len * 8 + 4);
    // The calculator's activations add the one layer backward recomputes at a time.
    expect(result(c, { checkpointing: 'true' }).activations_bytes).toBe(forwardSaved + lmLayerActivationBytes(numberArith, config, 4, 4, false));
  });
});
