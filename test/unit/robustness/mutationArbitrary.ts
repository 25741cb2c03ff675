// fast-check generators for source mutations (see mutate.ts).
import fc from 'fast-check';
import type { Mutation } from './mutate';
import { INSERTED_TOKENS } from './mutate';

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), start: fc.nat(), length: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant('duplicateLine' as const), line: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    tokens: fc.array(fc.constantFrom(...INSERTED_TOKENS), { minLength: 1, maxLength: 6 }),
  }),
  fc.record({
    kind: fc.constant('changeInt' as const),
    which: fc.nat(),
    value: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0, 1e9, 2 ** 53, -(2 ** 31), 1e21), fc.integer()),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);
