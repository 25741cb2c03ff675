// CC-40: a dense layer over the last axis (Linear) after a flatten whose in_features differs from C·H'·W',
// found by running the core's shape analysis (summarizeModel) on a known input size: a
// `# ml-notes: input=[1,3,32,32]` comment in or just above the class, or a `Model()(torch.randn(1, 3, 32, 32))`
// call in the file. Unknown sizes: silent. The layer is the one the evaluation built at the constructor
// the analysis reports (facts/layers.ts); the argument the fix edits is its catalogue entry's `inputSize`.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { shapedModel } from '../shapes';
import { argument } from '../../python/syntax';
import { layerBuiltAt } from '../facts/layers';
import { lookupLayer } from '../../frameworks/torch';
import type { RuleReport } from '../types';

/** The constructor argument that sizes a dense layer's last input axis (Linear's in_features), from its entry. */
export function lastAxisInput(type: string): string | undefined {
  const traits = lookupLayer(type)?.traits;
  return traits?.variance?.kind === 'dense' && traits.inputSize?.axis === 'last' ? traits.inputSize.argument : undefined;
}

export const cc40 = defineRule('CC-40', (context) => {
  const reports: RuleReport[] = [];
  const facts = context.facts();
  for (const info of context.classes.classes) {
    const shaped = shapedModel(context, info);
    if (!shaped) continue;
    const { input, summary } = shaped;
    const seen = new Set<string>();
    for (const call of summary.calls) {
      const inputArgument = lastAxisInput(call.type);
      if (!inputArgument || !call.error || call.file !== context.path || !call.constructed || call.constructed.file !== context.path) continue;
      const shape = call.input[0];
      const features = Array.isArray(shape) && shape.length === 2 && typeof shape[1] === 'number' ? shape[1] : undefined;
      const built = layerBuiltAt(facts, call.constructed.range);
      const ctor = built?.layer === call.type ? built.call : undefined;
      const inFeaturesArg = ctor ? argument(ctor, 0, inputArgument) : undefined;
      const key = `${call.constructed.range.start.line}:${call.constructed.range.start.character}`;
      if (features === undefined || !ctor || !inFeaturesArg || seen.has(key)) continue;
      seen.add(key);
      reports.push({
        message: `${inputArgument} is ${context.source.textOf(inFeaturesArg.r)}, but for the input [${input.dims.join(', ')}] the flattened features entering this ${call.type} are ${features} (C·H′·W′ from the output-size formula).`,
        range: ctor.r,
        fixes: [fix(`Set ${inputArgument} to ${features}`, replace(inFeaturesArg.r, String(features)))],
      });
    }
  }
  return reports;
});
