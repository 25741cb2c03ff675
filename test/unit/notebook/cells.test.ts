// A notebook's code cells as one module: the position map both ways, cell numbers over all cells,
// markdown ignored, and a broken cell that cannot swallow the cells after it.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { notebookModule, toCellPosition, toCellRange, toModulePosition, type NotebookCellSource } from '../../../src/core/notebook/cells';
import { parseModule } from '../../../src/core/python/parse';

const code = (source: string): NotebookCellSource => ({ kind: 'code', source });
const markdown = (source: string): NotebookCellSource => ({ kind: 'markup', source });

describe('notebookModule', () => {
  const notebook = notebookModule([markdown('# Title'), code('import torch\n%matplotlib inline'), markdown('text'), code('x = torch.zeros(2)\ny = x + 1'), code('    z = 3')]);

  it('joins the code cells in order, line for line, and numbers cells over all cells', () => {
    expect(notebook.text).toBe('import torch\npass\nx = torch.zeros(2)\ny = x + 1\nz = 3');
    expect(notebook.cells.map((c) => [c.cell, c.firstLine, c.lineCount, c.dedent])).toEqual([
      [1, 0, 2, 0],
      [3, 2, 2, 0],
      [4, 4, 1, 4],
    ]);
    expect(notebook.cells[0]!.rewrites).toEqual([{ line: 1, kind: 'line-magic' }]);
  });

  it('maps module positions to (cell, line, character) and back', () => {
    expect(toCellPosition(notebook, { line: 3, character: 4 })).toEqual({ cell: 3, line: 1, character: 4 });
    expect(toModulePosition(notebook, 3, { line: 1, character: 4 })).toEqual({ line: 3, character: 4 });
    // The dedented cell: `z` is at character 4 of the cell, 0 of the module.
    expect(toCellPosition(notebook, { line: 4, character: 0 })).toEqual({ cell: 4, line: 0, character: 4 });
    expect(toModulePosition(notebook, 4, { line: 0, character: 4 })).toEqual({ line: 4, character: 0 });
    expect(toModulePosition(notebook, 0, { line: 0, character: 0 })).toBeUndefined();
    expect(toModulePosition(notebook, 3, { line: 2, character: 0 })).toBeUndefined();
    expect(toCellPosition(notebook, { line: 9, character: 0 })).toBeUndefined();
  });

  it('maps ranges into the cell their start is in', () => {
    expect(toCellRange(notebook, { start: { line: 2, character: 0 }, end: { line: 3, character: 9 } })).toEqual({
      cell: 3,
      range: { start: { line: 0, character: 0 }, end: { line: 1, character: 9 } },
    });
  });

  it('round-trips every position of every code cell', () => {
    const cells = fc.array(fc.tuple(fc.boolean(), fc.array(fc.stringMatching(/^[a-z =0-9]{0,6}$/), { minLength: 1, maxLength: 4 })), { maxLength: 6 });
    fc.assert(
      fc.property(cells, (spec) => {
        const nb = notebookModule(spec.map(([isCode, lines]) => (isCode ? code(lines.join('\n')) : markdown(lines.join('\n')))));
        for (const span of nb.cells) {
          for (let line = 0; line < span.lineCount; line++) {
            const at = toModulePosition(nb, span.cell, { line, character: 2 })!;
            expect(toCellPosition(nb, at)).toEqual({ cell: span.cell, line, character: 2 });
          }
        }
        expect(nb.text.split('\n')).toHaveLength(Math.max(1, nb.cells.reduce((n, c) => n + c.lineCount, 0)));
      }),
    );
  });

  it('keeps a cell that ends inside brackets or a string from swallowing the next cell', () => {
    const broken = notebookModule([code('x = f(1,'), code('s = """open'), code('class Net:\n    pass')]);
    const module = parseModule(broken.text);
    expect(module.body.find((s) => s.k === 'class')?.r.start).toEqual({ line: 2, character: 0 });
  });

  it('gives an empty module for a notebook without code cells', () => {
    expect(notebookModule([markdown('only prose')])).toEqual({ text: '', cells: [] });
  });
});
