// Plain data values shared by the interpreter and the framework catalogues.
// The catalogue sees only these kinds; the interpreter adds its own (functions, classes, objects).
import type { Dim } from './dims/dims';

/** A 0-based source range (line and character, end exclusive), as every core result uses. */
export interface Range {
  readonly start: { readonly line: number; readonly character: number };
  readonly end: { readonly line: number; readonly character: number };
}

export type DType = 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool' | 'complex64' | 'complex128' | 'unknown';

export interface NoneValue { readonly kind: 'none' }
export interface BoolValue { readonly kind: 'bool'; readonly value: boolean }
/** A Python int; symbolic when its value depends on an unknown input dimension. */
export interface IntValue { readonly kind: 'int'; readonly value: Dim }
export interface FloatValue { readonly kind: 'float'; readonly value: number }
export interface StrValue { readonly kind: 'str'; readonly value: string }
/** A tuple; `namedtuple` names the namedtuple class a tuple is an instance of where its fields matter (torch's PackedSequence). */
export interface TupleValue<V = DataValue> { readonly kind: 'tuple'; readonly items: readonly V[]; readonly namedtuple?: 'PackedSequence' }
/** Lists are mutable in Python; the interpreter mutates `items` in place for append/extend. */
export interface ListValue<V = DataValue> { readonly kind: 'list'; items: V[] }
/** A tensor: its shape (null when even the rank is unknown) and dtype; a NumPy ndarray has library 'numpy'. */
export interface TensorValue {
  readonly kind: 'tensor';
  readonly shape: readonly Dim[] | null;
  readonly dtype: DType;
  /** 'numpy' for an ndarray (shape rules and broadcasting are shared; ops and dtypes are NumPy's); absent for torch. */
  readonly library?: 'numpy';
  /**
   * The contents of a small ndarray, row-major, when every element is known. NumPy arrays are mutable:
   * item assignment updates them in place, or drops them when the new contents are not known.
   */
  values?: number[];
}
/** Something the analysis cannot know; it carries why and where, and spreads only to what depends on it. */
export interface UnknownValue { readonly kind: 'unknown'; readonly reason: string; readonly range?: Range }

export type DataValue =
  | NoneValue
  | BoolValue
  | IntValue
  | FloatValue
  | StrValue
  | TupleValue
  | ListValue
  | TensorValue
  | UnknownValue;

export const NONE: NoneValue = { kind: 'none' };
export const int = (value: Dim): IntValue => ({ kind: 'int', value });
export const float = (value: number): FloatValue => ({ kind: 'float', value });
export const bool = (value: boolean): BoolValue => ({ kind: 'bool', value });
export const str = (value: string): StrValue => ({ kind: 'str', value });
export const tuple = <V = DataValue>(items: readonly V[]): TupleValue<V> => ({ kind: 'tuple', items });
export const tensor = (shape: readonly Dim[] | null, dtype: DType = 'float32'): TensorValue => ({ kind: 'tensor', shape, dtype });
/** A NumPy ndarray, with its contents when they are known. */
export const ndarray = (shape: readonly Dim[] | null, dtype: DType, values?: number[]): TensorValue =>
  values ? { kind: 'tensor', shape, dtype, library: 'numpy', values } : { kind: 'tensor', shape, dtype, library: 'numpy' };
export const unknown = (reason: string, range?: Range): UnknownValue => (range ? { kind: 'unknown', reason, range } : { kind: 'unknown', reason });
