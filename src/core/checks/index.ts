// Public API of the code checks: parse a file once, run the enabled rules, apply line suppressions
// (`# ml-notes: ignore[CC-xx]` or `# ml-notes: ignore`) and severity overrides. Never throws: a rule
// that fails is reported in `problems` and the other rules still run.
import { allClasses, allFunctions } from '../python/syntax';
import { ModuleClassIndex } from './models';
import { SourceText, parseModule } from './source';
import { allRules } from './rules';
import type { CheckInput, CheckOptions, CheckProblem, CheckResult, Finding, Rule, RuleContext } from './types';

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

const isSuppressed = (finding: Finding, suppressions: Map<number, Set<string>>): boolean => {
  const ids = suppressions.get(finding.range.start.line);
  return ids !== undefined && (ids.has('*') || ids.has(finding.rule));
};

export function buildContext(path: string, text: string, readFile?: (path: string) => string | undefined): RuleContext {
  const source = new SourceText(text);
  const module = parseModule(source);
  const context: RuleContext = { path, source, module, functions: allFunctions(module.body), classes: new ModuleClassIndex(allClasses(module.body)) };
  return readFile ? { ...context, readFile } : context;
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
    context = buildContext(file.path, file.text, file.readFile);
  } catch (error) {
    return { findings: [], problems: [{ rule: 'parse', message: errorText(error) }] };
  }
  const disabled = new Set(options.disabled ?? []);
  const suppressions = suppressionsOf(context.source);
  const findings: Finding[] = [];
  for (const rule of rules) {
    if (disabled.has(rule.id)) continue;
    try {
      findings.push(...runRule(rule, context, options).filter((f) => !isSuppressed(f, suppressions)));
    } catch (error) {
      problems.push({ rule: rule.id, message: errorText(error) });
    }
  }
  return { findings: findings.sort(byPosition), problems };
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
