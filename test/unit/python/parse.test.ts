import { describe, expect, it, vi } from 'vitest';
import { diffEdit, parseDocument, parseModule } from '../../../src/core/python/parse';
import type { Expr, Stmt } from '../../../src/core/python/ast';
import { join } from 'node:path';
import { largeModelFile } from '../../../scripts/bench/fixture';

const first = (src: string): Stmt => parseModule(src).body[0]!;
const valueOf = (src: string): Expr => {
  const s = first(src);
  if (s.k !== 'assign' || !s.value) throw new Error(`not an assignment: ${s.k}`);
  return s.value;
};

describe('parseModule', () => {
  it('reads import forms with their relative level', () => {
    const body = parseModule('import torch.nn as nn\nfrom ..blocks.res import (Block as B, conv3x3)\nfrom . import utils\n').body;
    expect(body[0]).toMatchObject({ k: 'import', names: [{ module: 'torch.nn', asName: 'nn' }] });
    expect(body[1]).toMatchObject({ k: 'from', level: 2, module: 'blocks.res', names: [{ name: 'Block', asName: 'B' }, { name: 'conv3x3' }] });
    expect(body[2]).toMatchObject({ k: 'from', level: 1, module: '', names: [{ name: 'utils' }] });
  });

  it('gives 0-based line/character ranges', () => {
    const s = parseModule('x = 1\n\nclass Net:\n    pass\n').body[1]!;
    expect(s.k).toBe('class');
    expect(s.r.start).toEqual({ line: 2, character: 0 });
    if (s.k === 'class') expect(s.nameRange).toEqual({ start: { line: 2, character: 6 }, end: { line: 2, character: 9 } });
  });

  it('turns a chained comparison into a conjunction', () => {
    const v = valueOf('ok = 0.0 < p < 1.0');
    expect(v).toMatchObject({ k: 'bool', op: 'and', left: { k: 'cmp', op: '<' }, right: { k: 'cmp', op: '<', left: { k: 'name', id: 'p' } } });
  });

  it('keeps the tuple target of a bare generator argument', () => {
    const v = valueOf('i = next(idx for idx, p in enumerate(ps) if p)');
    expect(v).toMatchObject({ k: 'call', args: [{ kind: 'pos', value: { k: 'comp', kind: 'gen', clauses: [{ k: 'for', target: { k: 'tuple' } }, { k: 'if' }] } }] });
  });

  it('reads slices, None and Ellipsis in subscripts', () => {
    const v = valueOf('y = x[:, 0, ::2, None, ...]');
    expect(v).toMatchObject({ k: 'sub', index: { k: 'tuple', items: [{ k: 'slice' }, { k: 'num', value: 0 }, { k: 'slice', step: { k: 'num', value: 2 } }, { k: 'const', value: 'None' }, { k: 'const', value: 'Ellipsis' }] } });
  });

  it('reads f-strings into literal and expression parts', () => {
    expect(valueOf('n = f"layer{i}_x"')).toMatchObject({ k: 'fstr', parts: ['layer', { expr: { k: 'name', id: 'i' } }, '_x'] });
  });

  it('marks annotated assignments (dataclass fields) and star targets', () => {
    expect(first('width: int = 3')).toMatchObject({ k: 'assign', annotated: true });
    expect(first('a, *rest = xs')).toMatchObject({ k: 'assign', targets: [{ k: 'tuple', items: [{ k: 'name' }, { k: 'starred' }] }] });
  });

  it('still yields the statements around malformed code', () => {
    const body = parseModule('a = 1\ny = = 2 +\nb = nn.Linear(2, 3)\n').body;
    expect(body[0]).toMatchObject({ k: 'assign', targets: [{ id: 'a' }] });
    expect(body.some((s) => s.k === 'assign' && s.targets[0]?.k === 'name' && s.targets[0].id === 'b')).toBe(true);
  });

  it('flags generator functions', () => {
    expect(first('def gen():\n    yield 1\n')).toMatchObject({ k: 'def', isGenerator: true });
    expect(first('def f():\n    "yield is a word here"\n    return 1\n')).toMatchObject({ k: 'def', isGenerator: false });
  });
});

describe('boolean operators with Python precedence', () => {
  // A compact form of the boolean level: not / and / or over names and comparisons.
  const shape = (e: Expr): string => {
    if (e.k === 'bool') return `(${shape(e.left)} ${e.op} ${shape(e.right)})`;
    if (e.k === 'unary' && e.op === 'not') return `(not ${shape(e.operand)})`;
    if (e.k === 'cmp') return `(${shape(e.left)} ${e.op} ${shape(e.right)})`;
    return e.k === 'name' ? e.id : e.k;
  };

  it('binds not tighter than and, and and tighter than or (the grammar alone does not)', () => {
    expect(shape(valueOf('x = not a and b < c\n'))).toBe('((not a) and (b < c))');
    expect(shape(valueOf('x = not a or b and c\n'))).toBe('((not a) or (b and c))');
    expect(shape(valueOf('x = a and not b or c\n'))).toBe('((a and (not b)) or c)');
    expect(shape(valueOf('x = not not a and b\n'))).toBe('((not (not a)) and b)');
  });

  it('keeps parentheses and comparisons under not', () => {
    expect(shape(valueOf('x = not (a and b)\n'))).toBe('(not (a and b))');
    expect(shape(valueOf('x = not a == b\n'))).toBe('(not (a == b))');
    expect(valueOf('x = not a and b\n').r).toEqual({ start: { line: 0, character: 4 }, end: { line: 0, character: 15 } });
  });
});

describe('float literals ending in a dot', () => {
  const num = (src: string): unknown => {
    const v = valueOf(src);
    return v.k === 'num' ? { value: v.value, isInt: v.isInt } : v.k;
  };

  it('reads 0., 2., 1.e-3, 1.E+2 and 3.e5 as floats (the grammar alone splits them)', () => {
    expect(num('x = 0.\n')).toEqual({ value: 0, isInt: false });
    expect(num('x = 2.\n')).toEqual({ value: 2, isInt: false });
    expect(num('x = 1.e-3\n')).toEqual({ value: 0.001, isInt: false });
    expect(num('x = 1.E+2\n')).toEqual({ value: 100, isInt: false });
    expect(num('x = 3.e5\n')).toEqual({ value: 300000, isInt: false });
    expect(num('x = 1_000.\n')).toEqual({ value: 1000, isInt: false });
  });

  it('keeps the operators, calls and ranges around them', () => {
    const call = valueOf('m = nn.Dropout(p=0.)\n');
    expect(call.k === 'call' && call.args[0]?.value).toMatchObject({ k: 'num', value: 0, isInt: false, r: { start: { line: 0, character: 17 }, end: { line: 0, character: 19 } } });
    // 2.e-3 * x is (2e-3) * x; 1. + 2 is a sum of a float and an int.
    expect(valueOf('y = 2.e-3 * x\n')).toMatchObject({ k: 'bin', op: '*', left: { k: 'num', value: 0.002 }, right: { k: 'name', id: 'x' } });
    expect(valueOf('y = 1. + 2\n')).toMatchObject({ k: 'bin', op: '+', left: { k: 'num', value: 1, isInt: false }, right: { k: 'num', value: 2, isInt: true } });
  });

  it('leaves names ending in digits, attribute access and strings alone', () => {
    expect(valueOf('y = layer1.eval\n')).toMatchObject({ k: 'attr', name: 'eval', obj: { k: 'name', id: 'layer1' } });
    expect(valueOf("y = 'v2. and 3.'\n")).toMatchObject({ k: 'str', value: 'v2. and 3.' });
    expect(valueOf('y = x[1:2]\n')).toMatchObject({ k: 'sub' });
  });

  it('reparses an edited float literal as a fresh parse would', () => {
    const before = 'a = 2.\nb = 3\n';
    for (const after of ['a = 2.5\nb = 3\n', 'a = x2.\nb = 3\n', 'a = 2\nb = 3\n', 'a = 2.e\nb = 3\n']) {
      expect(parseDocument(after, parseDocument(before)).module).toEqual(parseDocument(after).module);
    }
  });
});

/** The text an edit removed and inserted between two texts. */
function diffText(before: string, after: string): string {
  const edit = diffEdit(before, after)!;
  return before.slice(edit.from, edit.to) + after.slice(edit.from, edit.from + edit.insertedLength);
}

describe('parseDocument (incremental)', () => {
  const before = 'import torch\n\nclass A:\n    x = 1\n\nclass B:\n    y = 2\n';
  const after = before.replace('x = 1', 'x = 10');

  it('finds the single edit between two texts', () => {
    // 'import torch\n' (13) + '\n' (1) + 'class A:\n' (9) = 23 is where '    x = 1' starts; its '1' is at
    // 23 + 8 = 31, so the inserted '0' goes at offset 32.
    expect(diffEdit(before, after)).toEqual({ from: 32, to: 32, insertedLength: 1 });
  });

  it('says whether it blanked deep nesting either way, so the next parse need not scan the previous text again', () => {
    expect(parseDocument(before).blanked).toBe(false);
    const deep = `x = ${'('.repeat(250)}1${')'.repeat(250)}\n`;
    expect(parseDocument(deep).blanked).toBe(true);
    // After a version with blanked nesting an edit parses from scratch, as a fresh parse does.
    expect(parseDocument(after, parseDocument(deep)).module).toEqual(parseDocument(after).module);
    expect(parseDocument(after, parseDocument(before)).module).toEqual(parseDocument(after).module);
  });

  it('scans a text for deep nesting again only when an edit changes a bracket, quote, comment or line break', () => {
    // 199 brackets deep: one more is the limit, two more are blanked.
    const nested = (inner: string): string => `${largeModelFile(join(__dirname, '../../..'), 400)}\ny = ${'('.repeat(199)}${inner}${')'.repeat(199)}\n`;
    const previous = parseDocument(nested('1'));
    const edits: [string, boolean][] = [
      [nested('2'), false],
      [nested('size_2').replace('nn.Linear(', 'nn.Linear(4 + '), false],
      [nested('(2)'), false],
      [nested('((2))'), true],
      [nested('"(("'), false],
      [nested('2 # (('), false],
    ];
    for (const [text, blanked] of edits) {
      const read = vi.spyOn(String.prototype, 'charCodeAt');
      let reparsed;
      let reads = 0;
      try {
        reparsed = parseDocument(text, previous);
        reads = read.mock.calls.length;
      } finally {
        read.mockRestore();
      }
      const fresh = parseDocument(text);
      expect({ blanked: reparsed.blanked, module: reparsed.module }).toEqual({ blanked: fresh.blanked, module: fresh.module });
      expect(reparsed.blanked).toBe(blanked);
      // A digit or a name changed: no scan of the whole text, character by character (the edit's lines are reparsed).
      expect(reads >= text.length).toBe(/[#'"()]/.test(diffText(previous.text, text)));
    }
  });

  it('gives the same AST as a fresh parse and reuses unchanged statements', () => {
    const first = parseDocument(before);
    const second = parseDocument(after, first);
    expect(second.module).toEqual(parseDocument(after).module);
    // Class B did not change and kept its line: its AST object is reused.
    expect(second.module.body[2]).toBe(first.module.body[2]);
    expect(second.module.body[1]).not.toBe(first.module.body[1]);
  });

  it('moves the line index with an edit that adds, removes or keeps line breaks, as a fresh index of the text reads it', () => {
    const text = 'import torch\n\nclass A:\n    x = 1\n\n    def f(self):\n        return 2\n\nclass B:\n    pass\n';
    const edits: [string, string][] = [
      ['x = 1', 'x = 12'],
      ['x = 1', 'x = 1\n    y = 2\n    z = 3'],
      ['\n\n    def f', '\n    def f'],
      ['return 2\n\nclass B', 'return 2\nclass B'],
      ['import torch\n', ''],
    ];
    for (const [from, to] of edits) {
      const edited = text.replace(from, to);
      const second = parseDocument(edited, parseDocument(text));
      // Line n starts after the n-th line break of the edited text.
      const starts = [0, ...[...edited].flatMap((c, i) => (c === '\n' ? [i + 1] : []))];
      expect(second.lines.lineStarts).toEqual(starts);
      expect(second.module).toEqual(parseDocument(edited).module);
    }
  });

  it('reads a text without a final line break after an edit as a fresh parse does (lezer alone swallowed the classes after the edit into one)', () => {
    // Twelve 13-line classes from line 3 on, then a `__main__` block whose last line has no line break: the layout of
    // pytorch/examples gcn/main.py, where lezer's reuse after a space typed in the first class made that class end at the
    // file's end. Large enough for lezer to pack the classes into several buffers and reuse them.
    const classes = Array.from({ length: 12 }, (_, i) => `\nclass Block${i}(nn.Module):\n    def __init__(self, width=${16 + i}):\n        super().__init__()\n        self.conv = nn.Conv2d(width, width, 3, padding=1)\n\n        self.norm = nn.BatchNorm2d(width)\n\n    def forward(self, x):\n        y = self.conv(x)\n\n        return self.norm(y) + x\n\n`);
    const text = `import torch\nfrom torch import nn\n\n${classes.join('')}\nif __name__ == "__main__":\n    print(Block0()(torch.zeros(1, 16, 8, 8)).shape)`;
    const lines = text.split('\n');
    const first = parseDocument(text);
    // By hand: class i spans lines 4 + 13i to 15 + 13i; the `if` block the last two lines, 160 and 161.
    const spans = (doc: ReturnType<typeof parseDocument>): [number, number][] => doc.module.body.filter((s) => s.k === 'class' || s.k === 'if').map((s) => [s.r.start.line, s.r.end.line]);
    const expected: [number, number][] = [...Array.from({ length: 12 }, (_, i): [number, number] => [4 + 13 * i, 15 + 13 * i]), [160, 161]];
    expect(lines).toHaveLength(162);
    expect(spans(first)).toEqual(expected);
    // A space typed at the end of lines all through the file (blank lines in classes included), and typing at the end.
    const edited = [...Array.from({ length: 24 }, (_, k) => lines.map((l, i) => (i === 7 * k ? `${l} ` : l)).join('\n')), `${text}\n`, `${text}  # shape`, text.slice(0, -1)];
    for (const after of edited) {
      const second = parseDocument(after, first);
      expect(second.module).toEqual(parseDocument(after).module);
    }
    expect(spans(parseDocument(edited[4]!, first))).toEqual(expected);
  });

  it('takes a statement on either side of an edit again without comparing its text, at the place it moved to', () => {
    const text = 'a = 1\nb = 2\nc = 3\nd = 4\n';
    const first = parseDocument(text);
    // Lines inserted after `a`: `a` is where it was, `c` and `d` moved down by two lines (new objects at new places).
    const inserted = parseDocument(text.replace('b = 2', 'b = 2\ne = 5\nf = 6'), first);
    expect(inserted.module.body[0]).toBe(first.module.body[0]);
    expect(inserted.module.body.map((s) => s.r.start.line)).toEqual([0, 1, 2, 3, 4, 5]);
    // The same text at the same place is the same statement: `d` after an edit of `b` that keeps the lengths.
    const sameLength = parseDocument(text.replace('b = 2', 'b = 7'), first);
    expect(sameLength.module.body[3]).toBe(first.module.body[3]);
    expect(sameLength.module.body[1]).not.toBe(first.module.body[1]);
    expect(sameLength.module).toEqual(parseDocument(text.replace('b = 2', 'b = 7')).module);
  });

  it('lets lezer keep the trees of the statements before a one-line edit instead of parsing them again', () => {
    // The bench's 348-line file, a digit changed in its last class.
    const text = largeModelFile(join(__dirname, '../../..'), 300);
    const first = parseDocument(text);
    const last = first.module.body.filter((s) => s.k === 'class').at(-1)!;
    const lines = text.split('\n');
    const line = lines.findIndex((l, i) => i > last.r.start.line && /\d/.test(l));
    lines[line] = lines[line]!.replace(/\d/, (d) => String(d === '9' ? 8 : Number(d) + 1));
    const edited = lines.join('\n');
    const second = parseDocument(edited, first);
    expect(second.module).toEqual(parseDocument(edited).module);
    // lezer reuses whole subtrees only (nodes packed into one buffer are parsed again together). A top-level node
    // that is its own subtree and is the previous parse's object was reused: before the edited class those cover
    // 85% of the text (with lezer's default packing 46%: one buffer held several classes, all parsed again).
    const editStart = lines.slice(0, last.r.start.line).join('\n').length;
    let reused = 0;
    for (let node = first.tree.topNode.firstChild, after = second.tree.topNode.firstChild; node && after && node.to <= editStart; node = node.nextSibling, after = after.nextSibling) {
      if (node.tree && after.tree === node.tree) reused += node.to - node.from;
    }
    expect(reused / editStart).toBeGreaterThan(0.75);
  });
});

describe('a statement lezer misreads deep in a large file', () => {
  it('parses every class of the 5,000-line bench file as a class, with nothing unsupported', () => {
    const text = largeModelFile(join(__dirname, '../../..'));
    const { module } = parseDocument(text);
    const unsupported: string[] = [];
    JSON.stringify(module, (_key, value: { k?: string; what?: string; r?: { start: { line: number } } }) => {
      if (value && value.k === 'unsupported') unsupported.push(`${value.what} at line ${value.r!.start.line + 1}`);
      return value;
    });
    expect(unsupported).toEqual([]);
    const classes = module.body.flatMap((s) => (s.k === 'class' ? [s.name] : []));
    expect(classes).toEqual([...text.matchAll(/^class (\w+)/gm)].map((m) => m[1]));
    // lezer alone read this one as a bare `class` followed by an assignment (issue 16).
    const doubleConv = module.body.find((s) => s.k === 'class' && s.name === 'DoubleConv_12');
    expect(doubleConv?.k === 'class' && doubleConv.body.some((s) => s.k === 'def' && s.name === '__init__')).toBe(true);
  });

  it('reuses the repaired region after an edit elsewhere, as a fresh parse reads it', () => {
    const text = largeModelFile(join(__dirname, '../../..'));
    const before = parseDocument(text);
    const edited = text.replace('nn.Linear(', 'nn.Linear( ');
    const after = parseDocument(edited, before);
    const strip = (m: unknown): string => JSON.stringify(m);
    expect(strip(after.module)).toBe(strip(parseDocument(edited).module));
    expect(after.module.body.some((s) => s.k === 'class' && s.name === 'DoubleConv_12')).toBe(true);
  });

  it('gives the repaired class the positions it has in the document', () => {
    const text = largeModelFile(join(__dirname, '../../..'));
    const { module } = parseDocument(text);
    const repaired = module.body.find((s) => s.k === 'class' && s.name === 'DoubleConv_12')!;
    // The same class text on its own, after as many empty lines as precede it in the document: every range of
    // the repaired class (statements, expressions, names) must be the one this independent parse gives.
    const line = repaired.r.start.line;
    const lines = text.split('\n');
    const end = lines.findIndex((l, i) => i > line && /^\S/.test(l) && !l.startsWith('#'));
    const alone = parseModule('\n'.repeat(line) + lines.slice(line, end).join('\n')).body.find((s) => s.k === 'class');
    expect(line).toBeGreaterThan(4000);
    expect(JSON.stringify(repaired)).toBe(JSON.stringify(alone));
  });

  it('keeps the recovery of code that is really malformed', () => {
    const { module } = parseDocument('x = 1\nclass (nn.Module):\n    pass\ny = 2\n');
    expect(module.body[0]?.k).toBe('assign');
    expect(module.body.some((s) => s.k === 'unsupported')).toBe(true);
    expect(module.body.at(-1)?.k).toBe('assign');
  });
});
