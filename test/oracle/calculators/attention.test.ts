// src/core/formulas/attention.ts against PyTorch: nn.MultiheadAttention's parameter count in its variants,
// and the ViT token count a stride-P patch Conv2d really produces (floors included).
import { spawnSync } from 'node:child_process';
import { TORCH_PYTHON } from '../lib/python';
import { beforeAll, describe, expect, it } from 'vitest';
import { numberArith } from '../../../src/core/formulas/arith';
import { attentionParameterCount, multiheadAttentionModuleParameterCount, patchEmbeddingParameterCount, vitTokenCount } from '../../../src/core/formulas/attention';

const MHA_CASES = [
  { embedDim: 512, numHeads: 8, kdim: 512, vdim: 512, bias: true, addBiasKv: false },
  { embedDim: 512, numHeads: 8, kdim: 512, vdim: 512, bias: false, addBiasKv: false },
  { embedDim: 256, numHeads: 4, kdim: 128, vdim: 64, bias: true, addBiasKv: true },
  { embedDim: 96, numHeads: 3, kdim: 96, vdim: 96, bias: true, addBiasKv: true },
];
const VIT_CASES = [
  { height: 224, width: 224, patch: 16 },
  { height: 230, width: 200, patch: 16 },
  { height: 32, width: 48, patch: 5 },
];

const SCRIPT = String.raw`
import json, sys
import torch
import torch.nn as nn
torch.set_num_threads(1)
cases = json.load(sys.stdin)
mha = []
for c in cases['mha']:
    m = nn.MultiheadAttention(c['embedDim'], c['numHeads'], bias=c['bias'], add_bias_kv=c['addBiasKv'], kdim=c['kdim'], vdim=c['vdim'])
    mha.append(sum(p.numel() for p in m.parameters()))
vit = []
for c in cases['vit']:
    conv = nn.Conv2d(3, 768, c['patch'], stride=c['patch'])
    with torch.no_grad():
        y = conv(torch.zeros(1, 3, c['height'], c['width']))
    vit.append({'tokens': y.shape[2] * y.shape[3], 'params': sum(p.numel() for p in conv.parameters())})
print(json.dumps({'mha': mha, 'vit': vit}))
`;

let torch: { mha: number[]; vit: { tokens: number; params: number }[] };
beforeAll(() => {
  const run = spawnSync(TORCH_PYTHON, ['-c', SCRIPT], { input: JSON.stringify({ mha: MHA_CASES, vit: VIT_CASES }), encoding: 'utf8', timeout: 300_000 });
  if (run.status !== 0) throw new Error(`${TORCH_PYTHON} failed: ${run.error?.message ?? run.stderr.slice(0, 2000)}`);
  torch = JSON.parse(run.stdout);
});

describe('attention formulas agree with PyTorch', () => {
  it("counts nn.MultiheadAttention's parameters (bias, add_bias_kv, kdim/vdim)", () => {
    MHA_CASES.forEach((c, i) => expect(multiheadAttentionModuleParameterCount(numberArith, c), JSON.stringify(c)).toBe(torch.mha[i]));
    // The GQA formula reduces to the module's count for MHA (g = h) with kdim = vdim = d.
    expect(attentionParameterCount(numberArith, { embedDim: 512, numHeads: 8, kvHeads: 8 }, true)).toBe(torch.mha[0]);
    expect(attentionParameterCount(numberArith, { embedDim: 512, numHeads: 8, kvHeads: 8 }, false)).toBe(torch.mha[1]);
  });

  it('counts the tokens and parameters of a stride-P patch embedding', () => {
    VIT_CASES.forEach((c, i) => {
      expect(vitTokenCount(numberArith, c.height, c.width, c.patch, false), JSON.stringify(c)).toBe(torch.vit[i]!.tokens);
      expect(patchEmbeddingParameterCount(numberArith, c.patch, 3, 768)).toBe(torch.vit[i]!.params);
    });
  });
});
