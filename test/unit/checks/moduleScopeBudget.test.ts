// `ml-notes check` runs the editor's module-scope pass with the step budget of the checks' own evaluation of the
// file (DRIVE_BUDGET.steps), not the interpreter's 2,000,000 that a module-level `for it in range(20000)` training
// loop ran to (issue 16), and a loop run there that has taken DRIVE_BUDGET.loopSteps (an eighth) is cut: its rest
// is explored as a loop over unknown items, so the pass ends far under the budget and sees the code after the loop.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDocument } from '../../../src/core/checkDocument';
import { DRIVE_BUDGET } from '../../../src/core/checks/facts/drive';
import { analyzeForEditor } from '../../../src/core/editor/documentAnalysis';
import { createAnalyzer, parseDocument, type Analyzer, type FileAnalysis } from '../../../src/core/index';

/** An analyzer that keeps every module-scope result it gives. */
function recordingAnalyzer(): { readonly analyzer: Analyzer; readonly passes: FileAnalysis[] } {
  const inner = createAnalyzer();
  const passes: FileAnalysis[] = [];
  const analyzer: Analyzer = {
    ...inner,
    analyzeFile: (req) => {
      const info = inner.analyzeFile(req);
      passes.push(info);
      return info;
    },
  };
  return { analyzer, passes };
}

// Linear(8, 4) holds a [4, 8] weight: x @ weight.T multiplies 2x5 by 8x4, which PyTorch refuses.
const SCRIPT = `import torch
from torch import nn

lin = nn.Linear(8, 4)
x = torch.randn(2, 5)
y = lin(x)
for it in range(20000):
    h = lin(torch.randn(2, 8))
    h = torch.relu(h) * 2.0 + 1.0
z = lin(torch.randn(3, 6))
`;

describe('check: the module-scope pass has the checks step budget', () => {
  it('cuts a long module-level loop and reports the errors before and after it', () => {
    const { analyzer, passes } = recordingAnalyzer();
    const result = checkDocument({ path: '/w/script.py', text: SCRIPT }, { deadline: Date.now() + 60_000 }, analyzer);
    expect(result.findings.map((f) => [f.rule, f.range.start.line, f.message])).toEqual([
      ['shape', 5, 'Linear: mat1 and mat2 shapes cannot be multiplied (2x5 and 8x4)'],
      ['shape', 9, 'Linear: mat1 and mat2 shapes cannot be multiplied (3x6 and 8x4)'],
    ]);
    expect(passes).toHaveLength(1);
    expect(DRIVE_BUDGET.steps).toBe(400_000);
    expect(passes[0]!.incomplete).toBeUndefined();
  });

  it('gives the same classes, errors and shape diagnostics as the 2,000,000-step pass on a real training script (functorch maml_regression), ending under the budget', () => {
    const path = join(__dirname, '../../corpus/debian-src/pytorch-1.13.1/functorch/examples/maml_regression/evjang.py');
    const text = readFileSync(path, 'utf8');
    const parsed = parseDocument(text);
    const run = (scope: { moduleScopeSteps: number; moduleScopeLoopSteps: number } | undefined, moduleLoopSteps?: number) => {
      const { analyzer, passes } = recordingAnalyzer();
      const budget = { deadline: Date.now() + 60_000, ...(moduleLoopSteps !== undefined ? { moduleLoopSteps } : {}) };
      const analysis = analyzeForEditor(analyzer, parsed.module, { path, text, parsed, budget, skipGuessedInputs: true, ...scope });
      return { diagnostics: analysis.diagnostics, pass: passes[0]! };
    };
    // The 2,000,000-step pass: the editor's without its cut of module-level loops (MODULE_LOOP_STEPS).
    const full = run(undefined, Number.POSITIVE_INFINITY);
    const checked = run({ moduleScopeSteps: DRIVE_BUDGET.steps!, moduleScopeLoopSteps: DRIVE_BUDGET.loopSteps! });
    // That pass stops inside the 20,000-iteration loop at its budget; check's cuts the loop and goes on.
    expect(full.pass.incomplete).toBe('step budget of 2000000 exceeded');
    expect(checked.pass.incomplete).toBeUndefined();
    expect(checked.pass.classes).toEqual(full.pass.classes);
    expect(checked.pass.errors).toEqual(full.pass.errors);
    expect(checked.diagnostics).toEqual(full.diagnostics);
    // The editor's own pass cuts the loop too (at MODULE_LOOP_STEPS, the same 50,000 steps): the same answer.
    const editor = run(undefined);
    expect(editor.pass.incomplete).toBeUndefined();
    expect(editor.pass.classes).toEqual(full.pass.classes);
    expect(editor.pass.errors).toEqual(full.pass.errors);
    expect(editor.diagnostics).toEqual(full.diagnostics);
  });
});
