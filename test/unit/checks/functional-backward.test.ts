// `torch.autograd.backward(loss)` is a backward like `loss.backward()` (PyTorch documents the method as calling
// it): the training-loop checks see it. Before, torch.autograd.backward was an unmodelled name, so a loop
// written with it never had a backward and CC-01 (gradients never reset) could not fire.
import { describe, expect, it } from 'vitest';
import { checkDocument } from '../../../src/core/checkDocument';
import { createAnalyzer } from '../../../src/core';

const loop = (reset: string, backward: string): string =>
  [
    'import torch',
    'import torch.nn as nn',
    '',
    'model = nn.Linear(4, 2)',
    'optimizer = torch.optim.SGD(model.parameters(), lr=0.1)',
    'loss_fn = nn.CrossEntropyLoss()',
    '',
    '',
    'def train(loader):',
    '    for xb, yb in loader:',
    `        ${reset}`,
    '        loss = loss_fn(model(xb), yb)',
    `        ${backward}`,
    '        optimizer.step()',
    '',
  ].join('\n');

const cc01Lines = (text: string): number[] =>
  checkDocument({ path: '/p/train.py', text }, {}, createAnalyzer())
    .findings.filter((f) => f.rule === 'CC-01')
    .map((f) => f.range.start.line + 1);

describe('torch.autograd.backward as a backward', () => {
  it('finds gradients never reset in a loop that calls torch.autograd.backward, as with loss.backward()', () => {
    const method = cc01Lines(loop('pass', 'loss.backward()'));
    expect(method.length).toBeGreaterThan(0);
    expect(cc01Lines(loop('pass', 'torch.autograd.backward(loss)'))).toEqual(method);
  });

  it('finds nothing when the loop resets the gradients', () => {
    expect(cc01Lines(loop('optimizer.zero_grad()', 'torch.autograd.backward(loss)'))).toEqual([]);
    expect(cc01Lines(loop('optimizer.zero_grad()', 'loss.backward()'))).toEqual([]);
  });
});
