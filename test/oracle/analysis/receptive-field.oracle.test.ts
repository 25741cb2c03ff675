// The receptive field through upsampling (issue 17): the summary's size, jump and start of a model's output
// against PyTorch's empirical gradient receptive field (empirical_rf.py: a one-hot output gradient at each
// position of a whole period around the centre, the extent of the non-zero input gradient), for single
// layers and UNet-, GAN-decoder- and sub-pixel-style stacks. Max pooling is measured through average
// pooling of the same window (a max's gradient reaches only one argmax; the window is what can influence
// it); MaxUnpool is measured over 40 random index sets (the union is every position its window can name).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { summarizeModel } from '../../../src/core/index';
import type { ReceptiveFieldReport } from '../../../src/core/index';
import { TORCH_PYTHON } from '../lib/torchOracle';

const SCRIPT = fileURLToPath(new URL('./empirical_rf.py', import.meta.url));
const HEADER = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

interface Case {
  readonly name: string;
  /** A module class `Net`; the product and PyTorch both run `Net()`. */
  readonly code: string;
  readonly input: readonly number[];
  /** Output rows measured: a whole number of periods of the output layout. */
  readonly positions: number;
  readonly first?: number;
  readonly seeds?: number;
  /** MaxUnpool alone: forward(x, indices) with indices from pooling by this factor. */
  readonly unpool?: number;
}

const single = (name: string, layer: string, input: number[], positions: number, extra: Partial<Case> = {}): Case => ({
  name,
  code: `class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.layer = ${layer}\n    def forward(self, x):\n        return self.layer(x)\n`,
  input,
  positions,
  ...extra,
});

const CASES: readonly Case[] = [
  single('ConvTranspose2d k4 s2 p1 (DCGAN)', 'nn.ConvTranspose2d(1, 1, 4, stride=2, padding=1)', [1, 1, 32, 32], 16),
  single('ConvTranspose2d k3 s2 p1 op1', 'nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, output_padding=1)', [1, 1, 32, 32], 16),
  single('ConvTranspose2d k3 s2 d2 (every other output reads nothing)', 'nn.ConvTranspose2d(1, 1, 3, stride=2, dilation=2)', [1, 1, 32, 32], 16),
  single('ConvTranspose2d k5 s3 p1', 'nn.ConvTranspose2d(2, 1, 5, stride=3, padding=1)', [1, 2, 24, 24], 18),
  single('Upsample nearest ×2', 'nn.Upsample(scale_factor=2)', [1, 1, 32, 32], 16),
  single('Upsample nearest ×3', 'nn.Upsample(scale_factor=3, mode="nearest")', [1, 1, 24, 24], 18),
  single('Upsample nearest-exact ×2', 'nn.Upsample(scale_factor=2, mode="nearest-exact")', [1, 1, 32, 32], 16),
  single('Upsample bilinear ×2', 'nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)', [1, 1, 32, 32], 16),
  single('Upsample bicubic ×2', 'nn.Upsample(scale_factor=2, mode="bicubic", align_corners=False)', [1, 1, 32, 32], 16),
  single('Upsample bilinear align_corners 8 → 11', 'nn.Upsample(size=(11, 11), mode="bilinear", align_corners=True)', [1, 1, 8, 8], 10, { first: 0 }),
  single('UpsamplingBilinear2d ×2 (align_corners)', 'nn.UpsamplingBilinear2d(scale_factor=2)', [1, 1, 16, 16], 31, { first: 0 }),
  single('PixelShuffle(2)', 'nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.PixelShuffle(2))', [1, 1, 32, 32], 16),
  single('PixelUnshuffle(2)', 'nn.Sequential(nn.PixelUnshuffle(2), nn.Conv2d(4, 1, 3, padding=1))', [1, 1, 64, 64], 8),
  single('nearest ×2 then a 4-tap conv (fields of 2 and 3)', 'nn.Sequential(nn.Upsample(scale_factor=2), nn.Conv2d(1, 1, 4, padding=1))', [1, 1, 32, 32], 16),
  {
    name: 'MaxUnpool2d(2) alone',
    code: 'class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.unpool = nn.MaxUnpool2d(2)\n    def forward(self, x, indices):\n        return self.unpool(x, indices)\n',
    input: [1, 1, 16, 16],
    positions: 8,
    seeds: 40,
    unpool: 2,
  },
  {
    name: 'F.interpolate bilinear ×2 between convs',
    code: 'class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.a = nn.Conv2d(1, 2, 3, padding=1)\n        self.b = nn.Conv2d(2, 1, 3, padding=1)\n    def forward(self, x):\n        return self.b(F.interpolate(self.a(x), scale_factor=2, mode="bilinear", align_corners=False))\n',
    input: [1, 1, 32, 32],
    positions: 16,
  },
  {
    name: 'functional ops: F.conv2d s2, F.avg_pool2d 3 s2 p1, F.conv_transpose2d k4 s2 p1, F.interpolate ×2',
    code: `class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.w1 = nn.Parameter(torch.randn(2, 1, 3, 3))
        self.w2 = nn.Parameter(torch.randn(2, 1, 4, 4))
    def forward(self, x):
        x = F.avg_pool2d(F.conv2d(x, self.w1, stride=2, padding=1), 3, 2, 1)
        x = F.conv_transpose2d(x, self.w2, stride=2, padding=1)
        return F.interpolate(x, scale_factor=2)
`,
    input: [1, 1, 64, 64],
    positions: 16,
  },
  {
    name: 'UNet (2 levels, max pooling, ConvTranspose up, concatenated skips)',
    code: `def double_conv(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True), nn.Conv2d(o, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True))
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.inc = double_conv(1, 4)
        self.down1 = nn.Sequential(nn.MaxPool2d(2), double_conv(4, 8))
        self.down2 = nn.Sequential(nn.MaxPool2d(2), double_conv(8, 8))
        self.up1 = nn.ConvTranspose2d(8, 8, 2, stride=2)
        self.conv1 = double_conv(16, 4)
        self.up2 = nn.ConvTranspose2d(4, 4, 2, stride=2)
        self.conv2 = double_conv(8, 4)
        self.outc = nn.Conv2d(4, 1, 1)
    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down1(x1)
        x3 = self.down2(x2)
        y = self.conv1(torch.cat([x2, self.up1(x3)], dim=1))
        y = self.conv2(torch.cat([x1, self.up2(y)], dim=1))
        return self.outc(y)
`,
    input: [1, 1, 64, 64],
    positions: 8,
  },
  {
    name: 'UNet (3 levels, bilinear Upsample, added skips)',
    code: `class Block(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.ReLU(), nn.Conv2d(o, o, 3, padding=1), nn.ReLU())
    def forward(self, x):
        return self.conv(x)
class Net(nn.Module):
    def __init__(self, c=4):
        super().__init__()
        self.e1, self.e2, self.e3 = Block(1, c), Block(c, c), Block(c, c)
        self.pool = nn.MaxPool2d(2)
        self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)
        self.d2, self.d1 = Block(c, c), Block(c, c)
        self.out = nn.Conv2d(c, 1, 1)
    def forward(self, x):
        a = self.e1(x)
        b = self.e2(self.pool(a))
        c = self.e3(self.pool(b))
        b = self.d2(self.up(c) + b)
        a = self.d1(self.up(b) + a)
        return self.out(a)
`,
    input: [1, 1, 96, 96],
    positions: 8,
  },
  {
    name: 'DCGAN generator (4×4 k4 s2 p1 transposed convs, BatchNorm, ReLU, Tanh)',
    code: `class Net(nn.Module):
    def __init__(self, nz=4, ngf=4):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 4), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, 1, 4, 2, 1, bias=False), nn.Tanh())
    def forward(self, x):
        return self.main(x)
`,
    input: [1, 4, 16, 16],
    positions: 16,
  },
  {
    name: 'Sub-pixel decoder (ESPCN: convs then PixelShuffle(3))',
    code: `class Net(nn.Module):
    def __init__(self, r=3):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(1, 8, 5, padding=2), nn.Tanh(), nn.Conv2d(8, 4, 3, padding=1), nn.Tanh(), nn.Conv2d(4, r * r, 3, padding=1))
        self.shuffle = nn.PixelShuffle(r)
    def forward(self, x):
        return self.shuffle(self.body(x))
`,
    input: [1, 1, 24, 24],
    positions: 18,
  },
];

interface Measured {
  readonly name: string;
  readonly size: number;
  readonly min_size: number;
  readonly jump: string;
  readonly start: string;
}

/** Python's Fraction text: "1/2", "3", "-1/4". */
const fractionText = (r: { n: number; d: number }): string => (r.d === 1 ? String(r.n) : `${r.n}/${r.d}`);

function productField(c: Case): ReceptiveFieldReport | null | undefined {
  const result = summarizeModel({ path: '/ws/rf.py', text: HEADER + c.code, model: 'Net()', inputs: c.unpool ? [c.input.join(','), c.input.join(',')] : [c.input.join(',')] });
  if ('error' in result) throw new Error(`${c.name}: ${result.error}`);
  // The root module's call is the last to finish; its record holds the model's output field.
  return result.calls.find((call) => call.path === '')?.rf ?? result.calls.at(-1)?.rf;
}

let measured: Measured[];
beforeAll(() => {
  const jobs = CASES.map((c) => ({ name: c.name, code: c.code, model: 'Net()', input: c.input, positions: c.positions, ...(c.first !== undefined ? { first: c.first } : {}), seeds: c.seeds ?? 2, ...(c.unpool ? { unpool: c.unpool } : {}) }));
  const run = spawnSync(TORCH_PYTHON, [SCRIPT], { input: JSON.stringify(jobs), encoding: 'utf8', timeout: 600_000 });
  if (run.status !== 0) throw new Error(`${TORCH_PYTHON} ${SCRIPT} failed: ${run.stderr.slice(-2000)}`);
  measured = JSON.parse(run.stdout) as Measured[];
}, 600_000);

describe('receptive field through upsampling against PyTorch gradients', () => {
  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', (_name, index) => {
    const c = CASES[index]!;
    const torch = measured[index]!;
    const rf = productField(c);
    expect(rf, `${c.name}: the product has no receptive field for the output`).toBeTruthy();
    const product = { size: rf!.size[0], min_size: rf!.minSize[0], jump: fractionText(rf!.jump[0]!), start: fractionText(rf!.start[0]!) };
    expect(product, c.name).toEqual({ size: torch.size, min_size: torch.min_size, jump: torch.jump, start: torch.start });
  });
});
