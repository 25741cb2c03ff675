// Seeded generator of the reliability fuzz cases: small model files, training loops and hostile programs
// assembled from fragments (with sibling modules to import), plus issue 15's reproducers written out as
// they were reported. The same seed gives the same cases on every machine.
import { INSERTED_TOKENS } from '../robustness/mutate';

export interface FuzzCase {
  readonly name: string;
  /** Absolute path of the analysed file (in memory: nothing is written for generated cases). */
  readonly path: string;
  readonly text: string;
  /** Sibling files it may import, by absolute path. */
  readonly files: Readonly<Record<string, string>>;
}

/** mulberry32: a small, fast, seeded PRNG (uniform in [0, 1)). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Random, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const times = (r: Random, lo: number, hi: number, make: (i: number) => string): string[] => Array.from({ length: int(r, lo, hi) }, (_, i) => make(i));

/** Sizes that real code uses, and ones it never does. */
const size = (r: Random): string => (r() < 0.9 ? String(pick(r, [1, 2, 3, 8, 16, 32, 64, 128, 256, 512, 768])) : pick(r, ['0', '-1', '10**9', '2**53', '1e309', 'n', 'cfg.dim', 'None', '(3, 3)']));

const LAYERS: readonly ((r: Random) => string)[] = [
  (r) => `nn.Linear(${size(r)}, ${size(r)})`,
  (r) => `nn.Conv2d(${size(r)}, ${size(r)}, ${pick(r, [1, 3, 5, 7])}, stride=${pick(r, [1, 2])}, padding=${pick(r, [0, 1, 2])})`,
  (r) => `nn.BatchNorm2d(${size(r)})`,
  () => 'nn.ReLU()',
  () => 'nn.GELU()',
  (r) => `nn.Dropout(${pick(r, ['0.1', '0.5', '0.9'])})`,
  (r) => `nn.MaxPool2d(${pick(r, [2, 3])})`,
  () => 'nn.Flatten()',
  (r) => `nn.LayerNorm(${size(r)})`,
  (r) => `nn.LSTM(${size(r)}, ${size(r)}, batch_first=True)`,
  (r) => `nn.MultiheadAttention(${size(r)}, ${pick(r, [1, 2, 4, 8])}, batch_first=True)`,
  (r) => `nn.Embedding(${size(r)}, ${size(r)})`,
  (r) => `nn.Sequential(${times(r, 1, 4, () => pick(r, ['nn.ReLU()', `nn.Linear(${size(r)}, ${size(r)})`, 'nn.Identity()'])).join(', ')})`,
];

const FORWARD_LINES: readonly ((r: Random, layers: number) => string)[] = [
  (r, n) => `x = self.l${int(r, 0, n - 1)}(x)`,
  (r, n) => `x = self.l${int(r, 0, n - 1)}(x)  # ${pick(r, ['[B, 64, H, W]', '-> (N, C)', 'shape: [B, T, D]', '[' + '['.repeat(int(r, 0, 50))])}`,
  () => 'x = x.view(x.size(0), -1)',
  () => 'x = torch.flatten(x, 1)',
  () => 'x = F.relu(x)',
  () => 'x = x + x',
  () => 'x = torch.cat([x, x], dim=1)',
  (r) => `x = x.reshape(${pick(r, ['-1, 4', '2, -1, 8', '-1'])})`,
  (r) => `for _ in range(${pick(r, ['2', '3', 'n', 'len(self._modules)'])}):\n            x = F.gelu(x)`,
  () => 'if x.shape[0] > 1:\n            x = x * 2\n        else:\n            x = x - 1',
  () => 'x = x.mean(dim=1)',
];

function modelClass(r: Random, name: string): string {
  const layers = times(r, 1, 6, () => pick(r, LAYERS)(r));
  const directive = r() < 0.3 ? `# ml-notes: input=${pick(r, ['[1, 3, 32, 32]', '[2, 16]', '[B, T, 64]', '[' + '[('.repeat(int(r, 1, 200)), '(1, 8), (1, 8) long', '[1,,3]', '[99999999999999999999]'])}\n` : '';
  const forward = times(r, 1, 8, () => pick(r, FORWARD_LINES)(r, layers.length));
  return [
    `${directive}class ${name}(nn.Module):`,
    '    def __init__(self):',
    '        super().__init__()',
    ...layers.map((l, i) => `        self.l${i} = ${l}`),
    '',
    '    def forward(self, x):',
    ...forward.map((l) => `        ${l}`),
    '        return x',
    '',
  ].join('\n');
}

const TRAINING_LOOP = (r: Random): string =>
  [
    'def train(model, loader, criterion):',
    `    optimizer = torch.optim.${pick(r, ['SGD(model.parameters(), lr=0.1)', 'Adam(model.parameters(), weight_decay=0.1)', 'AdamW(model.parameters(), betas=(0.999, 0.9))'])}`,
    '    for xb, yb in loader:',
    ...(r() < 0.5 ? ['        optimizer.zero_grad()'] : []),
    `        loss = criterion(${pick(r, ['model(xb)', 'F.softmax(model(xb), dim=1)'])}, yb)`,
    '        loss.backward()',
    ...(r() < 0.7 ? ['        optimizer.step()'] : []),
    '',
    'def evaluate(model, root):',
    `    for e in ${pick(r, ['root.iter()', 'val_loader', 'enumerate(val_loader)', 'iter()'])}:`,
    '        model(e)',
    '',
  ].join('\n');

/** Programs that try to make the analysis allocate, recurse, loop or backtrack without end. */
const HOSTILE: readonly ((r: Random) => string)[] = [
  () => 'x = [0]\nwhile True:\n    x = x + x\n',
  () => "s = 'ab'\nwhile True:\n    s = s + s\n",
  () => 'x = [1]\nfor i in range(100):\n    x.extend(x)\n',
  () => 'd = {0: 0}\nfor i in range(64):\n    d = {**d, **{k + len(d): v for k, v in d.items()}}\n',
  () => 'def f(n):\n    return f(n + 1) + f(n + 2)\ny = f(0)\n',
  () => 'a = []\na.append(a)\nb = a == a\nc = str(a)\n',
  () => 'm = nn.Sequential(nn.Linear(2, 2))\nm.add_module("m", m)\ny = m(torch.randn(1, 2))\n',
  () => 't = ()\nfor i in range(100000):\n    t = (t,)\nd = {t: 1}\n',
  (r) => `x = ${'('.repeat(int(r, 100, 3000))}1${')'.repeat(int(r, 0, 3000))}\n`,
  (r) => `y = ${'-'.repeat(int(r, 100, 5000))}1\n`,
  (r) => `z = 0${' + 1'.repeat(int(r, 100, 5000))}\n`,
  (r) => `# ml-notes: ignore[${'# ml-notes: ignore['.repeat(int(r, 1, 2000))}\n`,
  (r) => `q = '${'%0'.repeat(int(r, 1, 2000))}' % ()\n`,
  (r) => `w = 'a'.zfill(10**${int(r, 3, 12)})\n`,
  () => 'import itertools\np = list(itertools.product(range(1000), range(1000), range(1000)))\n',
  () => 'total = 0\nfor i in range(10**12):\n    total += i\n',
  () => 'while True:\n    pass\n',
  () => 'import torch.nn.functional as F\ndef run(x):\n    for _ in range(10**6):\n        x = F.gelu(x)\n    return x\ny = run(torch.randn(2, 3))\n',
  (r) => times(r, 5, 40, () => pick(r, INSERTED_TOKENS)).join(''),
];

const HOSTILE_SHARE = 0.15;

const HEADER = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

/** One generated case: a mix of model classes, loops, sibling imports and hostile fragments. */
export function generatedCase(seed: number, index: number): FuzzCase {
  const r = prng(seed * 100_003 + index);
  const dir = `/fuzz/case${index}`;
  const path = `${dir}/main.py`;
  const files: Record<string, string> = {};
  const parts = [HEADER];
  if (r() < 0.3) {
    files[`${dir}/blocks.py`] = `${HEADER}${modelClass(r, 'Block')}${r() < 0.3 ? pick(r, HOSTILE)(r) : ''}`;
    parts.push(pick(r, ['from blocks import Block\n', 'import blocks\n', 'from .blocks import *\n', 'from main import *\n']));
  }
  // Mostly the code people write, sometimes with one hostile fragment among it (about one case in seven).
  const pieces = int(r, 1, 3);
  for (let i = 0; i < pieces; i++) parts.push(r() < 0.7 ? modelClass(r, `Net${i}`) : TRAINING_LOOP(r));
  if (r() < HOSTILE_SHARE) parts.splice(int(r, 1, parts.length), 0, pick(r, HOSTILE)(r));
  if (r() < 0.3) parts.push(`model = Net0()\ny = model(torch.randn(${pick(r, ['1, 3, 32, 32', '2, 16', '4, 10, 64'])}))\n`);
  return { name: `generated #${index}`, path, text: parts.join('\n'), files };
}

const forwardOf = (statements: number): string =>
  [HEADER, 'class Net(nn.Module):', '    def __init__(self):', '        super().__init__()', '        self.fc = nn.Linear(8, 8)', '', '    def forward(self, x):', ...Array.from({ length: statements }, () => '        x = self.fc(x)'), '        return x', ''].join('\n');

const manyClasses = (count: number): string =>
  HEADER + Array.from({ length: count }, (_, i) => `class M${i}(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 4)\n    def forward(self, x):\n        return self.fc(x)\n`).join('\n');

/** Issue 15's reproducers, as in the issue (the FIFO, device and 50 MB imports need real files: see the test). */
export function reproducerCases(resnetExample: string): FuzzCase[] {
  const at = (name: string, text: string, files: Record<string, string> = {}): FuzzCase => ({ name, path: `/repro/${name.replace(/\W+/g, '_')}.py`, text, files });
  return [
    at('the 3-line list-doubling file', 'x = [0]\nwhile True:\n    x = x + x\n'),
    at('10,000 statements in forward', forwardOf(10_000)),
    at('unclosed brackets in a # ml-notes: input= comment', `${HEADER}\n# ml-notes: input=${'['.repeat(200_000)}\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 8)\n    def forward(self, x):\n        return self.fc(x)\n`),
    at('5,000 classes', manyClasses(5_000)),
    at('a 5 MB file', resnetExample.repeat(Math.ceil(5_000_000 / resnetExample.length))),
    at('a self-containing module', `${HEADER}m = nn.Sequential(nn.Linear(2, 2))\nm.add_module("m", m)\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.m = m\n    def forward(self, x):\n        return self.m(x)\n`),
    at('a module importing itself', 'import self_import\nfrom self_import import *\nclass A(A):\n    pass\n', { '/repro/self_import.py': 'import self_import\nfrom self_import import *\nclass A(A):\n    pass\n' }),
    at('CC-08 on root.iter()', 'def evaluate(model, root):\n    for e in root.iter():\n        model(e)\n'),
    at('a quadratic-regex quick-fix line', `x = 1  ${'# ml-notes: ignore['.repeat(50_000)}\n`),
  ];
}

/** A --model 100,000 levels deep, and other malformed model expressions. */
export const HOSTILE_MODEL_EXPRESSIONS: readonly string[] = [`${'('.repeat(100_000)}Net()${')'.repeat(100_000)}`, `${'-'.repeat(100_000)}1`, '['.repeat(100_000), 'Net(', 'Net()\nimport os', ''];
