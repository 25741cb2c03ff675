// Jupyter notebooks in the editor: a notebook's Python code cells are analysed as one module (the core's
// notebook model); these helpers find a cell's notebook, read its cells for the core, and turn a cell
// number back into the cell's document. No analysis here.
import * as vscode from 'vscode';
import type { NotebookCellSource } from '../core/notebook/cells';

/** The scheme of the text documents VS Code makes for notebook cells. */
export const NOTEBOOK_CELL_SCHEME = 'vscode-notebook-cell';

export const isNotebookCell = (document: vscode.TextDocument): boolean => document.uri.scheme === NOTEBOOK_CELL_SCHEME;

/** The open notebook that holds a cell document. */
export function notebookOfCell(document: vscode.TextDocument): vscode.NotebookDocument | undefined {
  const key = document.uri.toString();
  return vscode.workspace.notebookDocuments.find((notebook) => notebook.getCells().some((cell) => cell.document.uri.toString() === key));
}

const isPythonCode = (cell: vscode.NotebookCell): boolean => cell.kind === vscode.NotebookCellKind.Code && cell.document.languageId === 'python';

/** Every cell for the core, in order: Python code cells as code, everything else (markdown, other languages) as markup. */
export function notebookCells(notebook: vscode.NotebookDocument): NotebookCellSource[] {
  return notebook.getCells().map((cell) => ({ kind: isPythonCode(cell) ? 'code' : 'markup', source: cell.document.getText() }));
}

export const hasPythonCells = (notebook: vscode.NotebookDocument): boolean => notebook.getCells().some(isPythonCode);

/** Changes whenever the notebook's cells or any cell's text may have changed. */
export function notebookVersion(notebook: vscode.NotebookDocument): string {
  return `${notebook.version}:${notebook.getCells().map((cell) => `${cell.kind}${cell.document.languageId}${cell.document.version}`).join(',')}`;
}
