// A slice's length along a tensor axis of known size is counted, not listed (interp/torch.ts: sliceCount). It must
// equal the length of the list Python's slice semantics keep (sliceItems), for every start, stop and step, with
// negative bounds, bounds past either end and negative steps; and a few lengths are Python's, worked by hand.
import { describe, expect, it } from 'vitest';
import { sliceCount } from '../../../src/core/interp/torch';
import { sliceItems } from '../../../src/core/interp/interpreter';
import { NONE, int } from '../../../src/core/values';

const bound = (b: number | undefined) => (b === undefined ? NONE : int(b));

describe('sliceCount', () => {
  it('counts what the list slice keeps, for every bound and step on sizes 0-9', () => {
    const bounds = [undefined, -12, -10, -9, -5, -1, 0, 1, 3, 8, 9, 10, 12];
    const steps = [-4, -3, -2, -1, 1, 2, 3, 5];
    let compared = 0;
    for (let size = 0; size < 10; size++) {
      const items = Array.from({ length: size }, (_, i) => i);
      for (const start of bounds)
        for (const stop of bounds)
          for (const step of steps) {
            const listed = sliceItems(items, { kind: 'slice', start: bound(start), stop: bound(stop), step: int(step) });
            expect(sliceCount(size, step, start, stop), `${size} [${start}:${stop}:${step}]`).toBe(listed!.length);
            compared++;
          }
    }
    expect(compared).toBe(10 * 13 * 13 * 8);
  });

  it("gives Python's lengths", () => {
    // len(range(1024)[:-1]) = 1023; len(range(50257)[::3]) = 16753 (50257 / 3 rounded up); len(range(10)[8:2:-2]) = 3 (8, 6, 4).
    expect(sliceCount(1024, 1, undefined, -1)).toBe(1023);
    expect(sliceCount(50257, 3, undefined, undefined)).toBe(16753);
    expect(sliceCount(10, -2, 8, 2)).toBe(3);
    expect(sliceCount(10, 1, 7, 3)).toBe(0);
  });
});
