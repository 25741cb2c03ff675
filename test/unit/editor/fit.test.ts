// "Does it fit?" in the editor: with mlNotes.costs.gpuMemoryGB set, each model's view carries the largest
// training batch (the CodeLens shows it), worked by hand for a small MLP (test/unit/cli/summary-options.test.ts
// derives the same numbers: fixed 16,176,176 B, 8000 B per sample).
import { describe, expect, it } from 'vitest';
import { createAnalyzer, parseDocument } from '../../../src/core/index';
import { analyzeForEditor } from '../../../src/core/editor/documentAnalysis';
import { clampSetting } from '../../../src/core/editor/settings';

const MLP = `import torch
import torch.nn as nn

# ml-notes: input=[2, 1000]
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(1000, 1000)
        self.fc2 = nn.Linear(1000, 10)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))
`;

const analyse = (gpuBytes?: number) =>
  analyzeForEditor(createAnalyzer(), parseDocument(MLP).module, { path: '/w/mlp.py', text: MLP, budget: { ms: 20_000, steps: 20_000_000 }, ...(gpuBytes ? { gpuBytes } : {}) }).models.find((m) => m.className === 'MLP')!;

describe('the editor\'s "does it fit?"', () => {
  it('gives each model its largest training batch: ⌊(2^30 − 16,176,176) / 8000⌋ = 132,195', () => {
    expect(analyse(2 ** 30).fit).toEqual({ gpuBytes: 2 ** 30, largestBatch: 132_195, affine: true });
  });
  it('is off without the setting, and the setting is clamped', () => {
    expect(analyse().fit).toBeUndefined();
    expect(clampSetting('costs.gpuMemoryGB', -3)).toBe(0);
    expect(clampSetting('costs.gpuMemoryGB', 1e9)).toBe(4096);
    expect(clampSetting('costs.gpuMemoryGB', 'lots')).toBe(0);
  });
});
