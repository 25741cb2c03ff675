// `ml-notes check` reads only the editor analysis's diagnostics, so its request does not look for the optimizer
// sites (the simulations' code lenses): that search indexed every statement of the file (issue 16). The
// diagnostics, and so the check's findings, are the same as a full view's.
import { describe, expect, it } from 'vitest';
import { checkDocument } from '../../../src/core/checkDocument';
import { createAnalyzer } from '../../../src/core';
import { analyzeForEditor } from '../../../src/core/editor/documentAnalysis';
import { parseDocument } from '../../../src/core/python/parse';

// Linear(10, 5) given 12 features: PyTorch raises "mat1 and mat2 shapes cannot be multiplied (2x12 and 10x5)".
const text = [
  'import torch',
  'import torch.nn as nn',
  '',
  'class Net(nn.Module):',
  '    def __init__(self):',
  '        super().__init__()',
  '        self.fc = nn.Linear(10, 5)',
  '',
  '    def forward(self, x):',
  '        return self.fc(x)',
  '',
  'model = Net()',
  'out = model(torch.randn(2, 12))',
  'opt = torch.optim.SGD(model.parameters(), lr=0.1)',
  '',
].join('\n');

const view = (diagnosticsOnly: boolean) =>
  analyzeForEditor(createAnalyzer(), parseDocument(text).module, { path: '/p/train.py', text, skipGuessedInputs: true, diagnosticsOnly });

describe("check's editor pass", () => {
  it('leaves the optimizer sites out and gives the same diagnostics', () => {
    const full = view(false);
    const checked = view(true);
    expect(full.optimizers.map((o) => o.range.start.line)).toEqual([13]);
    expect(checked.optimizers).toEqual([]);
    expect(checked.diagnostics).toEqual(full.diagnostics);
    // At the layer's call in forward, with the fix that sets in_features to the 12 the input has.
    expect(checked.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'shape', severity: 'error', message: expect.stringContaining('(2x12 and 10x5)'), range: expect.objectContaining({ start: { line: 9, character: 15 } }) }),
    );
  });

  it("reports the shape error as the check's finding", () => {
    const result = checkDocument({ path: '/p/train.py', text }, {}, createAnalyzer());
    expect(result.findings).toContainEqual(expect.objectContaining({ rule: 'shape', message: expect.stringContaining('(2x12 and 10x5)'), range: expect.objectContaining({ start: { line: 9, character: 15 } }) }));
  });
});
