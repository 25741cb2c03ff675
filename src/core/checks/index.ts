// Public API of the code checks: parse a file once, run the enabled rules, apply line suppressions
// (`# ml-notes: ignore[CC-xx]` or `# ml-notes: ignore`) and severity overrides. Never throws: a rule
// that fails is reported in `problems` and the other rules still run.
import { allClasses, allFunctions } from '../python/syntax';
import { ModuleClassIndex } from './models';
import { SourceText, parseModule } from './source';
import { parseDocument } from '../python/parse';
import { allRules } from './rules';
import type { Module, Range } from '../python/ast';
import { CheckFacts } from './facts/facts';
import { DRIVE_BUDGET, driveFile } from './facts/drive';
import type { CheckInput, CheckOptions, CheckProblem, CheckResult, Finding, ModelSummarizer, Rule, RuleContext } from './types';

export type { CheckInput, CheckOptions, CheckResult, Finding, QuickFix, TextEdit, Severity, Rule } from './types';
export { allRules } from './rules';

const SUPPRESSION = /#\s*ml-notes:\s*ignore(?:\[([^\]]*)\])?/;

/** Per line, the rule ids suppressed there ('*' for all). */
export function suppressionsOf(source: SourceText): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  for (let line = 0; line < source.lineCount; line++) {
    const match = SUPPRESSION.exec(source.lineText(line));
    if (!match) continue;
    const ids = match[1] === undefined ? ['*'] : match[1].split(',').map((s) => s.trim().toUpperCase()).filter((s) => s.length > 0);
    out.set(line, new Set(ids));
  }
  return out;
}

/**
 * The edit that suppresses `rule` on a line: the id added to an ignore list already there, or a new
 * `# ml-notes: ignore[CC-xx]` at the end. indexOf, not a regex: it runs on the editor's main thread, and
 * `/# ml-notes: ignore\[([^\]]*)\]/` took 13.8 s on a line of unclosed ignore lists (issue 15).
 */
export function ignoreCommentEdit(lineText: string, line: number, rule: string): { range: Range; newText: string } {
  const marker = lineText.indexOf('# ml-notes: ignore[');
  const close = marker >= 0 ? lineText.indexOf(']', marker) : -1;
  const at = close >= 0 ? close : lineText.length;
  return { range: { start: { line, character: at }, end: { line, character: at } }, newText: close >= 0 ? `, ${rule}` : `  # ml-notes: ignore[${rule}]` };
}

const isSuppressed = (finding: Finding, suppressions: Map<number, Set<string>>): boolean => {
  const ids = suppressions.get(finding.range.start.line);
  return ids !== undefined && (ids.has('*') || ids.has(finding.rule));
};

export function buildContext(path: string, text: string, readFile?: (path: string) => string | undefined, deadline?: number, parsed?: Module, summarize?: ModelSummarizer): RuleContext {
  const source = new SourceText(text);
  // With a deadline, a file too large to parse in time is checked up to where the parse got.
  const module = parsed ?? (deadline !== undefined ? parseDocument(text, undefined, undefined, deadline).module : parseModule(source));
  let facts: CheckFacts | undefined;
  // The interpreter's facts are computed once, on first use, within the same deadline as the rest of the check.
  const lazyFacts = (): CheckFacts =>
    (facts ??= new CheckFacts(driveFile({ path, module, ...(readFile ? { readFile } : {}), ...(deadline !== undefined ? { budget: { ...DRIVE_BUDGET, deadline } } : {}) })));
  const context: RuleContext = { path, source, module, functions: allFunctions(module.body), classes: new ModuleClassIndex(allClasses(module.body)), facts: lazyFacts };
  return { ...context, ...(readFile ? { readFile } : {}), ...(summarize ? { summarize } : {}) };
}

function runRule(rule: Rule, context: RuleContext, options: CheckOptions): Finding[] {
  const severityOverride = options.severityOverrides?.[rule.id];
  return rule.run(context).map((report) => {
    const severity = severityOverride ?? report.severity ?? rule.severity;
    const finding: Finding = { rule: rule.id, severity, message: report.message, range: report.range, topic: rule.topic };
    return report.fixes && report.fixes.length > 0 ? { ...finding, fixes: report.fixes } : finding;
  });
}

const byPosition = (a: Finding, b: Finding): number =>
  a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule);

export function runChecks(file: CheckInput, options: CheckOptions = {}, rules: readonly Rule[] = allRules): CheckResult {
  const problems: CheckProblem[] = [];
  let context: RuleContext;
  try {
    context = buildContext(file.path, file.text, file.readFile, options.deadline, file.module, file.summarize);
  } catch (error) {
    return { findings: [], problems: [{ rule: 'parse', message: errorText(error) }] };
  }
  const disabled = new Set(options.disabled ?? []);
  const suppressions = suppressionsOf(context.source);
  const findings: Finding[] = [];
  for (const [index, rule] of rules.entries()) {
    if (disabled.has(rule.id)) continue;
    if (options.deadline !== undefined && Date.now() > options.deadline) {
      problems.push({ rule: 'time', message: `${rules.length - index} checks not run: the analysis's time budget is spent` });
      break;
    }
    try {
      findings.push(...runRule(rule, context, options).filter((f) => !isSuppressed(f, suppressions)));
    } catch (error) {
      problems.push({ rule: rule.id, message: errorText(error) });
    }
  }
  return { findings: findings.sort(byPosition), problems };
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
