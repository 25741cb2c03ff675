// Items of the document's view grouped by a key (a statement's or a construction's range), per model part and
// merged across parts. A model an edit did not touch keeps its parts object (the analyzer's reuse), so its groups
// are made once and only merged after each edit; a group that one part alone holds keeps its array, so what is
// rendered from a group (hints) is found again by identity.
import { pushTo } from '../groups';
export class GroupsByPart<P extends object, T> {
  private readonly known = new WeakMap<P, ReadonlyMap<string, readonly T[]>>();

  /** `group` groups one part's items; it runs once per part object. */
  constructor(private readonly group: (part: P) => ReadonlyMap<string, readonly T[]>) {}

  /**
   * The groups of every part, in the order the parts and their items come: the groups the items of all parts,
   * concatenated in that order, would make.
   */
  merged(parts: readonly P[]): Map<string, readonly T[]> {
    // A key one part alone holds (most keys) takes that part's array; the groups of a key several parts hold are
    // collected first and joined once: joining part by part copies a statement that many models run (a block's
    // forward) once per model, quadratic in their number. The keys keep the order of their first part.
    const out = new Map<string, readonly T[]>();
    let shared: Map<string, (readonly T[])[]> | undefined;
    for (const part of parts) {
      for (const [key, items] of this.of(part)) {
        const first = out.get(key);
        if (first === undefined) out.set(key, items);
        else {
          shared ??= new Map();
          const groups = shared.get(key);
          if (groups) groups.push(items);
          else shared.set(key, [first, items]);
        }
      }
    }
    if (shared) for (const [key, groups] of shared) out.set(key, groups.flat());
    return out;
  }

  private of(part: P): ReadonlyMap<string, readonly T[]> {
    let groups = this.known.get(part);
    if (!groups) {
      groups = this.group(part);
      this.known.set(part, groups);
    }
    return groups;
  }
}

/** Items grouped by a key, in the order they come; an item without a key is left out. */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key !== undefined) pushTo(groups, key, item);
  }
  return groups;
}
