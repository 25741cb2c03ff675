// Check units (issue 16): a file's checks run on parts that share only module-level code, and an edit
// re-checks the part it touched. A reused result must equal a fresh check of the edited file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/core/python/parse';
import { CheckCache, runChecks } from '../../../src/core/checks';
import { checkUnits } from '../../../src/core/checks/units';
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

  it('presume an uncalled evaluation function runs one of the file models when a unit cannot see it', () => {
    const path = join(root, 'test/unit/checks/fixtures/cc06-pos.py');
    const text = readFileSync(path, 'utf8');
    // The fixture's first two units: the model, and an evaluation function nothing in its unit calls.
    expect(namesOf(text).slice(0, 2)).toEqual([['Net'], ['evaluate']]);
    expect(runChecks({ path, text }).findings.map((f) => f.rule)).toContain('CC-06');
  });
});
