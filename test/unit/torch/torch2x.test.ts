// Entries that exist only in PyTorch 2.x, checked by hand against the 2.x documentation (PyTorch 1.13,
// the oracle here, lacks them): shapes and parameters, and their absence for an older release.
import { describe, expect, it } from 'vitest';
import { summarizeModel } from '../../../src/core/index';
import type { ModelSummary } from '../../../src/core/index';
import { parseTorchVersion } from '../../../src/core/frameworks/torch/version';
import { HEADER, outputs } from '../interp/helpers';

function at(version: string, body: string, inputs: string[]): ModelSummary {
  const r = summarizeModel({ path: '/ws/m.py', text: HEADER + body, inputs, torchVersion: parseTorchVersion(version)! });
  if ('error' in r) throw new Error(r.error);
  return r;
}

const LAYERS = `
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = nn.RMSNorm([6, 8])
        self.norm_plain = nn.RMSNorm(8, elementwise_affine=False)
        self.zpad = nn.ZeroPad1d((1, 2))
        self.zpad3 = nn.ZeroPad3d(1)
        self.cpad = nn.CircularPad2d((1, 1, 2, 0))
        self.lp = nn.LPPool3d(2, kernel_size=2)

    def forward(self, x):
        a = self.norm(x)
        b = self.norm_plain(x)
        c = self.zpad(x)
        d = self.zpad3(x.unsqueeze(0))
        e = self.cpad(x)
        f = self.lp(x.unsqueeze(0))
        return F.rms_norm(a, (8,)) + b
`;

describe('PyTorch 2.x layers and functions', () => {
  it('RMSNorm, ZeroPad1d/3d, CircularPad2d and LPPool3d in 2.6', () => {
    const s = at('2.6', LAYERS, ['2,6,8']);
    expect(outputs(s)).toEqual([
      ['norm', [2, 6, 8]],
      ['norm_plain', [2, 6, 8]],
      // ZeroPad1d((1, 2)) pads the last dim: 8 + 1 + 2 = 11.
      ['zpad', [2, 6, 11]],
      // ZeroPad3d(1) on (1, 2, 6, 8) pads the last three dims by 2 each: (1, 4, 8, 10).
      ['zpad3', [1, 4, 8, 10]],
      // CircularPad2d((left 1, right 1, top 2, bottom 0)) on (2, 6, 8): H 6 + 2 = 8, W 8 + 2 = 10.
      ['cpad', [2, 8, 10]],
      // LPPool3d(2, kernel 2) on (1, 2, 6, 8) as (C=1, D=2, H=6, W=8): ⌊(n − 2)/2⌋ + 1 → (1, 1, 3, 4).
      ['lp', [1, 1, 3, 4]],
    ]);
    // RMSNorm([6, 8]) has one weight of 6·8 = 48 (no bias); elementwise_affine=False has none.
    expect(s.calls.find((c) => c.path === 'norm')?.params).toBe(48);
    expect(s.params).toBe(48);
    expect(s.output).toEqual([2, 6, 8]);
  });
  it('the same layers are unknown names in PyTorch 2.0', () => {
    const s = at('2.0', LAYERS, ['2,6,8']);
    expect(s.calls.filter((c) => c.path !== '')).toEqual([]);
    expect(s.unknown.length + s.errors.length).toBeGreaterThan(0);
  });
  it('torch.compile returns the model it wraps (2.0 and later)', () => {
    const code = `
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.inner = torch.compile(nn.Linear(4, 3))

    def forward(self, x):
        return self.inner(x)
`;
    expect(outputs(at('2.1', code, ['2,4']))).toEqual([['inner', [2, 3]]]);
    expect(outputs(at('1.13', code, ['2,4'])).filter(([path]) => path !== '')).toEqual([]);
  });
  it('unravel_index (2.2) gives one index tensor per dim; itemsize and nbytes (2.1) follow the dtype', () => {
    const code = `
class M(nn.Module):
    def __init__(self):
        super().__init__()
        rows, cols = torch.unravel_index(torch.arange(6), (2, 3))
        t = torch.zeros(3, 5)
        self.fc = nn.Linear(rows.shape[0] + t.itemsize, t.nbytes)

    def forward(self, x):
        return self.fc(x)
`;
    // rows has arange(6)'s shape (6,); float32 itemsize 4 → in 10; nbytes 3·5·4 = 60.
    expect(outputs(at('2.2', code, ['1,10']))).toEqual([['fc', [1, 60]]]);
  });
});
