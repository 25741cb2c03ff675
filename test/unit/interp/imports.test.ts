// Imports of packages whose __init__ pulls in every submodule (torchvision's imports datasets, io, models,
// ops, transforms and utils): a submodule imported by `from pkg import sub` runs when first used, so a model
// that uses none of the others neither waits for them nor inherits their unknowns.
import { describe, expect, it } from 'vitest';
import { summarizeModel } from '../../../src/core/index';
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

describe('model libraries installed in the environment', () => {
  const SITE = '/env/lib/python3.11/site-packages';
  const files: Record<string, string> = {
    [`${SITE}/torchvision/__init__.py`]: 'from torchvision import datasets, models\n',
    [`${SITE}/torchvision/datasets.py`]: 'import requests\n',
    [`${SITE}/torchvision/models/__init__.py`]: 'from .tiny import tiny\n',
    [`${SITE}/torchvision/models/tiny.py`]: `${HEADER}\nclass Tiny(nn.Module):\n    def __init__(self, num_classes=10):\n        super().__init__()\n        self.fc = nn.Linear(8, num_classes)\n\n    def forward(self, x):\n        return self.fc(x)\n\ndef tiny(**kwargs):\n    return Tiny(**kwargs)\n`,
    [`${SITE}/requests/__init__.py`]: 'raise RuntimeError("an HTTP library is not model code")\n',
  };
  const model = `${HEADER}import torchvision.models as models\nimport requests\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.backbone = models.tiny(num_classes=4)\n\n    def forward(self, x):\n        return self.backbone(x)\n`;
  const run = (sitePackages: readonly string[]) => {
    const result = summarizeModel({ path: '/ws/model.py', text: model, readFile: (p) => files[p], model: 'Net()', inputs: ['2,8'], sitePackages });
    if ('error' in result) throw new Error(result.error);
    return result;
  };

  it('reads torchvision from site-packages when the workspace has no copy', () => {
    const s = run([SITE]);
    expect(outputs(s)).toEqual([['backbone.fc', [2, 4]]]);
    expect(s.params).toBe(8 * 4 + 4);
  });

  it('leaves other installed packages unread', () => {
    const s = run([SITE]);
    expect(s.errors).toEqual([]);
    expect(s.unknown.some((u) => u.reason.includes('requests'))).toBe(true);
  });

  it('without the environment, torchvision.models is not built', () => {
    expect(run([]).calls.some((c) => c.path === 'backbone.fc')).toBe(false);
  });
});

describe('an unknown output', () => {
  it('says why, even when its cause flowed through quietly', () => {
    const model = `${HEADER}import timm\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.backbone = timm.create_model('resnet18')\n\n    def forward(self, x):\n        return self.backbone(x)\n`;
    const s = summary(model, { model: 'Net()', inputs: ['1,3,64,64'] });
    expect(s.output).toBeNull();
    expect(s.unknown.map((u) => u.reason)).toContain('the output is unknown: timm.create_model is not modelled');
  });
});

describe('names the model of a standard-library module lacks', () => {
  // torchvision's _api.py: `from inspect import signature` and `from types import ModuleType`. Python looks for a
  // submodule `inspect.signature` only inside the inspect package, never in the workspace's folders.
  const model = `${HEADER}from inspect import signature\nfrom types import ModuleType\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n`;

  it('reads no file for them, and still builds the model', () => {
    const read: string[] = [];
    const s = summarizeModel({ path: '/ws/proj/model.py', text: model, readFile: (p) => (read.push(p), undefined), model: 'Net()', inputs: ['3,4'] });
    if ('error' in s) throw new Error(s.error);
    expect(read.filter((p) => /\/(inspect|types)\//.test(p))).toEqual([]);
    expect(outputs(s)).toEqual([['fc', [3, 2]]]);
  });
});
