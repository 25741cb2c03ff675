// The data contract of the code checks (catalogue §11): findings with 0-based ranges and quick fixes as
// plain text edits, so the CLI and the editor both apply them without knowing any rule.
import type { Range } from '../values';
import type { FunctionDef, ClassDef, Module } from '../python/ast';
import type { LineIndex } from '../python/convert';
import type { SourceText } from './source';
import type { ModuleClassIndex } from './models';
import type { ModelSummary, SummaryRequest } from '../analysis/summary';
import type { CheckFacts } from './facts/facts';

export type { Range };
export type Severity = 'error' | 'warning' | 'info';

export interface TextEdit {
  readonly range: Range;
  readonly newText: string;
  /** In a notebook's view of one cell: the cell (index among all cells) the edit is in, when it is another. */
  readonly cell?: number;
}

export interface QuickFix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

export interface Finding {
  /** The rule id, `CC-xx`. */
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range: Range;
  readonly fixes?: readonly QuickFix[];
  /** The notes topic the diagnostic links to ("Learn more"). */
  readonly topic: string;
}

/** What a rule reports before the framework adds its id, topic and (possibly overridden) severity. */
export interface RuleReport {
  readonly message: string;
  readonly range: Range;
  readonly fixes?: readonly QuickFix[];
  /** A lower severity than the rule's default, for the catalogue's downgrade conditions. */
  readonly severity?: Severity;
}

/** Everything a rule may read: the parsed file, its text, and indexes built once per file. */
export interface RuleContext {
  readonly path: string;
  readonly source: SourceText;
  readonly module: Module;
  /** Every function in the file (methods and nested functions included), with its enclosing class. */
  readonly functions: readonly { readonly def: FunctionDef; readonly cls?: ClassDef }[];
  /** The nn.Module-like classes of the file: their submodules and forward data flow. */
  readonly classes: ModuleClassIndex;
  /** Reads another file (for imports the shape analysis follows); absent in pure in-memory runs. */
  readonly readFile?: (path: string) => string | undefined;
  readonly summarize?: ModelSummarizer;
  /** Parses imported files, sharing the caller's parses of the same text (the analyzer's); from scratch when absent. */
  readonly parseImport?: (text: string) => Module;
  /** The semantic model: the interpreter's evaluation of the file and its imports (built once, on first use). */
  readonly facts: () => CheckFacts;
}

export interface Rule {
  readonly id: string;
  readonly slug: string;
  readonly severity: Severity;
  readonly topic: string;
  run(context: RuleContext): RuleReport[];
  /** Set for a rule that relates code anywhere in the file without names (see FileWideSteps). */
  readonly fileWide?: FileWideSteps<unknown>;
}

/**
 * How a rule that relates code anywhere in the file, not through names (any BatchNorm with any loader), runs
 * on a file split into check units without evaluating the whole file: `collect` reads one unit's facts into
 * plain data (ranges, numbers, names; kept with the unit's findings for reuse), and `report` gives the
 * findings from every unit's part. On a file that is one unit, `run` is `report([collect(context)])`.
 */
export interface FileWideSteps<Part> {
  collect(context: RuleContext): Part;
  report(parts: readonly Part[]): RuleReport[];
}

export interface CheckOptions {
  /** Rule ids to skip, e.g. `["CC-27"]`. */
  readonly disabled?: readonly string[];
  readonly severityOverrides?: Readonly<Record<string, Severity>>;
  /** A Date.now() time after which no further rule starts (the editor's analysis budget); the skipped ones are named in `problems`. */
  readonly deadline?: number;
}

export interface CheckInput {
  readonly path: string;
  readonly text: string;
  readonly readFile?: (path: string) => string | undefined;
  /** The caller's parse of `text` (the editor's), so the checks do not parse it again. */
  readonly module?: Module;
  /** The caller's lines of `text` and its line index, so the checks do not split and index it again. */
  readonly lines?: readonly string[];
  readonly lineIndex?: LineIndex;
  /** Summarises a model of this file, reusing the caller's results (the editor's analyzer); a fresh analysis when absent. */
  readonly summarize?: ModelSummarizer;
  /**
   * Parses imported files, sharing the caller's parses of the same text (the analyzer's): each check unit's
   * evaluation imports the same files, and ASTs are never mutated. From scratch when absent.
   */
  readonly parseImport?: (text: string) => Module;
}

/** A model summary of the checked file (`module`, `text` and `path` are the file's). */
export type ModelSummarizer = (req: Omit<SummaryRequest, 'path' | 'text' | 'module'>) => ModelSummary | { error: string };

/** A rule that failed on this file: reported, never thrown. */
export interface CheckProblem {
  readonly rule: string;
  readonly message: string;
}

export interface CheckResult {
  readonly findings: Finding[];
  readonly problems: CheckProblem[];
}
