// The worker posts a document's view of every model as what changed since the view it posted before, and the host
// applies that change to its copy (src/worker/client.ts). The host's copy must be the worker's view exactly (its
// serialisation too: key order, optional keys that come and go) after every edit, and the change must be small
// when an edit touched one model.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer, parseDocument } from '../../../src/core/index';
import type { ParsedDocument } from '../../../src/core/python/parse';
import { analyzeForEditor } from '../../../src/core/editor/documentAnalysis';
import { editorView, type EditorView } from '../../../src/core/editor/view';
import { applyViewDelta, viewDelta, viewToPost } from '../../../src/core/editor/viewDelta';
import { largeModelFile } from '../../../scripts/bench/fixture';

const root = join(__dirname, '../../..');

/** A view with only the fields a test sets (the delta treats every field alike). */
const view = (fields: Record<string, unknown>): Record<string, unknown> => fields;

describe('viewDelta', () => {
  const a = { line: 1 };
  const b = { line: 2 };
  const c = { line: 3 };
  const d = { line: 4 };

  it('sends the items between the unchanged start and end of an array, and the host rebuilds the array', () => {
    const before = view({ path: '/a.py', hints: [a, b, c, d] });
    const after = view({ path: '/a.py', hints: [a, { line: 9 }, { line: 10 }, d] });
    const delta = viewDelta({ id: 1, view: before }, after);
    expect(delta.splices['hints']).toEqual({ keepStart: 1, keepEnd: 1, items: [{ line: 9 }, { line: 10 }] });
    expect(delta.values).toEqual({});
    expect(applyViewDelta(structuredClone(before), structuredClone(delta))).toEqual(after);
  });

  it('keeps items equal in value though made anew (a model entry rebuilt from an unchanged result)', () => {
    const before = view({ models: [{ className: 'A', ranOn: [[1, 3]] }, { className: 'B', ranOn: [[2]] }] });
    const after = view({ models: [{ className: 'A', ranOn: [[1, 3]] }, { className: 'B', ranOn: [[4]] }] });
    expect(viewDelta({ id: 1, view: before }, after).splices['models']).toEqual({ keepStart: 1, keepEnd: 0, items: [{ className: 'B', ranOn: [[4]] }] });
    // Same values under keys in another order serialise differently: not the same item.
    const reordered = view({ models: [{ ranOn: [[1, 3]], className: 'A' }, { className: 'B', ranOn: [[2]] }] });
    expect(viewDelta({ id: 1, view: before }, reordered).splices['models']?.keepStart).toBe(0);
  });

  it('follows the new view’s keys: a key that appears or goes, in the new order', () => {
    const before = view({ path: '/a.py', stopped: 'budget', models: [a] });
    const after = view({ path: '/a.py', models: [a], runError: 'no model' });
    const host = applyViewDelta(structuredClone(before), structuredClone(viewDelta({ id: 1, view: before }, after)));
    expect(JSON.stringify(host)).toBe(JSON.stringify(after));
    expect(Object.keys(host)).toEqual(['path', 'models', 'runError']);
  });

  it('tells the view it changes, and posts a first view whole', () => {
    const text = 'import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n';
    const real = editorView(analyzeForEditor(createAnalyzer(), parseDocument(text).module, { path: '/a.py', text, user: {} }));
    const [one, two] = [{ ...real, hints: [] }, { ...real, hints: [] }];
    expect(viewToPost(undefined, one)).toEqual({ full: one });
    expect(viewToPost({ id: 7, view: one }, two)).toMatchObject({ path: real.path, delta: { base: 7, keys: Object.keys(real) } });
  });
});

describe('the host’s copy of the worker’s views, over many edits', () => {
  /** One edit after another, as the editor sends them: the posted change applied to the host's copy each time. */
  function followEdits(path: string, text: string, lines: readonly number[]): { readonly ratios: number[] } {
    const analyzer = createAnalyzer();
    let current = text;
    let parsed: ParsedDocument | undefined;
    let posted: { id: number; view: EditorView } | undefined;
    let host: EditorView | undefined;
    const ratios: number[] = [];
    for (let id = 1; id <= lines.length + 1; id++) {
      if (id > 1) {
        const copy = current.split('\n');
        const line = lines[id - 2]!;
        copy[line] = copy[line]!.replace(/\d/, (digit) => String(digit === '9' ? 8 : Number(digit) + 1));
        current = copy.join('\n');
      }
      parsed = parseDocument(current, parsed);
      const analysis = analyzeForEditor(analyzer, parsed.module, { path, text: current, parsed, user: {}, checks: { disabled: [] }, varianceGainRange: [0.1, 10] });
      const next = editorView(analysis, { analysis: id });
      const message = structuredClone(viewToPost(posted, next));
      host = 'full' in message ? message.full : applyViewDelta(host!, message.delta);
      // Exactly the view the worker made, as the host would have had it whole.
      expect(JSON.stringify(host)).toBe(JSON.stringify(next));
      expect(host).toEqual(structuredClone(next));
      if (!('full' in message)) ratios.push(JSON.stringify(message).length / JSON.stringify(next).length);
      posted = { id, view: next };
    }
    return { ratios };
  }

  /** Lines inside classes holding a digit. */
  function editableLines(text: string): number[] {
    const inside = new Set<number>();
    for (const s of parseDocument(text).module.body) if (s.k === 'class') for (let l = s.r.start.line + 1; l <= s.r.end.line; l++) inside.add(l);
    return text.split('\n').flatMap((l, i) => (inside.has(i) && /\d/.test(l) && !l.trim().startsWith('#') ? [i] : []));
  }

  it('equals every view of the bench’s model file, and a one-line edit posts a small part of it', () => {
    const text = largeModelFile(root, 1200);
    const candidates = editableLines(text);
    const lines = Array.from({ length: 24 }, (_, k) => candidates[Math.floor(((k + 0.5) * candidates.length) / 24)]!);
    const { ratios } = followEdits(join(root, 'examples', 'bench_delta.py'), text, lines);
    expect(ratios).toHaveLength(24);
    // Most edits change one model of twelve: their change is well under half the view.
    expect(ratios.filter((r) => r < 0.5).length).toBeGreaterThan(12);
  });

  it('equals every view of the examples over edits', () => {
    for (const file of readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.py'))) {
      const text = readFileSync(join(root, 'examples', file), 'utf8');
      const candidates = editableLines(text);
      followEdits(join(root, 'examples', file), text, Array.from({ length: 8 }, (_, k) => candidates[(k * 7) % candidates.length]!));
    }
  });
});
