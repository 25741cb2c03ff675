// Issue 12 item 6: every calculator field says what it is and shows a value to type (its example, its
// default, or its options), and every example is itself a value the field accepts, so copying it works.
import { describe, expect, it } from 'vitest';
import { calculators } from '../../../src/core/calculators';
import { validateInput } from '../../../src/core/calculators/inputs';

const fields = calculators.flatMap((calc) => calc.inputs.map((spec) => ({ calc: calc.id, spec })));

describe('calculator fields', () => {
  it('each has a description and a value to copy', () => {
    const bare = fields
      .filter(({ spec }) => spec.description.trim().length < 5 || (spec.example === undefined && spec.default === undefined && spec.kind !== 'enum'))
      .map(({ calc, spec }) => `${calc}.${spec.name}`);
    expect(bare).toEqual([]);
    expect(fields.length).toBeGreaterThan(50);
  });

  it('accepts each alternative of its own example ("3 or 3,3")', () => {
    const refused = fields.flatMap(({ calc, spec }) =>
      (spec.example?.split(' or ') ?? [])
        .map((alternative) => ({ alternative, error: validateInput(spec, alternative.replace(/^'(.*)'$/, '$1')) }))
        .filter((r) => r.error !== undefined)
        .map((r) => `${calc}.${spec.name}: ${r.alternative} (${r.error})`),
    );
    expect(refused).toEqual([]);
  });
});
