// What `ml-notes check` reports for one file: the code checks (CC-xx) and the shape errors of the editor's
// own analysis (models run on their inputs, module-level script code, shape comments), as findings with
// rule "shape". One analysis serves both, so the CLI gates CI on exactly what the editor underlines.
import type { Analyzer } from './index';
import { createAnalyzer } from './index';
import { analyzeForEditor } from './editor/documentAnalysis';
import type { ShapeDiagnostic } from './editor/documentAnalysis';
import type { CheckInput, CheckOptions, CheckResult, Finding } from './checks';
import { runChecks, suppressionsOf } from './checks';
import { SourceText } from './checks/source';
import { DRIVE_BUDGET } from './checks/facts/drive';

/** The rule id shape findings carry (`--disable shape`, `# ml-notes: ignore[shape]`). */
export const SHAPE_RULE_ID = 'shape';
const SHAPE_TOPIC = 'conv-output-size';
const SHAPE_CODES = new Set(['shape', 'shape-comment', 'shape-annotation']);
/** Checks that name the same error PyTorch raises (with a fix and their own topic): their line needs no shape finding too. */
const SHAPE_ERROR_CHECKS = new Set(['CC-22', 'CC-29', 'CC-40']);

function shapeFinding(d: ShapeDiagnostic): Finding {
  return {
    rule: SHAPE_RULE_ID,
    severity: 'error',
    message: d.message,
    range: d.range,
    topic: SHAPE_TOPIC,
    ...(d.fixes && d.fixes.length > 0 ? { fixes: d.fixes } : {}),
  };
}

/** One finding per line and message: a layer in a loop or reused by several models fails the same way each time. */
function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.range.start.line}:${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const byPosition = (a: Finding, b: Finding): number =>
  a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule);

/** Checks one file. Never throws: an analysis failure is reported in `problems`. */
export function checkDocument(file: CheckInput, options: CheckOptions = {}, analyzer: Analyzer = createAnalyzer()): CheckResult {
  const disabled = new Set(options.disabled ?? []);
  try {
    // One deadline for the parse, the editor's analysis and the rules (`ml-notes check --time-budget-ms`).
    // Parsed once for the editor's analysis and the rules; the CLI's stored parse of the same text when it has one.
    const { module, parsed } = analyzer.parseChecked(file.path, file.text, options.deadline);
    const analysis = analyzeForEditor(analyzer, module, {
      path: file.path,
      text: file.text,
      ...(parsed ? { parsed } : {}),
      ...(file.readFile ? { readFile: file.readFile } : {}),
      ...(options.deadline !== undefined ? { budget: { deadline: options.deadline } } : {}),
      skipGuessedInputs: true,
      // Only the diagnostics are read below.
      diagnosticsOnly: true,
      // Module-level code gets the step budget of the checks' own evaluation of the file (DRIVE_BUDGET), not the
      // interpreter's 2,000,000, which a script's `for it in range(20000)` loop ran to (~1 s a file). The pass's
      // classes and errors were the same under both on the checks corpus and 306 public files (issue 16).
      moduleScopeSteps: DRIVE_BUDGET.steps!,
      // Its loops are cut as the checks' evaluation cuts them: a script's module-level `for it in range(20000)`
      // training loop ran to the whole budget (functorch's maml_regression examples), and the code after it was
      // never seen; a loop of cheap iterations still runs whole.
      moduleScopeLoopSteps: DRIVE_BUDGET.loopSteps!,
    });
    const checked = runChecks({ ...file, module, parseImport: analyzer.parseImport }, options);
    const suppressions = suppressionsOf(new SourceText(file.text));
    const coveredLines = new Set(checked.findings.filter((f) => SHAPE_ERROR_CHECKS.has(f.rule)).map((f) => f.range.start.line));
    const shapes = disabled.has(SHAPE_RULE_ID)
      ? []
      : analysis.diagnostics
          // A model run on an input the analysis guessed is no evidence about the user's code.
          .filter((d) => SHAPE_CODES.has(d.code) && !d.guessedInput)
          // The same error at the layer's constructor already reported by its own check (CC-40 …).
          .filter((d) => ![d.range, ...(d.related ?? []).map((r) => r.range)].some((r) => coveredLines.has(r.start.line)))
          .map(shapeFinding)
          .filter((f) => {
            const ids = suppressions.get(f.range.start.line);
            return !ids || !(ids.has('*') || ids.has(SHAPE_RULE_ID.toUpperCase()));
          });
    return { findings: [...checked.findings, ...dedupe(shapes)].sort(byPosition), problems: checked.problems };
  } catch (error) {
    return { findings: [], problems: [{ rule: 'analysis', message: error instanceof Error ? error.message : String(error) }] };
  }
}
