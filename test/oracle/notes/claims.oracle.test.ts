// The notes' claims about PyTorch, checked against real PyTorch (Debian's torch at /usr/bin/python3):
// shapes and parameter counts the derivation panels substitute, the caveats about pooling, dropout,
// normalization defaults and kl_div, and the closed forms the derivations derive (BN and LN gradients,
// the Gaussian KL, the diffusion ᾱ_t, the label-smoothing optimum).
import { spawnSync } from 'node:child_process';
import { TORCH_PYTHON } from '../lib/python';
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { substituteTopic } from '../../../src/core/notes/substitution';
import { alphaBar } from '../../../src/core/formulas/diffusion';
import { klGaussian1d } from '../../../src/core/formulas/probability';

const PYTHON = TORCH_PYTHON;

const SCRIPT = String.raw`
import json, math
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(1)
torch.manual_seed(0)
out = {}
out['conv_out'] = nn.Conv2d(3, 64, 7, 2, 3)(torch.zeros(1, 3, 224, 224)).shape[-1]
out['ceil_pool'] = nn.MaxPool1d(2, stride=3, padding=1, ceil_mode=True)(torch.zeros(1, 1, 5)).shape[-1]
out['mha_params'] = sum(p.numel() for p in nn.MultiheadAttention(512, 8).parameters())
out['conv_params'] = sum(p.numel() for p in nn.Conv2d(64, 128, 3).parameters())
alpha_bar = torch.cumprod(1 - torch.linspace(1e-4, 0.02, 1000, dtype=torch.float64), 0)
out['alpha_bar'] = [alpha_bar[0].item(), alpha_bar[499].item(), alpha_bar[999].item()]
# Label smoothing: with eps = 0.1, K = 10 the optimal logit gap is ln 91, where the gradient vanishes.
z = torch.zeros(1, 10, dtype=torch.float64)
z[0, 3] = math.log(91)
z.requires_grad_(True)
F.cross_entropy(z, torch.tensor([3]), label_smoothing=0.1).backward()
out['ls_grad_norm'] = z.grad.norm().item()
# Inverted dropout: kept units are scaled by 1/(1 - p); eval is the identity.
d = nn.Dropout(0.25)
x = torch.ones(10000)
y = d(x)
out['dropout_values'] = sorted(set(round(v, 6) for v in y.tolist()))
d.eval()
out['dropout_eval_identity'] = bool(torch.equal(d(x), x))
inorm = nn.InstanceNorm2d(8)
out['instance_norm_defaults'] = [inorm.affine, inorm.track_running_stats]
# BatchNorm running statistics: momentum 0.1 and the unbiased variance.
bn = nn.BatchNorm1d(1)
batch = torch.tensor([[1.0], [2.0], [4.0], [7.0]])
bn(batch)
out['bn_running'] = [bn.running_mean.item(), bn.running_var.item()]
out['torch_var_default'] = torch.tensor([1.0, 2.0, 4.0, 7.0]).var().item()
# BN input gradient (training mode, one channel) and LN input gradient against autograd.
xb = torch.tensor([[0.3], [-1.2], [2.5], [0.9], [-0.4]], dtype=torch.float64, requires_grad=True)
g = torch.tensor([[0.7], [-0.1], [0.4], [-1.3], [0.2]], dtype=torch.float64)
bn64 = nn.BatchNorm1d(1, affine=False).double()
(bn64(xb) * g).sum().backward()
out['bn_grad'] = xb.grad.flatten().tolist()
xl = torch.tensor([1.0, -0.5, 2.0, 0.25], dtype=torch.float64, requires_grad=True)
gl = torch.tensor([0.3, -0.8, 0.5, 1.1], dtype=torch.float64)
(F.layer_norm(xl, (4,), eps=0.0) * gl).sum().backward()
out['ln_grad'] = xl.grad.tolist()
# kl_div(log q, p) computes KL(p || q).
p = torch.tensor([0.2, 0.5, 0.3], dtype=torch.float64)
q = torch.tensor([0.4, 0.4, 0.2], dtype=torch.float64)
out['kl_div'] = F.kl_div(q.log(), p, reduction='sum').item()
out['kl_normal'] = torch.distributions.kl_divergence(torch.distributions.Normal(0.0, 1.0), torch.distributions.Normal(1.0, 2.0)).item()
# Group norm spans layer norm (G = 1) and instance norm (G = C) in its statistics.
xn = torch.randn(2, 6, 5, 4, dtype=torch.float64)
out['gn1_vs_ln'] = (F.group_norm(xn, 1) - F.layer_norm(xn, xn.shape[1:])).abs().max().item()
out['gnC_vs_in'] = (F.group_norm(xn, 6) - F.instance_norm(xn)).abs().max().item()
print(json.dumps(out))
`;

interface Oracle {
  conv_out: number;
  ceil_pool: number;
  mha_params: number;
  conv_params: number;
  alpha_bar: [number, number, number];
  ls_grad_norm: number;
  dropout_values: number[];
  dropout_eval_identity: boolean;
  instance_norm_defaults: [boolean, boolean];
  bn_running: [number, number];
  torch_var_default: number;
  bn_grad: number[];
  ln_grad: number[];
  kl_div: number;
  kl_normal: number;
  gn1_vs_ln: number;
  gnC_vs_in: number;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const biasedVariance = (xs: readonly number[]): number => mean(xs.map((x) => (x - mean(xs)) ** 2));

function substitutedValue(id: string, values: Record<string, number>, line: number): number {
  const result = substituteTopic(id, values);
  if (!result.ok) throw new Error(result.error);
  return Number(/= (-?[\d.]+)$/.exec(result.substitution.lines[line]!.text)![1]);
}

describe.skipIf(!existsSync(PYTHON))('notes claims against PyTorch', () => {
  let oracle: Oracle;

  beforeAll(() => {
    const run = spawnSync(PYTHON, ['-c', SCRIPT], { encoding: 'utf8', timeout: 300_000 });
    if (run.status !== 0) throw new Error(`PyTorch oracle failed: ${run.stderr}`);
    oracle = JSON.parse(run.stdout) as Oracle;
  });

  it('substituted numbers match PyTorch: Conv2d(3, 64, 7, 2, 3) on 224 → 112, Conv2d(64, 128, 3) params, MHA(512, 8) params', () => {
    expect(substitutedValue('conv-output-size', { L: 224, K: 7, S: 2, P: 3, D: 1 }, 1)).toBe(oracle.conv_out);
    expect(substitutedValue('conv-parameter-count', { Cin: 64, Cout: 128, K: 3, groups: 1, bias: 1 }, 0)).toBe(oracle.conv_params);
    expect(substitutedValue('multi-head-attention', { d: 512, h: 8 }, 1)).toBe(oracle.mha_params);
  });

  it('ceil_mode pooling drops the window that starts in the padding (length 5 → 2)', () => {
    expect(oracle.ceil_pool).toBe(2);
  });

  it('ᾱ_t of the linear schedule matches torch.cumprod', () => {
    const schedule = { kind: 'linear', steps: 1000, betaStart: 1e-4, betaEnd: 0.02 } as const;
    [1, 500, 1000].forEach((t, i) => expect(alphaBar(schedule, t) / oracle.alpha_bar[i]!).toBeCloseTo(1, 10));
  });

  it('label smoothing: the cross-entropy gradient vanishes at the logit gap ln 91 (ε = 0.1, K = 10)', () => {
    expect(oracle.ls_grad_norm).toBeLessThan(1e-12);
  });

  it('dropout is inverted (kept units × 1/(1 − p)) and the identity in eval; InstanceNorm2d has no affine or running stats by default', () => {
    expect(oracle.dropout_values).toEqual([0, Number((1 / 0.75).toFixed(6))]);
    expect(oracle.dropout_eval_identity).toBe(true);
    expect(oracle.instance_norm_defaults).toEqual([false, false]);
  });

  it('BatchNorm running stats use momentum 0.1 and the unbiased variance; torch.var is unbiased by default', () => {
    const batch = [1, 2, 4, 7];
    // mean 3.5; unbiased variance = Σ(x − 3.5)²/3 = (6.25 + 2.25 + 0.25 + 12.25)/3 = 7
    expect(oracle.bn_running[0]).toBeCloseTo(0.9 * 0 + 0.1 * 3.5, 6);
    expect(oracle.bn_running[1]).toBeCloseTo(0.9 * 1 + 0.1 * 7, 6);
    expect(oracle.torch_var_default).toBeCloseTo(7, 6);
    expect(biasedVariance(batch)).toBeCloseTo(5.25, 12);
  });

  it('the batch-norm and layer-norm gradient formulas of the derivations equal autograd', () => {
    const x = [0.3, -1.2, 2.5, 0.9, -0.4];
    const g = [0.7, -0.1, 0.4, -1.3, 0.2];
    const eps = 1e-5;
    const sd = Math.sqrt(biasedVariance(x) + eps);
    const xhat = x.map((v) => (v - mean(x)) / sd);
    const sumG = g.reduce((a, b) => a + b, 0);
    const sumGx = g.reduce((a, gi, i) => a + gi * xhat[i]!, 0);
    const bn = x.map((_, i) => (5 * g[i]! - sumG - xhat[i]! * sumGx) / (5 * sd));
    bn.forEach((v, i) => expect(v).toBeCloseTo(oracle.bn_grad[i]!, 10));

    const xl = [1.0, -0.5, 2.0, 0.25];
    const gl = [0.3, -0.8, 0.5, 1.1];
    const sigma = Math.sqrt(biasedVariance(xl));
    const s = xl.map((v) => (v - mean(xl)) / sigma);
    const gBar = mean(gl);
    const sg = s.reduce((a, si, i) => a + si * gl[i]!, 0) / 4;
    const ln = gl.map((gi, i) => (gi - gBar - sg * s[i]!) / sigma);
    ln.forEach((v, i) => expect(v).toBeCloseTo(oracle.ln_grad[i]!, 10));
  });

  it('F.kl_div(log q, p) is KL(p ‖ q), and the 1-D Gaussian KL matches torch.distributions', () => {
    const p = [0.2, 0.5, 0.3];
    const q = [0.4, 0.4, 0.2];
    expect(oracle.kl_div).toBeCloseTo(p.reduce((a, pi, i) => a + pi * Math.log(pi / q[i]!), 0), 12);
    expect(klGaussian1d(0, 1, 1, 2)).toBeCloseTo(oracle.kl_normal, 6);
  });

  it('GroupNorm(1, C) has LayerNorm’s statistics over (C, H, W) and GroupNorm(C, C) has InstanceNorm’s', () => {
    expect(oracle.gn1_vs_ln).toBeLessThan(1e-12);
    expect(oracle.gnC_vs_in).toBeLessThan(1e-12);
  });
});
