// CC-40: a Linear after a flatten whose in_features differs from C·H'·W', found by running the core's
// shape analysis (summarizeModel) on a known input size: a `# ml-notes: input=[1,3,32,32]` comment in or
// just above the class, or a `Model()(torch.randn(1, 3, 32, 32))` call in the file. Unknown sizes: silent.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { layerCtorAt, shapedModel } from '../shapes';
import { argument } from '../../python/syntax';
import type { RuleReport } from '../types';

export const cc40 = defineRule('CC-40', (context) => {
  const reports: RuleReport[] = [];
  for (const info of context.classes.classes) {
    const shaped = shapedModel(context, info);
    if (!shaped) continue;
    const { input, summary } = shaped;
    const seen = new Set<string>();
    for (const call of summary.calls) {
      if (call.type !== 'Linear' || !call.error || call.file !== context.path || !call.constructed || call.constructed.file !== context.path) continue;
      const shape = call.input[0];
      const features = Array.isArray(shape) && shape.length === 2 && typeof shape[1] === 'number' ? shape[1] : undefined;
      const ctor = layerCtorAt(info, call.constructed.range, 'Linear');
      const inFeaturesArg = ctor ? argument(ctor, 0, 'in_features') : undefined;
      const key = `${call.constructed.range.start.line}:${call.constructed.range.start.character}`;
      if (features === undefined || !ctor || !inFeaturesArg || seen.has(key)) continue;
      seen.add(key);
      reports.push({
        message: `in_features is ${context.source.textOf(inFeaturesArg.r)}, but for the input [${input.dims.join(', ')}] the flattened features entering this Linear are ${features} (C·H′·W′ from the output-size formula).`,
        range: ctor.r,
        fixes: [fix(`Set in_features to ${features}`, replace(inFeaturesArg.r, String(features)))],
      });
    }
  }
  return reports;
});
