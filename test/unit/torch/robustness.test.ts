// Every catalogue entry, fed arbitrary arguments (wrong kinds, zeros, negatives, symbolic and unknown
// values, any rank): it must never throw, and any size or MAC count it reports is a finite integer ≥ 0.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layerNames, lookupLayer, lookupOp, opNames } from '../../../src/core/frameworks/torch/index';
import { isLayerError } from '../../../src/core/frameworks/types';
import type { ArgSpec, BoundArgs, DataValue } from '../../../src/core/frameworks/types';
import type { Dim } from '../../../src/core/dims/dims';
import { sym } from '../../../src/core/dims/dims';
import { NONE, bool, float, int, str, tensor, tuple } from './values';

const dimArb: fc.Arbitrary<Dim> = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constantFrom<Dim>(1, 2, 3, sym('B'), sym('H')));
const tensorArb = fc.oneof(
  fc.array(dimArb, { maxLength: 5 }).map((shape) => tensor(shape)),
  fc.array(dimArb, { maxLength: 3 }).map((shape) => tensor(shape, 'int64')),
  fc.constant(tensor(null)),
);
const scalarArb: fc.Arbitrary<DataValue> = fc.oneof(
  fc.integer({ min: -3, max: 70 }).map(int),
  fc.constantFrom(int(0), int(-1), int(sym('T')), float(0.5), float(-1), float(Number.NaN), bool(true), bool(false), NONE, str('same'), str('none'), str('x')),
  fc.constant<DataValue>({ kind: 'unknown', reason: 'test' }),
);
const valueArb: fc.Arbitrary<DataValue> = fc.oneof(
  { weight: 3, arbitrary: scalarArb },
  { weight: 3, arbitrary: tensorArb },
  { weight: 1, arbitrary: fc.array(scalarArb, { maxLength: 4 }).map((items) => tuple(items)) },
  { weight: 1, arbitrary: fc.array(tensorArb, { maxLength: 3 }).map((items): DataValue => ({ kind: 'list', items })) },
);

/** Binds random values to a signature, keeping defaults for some optional arguments. */
function randomBinding(signature: readonly ArgSpec[], values: readonly DataValue[], keepDefault: readonly boolean[]): BoundArgs {
  const bound: Record<string, DataValue> = {};
  signature.forEach((spec, i) => {
    const v = values[i % Math.max(values.length, 1)] ?? NONE;
    if (spec.variadic) bound[spec.name] = tuple(values.slice(0, 2));
    else bound[spec.name] = spec.default !== undefined && keepDefault[i % keepDefault.length] ? spec.default : v;
  });
  return bound;
}

/** Sizes and MACs must be finite, integral and non-negative wherever they are plain numbers. */
function checkValue(v: DataValue, where: string): void {
  if (v.kind === 'tensor' && v.shape) {
    for (const d of v.shape) {
      if (typeof d === 'number') {
        expect(Number.isInteger(d) && d >= 0, `${where}: size ${d}`).toBe(true);
      }
    }
  }
  if (v.kind === 'tuple' || v.kind === 'list') v.items.forEach((item) => checkValue(item, where));
  if (v.kind === 'int' && typeof v.value === 'number') expect(Number.isFinite(v.value), where).toBe(true);
}

function checkMacs(macs: Dim | null, where: string): void {
  if (typeof macs === 'number') expect(Number.isInteger(macs) && macs >= 0, `${where}: macs ${macs}`).toBe(true);
}

const bindingArb = fc.tuple(fc.array(valueArb, { minLength: 1, maxLength: 6 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }));

describe('catalogue robustness', () => {
  it('layers never throw and report only sane numbers', () => {
    for (const name of layerNames()) {
      const entry = lookupLayer(name)!;
      fc.assert(
        fc.property(bindingArb, bindingArb, ([cv, ck], [fv, fk]) => {
          const config = entry.configure(randomBinding(entry.signature, cv, ck));
          if (isLayerError(config)) return;
          entry.parameters(config).forEach((p) => p.shape.forEach((d) => expect(Number.isInteger(d) && d >= 0, `${name} parameter ${p.name}`).toBe(true)));
          entry.receptiveField?.(config);
          const forwardArgs = randomBinding(entry.forwardSignature, fv, fk);
          const materialized = entry.materialize ? entry.materialize(config, forwardArgs) : config;
          if (isLayerError(materialized)) return;
          const r = entry.forward(materialized, forwardArgs);
          if (isLayerError(r)) {
            expect(r.message.length).toBeGreaterThan(0);
            // The boundary guard's message would mean the entry let a bad size through unchecked.
            expect(r.message, name).not.toContain('in the result');
            return;
          }
          checkValue(r.output, name);
          checkMacs(r.macs, name);
        }),
        { numRuns: 80, seed: 5 },
      );
    }
  });

  it('ops never throw and report only sane numbers', () => {
    for (const name of opNames()) {
      const op = lookupOp(name)!;
      fc.assert(
        fc.property(bindingArb, ([values, keep]) => {
          const r = op.apply(randomBinding(op.signature, values, keep));
          if (isLayerError(r)) {
            expect(r.message.length).toBeGreaterThan(0);
            // The boundary guard's message would mean the entry let a bad size through unchecked.
            expect(r.message, name).not.toContain('in the result');
            return;
          }
          checkValue(r.output, name);
          checkMacs(r.macs, name);
        }),
        { numRuns: 80, seed: 13 },
      );
    }
  });
});
