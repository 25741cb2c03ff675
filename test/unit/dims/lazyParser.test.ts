// dims.ts makes mathjs's parser when dim text is first parsed, not when the module loads: making it took 4-7 ms
// of every CLI run and worker start, and arithmetic on dims never needs it.
import { describe, expect, it, vi } from 'vitest';

const made = vi.hoisted(() => ({ count: 0 }));

vi.mock('mathjs', async (original) => {
  const real = await original<typeof import('mathjs')>();
  return {
    ...real,
    create: (...args: Parameters<typeof real.create>) => {
      made.count++;
      return real.create(...args);
    },
  };
});

describe("dims' mathjs parser", () => {
  it('is made once, by the first parse of dim text', async () => {
    const dims = await import('../../../src/core/dims/dims');
    const H = dims.sym('H');
    // ⌊(H + 2)/2⌋ − 1 = ⌊H/2⌋: arithmetic on symbols, no text parsed.
    expect(dims.formatDim(dims.sub(dims.floorDiv(dims.add(H, 2), 2), 1))).toBe('floor(H / 2)');
    expect(dims.add(3, 4)).toBe(7);
    expect(made.count).toBe(0);
    // (H + 2)·3 parsed = 3·H + 6; then 2·W once more with the same parser.
    expect(dims.formatDim(dims.parseDim('(H + 2) * 3')!)).toBe(dims.formatDim(dims.add(dims.mul(H, 3), 6)));
    expect(dims.formatDim(dims.parseDim('2*W')!)).toBe(dims.formatDim(dims.mul(dims.sym('W'), 2)));
    expect(made.count).toBe(1);
  });
});
