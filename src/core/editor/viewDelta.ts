// A document's view as the worker posts it after the first: only what changed since the view it posted before
// (copying the whole view to the host took a tenth of a keystroke's analysis on a 5,000-line file). A model an
// edit did not touch keeps its items' objects (hints, variables: the analyzer's reuse and RenderedBy), so an
// array is sent as the items between the unchanged start and end its objects share with the earlier view.
import type { EditorView } from './view';

/** An array of the earlier view with its middle replaced: `keepStart` items from its start, `keepEnd` from its end. */
export interface ArraySplice {
  readonly keepStart: number;
  readonly keepEnd: number;
  readonly items: readonly unknown[];
}

/** What turns the view the worker posted for request `base` into the next one. */
export interface ViewDelta {
  readonly base: number;
  /** The new view's keys, in its order (the host's copy serialises as the worker's view does). */
  readonly keys: readonly string[];
  /** New values of the keys whose values changed, whole. */
  readonly values: Readonly<Record<string, unknown>>;
  /** New values of array keys, as splices of the earlier arrays. */
  readonly splices: Readonly<Record<string, ArraySplice>>;
}

/** A view of every model as the worker posts it: whole, or what changed since the last one it posted for the document. */
export type PostedView = { readonly full: EditorView } | { readonly path: string; readonly delta: ViewDelta };

/** The view of request `id` to post after `base` (the last view posted for the document, if any). */
export function viewToPost(base: { readonly id: number; readonly view: EditorView } | undefined, view: EditorView): PostedView {
  return base ? { path: view.path, delta: viewDelta(base, view) } : { full: view };
}

/** A view whose parts are taken from the earlier view where they hold the same data. */
export function viewDelta<V extends object>(base: { readonly id: number; readonly view: V }, next: V): ViewDelta {
  const before = new Map<string, unknown>(Object.entries(base.view));
  const values: Record<string, unknown> = {};
  const splices: Record<string, ArraySplice> = {};
  const keys: string[] = [];
  for (const [key, value] of Object.entries(next) as [string, unknown][]) {
    keys.push(key);
    const old = before.get(key);
    if (before.has(key) && sameData(old, value)) continue;
    if (Array.isArray(old) && Array.isArray(value)) splices[key] = arraySplice(old, value);
    else values[key] = value;
  }
  return { base: base.id, keys, values, splices };
}

/** The view `delta` describes, from the view it was made against (the host's copy of the worker's view `delta.base`). */
export function applyViewDelta<V extends object>(base: V, delta: ViewDelta): V {
  const before = new Map<string, unknown>(Object.entries(base));
  const out: Record<string, unknown> = {};
  for (const key of delta.keys) {
    const splice = delta.splices[key];
    const old = before.get(key);
    if (splice && Array.isArray(old)) out[key] = [...old.slice(0, splice.keepStart), ...splice.items, ...old.slice(old.length - splice.keepEnd)];
    else out[key] = key in delta.values ? delta.values[key] : old;
  }
  return out as V;
}

/** The items of `next` between the longest start and end it shares with `previous` (the same objects). */
function arraySplice(previous: readonly unknown[], next: readonly unknown[]): ArraySplice {
  const most = Math.min(previous.length, next.length);
  let keepStart = 0;
  while (keepStart < most && sameData(previous[keepStart], next[keepStart])) keepStart++;
  let keepEnd = 0;
  while (keepEnd < most - keepStart && sameData(previous[previous.length - 1 - keepEnd], next[next.length - 1 - keepEnd])) keepEnd++;
  return { keepStart, keepEnd, items: next.slice(keepStart, next.length - keepEnd) };
}

/**
 * The same data: one object, or arrays and plain objects (keys in the same order) holding the same data (a model's
 * entry, a diagnostic's range and the simulations' seed are made anew on each analysis, most with the same values).
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  const keys = Object.keys(a);
  const others = Object.keys(b);
  if (keys.length !== others.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key !== others[i] || !sameData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}
