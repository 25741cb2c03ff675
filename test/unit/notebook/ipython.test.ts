// IPython syntax in a cell becomes Python line for line (the rules of IPython's inputtransformer2):
// escapes only at the start of a logical line, magics inside strings and brackets left alone, cell
// magics with a Python body kept, other cell magics blanked, and a cell never swallows the next one.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pythonFromCell } from '../../../src/core/notebook/ipython';
import { parseModule } from '../../../src/core/python/parse';

const lines = (source: string): string[] => pythonFromCell(source).text.split('\n');

describe('pythonFromCell', () => {
  it.each([
    ['%matplotlib inline', 'pass', 'line-magic'],
    ['!pip install torch', 'pass', 'shell'],
    ['!!ls', 'pass', 'shell'],
    ['model?', 'pass', 'help'],
    ['model.forward??', 'pass', 'help'],
    ['?model', 'pass', 'help'],
    ['%timeit?', 'pass', 'line-magic'],
    ['/print 1 2', 'pass', 'autocall'],
    ['files = !ls -la', 'files = get_ipython()', 'magic-assignment'],
    ['a, b = %who_ls', 'a, b = get_ipython()', 'magic-assignment'],
    ['out[0] = !echo hi', 'out[0] = get_ipython()', 'magic-assignment'],
  ])('%s → %s', (source, python, kind) => {
    const cell = pythonFromCell(source);
    expect(cell.text).toBe(python);
    expect(cell.rewrites).toEqual([{ line: 0, kind }]);
  });

  it.each([
    ['x = a % b', 'the modulo operator'],
    ['x = a %b', 'a modulo without a space'],
    ['y = x != 3', 'the not-equal operator'],
    ['s = "what?"', 'a question mark in a string'],
    ['x = 1  # why?', 'a question mark in a comment'],
    ["fmt = '%d items' % n", 'a %-format string'],
  ])('leaves Python alone: %s (%s)', (source) => {
    expect(pythonFromCell(source)).toEqual({ text: source, dedent: 0, rewrites: [] });
  });

  it('reads escapes only at the start of a logical line, never inside brackets or strings', () => {
    const source = ['total = (a', '  %b)', 'doc = """', '%not a magic', '!nor a shell', '"""', '    !echo indented'].join('\n');
    expect(lines(source)).toEqual(['total = (a', '  %b)', 'doc = """', '%not a magic', '!nor a shell', '"""', '    pass']);
  });

  it.each([
    ['%time y_proba = clf.predict_proba(X)', 'if 1: y_proba = clf.predict_proba(X)'],
    ['%timeit model(x)', 'if   1: model(x)'],
    ['    %prun  out = f(x)', 'if  1: out = f(x)'],
  ])('keeps the statement of %s at its columns', (source, python) => {
    const cell = pythonFromCell(source);
    expect(cell.text).toBe(python);
    expect(cell.text.length).toBe(source.trimStart().length);
    expect(cell.rewrites).toEqual([{ line: 0, kind: 'timed-statement' }]);
    expect(parseModule(cell.text).body[0]?.k).toBe('if');
  });

  it.each(['%timeit -n 10 f(x)', '%time f(x,', '%time'])('leaves %s a plain magic (options, an unfinished statement, no statement)', (source) => {
    expect(pythonFromCell(source)).toEqual({ text: 'pass', dedent: 0, rewrites: [{ line: 0, kind: 'line-magic' }] });
  });

  it('keeps an indented magic a statement of its block', () => {
    const source = 'for i in range(3):\n    %load_ext autoreload\nprint(i)';
    expect(lines(source)).toEqual(['for i in range(3):', '    pass', 'print(i)']);
    expect(lines('for i in range(3):\n    %time f(i)')).toEqual(['for i in range(3):', '    if 1: f(i)']);
    expect(parseModule(pythonFromCell(source).text).body.map((s) => s.k)).toEqual(['for', 'expr']);
  });

  it('carries a magic on over backslash-continued lines', () => {
    expect(lines('!echo one \\\n  two\nx = 1')).toEqual(['pass', '', 'x = 1']);
  });

  it('keeps the Python body of %%time and %%capture, and blanks %%bash and %%writefile cells', () => {
    expect(lines('%%time\ny = model(x)')).toEqual(['pass', 'y = model(x)']);
    expect(lines('\n%%capture out\nimport torch')).toEqual(['', 'pass', 'import torch']);
    expect(lines('%%bash\necho "(unclosed\nls')).toEqual(['', '', '']);
    expect(pythonFromCell('%%writefile model.py\nclass Net: pass').rewrites.map((r) => r.kind)).toEqual(['foreign-cell', 'foreign-cell']);
  });

  it('dedents a cell typed with indentation, as IPython does, and says by how much', () => {
    const cell = pythonFromCell('    x = 1\n    y = 2');
    expect(cell).toEqual({ text: 'x = 1\ny = 2', dedent: 4, rewrites: [] });
  });

  it('drops the carriage returns of Windows line ends without moving any character', () => {
    expect(pythonFromCell('x = 1\r\n%who\r\nz = 3')).toEqual({ text: 'x = 1\npass\nz = 3', dedent: 0, rewrites: [{ line: 1, kind: 'line-magic' }] });
  });

  it('closes what a cell leaves open (brackets, a triple-quoted string, a trailing backslash) on its last line', () => {
    expect(lines('x = f(1, [2,')).toEqual(['x = f(1, [2,])']);
    expect(lines('doc = """never closed')).toEqual(['doc = """never closed"""']);
    expect(lines('x = 1 + \\')).toEqual(['x = 1 +  ']);
  });

  it('keeps the line count and every line it does not rewrite, for any text', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[ a-z0-9=%!?()[\]{}"'#:,.\\]{0,12}$/), { maxLength: 8 }), (cellLines) => {
        const source = cellLines.join('\n');
        const cell = pythonFromCell(source);
        const out = cell.text.split('\n');
        expect(out).toHaveLength(cellLines.length || 1);
        const rewritten = new Set(cell.rewrites.map((r) => r.line));
        // IPython removes the first non-blank line's indentation from every line that starts with it.
        const indent = /^[ \t]*/.exec(cellLines.find((l) => l.trim().length > 0) ?? '')![0];
        expect(cell.dedent).toBe(indent.length);
        const last = out.length - 1;
        cellLines.forEach((line, i) => {
          if (rewritten.has(i)) return;
          const expected = indent && line.startsWith(indent) ? line.slice(indent.length) : line;
          // The last line may gain closers, or lose a final backslash to a space.
          if (i === last) expect(out[i]!.startsWith(expected.endsWith('\\') ? expected.slice(0, -1) : expected)).toBe(true);
          else expect(out[i]).toBe(expected);
        });
      }),
    );
  });
});
