// Imports of packages whose __init__ pulls in every submodule (torchvision's imports datasets, io, models,
// ops, transforms and utils): a submodule imported by `from pkg import sub` runs when first used, so a model
// that uses none of the others neither waits for them nor inherits their unknowns.
import { describe, expect, it } from 'vitest';
import { HEADER, outputs, summary } from './helpers';

const PACKAGE = {
  '/ws/pkg/__init__.py': 'from pkg import datasets, nets\n',
  '/ws/pkg/datasets.py': 'import some_http_library\nfrom some_http_library import Session\nSESSION = Session()\n',
  '/ws/pkg/nets.py': `${HEADER}\nclass Block(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n`,
};

describe('submodules imported by a package __init__', () => {
  it('builds a model from one submodule without running the others', () => {
    const model = `${HEADER}import pkg\n\nclass Model(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.block = pkg.nets.Block()\n\n    def forward(self, x):\n        return self.block(x)\n`;
    const s = summary(model, { model: 'Model()', inputs: ['3,4'], files: PACKAGE });
    expect(outputs(s)).toEqual([['block.fc', [3, 2]]]);
    expect(s.params).toBe(4 * 2 + 2);
    expect(s.unknown.map((u) => u.reason).filter((r) => r.includes('some_http_library'))).toEqual([]);
  });

  it('runs a submodule imported with `from pkg import sub` when one of its names is used', () => {
    const model = `${HEADER}from pkg import nets\n\nclass Model(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.block = nets.Block()\n\n    def forward(self, x):\n        return self.block(x)\n`;
    const s = summary(model, { model: 'Model()', inputs: ['5,4'], files: PACKAGE });
    expect(outputs(s)).toEqual([['block.fc', [5, 2]]]);
  });

  it('still reports what a used submodule cannot resolve', () => {
    const model = `${HEADER}from pkg import datasets\n\nSESSION = datasets.SESSION\n\nclass Model(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n`;
    const s = summary(model, { model: 'Model()', inputs: ['1,4'], files: PACKAGE });
    expect(s.unknown.some((u) => u.reason.includes('some_http_library'))).toBe(true);
  });
});
