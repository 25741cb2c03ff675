// How the CLI's parse cache (parseCache.ts) stores one parse. A file is lines of JSON (JSON holds no raw newline):
// the source text, then the module, then the bodies of the functions defined at module level and in module-level
// classes, which the module line gives as their line numbers. A body is read when something first asks for it:
// a ResNet-50 summary runs about a fifth of the functions torchvision's files define, and their bodies were 58% of
// the stored JSON (reading all of it, and collecting it, was most of a warm run's cache time). Every node's range
// is stored as four numbers (see RANGE_KEYS). A field a node has without a value (an assignment's missing value, a
// parameter's missing default) is stored as null and read back as undefined in its place, and an empty list is read
// as the parser's shared one, so a stored node has the fields, in the order, of the parser's (ast.ts, EMPTY_LIST).
import { EMPTY_LIST, type FunctionDef, type Module, type Range, type Stmt } from '../core/python/ast';

/** A function kept aside: the number of its body's line after the module line. */
type StoredDef = Omit<FunctionDef, 'body'> & { readonly body: number };

/**
 * The keys whose values are ranges in the syntax tree (ast.ts). Stored as `[startLine, startCharacter, endLine,
 * endCharacter]` instead of `{"start":{"line":...,"character":...},"end":{...}}`: ranges were about half of the
 * stored JSON, and reading the shorter text and making the range objects took ~two thirds of the time of reading
 * the long one (45 MB of the checks corpus's stored parses: 450 -> 300 ms). A `check` reads every function body
 * of each file it checks (the rules walk all statements), so this was ~7% of its CPU.
 */
const RANGE_KEYS: ReadonlySet<string> = new Set(['r', 'nameRange']);

/** Whether `value` is a range with exactly the keys and key order a parse gives (anything else is stored as it is). */
function isPlainRange(value: unknown): value is Range {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { start, end } = value as Partial<Range>;
  const keys = Object.keys(value);
  return keys.length === 2 && keys[0] === 'start' && keys[1] === 'end' && isPlainPosition(start) && isPlainPosition(end);
}

function isPlainPosition(value: unknown): value is Range['start'] {
  if (typeof value !== 'object' || value === null) return false;
  const keys = Object.keys(value);
  const { line, character } = value as Range['start'];
  return keys.length === 2 && keys[0] === 'line' && keys[1] === 'character' && typeof line === 'number' && typeof character === 'number';
}

/**
 * JSON.stringify's replacer: a range under a range key as its four numbers, a field without a value as null (the
 * syntax tree holds no null of its own: its numbers are finite).
 */
const compactRange = (key: string, value: unknown): unknown =>
  value === undefined ? null : RANGE_KEYS.has(key) && isPlainRange(value) ? [value.start.line, value.start.character, value.end.line, value.end.character] : value;

const storedJson = (value: unknown): string => JSON.stringify(value, compactRange);

/**
 * Puts back, in place, the range objects of a stored syntax tree (an array under a range key is one: see
 * compactRange), the fields without a value (null) and the shared empty list.
 */
function withRanges<T>(tree: T): T {
  const pending: unknown[] = [tree];
  while (pending.length > 0) {
    const value = pending.pop();
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'object' && item !== null) pending.push(item);
      continue;
    }
    const node = value as Record<string, unknown>;
    for (const key in node) {
      const child = node[key];
      if (child === null) node[key] = undefined;
      if (typeof child !== 'object' || child === null) continue;
      if (Array.isArray(child) && child.length === 0) node[key] = EMPTY_LIST;
      else if (Array.isArray(child) && RANGE_KEYS.has(key)) node[key] = { start: { line: child[0], character: child[1] }, end: { line: child[2], character: child[3] } };
      else pending.push(child);
    }
  }
  return tree;
}

/** The stored form of a parse of `text`. */
export function storedParseText(text: string, module: Module): string {
  const bodies: string[] = [];
  const aside = (def: FunctionDef): StoredDef => ({ ...def, body: bodies.push(storedJson(def.body)) - 1 });
  const inClass = (stmt: Stmt): Stmt | StoredDef => (stmt.k === 'def' ? aside(stmt) : stmt);
  const body = module.body.map((stmt) => (stmt.k === 'def' ? aside(stmt) : stmt.k === 'class' ? { ...stmt, body: stmt.body.map(inClass) } : stmt));
  return [JSON.stringify(text), storedJson({ ...module, body }), ...bodies].join('\n');
}

/**
 * The parse stored in `content` when it is one of `text` (the text is compared first), else undefined. A file
 * whose line count does not match the functions it keeps aside is not read (it throws; the caller parses afresh).
 */
export function storedParse(content: string, text: string): Module | undefined {
  const textEnd = content.indexOf('\n');
  if (textEnd < 0 || content.slice(0, textEnd) !== JSON.stringify(text)) return undefined;
  // Where each line after the module line starts.
  const starts: number[] = [];
  const moduleEnd = content.indexOf('\n', textEnd + 1);
  for (let at = moduleEnd; at >= 0; at = content.indexOf('\n', at + 1)) starts.push(at + 1);
  const module = withRanges(JSON.parse(content.slice(textEnd + 1, moduleEnd < 0 ? content.length : moduleEnd)) as Module);
  const lineOf = (index: number): string => content.slice(starts[index], index + 1 < starts.length ? starts[index + 1]! - 1 : content.length);
  let kept = 0;
  const readOnUse = (def: FunctionDef | StoredDef): void => {
    const index = def.body;
    if (index !== kept++) throw new Error('a stored parse keeps its function bodies in order');
    Object.defineProperty(def, 'body', {
      configurable: true,
      enumerable: true,
      get: () => {
        const body = withRanges(JSON.parse(lineOf(index)) as Stmt[]);
        Object.defineProperty(def, 'body', { value: body, configurable: true, enumerable: true, writable: false });
        return body;
      },
    });
  };
  for (const stmt of module.body) {
    if (stmt.k === 'def') readOnUse(stmt);
    else if (stmt.k === 'class') for (const inner of stmt.body) if (inner.k === 'def') readOnUse(inner);
  }
  if (kept !== starts.length) throw new Error('a stored parse has one line per function body it keeps aside');
  return module;
}
