// The undo journal behind branches the analysis cannot decide. When a condition is unknown, each branch
// runs in turn from the same state: the journal records what a branch changes, keeps what the branch left,
// and puts the state back before the next branch runs. Maps a branch only sets keys in (scope and attribute
// maps, dicts, module registries) cost one entry per key written; other containers (lists, logs, module and
// parameter fields, a map a key was deleted from) are copied whole the first time the branch changes them.
// Joining what the branches left is the interpreter's business; this file only keeps the books.

/**
 * How the interpreter joins what two branches left in a container of this kind: Python values by slot
 * ('values' maps, dict 'entries', list 'items'), module registries ('children', 'params'), an object's
 * own 'fields', and 'log' arrays where everything either side added stands (recorded calls, returns).
 */
export type ContainerKind = 'values' | 'entries' | 'children' | 'params' | 'items' | 'fields' | 'log' | 'aside';

/** A container's contents: map entries, list items, or an object's own fields. */
export type Contents = Map<unknown, unknown> | unknown[] | Record<string, unknown>;

/** A slot a map did not have (before a branch added the key, or after it deleted it). */
export const ABSENT: unique symbol = Symbol('absent');
export type Slot<V> = V | typeof ABSENT;

/**
 * What a branch (or a kept run) changed in one container, one record per container. A map the branch has only set
 * keys in (`keyed`) has `slots`: per key written, its value before the branch (ABSENT when new) while the branch
 * runs, and its value after once the branch has ended (the same map: undoing swaps them, so a branch's report
 * costs no copy). The keys the branch added come after the map's own keys in the order it added them, so undoing
 * is deleting those and setting the others back, and every other key and the order stay as they were. Any other
 * container (lists, objects, a map a key was deleted from) is copied whole the first time the branch changes it
 * (`before`), and again when the branch ends (`after`).
 */
interface Touched {
  readonly kind: ContainerKind;
  readonly target: object;
  keyed: boolean;
  slots: Map<unknown, Slot<unknown>> | undefined;
  before: Contents | undefined;
  after: Contents | undefined;
}

/**
 * What one branch left in one container it changed: whole contents after (`keyed` false), or, for a map it only
 * set keys in, the keys it set with their values after (`keyed` true; ABSENT for none).
 */
export type BranchChange =
  | { readonly kind: ContainerKind; readonly target: object; readonly keyed: false; readonly after: Contents }
  | { readonly kind: ContainerKind; readonly target: TrackedMap<unknown, unknown>; readonly keyed: true; readonly slots: ReadonlyMap<unknown, Slot<unknown>> };

export type BranchOutcome<T> = { readonly kind: 'done'; readonly value: T } | { readonly kind: 'raised'; readonly error: unknown };

export interface BranchRun<T> {
  readonly outcome: BranchOutcome<T>;
  readonly changes: ReadonlyMap<object, BranchChange>;
}

export function copyContents(target: object): Contents {
  if (target instanceof Map) return new Map(target);
  if (Array.isArray(target)) return [...(target as unknown[])];
  return { ...(target as Record<string, unknown>) };
}

/** Whether two contents hold the same keys and values (by identity), in the same order. */
export function sameContents(a: Contents, b: Contents): boolean {
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    const other = b.entries();
    for (const [key, value] of a) {
      const next = other.next().value as [unknown, unknown];
      if (next[0] !== key || next[1] !== value) return false;
    }
    return true;
  }
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => v === b[i]);
  const keys = Object.keys(a);
  const otherKeys = Object.keys(b);
  return keys.length === otherKeys.length && keys.every((k, i) => k === otherKeys[i] && (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}

/** Puts `contents` back into `target` in place, so every reference to the container sees it. */
export function restoreContents(target: object, contents: Contents): void {
  // forEach and indexed loops, not for-of: unoptimised code makes an iterator result per item of a for-of.
  if (target instanceof Map) {
    Map.prototype.clear.call(target);
    (contents as Map<unknown, unknown>).forEach((v, k) => Map.prototype.set.call(target, k, v));
  } else if (Array.isArray(target)) {
    const items = contents as unknown[];
    target.length = 0;
    for (let i = 0; i < items.length; i++) target.push(items[i]);
  } else {
    const record = target as Record<string, unknown>;
    for (const key of Object.keys(record)) if (!(key in (contents as Record<string, unknown>))) delete record[key];
    Object.assign(record, contents);
  }
}

/** Writes one slot of a map without telling the journal (ABSENT deletes the key). */
function writeSlot(map: Map<unknown, unknown>, key: unknown, value: Slot<unknown>): void {
  if (value === ABSENT) Map.prototype.delete.call(map, key);
  else Map.prototype.set.call(map, key, value);
}

/** A map's contents with a keyed change's slots written over them (keys it added come last, in its order). */
export function contentsWith(map: Map<unknown, unknown>, slots: ReadonlyMap<unknown, Slot<unknown>>): Map<unknown, unknown> {
  const out = new Map(map);
  for (const [k, v] of slots) writeSlot(out, k, v);
  return out;
}

export class Journal {
  /** One frame per branch being run, innermost last. */
  private readonly frames: Map<object, Touched>[] = [];
  /**
   * While a kept session's later run goes on (see src/core/interp/keptSession.ts): what that run changes outside
   * any branch in containers that were there before it began, so that all of it can be put back after the run.
   * Maps born after `keptBorn` are the run's own and are not recorded.
   */
  private kept: Map<object, Touched> | undefined;
  private keptBorn = 0;
  /**
   * Ranges [first, end) of ids past `keptBorn` whose maps a kept run records too: the objects of a module load a
   * kept session replays in later runs (Interpreter.replayingLoad), which those runs may change like the module
   * level's own; one range per load, for the session's life.
   */
  private readonly keptRanges = new Map<object, readonly [number, number]>();
  /** The lowest first and highest end of those ranges: most maps a run changes are born outside them. */
  private keptRangesLow = 0;
  private keptRangesHigh = 0;

  constructor() {
    // V8 compiles code against a field that has held one value since its object was made (a constant), and throws
    // that code away when the field is first written again: the first kept run of a process (a warm summary) wrote
    // these and deoptimised every method that changes a container (assignName, callFunction, the torch runtime's
    // module calls...). Written a second time here, they are plain fields from the start; `kept` holds a map and
    // then nothing, so that V8 expects any value there (a field that held only undefined is typed as such, and its
    // first map deoptimised the same methods).
    this.kept = new Map();
    this.kept = undefined;
    this.keptBorn = 0;
    this.keptRangesLow = 0;
    this.keptRangesHigh = 0;
  }

  /** True while some branch runs: what happens then may not happen for real. */
  get active(): boolean {
    return this.frames.length > 0;
  }

  /** Call before changing a container in place any way; it costs one copy per container per branch. */
  touch(kind: ContainerKind, target: object): void {
    // Most writes happen outside any branch: the length test comes first, as reading past the end of an empty
    // array is a slow path in V8 (it was 2.5% of a warm ResNet-50 summary's CPU in touchKey alone).
    const frames = this.frames;
    // A kept run's record and a branch's are one call, and the test of a kept run runs on every write outside
    // branches: the editor's analyses run branches but no kept run, and V8 deoptimised each optimised method that
    // first reached a call or property it had never run (see touchKey).
    const kept = this.kept;
    const frame = frames.length > 0 ? frames[frames.length - 1] : kind !== 'fields' && (!(target instanceof TrackedMap) || this.keeps(target.born)) ? kept : undefined;
    if (frame !== undefined) this.recordCopy(frame, kind, target);
  }

  private recordCopy(frame: Map<object, Touched>, kind: ContainerKind, target: object): void {
    const touched = frame.get(target);
    if (touched === undefined) frame.set(target, { kind, target, keyed: false, slots: undefined, before: copyContents(target), after: undefined });
    else if (touched.keyed) {
      // A map only set in so far: its contents before the branch are the contents now with the old slots back.
      touched.before = contentsWith(target as Map<unknown, unknown>, touched.slots!);
      touched.keyed = false;
      touched.slots = undefined;
    }
  }

  /** Call before setting `key` of a tracked map; it costs one entry per key per branch. */
  touchKey(kind: ContainerKind, map: TrackedMap<unknown, unknown>, key: unknown): void {
    const frames = this.frames;
    // As in touch: one call records for a branch or a kept run, and the kept run's tests run on every write.
    const kept = this.kept;
    const frame = frames.length > 0 ? frames[frames.length - 1] : this.keeps(map.born) ? kept : undefined;
    if (frame !== undefined) this.recordKey(frame, kind, map, key);
  }

  private recordKey(frame: Map<object, Touched>, kind: ContainerKind, map: TrackedMap<unknown, unknown>, key: unknown): void {
    const touched = frame.get(map);
    if (touched === undefined) {
      const slots = new Map<unknown, Slot<unknown>>();
      slots.set(key, map.has(key) ? map.get(key) : ABSENT);
      frame.set(map, { kind, target: map, keyed: true, slots, before: undefined, after: undefined });
    } else if (touched.keyed && !touched.slots!.has(key)) touched.slots!.set(key, map.has(key) ? map.get(key) : ABSENT);
  }

  /** Writes one slot of a tracked map (a join's result), recorded like any change in the branch running now. */
  writeSlot(kind: ContainerKind, map: TrackedMap<unknown, unknown>, key: unknown, value: Slot<unknown>): void {
    if (value === ABSENT) {
      if (map.has(key)) this.touch(kind, map);
    } else this.touchKey(kind, map, key);
    writeSlot(map, key, value);
  }

  /** Writes slots of a tracked map (a join's result), recorded like any change in the branch running now. */
  writeSlots(kind: ContainerKind, map: TrackedMap<unknown, unknown>, slots: ReadonlyMap<unknown, Slot<unknown>>): void {
    slots.forEach((value, key) => this.writeSlot(kind, map, key, value));
  }

  /** Replaces a container's contents (a join's result), recorded like any change in the branch running now. */
  replaceContents(kind: ContainerKind, target: object, contents: Contents): void {
    this.touch(kind, target);
    restoreContents(target, contents);
  }

  /**
   * Records, until `putBack`, every change made outside branches to a container that exists now: maps born at or
   * before `born`; every list, log and 'aside' record, as those carry no birth id. A module's or parameter's
   * 'fields' are not recorded: a kept session's module level leaves no module (keptSession.ts), so every module
   * and parameter a run changes is the run's own.
   */
  keepChanges(born: number): void {
    this.kept = new Map();
    this.keptBorn = born;
  }

  /** Whether a kept run records changes to a map born with this id. */
  private keeps(born: number): boolean {
    return born <= this.keptBorn || (born >= this.keptRangesLow && born < this.keptRangesHigh && this.inKeptRange(born));
  }

  private inKeptRange(born: number): boolean {
    for (const [first, end] of this.keptRanges.values()) if (born >= first && born < end) return true;
    return false;
  }

  /**
   * Records, in this kept run and the later ones, changes to maps born with ids in [first, end) too: the objects
   * of the load `site` keeps (a load recorded again replaces its range; the objects of the last are unreachable).
   */
  keepAlso(site: object, first: number, end: number): void {
    this.keptRanges.set(site, [first, end]);
    const ranges = [...this.keptRanges.values()];
    this.keptRangesLow = Math.min(...ranges.map(([low]) => low));
    this.keptRangesHigh = Math.max(...ranges.map(([, high]) => high));
  }

  /** The containers the kept run has changed so far, in order, each with its contents now; undefined outside one. */
  keptContents(): (readonly [object, Contents])[] | undefined {
    return this.kept && [...this.kept.keys()].map((target) => [target, copyContents(target)] as const);
  }

  /** Puts back every container changed since `keepChanges` as it was then, and stops recording. */
  putBack(): void {
    const kept = this.kept;
    this.kept = undefined;
    if (!kept) return;
    kept.forEach(undo);
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
    // Each record becomes the branch's report as the container is put back: a keyed map's slots take the values
    // the branch left as the old ones are written back (keys are distinct, so the order of writes changes nothing),
    // and a copied container's contents are copied before they are restored. forEach, not for-of: unoptimised code
    // makes an iterator result (and an entry array) per item of a for-of.
    frame.forEach(endBranch);
    return { outcome, changes: frame as ReadonlyMap<object, BranchChange> };
  }
}

/** Puts a container a branch or a kept run changed back as it was before. */
function undo(t: Touched): void {
  if (t.keyed) {
    const map = t.target as Map<unknown, unknown>;
    t.slots!.forEach((value, key) => writeSlot(map, key, value));
  } else restoreContents(t.target, t.before!);
}

/** Puts a container a branch changed back as it was before, keeping in the record what the branch left. */
function endBranch(t: Touched): void {
  if (t.keyed) {
    const map = t.target as Map<unknown, unknown>;
    const slots = t.slots!;
    // Setting a key a map already has keeps its place in the map's order (so does the forEach over it).
    slots.forEach((before, key) => {
      slots.set(key, map.has(key) ? map.get(key) : ABSENT);
      writeSlot(map, key, before);
    });
  } else {
    t.after = copyContents(t.target);
    restoreContents(t.target, t.before!);
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
    this.journal?.touchKey(this.kindOfContents, this as TrackedMap<unknown, unknown>, key);
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
