// The file's text with position helpers the rules need to build quick fixes (text of a range, the
// indentation of a line) and the parse into the typed AST of src/core/python.
import { LineIndex } from '../python/convert';
import { parseModule as parsePython } from '../python/parse';
import type { Module, Range } from '../python/ast';

export interface Position {
  readonly line: number;
  readonly character: number;
}

export class SourceText {
  private lineIndex: LineIndex | undefined;
  private lineTexts: readonly string[] | undefined;

  /**
   * The line index and the lines are made when a rule first asks: after an edit the editor's checks reuse every
   * unit but one, and a 5,000-line file's lines were split and indexed again on each keystroke for nothing.
   */
  constructor(
    readonly text: string,
    /** The text's lines and line index when the caller has them (the editor's analysis has split and indexed it). */
    known?: { readonly lines?: readonly string[]; readonly lineIndex?: LineIndex },
  ) {
    this.lineIndex = known?.lineIndex;
    this.lineTexts = known?.lines;
  }

  get lines(): LineIndex {
    return (this.lineIndex ??= new LineIndex(this.text));
  }

  private get texts(): readonly string[] {
    return (this.lineTexts ??= this.text.split('\n'));
  }

  offsetAt(position: Position): number {
    return this.lines.lineStart(position.line) + position.character;
  }

  textOf(range: Range): string {
    return this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }

  lineText(line: number): string {
    return this.texts[line] ?? '';
  }

  indentOf(line: number): string {
    return /^[ \t]*/.exec(this.lineText(line))?.[0] ?? '';
  }

  get lineCount(): number {
    return this.texts.length;
  }
}

/** Parses a document once with the core's Python front end (src/core/python/parse.ts). */
export function parseModule(source: SourceText): Module {
  return parsePython(source.text);
}

export const comparePositions = (a: Position, b: Position): number => a.line - b.line || a.character - b.character;

export const rangeContains = (outer: Range, inner: Range): boolean =>
  comparePositions(outer.start, inner.start) <= 0 && comparePositions(inner.end, outer.end) <= 0;

export const pointRange = (position: Position): Range => ({ start: position, end: position });
