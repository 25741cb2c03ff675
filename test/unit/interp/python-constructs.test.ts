// Python constructs real model files use, each checked through the shapes and parameter counts of a small
// model. Every expected number is worked out by hand in the comment beside it.
import { describe, expect, it } from 'vitest';
import { HEADER, outputs, summary } from './helpers';

describe('float literals', () => {
  it('builds Dropout(0.) and LayerNorm(eps=1.e-6) instead of leaving them unknown', () => {
    const s = summary(`${HEADER}
class Net(nn.Module):
    def __init__(self, dropout=0.):
        super().__init__()
        self.fc = nn.Linear(4, 8)
        self.drop = nn.Dropout(dropout)
        self.norm = nn.LayerNorm(8, eps=1.e-6)
        self.scale = 2. * 8 ** -.5

    def forward(self, x):
        return self.norm(self.drop(self.fc(x))) * self.scale
`, { inputs: ['2,4'] });
    expect(outputs(s)).toEqual([['fc', [2, 8]], ['drop', [2, 8]], ['norm', [2, 8]]]);
    // Linear 4·8 + 8 = 40, LayerNorm 8 + 8 = 16.
    expect(s.params).toBe(56);
    expect(s.unknown).toEqual([]);
  });
});

describe('functools.partial objects', () => {
  const text = `${HEADER}
import functools

def get_norm_layer(kind):
    if kind == 'instance':
        return functools.partial(nn.InstanceNorm2d, affine=False)
    return functools.partial(nn.BatchNorm2d, affine=True)

class Net(nn.Module):
    def __init__(self, norm_layer=get_norm_layer('instance')):
        super().__init__()
        if type(norm_layer) == functools.partial:
            use_bias = norm_layer.func == nn.InstanceNorm2d
        else:
            use_bias = norm_layer == nn.InstanceNorm2d
        self.conv = nn.Conv2d(3, 8, 3, bias=use_bias)
        # A partial of a partial is flattened: its func is still the norm class.
        tighter = functools.partial(norm_layer, eps=1e-3)
        assert tighter.func is norm_layer.func and len(tighter.args) == 0
        assert isinstance(tighter, functools.partial) and tighter.keywords['eps'] == 1e-3
        self.norm = tighter(8)

    def forward(self, x):
        return self.norm(self.conv(x))
`;

  it('calls a partial, compares its func and type, and flattens a partial of a partial', () => {
    const instance = summary(text, { inputs: ['1,3,32,32'] });
    expect(instance.calls.map((c) => [c.path, c.type, c.output])).toEqual([['conv', 'Conv2d', [1, 8, 30, 30]], ['norm', 'InstanceNorm2d', [1, 8, 30, 30]]]);
    // Conv with bias: 8·3·3·3 + 8 = 224; InstanceNorm2d(affine=False): 0.
    expect(instance.params).toBe(224);
    expect(instance.errors).toEqual([]);
    const batch = summary(text, { inputs: ['1,3,32,32'], model: "Net(get_norm_layer('batch'))" });
    // Conv without bias: 216; BatchNorm2d(8, affine=True): 16.
    expect(batch.params).toBe(232);
  });
});

describe('functools.wraps and inspect.signature', () => {
  // Every size is what CPython 3.11 computes for the same code (sizes() printed [6, 120, 3, 23, 307, 112, 24, 200, 1114]).
  const text = `${HEADER}
import functools
import inspect


def traced(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)
    return wrapper


@traced
def make_block(width, depth=3, /, *layers, scale=2, bias=True, **options):
    """Makes a block."""
    return nn.Linear(width, width * scale, bias=bias)


class Shift:
    def apply(self, x, by=4):
        return x


def sizes():
    params = inspect.signature(make_block).parameters
    kinds = [p.kind for p in params.values()]
    names = tuple(params)
    first_keyword_only = next(i for i, p in enumerate(params.values()) if p.kind == p.KEYWORD_ONLY)
    no_default = [p.name for p in params.values() if p.default is inspect.Parameter.empty]
    unwrapped = inspect.signature(make_block, follow_wrapped=False).parameters
    method = inspect.signature(Shift().apply).parameters
    evens = (k for k in kinds if k % 2 == 0)
    return [
        len(params),
        sum(kinds) * 10 + kinds[0],
        first_keyword_only,
        params['depth'].default + params['scale'].default * 10,
        len(no_default) * 100 + len(names[-1]),
        ('bias' in params) * 10 + ('bias' not in unwrapped) * 100 + len(unwrapped),
        len(method) * 10 + method['by'].default,
        next(evens) * 10 + next(evens) + next(evens, 7) * 100,
        len(make_block.__name__) * 10 + len(make_block.__doc__) + (make_block.__wrapped__.__name__ == 'make_block') * 1000,
    ]


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fcs = nn.ModuleList([nn.Linear(1, s, bias=False) for s in sizes()])

    def forward(self, x):
        return [fc(x) for fc in self.fcs]
`;

  it("follows __wrapped__ to the wrapped function's parameters, name and docstring, as Python does", () => {
    const s = summary(text, { inputs: ['1,1'] });
    // 6 parameters; kinds 0+0+2+3+3+4 = 12 (width and depth positional-only); keyword-only from index 3;
    // defaults 3 + 2·10; 3 without a default and 'options'; 'bias' in one, (*args, **kwargs) unwrapped; a bound
    // method's (x, by=4); the generator of even kinds 0, 0, then 2; 'make_block' and its docstring.
    expect(s.calls.map((c) => c.output)).toEqual([6, 120, 3, 23, 307, 112, 24, 200, 1114].map((n) => [1, n]));
    expect(s.unknown).toEqual([]);
    expect(s.errors).toEqual([]);
  });
});

describe('next() of a generator expression', () => {
  it('goes on from the items next() took, and leaves a written tuple unknown', () => {
    // CPython 3.11: next(g) is 6, list(g) then [10, 14] (2 * 10 + 10 = 30); after two next(h), sum(h) is 3 and h is
    // exhausted (3 * 10 + 0 = 30); next((4, 9), 11) raises TypeError: a tuple is not an iterator.
    const s = summary(`${HEADER}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        g = (n * 2 for n in (3, 5, 7))
        first = next(g)
        rest = list(g)
        h = (n for n in (1, 2, 3))
        next(h)
        next(h)
        self.a = nn.Linear(1, first)
        self.b = nn.Linear(1, len(rest) * 10 + rest[0])
        self.c = nn.Linear(1, sum(h) * 10 + len([k for k in h]))
        self.d = nn.Linear(1, next((4, 9), 11))

    def forward(self, x):
        return self.a(x), self.b(x), self.c(x), self.d(x)
`, { inputs: ['2,1'] });
    expect(outputs(s).slice(0, 3)).toEqual([['a', [2, 6]], ['b', [2, 30]], ['c', [2, 30]]]);
    expect(s.unknown.map((u) => u.reason)).toContainEqual(expect.stringContaining('next() of a tuple, which is not an iterator'));
    // Neither the default (11) nor the tuple's first item (4): d's output is unknown.
    expect(outputs(s).filter(([name]) => name === 'd')).toEqual([['d', null]]);
  });
});

describe('explicit dunder calls and __dict__', () => {
  it('registers children through self.__setattr__ and finds them through self.__getattr__', () => {
    const s = summary(`${HEADER}
class Tree(nn.Module):
    def __init__(self, levels=2):
        super().__init__()
        self.levels = levels
        for i in range(levels):
            self.__setattr__('level_%d' % i, nn.Linear(4, 4))

    def forward(self, x):
        for i in range(self.levels):
            x = self.__getattr__('level_%d' % i)(x)
        return x
`, { inputs: ['2,4'] });
    expect(outputs(s)).toEqual([['level_0', [2, 4]], ['level_1', [2, 4]]]);
    // Two Linear(4, 4): 2 · (16 + 4) = 40.
    expect(s.params).toBe(40);
  });

  it('reads config objects built with __dict__.update, vars() and a user __setattr__', () => {
    const s = summary(`${HEADER}
class CfgNode:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)

    def merge_from_dict(self, d):
        self.__dict__.update(d)

class Store:
    def __init__(self):
        object.__setattr__(self, 'values', {})

    def __setattr__(self, key, value):
        self.values[key] = value

    def __getattr__(self, key):
        return self.values[key]

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        cfg = CfgNode(width=8)
        cfg.merge_from_dict({'depth': 2})
        vars(cfg)['out'] = 3
        store = Store()
        store.hidden = cfg.width * 2
        self.layers = nn.ModuleList([nn.Linear(cfg.width, cfg.width) for _ in range(cfg.depth)])
        self.mid = nn.Linear(cfg.width, store.hidden)
        self.head = nn.Linear(store.values['hidden'], cfg.out)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return self.head(self.mid(x))
`, { inputs: ['2,8'] });
    expect(outputs(s)).toEqual([['layers.0', [2, 8]], ['layers.1', [2, 8]], ['mid', [2, 16]], ['head', [2, 3]]]);
    // 2 · (64 + 8) + (8·16 + 16) + (16·3 + 3) = 144 + 144 + 51 = 339.
    expect(s.params).toBe(339);
  });

  it('groups keyword arguments from locals() by prefix, as CvT does', () => {
    const s = summary(`${HEADER}
def group_by_prefix(prefix, d):
    inside = {k[len(prefix):]: v for k, v in d.items() if k.startswith(prefix)}
    outside = {k: v for k, v in d.items() if not k.startswith(prefix)}
    return inside, outside

class Net(nn.Module):
    def __init__(self, s1_dim=6, s2_dim=10, num_classes=3):
        super().__init__()
        kwargs = dict(locals())
        dims = []
        for prefix in ('s1', 's2'):
            config, kwargs = group_by_prefix(f'{prefix}_', kwargs)
            dims.append(config['dim'])
        self.a = nn.Linear(4, dims[0])
        self.b = nn.Linear(dims[0], dims[1])
        self.c = nn.Linear(dims[1], kwargs['num_classes'])

    def forward(self, x):
        return self.c(self.b(self.a(x)))
`, { inputs: ['2,4'] });
    expect(outputs(s)).toEqual([['a', [2, 6]], ['b', [2, 10]], ['c', [2, 3]]]);
  });
});

describe('the re module on known strings', () => {
  it("decodes EfficientNet block strings ('r1_k3_s11_e1_i32_o16_se0.25') with re.split", () => {
    const s = summary(`${HEADER}
import re

def decode(block_string):
    options = {}
    for op in block_string.split('_'):
        splits = re.split(r'(\\d.*)', op)
        if len(splits) >= 2:
            key, value = splits[:2]
            options[key] = value
    return options

class Block(nn.Module):
    def __init__(self, block_string):
        super().__init__()
        o = decode(block_string)
        self.conv = nn.Conv2d(int(o['i']), int(o['o']), int(o['k']), stride=int(o['s'][0]), padding=int(o['k']) // 2)
        self.se = nn.Linear(int(o['o']), max(1, int(int(o['i']) * float(o['se']))))

    def forward(self, x):
        x = self.conv(x)
        return self.se(x.mean((2, 3)))

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block('r1_k3_s22_e6_i32_o16_se0.25')

    def forward(self, x):
        return self.block(x)
`, { inputs: ['1,32,16,16'] });
    // k3, stride 2 (first digit of '22'), padding 1: 16 -> 8; SE width max(1, int(32 · 0.25)) = 8.
    expect(outputs(s)).toEqual([['block.conv', [1, 16, 8, 8]], ['block.se', [1, 8]]]);
  });

  it('matches, searches, finds, splits and substitutes as Python does', () => {
    const s = summary(`${HEADER}
import re

m = re.match(r'(\\w+)-(\\d+)', 'resnet-50')
NAME, DEPTH = m.groups()
SPAN = m.span(2)
NO = re.fullmatch(r'\\d+', '50x')
SIZES = re.search(r'(?P<k>\\d+)x(?P<v>\\d+)', 'size 3x5').groupdict()
NUMBERS = re.findall(r'\\d+', 'a1b22c333')
PAIRS = re.findall(r'(\\w)(\\d)', 'a1b2')
SUBBED = re.sub(r'(\\d+)', r'<\\1>', 'a1b2')
PARTS = re.split(r'[,;]\\s*', 'a, b;c')
STAGE = re.compile(r'stage(\\d)').match('stage3').group(1)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        assert NAME == 'resnet' and SPAN == (7, 9) and NO is None
        assert PAIRS == [('a', '1'), ('b', '2')] and SUBBED == 'a<1>b<2>' and PARTS == ['a', 'b', 'c']
        self.fc = nn.Linear(int(DEPTH), int(SIZES['k']) * int(SIZES['v']))
        self.out = nn.Linear(15, sum(int(n) for n in NUMBERS) + int(STAGE))

    def forward(self, x):
        return self.out(self.fc(x))
`, { inputs: ['2,50'] });
    // fc: 50 -> 3·5 = 15; out: 15 -> 1 + 22 + 333 + 3 = 359.
    expect(outputs(s)).toEqual([['fc', [2, 15]], ['out', [2, 359]]]);
    expect(s.errors).toEqual([]);
  });

  it('gives Unknown, with the reason, for a pattern RE2 cannot match faithfully', () => {
    const s = summary(`${HEADER}
import re
WIDTH = len(re.findall(r'(a)\\1', 'aa'))

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        return self.fc(x)
`, { inputs: ['1,4'] });
    expect(s.unknown.map((u) => u.reason)).toContainEqual(expect.stringContaining('backreferences are not modelled'));
  });
});

describe('collections, itertools and copy', () => {
  it('names Sequential children from an OrderedDict and reads namedtuples like tuples', () => {
    const s = summary(`${HEADER}
from collections import OrderedDict, namedtuple, defaultdict, Counter
from typing import NamedTuple

BlockArgs = namedtuple('BlockArgs', ['cin', 'cout', 'stride'], defaults=(1,))

class Stage(NamedTuple):
    width: int
    depth: int = 1

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        a = BlockArgs(3, 8)
        b = a._replace(cin=a.cout, stride=2)
        cin, cout, stride = b
        groups = defaultdict(list)
        groups['convs'].append(nn.Conv2d(a.cin, a.cout, 3, padding=1, stride=a.stride))
        groups['convs'].append(nn.Conv2d(cin, cout, 3, padding=1, stride=stride))
        counts = Counter(['x', 'y', 'x'])
        stage = Stage(width=cout * counts['x'])
        self.features = nn.Sequential(OrderedDict([('c1', groups['convs'][0]), ('c2', groups['convs'][1])]))
        self.head = nn.Linear(b[1], stage.width + stage.depth + len(BlockArgs._fields))

    def forward(self, x):
        return self.head(self.features(x).mean((2, 3)))
`, { inputs: ['1,3,16,16'] });
    // c1 keeps 16; c2 has stride 2: 8. head: 8 -> 8·2 + 1 + 3 = 20.
    expect(outputs(s)).toEqual([['features.c1', [1, 8, 16, 16]], ['features.c2', [1, 8, 8, 8]], ['head', [1, 20]]]);
  });

  it('copies modules with fresh parameters and configs so the copy can change alone', () => {
    const s = summary(`${HEADER}
import copy
import itertools

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        layer = nn.Linear(4, 4)
        self.layers = nn.ModuleList([copy.deepcopy(layer) for _ in range(2)])
        cfg = {'widths': [4, 6]}
        other = copy.deepcopy(cfg)
        other['widths'].append(9)
        pairs = list(itertools.product(range(2), repeat=2))
        flat = list(itertools.chain.from_iterable([[1, 2], [3]]))
        sums = list(itertools.accumulate(cfg['widths']))
        self.fc = nn.Linear(4, sums[-1] + len(pairs) + len(other['widths']) + len(flat))

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return self.fc(x)
`, { inputs: ['2,4'] });
    // sums [4, 10]; 4 pairs; other has 3 widths (cfg still 2); flat has 3: 10 + 4 + 3 + 3 = 20.
    expect(outputs(s)).toEqual([['layers.0', [2, 4]], ['layers.1', [2, 4]], ['fc', [2, 20]]]);
    // Two distinct Linear(4, 4) copies: 2 · 20 = 40; fc 4·20 + 20 = 100.
    expect(s.params).toBe(140);
  });
});

describe('dataclasses, properties and class/static methods', () => {
  it('runs default_factory and __post_init__, property setters and classmethod constructors', () => {
    const text = `${HEADER}
from dataclasses import dataclass, field

@dataclass
class Config:
    widths: list = field(default_factory=lambda: [4, 8])
    depth: int = 2

    def __post_init__(self):
        self.total = sum(self.widths) * self.depth

    @property
    def last(self):
        return self.widths[-1]

    @classmethod
    def small(cls):
        return cls(widths=[4, 6], depth=1)

    @staticmethod
    def activation():
        return nn.ReLU()

class Net(nn.Module):
    def __init__(self, cfg=Config.small()):
        super().__init__()
        self._hidden = 0
        self.hidden = cfg.total
        self.fc = nn.Linear(cfg.widths[0], self.hidden)
        self.act = Config.activation()
        self.out = nn.Linear(self.hidden, cfg.last)

    @property
    def hidden(self):
        return self._hidden

    @hidden.setter
    def hidden(self, value):
        self._hidden = value * 2

    def forward(self, x):
        return self.out(self.act(self.fc(x)))
`;
    const s = summary(text, { inputs: ['2,4'] });
    // small(): widths [4, 6], depth 1 -> total 10; the setter doubles it: hidden 20; last is 6.
    expect(outputs(s)).toEqual([['fc', [2, 20]], ['act', [2, 20]], ['out', [2, 6]]]);
    // A default Config: total (4 + 8) · 2 = 24 -> hidden 48, last 8.
    expect(outputs(summary(text, { inputs: ['2,4'], model: 'Net(Config())' }))).toEqual([['fc', [2, 48]], ['act', [2, 48]], ['out', [2, 8]]]);
  });
});

describe('einops beyond rearrange', () => {
  it('flattens (...) groups, packs and unpacks, stacks lists, and leaves an unknown size unknown (not an error)', () => {
    const s = summary(`${HEADER}
import os
from einops import rearrange, repeat, pack, unpack

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.cls = nn.Parameter(torch.randn(8))

    def forward(self, x):
        tokens = rearrange(x, 'b ... d -> b (...) d')
        cls = repeat(self.cls, 'd -> b d', b=x.shape[0])
        packed, ps = pack([cls, tokens], 'b * d')
        packed = self.fc(packed)
        cls, tokens = unpack(packed, ps, 'b * d')
        stacked = rearrange([tokens, tokens], 'n b t d -> b n t d')
        unknown_batch = repeat(self.cls, 'd -> b d', b=int(os.environ.get('B')))
        return cls, tokens, stacked, unknown_batch
`, { inputs: ['2,4,4,8'] });
    // 4·4 = 16 tokens; the class token packs as 1 more: 17; unpack gives [2, 8] and [2, 16, 8] back.
    expect(outputs(s)).toEqual([['fc', [2, 17, 8]]]);
    expect(s.output).toEqual([[2, 8], [2, 16, 8], [2, 2, 16, 8], null]);
    expect(s.errors).toEqual([]);
  });
});

describe('module containers', () => {
  it('keep a None entry of a ModuleList, as PyTorch does, so unpacking its items lines up', () => {
    const s = summary(`${HEADER}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.heads = 3
        self.layers = nn.ModuleList([nn.ModuleList([nn.Linear(4, 4), None, nn.ReLU()])])
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        height, width, heads = *x.shape[-2:], self.heads
        for lin, peg, act in self.layers:
            x = act(lin(x))
            if peg is not None:
                x = peg(x)
        return self.fc(x), height * width * heads, len(self.layers[0])
`, { inputs: ['2,3,4'] });
    expect(outputs(s)).toEqual([['layers.0.0', [2, 3, 4]], ['layers.0.2', [2, 3, 4]], ['fc', [2, 3, 2]]]);
    // Linear(4, 4) 20 + Linear(4, 2) 10; the None entry holds nothing.
    expect(s.params).toBe(30);
    expect(s.errors).toEqual([]);
  });
});

describe('map() without an iterable', () => {
  it("raises Python's TypeError instead of building an endless list", () => {
    const s = summary(`${HEADER}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        fns = list(map(abs))
        return self.fc(x)
`, { inputs: ['2,4'] });
    // CPython 3.11: TypeError: map() must have at least two arguments.
    expect(s.errors.map((e) => e.message)).toContainEqual(expect.stringMatching(/map\(\) must have at least two arguments/));
  });
});

describe('len() of an object', () => {
  it("calls the class's __len__ (a dataset with __len__ and __getitem__ but no __iter__)", () => {
    const s = summary(`${HEADER}
class Pairs:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n * 2

    def __getitem__(self, i):
        return i

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, len(Pairs(3)))

    def forward(self, x):
        return self.fc(x)
`, { inputs: ['2,4'] });
    // len(Pairs(3)) = 3 * 2 = 6 outputs: Linear 4·6 + 6 = 30 parameters.
    expect(outputs(s)).toEqual([['fc', [2, 6]]]);
    expect(s.params).toBe(30);
  });
});
