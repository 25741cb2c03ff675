// The bounded caches' rule: past the bound the oldest entry (insertion order) goes; an entry made on first use is
// kept and handed out again.
import { describe, expect, it } from 'vitest';
import { keptFor, setBounded } from '../../../src/core/boundedMaps';

describe('bounded maps', () => {
  it('drops the oldest entry when a new one comes past the bound', () => {
    const map = new Map<string, number>();
    for (const [key, value] of [['a', 1], ['b', 2], ['c', 3], ['d', 4]] as const) setBounded(map, key, value, 3);
    expect([...map]).toEqual([['b', 2], ['c', 3], ['d', 4]]);
  });

  it('makes an entry once and hands the same one out again', () => {
    const map = new Map<string, { made: number }>();
    let made = 0;
    const first = keptFor(map, 'doc.py', 2, () => ({ made: ++made }));
    expect(keptFor(map, 'doc.py', 2, () => ({ made: ++made }))).toBe(first);
    keptFor(map, 'b.py', 2, () => ({ made: ++made }));
    keptFor(map, 'c.py', 2, () => ({ made: ++made }));
    expect(made).toBe(3);
    expect([...map.keys()]).toEqual(['b.py', 'c.py']);
  });
});
