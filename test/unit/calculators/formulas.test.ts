// Attention, init, optimisation, diffusion and KL calculators on hand-worked cases from the formulas'
// sources (notes catalogue, PyTorch's torch/nn/init.py, Ho et al. 2020, Polyak 1964). The arithmetic is in
// the comments; expected numbers never come from running the code under test.
import { describe, expect, it } from 'vitest';
import { findCalculator } from '../../../src/core/calculators';
import type { RawInputs } from '../../../src/core/calculators';
import { numberArith, textArith } from '../../../src/core/formulas/arith';
import { attentionMacs, attentionParameterCount, multiheadAttentionModuleParameterCount, vitTokenCount } from '../../../src/core/formulas/attention';
import { calculateGain, convTransposeWeightShape, convWeightShape, fansOfShape, layerVarianceGain, pytorchDefaultSpread, xavierSpread } from '../../../src/core/formulas/init';
import { linearBeta } from '../../../src/core/formulas/diffusion';

function ok(id: string, inputs: RawInputs) {
  const outcome = findCalculator(id)?.compute(inputs);
  if (!outcome?.ok) throw new Error(`${id} refused: ${outcome && !outcome.ok ? outcome.errors.join('; ') : 'missing'}`);
  return outcome;
}
const errorsOf = (id: string, inputs: RawInputs) => {
  const outcome = findCalculator(id)?.compute(inputs);
  return outcome && !outcome.ok ? outcome.errors : [];
};
type Obj = Record<string, unknown>;

describe('attention formulas', () => {
  it('counts nn.MultiheadAttention(512, 8) as 4d² + 4d = 4·262144 + 2048 = 1050624', () => {
    const d = 512;
    expect(attentionParameterCount(numberArith, { embedDim: d, numHeads: 8, kvHeads: 8 }, true)).toBe(1050624);
    expect(multiheadAttentionModuleParameterCount(numberArith, { embedDim: d, kdim: d, vdim: d, bias: true, addBiasKv: false })).toBe(1050624);
    // kdim = vdim = 256: d·(d + 256 + 256) + d² + 4d = 512·1024 + 262144 + 2048 = 524288 + 264192 = 788480.
    expect(multiheadAttentionModuleParameterCount(numberArith, { embedDim: d, kdim: 256, vdim: 256, bias: true, addBiasKv: false })).toBe(788480);
  });

  it('costs MHA self-attention 4Md² + 2M²d: M = d = 512 gives 536870912 + 268435456 = 805306368 MACs', () => {
    expect(attentionMacs(numberArith, { embedDim: 512, numHeads: 8, kvHeads: 8 }, 512, 512).total).toBe(805306368);
  });

  it('renders the formula on text with the numbers substituted', () => {
    const t = { embedDim: 'd', numHeads: 'h', kvHeads: 'g' };
    expect(attentionMacs(textArith, t, 'N', 'M').scores).toBe('N·M·d');
  });

  it("gives the notes' convention h·(3Md² + 2M²d) and MQA's saving 2Md²(h − 1)", () => {
    // h = 8, M = d = 512: 8·(3 + 2)·512³ = 40·134217728 = 5368709120.
    const mha = ok('attention-cost', { M: '512', embed_dim: '512', num_heads: '8', convention: 'notes' }).result as Obj;
    expect((mha.encoder_self as Obj).macs).toBe(5368709120);
    // MQA saves 2·512·512²·7 = 2·134217728·7 = 1879048192.
    const mqa = ok('attention-cost', { M: '512', embed_dim: '512', num_heads: '8', kv_heads: '1', convention: 'notes' }).result as Obj;
    expect(mqa.kv_projection_macs_saved).toBe(1879048192);
    expect(mqa.kind).toBe('MQA');
  });

  it('costs standard cross-attention 2Nd² + 2Md² + 2NMd: N = 128, M = 512, d = 256', () => {
    // 2·128·65536 + 2·512·65536 + 2·128·512·256 = 16777216 + 67108864 + 33554432 = 117440512.
    const result = ok('attention-cost', { M: '512', N: '128', embed_dim: '256', num_heads: '4' }).result as Obj;
    expect((result.cross as Obj).macs).toBe(117440512);
    expect((result.cross as Obj).flops).toBe(234881024);
  });

  it('counts GQA parameters: d = 4096, h = 32, g = 8 → 2d² + 2d·(8·128), no bias', () => {
    // 2·16777216 + 2·4096·1024 = 33554432 + 8388608 = 41943040.
    expect((ok('attention-cost', { M: '16', embed_dim: '4096', num_heads: '32', kv_heads: '8', bias: 'false' }).result as Obj).params).toBe(41943040);
  });

  it('rejects heads that do not divide', () => {
    expect(errorsOf('attention-cost', { embed_dim: '100', num_heads: '8' })).toEqual(['embed_dim (100) must be divisible by num_heads (8)']);
    expect(errorsOf('attention-cost', { num_heads: '8', kv_heads: '3' })[0]).toContain('num_heads (8) must be divisible by kv_heads (3)');
  });

  it('counts ViT tokens: 224/16 → 14·14 + 1 = 197; 224/8 → 28·28 + 1 = 785 (16× the attention of 196 patches)', () => {
    expect(vitTokenCount(numberArith, 224, 224, 16, true)).toBe(197);
    expect((ok('vit-tokens', { H: '224', patch_size: '8' }).result as Obj).tokens).toBe(785);
    // Patch embedding Conv2d(3, 768, 16, 16): 16²·3·768 + 768 = 589824 + 768 = 590592.
    expect((ok('vit-tokens', {}).result as Obj).patch_embed_params).toBe(590592);
  });

  it('sizes the KV cache: 2·32 layers·8 heads·128·4096 tokens·1·2 bytes = 536870912 B = 512 MiB', () => {
    const out = ok('kv-cache', { layers: '32', kv_heads: '8', head_dim: '128', context: '4096', batch: '1', dtype: 'bf16' });
    expect(out.result).toBe(536870912);
    expect(out.formula).toContain('512 MiB (0.5 GiB)');
    // MHA with 32 K/V heads in fp32: 4·2·... = 32/8·2·536870912 = 4294967296 B = 4 GiB.
    expect(ok('kv-cache', { layers: '32', kv_heads: '32', head_dim: '128', context: '4096', dtype: 'fp32' }).result).toBe(4294967296);
  });
});

describe('init formulas (torch/nn/init.py)', () => {
  it('has every calculate_gain value: linear/conv/sigmoid 1, tanh 5/3, relu √2, leaky_relu √(2/(1 + a²)), selu 3/4', () => {
    expect(calculateGain('conv_transpose2d')).toBe(1);
    expect(calculateGain('sigmoid')).toBe(1);
    expect(calculateGain('tanh')).toBeCloseTo(5 / 3, 15);
    expect(calculateGain('relu')).toBeCloseTo(Math.SQRT2, 15);
    // Default slope 0.01: √(2/1.0001) = 1.41414284...
    expect(calculateGain('leaky_relu')).toBeCloseTo(1.4141428569978354, 12);
    expect(calculateGain('leaky_relu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 15);
    expect(calculateGain('selu')).toBe(0.75);
  });

  it('computes fans as torch does: Conv2d(3, 64, 7) weight (64, 3, 7, 7) → fan_in 147, fan_out 3136', () => {
    expect(fansOfShape(convWeightShape(3, 64, [7, 7]))).toEqual({ fanIn: 147, fanOut: 3136 });
    // ConvTranspose2d(64, 3, 4) weight is (64, 3, 4, 4): torch's fan_in = 3·16 = 48, fan_out = 64·16 = 1024.
    expect(fansOfShape(convTransposeWeightShape(64, 3, [4, 4]))).toEqual({ fanIn: 48, fanOut: 1024 });
    expect(fansOfShape([5])).toBeUndefined();
  });

  it("gives PyTorch's default Var = 1/(3·fan_in): 1/1536 = 0.000651 for fan_in 512 (PyTorch measures 0.000651: test/oracle/calculators/init.test.ts)", () => {
    const spread = pytorchDefaultSpread(512);
    expect(spread.variance).toBeCloseTo(1 / 1536, 15);
    expect(spread.uniformBound).toBeCloseTo(1 / Math.sqrt(512), 15);
  });

  it('halves the variance per layer for Xavier (gain 1) + ReLU with fan_in = fan_out, as the notes derive', () => {
    // Var(w) = 2/(512 + 512) = 1/512; gain = 512·(1/512)·1/2 = 1/2.
    const spread = xavierSpread({ fanIn: 512, fanOut: 512 });
    expect(layerVarianceGain(512, spread.variance, 'relu')).toBeCloseTo(0.5, 15);
    const out = ok('init-std', { scheme: 'xavier', fan_in: '512', fan_out: '512', gain: '1', nonlinearity: 'relu' }).result as Obj;
    expect(out.variance_gain).toBeCloseTo(0.5, 15);
    // std = √(1/512) = 0.0441941738; bound = √(6/1024) = 0.0765465544.
    expect(out.std).toBeCloseTo(0.0441941738, 9);
    expect(out.uniform_bound).toBeCloseTo(0.0765465544, 9);
  });

  it('keeps the variance for Kaiming + ReLU: std √2/√576 = 0.0589256 for a 3×3 conv on 64 channels', () => {
    // fan_in = 64·9 = 576; Var = 2/576; gain = 576·(2/576)·1/2 = 1.
    const out = ok('init-std', { scheme: 'kaiming', weight_shape: '64,64,3,3', nonlinearity: 'relu' }).result as Obj;
    expect(out.fan_in).toBe(576);
    expect(out.std).toBeCloseTo(0.0589255651, 9);
    expect(out.variance_gain).toBeCloseTo(1, 12);
  });

  it("uses kaiming's own default a = 0 (gain √2), not calculate_gain's 0.01", () => {
    // fan_in 100: std = √2/10 = 0.141421356.
    expect((ok('init-std', { scheme: 'kaiming', fan_in: '100' }).result as Obj).std).toBeCloseTo(0.1414213562, 9);
  });

  it('asks for the fans it needs', () => {
    expect(errorsOf('init-std', { scheme: 'xavier', fan_in: '10' })).toEqual(['xavier needs fan_out too (or weight_shape)']);
    expect(errorsOf('init-std', { weight_shape: '10' })[0]).toContain('at least 2 dimensions');
    expect(errorsOf('init-std', {})[0]).toContain('give fan_in');
  });
});

describe('gd-step', () => {
  it('gives 2/λ_max = 0.2, η* = 2/11, ρ* = 9/11 for λ ∈ [1, 10] (the notes checked 9/11 numerically)', () => {
    const result = ok('gd-step', { lambda_min: '1', lambda_max: '10' }).result as Obj;
    expect(result.kappa).toBe(10);
    expect(result.stable_bound).toBeCloseTo(0.2, 15);
    expect(result.monotone_bound).toBeCloseTo(0.1, 15);
    expect(result.optimal_lr).toBeCloseTo(2 / 11, 15);
    expect(result.optimal_rate).toBeCloseTo(9 / 11, 15);
    // ln(1e6)/ln(11/9) = 13.8155/0.200671 = 68.85 → 69 steps.
    expect(result.iterations).toBe(69);
  });

  it('takes singular values of A: σ = 1 and √10 give the same κ = 10', () => {
    expect((ok('gd-step', { sigma_min: '1', sigma_max: String(Math.sqrt(10)) }).result as Obj).kappa).toBeCloseTo(10, 12);
  });

  it("gives Polyak's heavy-ball optimum: √κ = √10, ρ = (√10 − 1)/(√10 + 1) = 0.519494, μ = ρ² = 0.269874", () => {
    // lr* = 4/(√10 + 1)² = 4/17.32456 = 0.2308862; bound 2(1 + 0.9)/10 = 0.38.
    const m = (ok('gd-step', { lambda_min: '1', lambda_max: '10', momentum: '0.9' }).result as Obj).momentum as Obj;
    expect(m.optimal_rate).toBeCloseTo(0.5194938533, 9);
    expect(m.optimal_momentum).toBeCloseTo(0.2698738636, 9);
    expect(m.optimal_lr).toBeCloseTo(0.2308861570, 9);
    expect(m.stable_bound).toBeCloseTo(0.38, 15);
  });

  it('evaluates a given lr: 0.15 on [1, 10] contracts by max(|1 − 0.15|, |1 − 1.5|) = 0.85', () => {
    expect((ok('gd-step', { lambda_min: '1', lambda_max: '10', lr: '0.15' }).result as Obj).rate_at_lr).toBeCloseTo(0.85, 15);
  });

  it('needs a consistent pair', () => {
    expect(errorsOf('gd-step', { lambda_min: '10', lambda_max: '1' })[0]).toContain('must not exceed');
    expect(errorsOf('gd-step', { lambda_min: '1', sigma_max: '3' })[0]).toContain('not both');
    expect(errorsOf('gd-step', { lambda_min: '0', lambda_max: '1' })[0]).toMatch(/^lambda_min must be a positive number, got '0'/);
  });
});

describe('adam-bias', () => {
  it('at t = 1: 1 − 0.9 = 0.1, 1 − 0.999 = 0.001, step scale √0.001/0.1 = 0.316228', () => {
    const r = ok('adam-bias', { t: '1' }).result as Obj;
    expect(r.bias_correction1).toBeCloseTo(0.1, 15);
    expect(r.bias_correction2).toBeCloseTo(0.001, 15);
    expect(r.m_hat_scale).toBeCloseTo(10, 12);
    expect(r.v_hat_scale).toBeCloseTo(1000, 9);
    expect(r.step_scale).toBeCloseTo(0.316227766, 9);
  });

  it('at t = 10: 1 − 0.9¹⁰ = 1 − 0.3486784401 = 0.6513215599', () => {
    expect((ok('adam-bias', { t: '10' }).result as Obj).bias_correction1).toBeCloseTo(0.6513215599, 12);
  });
});

describe('diffusion-schedule', () => {
  it('follows torch.linspace(1e-4, 0.02, 1000): β_1 = 1e-4, β_1000 = 0.02, β_2 = 1e-4 + 0.0199/999', () => {
    expect(linearBeta(1, 1000, 1e-4, 0.02)).toBeCloseTo(1e-4, 18);
    expect(linearBeta(1000, 1000, 1e-4, 0.02)).toBeCloseTo(0.02, 15);
    expect(linearBeta(2, 1000, 1e-4, 0.02)).toBeCloseTo(1.1991991992e-4, 15);
  });

  it('gives ᾱ_1 = 0.9999 and ᾱ_2 = 0.9999·(1 − 1.1991992e-4) = 0.99978010', () => {
    expect((ok('diffusion-schedule', { t: '1' }).result as Obj).alpha_bar).toBeCloseTo(0.9999, 15);
    // 0.9999 − 0.9999·1.1991992e-4 = 0.9999 − 1.19907928e-4 = 0.999780092.
    expect((ok('diffusion-schedule', { t: '2' }).result as Obj).alpha_bar).toBeCloseTo(0.999780092, 9);
  });

  it("ends DDPM's linear schedule at ᾱ_1000 ≈ 4.036e-5 (the value DDPM implementations print)", () => {
    const r = ok('diffusion-schedule', { t: '1000' }).result as Obj;
    expect(r.alpha_bar as number).toBeCloseTo(4.0358e-5, 8);
    expect(r.sqrt_one_minus_alpha_bar as number).toBeCloseTo(Math.sqrt(1 - 4.0358e-5), 6);
  });

  it('gives the cosine schedule ᾱ_500 = f(500)/f(0): cos²((0.508/1.008)·π/2)/cos²((0.008/1.008)·π/2)', () => {
    // (0.508/1.008)·π/2 = 0.791631; cos = 0.702685, cos² = 0.493767. (0.008/1.008)·π/2 = 0.0124666; cos² = 0.999845.
    // Ratio 0.493767/0.999845 = 0.493844; no β reaches the 0.999 cap before t = 500, so the product telescopes.
    const r = ok('diffusion-schedule', { schedule: 'cosine', t: '500' }).result as Obj;
    expect(r.alpha_bar as number).toBeCloseTo(0.493844, 5);
    expect(r.snr as number).toBeCloseTo(0.493844 / 0.506156, 4);
  });

  it('keeps t within 1..T', () => {
    expect(errorsOf('diffusion-schedule', { T: '100', t: '101' })).toEqual(['t (101) must be between 1 and T (100)']);
  });
});

describe('kl-gaussians', () => {
  it('KL(N(1, 0.5²) ‖ N(0, 1)) = ln 2 + (0.25 + 1)/2 − 1/2 = 0.693147 + 0.125 = 0.818147', () => {
    const r = ok('kl-gaussians', { mu1: '1', sigma1: '0.5' }).result as Obj;
    expect(r.kl).toBeCloseTo(0.8181471806, 9);
    // Reverse: ln(0.5) + (1 + 1)/(2·0.25) − 1/2 = −0.693147 + 4 − 0.5 = 2.806853.
    expect(r.kl_reverse).toBeCloseTo(2.8068528194, 9);
  });

  it('sums diagonal dimensions and matches the VAE form ½Σ(σ² + μ² − 1 − ln σ²)', () => {
    // Dim 2: μ = 0, σ = 2: ½(4 + 0 − 1 − ln 4) = ½(3 − 1.386294) = 0.806853; total 0.818147 + 0.806853 = 1.625000.
    const r = ok('kl-gaussians', { mu1: '1,0', sigma1: '0.5,2' }).result as Obj;
    expect(r.per_dim as number[]).toHaveLength(2);
    expect(r.kl).toBeCloseTo(1.625, 9);
  });

  it('is zero for identical Gaussians and rejects σ ≤ 0 and mismatched lengths', () => {
    expect((ok('kl-gaussians', { mu1: '3', sigma1: '2', mu2: '3', sigma2: '2' }).result as Obj).kl).toBe(0);
    expect(errorsOf('kl-gaussians', { mu1: '0', sigma1: '0' })[0]).toMatch(/^sigma1 must be a positive number \(or a comma list of them\), got '0'/);
    expect(errorsOf('kl-gaussians', { mu1: '0,1,2', sigma1: '1,1' })[0]).toContain('sigma1 has 2 values');
  });
});
