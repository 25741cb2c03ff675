// numpy as configuration code uses it: shapes exact, contents when small. Expected numbers are worked
// out by hand beside each case (NumPy's documented dtype rules: float64 and int64 by default).
import { describe, expect, it } from 'vitest';
import { HEADER, outputs, summary } from '../interp/helpers';

const NP = `import numpy as np\n${HEADER}`;

/** Builds a model whose Linear widths are the numbers config code computed, then reads them back. */
function widths(configLines: string, names: string[]): number[] {
  const s = summary(`${NP}
class M(nn.Module):
    def __init__(self):
        super().__init__()
${configLines.split('\n').map((l) => `        ${l}`).join('\n')}
        self.layers = nn.ModuleList([nn.Linear(1, int(v)) for v in [${names.join(', ')}]])

    def forward(self, x):
        return [layer(x) for layer in self.layers]
`, { inputs: ['1,1'] });
  return outputs(s).map(([, shape]) => (shape as number[])[1]!);
}

describe('numpy scalars', () => {
  it('computes sqrt, log, power, prod, ceil and floor on Python numbers', () => {
    // sqrt(64) = 8; log(e^3) = 3; 2^5 = 32; prod([2, 3, 4]) = 24; ceil(7/2) = 4; floor(7/2) = 3; exp(0) = 1.
    expect(widths('a = np.sqrt(64)\nb = np.log(np.e ** 3)\nc = np.power(2, 5)\nd = np.prod([2, 3, 4])\ne = np.ceil(7 / 2)\nf = np.floor(7 / 2)\ng = np.exp(0)', ['a', 'round(b)', 'c', 'd', 'e', 'f', 'g'])).toEqual([8, 3, 32, 24, 4, 3, 1]);
  });
  it('reduces arrays to Python scalars (sum, max, mean, shape products)', () => {
    // arange(5) = 0..4: sum 10, max 4, mean 2; zeros((3, 4, 5)).size = 60; prod of its shape = 60.
    expect(widths('x = np.arange(5)\nz = np.zeros((3, 4, 5))', ['x.sum()', 'np.max(x)', 'x.mean()', 'z.size', 'np.prod(z.shape)'])).toEqual([10, 4, 2, 60, 60]);
  });
  it('keeps linspace schedules and tolist (drop-path rates, channel plans)', () => {
    // linspace(16, 64, 4) = 16, 32, 48, 64.
    expect(widths('plan = np.linspace(16, 64, 4).tolist()', ['plan[0]', 'plan[1]', 'plan[2]', 'plan[3]'])).toEqual([16, 32, 48, 64]);
  });
  it('indexes arrays with ints, slices and newaxis, keeping contents', () => {
    // a = [[0, 1, 2], [3, 4, 5]]: a[1, 2] = 5; a[:, 1] = [1, 4] -> sum 5; a[::-1, 0] = [3, 0]; a[None].shape[0] = 1.
    expect(widths('a = np.arange(6).reshape(2, 3)\nb = a[:, 1]\nc = a[::-1, 0]', ['a[1, 2]', 'b.sum()', 'c[0]', 'a[None].shape[0] + 2', 'a.T.shape[0]'])).toEqual([5, 5, 3, 3, 3]);
  });
  it('places advanced indices as NumPy does: an int beside an array index is an array index too', () => {
    // NumPy's indexing rules: for z of shape (2, 16, 128), z[0, :, idx] with idx of 5 entries has the int and idx
    // separated by a slice, so the broadcast block (5,) goes first: (5, 16) (PyTorch gives [16, 5]: it selects first).
    // z[[0, 1], [2, 3]] broadcasts two (2,) indices side by side: (2, 128).
    expect(widths('z = np.zeros((2, 16, 128))\na = z[0, :, np.arange(5)]\nb = z[[0, 1], [2, 3]]', ['a.shape[0]', 'a.shape[1]', 'b.shape[0]', 'b.shape[1]'])).toEqual([5, 16, 2, 128]);
  });
  it('updates contents on item assignment and forgets them when unknown', () => {
    // t = zeros(4); t[1::2] = 7 -> [0, 7, 0, 7], sum 14; t[0] = 3 -> sum 17.
    expect(widths('t = np.zeros(4)\nt[1::2] = 7\ns1 = t.sum()\nt[0] = 3', ['s1', 't.sum()'])).toEqual([14, 17]);
  });
  it('broadcasts arithmetic with contents: (3, 1) * (1, 4) → (3, 4)', () => {
    // rows [0, 1, 2] times cols [1, 1, 1, 1]: sum = 4 · (0 + 1 + 2) = 12.
    expect(widths('m = np.arange(3)[:, np.newaxis] * np.ones((1, 4))', ['m.shape[0]', 'm.shape[1]', 'm.sum()'])).toEqual([3, 4, 12]);
  });
});

describe('numpy tables turned into tensors', () => {
  it('registers a sinusoid table built in numpy as a buffer of the exact shape and float32 dtype', () => {
    const s = summary(`${NP}
def table(n_position, d_hid):
    def angles(position):
        return [position / np.power(10000, 2 * (j // 2) / d_hid) for j in range(d_hid)]
    t = np.array([angles(p) for p in range(n_position)])
    t[:, 0::2] = np.sin(t[:, 0::2])
    t[:, 1::2] = np.cos(t[:, 1::2])
    return torch.FloatTensor(t).unsqueeze(0)

class PE(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer('pos_table', table(10, 16))
        self.fc = nn.Linear(16, 4)

    def forward(self, x):
        return self.fc(x + self.pos_table[:, :x.size(1)].clone().detach())
`, { inputs: ['2,7,16'] });
    // (2, 7, 16) + (1, 7, 16) broadcasts to (2, 7, 16); Linear 16 -> 4.
    expect(outputs(s)).toEqual([['fc', [2, 7, 4]]]);
    expect(s.errors).toEqual([]);
  });
  it('torch.from_numpy keeps dtype and shape; torch.tensor of an array brings its contents', () => {
    const s = summary(`${NP}
class M(nn.Module):
    def __init__(self):
        super().__init__()
        widths = torch.tensor(np.array([8, 16]))
        self.fc = nn.Linear(4, widths.tolist()[1])
        self.register_buffer('w', torch.from_numpy(np.ones((3, 4), dtype=np.float32)))

    def forward(self, x):
        return self.fc(x @ self.w)
`, { inputs: ['2,3'] });
    // x (2, 3) @ w (3, 4) -> (2, 4); Linear 4 -> 16 (the second element of the array).
    expect(outputs(s)).toEqual([['fc', [2, 16]]]);
  });
  it('reports NumPy shape errors instead of guessing', () => {
    const s = summary(`${NP}
class M(nn.Module):
    def __init__(self):
        super().__init__()
        t = np.zeros((2, 3)) + np.zeros((4,))
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        return self.fc(x)
`, { inputs: ['1,4'] });
    // NumPy's ValueError text, trailing space included.
    expect(s.errors.map((e) => e.message)).toEqual(['ndarray.__add__: operands could not be broadcast together with shapes (2,3) (4,) ']);
  });
  it('takes arrays of strings and objects as unknown, never as an error (NumPy makes dtype <U3 and object arrays)', () => {
    // skorch's tests: np.array(['foo', 'bar', 'baz']) and np.array([object, object, object]) are valid NumPy.
    const s = summary(`${NP}
class M(nn.Module):
    def __init__(self):
        super().__init__()
        names = np.array(['foo', 'bar', 'baz'])
        kinds = np.array([object, object, object])
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        return self.fc(x)
`, { inputs: ['1,4'] });
    expect(s.errors).toEqual([]);
    expect(outputs(s)).toEqual([['fc', [1, 4]]]);
  });
});
