// A model summary traces training costs only for the training step: the eval-mode run reports shapes, params,
// MACs and receptive fields, which no cost decides, so it gives the same answer as a run that traces them.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { summarizeModel } from '../../../src/core';
import type { ModelSummary } from '../../../src/core/analysis/summary';
import { CostTrace } from '../../../src/core/interp/costTrace';
import { keepCosts } from '../interp/sessionKeepingCosts';

vi.mock('../../../src/core/interp/session', async (importOriginal) => (await import('../interp/sessionKeepingCosts')).sessionKeepingCosts(importOriginal));

// Layers, a functional op, a view and indexing in forward (all of them have cost rules).
const CODE = `import torch
import torch.nn as nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.fc = nn.Linear(8 * 4 * 4, 10)

    def forward(self, x):
        x = F.relu(self.bn(self.conv(x)))
        x = F.max_pool2d(x, 2)
        return self.fc(x.view(x.size(0), -1))[:, :5]
`;

const summarize = (train: boolean): ModelSummary => {
  const s = summarizeModel({ path: '/ws/net.py', text: CODE, model: 'Net()', inputs: ['2,3,8,8'], ...(train ? { train: true } : {}) });
  if ('error' in s) throw new Error(s.error);
  return s;
};

describe('a model summary', () => {
  afterEach(() => {
    keepCosts.on = false;
    vi.restoreAllMocks();
  });

  it('traces no training cost in eval mode, and gives the same summary as a run that does', () => {
    const apply = vi.spyOn(CostTrace.prototype, 'apply');
    const summary = summarize(false);
    expect(apply).not.toHaveBeenCalled();
    keepCosts.on = true;
    const withCosts = summarize(false);
    // conv, batch norm, relu, pool, view, linear, indexing: each call's cost was traced in that run.
    expect(apply.mock.calls.length).toBeGreaterThan(5);
    expect(summary).toEqual(withCosts);
    // Conv2d(3, 8, 3): 8·3·9 + 8 = 224; BatchNorm2d(8): 16; Linear(128, 10): 1,290.
    expect(summary.params).toBe(224 + 16 + 1290);
    expect(summary.output).toEqual([2, 5]);
  });

  it('still traces the training step', () => {
    const apply = vi.spyOn(CostTrace.prototype, 'apply');
    const summary = summarize(true);
    expect(apply.mock.calls.length).toBeGreaterThan(5);
    // float32 with Adam: parameters 4 bytes each; the state is two moments per parameter plus PyTorch's float32
    // `step` tensor per parameter tensor (conv, bn and fc weights and biases: 6).
    expect(summary.train?.memory.params_bytes).toBe(4 * 1530);
    expect(summary.train?.memory.optimizer_bytes).toBe(8 * 1530 + 4 * 6);
  });
});
