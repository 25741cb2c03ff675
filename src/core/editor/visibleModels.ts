// Which model classes the editor analyses first: those the user can see, and every class that can run their
// code (it names them, directly or through other definitions). A class's analysis depends only on classes that
// can run it, so analysing this set first, in the usual order, gives these classes the results the whole pass
// gives them (src/core/editor/documentAnalysis.ts posts them as a partial view before the rest).
import type { Expr, Module, Stmt } from '../python/ast';
import type { Range } from '../values';
import { fileIndex } from '../analysis/dependencies';

/** Lines an editor shows, 0-based and inclusive. */
export interface LineRange {
  readonly start: number;
  readonly end: number;
}

/** Names a top-level statement binds (a definition's name, assignment targets). */
function boundNames(s: Stmt): string[] {
  if (s.k === 'class' || s.k === 'def') return [s.name];
  if (s.k !== 'assign') return [];
  const names: string[] = [];
  const add = (t: Expr): void => {
    if (t.k === 'name') names.push(t.id);
    else if (t.k === 'tuple' || t.k === 'list') t.items.forEach(add);
  };
  s.targets.forEach(add);
  return names;
}

const overlaps = (r: Range, lines: LineRange): boolean => r.start.line <= lines.end && r.end.line >= lines.start;

/**
 * The classes to analyse first for these visible lines: the classes and functions defined there, and every class
 * that reads one of their names, directly or through other top-level definitions and assignments. Undefined when
 * that is no class or every class (nothing to show sooner), or when the file reaches its globals dynamically.
 */
export function visibleFirstClasses(module: Module, text: string, visible: readonly LineRange[]): ReadonlySet<string> | undefined {
  const index = fileIndex(module, text);
  if (index.dynamic || visible.length === 0) return undefined;
  const readers = new Map<string, number[]>();
  index.statements.forEach((s, i) => {
    for (const name of s.names) {
      const list = readers.get(name);
      if (list) list.push(i);
      else readers.set(name, [i]);
    }
  });
  const reached = new Set<number>();
  const wanted: string[] = [];
  index.statements.forEach((s, i) => {
    if ((s.stmt.k === 'class' || s.stmt.k === 'def') && visible.some((lines) => overlaps(s.range, lines))) {
      reached.add(i);
      wanted.push(...boundNames(s.stmt));
    }
  });
  const seen = new Set<string>();
  while (wanted.length > 0) {
    const name = wanted.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const i of readers.get(name) ?? []) {
      if (reached.has(i)) continue;
      reached.add(i);
      wanted.push(...boundNames(index.statements[i]!.stmt));
    }
  }
  const classes = new Set([...reached].flatMap((i) => (index.statements[i]!.stmt.k === 'class' ? boundNames(index.statements[i]!.stmt) : [])));
  const total = module.body.filter((s) => s.k === 'class').length;
  return classes.size === 0 || classes.size >= total ? undefined : classes;
}
