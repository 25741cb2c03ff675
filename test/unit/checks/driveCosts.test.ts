// The checks' evaluation (driveFile) does not compute training costs: the facts read calls, values and module
// trees, never a cost, so the facts are the same as an evaluation that computes them.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseDocument } from '../../../src/core/python/parse';
import { driveFile } from '../../../src/core/checks/facts/drive';
import type { RecordedEvent } from '../../../src/core/checks/facts/recorder';
import { CostTrace } from '../../../src/core/interp/costTrace';
import { keepCosts } from '../interp/sessionKeepingCosts';
import { describe as describeValue } from '../../../src/core/interp/interpreter';

vi.mock('../../../src/core/interp/session', async (importOriginal) => (await import('../interp/sessionKeepingCosts')).sessionKeepingCosts(importOriginal));

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
        return self.fc(torch.flatten(x, 1))

model = Net()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(2):
    x = torch.randn(4, 3, 8, 8)
    y = torch.randint(0, 10, (4,))
    loss = F.cross_entropy(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
`;

/** An event as the rules see it: where, what, and what it gave. */
const valueText = (v: RecordedEvent['result']): string => (v.kind === 'tensor' ? `tensor ${JSON.stringify(v.shape)} ${v.dtype}` : describeValue(v));
const summary = (e: RecordedEvent): string =>
  `${e.seq} ${e.kind} ${e.expr.r.start.line}:${e.expr.r.start.character} ${e.kind === 'op' ? e.op : describeValue(e.callee)} -> ${valueText(e.result)} in [${e.context.functions.map((f) => f.fn.name).join(',')}] loops [${e.context.loops.map((l) => `${l.stmt.r.start.line}#${l.iteration}`).join(',')}]`;

describe("the checks' evaluation", () => {
  afterEach(() => {
    keepCosts.on = false;
    vi.restoreAllMocks();
  });

  it('computes no training cost, and records the same events as an evaluation that does', () => {
    const module = parseDocument(CODE).module;
    const apply = vi.spyOn(CostTrace.prototype, 'apply');
    const driven = driveFile({ path: '/ws/train.py', module });
    expect(apply).not.toHaveBeenCalled();
    keepCosts.on = true;
    const withCosts = driveFile({ path: '/ws/train.py', module });
    // The layers' and ops' costs were computed in that run (conv, batch norm, relu, pool, linear, loss …).
    expect(apply.mock.calls.length).toBeGreaterThan(5);
    const events = driven.recorder.events.map(summary);
    expect(events.length).toBeGreaterThan(20);
    expect(events).toEqual(withCosts.recorder.events.map(summary));
    // The model's output shape is known either way: the costs decide nothing the facts hold.
    // Net()(x) on a 4×3×8×8 batch: conv keeps 8×8 (padding 1), the pool halves it, the linear layer gives 10.
    const modelCalls = driven.recorder.events.filter((e) => e.kind === 'call' && e.callee.kind === 'object' && e.callee.cls.name === 'Net');
    expect(modelCalls.map((e) => (e.result.kind === 'tensor' ? JSON.stringify(e.result.shape) : e.result.kind))).toEqual(['[4,10]', '[4,10]']);
  });
});
