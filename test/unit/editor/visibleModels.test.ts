// The classes the editor analyses first for the lines it shows: those defined there and every class that can run
// them (names them directly or through other definitions), so their results are the whole analysis's.
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/core/index';
import { visibleFirstClasses } from '../../../src/core/editor/visibleModels';
import { editorView, hoverInShown, shownAfter, withVisibleModels, type EditorView } from '../../../src/core/editor/view';
import { createAnalyzer } from '../../../src/core/index';
import { analyzeForEditor, editorAnalysisSteps, type EditorAnalysis } from '../../../src/core/editor/documentAnalysis';
import { DocumentHovers } from '../../../src/core/editor/hover';
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
  });

  it("takes the partial view's models, hints and hovers inside its classes and the last view's elsewhere", () => {
    const previous = { ...view([{ name: 'A', lines: [0, 5], params: 1 }, { name: 'B', lines: [10, 15], params: 2 }], [2, 12], 'old'), hovers: { analysis: 1 } };
    const partial = { ...view([{ name: 'A', lines: [0, 5], params: 3 }], [3], 'new'), hovers: { visible: 2 } };
    const merged = withVisibleModels(previous, partial);
    expect(merged.models.map((m) => [m.className, m.params])).toEqual([['A', 3], ['B', 2]]);
    expect(merged.hints.map((h) => [h.position.line, h.label]).sort()).toEqual([[12, 'old'], [3, 'new']].sort());
    // Hovers are asked of both analyses (hoverInShown splits them as the hints are split).
    expect(merged.hovers).toEqual({ analysis: 1, visible: 2 });
    expect(withVisibleModels(merged, { ...partial, hovers: { visible: 3 } }).hovers).toEqual({ analysis: 1, visible: 3 });
    expect(withVisibleModels(undefined, partial)).toBe(partial);
  });
});

describe('hoverInShown: the hovers of the views the worker posted', () => {
  const path = '/visible.py';
  const analyse = (source: string): EditorAnalysis => analyzeForEditor(createAnalyzer(), parseDocument(source).module, { path, text: source, checks: { disabled: [] } });
  /** The visible models' part of an analysis of `source` (Block on lines 3-5, and Net that runs it). */
  const visiblePart = (source: string): EditorAnalysis => {
    const steps = editorAnalysisSteps(createAnalyzer(), parseDocument(source).module, { path, text: source, checks: { disabled: [] }, visibleLines: [{ start: 3, end: 5 }] });
    for (let next = steps.next(); !next.done; next = steps.next()) if (next.value.kind === 'visible') return next.value.analysis;
    throw new Error('no visible part');
  };
  // Linear(4, 4) -> Linear(4, 6) in Block (visible), Linear(2, 2) -> Linear(2, 5) in Other (not visible).
  const edited = text.replace('nn.Linear(4, 4)', 'nn.Linear(4, 6)').replace('nn.Linear(2, 2)', 'nn.Linear(2, 5)');
  const before = analyse(text);
  const visible = visiblePart(edited);
  const after = analyse(edited);
  const inBlock = { line: 5, character: 22 };
  const inOther = { line: 18, character: 22 };
  const params = (markdown: string | undefined): string | undefined => markdown && /\*\*Params\*\* ([\d,]+)/.exec(markdown)?.[1];

  it('answers from the analysis the view names, and nothing once a newer view was posted', () => {
    const first = shownAfter(undefined, 1, 'analysis', before);
    // Linear(4, 4): 4·4 + 4 = 20 parameters; Linear(2, 2): 2·2 + 2 = 6.
    expect(params(hoverInShown(first, { analysis: 1 }, inBlock)?.markdown)).toBe('20');
    expect(hoverInShown(first, { analysis: 1 }, inOther)).toEqual(new DocumentHovers(before).at(inOther));
    expect(params(hoverInShown(first, { analysis: 1 }, inOther)?.markdown)).toBe('6');
    expect(hoverInShown(first, { analysis: 0 }, inBlock)).toBeUndefined();
    expect(hoverInShown(first, {}, inBlock)).toBeUndefined();
    expect(hoverInShown(undefined, { analysis: 1 }, inBlock)).toBeUndefined();
    const last = shownAfter(shownAfter(first, 2, 'visible', visible), 2, 'analysis', after);
    expect(hoverInShown(last, { analysis: 1 }, inBlock)).toBeUndefined();
    expect(hoverInShown(last, { analysis: 1, visible: 2 }, inBlock)).toBeUndefined();
    // Linear(2, 5): 2·5 + 5 = 15.
    expect(params(hoverInShown(last, { analysis: 2 }, inOther)?.markdown)).toBe('15');
  });

  it("lays the visible part's hovers over the view under it inside its classes, as withVisibleModels lays its hints", () => {
    const shown = shownAfter(shownAfter(undefined, 1, 'analysis', before), 2, 'visible', visible);
    // Linear(4, 6): 4·6 + 6 = 30, from the visible part; Other keeps the view under it until the whole view comes.
    expect(params(hoverInShown(shown, { analysis: 1, visible: 2 }, inBlock)?.markdown)).toBe('30');
    expect(params(hoverInShown(shown, { analysis: 1, visible: 2 }, inOther)?.markdown)).toBe('6');
    // The host has not received the partial view yet: it still shows the first view, whose hovers the worker keeps.
    expect(params(hoverInShown(shown, { analysis: 1 }, inBlock)?.markdown)).toBe('20');
    // A partial view with nothing under it shows its own sites only.
    expect(params(hoverInShown(shown, { visible: 2 }, inBlock)?.markdown)).toBe('30');
    expect(hoverInShown(shown, { visible: 2 }, inOther)).toBeUndefined();
    expect(hoverInShown(shown, { analysis: 1, visible: 3 }, inBlock)).toBeUndefined();
  });
});
