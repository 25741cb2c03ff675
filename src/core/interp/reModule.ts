// The `re` module inside the interpreter: patterns and matches as Python objects over pyre.ts. Known
// strings give known results; an unknown pattern or text gives Unknown, never a guess.
import type { Range } from '../values';
import { NONE, int, str, unknown } from '../values';
import type { CallArgs, ClassV, NamespaceV, ObjectV, Value } from './values';
import { builtin, listV, tupleV } from './values';
import type { Interpreter } from './interpreter';
import { nativeClass, staticNamespace } from './builtins';
import { asNumber } from './scalars';
import type { MatchMode, PyMatch, PyPattern } from './pyre';
import { RE_FLAGS, allMatches, compilePattern, expandTemplate, groupText, matchOnce, splitText } from './pyre';

const textOrNone = (s: string | null): Value => (s === null ? NONE : str(s));

export function createReModule(interp: Interpreter, objectClass: ClassV, errorClass: ClassV): NamespaceV {
  const patterns = new WeakMap<ObjectV, PyPattern>();
  const matches = new WeakMap<ObjectV, PyMatch>();
  const compiled = new Map<string, PyPattern | string>();
  const patternClass = nativeClass('Pattern', 'object', [], [objectClass]);
  const matchClass = nativeClass('Match', 'object', [], [objectClass]);

  const arg = (a: CallArgs, i: number, name: string): Value | undefined => a.positional[i] ?? a.keywords.get(name);
  const flagsOf = (v: Value | undefined): number | undefined => (v === undefined ? 0 : asNumber(v));

  /** The compiled pattern for a str (cached) or a Pattern object; a string says why there is none. */
  const patternOf = (v: Value | undefined, flagsValue: Value | undefined): PyPattern | string => {
    if (v?.kind === 'object' && patterns.has(v)) return patterns.get(v)!;
    if (v?.kind !== 'str') return `the pattern is ${v?.kind === 'unknown' ? `unknown (${v.reason})` : 'not a known string'}`;
    const flags = flagsOf(flagsValue);
    if (flags === undefined) return 'the flags are unknown';
    const key = `${flags}:${v.value}`;
    if (!compiled.has(key)) compiled.set(key, compilePattern(v.value, flags));
    return compiled.get(key)!;
  };

  const matchObject = (m: PyMatch): ObjectV => {
    const obj = interp.newObject(matchClass, [['string', str(m.text)]]);
    matches.set(obj, m);
    return obj;
  };

  const patternObject = (p: PyPattern): ObjectV => {
    const obj = interp.newObject(patternClass, [['pattern', str(p.source)], ['flags', int(p.flags)], ['groups', int(p.groups)]]);
    patterns.set(obj, p);
    return obj;
  };

  const groupIndex = (m: PyMatch, v: Value | undefined, range: Range): number => {
    if (v === undefined) return 0;
    const g = v.kind === 'str' ? m.names[v.value] : asNumber(v);
    if (g === undefined || !Number.isInteger(g) || g < 0 || g >= m.spans.length) interp.raise('no such group', range, 'IndexError');
    return g;
  };

  // Each operation takes the pattern first, then its own arguments, as re.<op>(pattern, ...) does; a
  // Pattern's methods call them with themselves in front.
  type Op = (p: PyPattern, a: CallArgs, range: Range) => Value;
  const text = (v: Value | undefined): string | undefined => (v?.kind === 'str' ? v.value : undefined);
  const unknownText = (v: Value | undefined, range: Range): Value => (v?.kind === 'unknown' ? v : unknown(`re: the text is ${v ? 'not a known string' : 'missing'}`, range));
  const result = <T>(r: T | string, range: Range, build: (x: T) => Value): Value => (typeof r === 'string' ? interp.noteUnknown(`re: ${r}`, range) : build(r));

  const find = (mode: MatchMode): Op => (p, a, range) => {
    const s = text(a.positional[0] ?? a.keywords.get('string'));
    if (s === undefined) return unknownText(a.positional[0], range);
    return result(matchOnce(p, s, mode), range, (m) => (m === null ? NONE : matchObject(m)));
  };
  const ops: Record<string, Op> = {
    match: find('match'),
    fullmatch: find('fullmatch'),
    search: find('search'),
    split: (p, a, range) => {
      const s = text(a.positional[0] ?? a.keywords.get('string'));
      if (s === undefined) return unknownText(a.positional[0], range);
      const max = asNumber(a.positional[1] ?? a.keywords.get('maxsplit') ?? int(0));
      if (max === undefined) return unknown('re.split: maxsplit is unknown', range);
      return result(splitText(p, s, max), range, (parts) => listV(parts.map(textOrNone)));
    },
    findall: (p, a, range) => {
      const s = text(a.positional[0] ?? a.keywords.get('string'));
      if (s === undefined) return unknownText(a.positional[0], range);
      // No group: the matches; one group: its text; several: a tuple of them ('' for a group not taking part).
      const item = (m: PyMatch): Value => {
        if (p.groups === 0) return str(groupText(m, 0)!);
        if (p.groups === 1) return str(groupText(m, 1) ?? '');
        return tupleV(Array.from({ length: p.groups }, (_, i) => str(groupText(m, i + 1) ?? '')));
      };
      return result(allMatches(p, s), range, (ms) => listV(ms.map(item)));
    },
    finditer: (p, a, range) => {
      const s = text(a.positional[0] ?? a.keywords.get('string'));
      if (s === undefined) return unknownText(a.positional[0], range);
      return result(allMatches(p, s), range, (ms) => listV(ms.map(matchObject)));
    },
    sub: (p, a, range) => substitute(p, a, range, false),
    subn: (p, a, range) => substitute(p, a, range, true),
  };

  function substitute(p: PyPattern, a: CallArgs, range: Range, withCount: boolean): Value {
    const repl = a.positional[0] ?? a.keywords.get('repl');
    const s = text(a.positional[1] ?? a.keywords.get('string'));
    if (s === undefined) return unknownText(a.positional[1], range);
    const count = asNumber(a.positional[2] ?? a.keywords.get('count') ?? int(0));
    if (count === undefined || !repl) return unknown('re.sub: an argument is unknown', range);
    const found = allMatches(p, s, count > 0 ? count : Number.POSITIVE_INFINITY);
    if (typeof found === 'string') return interp.noteUnknown(`re: ${found}`, range);
    let out = '';
    let last = 0;
    for (const m of found) {
      let replacement: string | undefined;
      if (repl.kind === 'str') replacement = expandTemplate(repl.value, m);
      else {
        const r = interp.call(repl, { positional: [matchObject(m)], keywords: new Map() }, range);
        replacement = r.kind === 'str' ? r.value : undefined;
      }
      if (replacement === undefined) return unknown('re.sub: the replacement is unknown', range);
      out += s.slice(last, m.spans[0]![0]) + replacement;
      last = m.spans[0]![1];
    }
    out += s.slice(last);
    return withCount ? tupleV([str(out), int(found.length)]) : str(out);
  }

  // Pattern methods.
  for (const [name, op] of Object.entries(ops)) {
    patternClass.attrs.set(name, builtin(`Pattern.${name}`, (a, range) => {
      const self = a.positional[0];
      const p = self?.kind === 'object' ? patterns.get(self) : undefined;
      if (!p) return unknown(`Pattern.${name} without a pattern`, range);
      return op(p, { positional: a.positional.slice(1), keywords: a.keywords }, range);
    }));
  }

  // Match methods.
  const matchMethod = (name: string, fn: (m: PyMatch, a: CallArgs, range: Range) => Value): void => {
    matchClass.attrs.set(name, builtin(`Match.${name}`, (a, range) => {
      const self = a.positional[0];
      const m = self?.kind === 'object' ? matches.get(self) : undefined;
      if (!m) return unknown(`Match.${name} without a match`, range);
      return fn(m, { positional: a.positional.slice(1), keywords: a.keywords }, range);
    }));
  };
  const group = (m: PyMatch, a: CallArgs, range: Range): Value => {
    if (a.positional.length <= 1) return textOrNone(groupText(m, groupIndex(m, a.positional[0], range)));
    return tupleV(a.positional.map((g) => textOrNone(groupText(m, groupIndex(m, g, range)))));
  };
  matchMethod('group', group);
  matchMethod('__getitem__', group);
  matchMethod('groups', (m, a) => tupleV(m.spans.slice(1).map((_, i) => {
    const t = groupText(m, i + 1);
    return t === null ? (arg(a, 0, 'default') ?? NONE) : str(t);
  })));
  matchMethod('groupdict', (m, a) => interp.newDict(Object.entries(m.names).map(([name, g]) => {
    const t = groupText(m, g);
    return [`t:${name}`, { key: str(name), value: t === null ? (arg(a, 0, 'default') ?? NONE) : str(t) }] as const;
  })));
  matchMethod('start', (m, a, range) => int(m.spans[groupIndex(m, a.positional[0], range)]![0]));
  matchMethod('end', (m, a, range) => int(m.spans[groupIndex(m, a.positional[0], range)]![1]));
  matchMethod('span', (m, a, range) => tupleV(m.spans[groupIndex(m, a.positional[0], range)]!.map((x) => int(x))));

  // Module functions: re.<op>(pattern, ..., flags=0).
  const entries: Record<string, Value> = {};
  const FLAG_POSITION: Record<string, number> = { match: 2, fullmatch: 2, search: 2, split: 3, findall: 2, finditer: 2, sub: 4, subn: 4 };
  for (const [name, op] of Object.entries(ops)) {
    entries[name] = builtin(`re.${name}`, (a, range) => {
      const p = patternOf(a.positional[0] ?? a.keywords.get('pattern'), a.positional[FLAG_POSITION[name]!] ?? a.keywords.get('flags'));
      if (typeof p === 'string') return interp.noteUnknown(`re.${name}: ${p}`, range);
      const rest = a.positional.slice(1, FLAG_POSITION[name]);
      return op(p, { positional: rest, keywords: a.keywords }, range);
    });
  }
  entries['compile'] = builtin('re.compile', (a, range) => {
    const p = patternOf(a.positional[0] ?? a.keywords.get('pattern'), arg(a, 1, 'flags'));
    return typeof p === 'string' ? interp.noteUnknown(`re.compile: ${p}`, range) : patternObject(p);
  });
  entries['escape'] = builtin('re.escape', (a, range) => {
    const s = text(arg(a, 0, 'pattern'));
    return s === undefined ? unknown('re.escape of an unknown string', range) : str(s.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (c) => `\\${c}`));
  });
  entries['Pattern'] = patternClass;
  entries['Match'] = matchClass;
  for (const [flag, value] of Object.entries(RE_FLAGS)) entries[flag] = int(value);
  entries['error'] = errorClass;
  return staticNamespace('re', entries, (n) => unknown(`re.${n} is not modelled`));
}
