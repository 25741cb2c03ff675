// Value constructors for catalogue tests (values.ts has no list constructor since lists are mutable).
import type { DataValue, ListValue } from '../../../src/core/values';

export { NONE, bool, float, int, str, tensor, tuple } from '../../../src/core/values';
export const list = (items: DataValue[]): ListValue => ({ kind: 'list', items });
