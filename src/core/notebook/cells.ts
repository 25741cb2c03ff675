// A notebook is one program: its code cells, in document order, form one Python module, and a position
// map leads from the module back to (cell, line, character) and from a cell to the module. Each cell's
// lines follow the previous cell's, character for character (IPython's syntax is rewritten line for
// line, see ipython.ts), so the map is a line offset per cell and a dedent for cells IPython dedents.
import type { Range } from '../values';
import type { Position } from '../ranges';
import { pythonFromCell, type CellRewrite } from './ipython';

/** One cell as the notebook holds it; only `code` cells are Python (the caller decides for other languages). */
export interface NotebookCellSource {
  readonly kind: 'code' | 'markup';
  readonly source: string;
}

/** Where one code cell sits in the module. */
export interface CellSpan {
  /** The cell's index among all the notebook's cells, markdown included (0-based; Jupyter numbers from 1). */
  readonly cell: number;
  /** The module line of the cell's first line. */
  readonly firstLine: number;
  readonly lineCount: number;
  /** Characters IPython removes from the start of each line of this cell (a cell typed indented). */
  readonly dedent: number;
  /** Lines holding IPython syntax, rewritten as Python (or blanked) in the module. */
  readonly rewrites: readonly CellRewrite[];
}

export interface NotebookModule {
  /** The code cells as one Python module. */
  readonly text: string;
  /** The code cells in document order. */
  readonly cells: readonly CellSpan[];
}

export interface CellPosition extends Position {
  /** The cell's index among all cells (0-based). */
  readonly cell: number;
}

/** Joins the code cells, in order, into one module with its position map. Markdown and raw cells add nothing. */
export function notebookModule(cells: readonly NotebookCellSource[]): NotebookModule {
  const texts: string[] = [];
  const spans: CellSpan[] = [];
  let firstLine = 0;
  cells.forEach((cell, index) => {
    if (cell.kind !== 'code') return;
    const python = pythonFromCell(cell.source);
    const lineCount = python.text.split('\n').length;
    texts.push(python.text);
    spans.push({ cell: index, firstLine, lineCount, dedent: python.dedent, rewrites: python.rewrites });
    firstLine += lineCount;
  });
  return { text: texts.join('\n'), cells: spans };
}

/** The span of the code cell holding a module line, if any. */
export function spanOfLine(notebook: NotebookModule, line: number): CellSpan | undefined {
  let lo = 0;
  let hi = notebook.cells.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const span = notebook.cells[mid]!;
    if (line < span.firstLine) hi = mid - 1;
    else if (line >= span.firstLine + span.lineCount) lo = mid + 1;
    else return span;
  }
  return undefined;
}

/** The span of a cell by its index among all cells, if it is a code cell of the module. */
export function spanOfCell(notebook: NotebookModule, cell: number): CellSpan | undefined {
  return notebook.cells.find((s) => s.cell === cell);
}

/** A module position as (cell, line, character) in that cell. */
export function toCellPosition(notebook: NotebookModule, position: Position): CellPosition | undefined {
  const span = spanOfLine(notebook, position.line);
  if (!span) return undefined;
  return { cell: span.cell, line: position.line - span.firstLine, character: position.character + span.dedent };
}

/** A position in a cell as a module position; undefined for a cell that is not in the module. */
export function toModulePosition(notebook: NotebookModule, cell: number, position: Position): Position | undefined {
  const span = spanOfCell(notebook, cell);
  if (!span || position.line < 0 || position.line >= span.lineCount) return undefined;
  return { line: span.firstLine + position.line, character: Math.max(0, position.character - span.dedent) };
}

/**
 * A module range as a range of the cell its start is in. A range that runs into a later cell (never the
 * case for a construct Python parses, since every cell is closed) is cut at the end of its first cell.
 */
export function toCellRange(notebook: NotebookModule, range: Range): { readonly cell: number; readonly range: Range } | undefined {
  const span = spanOfLine(notebook, range.start.line);
  if (!span) return undefined;
  const lastLine = span.firstLine + span.lineCount - 1;
  const end = range.end.line <= lastLine ? range.end : { line: lastLine, character: Number.MAX_SAFE_INTEGER };
  const at = (p: Position): Position => ({ line: p.line - span.firstLine, character: p.character + span.dedent });
  return { cell: span.cell, range: { start: at(range.start), end: at(end) } };
}
