// CC-42: Flatten → Linear over a large spatial map (in_features ≥ 16384, or H·W > 1 at the flatten) in a
// model whose input size is known: global average pooling needs far fewer parameters and any input size.
// The flatten is a pass-through layer that turned a map into rows, the dense layer one over the last axis
// (their catalogue entries' traits), and the layer is the one the evaluation built where the analysis says.
import { defineRule } from '../rule';
import { shapedModel } from '../shapes';
import { layerBuiltAt } from '../facts/layers';
import { lookupLayer } from '../../frameworks/torch';
import { lastAxisInput } from './cc40-flatten-linear-mismatch';
import type { RuleReport } from '../types';

const LARGE_IN_FEATURES = 16_384;

const numbers = (shape: unknown): number[] | undefined =>
  Array.isArray(shape) && shape.every((d) => typeof d === 'number') ? (shape as number[]) : undefined;

export const cc42 = defineRule('CC-42', (context) => {
  const reports: RuleReport[] = [];
  const facts = context.facts();
  for (const info of context.classes.classes) {
    const shaped = shapedModel(context, info);
    if (!shaped) continue;
    const calls = shaped.summary.calls;
    calls.forEach((call, i) => {
      const previous = calls[i - 1];
      if (!lastAxisInput(call.type) || call.error || !previous || !call.constructed || call.constructed.file !== context.path) return;
      const flattened = numbers(previous.input[0]);
      if (lookupLayer(previous.type)?.traits?.variance?.kind !== 'passThrough' || numbers(previous.output)?.length !== 2) return;
      const features = numbers(call.input[0])?.[1];
      if (!flattened || flattened.length < 3 || features === undefined) return;
      const spatial = flattened.slice(2).reduce((p, d) => p * d, 1);
      if (features < LARGE_IN_FEATURES && spatial <= 1) return;
      const built = layerBuiltAt(facts, call.constructed.range);
      if (built?.layer !== call.type) return;
      const ctor = built.call;
      const [, channels] = flattened;
      const out = numbers(call.output)?.[1];
      reports.push({
        message:
          `Flatten → Linear over a ${flattened.slice(1).join('×')} map: ${features.toLocaleString('en-US')} in_features` +
          (out !== undefined ? ` (${(features * out).toLocaleString('en-US')} weights)` : '') +
          `. Global average pooling (AdaptiveAvgPool2d(1)) reduces it to ${channels} features, accepts any input size and needs ${spatial}× fewer weights.`,
        range: ctor.r,
      });
    });
  }
  return reports;
});
