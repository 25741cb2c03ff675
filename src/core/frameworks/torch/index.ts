// The torch catalogue: every nn layer, functional op and tensor method the interpreter knows.
// Layers are looked up by their torch.nn class name; ops by qualified name ('torch.cat',
// 'torch.nn.functional.relu', 'Tensor.view', 'Tensor.__add__'). The MAC convention is stated in macs.ts.
import type { LayerEntry, OpEntry } from '../types';
import { activationLayers } from './activation';
import { convLayers } from './conv';
import { dropoutLayers } from './dropout';
import { linearLayers } from './linear';
import { normLayers } from './norm';
import { poolLayers } from './pool';
import { shapeLayers } from './shape_layers';
import { paddingLayers } from './padding';
import { upsampleLayers } from './upsample';
import { embeddingLayers } from './embedding';
import { attentionLayers } from './attention';
import { rnnLayers } from './rnn';
import { lossLayerEntries } from './loss';
import { distanceLayers } from './distance';
import { functionalOps } from './ops/functional';
import { selectionOps } from './ops/selection';
import { elementwiseOps } from './ops/elementwise';
import { shapeOps } from './ops/shape';
import { reductionOps } from './ops/reduction';
import { linalgOps } from './ops/linalg';
import { creationOps } from './ops/creation';
import { signalOps } from './ops/signal';

const LAYER_FAMILIES: readonly (readonly LayerEntry<any>[])[] = [convLayers, linearLayers, activationLayers, dropoutLayers, normLayers, poolLayers, shapeLayers, paddingLayers, upsampleLayers, embeddingLayers, attentionLayers, rnnLayers, lossLayerEntries, distanceLayers];
const OP_FAMILIES: readonly (readonly OpEntry[])[] = [shapeOps, elementwiseOps, reductionOps, linalgOps, creationOps, functionalOps, selectionOps, signalOps];

// Built once at load time and never mutated afterwards.
const layers: ReadonlyMap<string, LayerEntry<any>> = new Map(LAYER_FAMILIES.flat().map((e) => [e.name, e]));
const ops: ReadonlyMap<string, OpEntry> = new Map(OP_FAMILIES.flat().map((e) => [e.name, e]));

/** Names registered more than once (a later entry would shadow an earlier one); empty when consistent. */
export function duplicateEntryNames(): string[] {
  const names = [...LAYER_FAMILIES.flat().map((e) => `layer ${e.name}`), ...OP_FAMILIES.flat().map((e) => `op ${e.name}`)];
  return names.filter((n, i) => names.indexOf(n) !== i);
}

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
