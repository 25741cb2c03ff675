// Reads a Jupyter notebook file (nbformat 4.0–4.5 JSON) into its cells. Outputs, attachments, execution
// counts and metadata are read past; only each cell's kind and source matter to the analysis. A file
// that is not such a notebook gets one line saying what is wrong, never an exception.
import type { ICell, INotebookContent, MultilineString } from '@jupyterlab/nbformat';
import type { NotebookCellSource } from './cells';

export interface NotebookFile {
  /** Every cell in document order, markdown and raw included (so cell numbers match Jupyter's). */
  readonly cells: readonly NotebookCellSource[];
  /** The kernel's language as the notebook writes it (`python` when it does not say). */
  readonly language: string;
  /** `4.5` and the like. */
  readonly version: string;
}

const CELL_KINDS: Readonly<Record<string, NotebookCellSource['kind']>> = { code: 'code', markdown: 'markup', raw: 'markup' };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** nbformat stores text as one string or as a list of lines that keep their newlines. */
function multilineText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((line) => typeof line === 'string')) return (value as MultilineString as string[]).join('');
  return undefined;
}

function kernelLanguage(metadata: unknown): string {
  if (!isObject(metadata)) return 'python';
  const kernelspec = metadata['kernelspec'];
  const languageInfo = metadata['language_info'];
  const language = (isObject(kernelspec) && kernelspec['language']) || (isObject(languageInfo) && languageInfo['name']);
  return typeof language === 'string' && language.length > 0 ? language : 'python';
}

function readCell(raw: unknown, index: number): NotebookCellSource | string {
  const where = `cell ${index + 1}`;
  if (!isObject(raw)) return `${where} is not an object`;
  const cell = raw as Partial<ICell>;
  const kind = typeof cell.cell_type === 'string' ? CELL_KINDS[cell.cell_type] : undefined;
  if (!kind) return `${where} has cell_type ${JSON.stringify(cell.cell_type ?? null)} (expected code, markdown or raw)`;
  const source = multilineText(cell.source);
  if (source === undefined) return `${where} has no text source`;
  return { kind, source };
}

/** Parses a `.ipynb` file's text. Never throws: a malformed notebook gives `{ error }` in one line. */
export function readNotebook(text: string): NotebookFile | { readonly error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { error: `not a notebook: the file is not valid JSON (${(e instanceof Error ? e.message : String(e)).split('\n')[0]})` };
  }
  if (!isObject(json)) return { error: 'not a notebook: the JSON is not an object' };
  const notebook = json as Partial<INotebookContent> & { worksheets?: unknown };
  const major = notebook.nbformat;
  if (typeof major !== 'number') return { error: 'not a notebook: no nbformat version' };
  if (major < 4 || notebook.worksheets !== undefined) {
    return { error: `nbformat ${major} notebooks are not supported; convert it with: jupyter nbconvert --to notebook --nbformat 4` };
  }
  if (major > 4) return { error: `nbformat ${major} is newer than this reader (it reads 4.0–4.5)` };
  const minor = typeof notebook.nbformat_minor === 'number' ? notebook.nbformat_minor : 0;
  if (!Array.isArray(notebook.cells)) return { error: 'not a notebook: no list of cells' };
  const cells: NotebookCellSource[] = [];
  for (const [index, raw] of notebook.cells.entries()) {
    const cell = readCell(raw, index);
    if (typeof cell === 'string') return { error: `malformed notebook: ${cell}` };
    cells.push(cell);
  }
  return { cells, language: kernelLanguage(notebook.metadata), version: `${major}.${minor}` };
}
