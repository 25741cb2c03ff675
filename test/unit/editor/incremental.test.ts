// The editor's answer after edits (one warm analyzer, incremental parses, reused models, check units, view
// parts) must be the answer a fresh analyzer gives for the same text: hovers as the user reads them, hints,
// lenses, diagnostics and check findings. Edits change layer sizes, insert and delete lines, and rename a layer
// type, in the bench's model file (the bundled examples, repeated). Models and check units below inserted or
// deleted lines are moved with their statements, not run again (counted).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer, parseDocument, type Analyzer } from '../../../src/core/index';
import type { ParsedDocument } from '../../../src/core/python/parse';
import { analyzeForEditor, checkCounts } from '../../../src/core/editor/documentAnalysis';
import { editorView } from '../../../src/core/editor/view';
import { hoverSites } from '../../../src/core/editor/hover';
import { largeModelFile } from '../../../scripts/bench/fixture';

const root = join(__dirname, '../../..');
const path = join(root, 'examples', 'bench_incremental.py');

/** The worker's answer to one version of the document, as the editor shows it (hovers rendered). */
function answer(analyzer: Analyzer, text: string, previous: ParsedDocument | undefined): { parsed: ParsedDocument; shown: unknown } {
  const parsed = parseDocument(text, previous);
  const analysis = analyzeForEditor(analyzer, parsed.module, { path, text, parsed, user: {}, checks: { disabled: [] }, varianceGainRange: [0.1, 10] });
  const { elapsedMs: _elapsed, ...rest } = structuredClone(editorView(analysis));
  // Every hover the worker would render on request from this analysis.
  return { parsed, shown: { ...rest, hovers: hoverSites(analysis) } };
}

type Edit = (lines: string[]) => void;
const lineOf = (lines: readonly string[], pattern: RegExp, from = 0): number => {
  const at = lines.findIndex((l, i) => i >= from && pattern.test(l));
  expect(at).toBeGreaterThanOrEqual(0);
  return at;
};

describe('the editor answer after edits', () => {
  it('equals a fresh analysis of the same text', () => {
    // The model file, then training code the checks have findings on (their test fixtures).
    const fixtures = ['cc01-pos.py', 'cc06-pos.py', 'cc24-pos.py', 'cc43-pos.py'].map((f) => readFileSync(join(root, 'test/unit/checks/fixtures', f), 'utf8'));
    let text = [largeModelFile(root, 1200), ...fixtures].join('\n');
    const warm = createAnalyzer();
    let previous = answer(warm, text, undefined).parsed;
    const middle = Math.floor(text.split('\n').length / 2);
    const edits: Edit[] = [
      // A layer's width inside a model class.
      (lines) => {
        const at = lineOf(lines, /nn\.Linear\(\w+, \d+\)|nn\.Conv2d\(\w+, \d+/, middle);
        lines[at] = lines[at]!.replace(/\d+/, (d) => String(Number(d) + 8));
      },
      // A comment line inserted near the top: everything below moves down one line.
      (lines) => {
        lines.splice(lineOf(lines, /^class /) + 1, 0, '    # a note');
      },
      // A learning rate in a training function.
      (lines) => {
        const at = lineOf(lines, /lr=\d/);
        lines[at] = lines[at]!.replace(/lr=(\d)/, 'lr=1$1');
      },
      // The inserted line removed again, and a layer type changed.
      (lines) => {
        lines.splice(lineOf(lines, /^ {4}# a note$/), 1);
        const at = lineOf(lines, /nn\.BatchNorm2d\(/, middle);
        lines[at] = lines[at]!.replace('nn.BatchNorm2d(', 'nn.InstanceNorm2d(');
      },
      // A shape error: a Linear's input size no longer matches.
      (lines) => {
        const at = lineOf(lines, /nn\.Linear\(128, /);
        lines[at] = lines[at]!.replace('nn.Linear(128, ', 'nn.Linear(127, ');
      },
      // Two lines inserted above the model with the shape error: its errors and the values assumed after it move.
      (lines) => {
        lines.splice(lineOf(lines, /^class /) + 1, 0, '    # a note', '');
      },
    ];
    // The edits that insert or delete lines.
    const moving = new Set([edits[1], edits[3], edits[5]]);
    for (const edit of edits) {
      const lines = text.split('\n');
      edit(lines);
      text = lines.join('\n');
      const before = { ...warm.counts, ...checkCounts(warm) };
      const incremental = answer(warm, text, previous);
      const after = { ...warm.counts, ...checkCounts(warm) };
      const counted = (key: keyof typeof after): number => after[key] - before[key];
      if (moving.has(edit)) {
        // Lines inserted or deleted above most models and check units: those are moved, not run or checked again
        // (the edit's own class is run again, and the unit holding it checked, with the file-wide CC-06 pass).
        expect({ runs: counted('modelRuns') <= 4, moved: counted('modelsMoved') >= 15, checked: counted('checked') <= 2, reused: counted('reused') >= 20 }).toEqual({ runs: true, moved: true, checked: true, reused: true });
      }
      previous = incremental.parsed;
      const fresh = answer(createAnalyzer(), text, undefined).shown as { findings: readonly unknown[]; diagnostics: readonly unknown[]; hovers: readonly unknown[]; hints: readonly unknown[] };
      // Every part of the answer has something to compare.
      for (const part of [fresh.findings, fresh.diagnostics, fresh.hovers, fresh.hints]) expect(part.length).toBeGreaterThan(0);
      expect(incremental.shown).toEqual(fresh);
    }
  });
});
