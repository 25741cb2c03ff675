// The checks' evaluation of a file (driveFile) under its step budget: code that Python runs in a few steps must
// not spend the budget, or the file's later functions are never explored (issue 16).
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/core/python/parse';
import { DRIVE_BUDGET, driveFile } from '../../../src/core/checks/facts/drive';

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
});
