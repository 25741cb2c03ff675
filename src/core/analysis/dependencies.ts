// What a model built by an expression can depend on in its own file, so an editor can reuse the model's
// last result when an edit touched none of it, and its run evaluates only those statements (issue 16). A
// model runs the module and then its own code, so its result can change when any statement that runs code
// changes; a definition that only binds a name (a plain class or def: no decorator with effects, no call
// evaluated at definition) changes the result only if something reads that name. The dependencies are
// every statement that runs code, plus the definitions reachable by name from them and from the model
// expression. Names are read from the source text (identifiers, attribute names and words in strings
// too), which can only add dependencies.
import type { ClassDef, Expr, FunctionDef, Module, Stmt } from '../python/ast';
import { LineIndex } from '../python/convert';
import { ownText } from '../python/ownText';
import { dottedName, walkExpr } from '../python/syntax';
import { rangeKey } from '../ranges';
import type { Range } from '../values';

/** One top-level statement a model depends on: where it starts and its source text. */
export interface DependencyStatement {
  readonly line: number;
  readonly character: number;
  readonly text: string;
}

export interface ModelDependencies {
  readonly statements: readonly DependencyStatement[];
  /** Their ranges (decorators included), to keep the diagnostics of this file that belong to the model. */
  readonly ranges: readonly Range[];
  /** The statements themselves, in file order: the module a run of the model needs to evaluate. */
  readonly module: Module;
}

/**
 * Names through which code reaches module globals without naming them (`globals()['Net']`, `sys.modules`,
 * `eval`, a module importing itself) or runs code when another class is defined (`__init_subclass__`,
 * metaclasses): a file using any of them depends on all its statements.
 */
const DYNAMIC_ACCESS: ReadonlySet<string> = new Set(['globals', 'vars', 'locals', 'eval', 'exec', '__import__', 'importlib', 'sys', 'inspect', 'gc', '__subclasses__', '__init_subclass__', 'metaclass', '__class_getitem__']);

/** Decorators that only shape the function or class they decorate. */
const PLAIN_DECORATORS: ReadonlySet<string> = new Set([
  'property', 'staticmethod', 'classmethod', 'abstractmethod', 'abc.abstractmethod', 'cached_property', 'functools.cached_property',
  'dataclass', 'dataclasses.dataclass', 'overload', 'typing.overload', 'override', 'typing.override', 'final', 'typing.final',
  'torch.no_grad', 'torch.inference_mode', 'torch.enable_grad', 'torch.jit.unused', 'torch.jit.ignore', 'torch.jit.export',
]);
const ACCESSOR_DECORATOR = /\.(?:setter|getter|deleter)$/;
const IDENTIFIER = /[A-Za-z_]\w*/g;
const DOT = 46;
/** What IDENTIFIER's first character class admits (A-Z, a-z, _), and its \w (those and 0-9), by character code. */
const startsIdentifier = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const continuesIdentifier = (c: number): boolean => startsIdentifier(c) || (c >= 48 && c <= 57);

const isConstant = (e: Expr): boolean => e.k === 'num' || e.k === 'str' || e.k === 'const';

function plainDecorator(e: Expr): boolean {
  const call = e.k === 'call' ? e : undefined;
  const name = dottedName(call ? call.fn : e);
  if (!name || !(PLAIN_DECORATORS.has(name) || ACCESSOR_DECORATOR.test(name))) return false;
  return !call || call.args.every((a) => a.kind !== 'star' && a.kind !== 'dstar' && isConstant(a.value));
}

/**
 * What may be called while a definition is evaluated (a default `config=GPTConfig()`, a class attribute):
 * constructing a class of this file whose code touches no module-level variable, so the call changes
 * nothing another model could read.
 */
type Constructible = ReadonlySet<string>;

/** No call is evaluated but constructions of `constructible` classes; a lambda's body is not evaluated. */
function callFree(e: Expr | undefined, constructible: Constructible): boolean {
  if (!e) return true;
  let calls = false;
  walkExpr(e, (node) => {
    if (node.k === 'call' && !(node.fn.k === 'name' && constructible.has(node.fn.id))) calls = true;
  });
  return !calls;
}

function plainFunction(def: FunctionDef, constructible: Constructible): boolean {
  return def.decorators.every(plainDecorator) && def.params.every((p) => callFree(p.default, constructible));
}

function plainClassBodyStatement(s: Stmt, constructible: Constructible): boolean {
  switch (s.k) {
    case 'pass':
      return true;
    case 'expr':
      return s.value.k === 'str';
    case 'assign':
      return s.targets.every((t) => t.k === 'name') && callFree(s.value, constructible);
    case 'def':
      return plainFunction(s, constructible);
    default:
      return false;
  }
}

function plainClass(cls: ClassDef, constructible: Constructible): boolean {
  return cls.decorators.every(plainDecorator) && cls.bases.every((b) => b.kind === 'pos' && callFree(b.value, constructible)) && cls.body.every((s) => plainClassBodyStatement(s, constructible));
}

/** A definition whose execution only binds its name. */
function bindsOnly(s: Stmt, constructible: Constructible): s is FunctionDef | ClassDef {
  return (s.k === 'def' && plainFunction(s, constructible)) || (s.k === 'class' && plainClass(s, constructible));
}

/** Names top-level code assigns (module-level variables a constructor could change). */
export function moduleVariables(module: Module): Set<string> {
  const names = new Set<string>();
  const add = (t: Expr): void => {
    if (t.k === 'name') names.add(t.id);
    else if (t.k === 'tuple' || t.k === 'list') t.items.forEach(add);
    else if (t.k === 'starred') add(t.value);
  };
  for (const s of module.body) {
    if (s.k === 'assign') s.targets.forEach(add);
    else if (s.k === 'aug') add(s.target);
    else if (s.k === 'for') add(s.target);
  }
  return names;
}

/** The statement's range from its first decorator. */
function fullRange(s: Stmt): Range {
  const first = s.k === 'def' || s.k === 'class' ? s.decorators[0] : undefined;
  return first && (first.r.start.line < s.r.start.line || (first.r.start.line === s.r.start.line && first.r.start.character < s.r.start.character)) ? { start: first.r.start, end: s.r.end } : s.r;
}

export interface StatementNames {
  readonly stmt: Stmt;
  readonly range: Range;
  readonly source: string;
  /** Identifiers in its source (attribute names and words in strings included). */
  readonly names: ReadonlySet<string>;
  readonly quiet: boolean;
}

/** What every model of one file version shares: each statement's names and whether it only binds one. */
export interface FileIndex {
  readonly text: string;
  /** Where each line of the text starts (sameModuleScope reads definitions' text by position). */
  readonly offsets: readonly number[];
  readonly statements: readonly StatementNames[];
  /** The file reaches its globals dynamically: every model depends on every statement. */
  readonly dynamic: boolean;
  /** Quiet definitions by the name they bind. */
  readonly byName: ReadonlyMap<string, readonly number[]>;
}

const FILE_INDEXES = new WeakMap<Module, FileIndex>();

/**
 * What one top-level statement's source says, kept with its object (an edit that leaves a statement alone keeps it):
 * its names, whether it reaches globals dynamically, and the last answers of the two questions that depend on the
 * rest of the file too, with what they depended on.
 */
interface StatementFacts {
  readonly source: string;
  readonly names: ReadonlySet<string>;
  readonly dynamic: boolean;
  /** A class: whether it names no module-level variable nor `global`, for the variables named by `variables`. */
  isolated?: { readonly variables: string; readonly value: boolean };
  /** Whether executing it only binds its name, for the constructible classes named by `constructible`. */
  quiet?: { readonly constructible: string; readonly value: boolean };
}
const STATEMENT_FACTS = new WeakMap<Stmt, StatementFacts>();

function statementFacts(s: Stmt, slice: string): StatementFacts {
  // Kept with the statement (its names are cut from it): a string of its own, not a view into this version's text.
  const source = ownText(slice);
  const names = new Set<string>();
  let dynamic = false;
  // The names IDENTIFIER matches, read by character code: matchAll made a match array for each of them (every
  // name of the file's top-level statements on each first view).
  const length = source.length;
  for (let start = 0; start < length; start++) {
    if (!startsIdentifier(source.charCodeAt(start))) continue;
    let end = start + 1;
    while (end < length && continuesIdentifier(source.charCodeAt(end))) end++;
    const name = source.slice(start, end);
    names.add(name);
    // Not an attribute (`model.eval()` is no `eval`).
    if (!dynamic && source.charCodeAt(start - 1) !== DOT && DYNAMIC_ACCESS.has(name)) dynamic = true;
    start = end - 1;
  }
  const facts: StatementFacts = { source, names, dynamic };
  STATEMENT_FACTS.set(s, facts);
  return facts;
}

function namesNone(names: ReadonlySet<string>, excluded: ReadonlySet<string>): boolean {
  for (const n of names) if (excluded.has(n)) return false;
  return true;
}

/**
 * The file's top-level statements (constant expressions left out) with the names each reads, built once per parse.
 * `lineStarts`: where the text's lines start, when the caller has them (the parse's line index).
 */
export function fileIndex(module: Module, text: string, lineStarts?: readonly number[]): FileIndex {
  const cached = FILE_INDEXES.get(module);
  if (cached?.text === text) return cached;
  const offsets = lineStarts ?? new LineIndex(text).lineStarts;
  const offset = (p: Range['start']): number => (offsets[p.line] ?? text.length) + p.character;
  // A docstring or other constant expression at top level does nothing.
  const sources = module.body
    .filter((s) => !(s.k === 'expr' && isConstant(s.value)))
    .map((s) => {
      const range = fullRange(s);
      const start = offset(range.start);
      const source = text.slice(start, offset(range.end));
      // Compared as strings (startsWith is several times slower on a long text).
      const known = STATEMENT_FACTS.get(s);
      const facts = known?.source === source ? known : statementFacts(s, source);
      return { s, range, facts };
    });
  const variables = moduleVariables(module);
  // The keys are compared with each statement's kept facts. Once one equals a kept key, the kept string object is
  // used: the other statements' facts hold that same object, and equal objects compare at once (equal strings made
  // anew are compared character by character: ~0.2 ms per keystroke in the 5k bench file).
  let variablesKey = [...variables].sort().join(' ');
  const isolated = (facts: StatementFacts): boolean => {
    const known = facts.isolated;
    if (known?.variables === variablesKey) {
      variablesKey = known.variables;
      return known.value;
    }
    facts.isolated = { variables: variablesKey, value: !facts.names.has('global') && namesNone(facts.names, variables) };
    return facts.isolated.value;
  };
  const constructible = new Set(sources.filter(({ s, facts }) => s.k === 'class' && isolated(facts)).map(({ s }) => (s as ClassDef).name));
  // In file order: the key names the set for these comparisons only, and an edit seldom reorders classes.
  let constructibleKey = [...constructible].join(' ');
  const quiet = (s: Stmt, facts: StatementFacts): boolean => {
    const known = facts.quiet;
    if (known?.constructible === constructibleKey) {
      constructibleKey = known.constructible;
      return known.value;
    }
    facts.quiet = { constructible: constructibleKey, value: bindsOnly(s, constructible) };
    return facts.quiet.value;
  };
  const statements = sources.map(({ s, range, facts }) => ({ stmt: s, range, source: facts.source, names: facts.names, quiet: quiet(s, facts) }));
  const byName = new Map<string, number[]>();
  sources.forEach(({ s }, index) => {
    if (!statements[index]!.quiet) return;
    const name = (s as FunctionDef | ClassDef).name;
    byName.set(name, [...(byName.get(name) ?? []), index]);
  });
  const index: FileIndex = { text, offsets, statements, dynamic: sources.some((i) => i.facts.dynamic), byName };
  FILE_INDEXES.set(module, index);
  return index;
}

/**
 * Statements reachable by name from the names in `names`, added to `included` (and the definitions' names followed, to `seen`;
 * those in `followed` were already). Only names a quiet definition binds are followed: any other name reaches nothing.
 */
function includeReachable(index: FileIndex, names: readonly Iterable<string>[], included: IncludedStatements, seen: Set<string>, followed?: ReadonlySet<string>): void {
  const pending = [...names];
  while (pending.length > 0) {
    for (const name of pending.pop()!) {
      const at = index.byName.get(name);
      if (!at || seen.has(name) || followed?.has(name)) continue;
      seen.add(name);
      for (const statement of at) {
        if (included.has(statement)) continue;
        included.add(statement);
        pending.push(index.statements[statement]!.names);
      }
    }
  }
}

/** Statements (by index in the file index) included so far. */
interface IncludedStatements {
  has(statement: number): boolean;
  add(statement: number): void;
}

/** What every model of a file version depends on: the statements that run code and what they reach by name. */
interface SharedDependencies {
  readonly included: readonly boolean[];
  readonly seen: ReadonlySet<string>;
  /** Each statement as a dependency (one object per statement, shared by every model's list). */
  readonly entries: readonly DependencyStatement[];
  /** The included statements' indices, in file order. */
  readonly indices: readonly number[];
}
const SHARED_DEPENDENCIES = new WeakMap<FileIndex, SharedDependencies>();

function sharedDependencies(index: FileIndex): SharedDependencies {
  const known = SHARED_DEPENDENCIES.get(index);
  if (known) return known;
  const included = index.statements.map((i) => index.dynamic || !i.quiet);
  const seen = new Set<string>();
  const flags: IncludedStatements = { has: (at) => included[at]!, add: (at) => void (included[at] = true) };
  includeReachable(index, index.statements.flatMap((i, at) => (included[at] ? [i.names] : [])), flags, seen);
  const entries = index.statements.map((i) => ({ line: i.range.start.line, character: i.range.start.character, text: i.source }));
  const shared = { included, seen, entries, indices: included.flatMap((yes, at) => (yes ? [at] : [])) };
  SHARED_DEPENDENCIES.set(index, shared);
  return shared;
}

/**
 * Whether the statements of two versions of a file are the same quiet definitions of the same names and each statement
 * names the same of the names `matters` accepts (among them the quiet definitions' names, the only names reachability
 * follows). An edit inside a model (a number, a renamed attribute) keeps every answer that depends only on those.
 */
export function sameDefinitionsAndNames(before: FileIndex, after: FileIndex, matters: (name: string) => boolean): boolean {
  if (before === after) return true;
  if (before.statements.length !== after.statements.length || before.dynamic !== after.dynamic) return false;
  const same = (a: StatementNames, b: StatementNames): boolean => a.quiet === b.quiet && (!a.quiet || (a.stmt as FunctionDef | ClassDef).name === (b.stmt as FunctionDef | ClassDef).name);
  return before.statements.every((a, i) => same(a, after.statements[i]!)) && before.statements.every((a, i) => sameNamesAmong(a.names, after.statements[i]!.names, matters));
}

/** Whether two sets of names differ only in names `matters` rejects. */
function sameNamesAmong(a: ReadonlySet<string>, b: ReadonlySet<string>, matters: (name: string) => boolean): boolean {
  if (a === b) return true;
  for (const x of a) if (!b.has(x) && matters(x)) return false;
  for (const x of b) if (!a.has(x) && matters(x)) return false;
  return true;
}

/**
 * What the models of a document's last file index reached by their own names, by expression, kept by the caller (the
 * analyzer, per document) so the next version's models take them again when its definitions and their names are the
 * same (sameDefinitionsAndNames): which statements a name reaches depends on nothing else.
 */
export interface KeptReaches {
  reaches?: { readonly index: FileIndex; readonly byExpression: Map<string, readonly number[]> };
}

/** The statements (indices, ascending) an expression's own names reach beyond the shared ones. */
function ownReach(index: FileIndex, shared: SharedDependencies, expression: string): readonly number[] {
  // Only the expression's own names are followed beyond what every model of the file depends on.
  const own = (expression.match(IDENTIFIER) ?? []).filter((n) => !shared.seen.has(n));
  const added = new Set<number>();
  if (own.length > 0) includeReachable(index, [own], { has: (at) => shared.included[at]! || added.has(at), add: (at) => void added.add(at) }, new Set(), shared.seen);
  return [...added].sort((a, b) => a - b);
}

/** The top-level statements of `module` a model built by `expression` can depend on, in file order. */
export function modelDependencies(module: Module, text: string, expression: string, kept?: KeptReaches): ModelDependencies {
  const index = fileIndex(module, text);
  const shared = sharedDependencies(index);
  let reaches = kept?.reaches;
  if (kept && reaches?.index !== index) {
    const same = reaches !== undefined && sameDefinitionsAndNames(reaches.index, index, (name) => index.byName.has(name));
    kept.reaches = reaches = { index, byExpression: same ? reaches!.byExpression : new Map() };
  }
  // The statements the expression's own names reach beyond the shared ones, merged with those in file order: a model
  // of a 60-model file reads its own few statements, not a flag for each of the file's.
  let added = reaches?.byExpression.get(expression);
  if (!added) {
    added = ownReach(index, shared, expression);
    reaches?.byExpression.set(expression, added);
  }
  const indices = added.length === 0 ? shared.indices : mergeSorted(shared.indices, added);
  const statements: DependencyStatement[] = [];
  const ranges: Range[] = [];
  const body: Stmt[] = [];
  for (const at of indices) {
    statements.push(shared.entries[at]!);
    ranges.push(index.statements[at]!.range);
    body.push(index.statements[at]!.stmt);
  }
  return { statements, ranges, module: { body } };
}

/** Two ascending lists of distinct numbers (none in both) as one ascending list. */
function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && a[i]! < b[j]!) ? a[i++]! : b[j++]!);
  return out;
}

/** The same statements (text and first character), wherever lines inserted or deleted above them moved them. */
export function sameStatementsElsewhere(a: readonly DependencyStatement[], b: readonly DependencyStatement[]): boolean {
  return a.length === b.length && a.every((s, i) => s.character === b[i]!.character && s.text === b[i]!.text);
}

export function sameDependencies(a: readonly DependencyStatement[], b: readonly DependencyStatement[]): boolean {
  return a.length === b.length && a.every((s, i) => s.line === b[i]!.line && s.character === b[i]!.character && s.text === b[i]!.text);
}

/** The functions whose bodies a statement's execution skips: a def's own, or a class's methods. */
const bodiedFunctions = (s: Stmt): readonly FunctionDef[] => (s.k === 'def' ? [s] : s.k === 'class' ? s.body.filter((b): b is FunctionDef => b.k === 'def') : []);

/**
 * A statement's source with the bodies of its functions that `keep` does not keep replaced by what a run that skips
 * them can still read: `place` of the body (its range or its lines), whether it yields, and a leading docstring
 * (`__doc__`). `offset` places a position in the source.
 */
function withBodiesSkipped(source: string, functions: readonly FunctionDef[], offset: (p: Range['start']) => number, keep: (f: FunctionDef) => boolean, place: (body: Range) => string): string {
  let out = '';
  let from = 0;
  for (const f of functions) {
    if (keep(f)) continue;
    const docstring = f.body[0]?.k === 'expr' && f.body[0].value.k === 'str' ? f.body[0] : undefined;
    const first = f.body[docstring ? 1 : 0];
    const last = f.body[f.body.length - 1];
    if (!first || !last) continue;
    const body = { start: first.r.start, end: last.r.end };
    out += `${source.slice(from, offset(body.start))}\u0000${place(body)}${f.isGenerator ? ' yields' : ''}\u0000`;
    from = offset(body.end);
  }
  return from === 0 ? source : out + source.slice(from);
}

/**
 * A definition's text with the bodies of its functions (its own, or a class's methods) replaced by their ranges:
 * what running the definition reads. Function bodies run only when called.
 */
function definitionText(entry: StatementNames, text: string, offsets: readonly number[]): string {
  const start = (offsets[entry.range.start.line] ?? text.length) + entry.range.start.character;
  // The module scope's answer holds the classes' and functions' ranges: a body's whole range must stay.
  return withBodiesSkipped(entry.source, bodiedFunctions(entry.stmt), (p) => (offsets[p.line] ?? text.length) + p.character - start, () => false, rangeKey);
}

/** Where each position of a statement's source is, for a statement whose source starts at `statement`. */
function sourceOffsets(source: string, statement: DependencyStatement): (p: Range['start']) => number {
  const offsets = new LineIndex(source).lineStarts;
  return (p) => (offsets[p.line - statement.line] ?? source.length) + (p.line === statement.line ? p.character - statement.character : p.character);
}

/** The statements a run evaluated, and the definitions whose bodies it ran (the interpreter's ranDefinitions). */
export interface StatementsRun {
  readonly statements: readonly DependencyStatement[];
  readonly module: Module;
  readonly ran: ReadonlySet<FunctionDef>;
}

/**
 * Whether a run of `after`'s statements does what the run of `before` did: every statement is where it was, and
 * one whose text changed differs only inside bodies of functions that run never called (a keystroke in a block's
 * `forward` that a model search or another model never runs). Then the definitions `after` holds in place of those
 * `before` ran; undefined when the run could differ.
 */
export function sameRunStatements(before: StatementsRun, after: Omit<StatementsRun, 'ran'>): Set<FunctionDef> | undefined {
  const { statements, module } = after;
  if (before.statements.length !== statements.length || before.module.body.length !== module.body.length) return undefined;
  const ran = new Set<FunctionDef>();
  for (let i = 0; i < statements.length; i++) {
    const a = before.statements[i]!;
    const b = statements[i]!;
    if (a.line !== b.line || a.character !== b.character) return undefined;
    const was = bodiedFunctions(before.module.body[i]!);
    const is = bodiedFunctions(module.body[i]!);
    if (was.length !== is.length) return undefined;
    const kept = new Set<FunctionDef>();
    was.forEach((f, j) => {
      if (before.ran.has(f)) {
        ran.add(is[j]!);
        kept.add(is[j]!);
      }
    });
    if (a.text === b.text) continue;
    // A run reads no range of a function it did not call: the body's lines (where the code after it is) must stay.
    const skipped = (source: string, statement: DependencyStatement, functions: readonly FunctionDef[], keep: (f: FunctionDef) => boolean): string =>
      withBodiesSkipped(source, functions, sourceOffsets(source, statement), keep, (body) => `${body.start.line}-${body.end.line}`);
    if (skipped(a.text, a, was, (f) => before.ran.has(f)) !== skipped(b.text, b, is, (f) => kept.has(f))) return undefined;
  }
  return ran;
}

const samePlace = (a: Range, b: Range): boolean =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/**
 * Whether running the module of `after` does what running that of `before` did: every top-level statement is where
 * it was, and one whose text changed is a definition that only binds its name, which no code that runs at module
 * level reaches, and whose change is inside function bodies (an edit inside a model's forward or `__init__`).
 */
export function sameModuleScope(before: FileIndex, after: FileIndex): boolean {
  if (before.statements.length !== after.statements.length || before.dynamic || after.dynamic) return false;
  const running = sharedDependencies(after).included;
  return after.statements.every((b, i) => {
    const a = before.statements[i]!;
    if (!samePlace(a.range, b.range)) return false;
    if (a.source === b.source) return true;
    if (!a.quiet || !b.quiet || running[i]) return false;
    return definitionText(a, before.text, before.offsets) === definitionText(b, after.text, after.offsets);
  });
}
