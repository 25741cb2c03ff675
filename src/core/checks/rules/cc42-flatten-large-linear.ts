// CC-42: Flatten → Linear over a large spatial map (in_features ≥ 16384, or H·W > 1 at the flatten) in a
// model whose input size is known: global average pooling needs far fewer parameters and any input size.
import { defineRule } from '../rule';
import { layerCtorAt, shapedModel } from '../shapes';
import type { RuleReport } from '../types';

const LARGE_IN_FEATURES = 16_384;

const numbers = (shape: unknown): number[] | undefined =>
  Array.isArray(shape) && shape.every((d) => typeof d === 'number') ? (shape as number[]) : undefined;

export const cc42 = defineRule('CC-42', (context) => {
  const reports: RuleReport[] = [];
  for (const info of context.classes.classes) {
    const shaped = shapedModel(context, info);
    if (!shaped) continue;
    const calls = shaped.summary.calls;
    calls.forEach((call, i) => {
      const previous = calls[i - 1];
      if (call.type !== 'Linear' || call.error || previous?.type !== 'Flatten' || !call.constructed || call.constructed.file !== context.path) return;
      const flattened = numbers(previous.input[0]);
      const features = numbers(call.input[0])?.[1];
      if (!flattened || flattened.length < 3 || features === undefined) return;
      const spatial = flattened.slice(2).reduce((p, d) => p * d, 1);
      if (features < LARGE_IN_FEATURES && spatial <= 1) return;
      const ctor = layerCtorAt(info, call.constructed.range, 'Linear');
      if (!ctor) return;
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
