// Bracketed groups in a line of user text (`[1, 3, 224, 224]`, `(B, T)`), found in one pass. The regex
// /[[(]([^\])]*)[\])]/g means the same but restarts its scan at every opener, quadratic on a comment of
// unclosed brackets (55 s on one such line, issue 15).

export interface BracketGroup {
  /** Offset of the opener. */
  readonly start: number;
  /** Offset just past the closer. */
  readonly end: number;
  /** The text between them. */
  readonly inner: string;
}

/**
 * From each opener, the text up to the first closer after it (openers inside count as text), left to right:
 * exactly the matches of `/[<openers>]([^<closers>]*)[<closers>]/g`.
 */
export function bracketGroups(text: string, openers = '[(', closers = '])'): BracketGroup[] {
  const groups: BracketGroup[] = [];
  let at = 0;
  for (;;) {
    const start = indexOfAny(text, openers, at);
    if (start < 0) return groups;
    const close = indexOfAny(text, closers, start + 1);
    // No closer after this opener means none after any later one either.
    if (close < 0) return groups;
    groups.push({ start, end: close + 1, inner: text.slice(start + 1, close) });
    at = close + 1;
  }
}

/** The text with every bracketed group taken out. */
export function withoutBracketGroups(text: string, groups: readonly BracketGroup[]): string {
  let out = '';
  let at = 0;
  for (const g of groups) {
    out += text.slice(at, g.start);
    at = g.end;
  }
  return out + text.slice(at);
}

function indexOfAny(text: string, chars: string, from: number): number {
  let best = -1;
  for (const c of chars) {
    const i = text.indexOf(c, from);
    if (i >= 0 && (best < 0 || i < best)) best = i;
  }
  return best;
}
