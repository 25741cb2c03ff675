// Per-axis inputs of the shape calculators: `in=224,224 kernel=3` means 2 axes with kernel 3 on both,
// as PyTorch broadcasts an int kernel_size to every spatial axis.
import type { InputSpec, ParsedInputs } from './types';
import { list } from './inputs';

/** Most spatial axes a layer has (Conv3d). */
export const MAX_AXES = 3;
/** Largest size, kernel, stride, padding or dilation accepted: results stay exact integers far below 2^53. */
export const MAX_EXTENT = 1_000_000;

export function axisListInput(
  name: string,
  description: string,
  options: { default?: string; min?: number; keywords?: readonly string[]; aliases?: readonly string[]; optional?: boolean; example?: string } = {},
): InputSpec {
  return {
    name,
    kind: 'list',
    description,
    ...(options.default !== undefined ? { default: options.default } : {}),
    ...(options.example !== undefined ? { example: options.example } : {}),
    ...(options.aliases ? { aliases: options.aliases } : {}),
    ...(options.optional ? { optional: true } : {}),
    rule: { item: 'int', min: options.min ?? 1, max: MAX_EXTENT, minItems: 1, maxItems: MAX_AXES, ...(options.keywords ? { keywords: options.keywords } : {}) },
  };
}

/** The number of axes the lists describe, or a message when their lengths disagree. */
export function axisCount(inputs: ParsedInputs, names: readonly string[]): { count: number } | { error: string } {
  const lengths = names.filter((n) => inputs[n] !== undefined && !isKeyword(list(inputs, n))).map((n) => ({ name: n, length: list(inputs, n).length }));
  const count = Math.max(1, ...lengths.map((l) => l.length));
  const bad = lengths.find((l) => l.length !== 1 && l.length !== count);
  if (bad) {
    const longest = lengths.find((l) => l.length === count);
    return { error: `${bad.name} has ${bad.length} values but ${longest?.name ?? 'another input'} has ${count}: give one value or one per axis` };
  }
  return { count };
}

/** A list holding a keyword such as 'same' instead of numbers. */
export const isKeyword = (values: readonly (number | string)[]): boolean => values.length === 1 && typeof values[0] === 'string';

/** The value of a list input on one axis (a single value applies to every axis). */
export function onAxis(inputs: ParsedInputs, name: string, axis: number): number {
  const values = list(inputs, name);
  const value = values.length === 1 ? values[0] : values[axis];
  return typeof value === 'number' ? value : NaN;
}

/** One number for one axis, else the per-axis list, as results are reported. */
export const perAxis = (values: readonly number[]): number | readonly number[] => (values.length === 1 ? values[0]! : values);

export const axisLabel = (count: number, axis: number): string => (count === 1 ? '' : `axis ${axis}: `);

export const range = (count: number): number[] => Array.from({ length: count }, (_, i) => i);
