// Property tests (fast-check): the inverse calculator round-trips through the forward ones, and no input
// (in range, at the bounds, or garbage) makes any calculator throw or return NaN / Infinity.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calculators, findCalculator, formatStack, parseLayerStack } from '../../../src/core/calculators';
import type { Calculator, InputSpec, RawInputs } from '../../../src/core/calculators';
import { allFinite } from '../../../src/core/calculators/inputs';

function compute(id: string, inputs: RawInputs) {
  const calculator = findCalculator(id);
  if (!calculator) throw new Error(`no calculator ${id}`);
  return calculator.compute(inputs);
}

describe('conv-padding round-trips through conv-out and convtranspose-out', () => {
  it('finds, for any conv output size, a padding no larger than the one used that gives it back', () => {
    const config = fc
      .record({ size: fc.integer({ min: 1, max: 300 }), kernel: fc.integer({ min: 1, max: 11 }), stride: fc.integer({ min: 1, max: 5 }), dilation: fc.integer({ min: 1, max: 4 }), padding: fc.integer({ min: 0, max: 12 }) })
      .filter((c) => c.dilation * (c.kernel - 1) + 1 <= c.size + 2 * c.padding);
    fc.assert(
      fc.property(config, (c) => {
        const common = { in: String(c.size), kernel: String(c.kernel), stride: String(c.stride), dilation: String(c.dilation) };
        const forward = compute('conv-out', { ...common, padding: String(c.padding) });
        expect(forward.ok).toBe(true);
        if (!forward.ok) return;
        const inverse = compute('conv-padding', { ...common, out: String(forward.result) });
        expect(inverse.ok).toBe(true);
        if (!inverse.ok) return;
        const solved = inverse.result as { exists: boolean; padding: number };
        expect(solved.exists).toBe(true);
        expect(solved.padding).toBeLessThanOrEqual(c.padding);
        const again = compute('conv-out', { ...common, padding: String(solved.padding) });
        expect(again.ok && again.result).toBe(forward.result);
      }),
      { numRuns: 1500 },
    );
  });

  it('recovers padding and output_padding of a transposed conv, and output_padding alone when padding is fixed', () => {
    const config = fc
      .record({
        size: fc.integer({ min: 1, max: 200 }),
        kernel: fc.integer({ min: 1, max: 9 }),
        stride: fc.integer({ min: 1, max: 5 }),
        dilation: fc.integer({ min: 1, max: 4 }),
        padding: fc.integer({ min: 0, max: 10 }),
        outputPaddingFraction: fc.double({ min: 0, max: 0.999, noNaN: true }),
      })
      .map((c) => ({ ...c, outputPadding: Math.floor(c.outputPaddingFraction * Math.max(c.stride, c.dilation)) }));
    fc.assert(
      fc.property(config, (c) => {
        const common = { in: String(c.size), kernel: String(c.kernel), stride: String(c.stride), dilation: String(c.dilation) };
        const forward = compute('convtranspose-out', { ...common, padding: String(c.padding), output_padding: String(c.outputPadding) });
        if (!forward.ok) {
          // Only a padding larger than the layer's output may be refused.
          expect(forward.errors[0]).toContain('too small');
          return;
        }
        const inverse = compute('conv-padding', { ...common, out: String(forward.result), transposed: 'true' });
        expect(inverse.ok).toBe(true);
        if (!inverse.ok) return;
        const solved = inverse.result as { exists: boolean; padding: number; output_padding: number };
        expect(solved.exists).toBe(true);
        const again = compute('convtranspose-out', { ...common, padding: String(solved.padding), output_padding: String(solved.output_padding) });
        expect(again.ok && again.result).toBe(forward.result);
        const fixed = compute('conv-padding', { ...common, out: String(forward.result), transposed: 'true', padding: String(c.padding) });
        expect(fixed.ok && fixed.result).toEqual({ exists: true, padding: c.padding, output_padding: c.outputPadding });
      }),
      { numRuns: 1500 },
    );
  });
});

describe('receptive-field stacks round-trip through their text', () => {
  it('parses formatStack(layers) back to the same layers', () => {
    const layer = fc.record({
      kind: fc.constantFrom('conv' as const, 'pool' as const),
      kernel: fc.integer({ min: 1, max: 50 }),
      stride: fc.integer({ min: 1, max: 4 }),
      dilation: fc.integer({ min: 1, max: 5 }),
      padding: fc.integer({ min: 0, max: 30 }),
    });
    fc.assert(
      fc.property(fc.array(layer, { minLength: 1, maxLength: 12 }), (layers) => {
        const parsed = parseLayerStack(formatStack(layers));
        expect('layers' in parsed && parsed.layers.map(({ text: _text, ...rest }) => rest)).toEqual(layers);
      }),
      { numRuns: 500 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Robustness: generators of inputs in each declared range, at its bounds, and of garbage.

const GARBAGE = ['', ' ', 'abc', 'NaN', 'nan', 'Infinity', '-Infinity', 'inf', '1e309', '-1e309', '1e-320', '-0', '0', '-1', '9007199254740993', '1,,2', ',', '()', '[]', 'same', 'valid', 'true', '0x10', '1_000', '３', '1e', '.', '-', '2,3,4,5', 'conv3,', 'pool0', 'conv99999999999 s0'];

function numberText(kind: 'int' | 'float', spec: InputSpec): fc.Arbitrary<string> {
  const min = spec.rule.min ?? -1e6;
  const max = spec.rule.max ?? 1e6;
  const bounds = fc.constantFrom(String(min), String(max));
  if (kind === 'int') {
    const high = Math.min(max, Number.MAX_SAFE_INTEGER);
    const small = fc.integer({ min: Math.max(Math.ceil(min), -1000), max: Math.min(high, 1000) });
    const wide = fc.double({ min: Math.ceil(min), max: high, noNaN: true }).map((x) => Math.round(x));
    return fc.oneof(small.map(String), wide.map(String), bounds);
  }
  const wide = fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  const logScale = fc.double({ min: -300, max: 300, noNaN: true }).map((e) => 10 ** e).filter((x) => x >= min && x <= max);
  return fc.oneof(wide.map(String), logScale.map(String), bounds);
}

const STACK_LAYER = fc
  .record({
    kind: fc.constantFrom('conv', 'pool', 'maxpool', 'avgpool'),
    kernel: fc.integer({ min: 0, max: 12000 }),
    options: fc.array(fc.tuple(fc.constantFrom('s', 'd', 'p'), fc.integer({ min: 0, max: 12000 })), { maxLength: 3 }),
  })
  .map((l) => [`${l.kind}${l.kernel}`, ...l.options.map(([k, v]) => `${k}${v}`)].join(' '));

function validText(spec: InputSpec): fc.Arbitrary<string> {
  switch (spec.kind) {
    case 'int':
    case 'float':
      return numberText(spec.kind, spec);
    case 'bool':
      return fc.constantFrom('true', 'false', 'True', '0', '1');
    case 'enum':
      return fc.constantFrom(...(spec.rule.options ?? ['']));
    case 'list': {
      const item = numberText(spec.rule.item ?? 'float', spec);
      const items = fc.array(item, { minLength: 1, maxLength: Math.min(spec.rule.maxItems ?? 4, 4) }).map((xs) => xs.join(','));
      const keywords = spec.rule.keywords ?? [];
      return keywords.length > 0 ? fc.oneof(items, fc.constantFrom(...keywords)) : items;
    }
    case 'string':
      return fc.array(STACK_LAYER, { minLength: 1, maxLength: 40 }).map((layers) => layers.join(', '));
  }
}

/** Raw inputs for one calculator: each input in range, at a bound, garbage, or left out. */
function rawInputs(calculator: Calculator, garbageWeight: number): fc.Arbitrary<Record<string, string>> {
  const entries = calculator.inputs.map((spec) =>
    fc.oneof(
      { arbitrary: validText(spec).map((text) => [spec.name, text] as const), weight: 10 },
      { arbitrary: fc.oneof(fc.constantFrom(...GARBAGE), fc.string({ maxLength: 12 })).map((text) => [spec.name, text] as const), weight: garbageWeight },
      { arbitrary: fc.constant(undefined), weight: 2 },
    ),
  );
  return fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs.filter((p): p is readonly [string, string] => p !== undefined)));
}

function checkOutcome(calculator: Calculator, raw: Record<string, string>): boolean {
  const outcome = calculator.compute(raw);
  const validation = calculator.validate(raw);
  if (outcome.ok) {
    expect(allFinite(outcome.result)).toBe(true);
    expect(typeof outcome.formula).toBe('string');
    expect(outcome.formula.length).toBeGreaterThan(0);
    expect(outcome.formula).not.toMatch(/NaN|Infinity|undefined/);
    expect(validation).toEqual([]);
    expect(() => JSON.stringify(outcome.result)).not.toThrow();
  } else {
    expect(outcome.errors.length).toBeGreaterThan(0);
    for (const message of outcome.errors) {
      expect(message).not.toContain('\n');
      // Messages may quote what was typed ('NaN'); outside the quotes they must be clean.
      expect(message.replace(/'[^']*'/g, "''")).not.toMatch(/NaN|undefined|TypeError|Cannot read/);
    }
    expect(validation).toEqual(outcome.errors);
  }
  return outcome.ok;
}

describe('no input makes a calculator throw or return NaN / Infinity', () => {
  for (const calculator of calculators) {
    it(`${calculator.id}: in-range and boundary inputs`, () => {
      let succeeded = 0;
      fc.assert(
        fc.property(rawInputs(calculator, 0), (raw) => {
          if (checkOutcome(calculator, raw)) succeeded++;
        }),
        // A fixed seed keeps the run reproducible: calculators with exclusive optional inputs (gd-step takes
        // eigenvalues or singular values) reach the compute path on only a fraction of random inputs.
        { numRuns: 400, seed: 20261130 },
      );
      // The generator must reach the compute path, not only validation.
      expect(succeeded).toBeGreaterThan(0);
    });

    it(`${calculator.id}: garbage mixed in`, () => {
      fc.assert(
        fc.property(rawInputs(calculator, 6), (raw) => {
          checkOutcome(calculator, raw);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('reports unknown keys instead of ignoring them', () => {
    for (const calculator of calculators) {
      const outcome = calculator.compute({ not_an_input: '1' });
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.errors.some((e) => e.includes("unknown input 'not_an_input'"))).toBe(true);
    }
  });
});
