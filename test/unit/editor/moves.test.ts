// Results moved with their statements (src/core/moves.ts): the expected positions are the statements' own
// moves, counted by hand.
import { describe, expect, it } from 'vitest';
import { moveRanges, rangeMover, type StatementPlace } from '../../../src/core/moves';

const at = (line: number, character: number) => ({ line, character });
const range = (l1: number, c1: number, l2: number, c2: number) => ({ start: at(l1, c1), end: at(l2, c2) });
// Two statements: lines 0-3 (the comment above it from line 0, the statement from line 1) and lines 6-9.
const before: StatementPlace[] = [
  { from: 0, start: at(1, 0), end: at(3, 10) },
  { from: 5, start: at(6, 0), end: at(9, 4) },
];
// Two lines inserted between them: the second moves down by 2.
const after: StatementPlace[] = [
  { from: 0, start: at(1, 0), end: at(3, 10) },
  { from: 7, start: at(8, 0), end: at(11, 4) },
];
const move = rangeMover(before, after);

describe('moving results with their statements', () => {
  it('moves each range by the lines its statement moved, and no range two statements share or none holds', () => {
    expect(move(range(2, 4, 2, 9))).toEqual(range(2, 4, 2, 9));
    expect(move(range(7, 8, 9, 2))).toEqual(range(9, 8, 11, 2));
    // The comment line above the second statement belongs to it.
    expect(move(range(5, 0, 5, 12))).toEqual(range(7, 0, 7, 12));
    expect(move(range(3, 0, 6, 2))).toBeUndefined();
    expect(move(range(4, 0, 4, 1))).toBeUndefined();
  });

  it('moves the ranges and 1-based lines of one file in plain data, keeping what did not change', () => {
    const shape = [1, 64, 8, 8];
    const data = { calls: [{ file: 'a.py', callRange: range(7, 8, 7, 20), line: 8, output: shape }, { file: 'b.py', callRange: range(7, 8, 7, 20), line: 8, output: shape }], originLine: 0 };
    const moved = moveRanges(data, move, 'a.py')!;
    expect(moved.calls[0]).toEqual({ file: 'a.py', callRange: range(9, 8, 9, 20), line: 10, output: shape });
    expect(moved.calls[0]!.output).toBe(shape);
    // Another file's positions and objects stay; line 0 is no place.
    expect(moved.calls[1]).toBe(data.calls[1]);
    expect(moved.originLine).toBe(0);
  });

  it('refuses a text naming a line (it would name the old one) and a range it cannot move', () => {
    expect(moveRanges({ message: 'averaged later (line 8)', range: range(7, 0, 7, 3) }, move)).toBeUndefined();
    expect(moveRanges([{ range: range(4, 0, 4, 1) }], move)).toBeUndefined();
    expect(moveRanges({ message: 'no place named', range: range(7, 0, 7, 3) }, move)).toEqual({ message: 'no place named', range: range(9, 0, 9, 3) });
  });
});
