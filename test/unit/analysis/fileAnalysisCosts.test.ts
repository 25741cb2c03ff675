// A file's own analysis (analyzeFile: its module scope run once for its classes, functions, imports and
// diagnostics) computes no training cost: nothing it gives reads one, so it gives the same answer without.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { analyzeFile } from '../../../src/core';
import { CostTrace } from '../../../src/core/interp/costTrace';
import { keepCosts } from '../interp/sessionKeepingCosts';

vi.mock('../../../src/core/interp/session', async (importOriginal) => (await import('../interp/sessionKeepingCosts')).sessionKeepingCosts(importOriginal));

// Module-level script code runs layers and ops (their costs would be traced) and fails on the last line:
// Linear(32, 10) gets 8 * 2 * 2 = 32 features from the conv/pool, then 16 features from x2.
const CODE = `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(self.conv(x)), 1))

net = Net()
out = net(torch.randn(2, 3, 4, 4))
x2 = torch.randn(2, 16)
bad = net.fc(x2)
`;

describe("a file's analysis", () => {
  afterEach(() => {
    keepCosts.on = false;
    vi.restoreAllMocks();
  });

  it('computes no training cost and gives the same classes, unknowns and errors as a run that does', () => {
    const apply = vi.spyOn(CostTrace.prototype, 'apply');
    const analysis = analyzeFile({ path: '/ws/m.py', text: CODE });
    expect(apply).not.toHaveBeenCalled();
    keepCosts.on = true;
    const withCosts = analyzeFile({ path: '/ws/m.py', text: CODE });
    expect(apply.mock.calls.length).toBeGreaterThan(2);
    expect(analysis).toEqual(withCosts);
    expect(analysis.classes.map((c) => [c.name, c.isModule])).toEqual([['Net', true]]);
    // The one shape error is the last line's: 16 features into Linear(32, 10).
    expect(analysis.errors).toHaveLength(1);
    expect(analysis.errors[0]!.range?.start.line).toBe(16);
    expect(analysis.errors[0]!.message).toMatch(/32/);
  });
});
