// One file of a `check` run: its findings, and the analyzer's copy of its parse dropped once it is checked
// (a run over thousands of files kept every file's syntax tree until the end).
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../src/core/index';
import type { Analyzer } from '../../../src/core/index';
import { checkFileText } from '../../../src/cli/checkFile';

const TRAIN = `import torch
import torch.nn as nn
model = nn.Linear(4, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for x, y in loader:
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    opt.step()
`;

describe('checking one file of a run', () => {
  it('reports its findings and makes the analyzer forget the file', () => {
    const analyzer = createAnalyzer();
    const closed: string[] = [];
    const watched: Analyzer = { ...analyzer, close: (path) => (closed.push(path), analyzer.close(path)) };
    const outcome = checkFileText({ cwd: '/ws', readFile: () => undefined, listPythonFiles: () => [], isDirectory: () => false }, { path: '/ws/train.py', text: TRAIN }, { disabled: [], budgetMs: 60_000 }, watched);
    // The loop never zeroes the gradients (CC-01, at `opt.step()`, 0-based line 7).
    expect(outcome.findings.map((f) => [f.rule, f.range.start.line])).toContainEqual(['CC-01', 7]);
    expect(closed).toEqual(['/ws/train.py']);
  });
});
