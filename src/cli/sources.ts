// What the CLI analyses: a Python file as it is, or a Jupyter notebook's code cells as one module (the
// core's notebook model), with positions reported back in the cell they are in: `"cell"` (1-based over
// all cells, as Jupyter numbers them) and a 1-based `"line"` inside that cell; as text, `nb.ipynb:cell 3:12:5`.
import type { CliIo } from './types';
import { readText } from './files';
import { notebookModule, toCellPosition, type NotebookModule } from '../core/notebook/cells';
import { readNotebook } from '../core/notebook/nbformat';

export interface SourceFile {
  /** The Python text the core analyses (a notebook's module). */
  readonly text: string;
  /** Set for a notebook: the map from module positions to cells. */
  readonly notebook?: NotebookModule;
}

/** A line of the analysed text as the user finds it: in a file, or in a notebook's cell. */
export interface SourceLine {
  /** 1-based over all cells; only for notebooks. */
  readonly cell?: number;
  /** 1-based, in the file or in the cell. */
  readonly line: number;
}

export const isNotebookPath = (path: string): boolean => path.toLowerCase().endsWith('.ipynb');

/**
 * Reads a file to analyse (one found in a folder the user named stays inside `root`). `{ error }` (one line)
 * when it cannot be read or is refused (too large, binary, not UTF-8, not a regular file), and for a notebook
 * that is not valid nbformat 4 JSON or not a Python notebook.
 */
export function readSource(io: CliIo, path: string, root?: string): SourceFile | { readonly error: string } {
  const read = readText(io, path, root);
  if ('error' in read) return read;
  const text = read.text;
  if (!isNotebookPath(path)) return { text };
  const file = readNotebook(text);
  if ('error' in file) return file;
  if (file.language.toLowerCase() !== 'python') return { error: `the notebook's kernel language is ${file.language}: only Python notebooks are analysed` };
  const notebook = notebookModule(file.cells);
  return { text: notebook.text, notebook };
}

/** A 1-based line (and column) of the analysed text, in its file or cell. A line outside every cell (none expected) stays as it is. */
export function sourceLine(source: SourceFile, line: number, column = 1): SourceLine & { readonly column: number } {
  const inCell = source.notebook && toCellPosition(source.notebook, { line: line - 1, character: column - 1 });
  return inCell ? { cell: inCell.cell + 1, line: inCell.line + 1, column: inCell.character + 1 } : { line, column };
}

/** `file:12:5`, or `nb.ipynb:cell 3:12:5` in a notebook (1-based line and column). */
export function locationText(file: string, source: SourceFile, line: number, column?: number): string {
  const at = sourceLine(source, line, column);
  const lineAndColumn = `${at.line}${column !== undefined ? `:${at.column}` : ''}`;
  return at.cell !== undefined ? `${file}:cell ${at.cell}:${lineAndColumn}` : `${file}:${lineAndColumn}`;
}
