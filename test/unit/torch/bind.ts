// Test helper: binds Python-style call arguments to a catalogue signature, as the interpreter does, so
// tests can call entries the way model code calls them (`Conv2d(3, 8, 3, stride=2)`).
import type { ArgSpec, BoundArgs, DataValue } from '../../../src/core/frameworks/types';
import { tuple } from '../../../src/core/values';

export function bindArgs(signature: readonly ArgSpec[], positional: readonly DataValue[], keywords: Readonly<Record<string, DataValue>> = {}): BoundArgs {
  const bound: Record<string, DataValue> = {};
  let next = 0;
  for (const spec of signature) {
    if (spec.variadic) {
      bound[spec.name] = tuple(positional.slice(next));
      next = positional.length;
      continue;
    }
    if (!spec.keywordOnly && next < positional.length) {
      bound[spec.name] = positional[next++]!;
    } else if (spec.name in keywords) {
      bound[spec.name] = keywords[spec.name]!;
    } else if (spec.default !== undefined) {
      bound[spec.name] = spec.default;
    } else {
      throw new Error(`missing required argument '${spec.name}'`);
    }
  }
  if (next < positional.length) throw new Error(`too many positional arguments (${positional.length})`);
  for (const key of Object.keys(keywords)) {
    if (!signature.some((s) => s.name === key)) throw new Error(`unexpected keyword argument '${key}'`);
  }
  return bound;
}
