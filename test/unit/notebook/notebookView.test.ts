// The editor's analysis of a notebook, seen from each cell: hints, hovers, the CodeLens's model and the
// shape diagnostics land in the cell where their code is, in that cell's positions; the model defined in
// one cell is run on the input of its call in a later cell. Numbers worked by hand: Conv2d(3, 8, 3,
// padding=1) keeps 32×32 and has 8·3·9 + 8 = 224 parameters; MaxPool2d(2) halves to 16×16; the Linear
// then sees 8·16·16 = 2048 features and has 2048·10 + 10 = 20,490 parameters (20,714 in all).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer, parseDocument } from '../../../src/core/index';
import { analyzeForEditor } from '../../../src/core/editor/documentAnalysis';
import { editorView, type EditorView } from '../../../src/core/editor/view';
import { cellView, hoverInCell } from '../../../src/core/editor/notebookView';
import { notebookModule, toModulePosition, type NotebookCellSource, type NotebookModule } from '../../../src/core/notebook/cells';
import { readNotebook } from '../../../src/core/notebook/nbformat';
import { DocumentHovers, variableHover } from '../../../src/core/editor/hover';
import type { EditorAnalysis } from '../../../src/core/editor/documentAnalysis';

const PATH = '/work/nb.ipynb';

function cellsOf(fixture: string): NotebookCellSource[] {
  const notebook = readNotebook(readFileSync(join(__dirname, 'fixtures', fixture), 'utf8'));
  if ('error' in notebook) throw new Error(notebook.error);
  return [...notebook.cells];
}

function analyse(cells: readonly NotebookCellSource[]): { notebook: NotebookModule; view: EditorView; analysis: EditorAnalysis } {
  const notebook = notebookModule(cells);
  const parsed = parseDocument(notebook.text);
  const analysis = analyzeForEditor(createAnalyzer(), parsed.module, { path: PATH, text: notebook.text, parsed, checks: { disabled: [] } });
  return { notebook, view: editorView(analysis), analysis };
}

/** The 0-based line of `needle` in a cell's source. */
const lineOf = (cells: readonly NotebookCellSource[], cell: number, needle: string): number => cells[cell]!.source.split('\n').findIndex((l) => l.includes(needle));

describe('a notebook seen from its cells', () => {
  const cells = cellsOf('small_cnn.v4.5.ipynb');
  const { notebook, view, analysis } = analyse(cells);
  // Cell 3 in Jupyter's numbering (index 2) holds the class; cell 5 (index 4) builds and calls it.
  const classCell = cellView(view, notebook, 2);

  it('summarises the model of cell 3 on the input of its call in cell 5', () => {
    expect(classCell.models).toHaveLength(1);
    const model = classCell.models[0]!;
    expect(model).toMatchObject({ className: 'Net', input: { shapes: ['2,3,32,32'], source: 'call' }, params: 20714, output: [2, 10] });
    expect(model.nameRange).toEqual({ start: { line: 0, character: 6 }, end: { line: 0, character: 9 } });
    for (const other of [0, 1, 4, 5, 6, 8]) expect(cellView(view, notebook, other).models).toEqual([]);
  });

  it("puts the shape hints on the lines of cell 3's forward", () => {
    const pool = lineOf(cells, 2, 'x = self.pool(');
    const fc = lineOf(cells, 2, 'return self.fc(x)');
    const labels = classCell.hints.map((h) => [h.position.line, h.label]);
    expect(labels).toContainEqual([pool, '→ [2, 8, 16, 16]']);
    expect(labels).toContainEqual([fc, '→ [2, 10]']);
    expect(cellView(view, notebook, 4).hints.every((h) => h.position.line < cells[4]!.source.split('\n').length)).toBe(true);
  });

  it('hovers the Linear of cell 3 at its own position in the cell', () => {
    const line = lineOf(cells, 2, 'nn.Linear(');
    const lineText = cells[2]!.source.split('\n')[line]!;
    const position = { line, character: lineText.indexOf('Linear') };
    // As the host asks: the cell view's variables, else the worker's hover at the module position, shown in the cell.
    expect(variableHover(classCell.variables, position, lineText)).toBeUndefined();
    const inModule = new DocumentHovers(analysis).at(toModulePosition(notebook, 2, position)!);
    const hover = inModule && hoverInCell(notebook, 2, inModule);
    expect(hover?.markdown).toMatch(/20,490/);
    expect(hover?.range.start.line).toBe(line);
    // The same hover is not shown from another cell.
    expect(inModule && hoverInCell(notebook, 4, inModule)).toBeUndefined();
  });

  it('reports a shape error in the cell that has it, with a fix that edits that cell', () => {
    const broken = cells.map((c, i) => (i === 2 ? { ...c, source: c.source.replace('nn.Linear(8 * 16 * 16, 10)', 'nn.Linear(8 * 32 * 32, 10)') } : c));
    const result = analyse(broken);
    const inClass = cellView(result.view, result.notebook, 2);
    const error = inClass.diagnostics.find((d) => d.code === 'shape');
    expect(error?.message).toMatch(/2048/);
    expect(error?.range.start.line).toBe(lineOf(broken, 2, 'return self.fc(x)'));
    const edit = error?.fixes?.[0]?.edits[0];
    expect(edit?.newText).toBe('2048');
    expect(edit?.cell).toBeUndefined();
    expect(edit?.range.start.line).toBe(lineOf(broken, 2, 'nn.Linear('));
    for (const other of [1, 4, 5]) expect(cellView(result.view, result.notebook, other).diagnostics.filter((d) => d.code === 'shape')).toEqual([]);
  });

  it('names the other cell when a fix edits a layer built in an earlier cell', () => {
    const result = analyse([
      { kind: 'code', source: 'import torch\nimport torch.nn as nn' },
      { kind: 'code', source: 'body = nn.Sequential(nn.Linear(10, 5), nn.ReLU(), nn.Linear(6, 3))' },
      { kind: 'markup', source: 'The model wraps it.' },
      { kind: 'code', source: 'class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.body = body\n\n    def forward(self, x):\n        return self.body(x)' },
      { kind: 'code', source: 'net = Net()\ny = net(torch.randn(2, 10))' },
    ]);
    const error = cellView(result.view, result.notebook, 3).diagnostics.find((d) => d.code === 'shape');
    expect(error?.range.start.line).toBe(6);
    // The second Linear of cell 2 (index 1) gets in_features 5: `nn.Linear(6, 3)` starts at character 50, its 6 at 60.
    expect(error?.fixes?.[0]?.edits[0]).toEqual({ range: { start: { line: 0, character: 60 }, end: { line: 0, character: 61 } }, newText: '5', cell: 1 });
    expect(error?.related?.find((r) => r.message.includes('constructed here'))).toMatchObject({ cell: 1 });
  });
});

describe('a `# %%` cell file', () => {
  it('stays a plain Python file: the model of one cell runs on the call in a later cell', () => {
    const text = [
      '# %% imports',
      'import torch',
      'import torch.nn as nn',
      '',
      '# %% the model',
      'class Net(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.fc = nn.Linear(4, 3)',
      '',
      '    def forward(self, x):',
      '        return self.fc(x)',
      '',
      '# %% run it',
      'model = Net()',
      'y = model(torch.randn(5, 4))',
      '',
    ].join('\n');
    const parsed = parseDocument(text);
    const view = editorView(analyzeForEditor(createAnalyzer(), parsed.module, { path: '/work/cells.py', text, parsed }));
    // Linear(4, 3): 4·3 + 3 = 15 parameters; [5, 4] → [5, 3].
    expect(view.models[0]).toMatchObject({ className: 'Net', input: { shapes: ['5,4'], source: 'call' }, params: 15, output: [5, 3] });
    expect(view.hints.map((h) => [h.position.line, h.label])).toContainEqual([11, '→ [5, 3]']);
  });
});
