// Per-rule fixtures: `ccNN-pos.py` marks every expected finding with `# expect: CC-NN [severity]` on its
// line; `ccNN-neg.py` must produce nothing; `ccNN-pos.fixed.py` (hand-written) is the positive fixture
// after applying the first finding's first quick fix.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules, runChecks } from '../../../src/core/checks';
import { applyEdits } from '../../../src/core/checks/fixes';
import { SourceText } from '../../../src/core/checks/source';

const FIXTURES = join(__dirname, 'fixtures');
const read = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const EXPECT = /#\s*expect:\s*(CC-\d\d)(?:\s+(error|warning|info))?/;

function expectedOf(text: string): { line: number; rule: string; severity?: string }[] {
  return text.split('\n').flatMap((lineText, line) => {
    const m = EXPECT.exec(lineText);
    return m ? [{ line, rule: m[1]!, ...(m[2] ? { severity: m[2] } : {}) }] : [];
  });
}

for (const rule of allRules) {
  const stem = rule.id.toLowerCase().replace('-', '');
  const pos = `${stem}-pos.py`;
  const neg = `${stem}-neg.py`;
  describe(`${rule.id} ${rule.slug}`, () => {
    const only = [rule];
    it('has positive and negative fixtures', () => {
      expect(existsSync(join(FIXTURES, pos))).toBe(true);
      expect(existsSync(join(FIXTURES, neg))).toBe(true);
    });
    it('fires on every marked line of the positive fixture, and only there', () => {
      const text = read(pos);
      const result = runChecks({ path: pos, text }, {}, only);
      expect(result.problems).toEqual([]);
      const expected = expectedOf(text);
      expect(expected.length).toBeGreaterThan(0);
      expect(result.findings.map((f) => f.range.start.line)).toEqual(expected.map((e) => e.line));
      result.findings.forEach((f, i) => {
        expect(f.rule).toBe(rule.id);
        expect(f.topic).toBe(rule.topic);
        expect(f.severity).toBe(expected[i]!.severity ?? rule.severity);
        expect(f.message.length).toBeGreaterThan(20);
      });
    });
    it('stays silent on the negative fixture', () => {
      const result = runChecks({ path: neg, text: read(neg) }, {}, only);
      expect(result.problems).toEqual([]);
      expect(result.findings).toEqual([]);
    });
    const fixed = `${stem}-pos.fixed.py`;
    // Only rules whose catalogue entry offers an automatic fix have a hand-written fixed fixture.
    if (!existsSync(join(FIXTURES, fixed))) return;
    it('its first quick fix produces the expected text', () => {
      const text = read(pos);
      const finding = runChecks({ path: pos, text }, {}, only).findings[0];
      const quickFix = finding?.fixes?.[0];
      expect(quickFix).toBeDefined();
      expect(applyEdits(text, quickFix!.edits, new SourceText(text))).toBe(read(fixed));
    });
  });
}
