// Strings that hold their own characters. V8 makes a slice of 13 or more characters a view into the string it was cut
// from, so a kept slice keeps that whole string alive: an identifier or a statement's source kept after a keystroke
// kept the whole document of that keystroke (170 KB in the 5k bench file, 1.7 MB in a 50,000-line file) for as long
// as the statement stayed unchanged, one copy per edited statement.

/** The characters of `slice` in a string of their own (a short slice is a copy already). */
export function ownText(slice: string): string {
  // Appending one character makes a two-part string, which slicing flattens into a new string first: the result is a
  // view into that new string only.
  return slice.length < 13 ? slice : `${slice}\u0000`.slice(0, -1);
}
