// Check units (issue 16): a file's checks run on parts that share only module-level code, and an edit
// re-checks the part it touched. A reused result must equal a fresh check of the edited file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/core/python/parse';
import { CheckCache, runChecks } from '../../../src/core/checks';
import { checkUnits, type KeptGrouping } from '../../../src/core/checks/units';
import { largeModelFile } from '../../../scripts/bench/fixture';

const root = join(__dirname, '../../..');
const namesOf = (text: string): string[][] =>
  (checkUnits(parseDocument(text).module, text) ?? []).map((u) => u.module.body.flatMap((s) => (s.k === 'def' || s.k === 'class' ? [s.name] : [])));

describe('check units', () => {
  it('group definitions by the names they share, with the module-level code in every unit', () => {
    const text = [
      'import torch.nn as nn',
      'LOG = []',
      'class A(nn.Module):',
      '    pass',
      'def train_a():',
      '    return A()',
      'class B(nn.Module):',
      '    pass',
      'def record(x):',
      '    LOG.append(x)',
      'def report():',
      '    return len(LOG)',
      '',
    ].join('\n');
    const units = namesOf(text);
    expect(units).toEqual([['A', 'train_a'], ['B'], ['record', 'report']]);
    const first = checkUnits(parseDocument(text).module, text)![0]!;
    // The import and LOG = [] run in every unit.
    expect(first.module.body.slice(0, 2).map((s) => s.k)).toEqual(['import', 'assign']);
  });

  it('keep a file that reaches its globals dynamically whole', () => {
    expect(checkUnits(parseDocument('class A:\n    pass\nclass B:\n    pass\nNet = globals()["A"]\n').module, 'class A:\n    pass\nclass B:\n    pass\nNet = globals()["A"]\n')).toBeUndefined();
  });

  it('put definitions the module-level code uses into every unit', () => {
    const text = 'class A:\n    pass\nclass B:\n    pass\nclass C:\n    pass\nmodel = A()\n';
    expect(namesOf(text)).toEqual([['A', 'B'], ['A', 'C']]);
  });

  it('give the findings a check of the whole file gives, on the 2,000-line bench file', () => {
    const text = largeModelFile(root, 2000);
    const path = join(root, 'examples', 'bench.py');
    const module = parseDocument(text).module;
    expect(checkUnits(module, text)!.length).toBeGreaterThan(10);
    const split = runChecks({ path, text, module });
    // One rule list: every rule sees the whole file when nothing splits it.
    const whole = runChecks({ path, text: `import sys\n${text}`, module: parseDocument(`import sys\n${text}`).module });
    const shifted = whole.findings.map((f) => ({ ...f, range: { start: { ...f.range.start, line: f.range.start.line - 1 }, end: { ...f.range.end, line: f.range.end.line - 1 } } }));
    expect(split.findings.map((f) => [f.rule, f.range.start.line, f.message])).toEqual(shifted.map((f) => [f.rule, f.range.start.line, f.message]));
    expect(split.findings.length).toBeGreaterThan(0);
  });

  it('reuse the units an edit did not touch, with the same findings as a fresh check', () => {
    const text = largeModelFile(root, 2000);
    const path = join(root, 'examples', 'bench.py');
    const cache = new CheckCache();
    runChecks({ path, text, module: parseDocument(text).module }, {}, undefined, cache);
    const lines = text.split('\n');
    // A layer size inside the first model class, and a learning rate in a training function.
    const inClass = lines.findIndex((l) => /nn\.Linear\(\w+, \d+\)|nn\.Conv2d\(/.test(l));
    const inTrain = lines.findIndex((l) => /lr=\d/.test(l));
    for (const line of [inClass, inTrain]) {
      expect(line).toBeGreaterThan(0);
      lines[line] = lines[line]!.replace(/\d/, (d) => String((Number(d) + 1) % 10));
      const edited = lines.join('\n');
      const reused = runChecks({ path, text: edited, module: parseDocument(edited).module }, {}, undefined, cache);
      const fresh = runChecks({ path, text: edited, module: parseDocument(edited).module });
      expect(reused).toEqual(fresh);
    }
  });

  it('give the units an edit did not touch again as the same objects, and a new one for the edited unit', () => {
    const text = largeModelFile(root, 1000);
    const kept: KeptGrouping = {};
    const first = parseDocument(text);
    const before = checkUnits(first.module, text, kept)!;
    const lines = text.split('\n');
    const firstClass = lines.findIndex((l) => l.startsWith('class '));
    const line = lines.findIndex((l, i) => i > firstClass && /\d/.test(l) && !l.trimStart().startsWith('#'));
    lines[line] = lines[line]!.replace(/\d/, (d) => String(d === '9' ? 8 : Number(d) + 1));
    const edited = lines.join('\n');
    const after = checkUnits(parseDocument(edited, first).module, edited, kept)!;
    const fresh = checkUnits(parseDocument(edited).module, edited)!;
    expect(after.map((u) => [u.key, u.places])).toEqual(fresh.map((u) => [u.key, u.places]));
    const touched = after.findIndex((u) => u.module.body.some((s) => s.r.start.line <= line && s.r.end.line >= line && s.k === 'class'));
    expect(after.filter((u, i) => u !== before[i]).length).toBe(1);
    expect(after[touched]).not.toBe(before[touched]);
    expect(after[touched]!.key).not.toBe(before[touched]!.key);
  });

  it('move the findings of units below inserted or deleted lines instead of checking them again', () => {
    // The bench file, then training code with findings of every kind of rule (file-wide CC-24/CC-43 parts too).
    const fixtures = ['cc01-pos.py', 'cc24-pos.py', 'cc43-pos.py'].map((f) => readFileSync(join(root, 'test/unit/checks/fixtures', f), 'utf8'));
    const path = join(root, 'examples', 'bench.py');
    const cache = new CheckCache();
    const check = (text: string) => runChecks({ path, text, module: parseDocument(text).module }, {}, undefined, cache);
    let lines = [largeModelFile(root, 1000), ...fixtures].join('\n').split('\n');
    const units = checkUnits(parseDocument(lines.join('\n')).module, lines.join('\n'))!.length;
    check(lines.join('\n'));
    const firstClass = lines.findIndex((l) => l.startsWith('class '));
    const secondClass = lines.findIndex((l, i) => i > firstClass && l.startsWith('class '));
    const edits: { edit: (lines: string[]) => string[]; checked: number }[] = [
      // A line inside the first class: only the unit holding it is checked again.
      { edit: (l) => [...l.slice(0, firstClass + 1), '    # a note', '', ...l.slice(firstClass + 1)], checked: 1 },
      // One of them deleted again (the class's text is new again; the file as it was would be all reused).
      { edit: (l) => [...l.slice(0, firstClass + 2), ...l.slice(firstClass + 3)], checked: 1 },
      // A comment above the second class: it is read with the class (an input comment), so its unit is checked again.
      { edit: (l) => [...l.slice(0, secondClass), '# ml-notes: input=[2, 3, 32, 32]', ...l.slice(secondClass)], checked: 1 },
    ];
    for (const { edit, checked } of edits) {
      lines = edit(lines);
      const text = lines.join('\n');
      const before = { ...cache.counts };
      const reused = check(text);
      expect(reused).toEqual(runChecks({ path, text, module: parseDocument(text).module }));
      // Findings below the edit moved with their units.
      expect(reused.findings.filter((f) => f.range.start.line > secondClass).length).toBeGreaterThan(5);
      expect({ checked: cache.counts.checked - before.checked, reused: cache.counts.reused - before.reused }).toEqual({ checked, reused: units - checked });
    }
  });

  it('presume an uncalled evaluation function runs one of the file models when a unit cannot see it', () => {
    const path = join(root, 'test/unit/checks/fixtures/cc06-pos.py');
    const text = readFileSync(path, 'utf8');
    // The fixture's first two units: the model, and an evaluation function nothing in its unit calls.
    expect(namesOf(text).slice(0, 2)).toEqual([['Net'], ['evaluate']]);
    expect(runChecks({ path, text }).findings.map((f) => f.rule)).toContain('CC-06');
  });

  describe('rules that relate code anywhere in the file (CC-24, CC-25, CC-43) report from every unit', () => {
    const path = join(root, 'examples', 'file_wide.py');
    /** The file's findings of these rules with units, and with the file kept whole (`import sys` does), by line. */
    const both = (lines: readonly string[]): { split: string[]; whole: string[] } => {
      const text = lines.join('\n');
      expect(checkUnits(parseDocument(text).module, text)!.length).toBeGreaterThan(1);
      const fileWide = (t: string, shift: number): string[] =>
        runChecks({ path, text: t })
          .findings.filter((f) => ['CC-24', 'CC-25', 'CC-43'].includes(f.rule))
          .map((f) => `${f.rule}@${f.range.start.line - shift}: ${f.message}`);
      return { split: fileWide(text, 0), whole: fileWide(`import sys\n${text}`, 1) };
    };

    it('pair a BatchNorm in one unit with a loader in another', () => {
      const { split, whole } = both([
        'import torch.nn as nn',
        'from torch.utils.data import DataLoader',
        'class Net(nn.Module):',
        '    def __init__(self):',
        '        super().__init__()',
        '        self.bn = nn.BatchNorm2d(8)',
        'class Head(nn.Module):',
        '    def __init__(self):',
        '        super().__init__()',
        '        self.bn = nn.BatchNorm1d(8)',
        'def loaders(data):',
        '    train_loader = DataLoader(data, batch_size=1, shuffle=True)',
        '    small_loader = DataLoader(data, batch_size=4, shuffle=True)',
        '    return train_loader, small_loader',
        '',
      ]);
      expect(namesOf(['import torch.nn as nn', 'class Net(nn.Module):', '    pass', 'def loaders(data):', '    return data', ''].join('\n'))).toEqual([['Net'], ['loaders']]);
      // BatchNorm1d makes batch_size=1 raise in training: the error message, with both units' norms known.
      expect(split).toEqual([
        expect.stringMatching(/^CC-24@11: batch_size=1 with BatchNorm1d: training raises/),
        'CC-25@12: batch_size=4 with BatchNorm2d, BatchNorm1d: the per-batch mean and variance of 4 samples are noisy. Use a batch of at least 8–16, or GroupNorm/LayerNorm.',
      ]);
      expect(split).toEqual(whole);
    });

    it('give a pipeline the roles of all its uses', () => {
      const pipeline = [
        'import torch.nn as nn',
        'from torchvision import datasets, transforms',
        'tf = transforms.Compose([transforms.ToTensor()])',
        'class Net(nn.Module):',
        '    pass',
        'def train_data(root):',
        '    return datasets.MNIST(root, train=True, transform=tf)',
      ];
      const evaluation = ['def test_data(root):', '    return datasets.MNIST(root, train=False, transform=tf)'];
      // Used for training only, it is reported; used for evaluation too, it is not.
      const trainOnly = both([...pipeline, '']);
      expect(trainOnly.split).toEqual([expect.stringMatching(/^CC-43@2: This training transform/)]);
      expect(trainOnly.split).toEqual(trainOnly.whole);
      const shared = both([...pipeline, ...evaluation, '']);
      expect(shared.split).toEqual([]);
      expect(shared.whole).toEqual([]);
    });

    it('let an image generator ending in a Sigmoid in one unit silence CC-43 in another', () => {
      const { split, whole } = both([
        'import torch.nn as nn',
        'from torchvision import datasets, transforms',
        'class Generator(nn.Module):',
        '    def __init__(self):',
        '        super().__init__()',
        '        self.net = nn.Sequential(nn.Linear(8, 784), nn.Sigmoid())',
        'def train_data(root):',
        '    return datasets.MNIST(root, train=True, transform=transforms.Compose([transforms.ToTensor()]))',
        '',
      ]);
      expect(split).toEqual([]);
      expect(whole).toEqual([]);
    });
  });
});
