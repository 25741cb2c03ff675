// How the CLI's parse cache (parseCache.ts) stores one parse. A file is lines of JSON (JSON holds no raw newline):
// the source text, then the module, then the bodies of the functions defined at module level and in module-level
// classes, which the module line gives as their line numbers. A body is read when something first asks for it:
// a ResNet-50 summary runs about a fifth of the functions torchvision's files define, and their bodies were 58% of
// the stored JSON (reading all of it, and collecting it, was most of a warm run's cache time).
import type { FunctionDef, Module, Stmt } from '../core/python/ast';

/** A function kept aside: the number of its body's line after the module line. */
type StoredDef = Omit<FunctionDef, 'body'> & { readonly body: number };

/** The stored form of a parse of `text`. */
export function storedParseText(text: string, module: Module): string {
  const bodies: string[] = [];
  const aside = (def: FunctionDef): StoredDef => ({ ...def, body: bodies.push(JSON.stringify(def.body)) - 1 });
  const inClass = (stmt: Stmt): Stmt | StoredDef => (stmt.k === 'def' ? aside(stmt) : stmt);
  const body = module.body.map((stmt) => (stmt.k === 'def' ? aside(stmt) : stmt.k === 'class' ? { ...stmt, body: stmt.body.map(inClass) } : stmt));
  return [JSON.stringify(text), JSON.stringify({ ...module, body }), ...bodies].join('\n');
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
  const module = JSON.parse(content.slice(textEnd + 1, moduleEnd < 0 ? content.length : moduleEnd)) as Module;
  const lineOf = (index: number): string => content.slice(starts[index], index + 1 < starts.length ? starts[index + 1]! - 1 : content.length);
  let kept = 0;
  const readOnUse = (def: FunctionDef | StoredDef): void => {
    const index = def.body;
    if (index !== kept++) throw new Error('a stored parse keeps its function bodies in order');
    Object.defineProperty(def, 'body', {
      configurable: true,
      enumerable: true,
      get: () => {
        const body = JSON.parse(lineOf(index)) as Stmt[];
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
