// The inlay hints of a document, from the interpreter's record of what forward code produced: one hint
// at the end of every statement whose value holds a tensor (assignments, augmented assignments, returns,
// expression statements), one on the header of each loop that carries tensors (`x = block(x)` over 12
// blocks is `→ [B, T, 256] ×12` on the `for` line), and, when asked, one after each entry of an
// `nn.Sequential(...)` constructor. The editor and `ml-notes annotate` show exactly these.
import type { Expr, Module, Stmt } from '../python/ast';
import type { ForStmt } from '../python/syntax';
import { isTopLevelOf, statementAt, statementIndex, topLevelStatementAt } from './statementIndex';
import { RenderedBy, sameItems } from './renderedBy';
import type { Range } from '../values';
import { rangeKey } from '../ranges';
import type { AssumedReport, LoopReport, StatementReport, ValueShape } from '../analysis/trace';
import { holdsTensor } from '../analysis/trace';
import type { JsonShape } from '../analysis/summary';
import { formatShape, formatValue, runs, unknownReasons } from './format';

export type HintKind = 'statement' | 'loop' | 'entry';

export interface HintData {
  readonly position: { readonly line: number; readonly character: number };
  readonly label: string;
  readonly tooltip: string;
  /** A statement's value, a loop's carried values, or an `nn.Sequential` entry's output. */
  readonly kind: HintKind;
}

/** Right-hand sides that only name an existing value (`return x`, `identity = x`): nothing new to show. */
const NOTHING_NEW = new Set<Expr['k']>(['name', 'const', 'num', 'str', 'attr']);

/** Right-hand sides that compute something, so an unknown result is worth a `?` and its reason. */
const COMPUTES = new Set<Expr['k']>(['call', 'bin', 'sub', 'unary']);

function valueExpr(s: Stmt): Expr | undefined {
  return s.k === 'assign' || s.k === 'return' || s.k === 'aug' || s.k === 'expr' ? s.value : undefined;
}

const MAX_SHOWN = 2;

export function assumedText(a: AssumedReport): string {
  return `assumed after the error at line ${a.line}: ${a.message}`;
}

/** `→ [1, 64, 56, 56]`, `→ [1, 64, 56, 56] | [1, 128, 28, 28] | … (4 shapes)`. */
function statementLabel(texts: readonly string[], assumed: boolean): string {
  const distinct = [...new Set(texts)];
  const shown = distinct.slice(0, MAX_SHOWN).join(' | ');
  const more = distinct.length > MAX_SHOWN ? ` | … (${distinct.length} shapes)` : '';
  return `→ ${shown}${more}${assumed ? ' (assumed)' : ''}`;
}

function countedList(texts: readonly string[]): string {
  return runs(texts).map(([t, n]) => (n > 1 ? `${t} ×${n}` : t)).join(', ');
}

function tooltipFor(what: string, values: readonly ValueShape[], assumed: AssumedReport | undefined): string {
  const lines = [`${what}: ${countedList(values.map(formatValue))}`];
  const reasons = [...new Set(values.flatMap(unknownReasons))];
  if (reasons.length) lines.push(`? = unknown: ${reasons.slice(0, 3).join('; ')}`);
  if (assumed) lines.push(`Value ${assumedText(assumed)}`);
  return lines.join('\n');
}

/** A loop's sequence of one variable: `[B, T, 256] ×12`, `[1, 64, 56, 56] ×2 → [1, 128, 28, 28] ×2`, or first → … → last. */
function sequenceLabel(texts: readonly string[]): string {
  const r = runs(texts).map(([t, n]) => (n > 1 ? `${t} ×${n}` : t));
  if (r.length <= 2) return r.join(' → ');
  return `${r[0]} → … → ${r[r.length - 1]} (${texts.length} iterations)`;
}

/** Where a loop's hint goes: right after the colon of its header. */
function loopAnchor(loop: ForStmt, lines: readonly string[]): { line: number; character: number } {
  const line = loop.iter.r.end.line;
  const text = lines[line] ?? '';
  const colon = text.indexOf(':', loop.iter.r.end.character);
  return { line, character: colon >= 0 ? colon + 1 : text.trimEnd().length };
}

/** The statement of a loop's body that sets each carried variable last (its value is the loop's hint). */
function lastAssignments(loop: ForStmt, names: ReadonlySet<string>): Set<string> {
  const keys = new Set<string>();
  const last = new Map<string, Stmt>();
  for (const s of loop.body) {
    const targets = s.k === 'assign' ? s.targets : s.k === 'aug' ? [s.target] : [];
    for (const t of targets) if (t.k === 'name' && names.has(t.id)) last.set(t.id, s);
  }
  for (const s of last.values()) keys.add(rangeKey(s.r));
  return keys;
}

export interface HintInputs {
  readonly module: Module;
  readonly lines: readonly string[];
  /** This file's statements from every model run, grouped by their range (`rangeKey`), in the order they ran. */
  readonly statements: ReadonlyMap<string, readonly StatementReport[]>;
  /** This file's loops, from every model run. */
  readonly loops: readonly LoopReport[];
  /** Modules constructed in this file with their calls (for `nn.Sequential` entries). */
  readonly entries: readonly HintEntry[];
}

/** A module constructed in this file: its report (kept while its model's result is) and the calls made of it. */
export interface HintEntry {
  readonly range: Range;
  readonly report: { readonly type: string; readonly path: string };
  readonly calls: readonly { readonly output: JsonShape }[];
}

/** Ranges of the positional arguments of a statement's `nn.Sequential(...)` calls: the entries that get a hint. */
const SEQUENTIAL_ENTRIES = new WeakMap<Stmt, ReadonlySet<string>>();

function sequentialEntries(statement: Stmt): ReadonlySet<string> {
  const known = SEQUENTIAL_ENTRIES.get(statement);
  if (known) return known;
  const entries = new Set<string>();
  for (const call of statementIndex(statement).callList) {
    const name = call.fn.k === 'attr' ? call.fn.name : call.fn.k === 'name' ? call.fn.id : '';
    if (name === 'Sequential') for (const a of call.args) if (a.kind === 'pos') entries.add(rangeKey(a.value.r));
  }
  SEQUENTIAL_ENTRIES.set(statement, entries);
  return entries;
}

/** A loop's hint and the statements of its body whose values it shows (they get none of their own). */
function loopHint(report: LoopReport, loop: ForStmt, lines: readonly string[]): { readonly hint: HintData; readonly covered: ReadonlySet<string> } | undefined {
  const names = [...new Set(report.iterations.flatMap((it) => it.filter((v) => holdsTensor(v.value)).map((v) => v.name)))];
  if (names.length === 0) return undefined;
  const perName = names.map((name) => ({ name, values: report.iterations.map((it) => it.find((v) => v.name === name)?.value ?? { kind: 'unknown' as const, reason: `${name} is not set` }) }));
  const label = perName.map(({ name, values }) => `${names.length > 1 ? `${name}: ` : ''}${sequenceLabel(values.map(formatValue))}`).join('; ');
  const tooltip = perName.map(({ name, values }) => tooltipFor(`${name} after each iteration`, values, report.assumed)).join('\n');
  return { hint: { position: loopAnchor(loop, lines), label: `→ ${label}${report.assumed ? ' (assumed)' : ''}`, tooltip, kind: 'loop' }, covered: lastAssignments(loop, new Set(names)) };
}

/** The hint of a statement from the values it produced (every run of it), if it shows something new. */
function statementHint(stmt: Stmt, group: readonly StatementReport[]): HintData | undefined {
  const value = valueExpr(stmt);
  if (!value || (stmt.k !== 'aug' && NOTHING_NEW.has(value.k))) return undefined;
  const values = group.map((s) => s.value);
  const anyTensor = values.some(holdsTensor);
  const unknownResult = stmt.k !== 'expr' && COMPUTES.has(value.k) && values.every((v) => v.kind === 'unknown');
  if (!anyTensor && !unknownResult) return undefined;
  const assumed = group.find((s) => s.assumed)?.assumed;
  const what = stmt.k === 'return' ? 'returns' : stmt.k === 'expr' ? 'value' : 'new value';
  return { position: stmt.r.end, label: statementLabel(values.map(formatValue), assumed !== undefined), tooltip: tooltipFor(what, values, assumed), kind: 'statement' };
}

/** Hints by the report they show (a loop's, a statement group's first, an entry's module), with the objects they were made from. */
const LOOP_HINTS = new RenderedBy<ReturnType<typeof loopHint>>();
const STATEMENT_HINTS = new RenderedBy<HintData | undefined>(sameItems);
const ENTRY_HINTS = new RenderedBy<HintData | undefined>(sameItems);

/**
 * The hint of a statement group and of an `nn.Sequential` entry, with the top-level statement it was found in: a
 * model an edit did not touch keeps its groups' arrays and its entries (partGroups.ts, MODULE_SITES), so while that
 * statement is in the module its hint is taken again without looking the statement up.
 */
const GROUP_HINTS = new WeakMap<readonly StatementReport[], { readonly top: Stmt | undefined; readonly hint: HintData | undefined }>();
const KEPT_ENTRY_HINTS = new WeakMap<HintEntry, { readonly top: Stmt; readonly hint: HintData | undefined }>();

/** The hint of a group of statement reports (one statement's runs), if its statement shows something. */
function groupHint(module: Module, key: string, group: readonly StatementReport[]): HintData | undefined {
  const kept = GROUP_HINTS.get(group);
  if (kept?.top && isTopLevelOf(module, kept.top)) return kept.hint;
  const top = topLevelStatementAt(module, group[0]!.range);
  const stmt = top && statementIndex(top).statements.get(key);
  const hint = stmt && STATEMENT_HINTS.get(group[0]!, [stmt, group], () => statementHint(stmt, group));
  GROUP_HINTS.set(group, { top, hint });
  return hint;
}

function entryHint(entry: HintEntry): HintData {
  const texts = entry.calls.map((c) => formatShape(c.output));
  return { position: entry.range.end, label: statementLabel(texts, false), tooltip: `${entry.report.type} ${entry.report.path}: ${countedList(texts)}`, kind: 'entry' };
}

export function documentHints(input: HintInputs): HintData[] {
  const hints: HintData[] = [];
  const covered = new Set<string>();

  for (const report of input.loops) {
    const found = statementAt(input.module, report.range);
    if (found?.k !== 'for') continue;
    const loop = found;
    const hint = LOOP_HINTS.get(report, [loop], () => loopHint(report, loop, input.lines));
    if (!hint) continue;
    hints.push(hint.hint);
    for (const key of hint.covered) covered.add(key);
  }

  // forEach, not for-of: a for-of over a Map makes an entry array per group (a few thousand per keystroke).
  input.statements.forEach((group, key) => {
    if (covered.has(key)) return;
    const hint = groupHint(input.module, key, group);
    if (hint) hints.push(hint);
  });

  for (const entry of input.entries) {
    if (entry.calls.length === 0) continue;
    const kept = KEPT_ENTRY_HINTS.get(entry);
    if (kept && isTopLevelOf(input.module, kept.top)) {
      if (kept.hint) hints.push(kept.hint);
      continue;
    }
    const top = topLevelStatementAt(input.module, entry.range);
    if (!top) continue;
    const hint = sequentialEntries(top).has(rangeKey(entry.range)) ? ENTRY_HINTS.get(entry.report, [entry.range, entry.calls], () => entryHint(entry)) : undefined;
    KEPT_ENTRY_HINTS.set(entry, { top, hint });
    if (hint) hints.push(hint);
  }
  return hints.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}
