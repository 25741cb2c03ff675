// No input makes the core throw or hang (issue 3, item 7): analyzeFile runs over every .py file of the
// Python standard library and of the installed torchvision (torch: robustness-torch.test.ts, so the two
// halves run on two cores), over pathological programs, and over randomly truncated and mutated model files
// (fast-check), each within a bounded time. The two tree sweeps run when test/sweeps.ts says so. summarizeModel: summarize-robustness.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FileRun } from './harness';
import { analyzeTimed, cachedReader, describeInternalErrors, describeProblems, listPythonFiles, statsOf } from './harness';
import { mutationArbitrary } from './mutationArbitrary';
import { applyMutations } from './mutate';
import { analyzeTree, packageDirectory, stdlibDirectory } from './trees';
import { CORPUS_DIR } from '../../oracle/lib/manifest';
import { CORPUS_SWEEPS } from '../../sweeps';

describe.skipIf(!CORPUS_SWEEPS).each([
  ['the Python standard library', stdlibDirectory],
  ['torchvision', () => packageDirectory('torchvision')],
])('analyzeFile over every .py file of %s', (_name, locate) => {
  let runs: FileRun[] | undefined;
  const analyzed = (): FileRun[] => (runs ??= analyzeTree(locate()));

  it('never throws, returns plain data and stays within the time limit per file', () => {
    expect(analyzed().length).toBeGreaterThan(100);
    const problems = describeProblems(analyzed());
    expect(problems.slice(0, 20), `${problems.length} problems`).toEqual([]);
  }, 600_000);

  it('hits no internal error (an exception the core caught and reported)', () => {
    const internal = describeInternalErrors(analyzed());
    expect(internal.slice(0, 20), `${internal.length} files with internal errors`).toEqual([]);
  }, 600_000);
});

/** Small programs written to make a naive interpreter throw, recurse without end, or loop forever. */
const PATHOLOGICAL: readonly [string, string][] = [
  ['empty file', ''],
  ['only a BOM and blanks', '\uFEFF\n\n   \n'],
  ['an endless loop', 'while True:\n    pass\n'],
  ['an endless loop in a forward', 'import torch.nn as nn\nclass M(nn.Module):\n    def forward(self, x):\n        while True:\n            x = x + 1\n'],
  ['unbounded recursion', 'def f(n):\n    return f(n + 1)\nf(0)\n'],
  ['mutual recursion in __init__', 'import torch.nn as nn\nclass A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.b = B()\nclass B(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.a = A()\nm = A()\n'],
  ['a huge range', 'total = 0\nfor i in range(10**12):\n    total += i\n'],
  ['a huge list', 'x = [0] * 10**12\ny = len(x)\n'],
  ['a huge power', 'x = 2 ** 10 ** 10\ny = x * x\n'],
  ['division by zero', 'x = 1 // 0\ny = 1.0 / 0\nz = 5 % 0\n'],
  ['float overflow into layer sizes', 'import torch.nn as nn\nn = int(1e308 * 10)\nlayer = nn.Linear(n, n)\n'],
  ['negative and zero layer sizes', 'import torch.nn as nn\nm = nn.Sequential(nn.Conv2d(3, -1, 0), nn.Linear(0, -5), nn.MaxPool2d(0))\n'],
  ['deep nesting of brackets', `x = ${'('.repeat(5000)}1${')'.repeat(5000)}\n`],
  ['unclosed brackets', `x = ${'[('.repeat(3000)}\n`],
  ['deeply nested blocks', Array.from({ length: 400 }, (_, i) => `${'    '.repeat(i)}if True:`).join('\n') + `\n${'    '.repeat(400)}pass\n`],
  ['a very long line', `x = ${Array.from({ length: 20000 }, (_, i) => String(i)).join(' + ')}\n`],
  ['many classes', Array.from({ length: 2000 }, (_, i) => `class C${i}(C${Math.max(0, i - 1)}):\n    pass\n`).join('')],
  ['self-referential inheritance', 'class A(A):\n    pass\nclass B(C):\n    pass\nclass C(B):\n    pass\n'],
  ['star-args abuse', 'def f(*a, **k):\n    return f(*a, *a, **k)\nf(*range(10**9))\n'],
  ['invalid syntax everywhere', 'def (:\n  class ]]]\n\tfor in in in\nlambda: yield from\n@@@\n'],
  ['mixed tabs and spaces', 'class A:\n\tdef f(self):\n        return 1\n\t        pass\n'],
  ['non-ASCII and control characters', 'π = 3.14\nx = "\u0000\u0007"\n名前 = π * 2\n\u200b = 1\n'],
  ['shape arithmetic on symbolic sizes', 'import torch\nx = torch.zeros(10**9, 10**9, 10**9)\ny = x.view(-1, 0)\nz = x.reshape(-1, -1)\n'],
  ['sequential built from itself', 'import torch.nn as nn\nlayers = []\nfor i in range(10**6):\n    layers.append(nn.Sequential(*layers))\nm = nn.Sequential(*layers)\n'],
];

describe('analyzeFile on pathological programs', () => {
  it.each(PATHOLOGICAL)('%s: no exception, bounded time', (_name, text) => {
    const run = analyzeTimed('/workspace/pathological.py', text, () => undefined);
    expect(describeProblems([run])).toEqual([]);
  });

  it('a module that imports itself: no exception, bounded time', () => {
    const path = '/workspace/pkg/self_import.py';
    const text = 'from . import self_import\nimport self_import\nfrom .self_import import *\nfrom self_import import M\nclass M(M):\n    pass\n';
    const run = analyzeTimed(path, text, (p) => (p.endsWith('self_import.py') || p.endsWith('__init__.py') ? text : undefined));
    expect(describeProblems([run])).toEqual([]);
  });
});

/** Model files that mutations start from: the hand-written corpus and the torchvision copies. */
function corpusFiles(): { path: string; text: string }[] {
  const files = [...listPythonFiles(join(CORPUS_DIR, 'models')), ...listPythonFiles(join(CORPUS_DIR, 'torchvision', 'models'))];
  return files.map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}

describe('analyzeFile on mutated model files (fast-check)', () => {
  const files = corpusFiles();
  const readFile = cachedReader();
  const runs: FileRun[] = [];

  it('has model files to mutate', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it('never throws and stays within the time limit on truncated, edited and garbled model files', () => {
    fc.assert(
      fc.property(fc.nat({ max: files.length - 1 }), fc.array(mutationArbitrary, { minLength: 1, maxLength: 4 }), (index, mutations) => {
        const file = files[index]!;
        const run = analyzeTimed(file.path, applyMutations(file.text, mutations), readFile);
        runs.push(run);
        expect(describeProblems([run])).toEqual([]);
      }),
      { numRuns: 300 },
    );
    console.log(`analyzeFile over mutated corpus files: ${JSON.stringify({ ...statsOf(runs), slowest: undefined })}`);
  }, 600_000);

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (text) => {
        expect(describeProblems([analyzeTimed('/workspace/random.py', text, () => undefined)])).toEqual([]);
      }),
      { numRuns: 300 },
    );
  }, 300_000);
});

describe('the mutation helpers', () => {
  it('apply each kind of edit as described', () => {
    expect(applyMutations('abcdef', [{ kind: 'delete', start: 1, length: 2 }])).toBe('adef');
    expect(applyMutations('a\nb', [{ kind: 'duplicateLine', line: 1 }])).toBe('a\nb\nb');
    expect(applyMutations('ab', [{ kind: 'insert', at: 1, tokens: ['(', ')'] }])).toBe('a()b');
    expect(applyMutations('x = 12 + 7', [{ kind: 'changeInt', which: 1, value: -3 }])).toBe('x = 12 + -3');
    expect(applyMutations('abcdef', [{ kind: 'truncate', at: 4 }])).toBe('abcd');
  });
});
