// The standard library as model libraries use it (timm's layer helpers, registry and builders): collections.abc
// checks, deques, dir(), fnmatch, dataclasses.replace and fields, environment switches the request sets, math.erf and torch.jit decorators
// called before decorating. Expected values follow Python's documented behaviour, worked by hand beside each case.
import { describe, expect, it } from 'vitest';
import { summarizeModel } from '../../../src/core/index';
import { HEADER, outputs, summary } from './helpers';

/** Builds Linear layers whose widths are the given expressions (each must be a positive int), then reads them back. */
function widths(configLines: string, expressions: string[], files?: Record<string, string>): number[] {
  const s = summary(`${HEADER}import collections
import collections.abc
import dataclasses
import fnmatch
import math
import os
from collections import deque
from itertools import repeat

class M(nn.Module):
    def __init__(self):
        super().__init__()
${configLines.split('\n').map((l) => `        ${l}`).join('\n')}
        self.layers = nn.ModuleList([nn.Linear(1, int(v)) for v in [${expressions.join(', ')}]])

    def forward(self, x):
        return [layer(x) for layer in self.layers]
`, { inputs: ['1,1'], ...(files ? { files } : {}) });
  return outputs(s).map(([, shape]) => (shape as number[])[1]!);
}

describe('collections.abc', () => {
  it("decides isinstance by kind and by the object's methods (timm's to_ntuple)", () => {
    // timm.layers.helpers._ntuple: an Iterable that is not a str becomes tuple(x), anything else repeats n times.
    // (3, 5) -> (3, 5); 7 -> (7, 7); a class (nn.Linear) is not Iterable -> (Linear, Linear), length 2.
    const lines = [
      'def parse(x, n=2):',
      '    if isinstance(x, collections.abc.Iterable) and not isinstance(x, str):',
      '        return tuple(x)',
      '    return tuple(repeat(x, n))',
      'class Bag:',
      '    def __iter__(self):',
      '        return iter([1])',
      'a = parse((3, 5))',
      'b = parse(7)',
      'c = parse(nn.Linear)',
      'd = isinstance(Bag(), collections.abc.Iterable)',
      'e = isinstance({}, collections.abc.Mapping)',
      'f = isinstance([], collections.abc.Mapping)',
      'g = isinstance(len, collections.abc.Callable)',
    ].join('\n');
    expect(widths(lines, ['a[0]', 'a[1]', 'b[1]', 'len(c)', 'd + 1', 'e + 1', 'f + 1', 'g + 1'])).toEqual([3, 5, 7, 2, 2, 2, 1, 2]);
  });
});

describe('deque, dir, fnmatch, dataclasses.replace, os.environ, math.erf', () => {
  it('keeps a deque in order through appendleft, extendleft and popleft', () => {
    // deque([2]); appendleft(1) -> [1, 2]; extendleft([4, 3]) -> [3, 4, 1, 2] (each item goes to the left in turn);
    // popleft() -> 3, leaving [4, 1, 2].
    expect(widths('q = deque([2])\nq.appendleft(1)\nq.extendleft([4, 3])\nfirst = q.popleft()', ['first', 'q[0]', 'q[1]', 'q[2]', 'len(q)'])).toEqual([3, 4, 1, 2, 3]);
  });
  it("lists an object's attributes and torch.nn.functional's ops in dir()", () => {
    // timm's create_act: 'silu' in dir(torch.nn.functional) is True on any release since 1.7; 'no_such_op' is not.
    const lines = "class C:\n    k = 1\n    def __init__(self):\n        self.width = 3\nhas_silu = 'silu' in dir(F)\nhas_other = 'no_such_op' in dir(F)\nnames = dir(C())";
    expect(widths(lines, ['has_silu + 1', 'has_other + 1', "('width' in names) + ('k' in names)"])).toEqual([2, 1, 2]);
  });
  it('matches shell-style patterns like fnmatch', () => {
    // fnmatch('resnet18', 'resnet*') True; ('vit_tiny', 'vit_?iny') True; ('vit_tiny', 'vit_[!t]iny') False;
    // ('a1', 'a[0-9]') True; ('abc', '*c*') True; ('abc', '*d') False; filter(['resnet18', 'vit', 'resnet50'], 'res*') has 2.
    const lines = [
      "r = [fnmatch.fnmatch('resnet18', 'resnet*'), fnmatch.fnmatch('vit_tiny', 'vit_?iny'), fnmatch.fnmatch('vit_tiny', 'vit_[!t]iny'),",
      "     fnmatch.fnmatch('a1', 'a[0-9]'), fnmatch.fnmatch('abc', '*c*'), fnmatch.fnmatch('abc', '*d')]",
      "kept = fnmatch.filter(['resnet18', 'vit', 'resnet50'], 'res*')",
    ].join('\n');
    expect(widths(lines, ['r[0] + 1', 'r[1] + 1', 'r[2] + 1', 'r[3] + 1', 'r[4] + 1', 'r[5] + 1', 'len(kept)'])).toEqual([2, 2, 1, 2, 2, 1, 2]);
  });
  it('copies a dataclass with dataclasses.replace, leaving the original alone', () => {
    // Cfg(width=4, depth=2); replace(cfg, width=8) -> width 8, depth 2; cfg.width stays 4.
    const lines = '@dataclasses.dataclass\nclass Cfg:\n    width: int = 4\n    depth: int = 2\ncfg = Cfg()\nwide = dataclasses.replace(cfg, width=8)';
    expect(widths(lines, ['wide.width', 'wide.depth', 'cfg.width'])).toEqual([8, 2, 4]);
  });
  it("lists a dataclass's fields with dataclasses.fields, as torchvision's WeightsEnum.__getattr__ reads them", () => {
    // Cfg has fields width (default 4), depth (field(default=2)) and name (no default), in that order; Wide(Cfg)
    // adds extra (default 6). fields(Cfg) -> 3 names, the first 'width' (len 5), defaults 4 and 2; fields(Wide()) ->
    // 4, the last 'extra' (len 5); a getattr loop like WeightsEnum's finds 'depth' at index 1 (1 + 1 = 2).
    const lines = [
      '@dataclasses.dataclass',
      'class Cfg:',
      '    width: int = 4',
      '    depth: int = dataclasses.field(default=2)',
      "    name: str = 'x'",
      '@dataclasses.dataclass',
      'class Wide(Cfg):',
      '    extra: int = 6',
      'fs = dataclasses.fields(Cfg)',
      'ws = dataclasses.fields(Wide())',
      'found = [i for i, f in enumerate(fs) if f.name == "depth"][0]',
    ].join('\n');
    expect(widths(lines, ['len(fs)', 'len(fs[0].name)', 'fs[0].default', 'fs[1].default', 'len(ws)', 'len(ws[3].name)', 'found + 1'])).toEqual([3, 5, 4, 2, 4, 5, 2]);
  });
  it('reads environment variables the request sets, and leaves every other one unknown', () => {
    // timm: USE_OTHER = os.environ.get('TIMM_USE_NAFLEXVIT', 'false').lower() == 'true'. Given 'false', the Linear is
    // 2 -> 3; not given, the switch is undecided: both widths are possible and the note names the variable.
    const text = `${HEADER}import os
USE_OTHER = os.environ.get('TIMM_USE_NAFLEXVIT', 'false').lower() == 'true'

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 5 if USE_OTHER else 3)

    def forward(self, x):
        return self.fc(x)
`;
    const run = (environment?: Record<string, string>) => {
      const result = summarizeModel({ path: '/ws/model.py', text, readFile: () => undefined, inputs: ['1,2'], ...(environment ? { environment } : {}) });
      if ('error' in result) throw new Error(result.error);
      return result;
    };
    expect(outputs(run({ TIMM_USE_NAFLEXVIT: 'false' }))).toEqual([['fc', [1, 3]]]);
    expect(outputs(run({ TIMM_USE_NAFLEXVIT: 'true' }))).toEqual([['fc', [1, 5]]]);
    const unset = run();
    expect(unset.calls[0]?.output).not.toEqual([1, 3]);
    expect(unset.unknown.some((u) => u.reason.includes('environment variable TIMM_USE_NAFLEXVIT is not known'))).toBe(true);
  });
  it('computes math.erf (timm.layers.weight_init)', () => {
    // erf(1) = 0.8427007929497149 (Python's math.erf); 1000·erf(1) rounds to 843; erf(-1) = -erf(1); erf(3) = 0.99997791...
    expect(widths('a = round(1000 * math.erf(1))\nb = round(-1000 * math.erf(-1))\nc = round(100000 * math.erf(3))', ['a', 'b', 'c'])).toEqual([843, 843, 99998]);
  });
  it('takes torch.jit.ignore() called before decorating as a decorator', () => {
    const lines = 'class Inner(nn.Module):\n    @torch.jit.ignore()\n    def width(self):\n        return 6\nw = Inner().width()';
    expect(widths(lines, ['w'])).toEqual([6]);
  });
});

describe('model libraries in the workspace', () => {
  it("reads a timm copy in the workspace instead of the built-in stub", () => {
    const files = {
      '/ws/timm/__init__.py': '',
      '/ws/timm/layers/__init__.py': 'from .helpers import to_2tuple\n',
      '/ws/timm/layers/helpers.py': 'def to_2tuple(x):\n    return (x, x)\n',
    };
    expect(widths('from timm.layers import to_2tuple\nt = to_2tuple(5)', ['t[0]', 't[1]'], files)).toEqual([5, 5]);
  });
});
