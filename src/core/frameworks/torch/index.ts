// The torch catalogue: every nn layer, functional op and tensor method the interpreter knows.
// Layers are looked up by their torch.nn class name; ops by qualified name ('torch.cat',
// 'torch.nn.functional.relu', 'Tensor.view', 'Tensor.__add__'). The MAC convention is stated in macs.ts.
import type { LayerEntry, LayerGrid, OpEntry } from '../types';
import { isLayerError } from '../types';
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
import { arrangementOps } from './ops/arrangement';
import { scatterOps } from './ops/scatter';
import { statisticsOps } from './ops/statistics';
import { decompositionOps } from './ops/decompositions';
import { tensorInfoOps } from './ops/tensorInfo';
import { packedSequenceOps } from './packedSequence';
import { opShortName } from './ops/shapeRules';
import { OP_PROBABILITIES, OP_VARIANCE_ROLES } from './variance';
import { TRANSFORMER_CLASSES } from './prelude/transformer';

const LAYER_FAMILIES: readonly (readonly LayerEntry[])[] = [convLayers, linearLayers, activationLayers, dropoutLayers, normLayers, poolLayers, shapeLayers, paddingLayers, upsampleLayers, embeddingLayers, attentionLayers, rnnLayers, lossLayerEntries, distanceLayers];
const OP_FAMILIES: readonly (readonly OpEntry[])[] = [shapeOps, elementwiseOps, reductionOps, linalgOps, creationOps, functionalOps, selectionOps, signalOps, arrangementOps, scatterOps, statisticsOps, decompositionOps, tensorInfoOps, packedSequenceOps];

/**
 * The *_copy functions (torch.permute_copy, ...) return a new tensor with the view op's result: the same
 * shape rule under another name, as PyTorch documents them. Also narrow_copy and the unsafe_chunk form.
 */
const COPY_VARIANTS: ReadonlyArray<readonly [string, string]> = [
  ...['permute', 't', 'transpose', 'unsqueeze', 'squeeze', 'select', 'diagonal', 'unbind', 'view_as_real', 'view_as_complex', 'split'].map(
    (name) => [`torch.${name}_copy`, `torch.${name}`] as const,
  ),
  ['torch.detach_copy', 'Tensor.detach'],
  ['torch.expand_copy', 'Tensor.expand'],
  ['torch.view_copy', 'Tensor.view'],
  ['torch.alias_copy', 'Tensor.clone'],
  ['torch.narrow_copy', 'torch.narrow'],
  ['Tensor.narrow_copy', 'Tensor.narrow'],
  ['torch.unsafe_chunk', 'torch.chunk'],
  ['Tensor.unsafe_chunk', 'Tensor.chunk'],
  ['torch.split_with_sizes_copy', 'torch.split'],
  ['torch.unfold_copy', 'Tensor.unfold'],
  // Tensor.hardshrink is the method form of F.hardshrink.
  ['Tensor.hardshrink', 'torch.nn.functional.hardshrink'],
];

/**
 * In-place methods whose out-of-place op exists: the result is self (shape and dtype kept), and an
 * out-of-place result of another shape is PyTorch's error.
 */
const IN_PLACE_OF = ['cumsum', 'cumprod', 'tril', 'triu', 'addmm', 'baddbmm', 'addbmm'];

function inPlaceVariant(target: OpEntry, name: string): OpEntry {
  return {
    ...target,
    name,
    apply: (args, context) => {
      const r = target.apply(args, context);
      const self = args['self'];
      if (isLayerError(r) || self?.kind !== 'tensor' || r.output.kind !== 'tensor' || !self.shape || !r.output.shape) return r;
      const same = r.output.shape.length === self.shape.length && r.output.shape.every((d, i) => d === self.shape![i]);
      if (!same) return { kind: 'error', message: `output with shape [${self.shape.join(', ')}] doesn't match the broadcast shape [${r.output.shape.join(', ')}]` };
      return { output: self, macs: r.macs };
    },
  };
}

/** nn.NLLLoss2d is PyTorch's deprecated alias of NLLLoss (same constructor and rule). */
const LAYER_ALIASES: ReadonlyArray<readonly [string, string]> = [['NLLLoss2d', 'NLLLoss']];

// Built once at load time and never mutated afterwards.
const baseLayers = new Map(LAYER_FAMILIES.flat().map((e) => [e.name, e]));
const layers: ReadonlyMap<string, LayerEntry> = new Map([
  ...baseLayers,
  ...LAYER_ALIASES.flatMap(([name, target]) => {
    const entry = baseLayers.get(target);
    return entry ? [[name, { ...entry, name }] as const] : [];
  }),
]);
const baseOps = new Map(OP_FAMILIES.flat().map((e) => [e.name, e]));
const copyVariants: OpEntry[] = COPY_VARIANTS.flatMap(([name, target]) => {
  const entry = baseOps.get(target);
  return entry ? [{ ...entry, name }] : [];
});
const inPlaceVariants: OpEntry[] = IN_PLACE_OF.flatMap((name) => {
  const entry = baseOps.get(`Tensor.${name}`);
  return entry ? [inPlaceVariant(entry, `Tensor.${name}_`)] : [];
});
/** An op with its part in the init-variance chain and the activation checks (variance.ts), by its short name. */
function withVarianceRole(entry: OpEntry): OpEntry {
  const short = opShortName(entry.name);
  const variance = OP_VARIANCE_ROLES[short];
  const probabilities = OP_PROBABILITIES[short];
  return variance || probabilities ? { ...entry, ...(variance ? { variance } : {}), ...(probabilities ? { probabilities } : {}) } : entry;
}
const ops: ReadonlyMap<string, OpEntry> = new Map([...baseOps.values(), ...copyVariants, ...inPlaceVariants].map((e) => [e.name, withVarianceRole(e)] as const));

/** Names registered more than once (a later entry would shadow an earlier one); empty when consistent. */
export function duplicateEntryNames(): string[] {
  const names = [...LAYER_FAMILIES.flat().map((e) => `layer ${e.name}`), ...OP_FAMILIES.flat().map((e) => `op ${e.name}`), ...copyVariants.map((e) => `op ${e.name}`), ...inPlaceVariants.map((e) => `op ${e.name}`)];
  return names.filter((n, i) => names.indexOf(n) !== i);
}

export function lookupLayer(name: string): LayerEntry | undefined {
  return layers.get(name);
}
/** How a torch module class's output relates to the input grid: its entry's trait; the Transformer classes (Python in the prelude) work per token. */
export function layerGrid(name: string): LayerGrid | undefined {
  return layers.get(name)?.traits?.grid ?? (TRANSFORMER_CLASSES.includes(name) ? 'tokens' : undefined);
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
