// Lazy imports (issue 16): a module-level import binds its names now and reads, parses and runs the module
// when code first uses one of them; other libraries' internals (PIL, requests) are never read. What the
// model computes is the same as with eager imports: these tests compare with hand-counted layers.
import { describe, expect, it } from 'vitest';
import { summarizeModel } from '../../../src/core/index';
import { HEADER, outputs } from './helpers';

function run(text: string, files: Record<string, string>, model: string, inputs: string[], sitePackages: string[] = []) {
  const read: string[] = [];
  const result = summarizeModel({
    path: '/ws/model.py',
    text,
    readFile: (p) => {
      if (files[p] !== undefined) read.push(p);
      return files[p];
    },
    model,
    inputs,
    sitePackages,
  });
  if ('error' in result) throw new Error(result.error);
  return { s: result, read };
}

const BLOCK = `${HEADER}\nclass Block(nn.Module):\n    def __init__(self, width=4):\n        super().__init__()\n        self.fc = nn.Linear(width, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n`;

describe('a module-level import', () => {
  const files = {
    '/ws/blocks.py': BLOCK,
    // Module-level code of a helper module: it runs when the module loads, never as part of the model.
    '/ws/helpers.py': `${HEADER}\nPROBE = nn.Linear(2, 3)(torch.zeros(1, 2))\n\ndef act(x):\n    return torch.relu(x)\n`,
    '/ws/heavy.py': `${HEADER}\nclass Unused(nn.Module):\n    pass\n`,
  };

  it('reads a module only when one of its names is used', () => {
    const text = `${HEADER}from blocks import Block\nfrom heavy import Unused\nimport helpers\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.block = Block(8)\n\n    def forward(self, x):\n        return self.block(x)\n`;
    const { s, read } = run(text, files, 'Net()', ['3,8']);
    expect(outputs(s)).toEqual([['block.fc', [3, 2]]]);
    expect(s.params).toBe(8 * 2 + 2);
    expect(read).toContain('/ws/blocks.py');
    expect(read).not.toContain('/ws/heavy.py');
  });

  it('loads a module first used inside forward without recording its module-level calls as the model', () => {
    const text = `${HEADER}from helpers import act\nfrom blocks import Block\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.block = Block()\n\n    def forward(self, x):\n        return act(self.block(x))\n`;
    const { s } = run(text, files, 'Net()', ['5,4']);
    // One layer of the model ran (block.fc); the helper module's probe Linear(2, 3) is not one of its calls.
    expect(outputs(s)).toEqual([['block.fc', [5, 2]]]);
    expect(s.output).toEqual([5, 2]);
    expect(s.ops.filter((o) => o.name.endsWith('zeros'))).toEqual([]);
    expect(s.ops.some((o) => o.name.endsWith('relu'))).toBe(true);
  });

  it('loads a module first used on one side of an undecided condition for both sides', () => {
    const text = `${HEADER}import blocks\n\nclass Net(nn.Module):\n    def __init__(self, flag):\n        super().__init__()\n        if flag:\n            self.block = blocks.Block(4)\n        self.other = blocks.Block(4)\n\n    def forward(self, x):\n        return self.other(x)\n`;
    const { s } = run(text, files, 'Net(unknown_flag)', ['2,4']);
    expect(outputs(s)).toEqual([['other.fc', [2, 2]]]);
    expect(s.params).toBe(4 * 2 + 2);
  });

  it('a name assigned after the import shadows it, and the module is never read', () => {
    const text = `${HEADER}from heavy import Width\nWidth = 6\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(Width, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n`;
    const { s, read } = run(text, files, 'Net()', ['1,6']);
    expect(s.params).toBe(6 * 2 + 2);
    expect(read).not.toContain('/ws/heavy.py');
  });

  it('a star import passes names through without loading what they come from', () => {
    const pkg = { ...files, '/ws/pkg/__init__.py': 'from .parts import *\n', '/ws/pkg/parts.py': 'from blocks import Block\nfrom heavy import Unused\n' };
    const text = `${HEADER}from pkg import Block\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.block = Block(3)\n\n    def forward(self, x):\n        return self.block(x)\n`;
    const { s, read } = run(text, pkg, 'Net()', ['7,3']);
    expect(outputs(s)).toEqual([['block.fc', [7, 2]]]);
    expect(read).not.toContain('/ws/heavy.py');
  });
});

describe('a default value that needs an imported file', () => {
  // torchvision's ImageClassification(interpolation=InterpolationMode.BILINEAR) in a package no model uses.
  const files = {
    '/ws/sizes.py': 'WIDTH = 6\n',
    '/ws/modes.py': `${HEADER}\nclass Mode:\n    FAST = 1\n`,
    '/ws/blocks.py': `${HEADER}from sizes import WIDTH\nfrom modes import Mode\n\nclass Block(nn.Module):\n    def __init__(self, width=WIDTH, mode=Mode.FAST):\n        super().__init__()\n        self.fc = nn.Linear(width, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n`,
  };
  const net = (args: string) => `${HEADER}from blocks import Block\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.block = Block(${args})\n\n    def forward(self, x):\n        return self.block(x)\n`;

  it('is not computed, and its module not read, when every call passes the argument', () => {
    const { s, read } = run(net('4, mode=None'), files, 'Net()', ['3,4']);
    expect(s.params).toBe(4 * 2 + 2);
    expect(read).not.toContain('/ws/sizes.py');
    expect(read).not.toContain('/ws/modes.py');
  });

  it('is computed from the imported file when a call needs it', () => {
    const { s, read } = run(net(''), files, 'Net()', ['3,6']);
    expect(outputs(s)).toEqual([['block.fc', [3, 2]]]);
    expect(s.params).toBe(6 * 2 + 2);
    expect(read).toContain('/ws/sizes.py');
  });

  it('is still bound when the function is defined when it needs no file (the loop-variable idiom)', () => {
    const text = `${HEADER}\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        makers = []\n        for width in (2, 3):\n            makers.append(lambda w=width: nn.Linear(w, 5))\n        self.fc = makers[0]()\n\n    def forward(self, x):\n        return self.fc(x)\n`;
    const { s } = run(text, {}, 'Net()', ['1,2']);
    expect(s.params).toBe(2 * 5 + 5);
  });
});

describe("other libraries' internals", () => {
  const SITE = '/env/lib/python3/dist-packages';
  const files: Record<string, string> = {
    [`${SITE}/torchvision/__init__.py`]: '',
    [`${SITE}/torchvision/models/__init__.py`]: '',
    [`${SITE}/torchvision/models/tiny.py`]: `${HEADER}import PIL\nfrom PIL import Image\nfrom requests import get\n\nMODE = Image.BILINEAR\n\nclass Tiny(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 3)\n\n    def forward(self, x):\n        return self.fc(x)\n`,
    [`${SITE}/PIL/__init__.py`]: 'raise RuntimeError("PIL is not model code")\n',
    [`${SITE}/PIL/Image.py`]: 'BILINEAR = 2\n',
    [`${SITE}/requests/__init__.py`]: 'def get(url):\n    return url\n',
  };

  it('are never read from the folder an installed model library lives in', () => {
    const text = `${HEADER}from torchvision.models.tiny import Tiny\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.backbone = Tiny()\n\n    def forward(self, x):\n        return self.backbone(x)\n`;
    const { s, read } = run(text, files, 'Net()', ['2,8'], [SITE]);
    expect(outputs(s)).toEqual([['backbone.fc', [2, 3]]]);
    expect(read.filter((p) => p.includes('/PIL/') || p.includes('/requests/'))).toEqual([]);
    expect(read).toContain(`${SITE}/torchvision/models/tiny.py`);
  });
});
