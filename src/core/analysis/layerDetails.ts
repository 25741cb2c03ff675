// What a built-in layer was constructed with, for hovers and calculator prefill: its bound constructor
// arguments as Python text, and its kernel/stride/padding/dilation per spatial axis.
import type { ReceptiveFieldEffect, WindowGeometry } from '../frameworks/types';
import { formatDim } from '../dims/dims';
import type { ObjectV, Value } from '../interp/values';

export interface LayerDetails {
  /** Constructor arguments by PyTorch's parameter name, as Python literals (`7`, `(3, 3)`, `True`, `'same'`). */
  readonly args?: Readonly<Record<string, string>>;
  /** Kernel, stride, padding and dilation per axis of a layer that reads strided windows (conv, pooling). */
  readonly geometry?: WindowGeometry;
  /** How each spatial axis of its output reads its input, where that does not depend on the call's sizes. */
  readonly readers?: ReceptiveFieldEffect;
}

/** Python literal text of a plain value; undefined for values that are not literals (modules, tensors). */
export function pythonLiteral(v: Value): string | undefined {
  switch (v.kind) {
    case 'none':
      return 'None';
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'int':
      return formatDim(v.value);
    case 'float':
      return Number.isInteger(v.value) ? `${v.value}.0` : String(v.value);
    case 'str':
      return `'${v.value.replace(/'/g, "\\'")}'`;
    case 'tuple':
    case 'list': {
      const items = v.items.map(pythonLiteral);
      if (items.some((i) => i === undefined)) return undefined;
      return v.kind === 'list' ? `[${items.join(', ')}]` : items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    }
    default:
      return undefined;
  }
}

/** The window geometry of an effect whose every axis reads a strided window; undefined otherwise. */
export function windowGeometry(effect: ReceptiveFieldEffect): WindowGeometry | undefined {
  const windows: Extract<ReceptiveFieldEffect[number], { kind: 'window' }>[] = [];
  for (const r of effect) {
    if (r.kind !== 'window') return undefined;
    windows.push(r);
  }
  if (windows.length === 0) return undefined;
  return {
    kernel: windows.map((w) => w.kernel),
    stride: windows.map((w) => w.stride),
    padding: windows.map((w) => w.padding),
    dilation: windows.map((w) => w.dilation),
  };
}

export function layerDetails(m: ObjectV): LayerDetails {
  const state = m.module;
  const entry = m.cls.layer;
  if (!state || !entry) return {};
  let args: Record<string, string> | undefined;
  // forEach, not for-of: one summary makes these for every module, and for-of made an entry array per argument.
  state.ctorArgs?.forEach((value, name) => {
    const text = pythonLiteral(value);
    if (text !== undefined) (args ??= {})[name] = text;
  });
  let effect: ReceptiveFieldEffect | undefined;
  try {
    effect = state.layerConfig !== undefined && !state.layerError ? entry.receptiveField?.(state.layerConfig) : undefined;
  } catch {
    effect = undefined;
  }
  const geometry = effect ? windowGeometry(effect) : undefined;
  // Set field by field in the report's order (args, geometry, readers): spreading conditional objects was most
  // of this function's time in a summary, which makes one of these per module.
  const details: { args?: Record<string, string>; geometry?: WindowGeometry; readers?: ReceptiveFieldEffect } = {};
  if (args) details.args = args;
  if (geometry) details.geometry = geometry;
  if (effect) details.readers = effect;
  return details;
}
