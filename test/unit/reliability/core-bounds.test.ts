// Issue 15's reproducers at the core: what a file contains can make the analysis give Unknowns, never
// crash, overflow the stack or allocate without bound. Each case failed before the size budget, the depth
// guards and the clock at every loop iteration and call (see ARCHITECTURE.md, "bounded interpreter").
import { describe, expect, it } from 'vitest';
import { analyzeFile, summarizeModel } from '../../../src/core/index';
import { runChecks } from '../../../src/core/checks';
import { MAX_BRACKET_DEPTH, limitNesting, parseModule } from '../../../src/core/python/parse';
import { MAX_AST_DEPTH } from '../../../src/core/python/convert';

const PATH = '/workspace/hostile.py';

/** Every reason the module-scope analysis gave, with its `incomplete` note. */
// A generous clock: these cases are about the size and step budgets, which must stop them first even on a loaded machine.
function reasonsOf(text: string): string[] {
  const result = analyzeFile({ path: PATH, text, budget: { ms: 20_000, steps: 2_000_000 } });
  return [...(result.incomplete ? [result.incomplete] : []), ...result.unknown.map((u) => u.reason)];
}

const internalErrors = (reasons: readonly string[]): string[] => reasons.filter((r) => r.includes('internal error'));

describe('the size budget turns runaway allocation into Unknown', () => {
  // V8 aborted the whole process ("invalid size error") at 3.3 GB on the first one (issue 15).
  it.each([
    ['a list doubled in an endless loop', 'x = [0]\nwhile True:\n    x = x + x\n'],
    ['a list extended by itself with +=', 'x = [1]\nwhile True:\n    x += x\n'],
    ['a list extended by itself', 'x = [1]\nfor i in range(100):\n    x.extend(x)\n'],
    ['a string doubled', "s = 'ab'\nwhile True:\n    s = s + s\n"],
    ['a tuple repeated', 't = (1, 2)\nfor i in range(60):\n    t = t * 2\n'],
  ])('%s: the size budget is named, no crash', (_name, text) => {
    const reasons = reasonsOf(text);
    expect(internalErrors(reasons)).toEqual([]);
    expect(reasons.some((r) => r.includes('size budget'))).toBe(true);
  });

  // These may stop at the step or time budget first (the dict's comprehension ticks per item): bounded either way, and said.
  it.each([
    ['an f-string doubled', "s = 'a'\nfor i in range(60):\n    s = f'{s}{s}'\nn = len(s)\n", 'size budget'],
    ['a join doubled', "s = 'a'\nfor i in range(60):\n    s = ''.join([s, s])\nn = s.upper()\n", 'size budget'],
    ['a dict doubled', 'd = {0: 0}\nfor i in range(60):\n    d = {**d, **{k + len(d): v for k, v in d.items()}}\n', 'budget'],
  ])('%s: stops with a reason, no crash', (_name, text, reason) => {
    const reasons = reasonsOf(text);
    expect(internalErrors(reasons)).toEqual([]);
    expect(reasons.some((r) => r.includes(reason))).toBe(true);
  });

  it('huge one-step strings and products are refused before they are built', () => {
    const reasons = reasonsOf("import itertools\na = 'a'.zfill(10**10)\nb = 'x'.replace('', 'y' * 10**6)\nc = 'ab' * 10**9\np = list(itertools.product(range(1000), range(1000), range(1000)))\nn = len(p)\n");
    expect(internalErrors(reasons)).toEqual([]);
    expect(reasons.filter((r) => r.includes('size budget')).length).toBeGreaterThanOrEqual(2);
  });

  it('a large allocation past the deadline stops at the time budget', () => {
    // A loop doubling a list reads the clock only every 32nd pass, and its last passes copy millions of items:
    // the allocation itself must notice the deadline. Here the deadline has passed before the file starts.
    const result = analyzeFile({ path: PATH, text: 'x = [0] * 1000000\ny = x + x\n', budget: { deadline: Date.now() - 1, steps: 2_000_000 } });
    expect(result.incomplete).toContain('time budget exceeded');
  });

  it('copies of a big list in a loop stop at the budget (slices are allocations too)', () => {
    const reasons = reasonsOf('x = list(range(100000))\ny = []\nfor i in range(1000):\n    y.append(x[:])\n');
    expect(reasons.some((r) => r.includes('size budget'))).toBe(true);
  });
});

describe('the standard-library extras draw on the same size budget (itertools, collections, copy)', () => {
  it.each([
    // `push(...items)` threw a RangeError past about 100,000 items: an internal error, not an Unknown.
    ['chain.from_iterable of a long list', 'import itertools\nx = [0] * 300000\ny = list(itertools.chain.from_iterable([x]))\nn = len(y)\n'],
    ['deepcopy of a long list', 'import copy\nx = [0] * 300000\ny = copy.deepcopy(x)\nn = len(y)\n'],
    ['combinations of 100,000 items each', 'import itertools\nc = list(itertools.combinations_with_replacement([1], 100000))\n'],
    ['deepcopy of a list nested 50,000 deep', 'import copy\nt = []\nfor i in range(50000):\n    t = [t]\nu = copy.deepcopy(t)\n'],
    // A negative step never ended the loop that built the slice.
    ['islice with a negative step', 'import itertools\ny = list(itertools.islice([1, 2, 3], 0, 10, -1))\n'],
  ])('%s: no internal error', (_name, text) => {
    expect(internalErrors(reasonsOf(text))).toEqual([]);
  });

  it.each([
    ['deepcopies of a big list in a loop', 'import copy\nx = [0] * 1000000\nys = []\nfor i in range(100):\n    ys.append(copy.deepcopy(x))\n'],
    ['shallow copies of a big list in a loop', 'import copy\nx = [0] * 1000000\nys = []\nfor i in range(100):\n    ys.append(copy.copy(x))\n'],
    ['chain.from_iterable doubling a list', 'import itertools\nx = [0] * 50000\nfor i in range(100):\n    x = list(itertools.chain.from_iterable([x, [0]]))\n'],
    ['zip_longest of long lists in a loop', 'import itertools\nx = [0] * 1000000\nys = []\nfor i in range(100):\n    ys.append(list(itertools.zip_longest(x, x)))\n'],
  ])('%s: stops at the size budget, which is named', (_name, text) => {
    const reasons = reasonsOf(text);
    expect(internalErrors(reasons)).toEqual([]);
    expect(reasons.some((r) => r.includes('size budget'))).toBe(true);
  });

  it('within the budget they give what Python gives (islice, combinations, copies)', () => {
    const text = `import copy
import itertools
import torch.nn as nn

a = [[1]]
b = copy.deepcopy(a)
b[0].append(3)
c = copy.copy(b)
c.append(4)
n = (len(list(itertools.islice(range(10), 2, 8, 3))) + len(list(itertools.islice(range(10), 4)))
     + len(list(itertools.combinations(range(4), 2))) + len(list(itertools.combinations(range(2), 3)))
     + len(list(itertools.combinations_with_replacement(range(3), 2))) + len(a[0]) + len(b))
m = nn.Linear(2, n)
`;
    const summary = summarizeModel({ path: PATH, text, model: 'm', inputs: ['1,2'] });
    // islice: [2, 5] and [0..3]; C(4,2) = 6; C(2,3) = 0; with replacement C(3+1,2) = 6; a[0] stays [1]; b keeps 1 item.
    expect('error' in summary ? summary.error : summary.output).toEqual([1, 2 + 4 + 6 + 0 + 6 + 1 + 1]);
  });
});

describe('values that contain themselves, or nest a hundred thousand deep', () => {
  it('a list containing itself compares and prints without overflowing the stack', () => {
    expect(internalErrors(reasonsOf('a = []\na.append(a)\nb = a == a\nc = str(a)\nd = [a] == [a]\n'))).toEqual([]);
  });

  it('tuples nested by a loop can key a dict and print', () => {
    const text = 't = ()\nfor i in range(50000):\n    t = (t,)\nd = {t: 1}\nu = str(t)\nv = t == (t,)\n';
    expect(internalErrors(reasonsOf(text))).toEqual([]);
  });

  it('a module that contains itself is summarised, not "Maximum call stack size exceeded"', () => {
    const text = 'import copy\nimport torch.nn as nn\nm = nn.Sequential(nn.Linear(2, 2))\nm.add_module("m", m)\nn = copy.deepcopy(m)\n';
    const summary = summarizeModel({ path: PATH, text, model: 'm', inputs: ['1,2'] });
    expect('error' in summary ? summary.error : summary.unknown.map((u) => u.reason).join('\n')).not.toContain('internal error');
    expect('error' in summary ? [] : summary.unknown.map((u) => u.reason)).toContain('recursion depth limit reached');
  });
});

describe('depth guards on the AST and on --model', () => {
  it.each([
    ['100,000 unary minus', `${'-'.repeat(100_000)}1`],
    ['100,000 nested parentheses', `${'('.repeat(100_000)}1${')'.repeat(100_000)}`],
    ['100,000 open brackets', '['.repeat(100_000)],
    ['a 100,000-long attribute chain', `m${'.a'.repeat(100_000)}`],
  ])('a --model of %s is reported, not an internal error', (_name, model) => {
    const summary = summarizeModel({ path: PATH, text: 'import torch.nn as nn\n', model, inputs: ['1,2'] });
    expect('error' in summary).toBe(true);
    expect((summary as { error: string }).error).not.toContain('internal error');
  });

  it('the AST keeps at most MAX_AST_DEPTH levels; deeper code is an unsupported node with the reason', () => {
    const module = parseModule(`x = ${'not '.repeat(5000)}x\n`);
    let depth = 0;
    let reason = '';
    for (let e: unknown = (module.body[0] as { value?: unknown }).value; e && typeof e === 'object'; depth++) {
      const node = e as { k: string; what?: string; value?: unknown; operand?: unknown };
      if (node.k === 'unsupported') reason = node.what ?? '';
      e = node.value ?? node.operand;
    }
    expect(depth).toBeLessThanOrEqual(MAX_AST_DEPTH + 1);
    expect(reason).toContain('nested more than');
  });

  it("brackets nested past CPython's limit are blanked before parsing, keeping every offset", () => {
    const text = `x = ${'('.repeat(1000)}1${')'.repeat(1000)}\ny = 2\n`;
    const limited = limitNesting(text);
    expect(limited.length).toBe(text.length);
    expect(limited.split('\n').length).toBe(text.split('\n').length);
    expect(limited.slice(0, 4 + MAX_BRACKET_DEPTH)).toBe(text.slice(0, 4 + MAX_BRACKET_DEPTH));
    expect(limited.slice(4 + MAX_BRACKET_DEPTH, 4 + MAX_BRACKET_DEPTH + 10).trim()).toBe('');
    expect(limitNesting("s = '((((('\n# [[[[\n")).toBe("s = '((((('\n# [[[[\n");
    expect(parseModule(text).body.map((s) => s.k)).toContain('assign');
  });

  it('checks and the module-scope analysis survive 100,000-deep expressions in a file', () => {
    const text = `def evaluate(model, loader):\n    for x in loader:\n        y = model(${'-'.repeat(100_000)}x)\n`;
    expect(internalErrors(reasonsOf(text))).toEqual([]);
    expect(runChecks({ path: PATH, text }).problems).toEqual([]);
  });
});

describe('CC-08 on ElementTree iteration (two standard-library files recursed forever)', () => {
  it('`for e in root.iter():` in an evaluation function is not a loader and does not recurse', () => {
    const text = 'def evaluate(model, root):\n    for e in root.iter():\n        model(e)\n';
    const result = runChecks({ path: PATH, text });
    expect(result.problems).toEqual([]);
  });
});
