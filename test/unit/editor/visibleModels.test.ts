// The classes the editor analyses first for the lines it shows: those defined there and every class that can run
// them (names them directly or through other definitions), so their results are the whole analysis's.
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/core/index';
import { visibleFirstClasses } from '../../../src/core/editor/visibleModels';
import { editorView, withVisibleModels, type EditorView } from '../../../src/core/editor/view';
import type { HintData } from '../../../src/core/editor/hints';

const HINT_KIND: HintData['kind'] = 'statement';

const text = [
  'import torch.nn as nn', // 0
  '', // 1
  'class Block(nn.Module):', // 2
  '    def __init__(self):', // 3
  '        super().__init__()', // 4
  '        self.fc = nn.Linear(4, 4)', // 5
  '', // 6
  'def make_blocks(n):', // 7
  '    return nn.Sequential(*[Block() for _ in range(n)])', // 8
  '', // 9
  'class Net(nn.Module):', // 10
  '    def __init__(self):', // 11
  '        super().__init__()', // 12
  '        self.body = make_blocks(2)', // 13
  '', // 14
  'class Other(nn.Module):', // 15
  '    def __init__(self):', // 16
  '        super().__init__()', // 17
  '        self.fc = nn.Linear(2, 2)', // 18
  '',
].join('\n');
const module = parseDocument(text).module;

describe('visibleFirstClasses', () => {
  it('takes the visible class and the classes that reach it through a function', () => {
    expect([...(visibleFirstClasses(module, text, [{ start: 3, end: 5 }]) ?? [])].sort()).toEqual(['Block', 'Net']);
  });

  it('takes a class reached from a visible function', () => {
    expect([...(visibleFirstClasses(module, text, [{ start: 8, end: 8 }]) ?? [])].sort()).toEqual(['Net']);
  });

  it('gives nothing to do first when the visible lines hold no definition, or every class', () => {
    expect(visibleFirstClasses(module, text, [{ start: 0, end: 1 }])).toBeUndefined();
    expect(visibleFirstClasses(module, text, [{ start: 0, end: 19 }])).toBeUndefined();
  });

  it('gives nothing to do first when the file reaches its globals dynamically', () => {
    const dynamic = `${text}\nNet2 = globals()['Net']\n`;
    expect(visibleFirstClasses(parseDocument(dynamic).module, dynamic, [{ start: 3, end: 5 }])).toBeUndefined();
  });
});

describe('withVisibleModels', () => {
  const range = (start: number, end: number) => ({ start: { line: start, character: 0 }, end: { line: end, character: 0 } });
  const empty = editorView({ path: '/a.py', models: [], calls: [], containerCalls: [], ops: [], statements: [], loops: [], modules: [], layerWeights: {}, hints: [], variables: [], diagnostics: [], findings: [], optimizers: [], requestedFiles: [], elapsedMs: 0 });
  const view = (models: { name: string; lines: [number, number]; params: number }[], hintLines: number[], label: string): EditorView => ({
    ...empty,
    models: models.map((m) => ({ className: m.name, classRange: range(...m.lines), nameRange: range(m.lines[0], m.lines[0]), params: m.params })),
    hints: hintLines.map((line) => ({ position: { line, character: 4 }, label, tooltip: '', kind: HINT_KIND })),
    hoverSites: hintLines.map((line) => ({ range: range(line, line), markdown: label })),
  });

  it("takes the partial view's models, hints and hovers inside its classes and the last view's elsewhere", () => {
    const previous = view([{ name: 'A', lines: [0, 5], params: 1 }, { name: 'B', lines: [10, 15], params: 2 }], [2, 12], 'old');
    const partial = view([{ name: 'A', lines: [0, 5], params: 3 }], [3], 'new');
    const merged = withVisibleModels(previous, partial);
    expect(merged.models.map((m) => [m.className, m.params])).toEqual([['A', 3], ['B', 2]]);
    expect(merged.hints.map((h) => [h.position.line, h.label]).sort()).toEqual([[12, 'old'], [3, 'new']].sort());
    expect(merged.hoverSites.map((h) => [h.range.start.line, h.markdown]).sort()).toEqual([[12, 'old'], [3, 'new']].sort());
    expect(withVisibleModels(undefined, partial)).toBe(partial);
  });
});
