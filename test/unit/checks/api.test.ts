// runChecks: parse once, suppressions, disabled rules, severity overrides, rule failures as problems.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules, runChecks, suppressionsOf } from '../../../src/core/checks';
import { defineRule } from '../../../src/core/checks/rule';
import { SourceText } from '../../../src/core/checks/source';
import { codeChecks } from '../../../src/core/notes/codeChecks';

const ADAM = 'import torch\nopt = torch.optim.Adam([], weight_decay=0.1)\n';

describe('runChecks', () => {
  it('takes each rule\'s severity and topic from the notes\' check table', () => {
    for (const rule of allRules) {
      const info = codeChecks.find((c) => c.id === rule.id)!;
      expect(rule.severity).toBe(info.severity);
      expect(rule.slug).toBe(info.slug);
      expect(info.cites).toContain(rule.topic);
    }
  });

  it('reports a finding with a 0-based range and the rule topic', () => {
    const [finding] = runChecks({ path: 'a.py', text: ADAM }).findings;
    expect(finding).toMatchObject({ rule: 'CC-36', severity: 'info', topic: 'adam', range: { start: { line: 1, character: 6 } } });
  });

  it('drops findings on lines with # ml-notes: ignore or ignore[CC-xx], and only for the listed rules', () => {
    const all = ADAM.replace('0.1)', '0.1)  # ml-notes: ignore');
    const listed = ADAM.replace('0.1)', '0.1)  # ml-notes: ignore[CC-01, cc-36]');
    const other = ADAM.replace('0.1)', '0.1)  # ml-notes: ignore[CC-01]');
    expect(runChecks({ path: 'a.py', text: all }).findings).toEqual([]);
    expect(runChecks({ path: 'a.py', text: listed }).findings).toEqual([]);
    expect(runChecks({ path: 'a.py', text: other }).findings).toHaveLength(1);
    expect([...suppressionsOf(new SourceText(listed)).get(1)!]).toEqual(['CC-01', 'CC-36']);
  });

  it('skips disabled rules and applies severity overrides', () => {
    expect(runChecks({ path: 'a.py', text: ADAM }, { disabled: ['CC-36'] }).findings).toEqual([]);
    expect(runChecks({ path: 'a.py', text: ADAM }, { severityOverrides: { 'CC-36': 'error' } }).findings[0]!.severity).toBe('error');
  });

  it('reports a rule that throws as a problem and still runs the others', () => {
    const broken = defineRule('CC-05', () => {
      throw new Error('boom');
    });
    const result = runChecks({ path: 'a.py', text: ADAM }, {}, [broken, ...allRules]);
    expect(result.problems).toEqual([{ rule: 'CC-05', message: 'boom' }]);
    expect(result.findings.map((f) => f.rule)).toEqual(['CC-36']);
  });

  it('never throws on malformed or hostile input', () => {
    const inputs = ['', 'def (:\n  ))) [', 'class A(:\n', '\u0000\uffff', 'x = ' + '('.repeat(2000), 'for for for in in\n\tbackward()', 'import torch\nopt.step(\n'];
    for (const text of inputs) {
      const result = runChecks({ path: 'bad.py', text });
      expect(result.problems).toEqual([]);
      expect(Array.isArray(result.findings)).toBe(true);
    }
  });
});

describe('realistic code', () => {
  it('raises nothing on common correct PyTorch patterns (MNIST example, Lightning, Accelerate, LBFGS, manual SGD, GAN, VAE) but the one suggestion the notes make', () => {
    const text = readFileSync(join(__dirname, 'fixtures', 'realistic-neg.py'), 'utf8');
    const result = runChecks({ path: 'realistic-neg.py', text });
    expect(result.problems).toEqual([]);
    // The MNIST example applies element-wise nn.Dropout(0.25) to the max-pooled maps of a 3×3 conv: the
    // notes (7.2) suggest Dropout2d there, as an info, not a warning.
    expect(result.findings.map((f) => `${f.range.start.line + 1} ${f.rule} ${f.severity}`)).toEqual(['15 CC-32 info']);
  });
});
