// The view's groups (hint statements, variables, calls by construction) are made once per model part and merged
// after each edit: the merge must be the grouping of every part's items together, and a part must be grouped
// once however often it is merged. On the bench's model file, the init-variance warnings made from each model's
// own chains are those of the whole file's chains.
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createAnalyzer, parseDocument } from '../../../src/core/index';
import { analyzeForEditor, type EditorAnalysis } from '../../../src/core/editor/documentAnalysis';
import { GroupsByPart, groupBy } from '../../../src/core/editor/partGroups';
import { varianceChainDiagnostics, varianceChains } from '../../../src/core/editor/varianceChain';
import { largeModelFile } from '../../../scripts/bench/fixture';

interface Part {
  readonly items: readonly { readonly key: string; readonly n: number }[];
}

describe('GroupsByPart', () => {
  const part = (...keys: string[]): Part => ({ items: keys.map((key, n) => ({ key, n })) });

  it('merges to the grouping of all parts’ items in order, grouping each part once', () => {
    let grouped = 0;
    const groups = new GroupsByPart<Part, Part['items'][number]>((p) => {
      grouped++;
      return groupBy(p.items, (i) => i.key);
    });
    const a = part('x', 'y', 'x');
    const b = part('y', 'z');
    const c = part('w', 'x');
    for (const parts of [[a, b, c], [c, a], [a, b, c]]) {
      const merged = groups.merged(parts);
      const all = groupBy(parts.flatMap((p) => p.items), (i) => i.key);
      expect([...merged.entries()]).toEqual([...all.entries()]);
    }
    // Three part objects, each grouped once over three merges.
    expect(grouped).toBe(3);
    // A group one part alone holds is that part's array, kept across merges.
    const first = groups.merged([a, b]).get('z');
    expect(groups.merged([c, a, b]).get('z')).toBe(first);
  });

  it('sets a key one part alone holds once, and lists the groups only of keys several parts hold', () => {
    const groups = new GroupsByPart<Part, Part['items'][number]>((p) => groupBy(p.items, (i) => i.key));
    const parts = [part('p', 'q', 'p'), part('r', 's'), part('q', 't')];
    const expected = [...groupBy(parts.flatMap((p) => p.items), (i) => i.key).entries()];
    // Each part grouped before the merge counted here.
    groups.merged(parts);
    const set = vi.spyOn(Map.prototype, 'set');
    try {
      const merged = groups.merged(parts);
      expect([...merged.entries()]).toEqual(expected);
      // p, q, r, s, t once each; q's two groups listed once and joined once.
      expect(set).toHaveBeenCalledTimes(7);
    } finally {
      set.mockRestore();
    }
  });

  it('leaves out items without a key', () => {
    expect([...groupBy([1, 2, 3, 4], (n) => (n % 2 === 0 ? 'even' : undefined)).entries()]).toEqual([['even', [2, 4]]]);
  });
});

describe('the view made from per-model parts', () => {
  const root = join(__dirname, '../../..');
  const path = join(root, 'examples', 'bench_parts.py');
  // A narrow gain range, so that chains of the bench's model file leave it and get warnings.
  const text = largeModelFile(root, 1200);
  const analyse = (analyzer: ReturnType<typeof createAnalyzer>, source: string): EditorAnalysis =>
    analyzeForEditor(analyzer, parseDocument(source).module, { path, text: source, user: {}, checks: { disabled: [] }, varianceGainRange: [0.9, 1.1] });

  it('gives the init-variance warnings of the whole file’s chains', () => {
    const analysis = analyse(createAnalyzer(), text);
    const warnings = analysis.diagnostics.filter((d) => d.code === 'init-variance');
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings).toEqual(varianceChainDiagnostics(varianceChains(analysis), [0.9, 1.1]));
  });
});
