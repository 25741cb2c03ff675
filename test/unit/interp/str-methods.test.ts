// The interpreter's str methods against CPython: every expected string below is what python3 prints for
// the same call (`python3 -c "print(repr('x_y'.title()))"` and so on).
import { describe, expect, it } from 'vitest';
import { createSession } from '../../../src/core/interp/session';
import { str } from '../../../src/core/values';
import type { Value } from '../../../src/core/interp/values';

const AT = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function callStrMethod(text: string, name: string): Value {
  const { interp } = createSession({ budget: { ms: 60_000 } });
  return interp.call(interp.getAttr(str(text), name, AT), { positional: [], keywords: new Map() }, AT);
}

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
