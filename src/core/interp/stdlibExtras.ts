// More of the standard library model code uses: itertools beyond chain/repeat/product, collections'
// defaultdict, Counter and deque, and copy.copy / copy.deepcopy of any value (modules get fresh
// parameters, config objects and containers are copied so mutating the copy leaves the original alone).
// Everything they build is charged to the interpreter's size budget (`allocate`/`sized`): past it, Unknown.
import type { Range } from '../values';
import { NONE, bool, int, unknown } from '../values';
import type { BuiltinV, CallArgs, DictV, ObjectV, Value } from './values';
import { appendAll, builtin, keyOf, listV, tupleV } from './values';
import type { Interpreter } from './interpreter';
import { MAX_VALUE_DEPTH, asNumber, truthy } from './scalars';

/** How many items a combinatorial helper may produce before it gives Unknown instead. */
const MAX_ITEMS = 100_000;

/** The longest tuple combinations() builds: it picks one item per level of recursion. */
const MAX_COMBINATION_LENGTH = 1_000;

const arg = (a: CallArgs, i: number, name?: string): Value | undefined => a.positional[i] ?? (name ? a.keywords.get(name) : undefined);

export function moreItertools(interp: Interpreter): Record<string, Value> {
  const items = (v: Value | undefined, range: Range): Value[] | undefined => (v ? interp.iterate(v, range) : undefined);
  const call = (fn: Value, positional: Value[], range: Range): Value => interp.call(fn, { positional, keywords: new Map() }, range);
  const fromIterable = builtin('chain.from_iterable', (a, range) => {
    const out: Value[] = [];
    for (const inner of items(arg(a, 0), range) ?? []) {
      const xs = items(inner, range);
      if (!xs) return unknown('chain.from_iterable() of an unknown iterable', range);
      if (!interp.allocate(xs.length)) return interp.tooLarge(range);
      appendAll(out, xs);
      if (out.length > MAX_ITEMS) return unknown('chain.from_iterable() is too long to model', range);
    }
    return listV(out);
  });
  const combinations = (withReplacement: boolean): BuiltinV => builtin(withReplacement ? 'combinations_with_replacement' : 'combinations', (a, range) => {
    const pool = items(arg(a, 0, 'iterable'), range);
    const r = asNumber(arg(a, 1, 'r') ?? NONE);
    if (!pool || r === undefined || r < 0) return unknown('combinations() of unknown values', range);
    if (!withReplacement && r > pool.length) return listV([]);
    if (r > MAX_COMBINATION_LENGTH) return unknown(`combinations() of more than ${MAX_COMBINATION_LENGTH} items each are not modelled`, range);
    const out: Value[] = [];
    let spent = false;
    const pick = (start: number, chosen: Value[]): void => {
      if (out.length > MAX_ITEMS || spent) return;
      if (chosen.length === r) {
        // Each tuple is r items plus the list's slot for it.
        if (interp.allocate(r + 1)) out.push(tupleV(chosen));
        else spent = true;
        return;
      }
      for (let i = start; i < pool.length && !spent && out.length <= MAX_ITEMS; i++) pick(withReplacement ? i : i + 1, [...chosen, pool[i]!]);
    };
    pick(0, []);
    if (spent) return interp.tooLarge(range);
    return out.length > MAX_ITEMS ? unknown('combinations() are too many to model', range) : listV(out);
  });
  return {
    accumulate: builtin('accumulate', (a, range) => {
      const xs = items(arg(a, 0, 'iterable'), range);
      if (!xs) return unknown('accumulate() of an unknown iterable', range);
      if (!interp.allocate(xs.length + 1)) return interp.tooLarge(range);
      const fn = arg(a, 1, 'func');
      const initial = a.keywords.get('initial');
      const out: Value[] = [];
      let acc: Value | undefined = initial && initial.kind !== 'none' ? initial : undefined;
      if (acc) out.push(acc);
      for (const x of xs) {
        acc = acc === undefined ? x : fn && fn.kind !== 'none' ? call(fn, [acc, x], range) : interp.binary('+', acc, x, range);
        out.push(acc);
      }
      return listV(out);
    }),
    islice: builtin('islice', (a, range) => {
      const xs = items(arg(a, 0), range);
      const bounds = a.positional.slice(1).map((v) => (v.kind === 'none' ? null : asNumber(v)));
      if (!xs || bounds.some((b) => b === undefined)) return unknown('islice() of unknown values', range);
      const [start, stop, step] = (bounds.length === 1 ? [0, bounds[0], 1] : [bounds[0] ?? 0, bounds[1], bounds[2] ?? 1]) as [number, number | null, number];
      // Python raises ValueError for these; a negative step would also never end the loop below.
      const valid = [start, stop ?? 0, step].every(Number.isInteger) && start >= 0 && (stop ?? 0) >= 0 && step >= 1;
      if (!valid) return unknown('islice() with negative or non-integer bounds', range);
      const end = Math.min(stop ?? xs.length, xs.length);
      return interp.sized(Math.max(0, Math.ceil((end - start) / step)), range, () => {
        const out: Value[] = [];
        for (let i = start; i < end; i += step) out.push(xs[i]!);
        return listV(out);
      });
    }),
    zip_longest: builtin('zip_longest', (a, range) => {
      const lists = a.positional.map((v) => items(v, range));
      if (lists.some((l) => !l)) return unknown('zip_longest() of unknown iterables', range);
      const fill = a.keywords.get('fillvalue') ?? NONE;
      const n = lists.reduce((m, l) => Math.max(m, l!.length), 0);
      return interp.sized(n * (lists.length + 1), range, () => listV(Array.from({ length: n }, (_, i) => tupleV(lists.map((l) => l![i] ?? fill)))));
    }),
    starmap: builtin('starmap', (a, range) => {
      const fn = arg(a, 0);
      const xs = items(arg(a, 1), range);
      if (!fn || !xs) return unknown('starmap() of an unknown iterable', range);
      return interp.sized(xs.length, range, () => listV(xs.map((x) => call(fn, items(x, range) ?? [x], range))));
    }),
    combinations: combinations(false),
    combinations_with_replacement: combinations(true),
    count: builtin('count', (_a, range) => unknown('itertools.count() is endless', range)),
    cycle: builtin('cycle', (_a, range) => unknown('itertools.cycle() is endless', range)),
    takewhile: builtin('takewhile', (a, range) => {
      const fn = arg(a, 0);
      const xs = items(arg(a, 1), range);
      if (!fn || !xs) return unknown('takewhile() of an unknown iterable', range);
      const out: Value[] = [];
      for (const x of xs) {
        const t = truthy(call(fn, [x], range));
        if (t === undefined) return unknown('takewhile() on an unknown condition', range);
        if (!t) break;
        out.push(x);
      }
      return interp.sized(out.length, range, () => listV(out));
    }),
    fromIterable,
  };
}

/** collections.defaultdict, Counter and deque (deques are lists: append/extend/pop work on both ends). */
export function collectionsExtras(interp: Interpreter): Record<string, Value> {
  const defaultdict = builtin('defaultdict', (a, range) => {
    const factory = a.positional[0];
    const d = interp.newDict();
    if (a.positional[1]) {
      const init = interp.call(interp.builtins.get('dict')!, { positional: [a.positional[1]], keywords: a.keywords }, range);
      if (init.kind === 'dict' && !interp.allocate(init.entries.size)) return interp.tooLarge(range);
      if (init.kind === 'dict') for (const [k, e] of init.entries) d.entries.set(k, e);
    }
    return factory && factory.kind !== 'none' ? { ...d, defaultFactory: factory } : d;
  });
  const counter = builtin('Counter', (a, range) => {
    const d: DictV = { ...interp.newDict(), defaultFactory: builtin('int', () => int(0)) };
    const src = a.positional[0];
    if (src?.kind === 'dict' && !interp.allocate(src.entries.size)) return interp.tooLarge(range);
    if (src?.kind === 'dict') for (const [k, e] of src.entries) d.entries.set(k, e);
    else if (src) {
      const xs = interp.iterate(src, range);
      if (!xs) return unknown('Counter() of an unknown iterable', range);
      for (const x of xs) {
        const k = keyOf(x);
        const n = asNumber(d.entries.get(k)?.value ?? int(0)) ?? 0;
        d.entries.set(k, { key: x, value: int(n + 1) });
      }
      if (!interp.allocate(d.entries.size)) return interp.tooLarge(range);
    }
    return d;
  });
  const deque = builtin('deque', (a, range) => {
    const src = a.positional[0];
    const xs = src ? interp.iterate(src, range) : [];
    return xs ? listV(xs) : unknown('deque() of an unknown iterable', range);
  });
  return { defaultdict, Counter: counter, deque };
}

/**
 * copy.deepcopy and copy.copy of any value. Each copied container is charged to the size budget, and a
 * deep copy stops at MAX_VALUE_DEPTH nested levels (a list nested a million deep by a loop): Unknown there.
 */
export function copyFunctions(interp: Interpreter): Record<string, Value> {
  const tooDeep = (range: Range): Value => interp.noteUnknown(`deepcopy() of a value nested more than ${MAX_VALUE_DEPTH} levels deep`, range);
  const deep = (v: Value, memo: Map<object, Value>, depth: number, range: Range): Value => {
    if (v.kind === 'object' && v.module) return interp.torch.deepcopy(v);
    if (v.kind !== 'list' && v.kind !== 'tuple' && v.kind !== 'dict' && v.kind !== 'object') return v;
    const done = memo.get(v);
    if (done) return done;
    if (depth >= MAX_VALUE_DEPTH) return tooDeep(range);
    const size = v.kind === 'dict' ? v.entries.size : v.kind === 'object' ? v.attrs.size : v.items.length;
    if (!interp.allocate(size)) return interp.tooLarge(range);
    const inner = (x: Value): Value => deep(x, memo, depth + 1, range);
    if (v.kind === 'list') {
      const out = listV([]);
      memo.set(v, out);
      for (const x of v.items) out.items.push(inner(x));
      return out;
    }
    if (v.kind === 'tuple') return tupleV(v.items.map(inner));
    if (v.kind === 'dict') {
      const out: DictV = { ...interp.newDict(), ...(v.defaultFactory ? { defaultFactory: v.defaultFactory } : {}) };
      memo.set(v, out);
      for (const [k, e] of v.entries) out.entries.set(k, { key: e.key, value: inner(e.value) });
      return out;
    }
    // Enum members and exception instances are shared, like Python's singletons.
    if (v.cls.enumMembers) return v;
    const out: ObjectV = interp.newObject(v.cls);
    memo.set(v, out);
    for (const [k, x] of v.attrs) out.attrs.set(k, inner(x));
    return out;
  };
  const shallow = (v: Value, range: Range): Value => {
    if (v.kind === 'list') return interp.sized(v.items.length, range, () => listV([...v.items]));
    if (v.kind === 'dict') return interp.sized(v.entries.size, range, () => ({ ...interp.newDict(v.entries), ...(v.defaultFactory ? { defaultFactory: v.defaultFactory } : {}) }));
    if (v.kind === 'object' && !v.module && !v.cls.enumMembers) return interp.sized(v.attrs.size, range, () => interp.newObject(v.cls, v.attrs));
    return v;
  };
  return {
    deepcopy: builtin('deepcopy', (a, range) => deep(arg(a, 0) ?? NONE, new Map(), 0, range)),
    copy: builtin('copy', (a, range) => shallow(arg(a, 0) ?? NONE, range)),
  };
}

/**
 * fnmatch.fnmatchcase: `*` any run, `?` one character, `[seq]` / `[!seq]` a class with ranges; an unclosed `[`
 * is literal. Dynamic programming over (name, pattern) positions: O(n·m) for any pattern, never backtracking.
 */
export function fnmatchCase(name: string, pattern: string): boolean {
  type Token = { readonly kind: 'star' } | { readonly kind: 'one' } | { readonly kind: 'class'; readonly negate: boolean; readonly test: (c: string) => boolean } | { readonly kind: 'char'; readonly c: string };
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') tokens.push({ kind: 'star' });
    else if (c === '?') tokens.push({ kind: 'one' });
    else if (c === '[') {
      let j = i + 1;
      const negate = pattern[j] === '!';
      if (negate) j++;
      if (pattern[j] === ']') j++;
      const close = pattern.indexOf(']', j);
      if (close < 0) {
        tokens.push({ kind: 'char', c });
        continue;
      }
      const body = pattern.slice(negate ? i + 2 : i + 1, close);
      const test = (x: string): boolean => {
        for (let k = 0; k < body.length; k++) {
          if (body[k + 1] === '-' && k + 2 < body.length) {
            if (x >= body[k]! && x <= body[k + 2]!) return true;
            k += 2;
          } else if (body[k] === x) return true;
        }
        return false;
      };
      tokens.push({ kind: 'class', negate, test });
      i = close;
    } else tokens.push({ kind: 'char', c });
  }
  // reachable[j]: the first i characters of name can be matched by the first j tokens.
  let reachable = new Array<boolean>(tokens.length + 1).fill(false);
  reachable[0] = true;
  for (let j = 0; j < tokens.length && tokens[j]!.kind === 'star'; j++) reachable[j + 1] = true;
  for (const ch of name) {
    const next = new Array<boolean>(tokens.length + 1).fill(false);
    for (let j = 0; j < tokens.length; j++) {
      const t = tokens[j]!;
      if (t.kind === 'star') next[j + 1] = next[j + 1] || reachable[j + 1]! || reachable[j]! || next[j]!;
      else if (reachable[j]) {
        const ok = t.kind === 'one' || (t.kind === 'char' && t.c === ch) || (t.kind === 'class' && t.test(ch) !== t.negate);
        if (ok) next[j + 1] = true;
      }
    }
    reachable = next;
  }
  return reachable[tokens.length]!;
}

/** The most (name character, pattern token) pairs one fnmatch call may visit: a few milliseconds at most. */
const MAX_MATCH_CELLS = 1_000_000;

/** fnmatch.fnmatch / fnmatchcase (the same on POSIX) and fnmatch.filter over known strings. */
export function fnmatchFunctions(interp: Interpreter): Record<string, Value> {
  const match = builtin('fnmatch', (a, range) => {
    const name = arg(a, 0, 'name');
    const pattern = arg(a, 1, 'pat');
    if (name?.kind !== 'str' || pattern?.kind !== 'str') return unknown('fnmatch() of an unknown string', range);
    if (name.value.length * pattern.value.length > MAX_MATCH_CELLS) return unknown('fnmatch() of strings too long to match here', range);
    return bool(fnmatchCase(name.value, pattern.value));
  });
  const filter = builtin('filter', (a, range) => {
    const names = interp.iterate(arg(a, 0, 'names') ?? NONE, range);
    const pattern = arg(a, 1, 'pat');
    if (!names || pattern?.kind !== 'str' || names.some((n) => n.kind !== 'str')) return unknown('fnmatch.filter() of unknown strings', range);
    const cells = names.reduce((n, v) => n + (v.kind === 'str' ? v.value.length : 0), 0) * pattern.value.length;
    if (cells > MAX_MATCH_CELLS) return unknown('fnmatch.filter() of strings too long to match here', range);
    return listV(names.filter((n) => n.kind === 'str' && fnmatchCase(n.value, pattern.value)));
  });
  return { fnmatch: match, fnmatchcase: match, filter };
}
