// Comma-list inputs of the calculators (kernel sizes, strides, shapes): Python's one-tuple, the item count,
// and a pasted megabyte refused by its count. Expected values are worked out by hand in each case.
import { describe, expect, it } from 'vitest';
import { parseInput } from '../../../src/core/calculators/inputs';
import type { InputSpec } from '../../../src/core/calculators/types';

const kernel: InputSpec = { name: 'kernel', kind: 'list', rule: { item: 'int', min: 1, max: 1_000_000, minItems: 1, maxItems: 3 } } as InputSpec;

describe('comma-list inputs', () => {
  it.each([
    ['3', [3]],
    ['(3,)', [3]],
    ['3, 5', [3, 5]],
    ['[3, 5, 7]', [3, 5, 7]],
    ['(1, 2, 3,)', [1, 2, 3]],
  ])('%j reads as %j', (text, expected) => {
    expect(parseInput(kernel, text)).toEqual({ value: expected });
  });

  it('names the number of items given when there are too many', () => {
    expect(parseInput(kernel, '1, 2, 3, 4')).toEqual({ error: 'kernel must be 1 to 3 comma-separated values, got 4' });
  });

  it('counts a pasted megabyte of ", " as 500,000 items (the last comma trails) and refuses it', () => {
    // ', ' × 500,000 trimmed is 500,000 commas with nothing after the last one: Python's trailing comma.
    expect(parseInput(kernel, ', '.repeat(500_000))).toEqual({ error: 'kernel must be 1 to 3 comma-separated values, got 500000' });
  });

  it('refuses an empty item between commas', () => {
    const parsed = parseInput(kernel, '1,,2');
    expect('error' in parsed && parsed.error).toMatch(/got ''$/);
  });
});
