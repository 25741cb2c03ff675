// CC-32: element-wise nn.Dropout on feature maps made by a spatial convolution (kernel > 1), where
// neighbouring pixels are redundant, so Dropout2d should drop whole channels. After a 1×1 convolution each
// pixel is a token (transformer-style blocks) and element-wise dropout is the standard: no finding; nor
// after a convolution that acts as a fully connected layer (a large unpadded kernel, one-pixel output).
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import type { RuleReport } from '../types';
import type { ObjectV } from '../../interp/values';
import type { CheckFacts } from '../facts/facts';
import { lookupLayer } from '../../frameworks/torch/index';
import { allModules, ctorNumbers, layerName, producingModules, traitsOf } from '../facts/models';

/** A 2-D convolution (or transposed one): a weighted layer reading windows of a 2-D grid. */
const isSpatialConv = (m: ObjectV): boolean => {
  const traits = traitsOf(m);
  return traits?.grid === 'windows' && traits.variance?.kind === 'dense' && traits.spatialRank === 2;
};

/**
 * Layers that keep the map's shape and spatial structure, looked through on the way back to the producer:
 * the entries that keep their input's shape (activations, batch/group/instance norms, Identity), but not a
 * per-token layer (LayerNorm) nor another dropout, and the windowed max and average pools (a smaller map, still a map).
 */
const keepsTheMap = (m: ObjectV): boolean => {
  const entry = lookupLayer(layerName(m));
  const traits = entry?.traits;
  if (!traits) return false;
  // Max and average pools read strided windows (their receptive field); the adaptive ones may end in one pixel.
  if (traits.variance?.kind === 'pooling') return entry.receptiveField !== undefined;
  return traits.keepsShape === true && traits.grid !== 'tokens' && traits.training?.kind !== 'dropout';
};

export const cc32 = defineRule('CC-32', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const seen = new Set<string>();
  for (const m of allModules(facts)) {
    if (layerName(m) !== 'Dropout' || m.cls.name !== 'Dropout') continue;
    const at = m.module?.constructedAt;
    if (!at || at.file !== context.path) continue;
    const key = `${at.range.start.line}:${at.range.start.character}`;
    if (seen.has(key)) continue;
    const producers = producingModules(facts, m, keepsTheMap);
    const spatial = producers.find((p) => isSpatialConv(p) && (ctorNumbers(p, 'kernel_size') ?? []).some((k) => k > 1));
    if (!spatial || fullyConnectedAsConv(spatial) || onSinglePixels(facts, m)) continue;
    seen.add(key);
    const text = context.source.textOf(at.range);
    const name = /Dropout(?=\s*\()/.exec(text);
    const nameStart = name ? context.source.lines.position(context.source.offsetAt(at.range.start) + name.index) : undefined;
    reports.push({
      message: `nn.Dropout on the maps of a ${kernelText(ctorNumbers(spatial, 'kernel_size')!)} convolution zeroes single pixels, which their neighbours make redundant. Drop whole channels with nn.Dropout2d.`,
      range: at.range,
      ...(nameStart ? { fixes: [fix('Use nn.Dropout2d', replace({ start: nameStart, end: { line: nameStart.line, character: nameStart.character + 'Dropout'.length } }, 'Dropout2d'))] } : {}),
    });
  }
  return reports;
});

/**
 * A large unpadded kernel is a fully connected layer written as a convolution (VGG's and AlexNet's fc6, a
 * 7×7 or 6×6 conv over the 7×7 or 6×6 map of the features): its output is one pixel per map, so
 * element-wise dropout there is the classifier's feature dropout.
 */
const FC_KERNEL = 6;
function fullyConnectedAsConv(conv: ObjectV): boolean {
  const kernel = ctorNumbers(conv, 'kernel_size') ?? [];
  const padding = conv.module?.ctorArgs?.get('padding');
  const unpadded = padding === undefined || (ctorNumbers(conv, 'padding') ?? [1]).every((p) => p === 0);
  return unpadded && kernel.length > 0 && kernel.every((k) => k >= FC_KERNEL);
}

/** True when the evaluation saw the dropout applied to maps of one pixel (N, C, 1, 1): features, not maps. */
function onSinglePixels(facts: CheckFacts, dropout: ObjectV): boolean {
  return facts.callsOf(dropout).some((c) => {
    const input = c.args.positional[0];
    if (input?.kind !== 'tensor' || !input.shape || input.shape.length < 3) return false;
    return input.shape.slice(-2).every((d) => d === 1);
  });
}

const kernelText = (k: readonly number[]): string => (k.length === 1 ? `${k[0]}×${k[0]}` : k.join('×'));
