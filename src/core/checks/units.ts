// The parts of a file the checks can evaluate apart (issue 16): the statements that run code at module
// level (imports, assignments, script code) and the definitions they reach by name form the core, which
// every part holds; the remaining definitions are grouped by the names they share (a training function
// with the model class it builds, two functions using the same module-level variable). A part is evaluated
// as its own file (the core, then its definitions), so its findings depend only on its statements' text:
// an edit re-checks the part it touched, and a 60-model file is never one evaluation whose facts grow
// with every model. A unit's key is its statements' text (as digests) without their positions, so a line inserted above
// it moves its findings instead of checking it again (../moves).
import type { Module, Stmt } from '../python/ast';
import type { Range } from '../values';
import type { Expr } from '../python/ast';
import { walkStmts } from '../python/syntax';
import { fileIndex, sameDefinitionsAndNames, type FileIndex, type StatementNames } from '../analysis/dependencies';
import type { StatementPlace } from '../moves';
import { textDigest } from '../textDigest';
import { ownText } from '../python/ownText';


export interface CheckUnit {
  /** The unit's statements in file order, as a module of their own. */
  readonly module: Module;
  /**
   * A digest of its statements' text, each with the lines above it up to the previous statement (statementKey):
   * equal keys, equal findings (with equal imported files) once moved to where the statements now are.
   */
  readonly key: string;
  /** Each statement from the first line after the file's previous statement (the comments above it, which rules read: an input comment above a class). */
  readonly places: readonly StatementPlace[];
}

/** Names imports bind: library modules, shared by everything without being state a definition changes. */
function importedNames(module: Module): Set<string> {
  const out = new Set<string>();
  for (const s of module.body) {
    if (s.k === 'import') for (const n of s.names) out.add(n.asName ?? n.module.split('.')[0]!);
    else if (s.k === 'from' && s.names !== '*') for (const n of s.names) out.add(n.asName ?? n.name);
  }
  return out;
}

/** Names module-level code binds by assignment, loops and `with`, inside `if`/`try` blocks too: state definitions may share. */
function moduleState(module: Module): Set<string> {
  const out = new Set<string>();
  const add = (t: Expr): void => {
    if (t.k === 'name') out.add(t.id);
    else if (t.k === 'tuple' || t.k === 'list') t.items.forEach(add);
    else if (t.k === 'starred') add(t.value);
  };
  walkStmts(module.body, (s) => {
    if (s.k === 'assign') s.targets.forEach(add);
    else if (s.k === 'aug') add(s.target);
    else if (s.k === 'for') add(s.target);
    else if (s.k === 'with') for (const i of s.items) if (i.asTarget) out.add(i.asTarget);
  });
  return out;
}

/** Names a `global` statement declares anywhere in the file: state a function writes for others to read. */
function globalNames(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/\bglobal\s+([\w\s,]+)/g)) for (const n of m[1]!.split(',')) if (n.trim()) out.add(n.trim());
  return out;
}

/**
 * How a file version's statements split into the core and the other units' members, with what decided it: the file
 * index (its quiet definitions and each statement's names) and the module-level state the definitions may share. An
 * edit inside a model usually changes none of what the split reads, so the split is taken again.
 */
export interface UnitGrouping {
  readonly index: FileIndex;
  readonly shared: ReadonlySet<string>;
  readonly inCore: readonly boolean[];
  /** The members of each unit besides the core, in file order, units by their first member. */
  readonly groups: readonly (readonly number[])[];
}

/** The last grouping of a document's check units (CheckCache keeps one per path), and the units made from it. */
export interface KeptGrouping {
  grouping?: UnitGrouping;
  /** Each unit of that grouping, in its groups' order, with its statements' keys. */
  units?: readonly KeptUnit[];
}

/** A unit with the keys of its statements (statementKey), which an edit elsewhere leaves the same string objects. */
interface KeptUnit {
  readonly keys: readonly string[];
  readonly unit: CheckUnit;
}

/**
 * Whether a unit of the last split holds the same statement objects, each with the same key (the same text above
 * it): then it is the same unit, at the same places (a statement object keeps its positions).
 */
function sameUnit(last: KeptUnit, body: readonly Stmt[], keys: readonly string[]): boolean {
  const before = last.unit.module.body;
  if (before.length !== body.length) return false;
  for (let i = 0; i < body.length; i++) if (before[i] !== body[i] || last.keys[i] !== keys[i]) return false;
  return true;
}

/**
 * The file's check units, or undefined when it is one: a file reaching its globals dynamically (`globals()`,
 * `eval`, `sys.modules`), or whose definitions all belong together. With `kept`, the last version's split is taken
 * again when what decides it is the same.
 */
export function checkUnits(module: Module, text: string, kept?: KeptGrouping): CheckUnit[] | undefined {
  const index = fileIndex(module, text);
  if (index.dynamic) return undefined;
  const statements = index.statements;
  const owns = statements.map(({ stmt: s }) => (s.k === 'def' || s.k === 'class' ? s.name : undefined));
  const imported = importedNames(module);
  const shared = new Set([...moduleState(module), ...globalNames(text)].filter((n) => !imported.has(n)));
  const previous = kept?.grouping;
  const sameSplit = previous !== undefined && sameGrouping(previous, index, shared);
  const grouping = sameSplit ? { ...previous, index } : groupStatements(index, owns, shared);
  // The last split's units, by their group's position: the same grouping lists its groups in the same order.
  const lastUnits = sameSplit ? kept?.units : undefined;
  if (kept) kept.grouping = grouping;
  const { inCore, groups } = grouping;
  if (groups.length <= 1) return undefined;
  const core = statements.flatMap((_, i) => (inCore[i] ? [i] : []));
  const placed = placesOf(statements, text, index.offsets);
  // Every unit holds the core: each statement's key is made once, not once per unit.
  const statementKeys: (string | undefined)[] = [];
  const keyOf = (i: number): string => (statementKeys[i] ??= statementKey(statements[i]!, placed[i]!.above));
  // A unit an edit did not touch is the last one again: its key is not joined and digested again, and the check cache
  // finds its places by identity.
  const units = groups.map((members, g): KeptUnit => {
    const indices = [...core, ...members].sort((a, b) => a - b);
    const body: Stmt[] = indices.map((i) => statements[i]!.stmt);
    const keys = indices.map(keyOf);
    const last = lastUnits?.[g];
    if (last && sameUnit(last, body, keys)) return last;
    return { keys, unit: { module: { body }, key: textDigest(keys.join('\u0000')), places: indices.map((i) => placed[i]!.place) } };
  });
  if (kept) kept.units = units;
  return units.map((u) => u.unit);
}

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
};

/**
 * Whether the statements split as `previous` says: the same quiet definitions of the same names, the same shared
 * state, and each statement naming the same of those. The split reads a statement's names only where they are a
 * quiet definition's name or shared state, so a renamed attribute or local (`self.conv1` to `self.conv2`) keeps it.
 */
function sameGrouping(previous: UnitGrouping, index: FileIndex, shared: ReadonlySet<string>): boolean {
  return sameSet(previous.shared, shared) && sameDefinitionsAndNames(previous.index, index, (name) => index.byName.has(name) || shared.has(name));
}

function groupStatements(index: FileIndex, owns: readonly (string | undefined)[], shared: ReadonlySet<string>): UnitGrouping {
  const statements = index.statements;
  // The core: statements that run code, and the definitions they reach by name, transitively.
  const inCore = statements.map((s) => !s.quiet);
  const pending = statements.flatMap((s, i) => (inCore[i] ? [...s.names] : []));
  const reached = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (reached.has(name)) continue;
    reached.add(name);
    for (const i of index.byName.get(name) ?? []) {
      if (inCore[i]) continue;
      inCore[i] = true;
      pending.push(...statements[i]!.names);
    }
  }
  // The other definitions, joined when one names another or both name the same module-level state.
  const parent = statements.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const union = (a: number, b: number): void => {
    parent[find(a)] = find(b);
  };
  const holderOfState = new Map<string, number>();
  statements.forEach((s, i) => {
    if (inCore[i]) return;
    for (const name of s.names) {
      for (const j of index.byName.get(name) ?? []) if (!inCore[j]) union(i, j);
      if (shared.has(name)) {
        const other = holderOfState.get(name);
        if (other === undefined) holderOfState.set(name, i);
        else union(i, other);
      }
    }
    // Two definitions of one name: the later replaces the earlier, so they stay together.
    const own = owns[i];
    for (const j of own ? (index.byName.get(own) ?? []) : []) if (!inCore[j]) union(i, j);
  });
  const groups = new Map<number, number[]>();
  statements.forEach((_, i) => {
    if (inCore[i]) return;
    const root = find(i);
    const members = groups.get(root);
    if (members) members.push(i);
    else groups.set(root, [i]);
  });
  return { index, shared, inCore, groups: [...groups.values()] };
}

/** A statement's key, kept with its object, its source and the text above it (an edit elsewhere leaves all three as they were). */
const STATEMENT_KEYS = new WeakMap<Stmt, { readonly source: string; readonly above: string; readonly key: string }>();

/**
 * A statement's part of its unit's key: digests of the text above it and of its source. The key of a unit was
 * their text, so each keystroke in a 5,000-line file joined and hashed all of the file's text again; an
 * unchanged statement's key is now taken from the last time.
 */
function statementKey(statement: StatementNames, above: string): string {
  const known = STATEMENT_KEYS.get(statement.stmt);
  if (known?.source === statement.source && known.above === above) return known.key;
  const key = `${textDigest(above)}\u0001${known?.source === statement.source ? known.key.slice(known.key.indexOf('\u0001') + 1) : textDigest(statement.source)}`;
  // The text above is kept as a string of its own (a slice would keep this version's whole text alive).
  STATEMENT_KEYS.set(statement.stmt, { source: statement.source, above: ownText(above), key });
  return key;
}

/** Each statement's place and the text above it (from its place's first line to the statement), by the text's line starts (the file index's). */
function placesOf(statements: readonly StatementNames[], text: string, lineStarts: readonly number[]): { place: StatementPlace; above: string }[] {
  const offset = (p: Range['start']): number => (lineStarts[p.line] ?? text.length) + p.character;
  return statements.map((s, i) => {
    const previous = statements[i - 1]?.range.end;
    // The previous statement's last line is its own unless it ends at the start of a line; a statement sharing it (`a = 1; b = 2`) starts there.
    const after = previous === undefined ? 0 : previous.character === 0 ? previous.line : previous.line + 1;
    const from = Math.min(after, s.range.start.line);
    return { place: { from, start: s.range.start, end: s.range.end }, above: text.slice(lineStarts[from] ?? text.length, offset(s.range.start)) };
  });
}


/** The statements' ranges a unit holds (for tests and diagnostics). */
export const unitRanges = (unit: CheckUnit): Range[] => unit.module.body.map((s) => s.r);
