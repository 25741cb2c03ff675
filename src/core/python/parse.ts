// Parses a Python document into the typed AST, reusing the previous parse after an edit: lezer reuses
// unchanged tree fragments, and top-level statements whose text and position did not change reuse
// their converted AST.
import { parser } from '@lezer/python';
import { TreeFragment } from '@lezer/common';
import type { ChangedRange, SyntaxNode, Tree } from '@lezer/common';
import type { LRParser } from '@lezer/lr';
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
  /** Converted top-level statements by position and length, with where their text is, reused by the next parse. */
  readonly statementCache: ReadonlyMap<string, CachedStatements>;
  /** The text had code nested past MAX_BRACKET_DEPTH, blanked before parsing (false when none was). */
  readonly blanked?: boolean;
  /** Set when the deadline passed first: the module holds the statements before this 0-based line only. */
  readonly stoppedAtLine?: number;
}

/**
 * Converted top-level statements and where their text starts in the text of the parse that holds them (an offset,
 * not a copy: a slice would keep that version's whole text alive while the statement stays unchanged).
 */
export interface CachedStatements {
  readonly from: number;
  readonly statements: readonly Stmt[];
}

export interface PreviousParse {
  readonly tree: Tree;
  readonly text: string;
  /** The line index of `text` (made again from the text when not given). */
  readonly lines?: LineIndex;
  readonly statementCache?: ReadonlyMap<string, CachedStatements>;
  /** Whether limitNesting blanked part of `text` (computed again when not given). */
  readonly blanked?: boolean;
}

/** Characters compared at once while looking for the common prefix and suffix (string comparison, not a loop per character). */
const DIFF_CHUNK = 256;

/** The single edit that turns `before` into `after` (common prefix and suffix). */
export function diffEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix + DIFF_CHUNK <= max && before.slice(prefix, prefix + DIFF_CHUNK) === after.slice(prefix, prefix + DIFF_CHUNK)) prefix += DIFF_CHUNK;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix + DIFF_CHUNK <= max - prefix && before.slice(before.length - suffix - DIFF_CHUNK, before.length - suffix) === after.slice(after.length - suffix - DIFF_CHUNK, after.length - suffix)) suffix += DIFF_CHUNK;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { from: prefix, to: before.length - suffix, insertedLength: after.length - suffix - prefix };
}

/**
 * Where the text at [from, to) of the new text starts in the previous text, when no change touched it (it lies wholly
 * before or after each change); undefined when one did.
 */
function unchangedOrigin(changes: readonly ChangedRange[], from: number, to: number): number | undefined {
  let shift = 0;
  for (const change of changes) {
    if (to <= change.fromB) break;
    if (from < change.toB) return undefined;
    shift = change.toA - change.toB;
  }
  return from + shift;
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

const PARSE_SHARE = 0.5;

/**
 * The text lezer reads: the tokenizer's text with a line break added at the end when it has none. After an edit of a
 * text without a final line break, lezer's reuse of the previous tree differed from a fresh parse in 219 of 1,187
 * one-space edits of the 43 such files among 639 of ten public repositories (a class then ran to the end of the file,
 * swallowing the classes after it); with the break added, in none. The break is after every character of the text, so
 * no offset moves; a node ending at it is clamped to the text's end by LineIndex.
 */
function lezerInput(parsedText: string): string {
  const input = tokenizerText(parsedText);
  return input.endsWith('\n') ? input : `${input}\n`;
}

/** Characters lezerInput added after the text. */
const addedBreak = (text: string): number => (text.endsWith('\n') ? 0 : 1);

/**
 * The changes between the previous and the new lezer inputs: the text's changes, and the added line break at the end
 * where either input has one (a change there, so lezer reuses no node that ended at the previous input's end).
 */
function lezerChanges(changes: readonly ChangedRange[], before: string, after: string): readonly ChangedRange[] {
  const [addedBefore, addedAfter] = [addedBreak(before), addedBreak(after)];
  if (addedBefore === 0 && addedAfter === 0) return changes;
  const last = changes[changes.length - 1];
  if (last && last.toA >= before.length) return [...changes.slice(0, -1), { ...last, toA: before.length + addedBefore, toB: after.length + addedAfter }];
  return [...changes, { fromA: before.length, toA: before.length + addedBefore, fromB: after.length, toB: after.length + addedAfter }];
}

/**
 * CPython refuses more than 200 nested brackets ("too many nested parentheses"), and lezer's error recovery
 * can spend hundreds of milliseconds in one step on thousands of them. Code nested deeper is blanked (same
 * length, newlines kept) before parsing, so it parses as the unclosed code Python would reject.
 */
export const MAX_BRACKET_DEPTH = 200;


/** The text with every part nested past MAX_BRACKET_DEPTH (outside strings and comments) blanked; the same string when none is. */
export function limitNesting(text: string): string {
  // Character codes, not one-character strings: this runs on every parse, and a 50,000-line file's text took
  // 300 ms with string comparisons, the whole parse budget of the editor's first answer.
  let depth = 0;
  let out: string[] | undefined;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === HASH) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? length : end - 1;
      continue;
    }
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      const quoteLength = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c ? 3 : 1;
      let j = i + quoteLength;
      for (; j < length; j++) {
        const d = text.charCodeAt(j);
        if (d === BACKSLASH) j++;
        else if (d === c && (quoteLength === 1 || (text.charCodeAt(j + 1) === c && text.charCodeAt(j + 2) === c))) break;
        else if (quoteLength === 1 && d === NEWLINE) break;
      }
      if (depth > MAX_BRACKET_DEPTH && out) for (let k = i; k <= Math.min(j + quoteLength - 1, length - 1); k++) if (out[k] !== '\n') out[k] = ' ';
      i = j + quoteLength - 1;
      continue;
    }
    if (c === OPEN_PAREN || c === OPEN_BRACKET || c === OPEN_BRACE) depth++;
    if (depth > MAX_BRACKET_DEPTH) {
      out ??= [...text];
      if (c !== NEWLINE) out[i] = ' ';
    }
    if ((c === CLOSE_PAREN || c === CLOSE_BRACKET || c === CLOSE_BRACE) && depth > 0) depth--;
  }
  return out ? out.join('') : text;
}

const [HASH, DOUBLE_QUOTE, SINGLE_QUOTE, BACKSLASH, NEWLINE] = ['#', '"', "'", '\\', '\n'].map((ch) => ch.charCodeAt(0)) as [number, number, number, number, number];
const [OPEN_PAREN, OPEN_BRACKET, OPEN_BRACE, CLOSE_PAREN, CLOSE_BRACKET, CLOSE_BRACE] = [...'([{)]}'].map((ch) => ch.charCodeAt(0)) as [number, number, number, number, number, number];

/**
 * The most nodes lezer packs into one of its tree's buffers (its default is 1,024). An incremental parse reuses whole
 * buffers only: with the default, one buffer spans several top-level statements (up to ~100 lines), and a one-line
 * edit parsed them all again (~1.1 of the ~1.4 ms a small file's keystroke spent parsing). With 256 the parse after a
 * one-line edit takes ~0.3 ms; a first parse of the 5k bench file ~4% longer (more, smaller buffers), 128 ~8%.
 * A fresh parse's nodes are the same whatever the packing, and so is a parse after an edit of code without syntax
 * errors (around an error, lezer's recovery next to reused nodes can differ from a fresh parse's with any packing).
 */
const BUFFER_LENGTH = 256;

/**
 * The grammar's parser with that packing, set on first use (the CLI bundle decodes the grammar then too). The field
 * is set on @lezer/python's own parser, not on a `parser.configure()` copy: lezer makes that copy with
 * Object.assign onto a bare object, and V8 ran a fresh parse of the 5k bench file through it ~25% slower (median
 * 81-96 -> 113-133 ms, with the default packing too), while the packing alone costs the ~4-5% above.
 */
function pythonParser(): LRParser {
  const shared = parser as LRParser & { bufferLength: number };
  if (shared.bufferLength !== BUFFER_LENGTH) shared.bufferLength = BUFFER_LENGTH;
  return shared;
}

/** Runs lezer until done or until `deadline` (a Date.now() time), then stops where it got to. */
function parseUntil(text: string, fragments: readonly TreeFragment[] | undefined, deadline: number | undefined): Tree {
  const parse = pythonParser().startParse(text, fragments);
  for (;;) {
    const tree = parse.advance();
    if (tree) return tree;
    if (deadline !== undefined && Date.now() > deadline && parse.stoppedAt === null) parse.stopAt(parse.parsedPos);
  }
}

/**
 * Parses `text`; with `previous` (and optionally the edits from it), reparses incrementally. With a
 * `deadline`, parsing and conversion stop when it passes, keeping the statements before (`stoppedAtLine`).
 * Never throws.
 */
export function parseDocument(text: string, previous?: PreviousParse, edits?: readonly TextEdit[], deadline?: number): ParsedDocument {
  let tree: Tree;
  // lezer gets PARSE_SHARE of the time left, so the part it parsed can still be converted before the deadline.
  const parseDeadline = deadline === undefined ? undefined : Date.now() + PARSE_SHARE * Math.max(0, deadline - Date.now());
  const edit = previous && !edits ? diffEdit(previous.text, text) : undefined;
  // limitNesting's scan reads brackets, quotes, comments and line breaks only: an edit that changes none of them (a
  // number, a name) nests nothing deeper than the previous text, which nested nothing too deep.
  const parsedText = previous?.blanked === false && !edits && (edit === undefined || leavesNestingAlone(previous.text, text, edit)) ? text : limitNesting(text);
  const blanked = parsedText !== text;
  // Blanked text differs from the previous parse's far from any edit, so it is parsed from scratch.
  const reuse = previous !== undefined && !blanked && !(previous.blanked ?? limitNesting(previous.text) !== previous.text);
  try {
    if (previous && reuse) {
      const changes = edits ?? (edit ? [edit] : []);
      const fragments = TreeFragment.applyChanges(TreeFragment.addTree(previous.tree), lezerChanges(toChangedRanges(changes), previous.text, text));
      tree = parseUntil(lezerInput(parsedText), fragments, parseDeadline);
    } else tree = parseUntil(lezerInput(parsedText), undefined, parseDeadline);
  } catch {
    tree = pythonParser().parse('');
  }
  // The changes in offsets of both texts, when this parse reuses the previous one's statements.
  const changed = previous && reuse ? toChangedRanges(edits ?? (edit ? [edit] : [])) : undefined;
  const lines = previous?.lines && reuse && edit && !edits ? LineIndex.afterEdit(previous.lines, text, edit) : new LineIndex(text);
  const converter = new Converter(parsedText, lines);
  const cache = new Map<string, CachedStatements>();
  // A statement's entry is found by its position and length and taken when its text is the same: known without
  // comparing when no change touched the statement's text and the entry's text is where that text was.
  const cachedAt = (key: string, from: number, to: number): readonly Stmt[] | undefined => {
    const entry = changed ? previous?.statementCache?.get(key) : undefined;
    if (!entry) return undefined;
    if (entry.from === unchangedOrigin(changed!, from, to)) return entry.statements;
    // Compared as slices (startsWith is several times slower on a long text).
    return parsedText.slice(from, to) === previous!.text.slice(entry.from, entry.from + to - from) ? entry.statements : undefined;
  };
  const body: Stmt[] = [];
  let stoppedAtLine: number | undefined = tree.length < text.length ? lines.position(tree.length).line : undefined;
  // A cursor walks the top-level statements without making a node object for each (the converter takes a node).
  const cursor = tree.cursor();
  if (cursor.firstChild()) {
    do {
      if (!isStatementNode(cursor.name)) continue;
      const from = cursor.from;
      const to = cursor.to;
      if (deadline !== undefined && Date.now() > deadline) {
        stoppedAtLine = lines.position(from).line;
        break;
      }
      // Keyed by line/character (not offset): ranges are line-based, so an edit that keeps line numbers
      // leaves every other statement's AST valid.
      const start = lines.position(from);
      const key = `${start.line}:${start.character}:${to - from}`;
      const cached = cachedAt(key, from, to);
      if (cached) {
        cache.set(key, { from, statements: cached });
        body.push(...cached);
        continue;
      }
      const node = cursor.node;
      if (hasError(node)) {
        const region = repairRegionEnd(parsedText, node);
        const last = region.last;
        const regionKey = `repair:${start.line}:${start.character}:${last.to - from}`;
        const repaired = cachedAt(regionKey, from, last.to) ?? reparseAlone(parsedText, lines, node, last, parseDeadline);
        if (repaired) {
          cache.set(regionKey, { from, statements: repaired });
          body.push(...repaired);
          // On to the region's last node: the loop goes on after it.
          for (let step = 0; step < region.siblingsAfterFirst; step++) cursor.nextSibling();
          continue;
        }
      }
      const statements = converter.statement(node);
      cache.set(key, { from, statements });
      body.push(...statements);
    } while (cursor.nextSibling());
  }
  // Said either way: the next parse then need not scan this text again to know (limitNesting is linear in it).
  return { text, tree, module: { body }, lines, statementCache: cache, blanked, ...(stoppedAtLine !== undefined ? { stoppedAtLine } : {}) };
}

/** What limitNesting's scan reacts to; any other character only moves it on. */
const NESTING_SYNTAX = /[#'"\\\n()[\]{}]/;

/** The edit removes and inserts no character limitNesting's scan reacts to. */
function leavesNestingAlone(before: string, after: string, edit: TextEdit): boolean {
  return !NESTING_SYNTAX.test(before.slice(edit.from, edit.to)) && !NESTING_SYNTAX.test(after.slice(edit.from, edit.from + edit.insertedLength));
}

/** True when lezer recovered from an error anywhere inside the node (a walk of its subtree). */
function hasError(node: SyntaxNode): boolean {
  const cursor = node.cursor();
  let depth = 0;
  for (;;) {
    if (cursor.type.isError) return true;
    if (cursor.firstChild()) {
      depth++;
      continue;
    }
    for (;;) {
      if (depth === 0) return false;
      if (cursor.nextSibling()) break;
      cursor.parent();
      depth--;
    }
  }
}

/**
 * lezer's error recovery, deep into a large file, sometimes reads a well-formed statement as an error (the
 * 5,000-line bench file's `class DoubleConv_12(nn.Sequential):` became a bare `class` and an assignment, its
 * body top-level statements) although the same text parses cleanly on its own. The region from an erroneous
 * top-level statement up to the next clean statement at column 0 is parsed again by itself, preceded by as
 * many newlines and spaces as it starts at, so positions stay the same; its statements replace the region's
 * when that parse has no error. Code that really is malformed keeps the first parse's recovery.
 */
/** The last top-level node of the region `first` starts (up to the next clean statement at column 0), and how many siblings after `first` it is. */
function repairRegionEnd(parsedText: string, first: SyntaxNode): { readonly last: SyntaxNode; readonly siblingsAfterFirst: number } {
  let last = first;
  let siblingsAfterFirst = 0;
  let steps = 0;
  for (let next = first.nextSibling; next; next = next.nextSibling) {
    steps++;
    const atColumnZero = next.from === 0 || parsedText[next.from - 1] === '\n';
    if (atColumnZero && isStatementNode(next.name) && !hasError(next)) break;
    last = next;
    siblingsAfterFirst = steps;
  }
  return { last, siblingsAfterFirst };
}

/**
 * The largest region parsed again: the misread regions are a class or a function (a few KB); a region past this
 * is malformed code or one huge expression, whose second parse would only double the parse time.
 */
const MAX_REPAIR_CHARS = 64 * 1024;

function reparseAlone(parsedText: string, lines: LineIndex, first: SyntaxNode, last: SyntaxNode, deadline: number | undefined): Stmt[] | undefined {
  if (last.to - first.from > MAX_REPAIR_CHARS || (deadline !== undefined && Date.now() > deadline)) return undefined;
  const lineStart = parsedText.lastIndexOf('\n', first.from - 1) + 1;
  const { line } = lines.position(first.from);
  // One line break stands for the lines above (the tokenizers see the region's first line start after one, as in
  // the document), and the converter's LineIndex starts at the line it stands for: the region is parsed alone,
  // not after as many blank lines as precede it (4,293 for the bench file's misread class, most of the time this took).
  const above = line > 0 ? '\n' : '';
  const region = above + ' '.repeat(first.from - lineStart) + parsedText.slice(first.from, last.to);
  let tree: Tree;
  try {
    tree = parseUntil(tokenizerText(region), undefined, deadline);
  } catch {
    return undefined;
  }
  if (tree.length < region.length || hasError(tree.topNode)) return undefined;
  const converter = new Converter(region, new LineIndex(region, line - above.length));
  const statements: Stmt[] = [];
  for (let node = tree.topNode.firstChild; node; node = node.nextSibling) if (isStatementNode(node.name)) statements.push(...converter.statement(node));
  return statements;
}

/** Parses once without reuse: the simple entry for tests and one-off analyses. */
export function parseModule(text: string): Module {
  return parseDocument(text).module;
}
