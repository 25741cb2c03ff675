// IPython's syntax in a notebook cell made into plain Python, line for line: a cell keeps its line count
// and every Python line keeps its characters, so a position in the rewritten text is a position in the
// cell. What IPython runs but Python cannot parse (`%magic`, `%%cell magic`, `!shell`, `?help`,
// `x = !cmd`, autocall escapes) becomes `pass` or an unknown value; a cell magic whose body is not
// Python (`%%bash`, `%%writefile`) becomes blank lines; `%time stmt` keeps its statement (`if 1: stmt`, the
// same length), since IPython runs it. The rules follow IPython's input transformers
// (IPython.core.inputtransformer2): escapes count only at the start of a logical line.

/** Why a line of a cell was rewritten. */
export type RewriteKind = 'line-magic' | 'timed-statement' | 'cell-magic' | 'foreign-cell' | 'shell' | 'help' | 'autocall' | 'magic-assignment';

export interface CellRewrite {
  /** 0-based line of the cell. */
  readonly line: number;
  readonly kind: RewriteKind;
}

export interface PythonCell {
  /** The cell as Python, with as many lines as the cell. */
  readonly text: string;
  /** Characters removed from the start of each line: IPython dedents a cell whose first line is indented. */
  readonly dedent: number;
  readonly rewrites: readonly CellRewrite[];
}

/** Cell magics whose body IPython runs as Python in the notebook's namespace. */
const PYTHON_BODY_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug', 'memit']);

/** Line magics that run the Python statement after them in the notebook's namespace (`%time y = f(x)`). */
const STATEMENT_LINE_MAGICS = /^(\s*)%(?:time|timeit|prun)(\s+)(?=[^\s-])/;

/**
 * `%time y = f(x)` as `if 1: y = f(x)`, the statement at the same columns (the magic and its spaces are at
 * least six characters, as `if 1: ` is); undefined when the line does not end the statement (open
 * brackets or string, a backslash), where IPython's own reading would differ.
 */
function timedStatement(line: string): string | undefined {
  const match = STATEMENT_LINE_MAGICS.exec(line);
  if (!match) return undefined;
  const state = freshState();
  scanLine(line.slice(match[0].length), state);
  if (!atLogicalStart(state)) return undefined;
  const width = match[0].length - match[1]!.length;
  return `${match[1]}if${' '.repeat(width - 5)}1: ${line.slice(match[0].length)}`;
}

/** What IPython turns `x = !cmd` / `x = %magic` into; the interpreter reads it as an unknown value. */
const MAGIC_VALUE = 'get_ipython()';

const OPENERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS = new Set([')', ']', '}']);

/** Where the scan stands at the end of a line: inside a string, inside brackets, continued by a backslash. */
interface ScanState {
  /** The open string's quote (`'`, `"`, `'''`, `"""`), if any. */
  quote?: string;
  readonly brackets: string[];
  continued: boolean;
}

/**
 * Scans one line of Python for strings, comments and brackets, updating the state; `visit` sees each
 * character outside strings and comments with the bracket depth before it, and may stop the scan.
 * Returns the comment's start, if any.
 */
function scanLine(line: string, state: ScanState, visit?: (index: number, depth: number) => boolean | void): number | undefined {
  state.continued = false;
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (state.quote) {
      if (ch === '\\') {
        if (i === line.length - 1) state.continued = true;
        i += 2;
      } else if (line.startsWith(state.quote, i)) {
        i += state.quote.length;
        state.quote = undefined;
      } else i++;
      continue;
    }
    if (ch === '#') return i;
    if (visit?.(i, state.brackets.length)) return undefined;
    if (ch === '"' || ch === "'") {
      const triple = ch.repeat(3);
      state.quote = line.startsWith(triple, i) ? triple : ch;
      i += state.quote.length;
      continue;
    }
    if (ch in OPENERS) state.brackets.push(OPENERS[ch]!);
    else if (CLOSERS.has(ch) && state.brackets[state.brackets.length - 1] === ch) state.brackets.pop();
    else if (ch === '\\' && i === line.length - 1) state.continued = true;
    i++;
  }
  // A single-quoted string ends at the line's end unless a backslash continues it.
  if (state.quote && state.quote.length === 1 && !state.continued) state.quote = undefined;
  return undefined;
}

const freshState = (): ScanState => ({ brackets: [], continued: false });
const atLogicalStart = (state: ScanState): boolean => !state.quote && state.brackets.length === 0 && !state.continued;

/** Characters that make an `=` part of another operator (`==`, `<=`, `!=`, `+=`, `:=`, ...) when they precede it. */
const OPERATOR_BEFORE_EQUALS = new Set([...'=<>!+-*/%&|^@:~']);

/**
 * `x = !ls` / `a, b = %magic args`: the index of the `=` whose value is an IPython escape (IPython's
 * MagicAssign and SystemAssign: the first `=` outside brackets, then `%` or `!`).
 */
function escapedAssignment(line: string): number | undefined {
  let found: number | undefined;
  scanLine(line, freshState(), (i, depth) => {
    if (depth > 0 || line[i] !== '=') return false;
    if (line[i + 1] === '=' || OPERATOR_BEFORE_EQUALS.has(line[i - 1] ?? '')) return false;
    found = i;
    return true;
  });
  if (found === undefined) return undefined;
  const value = line.slice(found + 1).trimStart();
  return /^[%!]/.test(value) && !value.startsWith('!=') ? found : undefined;
}

/** The part of a line before its comment, without trailing blanks. */
function codeOf(line: string): string {
  const comment = scanLine(line, freshState());
  return (comment === undefined ? line : line.slice(0, comment)).trimEnd();
}

/** How IPython reads a logical line that starts here, when it is not Python. */
function escapeKind(line: string): RewriteKind | undefined {
  const body = line.trimStart();
  if (body.startsWith('%')) return 'line-magic';
  if (body.startsWith('!')) return 'shell';
  if (body.startsWith('?')) return 'help';
  if (body.startsWith('/') || body.startsWith(',') || body.startsWith(';')) return 'autocall';
  if (escapedAssignment(line) !== undefined) return 'magic-assignment';
  if (codeOf(body).endsWith('?')) return 'help';
  return undefined;
}

/** IPython's `leading_indent` cleanup: the first non-blank line's indentation, removed from every line that has it. */
function leadingIndent(lines: readonly string[]): string {
  const first = lines.find((l) => l.trim().length > 0);
  return first ? /^[ \t]*/.exec(first)![0] : '';
}

/** The cell magic's name when the cell's first non-blank line is `%%name ...`. */
function cellMagic(lines: readonly string[]): { line: number; name: string } | undefined {
  const index = lines.findIndex((l) => l.trim().length > 0);
  const match = index >= 0 ? /^\s*%%(\w+)/.exec(lines[index]!) : null;
  return match ? { line: index, name: match[1]! } : undefined;
}

/** Rewrites one code cell's source as Python with the same lines (see the file comment). Never throws. */
export function pythonFromCell(source: string): PythonCell {
  const original = source.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const indent = leadingIndent(original);
  const lines = original.map((l) => (indent && l.startsWith(indent) ? l.slice(indent.length) : l));
  const rewrites: CellRewrite[] = [];
  const magic = cellMagic(lines);
  if (magic && !PYTHON_BODY_CELL_MAGICS.has(magic.name)) {
    return { text: lines.map(() => '').join('\n'), dedent: indent.length, rewrites: lines.map((_, line) => ({ line, kind: 'foreign-cell' as const })) };
  }
  const out = [...lines];
  const state = freshState();
  // The escape whose line ended with a backslash: it carries on to the next line.
  let continuing: RewriteKind | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineIndent = /^\s*/.exec(line)![0];
    if (continuing) {
      out[i] = '';
      rewrites.push({ line: i, kind: continuing });
      if (!line.endsWith('\\')) continuing = undefined;
      continue;
    }
    if (magic && i === magic.line) {
      out[i] = `${lineIndent}pass`;
      rewrites.push({ line: i, kind: 'cell-magic' });
      continue;
    }
    const kind = atLogicalStart(state) ? escapeKind(line) : undefined;
    const timed = kind === 'line-magic' ? timedStatement(line) : undefined;
    if (timed !== undefined) {
      out[i] = timed;
      rewrites.push({ line: i, kind: 'timed-statement' });
      continue;
    }
    if (kind === 'magic-assignment') {
      const at = escapedAssignment(line)!;
      out[i] = `${line.slice(0, at + 1)} ${MAGIC_VALUE}`;
      rewrites.push({ line: i, kind: 'magic-assignment' });
      if (line.endsWith('\\')) continuing = 'magic-assignment';
      continue;
    }
    if (kind) {
      out[i] = `${lineIndent}pass`;
      rewrites.push({ line: i, kind });
      if (line.endsWith('\\')) continuing = kind;
      continue;
    }
    scanLine(line, state);
  }
  // A cell that ends inside a string or brackets, or on a backslash, must not swallow the next cell:
  // close what it left open at the end of its last line (Jupyter reports that cell's error alone).
  const last = out.length - 1;
  if (state.continued && out[last]!.endsWith('\\')) out[last] = `${out[last]!.slice(0, -1)} `;
  const closers = `${state.quote && state.quote.length === 3 ? state.quote : ''}${[...state.brackets].reverse().join('')}`;
  if (closers) out[last] = `${out[last]}${closers}`;
  return { text: out.join('\n'), dedent: indent.length, rewrites };
}
