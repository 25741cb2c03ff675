// Quick-fix builders: every fix is a list of plain text edits on 0-based ranges.
import type { Range, Stmt } from '../python/ast';
import type { SourceText } from './source';
import type { QuickFix, TextEdit } from './types';

export const replace = (range: Range, newText: string): TextEdit => ({ range, newText });

/** The last line a statement really occupies (a block's range can end at column 0 of the next line). */
export const lastLineOf = (stmt: Stmt): number => (stmt.r.end.character === 0 && stmt.r.end.line > stmt.r.start.line ? stmt.r.end.line - 1 : stmt.r.end.line);

const at = (line: number, character: number): Range => ({ start: { line, character }, end: { line, character } });

/** Inserts `code` as a new line before `stmt`, with the statement's indentation. */
export function insertLineBefore(source: SourceText, stmt: Stmt, code: string): TextEdit {
  const indent = source.indentOf(stmt.r.start.line);
  return { range: at(stmt.r.start.line, 0), newText: `${indent}${code}\n` };
}

/** Inserts `code` as a new line after `stmt`, with the statement's indentation. */
export function insertLineAfter(source: SourceText, stmt: Stmt, code: string): TextEdit {
  const indent = source.indentOf(stmt.r.start.line);
  return { range: at(lastLineOf(stmt) + 1, 0), newText: `${indent}${code}\n` };
}

/** Deletes the whole lines a statement occupies. */
export function deleteStatementLines(stmt: Stmt): TextEdit {
  return { range: { start: { line: stmt.r.start.line, character: 0 }, end: { line: lastLineOf(stmt) + 1, character: 0 } }, newText: '' };
}

/** Wraps a statement in a new block header (`with torch.no_grad():`), indenting its non-blank lines by `unit`. */
export function wrapStatement(source: SourceText, stmt: Stmt, header: string, unit = '    '): TextEdit[] {
  const indent = source.indentOf(stmt.r.start.line);
  const edits: TextEdit[] = [{ range: at(stmt.r.start.line, 0), newText: `${indent}${header}\n${unit}` }];
  for (let line = stmt.r.start.line + 1; line <= lastLineOf(stmt); line++) {
    if (source.lineText(line).trim() !== '') edits.push({ range: at(line, 0), newText: unit });
  }
  return edits;
}

export const fix = (title: string, ...edits: TextEdit[]): QuickFix => ({ title, edits });

/** Applies edits to a text (ranges refer to the original text); used by tests and the CLI. */
export function applyEdits(text: string, edits: readonly TextEdit[], source: SourceText): string {
  const withOffsets = edits.map((e, index) => ({ index, from: source.offsetAt(e.range.start), to: source.offsetAt(e.range.end), text: e.newText }));
  // Right to left, so earlier offsets stay valid; edits at one offset keep their given order.
  withOffsets.sort((a, b) => b.from - a.from || b.to - a.to || b.index - a.index);
  let out = text;
  for (const e of withOffsets) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}
