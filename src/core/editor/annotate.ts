// `ml-notes annotate`: a document's inlay hints, exactly as the editor shows them, as trailing comments
// (`x = self.layer1(x)  # -> [1, 64, 56, 56]`) or as JSON. The hints come from analyzeForEditor, the
// same code that renders the editor's view. A notebook's hints are placed in their cells through its
// position map.
import type { HintData } from './hints';
import { toCellPosition, type NotebookModule } from '../notebook/cells';
import { pushTo } from '../groups';

export interface AnnotateHint {
  /** 1-based over all cells, as Jupyter numbers them; only in a notebook. */
  readonly cell?: number;
  /** 1-based, in the file or in the cell. */
  readonly line: number;
  /** 0-based. */
  readonly character: number;
  readonly label: string;
}

export interface AnnotateJson {
  readonly hints: readonly AnnotateHint[];
}

/** The JSON form: 1-based lines, 0-based characters, the hint's text as the editor shows it; `cell` in a notebook. */
export function annotateJson(hints: readonly HintData[], notebook?: NotebookModule): AnnotateJson {
  return {
    hints: hints.flatMap((h): AnnotateHint[] => {
      if (!notebook) return [{ line: h.position.line + 1, character: h.position.character, label: h.label }];
      const at = toCellPosition(notebook, h.position);
      return at ? [{ cell: at.cell + 1, line: at.line + 1, character: at.character, label: h.label }] : [];
    }),
  };
}

/** `→ [1, 64]` as a comment's text: `-> [1, 64]`. */
const commentText = (label: string): string => label.replace(/^→ /, '-> ');

/** Lines with each line's hints appended as one comment (`  # -> a; -> b`); other lines unchanged. */
function annotateLines(lines: readonly string[], labelsByLine: ReadonlyMap<number, readonly string[]>): string[] {
  return lines.map((line, i) => {
    const labels = labelsByLine.get(i);
    return labels ? `${line.trimEnd()}  # ${labels.map(commentText).join('; ')}` : line;
  });
}

function byLine(entries: readonly { line: number; label: string }[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const e of entries) pushTo(out, e.line, e.label);
  return out;
}

/** The file with each line's hints appended as one comment (`  # -> a; -> b`); other lines unchanged. */
export function annotateText(text: string, hints: readonly HintData[]): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return annotateLines(text.split(/\r?\n/), byLine(hints.map((h) => ({ line: h.position.line, label: h.label })))).join(eol);
}

/**
 * A notebook (its .ipynb JSON text) with each code cell's hints as trailing comments in that cell, the
 * rest of the notebook as it was; undefined when the text is not notebook JSON.
 */
export function annotateNotebook(notebookJson: string, notebook: NotebookModule, hints: readonly HintData[]): string | undefined {
  let parsed: { cells?: { cell_type?: string; source?: string | string[] }[] };
  try {
    parsed = JSON.parse(notebookJson) as typeof parsed;
  } catch {
    return undefined;
  }
  const cells = parsed.cells;
  if (!Array.isArray(cells)) return undefined;
  const placed = annotateJson(hints, notebook).hints;
  cells.forEach((cell, index) => {
    const here = placed.filter((h) => h.cell === index + 1);
    if (here.length === 0 || cell.source === undefined) return;
    const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    const lines = annotateLines(source.split('\n'), byLine(here.map((h) => ({ line: h.line - 1, label: h.label }))));
    // nbformat's list form keeps each line's newline; the last line has none.
    cell.source = Array.isArray(cell.source) ? lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l)).filter((l, i) => i < lines.length - 1 || l !== '') : lines.join('\n');
  });
  return `${JSON.stringify(parsed, null, 1)}\n`;
}
