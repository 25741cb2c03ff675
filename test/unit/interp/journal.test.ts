// The undo journal behind undecided conditions: a branch's changes are undone exactly (values, deleted keys,
// and the order of keys), what it left is reported exactly, and joining two branches' maps key by key gives
// what joining their whole contents gives. Random programs are checked against plain copies of the state.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ABSENT, Journal, TrackedMap, contentsWith } from '../../../src/core/interp/journal';
import type { BranchChange, Contents } from '../../../src/core/interp/journal';
import { joinStates, joinValues } from '../../../src/core/interp/branches';
import type { LiveBranch } from '../../../src/core/interp/branches';
import { createSession } from '../../../src/core/interp/session';
import { parseModule } from '../../../src/core/python/parse';
import type { Value } from '../../../src/core/interp/values';

const entriesOf = (map: Map<unknown, unknown>): [unknown, unknown][] => [...map.entries()];

/** A branch's whole contents of a container after it ran (keyed changes written over the container as it is now). */
function afterOf(change: BranchChange | undefined): Contents | undefined {
  if (!change) return undefined;
  return change.keyed ? contentsWith(change.target, change.slots) : change.after;
}

describe('the journal undoes a branch exactly', () => {
  it('puts back set, added and deleted keys in their order, and reports what the branch left in its order', () => {
    const journal = new Journal();
    const map = TrackedMap.of<string, number>(journal, 'values', 0, [['a', 1], ['b', 2], ['c', 3]]);
    const run = journal.run(() => {
      map.set('b', 20);
      map.set('d', 4);
      map.delete('a');
      map.set('a', 10);
    });
    expect(entriesOf(map)).toEqual([['a', 1], ['b', 2], ['c', 3]]);
    // Deleting `a` and setting it again moves it last, as in Python.
    expect(entriesOf(afterOf(run.changes.get(map)) as Map<string, number>)).toEqual([['b', 20], ['c', 3], ['d', 4], ['a', 10]]);
  });

  it('removes a key a branch inserted, even when the branch deleted it again', () => {
    const journal = new Journal();
    const map = TrackedMap.of<string, number>(journal, 'entries', 0, [['x', 1]]);
    const inserted = journal.run(() => map.set('new', 2));
    expect(entriesOf(map)).toEqual([['x', 1]]);
    expect(inserted.changes.get(map)).toMatchObject({ keyed: true });
    expect(entriesOf(afterOf(inserted.changes.get(map)) as Map<string, number>)).toEqual([['x', 1], ['new', 2]]);
    const insertedThenDeleted = journal.run(() => {
      map.set('new', 2);
      map.delete('new');
      map.set('x', 5);
    });
    expect(entriesOf(map)).toEqual([['x', 1]]);
    expect(entriesOf(afterOf(insertedThenDeleted.changes.get(map)) as Map<string, number>)).toEqual([['x', 5]]);
  });

  it('undoes nested branches one level at a time', () => {
    const journal = new Journal();
    const map = TrackedMap.of<string, number>(journal, 'values', 0, [['x', 1], ['z', 3]]);
    let insideOuter: [string, number][] = [];
    const outer = journal.run(() => {
      map.set('x', 2);
      map.set('w', 9);
      insideOuter = entriesOf(map) as [string, number][];
      const inner = journal.run(() => {
        map.set('x', 3);
        map.set('y', 4);
        map.delete('z');
      });
      // The inner branch is undone to the outer branch's state, not to the state before both.
      expect(entriesOf(map)).toEqual(insideOuter);
      expect(entriesOf(afterOf(inner.changes.get(map)) as Map<string, number>)).toEqual([['x', 3], ['w', 9], ['y', 4]]);
      map.set('x', 5);
    });
    expect(insideOuter).toEqual([['x', 2], ['z', 3], ['w', 9]]);
    expect(entriesOf(map)).toEqual([['x', 1], ['z', 3]]);
    expect(entriesOf(afterOf(outer.changes.get(map)) as Map<string, number>)).toEqual([['x', 5], ['z', 3], ['w', 9]]);
  });

  it('puts a list back to its length and items after it grew and changed', () => {
    const journal = new Journal();
    const items = [1, 2];
    const run = journal.run(() => {
      journal.touch('items', items);
      items.push(3, 4);
      items[0] = 10;
      items.shift();
    });
    expect(items).toEqual([1, 2]);
    expect(afterOf(run.changes.get(items))).toEqual([2, 3, 4]);
  });

  it('writes a join outside any branch as it is, and inside one so that the branch undoes it', () => {
    const journal = new Journal();
    const map = TrackedMap.of<string, number>(journal, 'values', 0, [['a', 1], ['b', 2]]);
    const outer = journal.run(() => {
      journal.writeSlots('values', map as TrackedMap<unknown, unknown>, new Map<unknown, unknown>([['b', 5], ['c', 6], ['a', ABSENT]]));
      expect(entriesOf(map)).toEqual([['b', 5], ['c', 6]]);
    });
    expect(entriesOf(map)).toEqual([['a', 1], ['b', 2]]);
    expect(entriesOf(afterOf(outer.changes.get(map)) as Map<string, number>)).toEqual([['b', 5], ['c', 6]]);
  });
});

// Random programs over two maps: set, delete and clear with a few keys, and nested branches.
type Step =
  | { readonly op: 'set'; readonly map: number; readonly key: string; readonly value: number }
  | { readonly op: 'delete'; readonly map: number; readonly key: string }
  | { readonly op: 'clear'; readonly map: number }
  | { readonly op: 'branch'; readonly steps: readonly Step[] };

const KEYS = ['a', 'b', 'c', 'd', 'e'];
const stepArb: fc.Arbitrary<Step[]> = fc.letrec<{ steps: Step[]; step: Step }>((tie) => ({
  steps: fc.array(tie('step'), { maxLength: 8 }),
  step: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: fc.record({ op: fc.constant('set' as const), map: fc.nat(1), key: fc.constantFrom(...KEYS), value: fc.nat(4) }), weight: 8 },
    { arbitrary: fc.record({ op: fc.constant('delete' as const), map: fc.nat(1), key: fc.constantFrom(...KEYS) }), weight: 2 },
    { arbitrary: fc.record({ op: fc.constant('clear' as const), map: fc.nat(1) }), weight: 1 },
    { arbitrary: fc.record({ op: fc.constant('branch' as const), steps: tie('steps') }), weight: 2 },
  ),
})).steps;
const initialArb = fc.array(fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.nat(4)), { maxLength: 4 }), { minLength: 2, maxLength: 2 });

/** Runs the steps; each nested branch is checked: the state after it is the state before it, and its report is the state it left. */
function runChecked(journal: Journal, maps: readonly TrackedMap<string, number>[], steps: readonly Step[]): void {
  for (const step of steps) {
    const map = 'map' in step ? maps[step.map]! : undefined;
    if (step.op === 'set') map!.set(step.key, step.value);
    else if (step.op === 'delete') map!.delete(step.key);
    else if (step.op === 'clear') map!.clear();
    else {
      const before = maps.map(entriesOf);
      let left: [unknown, unknown][][] = [];
      const run = journal.run(() => {
        runChecked(journal, maps, step.steps);
        left = maps.map(entriesOf);
      });
      expect(maps.map(entriesOf)).toEqual(before);
      maps.forEach((m, i) => expect(entriesOf((afterOf(run.changes.get(m)) as Map<unknown, unknown> | undefined) ?? m)).toEqual(left[i]));
    }
  }
}

describe('the journal on random programs', () => {
  it('undoes every branch to the state before it and reports the state it left, order included', () => {
    fc.assert(
      fc.property(initialArb, stepArb, (initial, steps) => {
        const journal = new Journal();
        const maps = initial.map((entries, i) => TrackedMap.of<string, number>(journal, 'values', i, entries));
        runChecked(journal, maps, [{ op: 'branch', steps }]);
      }),
      { numRuns: 400 },
    );
  });

  it('joins two branches key by key as a join of their whole maps does, and an outer branch undoes the join', () => {
    const { interp } = createSession();
    const int = (value: number): Value => ({ kind: 'int', value });
    const shown = (v: unknown): string => {
      const value = v as Value;
      return value.kind === 'int' ? `int ${String(value.value)}` : value.kind === 'unknown' ? `unknown ${value.reason}` : value.kind;
    };
    fc.assert(
      fc.property(initialArb, stepArb, stepArb, fc.constantFrom('both', 'first', 'locals'), (initial, first, second, how) => {
        const maps = initial.map((entries) => interp.map<string, Value>('values', entries.map(([k, v]) => [k, int(v)] as const)) as TrackedMap<string, Value>);
        const original = maps.map(entriesOf);
        const side = (steps: readonly Step[], assumption: string): { branch: LiveBranch<unknown>; left: Map<string, Value>[] } => {
          let left: Map<string, Value>[] = [];
          const firstId = interp.newId();
          const run = interp.journal.run(() => {
            for (const step of steps.flatMap((s) => (s.op === 'branch' ? s.steps : [s]))) {
              const map = 'map' in step ? maps[step.map]! : undefined;
              if (step.op === 'set') map!.set(step.key, int(step.value));
              else if (step.op === 'delete') map!.delete(step.key);
              else if (step.op === 'clear') map!.clear();
            }
            left = maps.map((m) => new Map(m));
          });
          return { branch: { assumption, firstId, value: undefined, changes: run.changes }, left };
        };
        const outer = interp.journal.run(() => {
          const a = side(first, 'A');
          const b = side(second, 'not A');
          const live = how === 'first' ? [a.branch] : [a.branch, b.branch];
          const localsOf = how === 'locals' ? { vars: maps[0]! as Map<string, Value>, branch: 1 } : undefined;
          // The whole-map join: the first side's keys in its order, then the second's new ones; one side's value
          // where the other lacks the key, the joined value where both have it.
          const expected = maps.map((_, i) => {
            if (how === 'first') return [...a.left[i]!].map(([k, v]) => [k, shown(v)]);
            if (how === 'locals' && i === 0) return [...b.left[i]!].map(([k, v]) => [k, shown(v)]);
            const [left, right] = [a.left[i]!, b.left[i]!];
            const keys = [...left.keys(), ...[...right.keys()].filter((k) => !left.has(k))];
            return keys.map((k) => {
              const [x, y] = [left.get(k), right.get(k)];
              return [k, shown(x === undefined ? y : y === undefined ? x : joinValues(interp, x, y, a.branch, b.branch))];
            });
          });
          joinStates(interp, live, localsOf);
          expect(maps.map((m) => [...m].map(([k, v]) => [k, shown(v)]))).toEqual(expected);
        });
        expect(outer.outcome.kind).toBe('done');
        if (outer.outcome.kind === 'raised') throw outer.outcome.error;
        expect(maps.map(entriesOf)).toEqual(original);
      }),
      { numRuns: 400 },
    );
  });
});

describe('undecided conditions in Python code', () => {
  const run = (code: string): Map<string, Value> => {
    const { interp, torch } = createSession();
    torch.recording = false;
    const scope = interp.newModuleScope('/ws/m.py');
    interp.execModule(parseModule(code), scope);
    return scope.vars;
  };
  const FLAG = "import os\nFLAG = os.environ.get('FLAG') == '1'\n";
  const keysOf = (v: Value | undefined): unknown[] =>
    v?.kind === 'dict' ? [...v.entries.values()].map((e) => (e.key.kind === 'str' ? e.key.value : e.key.kind)) : [];

  it('keeps a dict key either side inserts, after the keys the dict had, in the order the sides ran', () => {
    const vars = run(`${FLAG}d = {'a': 1, 'b': 2}
if FLAG:
    d['y'] = 3
    d['a'] = 1
else:
    d['x'] = 4
    d['y'] = 3
`);
    // Both sides keep 'a' equal; 'y' (first side's new key) comes before 'x' (only the second side's).
    expect(keysOf(vars.get('d'))).toEqual(['a', 'b', 'y', 'x']);
  });

  it('restores a dict key a side deleted, and a variable a nested condition set on one side only', () => {
    const vars = run(`${FLAG}d = {'a': 1, 'b': 2}
n = 1
if FLAG:
    del d['a']
    if FLAG2:
        n = 2
else:
    d['c'] = 5
after = len(d)
`.replace('FLAG2', "os.environ.get('G') == '1'"));
    // The first side's d is {'b'}; the second's {'a', 'b', 'c'}: the join keeps the first side's order, then 'a' and 'c'.
    expect(keysOf(vars.get('d'))).toEqual(['b', 'a', 'c']);
    // n is 1 or 2: unknown, naming both.
    expect(vars.get('n')?.kind).toBe('unknown');
  });

  it('grows a list on one side and keeps the longer list with the common items joined', () => {
    const vars = run(`${FLAG}items = [1]
if FLAG:
    items.append(2)
    items.append(3)
else:
    items.append(2)
count = len(items)
`);
    const items = vars.get('items');
    expect(items?.kind === 'list' ? items.items.map((v) => (v.kind === 'int' ? v.value : v.kind)) : []).toEqual([1, 2, 3]);
  });
});
