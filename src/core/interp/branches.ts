// Joining the branches of a condition the analysis cannot decide. Both sides ran from the same state
// (journal.ts keeps the books); here what they left is merged: a value equal on both sides stays, a value
// that differs becomes Unknown naming both sides, and what only one side created is kept and, for modules,
// marked "only if <condition>". The interpreter decides nothing on an unknown condition.
import type { Dim } from '../dims/dims';
import * as dims from '../dims/dims';
import { unknown } from '../values';
import type { BranchChange, BranchRun, ContainerKind, Contents, Slot } from './journal';
import { ABSENT, TrackedMap, contentsWith } from './journal';
import type { Interpreter } from './interpreter';
import { describe } from './interpreter';
import type { ObjectV, ParamInfo, Value } from './values';
import { tupleV } from './values';
import { valuesEqual } from './scalars';

/** One side of an undecided condition: what it assumed, and the first object id it could create. */
export interface Side {
  readonly assumption: string;
  /** Objects with this id or a higher one were created on this side (so exist only if it is taken). */
  readonly firstId: number;
}

/** A branch that ran to its end (normally, or by return/break/continue), with the condition it assumed. */
export interface LiveBranch<T> extends Side {
  readonly value: T;
  readonly changes: BranchRun<T>['changes'];
}

/** A function's return that happened only under a condition; the function's result joins them all. */
export interface PendingReturn {
  readonly value: Value;
  readonly assumption: string;
}

/**
 * Marks a module created (or, `registered`, made a child) on one side of an undecided condition: it exists
 * only if that side is taken. A module merely used on one side is left alone; the innermost mark wins.
 */
export function markOnlyIf(interp: Interpreter, v: unknown, side: Side, registered = false): void {
  const obj = v as Partial<ObjectV> | null;
  if (obj?.kind !== 'object' || !obj.module || obj.module.onlyIf !== undefined) return;
  if (!registered && (obj.id ?? 0) < side.firstId) return;
  interp.journal.touch('fields', obj.module);
  obj.module.onlyIf = side.assumption;
}

function sameShape(a: readonly Dim[] | null, b: readonly Dim[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((d, i) => dims.equal(d, b[i]!) === true);
}

/** Whether a value is a plain scalar, equal on both sides when its value is (a function: a closure would be made per join). */
function plain(v: Value): boolean {
  return v.kind === 'none' || v.kind === 'bool' || v.kind === 'int' || v.kind === 'float' || v.kind === 'str';
}

/** The value of a variable after the two sides of `assumption` / its negation. */
export function joinValues(interp: Interpreter, a: Slot<Value>, b: Slot<Value>, whenA: Side, whenB: Side): Slot<Value> {
  if (a === ABSENT) {
    markOnlyIf(interp, b, whenB);
    return b;
  }
  if (b === ABSENT) {
    markOnlyIf(interp, a, whenA);
    return a;
  }
  if (a === b) return a;
  if (plain(a) && plain(b) && a.kind === b.kind && valuesEqual(a, b) === true) return a;
  if (a.kind === 'tensor' && b.kind === 'tensor' && a.dtype === b.dtype && sameShape(a.shape, b.shape)) return a;
  if (a.kind === 'tuple' && b.kind === 'tuple' && a.items.length === b.items.length) {
    return tupleV(a.items.map((x, i) => joinValues(interp, x, b.items[i]!, whenA, whenB) as Value));
  }
  if (a.kind === 'unknown' && b.kind === 'unknown') return a.reason === b.reason ? a : unknown(`${a.reason}; or ${b.reason}`, a.range);
  if (a.kind === 'unknown') return a;
  if (b.kind === 'unknown') return b;
  const joined = unknown(`${describe(a)} if ${whenA.assumption}, else ${describe(b)}`);
  // The checks' facts keep both (the loss or optimizer a conditional chose may be either).
  interp.observer?.alternatives?.(joined, [...(interp.observer.alternativesOf?.(a) ?? [a]), ...(interp.observer.alternativesOf?.(b) ?? [b])]);
  return joined;
}

/** One slot of a map after both sides: `kind` says what the map holds. */
function joinSlot(interp: Interpreter, kind: ContainerKind, a: Slot<unknown>, b: Slot<unknown>, whenA: Side, whenB: Side, born: number): Slot<unknown> {
  if (a === b) return a;
  if (kind === 'values') return joinValues(interp, a as Slot<Value>, b as Slot<Value>, whenA, whenB);
  if (kind === 'entries') {
    type Entry = { key: Value; value: Value };
    if (a === ABSENT || b === ABSENT) {
      const [present, when] = a === ABSENT ? [b as Entry, whenB] : [a as Entry, whenA];
      markOnlyIf(interp, present.value, when);
      return present;
    }
    const [ea, eb] = [a as Entry, b as Entry];
    return { key: ea.key, value: joinValues(interp, ea.value, eb.value, whenA, whenB) as Value };
  }
  if (a === ABSENT || b === ABSENT) {
    // A child module or parameter registered on one side only: kept, and marked, unless the module
    // holding it was itself created on that side (then the module carries the mark).
    const [present, when] = a === ABSENT ? [b, whenB] : [a, whenA];
    if (born >= when.firstId) return present;
    if (kind === 'children') markOnlyIf(interp, present, when, true);
    if (kind === 'params' && present) {
      interp.journal.touch('fields', present as object);
      (present as ParamInfo).onlyIf ??= when.assumption;
    }
    return present;
  }
  // Two different modules (or parameters) under one name: a registry slot cannot hold Unknown, so the
  // first side's stays, marked as holding only then, and the analysis says so.
  if (kind === 'children' || kind === 'params') {
    if (kind === 'children') markOnlyIf(interp, a, whenA, true);
    interp.noteUnknown(`a different ${kind === 'children' ? 'module' : 'parameter'} is registered if ${whenB.assumption}`);
    return a;
  }
  return a;
}

function joinMaps(interp: Interpreter, kind: ContainerKind, a: Map<unknown, unknown>, b: Map<unknown, unknown>, whenA: Side, whenB: Side, born: number): Map<unknown, unknown> {
  const out = new Map<unknown, unknown>();
  const keys = new Set([...a.keys(), ...b.keys()]);
  for (const k of keys) {
    const joined = joinSlot(interp, kind, a.has(k) ? a.get(k) : ABSENT, b.has(k) ? b.get(k) : ABSENT, whenA, whenB, born);
    if (joined !== ABSENT) out.set(k, joined);
  }
  return out;
}

/** List items: joined position by position; what one side appended beyond the other is kept and marked. */
function joinItems(interp: Interpreter, a: unknown[], b: unknown[], whenA: Side, whenB: Side): unknown[] {
  const common = Math.min(a.length, b.length);
  const out: unknown[] = [];
  for (let i = 0; i < common; i++) out.push(joinValues(interp, a[i] as Value, b[i] as Value, whenA, whenB));
  const longer = a.length > b.length ? a : b;
  const when = a.length > b.length ? whenA : whenB;
  for (let i = common; i < longer.length; i++) {
    markOnlyIf(interp, longer[i], when);
    out.push(longer[i]);
  }
  return out;
}

function joinContents(interp: Interpreter, kind: ContainerKind, a: Contents, b: Contents, whenA: Side, whenB: Side, born: number): Contents {
  if (kind === 'items') return joinItems(interp, a as unknown[], b as unknown[], whenA, whenB);
  // What either side logged stands, in the order the sides ran.
  if (kind === 'log') return [...new Set([...(a as unknown[]), ...(b as unknown[])])];
  if (kind === 'fields') {
    const [ra, rb] = [a as Record<string, unknown>, b as Record<string, unknown>];
    // Bookkeeping fields (a layer's config, training mode) keep the first side's value when they differ. A field
    // one side left unset (undefined: modules and parameters have every field from the start) takes the other's.
    const out: Record<string, unknown> = { ...rb };
    for (const key of Object.keys(ra)) if (ra[key] !== undefined) out[key] = ra[key];
    return out;
  }
  return joinMaps(interp, kind, a as Map<unknown, unknown>, b as Map<unknown, unknown>, whenA, whenB, born);
}

/** A changed map's slots after every live branch, when each branch only set keys in it. */
type KeyedChange = Extract<BranchChange, { keyed: true }>;

/** A branch's value of `key` of `target`: what it set, else the map's own (the same on both sides). */
function slotOf(target: Map<unknown, unknown>, change: KeyedChange | undefined, key: unknown): Slot<unknown> {
  return change !== undefined && change.slots.has(key) ? change.slots.get(key) : target.has(key) ? target.get(key) : ABSENT;
}

/**
 * A map every live branch only set keys in: the keys either side set are joined, in the order a join of
 * the whole maps meets them (the map's own keys, then the first side's new keys, then the second's), and
 * written in place; keys neither side set are equal on both and stay.
 */
function joinKeyed(interp: Interpreter, target: TrackedMap<unknown, unknown>, kind: ContainerKind, a: KeyedChange | undefined, b: KeyedChange | undefined, live: readonly LiveBranch<unknown>[], single: number | undefined): void {
  if (single !== undefined) {
    const change = single === 0 ? a : b;
    if (change) interp.journal.writeSlots(kind, target, change.slots);
    return;
  }
  // [key, slot, key, slot, ...]: the keys in join order, then each key's slot joined, every one before any is
  // written. forEach, not for-of: unoptimised code makes an iterator result per key of a for-of.
  const joined: unknown[] = [];
  let ownSet = 0;
  const countOwn = (_: unknown, k: unknown): void => {
    if (target.has(k)) ownSet++;
  };
  a?.slots.forEach(countOwn);
  b?.slots.forEach(countOwn);
  if (ownSet > 1) {
    target.forEach((_, k) => {
      if (a?.slots.has(k) === true || b?.slots.has(k) === true) joined.push(k, ABSENT);
    });
  } else if (ownSet === 1) {
    // The one key of the map's own either side set (a key both set counts twice, so is never here alone).
    const findOwn = (_: unknown, k: unknown): void => {
      if (joined.length === 0 && target.has(k)) joined.push(k, ABSENT);
    };
    a?.slots.forEach(findOwn);
    b?.slots.forEach(findOwn);
  }
  a?.slots.forEach((_, k) => {
    if (!target.has(k)) joined.push(k, ABSENT);
  });
  b?.slots.forEach((_, k) => {
    if (!target.has(k) && a?.slots.has(k) !== true) joined.push(k, ABSENT);
  });
  const whenA = live[0]!;
  const whenB = live[1]!;
  for (let i = 0; i < joined.length; i += 2) {
    const k = joined[i];
    joined[i + 1] = joinSlot(interp, kind, slotOf(target, a, k), slotOf(target, b, k), whenA, whenB, target.born);
  }
  for (let i = 0; i < joined.length; i += 2) interp.journal.writeSlot(kind, target, joined[i], joined[i + 1] as Slot<unknown>);
}

/** A branch's whole contents of a container it changed (or left as it is now, which is as it was before). */
function contentsAfter(target: object, change: BranchChange | undefined): Contents {
  if (!change) return target instanceof Map ? new Map(target) : Array.isArray(target) ? [...(target as unknown[])] : { ...(target as Record<string, unknown>) };
  return change.keyed ? contentsWith(change.target, change.slots) : change.after;
}

/** Joins what the live branches left in one container either of them changed. */
function joinTarget(interp: Interpreter, target: object, kind: ContainerKind, live: readonly LiveBranch<unknown>[], localsOf: { readonly vars: Map<string, Value>; readonly branch: number } | undefined): void {
  const a = live[0]!.changes.get(target);
  const b = live.length > 1 ? live[1]!.changes.get(target) : undefined;
  const single = live.length === 1 ? 0 : localsOf && target === localsOf.vars ? localsOf.branch : undefined;
  if (target instanceof TrackedMap && (a === undefined || a.keyed) && (b === undefined || b.keyed)) {
    joinKeyed(interp, target, kind, a, b, live, single);
    return;
  }
  const joined = single !== undefined ? contentsAfter(target, single === 0 ? a : b) : joinContents(interp, kind, contentsAfter(target, a), contentsAfter(target, b), live[0]!, live[1]!, target instanceof TrackedMap ? target.born : 0);
  interp.journal.replaceContents(kind, target, joined);
}

/**
 * Writes back what the live branches left: one branch's state as it left it, two branches' joined. With
 * `localsOf`, the variables of that scope come from that branch alone (the other one returned, so its
 * local variables are gone). Every container is as it was before the branches when this runs.
 */
export function joinStates(interp: Interpreter, live: readonly LiveBranch<unknown>[], localsOf?: { readonly vars: Map<string, Value>; readonly branch: number }): void {
  // Every container either side changed, the first side's in its order, then the second side's others; objects'
  // own fields first: joining the maps after them may mark a module or parameter "only if", which writing their
  // fields back afterwards would undo. forEach, not for-of (see joinKeyed).
  const first = live[0]!.changes;
  const second = live.length > 1 ? live[1]!.changes : undefined;
  let fields = true;
  const join = (change: BranchChange, target: object): void => {
    if ((change.kind === 'fields') === fields) joinTarget(interp, target, change.kind, live, localsOf);
  };
  const joinSecondOnly = (change: BranchChange, target: object): void => {
    if (!first.has(target)) join(change, target);
  };
  first.forEach(join);
  second?.forEach(joinSecondOnly);
  fields = false;
  first.forEach(join);
  second?.forEach(joinSecondOnly);
}
