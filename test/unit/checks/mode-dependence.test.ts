// Which layers make a missing model.eval() matter (CC-06): the catalogue's `training` trait (dropout, batch
// statistics), and an instance norm only when built with track_running_stats=True — by default PyTorch's
// InstanceNorm2d normalises each sample by its own statistics in both modes, so eval() changes nothing.
import { describe, expect, it } from 'vitest';
import { checkDocument } from '../../../src/core/checkDocument';
import { createAnalyzer } from '../../../src/core';

const file = (norm: string): string =>
  [
    'import torch',
    'import torch.nn as nn',
    '',
    '',
    'class Net(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.conv = nn.Conv2d(3, 8, 3)',
    `        self.norm = ${norm}`,
    '',
    '    def forward(self, x):',
    '        return self.norm(self.conv(x)).mean((2, 3))',
    '',
    '',
    'def evaluate(model, loader):',
    '    correct = 0',
    '    with torch.no_grad():',
    '        for xb, yb in loader:',
    '            correct += (model(xb).argmax(1) == yb).sum().item()',
    '    return correct',
    '',
  ].join('\n');

const cc06Lines = (norm: string): number[] =>
  checkDocument({ path: '/p/eval.py', text: file(norm) }, {}, createAnalyzer())
    .findings.filter((f) => f.rule === 'CC-06')
    .map((f) => f.range.start.line + 1);

describe('mode-dependent layers for CC-06', () => {
  it('counts batch norm (the training trait) and an instance norm that tracks running statistics', () => {
    expect(cc06Lines('nn.BatchNorm2d(8)')).toEqual([19]);
    expect(cc06Lines('nn.InstanceNorm2d(8, track_running_stats=True)')).toEqual([19]);
  });

  it('does not count a default instance norm, which computes the same in both modes', () => {
    expect(cc06Lines('nn.InstanceNorm2d(8)')).toEqual([]);
  });
});
