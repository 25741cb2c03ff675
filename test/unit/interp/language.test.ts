// Python features model files use, checked through the shapes and names they produce.
// Every expected number is worked out by hand in the comment beside it.
import { describe, expect, it } from 'vitest';
import { summarizeModel } from '../../../src/core/index';
import { HEADER, outputs, summary } from './helpers';

describe('building models', () => {
  it('runs helper functions, loops and Sequential(*layers) with PyTorch child names', () => {
    const s = summary(`${HEADER}
def block(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU()]

class Net(nn.Module):
    def __init__(self, widths=(8, 16)):
        super().__init__()
        layers = []
        c = 3
        for w in widths:
            layers += block(c, w)
            layers.append(nn.MaxPool2d(2))
            c = w
        self.features = nn.Sequential(*layers)

    def forward(self, x):
        return self.features(x)
`, { inputs: ['1,3,32,32'] });
    // 3x3 convs with padding 1 keep 32; each MaxPool2d(2) halves: 32 -> 16 -> 8.
    expect(outputs(s)).toEqual([
      ['features.0', [1, 8, 32, 32]],
      ['features.1', [1, 8, 32, 32]],
      ['features.2', [1, 8, 16, 16]],
      ['features.3', [1, 16, 16, 16]],
      ['features.4', [1, 16, 16, 16]],
      ['features.5', [1, 16, 8, 8]],
    ]);
    // Conv(3->8, 3x3): 8*3*9 + 8 = 224; Conv(8->16): 16*8*9 + 16 = 1168; total 1392.
    expect(s.params).toBe(1392);
  });

  it('reads class attributes, super().__init__ and residual adds', () => {
    const s = summary(`${HEADER}
class Block(nn.Module):
    expansion = 2
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c * self.expansion, 1)
        self.proj = nn.Conv2d(c, c * Block.expansion, 1, bias=False)
    def forward(self, x):
        return self.conv(x) + self.proj(x)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.b = Block(4)
        self.fc = nn.Linear(8 * 5 * 5, 3)
    def forward(self, x):
        y = self.b(x)
        return self.fc(y.view(y.size(0), -1))
`, { inputs: ['2,4,5,5'] });
    expect(outputs(s)).toEqual([
      ['b.conv', [2, 8, 5, 5]],
      ['b.proj', [2, 8, 5, 5]],
      ['fc', [2, 3]],
    ]);
    // conv 4*8 + 8 = 40, proj 4*8 = 32, fc 200*3 + 3 = 603.
    expect(s.params).toBe(675);
    expect(s.output).toEqual([2, 3]);
  });

  it('models dataclass configs, functools.partial, enums and comprehensions', () => {
    const s = summary(`${HEADER}
from dataclasses import dataclass, field
from functools import partial
from enum import Enum

class Act(Enum):
    RELU = 'relu'
    GELU = 'gelu'

@dataclass
class Cfg:
    dims: list = field(default_factory=lambda: [6, 12])
    act: Act = Act.GELU
    eps: float = 1e-3

class Net(nn.Module):
    def __init__(self, cfg: Cfg = Cfg()):
        super().__init__()
        norm = partial(nn.LayerNorm, eps=cfg.eps)
        pairs = list(zip([4] + cfg.dims[:-1], cfg.dims))
        self.layers = nn.ModuleList([nn.Linear(a, b) for a, b in pairs])
        self.norms = nn.ModuleList(norm(b) for _, b in pairs)
        self.act = nn.GELU() if cfg.act == Act.GELU else nn.ReLU()

    def forward(self, x):
        for layer, n in zip(self.layers, self.norms):
            x = self.act(n(layer(x)))
        return x
`, { inputs: ['3,4'] });
    expect(s.calls.map((c) => `${c.path}:${c.type}`)).toEqual([
      'layers.0:Linear', 'norms.0:LayerNorm', 'act:GELU', 'layers.1:Linear', 'norms.1:LayerNorm', 'act:GELU',
    ]);
    expect(s.output).toEqual([3, 12]);
    // Linear 4->6: 30, LN(6): 12, Linear 6->12: 84, LN(12): 24; total 150.
    expect(s.params).toBe(150);
  });

  it('names ModuleDict children and add_module children, and counts a shared module once', () => {
    const s = summary(`${HEADER}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.heads = nn.ModuleDict({'cls': nn.Linear(5, 2), 'reg': nn.Linear(5, 1)})
        for i in range(2):
            self.add_module(f"extra{i}", nn.Identity())
        self.shared = nn.Linear(5, 5)

    def forward(self, x):
        x = self.shared(self.shared(x))
        return self.heads['cls'](x), self.heads['reg'](x)
`, { inputs: ['4,5'] });
    expect(outputs(s)).toEqual([
      ['shared', [4, 5]],
      ['shared', [4, 5]],
      ['heads.cls', [4, 2]],
      ['heads.reg', [4, 1]],
    ]);
    expect(s.output).toEqual([[4, 2], [4, 1]]);
    // cls 12 + reg 6 + shared 30, the shared module counted once: 48.
    expect(s.params).toBe(48);
  });

  it('follows sibling-file imports through the file reader', () => {
    const files = {
      '/ws/pkg/blocks.py': `${HEADER}\ndef conv_bn(i, o):\n    return nn.Sequential(nn.Conv2d(i, o, 3, stride=2), nn.BatchNorm2d(o))\n`,
      '/ws/pkg/__init__.py': '',
    };
    const s = summary(`${HEADER}from .blocks import conv_bn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.stem = conv_bn(3, 4)\n    def forward(self, x):\n        return self.stem(x)\n`, {
      path: '/ws/pkg/net.py',
      files,
      inputs: ['1,3,9,9'],
    });
    // (9 - 3) // 2 + 1 = 4.
    expect(outputs(s)).toEqual([['stem.0', [1, 4, 4, 4]], ['stem.1', [1, 4, 4, 4]]]);
  });

  it('tensor indexing, shape unpacking and torch.cat', () => {
    const s = summary(`${HEADER}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 4, 1)
        self.b = nn.Conv2d(3, 6, 1)
        self.fuse = nn.Conv2d(10, 2, 1)
        self.head = nn.Linear(7, 1)

    def forward(self, x):
        n, c, h, w = x.shape
        y = torch.cat([self.a(x), self.b(x)], dim=1)
        y = self.fuse(y)[:, :, ::2, 1:]
        return self.head(y[..., None, 0, :].reshape(n, -1))
`, { inputs: ['2,3,6,8'] });
    // cat of 4 and 6 channels = 10; [:, :, ::2, 1:] takes rows 0,2,4 (3) and columns 1..7 (7).
    // y[..., None, 0, :] on [2, 2, 3, 7]: keeps 2, 2, inserts 1, drops the 3, keeps 7 -> [2, 2, 1, 7],
    // reshaped to [2, 14]: the Linear(7) then fails as PyTorch would, and the analysis goes on with what
    // Linear(7, 1) gives had it accepted: [2, 1], marked as assumed after that error.
    expect(outputs(s).slice(0, 3)).toEqual([
      ['a', [2, 4, 6, 8]],
      ['b', [2, 6, 6, 8]],
      ['fuse', [2, 2, 6, 8]],
    ]);
    expect(s.errors.length).toBe(1);
    expect(s.calls[3]).toMatchObject({ path: 'head', output: [2, 1], macs: null });
    expect(s.calls[3]!.assumed?.line).toBe(s.calls[3]!.line);
    expect(s.calls[3]!.error).toMatch(/mat1 and mat2 shapes cannot be multiplied \(2x14 and 7x1\)/);
  });
});

describe('unknowns and budgets', () => {
  it('keeps one unknown layer local: independent layers still get their shapes', () => {
    const s = summary(`${HEADER}
from mystery import Thing

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.left = nn.Linear(4, 3)
        self.odd = Thing(4)
        self.right = nn.Linear(4, 2)

    def forward(self, x):
        a = self.left(x)
        b = self.odd(x)
        c = self.right(x)
        return a, b, c
`, { inputs: ['5,4'] });
    expect(outputs(s)).toEqual([['left', [5, 3]], ['right', [5, 2]]]);
    expect(s.output).toEqual([[5, 3], null, [5, 2]]);
    expect(s.unknown.some((u) => u.reason.includes('mystery'))).toBe(true);
  });

  it('stops an endless loop at the step budget instead of hanging', () => {
    const started = Date.now();
    const result = summarizeModel({ path: '/ws/m.py', inputs: ['1,2'], budget: { steps: 50_000, ms: 5_000 }, text: `${HEADER}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)
        n = 0
        while True:
            n += 1

    def forward(self, x):
        return self.fc(x)
` });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result).toEqual({ error: expect.stringMatching(/step budget of 50000 exceeded/) });
  });

  it('bounds recursion', () => {
    const s = summary(`${HEADER}
def forever(n):
    return forever(n + 1)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.k = forever(0)
        self.fc = nn.Linear(2, 3)
    def forward(self, x):
        return self.fc(x)
`, { inputs: ['1,2'] });
    expect(s.output).toEqual([1, 3]);
    expect(s.unknown.some((u) => u.reason.includes('recursion'))).toBe(true);
  });

  it('runs on symbolic inputs', () => {
    const s = summary(`${HEADER}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, stride=2, padding=1)
    def forward(self, x):
        return self.conv(x)
`, { inputs: ['B,3,H,W'] });
    const out = s.calls[0]!.output as (number | string)[];
    expect(out.slice(0, 2)).toEqual(['B', 8]);
    expect(typeof out[2]).toBe('string');
  });
});

describe('small value tensors in config code', () => {
  it('computes widths with torch.arange/log/round/pow and .tolist() as RegNet does', () => {
    const s = summary(`${HEADER}
import math

def widths(depth, w_0, w_a, w_m):
    cont = torch.arange(depth) * w_a + w_0
    cap = torch.round(torch.log(cont / w_0) / math.log(w_m))
    return (torch.round(torch.divide(w_0 * torch.pow(w_m, cap), 8)) * 8).int().tolist()

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        ws = widths(3, 16, 8.0, 2.0)
        self.layers = nn.ModuleList([nn.Linear(w, 1) for w in ws])
    def forward(self, x):
        return self.layers[0](x)
`, { inputs: ['1,16'] });
    // cont = [16, 24, 32]; cont/16 = [1, 1.5, 2]; log2 = [0, 0.585, 1]; round = [0, 1, 1];
    // 16·2^cap = [16, 32, 32]; /8 = [2, 4, 4], round·8 = [16, 32, 32].
    expect(s.modules.filter((m) => m.type === 'Linear').map((m) => m.params)).toEqual([17, 33, 33]);
  });
});

describe('einops', () => {
  it('follows rearrange patterns in functions and Rearrange layers', () => {
    const s = summary(`${HEADER}
from einops import rearrange, repeat
from einops.layers.torch import Rearrange

class PatchEmbed(nn.Module):
    def __init__(self, p=4, dim=32):
        super().__init__()
        self.to_patches = Rearrange('b c (h p1) (w p2) -> b (h w) (p1 p2 c)', p1=p, p2=p)
        self.proj = nn.Linear(p * p * 3, dim)
        self.cls = nn.Parameter(torch.randn(1, 1, dim))

    def forward(self, x):
        x = self.proj(self.to_patches(x))
        cls = repeat(self.cls, '1 n d -> b n d', b=x.shape[0])
        x = torch.cat([cls, x], dim=1)
        return rearrange(x, 'b n (h d) -> b h n d', h=4)
`, { inputs: ['2,3,16,24'] });
    // h = 16/4 = 4, w = 24/4 = 6: 24 patches of 4·4·3 = 48 values.
    expect(outputs(s)).toEqual([['to_patches', [2, 24, 48]], ['proj', [2, 24, 32]]]);
    // cls token + 24 patches = 25; 32 = 4 heads × 8.
    expect(s.output).toEqual([2, 4, 25, 8]);
    // proj 48·32 + 32 = 1568, cls 32.
    expect(s.params).toBe(1600);
  });
});

describe('torch.nn.utils', () => {
  it('weight_norm splits weight into weight_g and weight_v; spectral_norm keeps the count', () => {
    const s = summary(`${HEADER}
from torch.nn.utils import weight_norm

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c = weight_norm(nn.Conv1d(4, 6, 3))
        self.l = nn.utils.spectral_norm(nn.Linear(6, 2))
    def forward(self, x):
        return self.l(self.c(x).mean(-1))
`, { inputs: ['2,4,10'] });
    // Conv1d: bias 6, weight_g [6, 1, 1] = 6, weight_v [6, 4, 3] = 72 -> 84 (72 + 6 before: +6 for g).
    expect(s.modules.find((m) => m.path === 'c')!.inits.map((i) => [i.name, i.shape])).toEqual([['bias', [6]], ['weight_g', [6, 1, 1]], ['weight_v', [6, 4, 3]]]);
    // Linear 6·2 + 2 = 14; total 98.
    expect(s.params).toBe(98);
  });
});

describe('properties', () => {
  it('reads a property that also has a setter', () => {
    const s = summary(`${HEADER}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self._width = 6
        self.fc = nn.Linear(3, self.width)

    @property
    def width(self):
        return self._width

    @width.setter
    def width(self, value):
        self._width = value

    def forward(self, x):
        return self.fc(x)
`, { inputs: ['1,3'] });
    expect(s.output).toEqual([1, 6]);
  });
});
