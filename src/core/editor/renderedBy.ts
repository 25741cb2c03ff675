// Rendered text kept by the object it is about and the inputs it was made from. A model an edit did not touch
// keeps its result's objects (the analyzer's reuse), and the file keeps its untouched statements' objects (the
// incremental parse), so what was rendered from them is taken again instead of formatted again.
export class RenderedBy<V> {
  private readonly known = new WeakMap<object, { readonly inputs: readonly unknown[]; readonly value: V }>();

  /** `same` compares one input with its earlier value (identity unless told otherwise). */
  constructor(private readonly same: (a: unknown, b: unknown) => boolean = (a, b) => a === b) {}

  get(about: object, inputs: readonly unknown[], render: () => V): V {
    const known = this.known.get(about);
    if (known && known.inputs.length === inputs.length && known.inputs.every((input, i) => this.same(input, inputs[i]))) return known.value;
    const value = render();
    this.known.set(about, { inputs, value });
    return value;
  }
}

/** The same input: one object, or arrays of the same objects (a group several model parts hold is joined anew on each merge). */
export const sameItems = (a: unknown, b: unknown): boolean =>
  a === b || (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => item === b[i]));
