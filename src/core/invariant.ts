// Checked element access for places where the code itself (never the input) guarantees the element exists.
// With noUncheckedIndexedAccess an index reads `T | undefined`; where bad input can make it missing the caller
// handles that (a message or Unknown), and where only a bug could, these helpers say which invariant broke.

/** A broken invariant of the code: a bug in ML Notes, never a consequence of the user's input. */
export class InternalError extends Error {
  constructor(invariant: string) {
    super(`internal error: ${invariant}`);
    this.name = 'InternalError';
  }
}

/** `items[index]`, which `invariant` says exists (e.g. "one colour per series"). */
export function at<T>(items: ArrayLike<T>, index: number, invariant: string): T {
  const item = items[index];
  if (item === undefined) throw new InternalError(`${invariant} (no element ${index} of ${items.length})`);
  return item;
}

/** The last element of `items`, which `invariant` says is not empty. */
export function last<T>(items: ArrayLike<T>, invariant: string): T {
  return at(items, items.length - 1, invariant);
}

/** A value `invariant` says is defined (a map entry set just before, a regular expression's non-optional group). */
export function defined<T>(value: T | undefined, invariant: string): T {
  if (value === undefined) throw new InternalError(invariant);
  return value;
}
