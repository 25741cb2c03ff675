// The undo journal behind branches the analysis cannot decide. When a condition is unknown, each branch
// runs in turn from the same state: the journal snapshots every container a branch changes (scope and
// attribute maps, dicts, module registries, lists, module and parameter fields) the first time it
// changes, records what the branch left there, and puts the state back before the next branch runs.
// Joining what the branches left is the interpreter's business; this file only keeps the books.

/**
 * How the interpreter joins what two branches left in a container of this kind: Python values by slot
 * ('values' maps, dict 'entries', list 'items'), module registries ('children', 'params'), an object's
 * own 'fields', and 'log' arrays where everything either side added stands (recorded calls, returns).
 */
export type ContainerKind = 'values' | 'entries' | 'children' | 'params' | 'items' | 'fields' | 'log';

/** A container's contents: map entries, list items, or an object's own fields. */
export type Contents = Map<unknown, unknown> | unknown[] | Record<string, unknown>;

interface Touched {
  readonly kind: ContainerKind;
  readonly target: object;
  /** The contents before the branch changed it. */
  readonly before: Contents;
}

/** What one branch left in one container it changed. */
export interface BranchChange {
  readonly kind: ContainerKind;
  readonly target: object;
  readonly before: Contents;
  readonly after: Contents;
}

export type BranchOutcome<T> = { readonly kind: 'done'; readonly value: T } | { readonly kind: 'raised'; readonly error: unknown };

export interface BranchRun<T> {
  readonly outcome: BranchOutcome<T>;
  readonly changes: ReadonlyMap<object, BranchChange>;
}

function copyContents(target: object): Contents {
  if (target instanceof Map) return new Map(target);
  if (Array.isArray(target)) return [...(target as unknown[])];
  return { ...(target as Record<string, unknown>) };
}

/** Puts `contents` back into `target` in place, so every reference to the container sees it. */
export function restoreContents(target: object, contents: Contents): void {
  if (target instanceof Map) {
    Map.prototype.clear.call(target);
    for (const [k, v] of contents as Map<unknown, unknown>) Map.prototype.set.call(target, k, v);
  } else if (Array.isArray(target)) {
    target.length = 0;
    for (const v of contents as unknown[]) target.push(v);
  } else {
    const record = target as Record<string, unknown>;
    for (const key of Object.keys(record)) if (!(key in (contents as Record<string, unknown>))) delete record[key];
    Object.assign(record, contents);
  }
}

export class Journal {
  /** One frame per branch being run, innermost last. */
  private readonly frames: Map<object, Touched>[] = [];

  /** True while some branch runs: what happens then may not happen for real. */
  get active(): boolean {
    return this.frames.length > 0;
  }

  /** Call before changing a container in place; it costs one copy per container per branch. */
  touch(kind: ContainerKind, target: object): void {
    const frame = this.frames[this.frames.length - 1];
    if (!frame || frame.has(target)) return;
    frame.set(target, { kind, target, before: copyContents(target) });
  }

  /** Runs `body` as if no branch were running: what it changes stays when the branches are undone. */
  outside<T>(body: () => T): T {
    const frames = this.frames.splice(0);
    try {
      return body();
    } finally {
      this.frames.push(...frames);
    }
  }

  /**
   * Runs one branch: records every container it changes and what it left there, then restores them.
   * An exception from the branch is returned as its outcome, never lost; the state is restored either way.
   */
  run<T>(body: () => T): BranchRun<T> {
    const frame = new Map<object, Touched>();
    this.frames.push(frame);
    let outcome: BranchOutcome<T>;
    try {
      outcome = { kind: 'done', value: body() };
    } catch (error) {
      outcome = { kind: 'raised', error };
    } finally {
      this.frames.pop();
    }
    const changes = new Map<object, BranchChange>();
    for (const t of frame.values()) changes.set(t.target, { ...t, after: copyContents(t.target) });
    for (const t of frame.values()) restoreContents(t.target, t.before);
    return { outcome, changes };
  }
}

/** A Map whose in-place changes the journal records while a branch runs. */
export class TrackedMap<K, V> extends Map<K, V> {
  private journal: Journal | undefined;
  private kindOfContents: ContainerKind = 'values';
  /** An id from the interpreter's object ids: a branch whose first id is at most this one created the map. */
  born = 0;

  static of<K, V>(journal: Journal, kind: ContainerKind, born: number, entries?: Iterable<readonly [K, V]>): TrackedMap<K, V> {
    const map = new TrackedMap<K, V>();
    if (entries) for (const [k, v] of entries) Map.prototype.set.call(map, k, v);
    map.journal = journal;
    map.kindOfContents = kind;
    map.born = born;
    return map;
  }

  override set(key: K, value: V): this {
    this.journal?.touch(this.kindOfContents, this);
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    if (this.has(key)) this.journal?.touch(this.kindOfContents, this);
    return super.delete(key);
  }

  override clear(): void {
    if (this.size > 0) this.journal?.touch(this.kindOfContents, this);
    super.clear();
  }
}
