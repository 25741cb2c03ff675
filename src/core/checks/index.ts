// Public API of the code checks: parse a file once, run the enabled rules, apply line suppressions
// (`# ml-notes: ignore[CC-xx]` or `# ml-notes: ignore`) and severity overrides. Never throws: a rule
// that fails is reported in `problems` and the other rules still run.
import { allClasses, allFunctions } from '../python/syntax';
import { ModuleClassIndex } from './models';
import { SourceText, parseModule } from './source';
import { checkUnits, type KeptGrouping } from './units';
import { keptFor, setBounded } from '../boundedMaps';
import { moveRanges, rangeMover, samePlaces, type RangeMove, type StatementPlace } from '../moves';
import { presumedFileModels } from './facts/training';
import { parseDocument } from '../python/parse';
import { allRules } from './rules';
import type { Module, Range } from '../python/ast';
import { CheckFacts } from './facts/facts';
import { DRIVE_BUDGET, driveFile } from './facts/drive';
import type { CheckInput, CheckOptions, CheckProblem, CheckResult, Finding, ModelSummarizer, Rule, RuleContext, RuleReport } from './types';
import { textDigest } from '../textDigest';

export type { CheckInput, CheckOptions, CheckResult, Finding, QuickFix, TextEdit, Severity, Rule } from './types';
export { allRules } from './rules';

const SUPPRESSION = /#\s*ml-notes:\s*ignore(?:\[([^\]]*)\])?/;

/** Per line, the rule ids suppressed there ('*' for all). */
export function suppressionsOf(source: SourceText): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  // A line can match only if the whole text does: most files have no suppression, and matching line by line
  // took a 5,000-line file's every keystroke.
  if (!SUPPRESSION.test(source.text)) return out;
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

export function buildContext(path: string, text: string, readFile?: (path: string) => string | undefined, deadline?: number, parsed?: Module, summarize?: ModelSummarizer, shared?: SourceText, parseImport?: (text: string) => Module): RuleContext {
  const source = shared ?? new SourceText(text);
  // With a deadline, a file too large to parse in time is checked up to where the parse got.
  const module = parsed ?? parseChecked(source, deadline);
  let facts: CheckFacts | undefined;
  // The interpreter's facts are computed once, on first use, within the same deadline as the rest of the check.
  const lazyFacts = (): CheckFacts =>
    (facts ??= new CheckFacts(driveFile({ path, module, text, ...(readFile ? { readFile } : {}), ...(parseImport ? { parseImport } : {}), ...(deadline !== undefined ? { budget: { ...DRIVE_BUDGET, deadline } } : {}) })));
  const context: RuleContext = { path, source, module, functions: allFunctions(module.body), classes: new ModuleClassIndex(allClasses(module.body)), facts: lazyFacts };
  return { ...context, ...(readFile ? { readFile } : {}), ...(summarize ? { summarize } : {}), ...(parseImport ? { parseImport } : {}) };
}

function parseChecked(source: SourceText, deadline: number | undefined): Module {
  return deadline !== undefined ? parseDocument(source.text, undefined, undefined, deadline).module : parseModule(source);
}

function runRule(rule: Rule, context: RuleContext, options: CheckOptions): Finding[] {
  return findingsOf(rule, rule.run(context), options);
}

/** A rule's reports as findings: its id, topic and severity (the report's, the settings' override or the rule's). */
function findingsOf(rule: Rule, reports: readonly RuleReport[], options: CheckOptions): Finding[] {
  const severityOverride = options.severityOverrides?.[rule.id];
  return reports.map((report) => {
    const severity = severityOverride ?? report.severity ?? rule.severity;
    const finding: Finding = { rule: rule.id, severity, message: report.message, range: report.range, topic: rule.topic };
    return report.fixes && report.fixes.length > 0 ? { ...finding, fixes: report.fixes } : finding;
  });
}

const byPosition = (a: Finding, b: Finding): number =>
  a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule);

/** Findings of one check unit and the files its evaluation read (with the text it got), for reuse after an edit. */
interface CheckedUnit {
  readonly reads: ReadonlyMap<string, string | undefined>;
  readonly findings: readonly Finding[];
  /** Its evaluation presumed unseen models are the file's (see PRESUMING_RULES). */
  readonly presumed: boolean;
  /** The file-wide rules' parts of this unit, by rule id (see FileWideSteps). */
  readonly parts: ReadonlyMap<string, unknown>;
}

/** Documents whose last split into check units a cache keeps. */
const GROUPINGS_KEPT = 50;

/**
 * Check results an editor keeps between analyses of its documents, by unit (see ./units): a unit's statements
 * with the lines above each, without their positions, so lines inserted or deleted above a unit move its
 * findings and parts instead of checking it again.
 */

export class CheckCache {
  private readonly units = new Map<string, { readonly unit: CheckedUnit; readonly places: readonly StatementPlace[] }>();
  /** Each document's last split into check units (by path), taken again when an edit did not change what decides it. */
  private readonly groupings = new Map<string, KeptGrouping>();
  /** Units checked and units reused (moved or not) since the cache was made, for tests. */
  readonly counts = { checked: 0, reused: 0 };
  constructor(private readonly limit = 2_000) {}
  get(key: string, readFile: ((path: string) => string | undefined) | undefined, places: readonly StatementPlace[]): CheckedUnit | undefined {
    const kept = this.units.get(key);
    if (!kept || !readsUnchanged(kept.unit.reads, readFile)) return undefined;
    const unit = samePlaces(kept.places, places) ? kept.unit : movedUnit(kept.unit, rangeMover(kept.places, places));
    if (unit) this.counts.reused++;
    return unit;
  }
  /** Where the last split of the document at `path` into check units is kept. */
  groupingOf(path: string): KeptGrouping {
    return keptFor(this.groupings, path, GROUPINGS_KEPT, () => ({}));
  }
  /** Forgets a closed document's split (it holds the document's syntax tree). */
  forget(path: string): void {
    this.groupings.delete(path);
  }
  set(key: string, unit: CheckedUnit, places: readonly StatementPlace[]): void {
    setBounded(this.units, key, { unit, places }, this.limit);
  }
}

/** Whether every file a unit read reads the same now (most units read none: no copy of the map is made). */
function readsUnchanged(reads: ReadonlyMap<string, string | undefined>, readFile: ((path: string) => string | undefined) | undefined): boolean {
  for (const [path, text] of reads) if (readFile?.(path) !== text) return false;
  return true;
}

/** A unit's findings and parts where its statements now are; undefined when one cannot be moved (a message naming a line). */
function movedUnit(unit: CheckedUnit, move: RangeMove): CheckedUnit | undefined {
  const findings = moveRanges(unit.findings, move);
  const parts = findings && moveRanges(unit.parts, move);
  return findings && parts ? { ...unit, findings, parts } : undefined;
}

/**
 * CC-06 runs on each unit, and on the whole file when a unit's answer presumed that a model the analysis could
 * not see (an uncalled evaluation function's argument) is one of the file's models. Rules that relate code
 * anywhere in the file without names (`Rule.fileWide`: CC-24, CC-25, CC-43) collect their part in each unit
 * and report once from all the parts, so no pass evaluates the whole file.
 */
const PRESUMING_RULES: ReadonlySet<string> = new Set(['CC-06']);

/**
 * Runs the rules on each check unit of the file (./units: the module-level code with one group of
 * definitions at a time; the whole file when it is one), reusing a unit's findings from `cache` when its
 * statements and the files it read are unchanged. A finding several units give (in the shared module-level
 * code) is reported once.
 */
export function runChecks(file: CheckInput, options: CheckOptions = {}, rules: readonly Rule[] = allRules, cache?: CheckCache): CheckResult {
  const steps = checkSteps(file, options, rules, cache);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * runChecks one check unit at a time: the generator pauses after each unit, so the editor's worker can stop a
 * stale analysis between units (a newer request for the document arrived); its return value is runChecks' result.
 */
export function* checkSteps(file: CheckInput, options: CheckOptions = {}, rules: readonly Rule[] = allRules, cache?: CheckCache): Generator<void, CheckResult, void> {
  const problems: CheckProblem[] = [];
  let source: SourceText;
  let module: Module;
  try {
    source = new SourceText(file.text, { ...(file.lines ? { lines: file.lines } : {}), ...(file.lineIndex ? { lineIndex: file.lineIndex } : {}) });
    module = file.module ?? parseChecked(source, options.deadline);
  } catch (error) {
    return { findings: [], problems: [{ rule: 'parse', message: errorText(error) }] };
  }
  const disabled = new Set(options.disabled ?? []);
  const enabled = rules.filter((r) => !disabled.has(r.id));
  // As a digest: it starts every unit's cache key, and a long key was joined and hashed again for each unit on each keystroke.
  const optionsKey = textDigest(JSON.stringify([file.path, enabled.map((r) => r.id), options.severityOverrides ?? {}]));
  const suppressions = suppressionsOf(source);
  const split = checkUnits(module, file.text, cache?.groupingOf(file.path));
  // Without units, one pass runs every rule on the whole file; with them, each unit runs the rules and collects the file-wide rules' parts.
  const whole = (selected: readonly Rule[]): CheckPass => ({ module, key: textDigest(`file\u0000${file.text}`), places: [], rules: selected, collect: [], rulesKey: rulesKeyOf(selected, []) });
  const fileWide = enabled.filter((r) => r.fileWide);
  const unitRules = enabled.filter((r) => !r.fileWide);
  const unitRulesKey = rulesKeyOf(unitRules, fileWide);
  const passes: CheckPass[] = split ? split.map((unit) => ({ ...unit, rules: unitRules, collect: fileWide, rulesKey: unitRulesKey })) : [whole(enabled)];
  const state: PassState = { problems, failed: new Set(), outOfTime: false };
  const results: (CheckedUnit | undefined)[] = [];
  for (const pass of passes) {
    results.push(runPass(file, pass, optionsKey, source, options, state, cache));
    yield;
  }
  let findings = results.flatMap((r) => r?.findings ?? []);
  if (split) for (const rule of fileWide) findings.push(...reportFileWide(rule, results, options, state));
  if (split && results.some((r) => r?.presumed)) {
    // A unit presumed an unseen model is one of the file's: those rules answer for the whole file.
    const presuming = enabled.filter((r) => PRESUMING_RULES.has(r.id));
    const redone = runPass(file, whole(presuming), optionsKey, source, options, state, cache);
    findings = [...findings.filter((f) => !PRESUMING_RULES.has(f.rule)), ...(redone?.findings ?? [])];
  }
  const found = new Map<string, Finding>();
  for (const f of findings) {
    const key = `${f.rule}\u0000${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}\u0000${f.message}`;
    if (!found.has(key)) found.set(key, f);
  }
  const kept = [...found.values()].filter((f) => !isSuppressed(f, suppressions));
  return { findings: kept.sort(byPosition), problems };
}

interface CheckPass {
  readonly module: Module;
  /** A digest of its statements' text (with the options, the cache key); a whole file's pass is keyed by the file's text and has no places. */
  readonly key: string;
  readonly places: readonly StatementPlace[];
  readonly rules: readonly Rule[];
  /** File-wide rules whose part this pass collects (on a file split into units). */
  readonly collect: readonly Rule[];
  /** A digest of the ids of `rules` and `collect`, for the cache key (made once for all the units of a file). */
  readonly rulesKey: string;
}

const rulesKeyOf = (rules: readonly Rule[], collect: readonly Rule[]): string => textDigest(`${rules.map((r) => r.id).join(',')}\u0000${collect.map((r) => r.id).join(',')}`);

/** A file-wide rule's findings from the parts its units collected (a unit cut short gives none). */
function reportFileWide(rule: Rule, results: readonly (CheckedUnit | undefined)[], options: CheckOptions, state: PassState): Finding[] {
  const parts = results.flatMap((r) => (r?.parts.has(rule.id) ? [r.parts.get(rule.id)] : []));
  try {
    return findingsOf(rule, rule.fileWide!.report(parts), options);
  } catch (error) {
    state.problems.push({ rule: rule.id, message: errorText(error) });
    return [];
  }
}

interface PassState {
  readonly problems: CheckProblem[];
  /** Rule failures already reported (a rule failing the same way in several units is one problem). */
  readonly failed: Set<string>;
  outOfTime: boolean;
}

/** Runs a pass's rules, or reuses its findings from the cache; undefined when the time budget was spent before it. */
function runPass(file: CheckInput, pass: CheckPass, optionsKey: string, source: SourceText, options: CheckOptions, state: PassState, cache: CheckCache | undefined): CheckedUnit | undefined {
  if (pass.rules.length + pass.collect.length === 0 || state.outOfTime) return undefined;
  const cacheKey = `${optionsKey}\u0000${pass.rulesKey}\u0000${pass.key}`;
  const reused = cache?.get(cacheKey, file.readFile, pass.places);
  if (reused) return reused;
  if (cache) cache.counts.checked++;
  const reads = new Map<string, string | undefined>();
  const readFile = file.readFile
    ? (path: string): string | undefined => {
        const text = file.readFile!(path);
        reads.set(path, text);
        return text;
      }
    : undefined;
  let facts: CheckFacts | undefined;
  const built = buildContext(file.path, file.text, readFile, options.deadline, pass.module, file.summarize, source, file.parseImport);
  const context: RuleContext = { ...built, facts: () => (facts ??= built.facts()) };
  const findings: Finding[] = [];
  let complete = true;
  const parts = new Map<string, unknown>();
  const steps = [...pass.rules.map((rule) => ({ rule, collect: false })), ...pass.collect.map((rule) => ({ rule, collect: true }))];
  for (const [index, { rule, collect }] of steps.entries()) {
    if (options.deadline !== undefined && Date.now() > options.deadline) {
      state.problems.push({ rule: 'time', message: `${steps.length - index} checks not run: the analysis's time budget is spent` });
      state.outOfTime = true;
      complete = false;
      break;
    }
    try {
      if (collect) parts.set(rule.id, rule.fileWide!.collect(context));
      else findings.push(...runRule(rule, context, options));
    } catch (error) {
      complete = false;
      const message = errorText(error);
      if (!state.failed.has(`${rule.id}\u0000${message}`)) state.problems.push({ rule: rule.id, message });
      state.failed.add(`${rule.id}\u0000${message}`);
    }
  }
  const result: CheckedUnit = { reads, findings, presumed: facts !== undefined && presumedFileModels.has(facts), parts };
  // A pass cut short (time, a failing rule, the evaluation's budget) is computed again next time.
  if (cache && complete && !facts?.driven.incomplete) cache.set(cacheKey, result, pass.places);
  return result;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
