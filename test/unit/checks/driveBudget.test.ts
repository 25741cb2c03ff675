// The checks' evaluation of a file (driveFile) under its step budget: code that Python runs in a few steps must
// not spend the budget, or the file's later functions are never explored (issue 16).
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/core/python/parse';
import { DRIVE_BUDGET, driveFile } from '../../../src/core/checks/facts/drive';
import { checkDocument } from '../../../src/core/checkDocument';

// torch.nn.ParameterList's indexing (torch/nn/modules/container.py, 1.13): __iter__ indexes up to len(self), and
// indexing checks the index against len(self). Python's len() calls __len__; taking it from __iter__ instead
// made every len(self) iterate, every item index, and every index take len(self) again.
const PARAMETER_LIST = `import torch

class ParameterList:
    def __init__(self):
        self._size = 0

    def _get_abs_string_index(self, idx):
        if not (-len(self) <= idx < len(self)):
            raise IndexError('index {} is out of range'.format(idx))
        if idx < 0:
            idx += len(self)
        return str(idx)

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            start, stop, step = idx.indices(len(self))
            out = self.__class__()
            for i in range(start, stop, step):
                out.append(self[i])
            return out
        else:
            idx = self._get_abs_string_index(idx)
            return getattr(self, str(idx))

    def __setitem__(self, idx, param):
        idx = self._get_abs_string_index(idx)
        return setattr(self, str(idx), param)

    def __len__(self):
        return self._size

    def __iter__(self):
        return iter(self[i] for i in range(len(self)))

    def append(self, value):
        new_idx = len(self)
        self._size += 1
        self[new_idx] = value
        return self

    def extra_repr(self):
        return torch.zeros(len(self) + 2)
`;

describe('the checks evaluation of a file', () => {
  it('explores every method of a list class whose __iter__ and indexing read len(self), within a small part of the budget', () => {
    // A tenth of the checks' budget: the class's 8 methods explored with unknown arguments take ~1,900 steps.
    const driven = driveFile({ path: '/ws/container.py', module: parseDocument(PARAMETER_LIST).module, budget: { ...DRIVE_BUDGET, steps: DRIVE_BUDGET.steps! / 10 } });
    expect(driven.incomplete).toBeUndefined();
    const entered = [...driven.recorder.entered].flatMap((d) => ('k' in d && d.k === 'def' ? [d.name] : []));
    expect(entered).toContain('extra_repr');
    // extra_repr runs on the driver's instance, built empty: len(self) is its _size, 0, so zeros(0 + 2).
    const zeros = driven.recorder.events.find((e) => e.kind === 'call' && e.expr.fn.k === 'attr' && e.expr.fn.name === 'zeros');
    expect(zeros?.kind === 'call' ? zeros.result : undefined).toMatchObject({ kind: 'tensor', shape: [2] });
  });

  // warm_up's loop runs 500 times (under the facts recorder's 512-iteration cut), each calling cost, whose own
  // 300-iteration loop takes hundreds of steps: past the whole budget in all (without the cut the run stops at
  // 400,000 steps inside it), and train, after it in the file, was never explored. The loop is cut once it has
  // taken DRIVE_BUDGET.loopSteps, its rest explored as unknown items.
  it('explores and checks a method after one whose loop would take more than the whole budget', () => {
    const text = `import torch

class Trainer:
    def __init__(self, model, optimizer):
        self.model = model
        self.optimizer = optimizer

    def warm_up(self):
        total = 0
        for i in range(500):
            total = total + self.cost(i)
        return total

    def cost(self, i):
        acc = 0
        for j in range(300):
            acc = acc + j * i
        return acc

    def train(self, loader):
        for x, y in loader:
            loss = self.model(x).sum()
            loss.backward()
            self.optimizer.step()
`;
    const driven = driveFile({ path: '/ws/trainer.py', module: parseDocument(text).module, budget: DRIVE_BUDGET });
    expect(driven.incomplete).toBeUndefined();
    const entered = [...driven.recorder.entered].flatMap((d) => ('k' in d && d.k === 'def' ? [d.name] : []));
    expect(entered).toEqual(expect.arrayContaining(['warm_up', 'cost', 'train']));
    const findings = checkDocument({ path: '/ws/trainer.py', text }, { deadline: Date.now() + 60_000 });
    // The training loop never zeroes the gradients (CC-01), reported at its step() call (0-based line 23).
    expect(findings.findings.map((f) => [f.rule, f.range.start.line])).toContainEqual(['CC-01', 23]);
  });
});
