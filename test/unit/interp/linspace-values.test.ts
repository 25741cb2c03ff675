// Drop-path rates as vision models compute them, `[x.item() for x in torch.linspace(0, rate, depth)]`: the
// elements of a small linspace keep PyTorch's float32 values, so `DropPath(p) if p > 0. else nn.Identity()`
// picks the layer PyTorch builds. Expected values are PyTorch 1.13's
// (torch.linspace(0.5, 3.7, 7).tolist()[3] = 2.0999999046325684, [4] = 2.633333206176758).
import { describe, expect, it } from 'vitest';
import { HEADER, outputs, summary } from './helpers';

function model(body: string): string {
  return `${HEADER}\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n${body
    .split('\n')
    .map((l) => `        ${l}`)
    .join('\n')}\n\n    def forward(self, x):\n        return self.fc(self.drop(x))\n`;
}

describe('values of small linspace tensors', () => {
  it('keeps PyTorch float32 values for elements taken by iteration and by index', () => {
    const s = summary(model('rates = [x.item() for x in torch.linspace(0.5, 3.7, 7)]\nt = torch.linspace(0.5, 3.7, 7)\nself.drop = nn.Identity()\nself.fc = nn.Linear(1, int(rates[3] * 1e7) - 20999990 + int(t[4].item() * 1e7) - 26333330)'), { model: 'Net()', inputs: ['1,1'] });
    // int(2.0999999046325684e7) - 20999990 = 9; int(2.633333206176758e7) - 26333330 = 2.
    expect(outputs(s)).toEqual([['drop', [1, 1]], ['fc', [1, 11]]]);
  });

  it('decides drop-path layers from all-zero rates', () => {
    const s = summary(model('dpr = [x.item() for x in torch.linspace(0, 0.0, 4)]\nself.drop = nn.Dropout(dpr[2]) if dpr[2] > 0. else nn.Identity()\nself.fc = nn.Linear(1, 2)'), { model: 'Net()', inputs: ['1,1'] });
    expect(s.calls.map((c) => c.type)).toEqual(['Identity', 'Linear']);
    expect(s.unknown).toEqual([]);
  });

  it('gives each stage its run of rates when the linspace is split by stage depths (timm, ConvNeXt)', () => {
    // torch.linspace(0, 0.3, 4) = [0, 0.1, 0.2, 0.3]; split([1, 3]) -> [[0], [0.1, 0.2, 0.3]]: stage 0 has no drop
    // path (Identity), stage 1's last rate is 0.3 (Dropout), and the second stage has 3 rates.
    const s = summary(model('dp = [x.tolist() for x in torch.linspace(0, 0.3, 4).split([1, 3])]\nself.drop = nn.Sequential(nn.Dropout(dp[1][2]) if dp[1][2] > 0. else nn.Identity(), nn.Dropout(dp[0][0]) if dp[0][0] > 0. else nn.Identity())\nself.fc = nn.Linear(1, len(dp[1]))'), { model: 'Net()', inputs: ['1,1'] });
    expect(s.calls.map((c) => c.type)).toEqual(['Dropout', 'Identity', 'Linear']);
    expect(outputs(s).at(-1)).toEqual(['fc', [1, 3]]);
  });
});

describe('dtype conversions keep known values as PyTorch converts them', () => {
  it('.to(float32) keeps, .to(torch.long) truncates toward zero, .to(device) keeps, .bool() tests non-zero', () => {
    // arange(4).to(torch.float32) * 1.5 = [0, 1.5, 3, 4.5] -> 2·4.5 = 9; tensor([-1.7, 3.9]).to(torch.long) = [-1, 3]
    // -> 3 - (-1) = 4; arange(3).to('cpu')[2] = 2; tensor([0., 2., 0.5]).bool().sum() = 2.
    const s = summary(model([
      'v = torch.arange(4).to(torch.float32) * 1.5',
      'w = torch.tensor([-1.7, 3.9]).to(dtype=torch.long)',
      "c = torch.arange(3).to('cpu')",
      'b = torch.tensor([0., 2., 0.5]).bool().sum()',
      'self.drop = nn.Identity()',
      'self.fc = nn.Sequential(nn.Linear(1, int(v[3] * 2)), nn.Linear(int(v[3] * 2), int(w[1] - w[0])), nn.Linear(int(w[1] - w[0]), int(c[2]) + int(b)))',
    ].join('\n')), { model: 'Net()', inputs: ['1,1'] });
    expect(outputs(s).map(([, shape]) => shape)).toEqual([[1, 1], [1, 9], [1, 4], [1, 4]]);
  });
});
