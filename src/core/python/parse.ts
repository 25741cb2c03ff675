// Parses a Python document into the typed AST, reusing the previous parse after an edit: lezer reuses
// unchanged tree fragments, and top-level statements whose text and position did not change reuse
// their converted AST.
import { parser } from '@lezer/python';
import { TreeFragment } from '@lezer/common';
import type { ChangedRange, Tree } from '@lezer/common';
import type { Module, Stmt } from './ast';
import { Converter, LineIndex, isStatementNode } from './convert';

/** One text edit in offsets of the previous text: [from, to) replaced by `insertedLength` characters. */
export interface TextEdit {
  readonly from: number;
  readonly to: number;
  readonly insertedLength: number;
}

export interface ParsedDocument {
  readonly text: string;
  readonly tree: Tree;
  readonly module: Module;
  readonly lines: LineIndex;
  /** Converted top-level statements keyed by position and text, reused by the next parse. */
  readonly statementCache: ReadonlyMap<string, readonly Stmt[]>;
}

export interface PreviousParse {
  readonly tree: Tree;
  readonly text: string;
  readonly statementCache?: ReadonlyMap<string, readonly Stmt[]>;
}

/** The single edit that turns `before` into `after` (common prefix and suffix). */
export function diffEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { from: prefix, to: before.length - suffix, insertedLength: after.length - suffix - prefix };
}

function toChangedRanges(edits: readonly TextEdit[]): ChangedRange[] {
  let shift = 0;
  return edits.map((e) => {
    const range = { fromA: e.from, toA: e.to, fromB: e.from + shift, toB: e.from + shift + e.insertedLength };
    shift += e.insertedLength - (e.to - e.from);
    return range;
  });
}

/**
 * The text the lezer tokenizer reads. Its Python grammar splits float literals that end in a dot (`0.`,
 * `2.`, `1.e-3`) into an int and an attribute access; writing a digit over the dot keeps every offset and
 * lets it read one number, whose value the converter then takes from the original text.
 */
export function tokenizerText(text: string): string {
  // The look-behind keeps identifiers (`layer1.e`) and attribute chains out; the look-ahead admits an
  // exponent or anything that cannot continue a name. One start per digit run keeps this linear.
  return text.replace(/(?<![\w.])(\d[\d_]*)\.(?=[eE][+-]?\d|[^\w.]|$)/g, '$10');
}

/** Parses `text`; with `previous` (and optionally the edits from it), reparses incrementally. Never throws. */
export function parseDocument(text: string, previous?: PreviousParse, edits?: readonly TextEdit[]): ParsedDocument {
  let tree: Tree;
  try {
    if (previous) {
      const changes = edits ?? [diffEdit(previous.text, text)].filter((e): e is TextEdit => e !== undefined);
      const fragments = TreeFragment.applyChanges(TreeFragment.addTree(previous.tree), toChangedRanges(changes));
      tree = parser.parse(tokenizerText(text), fragments);
    } else tree = parser.parse(tokenizerText(text));
  } catch {
    tree = parser.parse('');
  }
  const lines = new LineIndex(text);
  const converter = new Converter(text, lines);
  const cache = new Map<string, readonly Stmt[]>();
  const body: Stmt[] = [];
  for (let node = tree.topNode.firstChild; node; node = node.nextSibling) {
    if (!isStatementNode(node.name)) continue;
    // Keyed by line/character (not offset): ranges are line-based, so an edit that keeps line numbers
    // leaves every other statement's AST valid.
    const start = lines.position(node.from);
    const key = `${start.line}:${start.character}:${text.slice(node.from, node.to)}`;
    const statements = previous?.statementCache?.get(key) ?? converter.statement(node);
    cache.set(key, statements);
    body.push(...statements);
  }
  return { text, tree, module: { body }, lines, statementCache: cache };
}

/** Parses once without reuse: the simple entry for tests and one-off analyses. */
export function parseModule(text: string): Module {
  return parseDocument(text).module;
}
