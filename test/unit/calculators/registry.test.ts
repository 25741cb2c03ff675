// The calculator ids are one typed list (src/core/calculators/ids.ts): the registry has exactly one
// calculator per id, under its own id, and in the list's order.
import { describe, expect, it } from 'vitest';
import { CALCULATOR_IDS, calculators, findCalculator, isCalculatorId } from '../../../src/core/calculators';
import { CALCULATORS_BY_ID } from '../../../src/core/calculators/registry';

describe('calculator registry', () => {
  it('holds one calculator per id, keyed by its own id, listed in the ids’ order', () => {
    for (const id of CALCULATOR_IDS) expect(CALCULATORS_BY_ID[id].id).toBe(id);
    expect(calculators.map((c) => c.id)).toEqual([...CALCULATOR_IDS]);
    expect(new Set(CALCULATOR_IDS).size).toBe(CALCULATOR_IDS.length);
  });

  it('finds a calculator by a typed name and rejects other names', () => {
    expect(findCalculator('conv-out')?.title).toMatch(/^Conv output size/);
    expect(findCalculator('conv_out')).toBeUndefined();
    expect(findCalculator('toString')).toBeUndefined();
    expect(isCalculatorId('kv-cache')).toBe(true);
    expect(isCalculatorId(42)).toBe(false);
  });
});
