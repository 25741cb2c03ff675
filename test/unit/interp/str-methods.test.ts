// The interpreter's str methods against CPython: every expected string below is what python3 prints for
// the same call (`python3 -c "print(repr('x_y'.title()))"` and so on).
import { describe, expect, it } from 'vitest';
import { createSession } from '../../../src/core/interp/session';
import { NONE, int, str } from '../../../src/core/values';
import type { Value } from '../../../src/core/interp/values';
import { PyRaise } from '../../../src/core/interp/interpreter';

const AT = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function callStrMethod(text: string, name: string, positional: readonly Value[] = [], keywords: Record<string, Value> = {}): Value {
  const { interp } = createSession({ budget: { ms: 60_000 } });
  return interp.call(interp.getAttr(str(text), name, AT), { positional: [...positional], keywords: new Map(Object.entries(keywords)) }, AT);
}

/** A Python argument as the interpreter's value: None, an int or a str. */
const pyArg = (a: string | number | null): Value => (a === null ? NONE : typeof a === 'number' ? int(a) : str(a));
const strings = (v: Value): string[] | undefined => (v.kind === 'list' ? v.items.map((item) => (item.kind === 'str' ? item.value : '?')) : undefined);

describe('str.title', () => {
  it.each([
    ['hello world', 'Hello World'],
    ['HELLO wORLD', 'Hello World'],
    ['x_y', 'X_Y'],
    ['a1b2 c', 'A1B2 C'],
    ['1.1.a b_c', '1.1.A B_C'],
    ["they're bill's", "They'Re Bill'S"],
    ['resnet_50 layer4', 'Resnet_50 Layer4'],
    ['ÉCOLE éte', 'École Éte'],
    ['中a b', '中A B'],
    ['ßx straße', 'Ssx Straße'],
  ])('%j.title() is %j, as CPython gives', (text, expected) => {
    expect(callStrMethod(text, 'title')).toEqual(str(expected));
  });

  it('title-cases a megabyte-long line as one word', () => {
    // python3 -c "s = 'aB' * 500_000 + '.x'; t = s.title(); print(t[:4], t[-4:])" prints "Abab ab.X".
    const titled = callStrMethod('aB'.repeat(500_000) + '.x', 'title');
    expect(titled.kind === 'str' && [titled.value.slice(0, 4), titled.value.slice(-4)]).toEqual(['Abab', 'ab.X']);
  });
});

describe('str.isalpha', () => {
  it.each([
    ['abc', true],
    ['Ab1', false],
    ['é', true],
    ['中文', true],
    ['a_b', false],
    ['', false],
  ])('%j.isalpha() is %j, as CPython gives', (text, expected) => {
    expect(callStrMethod(text, 'isalpha')).toEqual({ kind: 'bool', value: expected });
  });
});

// Each row: the method, the string, its arguments and what python3 (3.11) printed for
// `print(repr(getattr(s, name)(*args)))`.
describe('str.split, str.rsplit and the strips', () => {
  it.each([
    ['split', '  a  b c  ', [], ['a', 'b', 'c']],
    ['split', '', [], []],
    ['split', '   ', [], []],
    ['split', ' a b  c ', [null, 1], ['a', 'b  c ']],
    ['rsplit', ' a b  c ', [null, 1], [' a b', 'c']],
    ['split', 'a,b,,c', [','], ['a', 'b', '', 'c']],
    ['split', 'a.b.c', ['.', 1], ['a', 'b.c']],
    ['rsplit', 'a.b.c', ['.', 1], ['a.b', 'c']],
    ['rsplit', 'aaa', ['aa', 1], ['a', '']],
    ['split', 'aaa', ['aa', 1], ['', 'a']],
    ['split', 'a b\x1cc\x85d\ufeffe', [], ['a', 'b', 'c', 'd\ufeffe']],
    ['split', 'x', [',', 0], ['x']],
    ['rsplit', 'a.b.c', ['.', -1], ['a', 'b', 'c']],
    ['split', 'layer1.0.conv1.weight', ['.', 2], ['layer1', '0', 'conv1.weight']],
    ['rsplit', '', [null, 2], []],
  ] as const)('%s of %j with %j is %j', (name, text, args, expected) => {
    expect(strings(callStrMethod(text, name, args.map(pyArg)))).toEqual(expected);
  });

  it('takes sep and maxsplit as keywords', () => {
    // python3: 'a b'.split(sep=None, maxsplit=0) is ['a b']; 'a-b-c'.rsplit(sep='-', maxsplit=1) is ['a-b', 'c'].
    expect(strings(callStrMethod('a b', 'split', [], { sep: NONE, maxsplit: int(0) }))).toEqual(['a b']);
    expect(strings(callStrMethod('a-b-c', 'rsplit', [], { sep: str('-'), maxsplit: int(1) }))).toEqual(['a-b', 'c']);
  });

  it('raises ValueError for an empty separator, as Python does', () => {
    const raised = ((): unknown => {
      try {
        return callStrMethod('a', 'split', [str('')]);
      } catch (e) {
        return e;
      }
    })();
    expect(raised).toBeInstanceOf(PyRaise);
    expect((raised as PyRaise).message).toBe('ValueError: empty separator');
  });

  it('gives unknown, not a guess, for a separator it cannot see', () => {
    expect(callStrMethod('a.b', 'split', [{ kind: 'unknown', reason: 'argument' }]).kind).toBe('unknown');
    expect(callStrMethod('a.b', 'strip', [{ kind: 'unknown', reason: 'argument' }]).kind).toBe('unknown');
  });

  it.each([
    ['strip', 'xxhixx', ['x'], 'hi'],
    ['lstrip', '  hi  ', [], 'hi  '],
    ['rstrip', '  hi \x1c', [], '  hi'],
    ['strip', '\ufeffhi', [], '\ufeffhi'],
    ['strip', 'abcba', ['ab'], 'c'],
    ['rstrip', 'model.pth', ['.pth'], 'model'],
    ['strip', '  x ', [null], 'x'],
  ] as const)('%s of %j with %j is %j', (name, text, args, expected) => {
    expect(callStrMethod(text, name, args.map(pyArg))).toEqual(str(expected));
  });
});
