// Converts a lezer Python parse tree into the typed AST of ast.ts. Never throws: unexpected or
// error-recovered shapes become `unsupported` nodes with their range.
import type { SyntaxNode } from '@lezer/common';
import { ownText } from './ownText';
import { EMPTY_LIST, listOf, type Arg, type CompClause, type Expr, type ExceptHandler, type FStringPart, type Param, type Range, type Stmt } from './ast';

/** The shared empty list (ast.ts), typed for the arrays the converter builds. */
const EMPTY = EMPTY_LIST as never[];

/** Maps offsets to 0-based line/character positions. */
export class LineIndex {
  private readonly starts: number[] = [0];
  /** The text's length: an offset past it (the line break the parser adds at the end, see parse.ts) is its end. */
  private end: number;
  /**
   * `firstLine`: the document line the text starts on, for a part of a document parsed by itself (its
   * positions are then the document's; `lineStart` still takes lines of the text).
   */
  constructor(
    text: string,
    private readonly firstLine = 0,
  ) {
    this.end = text.length;
    // indexOf, not a loop over character codes: this runs on every parse and on every check of a file.
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /**
   * The index of `text`, made from the index of the text before an edit of [from, to) into `insertedLength`
   * characters: the lines before the edit start where they did, those after it moved by the change in length, and
   * only the inserted text is searched for line breaks (a keystroke in a 5,000-line file searched all of it).
   */
  static afterEdit(before: LineIndex, text: string, edit: { readonly from: number; readonly to: number; readonly insertedLength: number }): LineIndex {
    const index = new LineIndex('', before.firstLine);
    index.end = text.length;
    const starts = index.starts;
    const old = before.starts;
    // A line starts after a line break: those at or before the edit's start are the same text.
    let i = 1;
    for (; i < old.length && old[i]! <= edit.from; i++) starts.push(old[i]!);
    const insertedEnd = edit.from + edit.insertedLength;
    for (let at = text.indexOf('\n', edit.from); at >= 0 && at < insertedEnd; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
    const shift = edit.insertedLength - (edit.to - edit.from);
    // Line breaks the edit removed ([from, to) of the old text) end no line now.
    for (; i < old.length && old[i]! <= edit.to; i++);
    for (; i < old.length; i++) starts.push(old[i]! + shift);
    return index;
  }
  private lastLine = 0;
  position(at: number): { line: number; character: number } {
    const offset = at > this.end ? this.end : at;
    // Conversion walks forward through the text: try the last line and the next before searching.
    const last = this.lastLine;
    const starts = this.starts;
    if (offset >= starts[last]! && (last + 1 >= starts.length || offset < starts[last + 1]!)) return { line: last + this.firstLine, character: offset - starts[last]! };
    if (last + 1 < starts.length && offset >= starts[last + 1]! && (last + 2 >= starts.length || offset < starts[last + 2]!)) {
      this.lastLine = last + 1;
      return { line: last + 1 + this.firstLine, character: offset - starts[last + 1]! };
    }
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.lastLine = lo;
    return { line: lo + this.firstLine, character: offset - this.starts[lo]! };
  }
  range(from: number, to: number): Range {
    return { start: this.position(from), end: this.position(to) };
  }
  /** Where each line of the text starts (read only: one index serves every reader of a text). */
  get lineStarts(): readonly number[] {
    return this.starts;
  }
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]!;
  }
  get lineCount(): number {
    return this.starts.length;
  }
}

const STATEMENT_KINDS = new Set([
  'AssignStatement', 'UpdateStatement', 'ExpressionStatement', 'DeleteStatement', 'PassStatement', 'BreakStatement',
  'ContinueStatement', 'ReturnStatement', 'YieldStatement', 'PrintStatement', 'RaiseStatement', 'ImportStatement',
  'ScopeStatement', 'AssertStatement', 'TypeDefinition', 'IfStatement', 'WhileStatement', 'ForStatement',
  'TryStatement', 'WithStatement', 'FunctionDefinition', 'ClassDefinition', 'DecoratedStatement', 'MatchStatement',
  'StatementGroup',
]);

export const isStatementNode = (name: string): boolean => STATEMENT_KINDS.has(name);

const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',', ':', ';', '.', '⚠', 'Comment']);

/**
 * The deepest nesting of statements plus expressions the AST keeps; a deeper part becomes an `unsupported`
 * node. CPython itself stops at 200 nested brackets and 100 indentation levels, so real code is far below
 * it, and every recursive walk over the AST (checks, the interpreter, the editor) inherits this bound.
 */
export const MAX_AST_DEPTH = 400;

/** Converts statements and expressions of one document. */
export class Converter {
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
  ) {}

  /**
   * A node's children (comments left out) are collected here, then copied at their exact length: an array grown
   * by push keeps room for 16 more items, and the conversion asks for the children of nearly every node.
   */
  private readonly collected: SyntaxNode[] = [];

  private childrenOf(node: SyntaxNode): SyntaxNode[] {
    const collected = this.collected;
    let count = 0;
    for (let c = node.firstChild; c; c = c.nextSibling) if (c.name !== 'Comment') collected[count++] = c;
    return collected.slice(0, count);
  }

  /** The children but those named `open` or `close` (brackets), without filtering a copy of them. */
  private childrenBetween(node: SyntaxNode, open: string, close: string): SyntaxNode[] {
    const collected = this.collected;
    let count = 0;
    for (let c = node.firstChild; c; c = c.nextSibling) {
      const name = c.name;
      if (name !== 'Comment' && name !== open && name !== close) collected[count++] = c;
    }
    return collected.slice(0, count);
  }

  private r(node: SyntaxNode): Range {
    return this.lines.range(node.from, node.to);
  }
  /** A node's text, as a string of its own: the AST outlives the document's text it was parsed from. */
  private src(node: SyntaxNode): string {
    return ownText(this.text.slice(node.from, node.to));
  }
  private unsupported(node: SyntaxNode, what = node.name): { k: 'unsupported'; what: string; r: Range } {
    return { k: 'unsupported', what, r: this.r(node) };
  }

  /** All statements directly under a Script or Body node (StatementGroups are flattened). */
  statements(parent: SyntaxNode): Stmt[] {
    const out: Stmt[] = [];
    for (const c of this.childrenOf(parent)) {
      if (c.name === 'StatementGroup') out.push(...this.statements(c));
      else if (STATEMENT_KINDS.has(c.name)) out.push(...this.statement(c));
    }
    return out.length === 0 ? EMPTY : out;
  }

  statement(node: SyntaxNode): Stmt[] {
    if (this.depth >= MAX_AST_DEPTH) return [this.unsupported(node, `code nested more than ${MAX_AST_DEPTH} levels deep`)];
    this.depth++;
    try {
      return this.statementUnsafe(node);
    } catch {
      return [this.unsupported(node, `malformed ${node.name}`)];
    } finally {
      this.depth--;
    }
  }

  private statementUnsafe(node: SyntaxNode): Stmt[] {
    // Groups and definitions take their own children and range (a definition's range is made once, in its node).
    switch (node.name) {
      case 'StatementGroup':
        return this.statements(node);
      case 'FunctionDefinition':
        return [this.functionDef(node, EMPTY)];
      case 'ClassDefinition':
        return [this.classDef(node, EMPTY)];
    }
    const r = this.r(node);
    const kids = this.childrenOf(node);
    switch (node.name) {
      case 'ExpressionStatement': {
        const value = this.exprList(kids, r);
        return value ? [{ k: 'expr', value, r }] : [];
      }
      case 'AssignStatement': {
        const groups = splitOn(kids, (c) => c.name === 'AssignOp');
        const exprs = groups.map((g) => this.exprList(g.filter((c) => c.name !== 'TypeDef'), r));
        const annotated = kids.some((c) => c.name === 'TypeDef');
        if (groups.length === 1) return [{ k: 'assign', targets: exprs[0] ? [exprs[0]] : EMPTY, value: undefined, annotated, r }];
        const value = exprs[exprs.length - 1];
        const targets = exprs.slice(0, -1).filter((e): e is Expr => e !== undefined);
        return value ? [{ k: 'assign', targets, value, annotated, r }] : [this.unsupported(node)];
      }
      case 'UpdateStatement': {
        const opIndex = kids.findIndex((c) => c.name === 'UpdateOp');
        const target = this.exprList(kids.slice(0, opIndex), r);
        const value = this.exprList(kids.slice(opIndex + 1), r);
        if (opIndex < 0 || !target || !value) return [this.unsupported(node)];
        return [{ k: 'aug', target, op: this.src(kids[opIndex]!).slice(0, -1), value, r }];
      }
      case 'PassStatement':
        return [{ k: 'pass', r }];
      case 'BreakStatement':
        return [{ k: 'break', r }];
      case 'ContinueStatement':
        return [{ k: 'continue', r }];
      case 'ReturnStatement': {
        const value = this.exprList(kids.slice(1), r);
        return [{ k: 'return', value, r }];
      }
      case 'RaiseStatement': {
        const exc = kids[1] ? this.expr(kids[1]) : undefined;
        return [{ k: 'raise', exc, r }];
      }
      case 'AssertStatement':
        return kids[1] ? [{ k: 'assert', test: this.expr(kids[1]), r }] : [];
      case 'DeleteStatement':
        return [{ k: 'del', targets: kids.slice(1).filter((c) => !PUNCTUATION.has(c.name)).map((c) => this.expr(c)), r }];
      case 'ScopeStatement':
        return [{ k: kids[0]?.name === 'global' ? 'global' : 'nonlocal', names: kids.filter((c) => c.name === 'VariableName').map((c) => this.src(c)), r }];
      case 'ImportStatement':
        return [this.importStatement(kids, r)];
      case 'IfStatement':
        return [this.ifStatement(kids, r)];
      case 'WhileStatement': {
        const bodies = kids.filter((c) => c.name === 'Body');
        return [{ k: 'while', test: this.expr(kids[1]!), body: this.body(bodies[0]), orelse: this.body(bodies[1]), r }];
      }
      case 'ForStatement':
        return [this.forStatement(kids, r)];
      case 'TryStatement':
        return [this.tryStatement(kids, r)];
      case 'WithStatement':
        return [this.withStatement(kids, r)];
      case 'DecoratedStatement': {
        const decorators = kids.filter((c) => c.name === 'Decorator').map((d) => this.decorator(d));
        const def = kids.find((c) => c.name === 'FunctionDefinition' || c.name === 'ClassDefinition');
        if (!def) return [this.unsupported(node)];
        return [def.name === 'FunctionDefinition' ? this.functionDef(def, decorators) : this.classDef(def, decorators)];
      }
      default:
        return [this.unsupported(node)];
    }
  }

  private body(node: SyntaxNode | undefined): Stmt[] {
    return node ? this.statements(node) : EMPTY;
  }

  private importStatement(kids: SyntaxNode[], r: Range): Stmt {
    if (kids[0]?.name === 'import') {
      const names: { module: string; asName?: string }[] = [];
      for (const item of splitOn(kids.slice(1), (c) => c.name === ',')) {
        const { dotted, asName } = this.dottedWithAs(item);
        if (dotted) names.push({ module: dotted, asName });
      }
      return { k: 'import', names: listOf(names), r };
    }
    const importAt = kids.findIndex((c) => c.name === 'import');
    const head = kids.slice(1, importAt < 0 ? kids.length : importAt);
    let level = 0;
    // Only the dots before the module name count as the relative level.
    for (const c of head) {
      if (c.name === '.') level += 1;
      else if (c.name === 'Ellipsis') level += 3;
      else break;
    }
    const module = head.filter((c) => c.name === 'VariableName').map((c) => this.src(c)).join('.');
    const tail = importAt < 0 ? [] : kids.slice(importAt + 1).filter((c) => c.name !== '(' && c.name !== ')');
    if (tail.some((c) => c.name === '*')) return { k: 'from', level, module, names: '*', r };
    const names: { name: string; asName?: string }[] = [];
    for (const item of splitOn(tail, (c) => c.name === ',')) {
      const { dotted, asName } = this.dottedWithAs(item);
      if (dotted) names.push({ name: dotted, asName });
    }
    return { k: 'from', level, module, names: listOf(names), r };
  }

  private dottedWithAs(item: SyntaxNode[]): { dotted: string; asName?: string } {
    const asAt = item.findIndex((c) => c.name === 'as');
    const dottedPart = asAt < 0 ? item : item.slice(0, asAt);
    const dotted = dottedPart.filter((c) => c.name === 'VariableName').map((c) => this.src(c)).join('.');
    const asNode = asAt < 0 ? undefined : item[asAt + 1];
    return { dotted, asName: asNode ? this.src(asNode) : undefined };
  }

  private ifStatement(kids: SyntaxNode[], r: Range): Stmt {
    const branches: { test: Expr; body: Stmt[] }[] = [];
    let orelse: Stmt[] = EMPTY;
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i]!;
      if (c.name === 'if' || c.name === 'elif') {
        const testNode = kids[i + 1];
        const bodyNode = kids.slice(i + 1).find((n) => n.name === 'Body');
        if (testNode && testNode.name !== 'Body' && bodyNode) branches.push({ test: this.expr(testNode), body: this.body(bodyNode) });
      } else if (c.name === 'else') {
        orelse = this.body(kids[i + 1]);
      }
    }
    return { k: 'if', branches: listOf(branches), orelse, r };
  }

  private forStatement(kids: SyntaxNode[], r: Range): Stmt {
    const forAt = kids.findIndex((c) => c.name === 'for');
    const inAt = kids.findIndex((c) => c.name === 'in');
    const bodies = kids.filter((c) => c.name === 'Body');
    const target = this.exprList(kids.slice(forAt + 1, inAt), r);
    const iter = this.exprList(kids.slice(inAt + 1).filter((c) => c.name !== 'Body' && c.name !== 'else'), r);
    if (!target || !iter || inAt < 0) return { k: 'unsupported', what: 'for statement', r };
    return { k: 'for', target, iter, body: this.body(bodies[0]), orelse: this.body(bodies[1]), r };
  }

  private tryStatement(kids: SyntaxNode[], r: Range): Stmt {
    let body: Stmt[] = EMPTY;
    const handlers: ExceptHandler[] = [];
    let orelse: Stmt[] = EMPTY;
    let finalbody: Stmt[] = EMPTY;
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i]!;
      if (c.name === 'try') body = this.body(kids[i + 1]);
      else if (c.name === 'except') {
        let j = i + 1;
        let type: Expr | undefined;
        let name: string | undefined;
        if (kids[j]?.name === '*') j++;
        if (kids[j] && kids[j]!.name !== 'Body') {
          type = this.expr(kids[j]!);
          j++;
          if ((kids[j]?.name === 'as' || kids[j]?.name === ',') && kids[j + 1]) {
            name = this.src(kids[j + 1]!);
            j += 2;
          }
        }
        const bodyNode = kids.slice(j).find((n) => n.name === 'Body');
        handlers.push({ type, name, body: this.body(bodyNode) });
      } else if (c.name === 'else') orelse = this.body(kids[i + 1]);
      else if (c.name === 'finally') finalbody = this.body(kids[i + 1]);
    }
    return { k: 'try', body, handlers: listOf(handlers), orelse, finalbody, r };
  }

  private withStatement(kids: SyntaxNode[], r: Range): Stmt {
    const bodyNode = kids.find((c) => c.name === 'Body');
    const items: { ctx: Expr; asTarget?: string }[] = [];
    const header = kids.filter((c) => c.name !== 'with' && c.name !== 'async' && c.name !== 'Body');
    for (const part of splitOn(header, (c) => c.name === ',')) {
      if (!part[0]) continue;
      const asAt = part.findIndex((c) => c.name === 'as');
      const ctx = this.expr(part[0]);
      const asNode = asAt >= 0 ? part[asAt + 1] : undefined;
      items.push({ ctx, asTarget: asNode ? this.src(asNode) : undefined });
    }
    return { k: 'with', items: listOf(items), body: this.body(bodyNode), r };
  }

  private decorator(node: SyntaxNode): Expr {
    const kids = this.childrenOf(node);
    let expr: Expr | undefined;
    for (const c of kids) {
      if (c.name === 'VariableName') {
        const id = this.src(c);
        expr = expr ? { k: 'attr', obj: expr, name: id, r: this.lines.range(node.from, c.to) } : { k: 'name', id, r: this.r(c) };
      } else if (c.name === 'ArgList' && expr) {
        expr = { k: 'call', fn: expr, args: this.argList(c), r: this.lines.range(node.from, c.to) };
      }
    }
    return expr ?? this.unsupported(node, 'decorator');
  }

  private functionDef(node: SyntaxNode, decorators: Expr[]): Stmt {
    const kids = this.childrenOf(node);
    const nameNode = kids.find((c) => c.name === 'VariableName');
    const paramNode = kids.find((c) => c.name === 'ParamList');
    const bodyNode = kids.find((c) => c.name === 'Body');
    const returns = this.typeDef(kids.find((c) => c.name === 'TypeDef'));
    if (!nameNode) return this.unsupported(node, 'function definition');
    return {
      k: 'def',
      name: this.src(nameNode),
      params: paramNode ? this.params(paramNode) : EMPTY,
      returns,
      body: this.body(bodyNode),
      decorators,
      // The text test is cheap and rules out almost every function; the tree walk confirms.
      isGenerator: bodyNode && /\byield\b/.test(this.src(bodyNode)) ? containsYield(bodyNode) : false,
      r: this.r(node),
      nameRange: this.r(nameNode),
    };
  }

  private classDef(node: SyntaxNode, decorators: Expr[]): Stmt {
    const kids = this.childrenOf(node);
    const nameNode = kids.find((c) => c.name === 'VariableName');
    const argNode = kids.find((c) => c.name === 'ArgList');
    const bodyNode = kids.find((c) => c.name === 'Body');
    if (!nameNode) return this.unsupported(node, 'class definition');
    return {
      k: 'class',
      name: this.src(nameNode),
      bases: argNode ? this.argList(argNode) : EMPTY,
      body: this.body(bodyNode),
      decorators,
      r: this.r(node),
      nameRange: this.r(nameNode),
    };
  }

  /** Parameters of a `def` (parenthesised) or of a lambda (bare). */
  params(node: SyntaxNode): Param[] {
    const out: Param[] = [];
    let afterStar = false;
    const kids = this.childrenBetween(node, '(', ')');
    const slashAt = this.positionalOnlyMarker(node, kids);
    for (const part of splitOn(kids, (c) => c.name === ',')) {
      const first = part[0];
      if (!first) continue;
      if (first.name === '*') {
        afterStar = true;
        const nameNode = part[1];
        if (nameNode?.name === 'VariableName') out.push(param(this.src(nameNode), 'star', undefined, undefined, false));
        continue;
      }
      if (first.name === '**') {
        if (part[1]) out.push(param(this.src(part[1]), 'dstar', undefined, undefined, false));
        continue;
      }
      if (first.name !== 'VariableName') continue;
      const eq = part.findIndex((c) => c.name === 'AssignOp');
      const defaultNode = eq >= 0 ? part[eq + 1] : undefined;
      const kind = afterStar ? 'kwonly' : 'normal';
      const annotation = this.typeDef(part.find((c) => c.name === 'TypeDef'));
      const positionalOnly = slashAt !== undefined && first.from < slashAt;
      out.push(param(this.src(first), kind, defaultNode ? this.expr(defaultNode) : undefined, annotation, positionalOnly));
    }
    return out.length === 0 ? EMPTY : out;
  }

  /**
   * Where a parameter list's `/` is (the parameters before it are positional-only), or undefined. The parser
   * gives the `/` no node: it is the only text between a comma and the next parameter or the closing bracket.
   */
  private positionalOnlyMarker(node: SyntaxNode, kids: readonly SyntaxNode[]): number | undefined {
    for (let i = 0; i < kids.length; i++) {
      if (kids[i]!.name !== ',') continue;
      const end = kids[i + 1]?.from ?? node.to;
      const between = this.text.slice(kids[i]!.to, end);
      // Most gaps hold no slash: only those are cleaned of comments and the bracket (this runs for every parameter list).
      if (!between.includes('/')) continue;
      const gap = between.replace(/#[^\n]*/g, '').replace(/\)\s*$/, '').trim();
      if (gap === '/') return kids[i]!.to;
    }
    return undefined;
  }

  /** The expression of a `: T` or `-> T` annotation node. */
  private typeDef(node: SyntaxNode | undefined): Expr | undefined {
    if (!node) return undefined;
    const kids = this.childrenBetween(node, ':', '->');
    const last = kids[kids.length - 1];
    return last ? this.expr(last) : undefined;
  }

  argList(node: SyntaxNode): Arg[] {
    const kids = this.childrenBetween(node, '(', ')');
    const args: Arg[] = [];
    // A bare generator argument, `f(x for a, b in y)`: its commas belong to the comprehension.
    const forAt = kids.findIndex((c) => c.name === 'for');
    if (forAt === 1 && kids[0]) {
      const last = kids[kids.length - 1]!;
      return [{ kind: 'pos', name: undefined, value: { k: 'comp', kind: 'gen', elt: this.expr(kids[0]), key: undefined, clauses: this.compClauses(kids.slice(1)), r: this.lines.range(kids[0].from, last.to) } }];
    }
    for (const part of splitOn(kids, (c) => c.name === ',')) {
      const first = part[0];
      if (!first) continue;
      if (first.name === '*' && part[1]) args.push({ kind: 'star', name: undefined, value: this.expr(part[1]) });
      else if (first.name === '**' && part[1]) args.push({ kind: 'dstar', name: undefined, value: this.expr(part[1]) });
      else if (part[1]?.name === 'AssignOp' && part[2]) {
        if (this.src(part[1]) === ':=') args.push({ kind: 'pos', name: undefined, value: { k: 'named', target: this.src(first), value: this.expr(part[2]), r: this.lines.range(first.from, part[2].to) } });
        else args.push({ kind: 'kw', name: this.src(first), value: this.expr(part[2]) });
      } else if (part.length > 1 && part[1]?.name === 'for') {
        const elt = this.expr(first);
        args.push({ kind: 'pos', name: undefined, value: { k: 'comp', kind: 'gen', elt, key: undefined, clauses: this.compClauses(part.slice(1)), r: this.lines.range(first.from, part[part.length - 1]!.to) } });
      } else args.push({ kind: 'pos', name: undefined, value: this.expr(first) });
    }
    return args.length === 0 ? EMPTY : args;
  }

  /** A comma-separated expression list: one expression, or a tuple when there is a comma. */
  exprList(nodes: SyntaxNode[], r: Range): Expr | undefined {
    const parts = splitOn(nodes, (c) => c.name === ',');
    const hasComma = parts.length > 1;
    const items = parts.filter((p) => p.length > 0).map((p) => this.itemWithStar(p));
    if (items.length === 0) return hasComma ? { k: 'tuple', items: EMPTY, r } : undefined;
    if (!hasComma && items[0]!.k !== 'starred') return items[0];
    const first = nodes[0]!;
    const last = nodes[nodes.length - 1]!;
    return { k: 'tuple', items, r: this.lines.range(first.from, last.to) };
  }

  private itemWithStar(part: SyntaxNode[]): Expr {
    if (part[0]!.name === '*' && part[1]) return { k: 'starred', value: this.expr(part[1]), r: this.lines.range(part[0]!.from, part[1].to) };
    return this.expr(part[0]!);
  }

  expr(node: SyntaxNode): Expr {
    if (this.depth >= MAX_AST_DEPTH) return this.unsupported(node, `expression nested more than ${MAX_AST_DEPTH} levels deep`);
    this.depth++;
    try {
      return this.exprUnsafe(node);
    } catch {
      return this.unsupported(node, `malformed ${node.name}`);
    } finally {
      this.depth--;
    }
  }

  private exprUnsafe(node: SyntaxNode): Expr {
    const r = this.r(node);
    switch (node.name) {
      case 'VariableName':
        return { k: 'name', id: this.src(node), r };
      case 'Number':
        return this.number(node, r);
      case 'String':
        return { k: 'str', value: decodeString(this.src(node)), r };
      case 'FormatString':
        return { k: 'fstr', parts: this.fstringParts(node), r };
      case 'ContinuedString': {
        const parts: FStringPart[] = [];
        for (const c of this.childrenOf(node)) {
          if (c.name === 'String') parts.push(decodeString(this.src(c)));
          else if (c.name === 'FormatString') parts.push(...this.fstringParts(c));
        }
        return parts.every((p) => typeof p === 'string') ? { k: 'str', value: parts.join(''), r } : { k: 'fstr', parts, r };
      }
      case 'None':
      case 'Boolean':
      case 'Ellipsis': {
        const text = this.src(node);
        const value = text === 'True' ? 'True' : text === 'False' ? 'False' : text === 'None' ? 'None' : 'Ellipsis';
        return { k: 'const', value, r };
      }
      case 'ParenthesizedExpression': {
        const inner = this.childrenBetween(node, '(', ')');
        return inner[0] ? (inner[0].name === '*' ? this.itemWithStar(inner) : this.expr(inner[0])) : this.unsupported(node);
      }
      case 'TupleExpression': {
        const inner = this.childrenBetween(node, '(', ')');
        const items = splitOn(inner, (c) => c.name === ',').filter((p) => p.length > 0).map((p) => this.itemWithStar(p));
        return { k: 'tuple', items, r };
      }
      case 'ArrayExpression': {
        const inner = this.childrenBetween(node, '[', ']');
        return { k: 'list', items: splitOn(inner, (c) => c.name === ',').filter((p) => p.length > 0).map((p) => this.itemWithStar(p)), r };
      }
      case 'SetExpression': {
        const inner = this.childrenBetween(node, '{', '}');
        return { k: 'set', items: splitOn(inner, (c) => c.name === ',').filter((p) => p.length > 0).map((p) => this.itemWithStar(p)), r };
      }
      case 'DictionaryExpression': {
        const inner = this.childrenBetween(node, '{', '}');
        const items: { key?: Expr; value: Expr }[] = [];
        for (const p of splitOn(inner, (c) => c.name === ',')) {
          if (p[0]?.name === '**' && p[1]) items.push({ key: undefined, value: this.expr(p[1]) });
          else if (p.length >= 3) items.push({ key: this.expr(p[0]!), value: this.expr(p[2]!) });
        }
        return { k: 'dict', items: listOf(items), r };
      }
      case 'ComprehensionExpression':
      case 'ArrayComprehensionExpression':
      case 'SetComprehensionExpression':
      case 'DictionaryComprehensionExpression': {
        const inner = this.childrenOf(node).filter((c) => !['(', ')', '[', ']', '{', '}'].includes(c.name));
        const forAt = inner.findIndex((c) => c.name === 'for' || c.name === 'async');
        const kind = node.name === 'ComprehensionExpression' ? 'gen' : node.name === 'ArrayComprehensionExpression' ? 'list' : node.name === 'SetComprehensionExpression' ? 'set' : 'dict';
        const head = inner.slice(0, forAt);
        const clauses = this.compClauses(inner.slice(forAt));
        if (kind === 'dict' && head.length >= 3) {
          const key = this.expr(head[0]!);
          return { k: 'comp', kind, elt: this.expr(head[2]!), key, clauses, r };
        }
        if (!head[0]) return this.unsupported(node);
        return { k: 'comp', kind, elt: this.itemWithStar(head), key: undefined, clauses, r };
      }
      case 'MemberExpression':
        return this.member(node, r);
      case 'CallExpression': {
        const kids = this.childrenOf(node);
        const argNode = kids.find((c) => c.name === 'ArgList');
        if (!kids[0] || !argNode) return this.unsupported(node);
        return { k: 'call', fn: this.expr(kids[0]), args: this.argList(argNode), r };
      }
      case 'BinaryExpression': {
        const kids = this.childrenOf(node);
        return this.booleanOperator(node, kids) ? this.booleanLevel(node) : this.binary(node, r, kids);
      }
      case 'UnaryExpression': {
        const kids = this.childrenOf(node);
        if (this.booleanOperator(node, kids)) return this.booleanLevel(node);
        const opText = this.src(kids[0]!);
        const op = opText === 'not' ? 'not' : opText === '-' ? '-' : opText === '+' ? '+' : '~';
        return kids[1] ? { k: 'unary', op, operand: this.expr(kids[1]), r } : this.unsupported(node);
      }
      case 'ConditionalExpression': {
        const kids = this.childrenBetween(node, 'if', 'else');
        if (kids.length < 3) return this.unsupported(node);
        return { k: 'ifexp', body: this.expr(kids[0]!), test: this.expr(kids[1]!), orelse: this.expr(kids[2]!), r };
      }
      case 'LambdaExpression': {
        const kids = this.childrenOf(node);
        const paramNode = kids.find((c) => c.name === 'ParamList');
        const bodyNode = kids[kids.length - 1];
        if (!bodyNode || bodyNode.name === ':' || bodyNode === paramNode) return this.unsupported(node);
        return { k: 'lambda', params: paramNode ? this.params(paramNode) : EMPTY, body: this.expr(bodyNode), r };
      }
      case 'NamedExpression': {
        const kids = this.childrenOf(node);
        if (kids[0]?.name !== 'VariableName' || !kids[2]) return this.unsupported(node);
        return { k: 'named', target: this.src(kids[0]), value: this.expr(kids[2]), r };
      }
      default:
        return this.unsupported(node);
    }
  }

  private number(node: SyntaxNode, r: Range): Expr {
    const text = this.src(node).replace(/_/g, '');
    if (/[jJ]$/.test(text)) return { k: 'unsupported', what: 'complex number', r };
    if (/^0[xX]/.test(text)) return { k: 'num', value: parseInt(text.slice(2), 16), isInt: true, r };
    if (/^0[oO]/.test(text)) return { k: 'num', value: parseInt(text.slice(2), 8), isInt: true, r };
    if (/^0[bB]/.test(text)) return { k: 'num', value: parseInt(text.slice(2), 2), isInt: true, r };
    const isInt = /^\d+$/.test(text);
    const value = Number(text);
    return Number.isFinite(value) ? { k: 'num', value, isInt, r } : { k: 'unsupported', what: 'number', r };
  }

  private member(node: SyntaxNode, r: Range): Expr {
    const kids = this.childrenOf(node);
    const obj = kids[0];
    if (!obj) return this.unsupported(node);
    if (kids[1]?.name === '.') {
      const prop = kids[2];
      return prop ? { k: 'attr', obj: this.expr(obj), name: this.src(prop), r } : this.unsupported(node);
    }
    const inner = kids.slice(1).filter((c) => c.name !== '[' && c.name !== ']');
    const parts = splitOn(inner, (c) => c.name === ',');
    const items = parts.filter((p) => p.length > 0).map((p) => this.subscriptItem(p));
    const index: Expr = parts.length === 1 && items.length === 1 ? items[0]! : { k: 'tuple', items, r };
    return { k: 'sub', obj: this.expr(obj), index, r };
  }

  private subscriptItem(part: SyntaxNode[]): Expr {
    if (!part.some((c) => c.name === ':')) return this.itemWithStar(part);
    const sections: (SyntaxNode | undefined)[] = [undefined];
    for (const c of part) {
      if (c.name === ':') sections.push(undefined);
      else sections[sections.length - 1] = c;
    }
    const [lower, upper, step] = sections.map((n) => (n ? this.expr(n) : undefined));
    return { k: 'slice', lower, upper, step, r: this.lines.range(part[0]!.from, part[part.length - 1]!.to) };
  }

  /** `and`, `or` or `not` at the top of the node. */
  private booleanOperator(node: SyntaxNode, kids: readonly SyntaxNode[]): 'and' | 'or' | 'not' | undefined {
    if (node.name === 'UnaryExpression') return kids[0] && kids[1] && this.src(kids[0]) === 'not' ? 'not' : undefined;
    if (node.name !== 'BinaryExpression' || kids.length !== 3) return undefined;
    const op = this.src(kids[1]!);
    return op === 'and' || op === 'or' ? op : undefined;
  }

  /**
   * The boolean level of an expression with Python's precedence (`not` binds tighter than `and`, which
   * binds tighter than `or`). lezer's grammar lets `not` take a whole and/or chain (`not a and b` reads as
   * `not (a and b)`), so the chain is flattened into operands and operators and built again.
   */
  private booleanLevel(node: SyntaxNode): Expr {
    type Item = { readonly op: 'and' | 'or' } | { readonly op: 'not'; readonly from: number } | { readonly atom: SyntaxNode };
    const items: Item[] = [];
    // Each item can add a level to the rebuilt tree: past the AST's depth limit the expression is unsupported.
    const tooDeep = (): boolean => this.depth + items.length >= MAX_AST_DEPTH;
    const flatten = (n: SyntaxNode): void => {
      if (tooDeep()) return;
      const kids = this.childrenOf(n);
      const op = this.booleanOperator(n, kids);
      if (op === 'not') {
        items.push({ op, from: kids[0]!.from });
        flatten(kids[1]!);
      } else if (op) {
        flatten(kids[0]!);
        items.push({ op });
        flatten(kids[2]!);
      } else items.push({ atom: n });
    };
    flatten(node);
    if (tooDeep()) return this.unsupported(node, `expression nested more than ${MAX_AST_DEPTH} levels deep`);
    let at = 0;
    const span = (left: Expr, right: Expr): Range => ({ start: left.r.start, end: right.r.end });
    const operand = (): Expr => {
      const item = items[at++];
      if (!item) return this.unsupported(node, 'malformed boolean expression');
      if ('atom' in item) return this.expr(item.atom);
      if (item.op !== 'not') return this.unsupported(node, 'malformed boolean expression');
      const inner = operand();
      return { k: 'unary', op: 'not', operand: inner, r: { start: this.lines.position(item.from), end: inner.r.end } };
    };
    const level = (op: 'and' | 'or', next: () => Expr) => (): Expr => {
      let left = next();
      while (at < items.length && 'op' in items[at]! && (items[at] as { op: string }).op === op) {
        at++;
        const right = next();
        left = { k: 'bool', op, left, right, r: span(left, right) };
      }
      return left;
    };
    return level('or', level('and', operand))();
  }

  private binary(node: SyntaxNode, r: Range, kids: readonly SyntaxNode[]): Expr {
    const left = kids[0];
    const right = kids[kids.length - 1];
    if (!left || !right || kids.length < 3) return this.unsupported(node);
    // One operator node but for `not in` and `is not`.
    const op = kids.length === 3 ? this.src(kids[1]!) : kids.slice(1, -1).map((c) => this.src(c)).join(' ');
    const l = this.expr(left);
    const rr = this.expr(right);
    if (op === 'and' || op === 'or') return { k: 'bool', op, left: l, right: rr, r };
    if (COMPARISONS.has(op)) {
      const cmpOp = op === '<>' ? '!=' : op;
      // `a < b < c` parses left-nested; Python means `a < b and b < c`.
      if (l.k === 'cmp' && left.name === 'BinaryExpression') {
        return { k: 'bool', op: 'and', left: l, right: { k: 'cmp', op: cmpOp, left: l.right, right: rr, r }, r };
      }
      if (l.k === 'bool' && l.right.k === 'cmp' && left.name === 'BinaryExpression' && isChain(left)) {
        return { k: 'bool', op: 'and', left: l, right: { k: 'cmp', op: cmpOp, left: l.right.right, right: rr, r }, r };
      }
      return { k: 'cmp', op: cmpOp, left: l, right: rr, r };
    }
    return { k: 'bin', op, left: l, right: rr, r };
  }

  private compClauses(nodes: SyntaxNode[]): CompClause[] {
    const clauses: CompClause[] = [];
    let i = 0;
    while (i < nodes.length) {
      const c = nodes[i]!;
      if (c.name === 'async') {
        i++;
        continue;
      }
      if (c.name === 'for') {
        const inAt = nodes.findIndex((n, j) => j > i && n.name === 'in');
        if (inAt < 0) break;
        const target = this.exprList(nodes.slice(i + 1, inAt), this.r(c));
        const iterNode = nodes[inAt + 1];
        if (!target || !iterNode) break;
        clauses.push({ k: 'for', target, iter: this.expr(iterNode) });
        i = inAt + 2;
      } else if (c.name === 'if') {
        const testNode = nodes[i + 1];
        if (!testNode) break;
        clauses.push({ k: 'if', test: this.expr(testNode) });
        i += 2;
      } else i++;
    }
    return clauses.length === 0 ? EMPTY : clauses;
  }

  private fstringParts(node: SyntaxNode): FStringPart[] {
    const raw = this.src(node);
    const prefixMatch = /^[a-zA-Z]*("""|'''|"|')/.exec(raw);
    const quoteLength = prefixMatch ? prefixMatch[0].length : 0;
    const closing = prefixMatch ? prefixMatch[1]!.length : 0;
    const parts: FStringPart[] = [];
    let cursor = node.from + quoteLength;
    for (const c of this.childrenOf(node)) {
      if (c.name !== 'FormatReplacement') continue;
      if (c.from > cursor) parts.push(unescape(ownText(this.text.slice(cursor, c.from))));
      const exprNode = this.childrenOf(c).find((n) => !PUNCTUATION.has(n.name) && n.name !== '{' && n.name !== '}' && n.name !== 'FormatSpec' && n.name !== 'FormatConversion' && n.name !== 'FormatSelfDoc');
      if (exprNode) parts.push({ expr: this.expr(exprNode) });
      cursor = c.to;
    }
    const end = node.to - closing;
    if (end > cursor) parts.push(unescape(ownText(this.text.slice(cursor, end))));
    return parts;
  }
}

/** A parameter with every field, in one order (one hidden class for all parameters, see ast.ts's EMPTY_LIST). */
function param(name: string, kind: Param['kind'], defaultValue: Expr | undefined, annotation: Expr | undefined, positionalOnly: boolean): Param {
  return { name, kind, default: defaultValue, annotation, positionalOnly: positionalOnly ? true : undefined };
}

const COMPARISONS = new Set(['<', '>', '<=', '>=', '==', '!=', '<>', 'in', 'not in', 'is', 'is not']);

/** True when a BinaryExpression node is itself a comparison (so a comparison on top of it chains). */
function isChain(node: SyntaxNode): boolean {
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name === 'CompareOp' || c.name === 'in' || c.name === 'is') return true;
    if (c.name === 'and' || c.name === 'or') return false;
  }
  return false;
}

/** The runs of nodes between separators (error nodes left out), each sliced at its length rather than grown by push. */
function splitOn(nodes: readonly SyntaxNode[], isSeparator: (n: SyntaxNode) => boolean): SyntaxNode[][] {
  const groups: SyntaxNode[][] = [];
  let start = 0;
  for (let i = 0; i <= nodes.length; i++) {
    if (i < nodes.length && !isSeparator(nodes[i]!)) continue;
    groups.push(withoutErrors(nodes, start, i));
    start = i + 1;
  }
  return groups;
}

function withoutErrors(nodes: readonly SyntaxNode[], from: number, to: number): SyntaxNode[] {
  for (let i = from; i < to; i++) if (nodes[i]!.name === '⚠') return nodes.slice(from, to).filter((n) => n.name !== '⚠');
  return nodes.slice(from, to);
}

function containsYield(body: SyntaxNode): boolean {
  let found = false;
  // lezer's iterate() walks without recursion, so a body nested thousands deep cannot overflow the stack.
  body.cursor().iterate((node) => {
    if (found) return false;
    const name = node.name;
    if (name === 'yield' || name === 'YieldStatement' || name === 'YieldExpression') found = true;
    // Nested functions and classes have their own generator-ness.
    return name === 'FunctionDefinition' || name === 'ClassDefinition' || name === 'LambdaExpression' ? false : undefined;
  });
  return found;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

function unescape(s: string): string {
  return s.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? `\\${c}`).replace(/\{\{/g, '{').replace(/\}\}/g, '}');
}

function decodeString(raw: string): string {
  const m = /^([a-zA-Z]*)("""|'''|"|')/.exec(raw);
  if (!m) return raw;
  const quote = m[2]!;
  const body = raw.slice(m[0].length, raw.endsWith(quote) && raw.length >= m[0].length + quote.length ? raw.length - quote.length : raw.length);
  return /[rR]/.test(m[1]!) ? body : body.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? `\\${c}`);
}
