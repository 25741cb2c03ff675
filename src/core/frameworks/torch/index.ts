// The torch catalogue: every nn layer, functional op and tensor method the interpreter knows.
// Layers are looked up by their torch.nn class name; ops by qualified name ('torch.cat',
// 'torch.nn.functional.relu', 'Tensor.view', 'Tensor.__add__').
import type { LayerEntry, OpEntry } from '../types';

const layers = new Map<string, LayerEntry<any>>();
const ops = new Map<string, OpEntry>();

export function lookupLayer(name: string): LayerEntry<any> | undefined {
  return layers.get(name);
}
export function lookupOp(qualifiedName: string): OpEntry | undefined {
  return ops.get(qualifiedName);
}
export function layerNames(): string[] {
  return [...layers.keys()];
}
export function opNames(): string[] {
  return [...ops.keys()];
}
