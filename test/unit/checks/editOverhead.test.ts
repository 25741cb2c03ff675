// A check after an edit in the editor (issue 16) reuses every unit but the touched one: what it still does for
// the whole file must not grow with the file's text (a 5,000-line file's keystroke split, indexed, matched and
// hashed all of its lines again).
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseDocument } from '../../../src/core/python/parse';
import { CheckCache, suppressionsOf } from '../../../src/core/checks';
import { SourceText } from '../../../src/core/checks/source';
import { checkUnits, type KeptGrouping } from '../../../src/core/checks/units';
import { largeModelFile } from '../../../scripts/bench/fixture';

const root = join(__dirname, '../../..');

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a check after an edit', () => {
  it('reads no line for suppressions when the file has none, and every line when it has one', () => {
    const lines = ['import torch', 'x = torch.zeros(3)', 'y = x.view(4)', 'z = 1'];
    const read = vi.spyOn(SourceText.prototype, 'lineText');
    expect(suppressionsOf(new SourceText(lines.join('\n'))).size).toBe(0);
    expect(read).not.toHaveBeenCalled();
    lines[2] += '  # ml-notes: ignore[cc-03, CC-04]';
    const found = suppressionsOf(new SourceText(lines.join('\n')));
    expect([...found].map(([line, ids]) => [line, [...ids]])).toEqual([[2, ['CC-03', 'CC-04']]]);
    expect(read).toHaveBeenCalledTimes(lines.length);
  });

  it('splits the text into lines only when a rule first asks for one', () => {
    const split = vi.spyOn(String.prototype, 'split');
    const source = new SourceText('a = 1\nb = 2\n');
    expect(split).not.toHaveBeenCalled();
    expect([source.lineText(1), source.lineText(5), source.lineCount]).toEqual(['b = 2', '', 3]);
    expect(source.lines.position(8)).toEqual({ line: 1, character: 2 });
    expect(split).toHaveBeenCalledTimes(1);
  });

  it("keys a unit by digests of its statements: the key does not grow with the statements' text", () => {
    const body = Array.from({ length: 2_000 }, (_, i) => `        self.layer${i} = nn.Linear(${i + 1}, ${i + 2})`).join('\n');
    const text = `import torch.nn as nn\nclass A(nn.Module):\n    def __init__(self):\n        super().__init__()\n${body}\nclass B(nn.Module):\n    pass\n`;
    const keys = (t: string): string[] => checkUnits(parseDocument(t).module, t)!.map((u) => u.key);
    const [a, b] = keys(text);
    expect(text.length).toBeGreaterThan(70_000);
    expect(a!.length).toBeLessThan(200);
    // Equal statements and text above them, equal keys; a changed line or comment above changes its unit's key only.
    expect(keys(text)).toEqual([a, b]);
    expect(keys(text.replace('nn.Linear(7, 8)', 'nn.Linear(7, 9)'))).toEqual([expect.not.stringMatching(`^${a}$`), b]);
    expect(keys(text.replace('class B', '# ml-notes: input=[1, 3]\nclass B'))).toEqual([a, expect.not.stringMatching(`^${b}$`)]);
  });

  it("takes the last split into units again after an edit that changes no name the split reads, and only then", () => {
    const text = [
      'import torch.nn as nn',
      'SIZE = 8',
      'class A(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.fc = nn.Linear(4, 4)',
      'class B(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.fc = nn.Linear(2, 2)',
      'class C(nn.Module):',
      '    pass',
      '',
    ].join('\n');
    const kept: KeptGrouping = {};
    const units = (t: string, memo?: KeptGrouping) => checkUnits(parseDocument(t).module, t, memo)?.map((u) => ({ key: u.key, places: u.places, body: u.module.body.map((s) => s.r) }));
    expect(units(text, kept)).toHaveLength(3);
    const first = kept.grouping!;
    // A number inside A: the same names everywhere, so the same split (its objects), and the units a fresh split gives.
    const edited = text.replace('nn.Linear(4, 4)', 'nn.Linear(4, 5)');
    expect(units(edited, kept)).toEqual(units(edited));
    expect(kept.grouping!.groups).toBe(first.groups);
    // An attribute renamed inside A (a name no definition binds and no module-level code shares): the same split again.
    const renamed = edited.replaceAll('self.fc = nn.Linear(4, 5)', 'self.fc2 = nn.Linear(4, 5)');
    expect(units(renamed, kept)).toEqual(units(renamed));
    expect(kept.grouping!.groups).toBe(first.groups);
    // B now names C: B and C become one unit, as a fresh split says.
    const joined = edited.replace('nn.Linear(2, 2)', 'C()');
    expect(units(joined, kept)).toEqual(units(joined));
    expect(units(joined, kept)).toHaveLength(2);
    expect(kept.grouping!.groups).not.toBe(first.groups);
    // A and C now both read the module-level SIZE: A joins B and C, and the file is one unit, as a fresh split says.
    const sharing = joined.replace('nn.Linear(4, 5)', 'nn.Linear(SIZE, 5)').replace('    pass', '    size = SIZE');
    expect(units(sharing)).toBeUndefined();
    expect(units(sharing, kept)).toBeUndefined();
  });

  it("forgets a closed document's kept split, which holds the document's syntax tree", () => {
    const text = ['import torch.nn as nn', 'class A(nn.Module):', '    pass', 'class B(nn.Module):', '    pass', ''].join('\n');
    const cache = new CheckCache();
    const kept = cache.groupingOf('/w/a.py');
    expect(checkUnits(parseDocument(text).module, text, kept)).toHaveLength(2);
    expect(cache.groupingOf('/w/a.py').grouping).toBe(kept.grouping);
    cache.forget('/w/a.py');
    expect(cache.groupingOf('/w/a.py').grouping).toBeUndefined();
  });

  it('gives the bench file units whose keys are short', () => {
    const text = largeModelFile(root);
    const units = checkUnits(parseDocument(text).module, text)!;
    expect(units.length).toBeGreaterThan(50);
    expect(Math.max(...units.map((u) => u.key.length))).toBeLessThan(2_000);
  });
});
