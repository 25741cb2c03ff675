// Python's `re` module on known strings, on RE2 (the re2js port): linear time in the text whatever the
// pattern, so a pattern in the analysed code can never stall the analysis. RE2 reads Python's syntax
// (named groups `(?P<name>…)`, classes, anchors, inline flags) with these differences, each of which makes
// the result Unknown with the reason instead of a wrong answer: no backreferences (`\1`, `(?P=name)`), no
// lookaround (`(?=…)`, `(?<=…)`), no re.VERBOSE; `\d`, `\w` and `\s` match ASCII only where Python's
// also match other Unicode digits, letters and spaces.
import { RE2JS } from 're2js';
import type { Matcher } from 're2js';

/** Python's re flags and their RE2 counterparts (0: no RE2 flag needed). */
export const RE_FLAGS: Readonly<Record<string, number>> = {
  I: 2, IGNORECASE: 2, M: 8, MULTILINE: 8, S: 16, DOTALL: 16, A: 256, ASCII: 256, U: 32, UNICODE: 32, X: 64, VERBOSE: 64,
};

const PY_IGNORECASE = 2;
const PY_MULTILINE = 8;
const PY_DOTALL = 16;
const PY_VERBOSE = 64;

/** Longest pattern and text the analysis matches (model code's block strings are a few dozen characters). */
const MAX_PATTERN = 10_000;
const MAX_TEXT = 1_000_000;

/** One match: its span, and each group's span (-1 when the group did not take part). */
export interface PyMatch {
  readonly text: string;
  readonly spans: readonly (readonly [number, number])[];
  readonly names: Readonly<Record<string, number>>;
}

export interface PyPattern {
  readonly source: string;
  readonly flags: number;
  readonly groups: number;
  readonly names: Readonly<Record<string, number>>;
  readonly re: RE2JS;
}

/** Compiles a Python pattern; a string says why it cannot be matched faithfully. */
export function compilePattern(source: string, flags: number): PyPattern | string {
  if (source.length > MAX_PATTERN) return `a pattern of ${source.length} characters is longer than the analysis matches`;
  if (flags & PY_VERBOSE) return 're.VERBOSE patterns are not modelled';
  if (/\\[1-9]|\(\?P=/.test(source)) return 'backreferences are not modelled (RE2 has none)';
  if (/\(\?<?[=!]/.test(source)) return 'lookaround assertions are not modelled (RE2 has none)';
  // Python's \Z (end of text) is RE2's \z.
  const translated = source.replace(/(^|[^\\])((?:\\\\)*)\\Z/g, '$1$2\\z');
  let re2Flags = 0;
  if (flags & PY_IGNORECASE) re2Flags |= RE2JS.CASE_INSENSITIVE;
  if (flags & PY_MULTILINE) re2Flags |= RE2JS.MULTILINE;
  if (flags & PY_DOTALL) re2Flags |= RE2JS.DOTALL;
  try {
    const re = RE2JS.compile(translated, re2Flags);
    return { source, flags, groups: re.groupCount(), names: { ...re.namedGroups() }, re };
  } catch (e) {
    return `pattern ${JSON.stringify(source)} is not understood: ${e instanceof Error ? e.message : String(e)}`;
  }
}

function toMatch(p: PyPattern, m: Matcher, text: string): PyMatch {
  const spans: [number, number][] = [];
  for (let g = 0; g <= p.groups; g++) spans.push([m.start(g), m.end(g)]);
  return { text, spans, names: p.names };
}

function tooLong(text: string): boolean {
  return text.length > MAX_TEXT;
}

export type MatchMode = 'match' | 'fullmatch' | 'search';

/** `re.match` (at the start), `re.fullmatch` (the whole text) or `re.search` (anywhere); null when none. */
export function matchOnce(p: PyPattern, text: string, mode: MatchMode): PyMatch | null | string {
  if (tooLong(text)) return 'the text is longer than the analysis matches';
  const m = p.re.matcher(text);
  const found = mode === 'match' ? m.lookingAt() : mode === 'fullmatch' ? m.matches() : m.find(0);
  return found ? toMatch(p, m, text) : null;
}

/** Every match left to right, as Python's finditer finds them (an empty match may follow a non-empty one). */
export function allMatches(p: PyPattern, text: string, limit = Number.POSITIVE_INFINITY): PyMatch[] | string {
  if (tooLong(text)) return 'the text is longer than the analysis matches';
  const m = p.re.matcher(text);
  const out: PyMatch[] = [];
  let pos = 0;
  while (out.length < limit && pos <= text.length && m.find(pos)) {
    const match = toMatch(p, m, text);
    out.push(match);
    const [start, end] = match.spans[0]!;
    pos = end === start ? end + 1 : end;
  }
  return out;
}

/** A group's text, or null when it did not take part. */
export function groupText(m: PyMatch, g: number): string | null {
  const span = m.spans[g];
  if (!span || span[0] < 0) return null;
  return m.text.slice(span[0], span[1]);
}

/** `re.split`: the pieces between matches, with every group's text (or null) between them. */
export function splitText(p: PyPattern, text: string, maxsplit: number): (string | null)[] | string {
  const matches = allMatches(p, text, maxsplit > 0 ? maxsplit : Number.POSITIVE_INFINITY);
  if (typeof matches === 'string') return matches;
  const out: (string | null)[] = [];
  let last = 0;
  for (const m of matches) {
    const [start, end] = m.spans[0]!;
    out.push(text.slice(last, start));
    for (let g = 1; g <= p.groups; g++) out.push(groupText(m, g));
    last = end;
  }
  out.push(text.slice(last));
  return out;
}

/** Expands a `re.sub` replacement template (`\1`, `\g<1>`, `\g<name>`, `\n`) for one match. */
export function expandTemplate(template: string, m: PyMatch): string | undefined {
  let bad = false;
  const text = template.replace(/\\(?:g<([^>]*)>|(\d{1,2})|(.))/g, (_all, named: string | undefined, digits: string | undefined, escaped: string | undefined) => {
    if (named !== undefined || digits !== undefined) {
      const key = named ?? digits!;
      const g = /^\d+$/.test(key) ? Number(key) : m.names[key];
      if (g === undefined || g >= m.spans.length) {
        bad = true;
        return '';
      }
      return groupText(m, g) ?? '';
    }
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\' };
    return simple[escaped!] ?? `\\${escaped!}`;
  });
  return bad ? undefined : text;
}
