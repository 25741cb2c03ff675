// Conditions the analysis cannot decide decide nothing: both sides run, their results join, what one side
// creates is kept and marked "only if", and errors on one side are not errors. Expected numbers are worked
// out by hand beside each check.
import { describe, expect, it } from 'vitest';
import { summarizeModel } from '../../../src/core/index';
import { HEADER, outputs, summary } from './helpers';

// A module-level flag the analysis cannot know (the environment is not modelled).
const FLAG = `${HEADER}import os\nFLAG = os.environ.get('FLAG') == '1'\n`;

describe('if / elif / else on an unknown condition', () => {
  it('keeps a module created on one side, marked "only if", and leaves it out of the total', () => {
    const s = summary(`${FLAG}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 8)
        if FLAG:
            self.norm = nn.LayerNorm(8)

    def forward(self, x):
        return self.fc(x)
`, { inputs: ['2,4'] });
    expect(outputs(s)).toEqual([['fc', [2, 8]]]);
    // fc: 4·8 + 8 = 40 for sure; norm: 8 + 8 = 16 only if FLAG.
    expect(s.params).toBe(40);
    expect(s.params_unknown).toEqual([
      { path: 'norm.weight', reason: 'exists only if FLAG', params: 8 },
      { path: 'norm.bias', reason: 'exists only if FLAG', params: 8 },
    ]);
    expect(s.modules.find((m) => m.path === 'norm')).toMatchObject({ type: 'LayerNorm', params: 16, onlyIf: 'FLAG' });
    expect(s.errors).toEqual([]);
  });

  it('keeps a value both sides agree on and makes one they disagree on unknown', () => {
    const s = summary(`${FLAG}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        if FLAG:
            width = 8
            depth = 2
        else:
            width = 8
            depth = 3
        self.fc = nn.Linear(4, width)
        self.depth = depth

    def forward(self, x):
        return self.fc(x)
`, { inputs: ['2,4'] });
    // width is 8 on both sides: the Linear is exact (4·8 + 8 = 40).
    expect(outputs(s)).toEqual([['fc', [2, 8]]]);
    expect(s.params).toBe(40);
    expect(s.params_unknown).toBeUndefined();
  });

  it('runs both sides of a forward branch on a symbolic size and marks the conditional call', () => {
    const text = `${HEADER}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.pool = nn.MaxPool2d(2)

    def forward(self, x):
        x = self.conv(x)
        if x.shape[-1] > 64:
            x = self.pool(x)
        return x
`;
    const symbolic = summary(text, { inputs: ['B,3,H,W'] });
    expect(symbolic.calls.map((c) => [c.path, c.onlyIf])).toEqual([['conv', undefined], ['pool', 'x.shape[-1] > 64']]);
    // [B, 8, H, W] on one side, [B, 8, floor(H/2), floor(W/2)] on the other: the output is unknown.
    expect(symbolic.output).toBeNull();
    // With a known input the condition is decided (32 > 64 is false): no pool call.
    const known = summary(text, { inputs: ['1,3,32,32'] });
    expect(outputs(known)).toEqual([['conv', [1, 8, 32, 32]]]);
    expect(known.output).toEqual([1, 8, 32, 32]);
  });

  it('takes the other side when one side raises, without reporting an error', () => {
    const s = summary(`${FLAG}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.wrong = nn.Linear(5, 3)
        self.fc = nn.Linear(8, 3)

    def forward(self, x):
        if FLAG:
            x = self.wrong(x)
        else:
            x = self.fc(x)
        return x
`, { inputs: ['2,8'] });
    // Linear(5, 3) on [2, 8] would raise, so only the else side runs: fc gives [2, 3].
    expect(s.errors).toEqual([]);
    expect(outputs(s)).toEqual([['fc', [2, 3]]]);
    expect(s.output).toEqual([2, 3]);
    expect(s.unknown.map((u) => u.reason)).toContainEqual(expect.stringMatching(/^assumed not FLAG: otherwise .*mat1 and mat2 shapes cannot be multiplied/));
  });

  it('joins an early return under an unknown condition into the function result', () => {
    const s = summary(`${FLAG}
def maybe_double(x):
    if FLAG:
        return x * 2
    return x

def maybe_slice(x):
    if FLAG:
        return x[:, :4]
    return x

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 3)
        self.head = nn.Linear(8, 2)

    def forward(self, x):
        # Same shape either way: the Linear runs on [2, 8].
        y = self.fc(maybe_double(x))
        # [2, 4] or [2, 8]: unknown, so head's call is unknown too.
        z = self.head(maybe_slice(x))
        return y, z
`, { inputs: ['2,8'] });
    expect(s.calls.map((c) => [c.path, c.output])).toEqual([['fc', [2, 3]], ['head', null]]);
    expect(s.output).toEqual([[2, 3], null]);
  });

  it('evaluates both sides of a conditional expression and of and / or', () => {
    const s = summary(`${FLAG}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        hidden = 16 if FLAG else 16
        act = (FLAG and nn.ReLU()) or nn.ReLU()
        self.fc = nn.Linear(4, hidden)
        self.act = act

    def forward(self, x):
        return self.fc(x)
`, { inputs: ['3,4'] });
    // 16 on both sides: Linear(4, 16) = 4·16 + 16 = 80.
    expect(outputs(s)).toEqual([['fc', [3, 16]]]);
    expect(s.params).toBe(80);
  });
});

describe('loops on an unknown condition', () => {
  it('runs a while body once, joined with not running it', () => {
    const s = summary(`${FLAG}
N = 4 if FLAG else 8

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        layers = []
        n = N
        while n > 1:
            layers.append(nn.Linear(4, 4))
            n = n // 2
        self.layers = nn.ModuleList(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x
`, { inputs: ['2,4'] });
    // One Linear(4, 4) (4·4 + 4 = 20 parameters) kept, only if the loop runs; how often it runs is unknown.
    expect(s.calls.map((c) => [c.path, c.output])).toEqual([['layers.0', [2, 4]]]);
    expect(s.params).toBe(0);
    expect(s.params_unknown?.map((u) => [u.path, u.params])).toEqual([['layers.0.weight', 16], ['layers.0.bias', 4]]);
    expect(s.modules.find((m) => m.path === 'layers.0')?.onlyIf).toBe('n > 1');
  });

  it('runs a for body once over an iterable it cannot list', () => {
    const s = summary(`${HEADER}
import os

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList()
        for name in os.listdir('.'):
            self.blocks.append(nn.Linear(4, 4))
        self.out = nn.Linear(4, 2)

    def forward(self, x):
        return self.out(x)
`, { inputs: ['2,4'] });
    expect(outputs(s)).toEqual([['out', [2, 2]]]);
    // out: 4·2 + 2 = 10; the block (20) exists only if the listing is not empty.
    expect(s.params).toBe(10);
    expect(s.modules.find((m) => m.path === 'blocks.0')?.onlyIf).toBe("os.listdir('.') is not empty");
  });
});

describe('assert, try / except and raise', () => {
  it('raises on a failing assert and goes on past one it cannot decide', () => {
    const failing = summarizeModel({ path: '/ws/m.py', text: `${HEADER}
class Net(nn.Module):
    def __init__(self, width=8):
        super().__init__()
        self.fc = nn.Linear(4, width)
        assert width % 3 == 0
    def forward(self, x):
        return self.fc(x)
`, inputs: ['2,4'], model: 'Net()' });
    // 8 % 3 == 2: PyTorch's constructor raises; what __init__ built before is still shown, with the error.
    if ('error' in failing) throw new Error(failing.error);
    expect(failing.errors.map((e) => e.message)).toEqual(['building Net() raised AssertionError: width % 3 == 0']);
    expect(outputs(failing)).toEqual([['fc', [2, 8]]]);
    const undecided = summary(`${FLAG}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        assert FLAG
        self.fc = nn.Linear(4, 8)
    def forward(self, x):
        return self.fc(x)
`, { inputs: ['2,4'] });
    expect(undecided.errors).toEqual([]);
    expect(outputs(undecided)).toEqual([['fc', [2, 8]]]);
  });

  it('takes the except clause whose type matches what the try body raised', () => {
    const s = summary(`${HEADER}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        cfg = {'width': 8}
        try:
            depth = cfg['depth']
        except AttributeError:
            depth = 100
        except LookupError:
            depth = 2
        self.layers = nn.ModuleList([nn.Linear(4, 4) for _ in range(depth)])
        self.fc = nn.Linear(4, cfg['width'])
    def forward(self, x):
        for l in self.layers:
            x = l(x)
        return self.fc(x)
`, { inputs: ['2,4'] });
    // The KeyError is a LookupError: depth 2, two Linear(4, 4) then Linear(4, 8).
    expect(outputs(s)).toEqual([['layers.0', [2, 4]], ['layers.1', [2, 4]], ['fc', [2, 8]]]);
  });

  it('takes the ImportError fallback of an optional package the workspace does not have', () => {
    const s = summary(`${HEADER}
try:
    from apex.normalization import FusedLayerNorm as LayerNorm
except ImportError:
    from torch.nn import LayerNorm

try:
    import json
except ImportError:
    json = None

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = LayerNorm(8)
        self.has_json = json is not None
    def forward(self, x):
        return self.norm(x)
`, { inputs: ['2,8'] });
    expect(s.calls.map((c) => [c.path, c.type, c.output])).toEqual([['norm', 'LayerNorm', [2, 8]]]);
    expect(s.params).toBe(16);
  });
});

describe('conditions the analysis can decide', () => {
  it("reads `not a and b` as Python does, so a known condition skips its body (CCT's padding)", () => {
    const s = summary(`${HEADER}
def exists(val):
    return val is not None

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.positional_emb = nn.Parameter(torch.zeros(1, 4, 8))
        self.sequence_length = 4
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        if not exists(self.positional_emb) and x.size(1) < self.sequence_length:
            x = F.pad(x, (0, 0, 0, self.n_channels - x.size(1)))
        return self.fc(x + self.positional_emb)
`, { inputs: ['1,4,8'] });
    // The embedding exists, so `not exists(...)` is False and the pad never runs: fc gives [1, 4, 2].
    expect(outputs(s)).toEqual([['fc', [1, 4, 2]]]);
    expect(s.unknown).toEqual([]);
  });
});
