// Python constructs real model files use, each checked through the shapes and parameter counts of a small
// model. Every expected number is worked out by hand in the comment beside it.
import { describe, expect, it } from 'vitest';
import { HEADER, outputs, summary } from './helpers';

describe('float literals', () => {
  it('builds Dropout(0.) and LayerNorm(eps=1.e-6) instead of leaving them unknown', () => {
    const s = summary(`${HEADER}
class Net(nn.Module):
    def __init__(self, dropout=0.):
        super().__init__()
        self.fc = nn.Linear(4, 8)
        self.drop = nn.Dropout(dropout)
        self.norm = nn.LayerNorm(8, eps=1.e-6)
        self.scale = 2. * 8 ** -.5

    def forward(self, x):
        return self.norm(self.drop(self.fc(x))) * self.scale
`, { inputs: ['2,4'] });
    expect(outputs(s)).toEqual([['fc', [2, 8]], ['drop', [2, 8]], ['norm', [2, 8]]]);
    // Linear 4·8 + 8 = 40, LayerNorm 8 + 8 = 16.
    expect(s.params).toBe(56);
    expect(s.unknown).toEqual([]);
  });
});
