// A loop in the module's own scope is cut in the editor's passes (issue 16, MODULE_LOOP_STEPS): a script's training
// loop at its top level ran each keystroke until the step budget was spent, and everything after it (the model the
// script builds and calls) was lost to "step budget exceeded". A loop in a function (a model's __init__) runs whole:
// its iterations decide the parameter counts. Parameter counts are worked by hand: Linear(i, o) has i*o + o.
import { describe, expect, it } from 'vitest';
import { createAnalyzer, parseDocument } from '../../../src/core/index';
import { analyzeForEditor, MODULE_LOOP_STEPS, type EditorAnalysis } from '../../../src/core/editor/documentAnalysis';
import type { Budget } from '../../../src/core/interp/interpreter';

const PATH = '/ws/train.py';

// __init__ counts to 20,000 one at a time (60,000 steps: more than MODULE_LOOP_STEPS); the module's loop takes 100
// epochs of 50,000 iterations of three steps each, more than the whole step budget (600,000 here).
const SCRIPT = `import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        width = 0
        for i in range(20000):
            width += 1
        self.fc = nn.Linear(width, 2)

    def forward(self, x):
        return self.fc(x)


class Wide(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.fc = nn.Linear(n, 2)

    def forward(self, x):
        return self.fc(x)


seen = 0
for epoch in range(100):
    for step in range(50000):
        seen += 1

model = Net()
out = model(torch.randn(3, 20000))
wide = Wide(seen)
`;

const BUDGET = { steps: 600_000, ms: 120_000 };

function models(budget: Budget): EditorAnalysis['models'] {
  const parsed = parseDocument(SCRIPT);
  return analyzeForEditor(createAnalyzer(), parsed.module, { path: PATH, text: SCRIPT, parsed, readFile: () => undefined, budget }).models;
}

describe("the editor's module-level loops", () => {
  it("are cut, so the model the script builds after its training loop is analysed, with __init__'s loop run whole", () => {
    const net = models(BUDGET).find((m) => m.className === 'Net');
    expect(net?.error).toBeUndefined();
    // Linear(20000, 2): 20000*2 + 2.
    expect(net?.params).toBe(40_002);
    expect(net?.ranOn).toEqual([[3, 20_000]]);
    expect(net?.output).toEqual([3, 2]);
  });

  it('without the cut, the training loop spends the whole step budget before the model is built', () => {
    const net = models({ ...BUDGET, moduleLoopSteps: Number.POSITIVE_INFINITY }).find((m) => m.className === 'Net');
    expect(net?.error).toMatch(/step budget of 600000 exceeded/);
  });

  it("cut every loop alike (Budget.loopSteps) would cut __init__'s too, and the width it counts would be wrong", () => {
    const net = models({ ...BUDGET, loopSteps: MODULE_LOOP_STEPS }).find((m) => m.className === 'Net');
    expect(net?.params).not.toBe(40_002);
  });

  it('leave what the loop writes unknown, with the reason, and the module scope complete', () => {
    const parsed = parseDocument(SCRIPT);
    const info = createAnalyzer().analyzeFile({ path: PATH, text: SCRIPT, parsed, budget: { ...BUDGET, moduleLoopSteps: MODULE_LOOP_STEPS } });
    expect(info.incomplete).toBeUndefined();
    // Wide(seen): the count the loop left is unknown, never the count of the iterations it ran.
    expect(info.unknown.map((u) => u.reason)).toEqual([expect.stringMatching(/^Linear: .*in_features is unknown \(an int if the loop runs on after \d+ iterations, else an int\)$/)]);
  });
});
