// The output formats of `ml-notes check`: linter lines, JSON, SARIF 2.1.0 for code scanning, and GitHub
// workflow commands for annotations. Pure functions over the findings' rows, so tests read them directly.
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { Severity } from '../core/checks';
import { codeChecks, findTopic } from '../core/notes';

export type OutputFormat = 'text' | 'json' | 'sarif' | 'github';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif', 'github'];

/** `--fail-on`: the lowest severity that makes the exit code 1 (`never`: only bad usage fails). */
export type FailOn = Severity | 'never';
export const FAIL_ON_LEVELS: readonly FailOn[] = ['error', 'warning', 'info', 'never'];

/** One finding as the CLI prints it: 1-based lines and columns. */
export interface ReportRow {
  readonly file: string;
  /** The notebook cell (1-based) when the file is a notebook. */
  readonly cell?: number;
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  /** The notes topic the finding links to. */
  readonly topic: string;
  /** `path:line:col` (or the notebook's cell form) as the text format prints it. */
  readonly location: string;
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

/** True when a finding at or above `failOn` is present. */
export function failsOn(rows: readonly ReportRow[], failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return rows.some((r) => SEVERITY_RANK[r.severity] <= SEVERITY_RANK[failOn]);
}

export function renderText(rows: readonly ReportRow[], fileCount: number): { stdout: string; tally: string } {
  const lines = rows.map((r) => `${r.location} ${r.rule} ${r.message}\n`);
  const counts = (['error', 'warning', 'info'] as const).map((s) => [s, rows.filter((r) => r.severity === s).length] as const).filter(([, n]) => n > 0);
  const tally = counts.length > 0 ? `${rows.length} finding(s): ${counts.map(([s, n]) => `${n} ${s}`).join(', ')} in ${fileCount} file(s)\n` : '';
  return { stdout: lines.join(''), tally };
}

export function renderJson(rows: readonly ReportRow[]): string {
  const findings = rows.map((r) => ({
    file: r.file,
    ...(r.cell !== undefined ? { cell: r.cell } : {}),
    line: r.line,
    col: r.col,
    rule: r.rule,
    severity: r.severity,
    message: r.message,
  }));
  return `${JSON.stringify({ findings })}\n`;
}

// ---------------------------------------------------------------------------------------------------
// GitHub workflow commands: `::error file=…,line=…,col=…,title=…::message`.

const GITHUB_LEVEL: Readonly<Record<Severity, string>> = { error: 'error', warning: 'warning', info: 'notice' };

/** Workflow-command escaping: `%`, CR and LF in the message; also `:` and `,` in properties. */
const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function renderGithub(rows: readonly ReportRow[]): string {
  return rows
    .map((r) => {
      const title = r.cell !== undefined ? `${r.rule} (cell ${r.cell})` : r.rule;
      const props = [`file=${escapeProperty(r.file)}`, `line=${r.line}`, `col=${r.col}`, `endLine=${r.endLine}`, `endColumn=${r.endCol}`, `title=${escapeProperty(title)}`];
      return `::${GITHUB_LEVEL[r.severity]} ${props.join(',')}::${escapeData(r.message)}\n`;
    })
    .join('');
}

// ---------------------------------------------------------------------------------------------------
// SARIF 2.1.0 (OASIS): one run, the tool's rules with their notes topic as help, one result per finding.

const SARIF_LEVEL: Readonly<Record<Severity, Result.level>> = { error: 'error', warning: 'warning', info: 'note' };

export interface RuleDescription {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly severity: Severity;
  readonly topic: string;
}

/** The rule for shape errors the analysis finds (the editor's shape diagnostics). */
export const SHAPE_RULE: RuleDescription = {
  id: 'shape',
  name: 'shape-error',
  title: 'A layer or op receives a tensor of a shape PyTorch rejects, or a shape comment disagrees with the inferred shape',
  severity: 'error',
  topic: 'conv-output-size',
};

/** Every rule `check` can report: the catalogue's checks and the shape rule. */
export function ruleDescriptions(): RuleDescription[] {
  return [SHAPE_RULE, ...codeChecks.filter((c) => !c.retired).map((c) => ({ id: c.id, name: c.slug, title: c.title, severity: c.severity, topic: c.cites[0] ?? 'training-loop-debugging' }))];
}

/** The rule's help: the notes topic it links to, its summary and its key formulas in plain text. */
function helpOf(rule: RuleDescription): { text: string; markdown: string } {
  const topic = findTopic(rule.topic);
  if (!topic) return { text: rule.title, markdown: rule.title };
  const formulas = topic.formulas.slice(0, 3).map((f) => f.text);
  const text = [`${rule.title}.`, '', `Notes topic: ${topic.title} (ml-notes notes ${topic.id})`, topic.summary, ...formulas.map((f) => `  ${f}`)].join('\n');
  const markdown = [
    `**${rule.title}.**`,
    '',
    `Notes topic: **${topic.title}** — run \`ml-notes notes ${topic.id}\` or open it from the ML Notes sidebar.`,
    '',
    topic.summary,
    ...(formulas.length > 0 ? ['', ...formulas.map((f) => `- \`${f}\``)] : []),
  ].join('\n');
  return { text, markdown };
}

/** A file path as a SARIF artifact URI relative to the source root (forward slashes, percent-encoded). */
const artifactUri = (file: string): string => file.split(/[\\/]/).map(encodeURIComponent).join('/');

export function renderSarif(rows: readonly ReportRow[], version: string): string {
  const rules = ruleDescriptions();
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const descriptors: ReportingDescriptor[] = rules.map((r) => ({
    id: r.id,
    name: r.name,
    shortDescription: { text: r.title },
    help: helpOf(r),
    defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
    properties: { topic: r.topic, tags: ['pytorch', 'ml-notes'] },
  }));
  const results: Result[] = rows.map((r) => ({
    ruleId: r.rule,
    ...(index.has(r.rule) ? { ruleIndex: index.get(r.rule)! } : {}),
    level: SARIF_LEVEL[r.severity],
    message: { text: r.cell !== undefined ? `${r.message} (cell ${r.cell})` : r.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: artifactUri(r.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: r.line, startColumn: r.col, endLine: r.endLine, endColumn: r.endCol },
        },
      },
    ],
  }));
  const sarif: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ml-notes',
            version,
            informationUri: 'https://github.com/ml-notes/ml-notes',
            rules: descriptors,
          },
        },
        columnKind: 'unicodeCodePoints',
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 1)}\n`;
}
