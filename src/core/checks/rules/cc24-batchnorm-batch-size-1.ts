// CC-24: a model with BatchNorm trained from a DataLoader with batch_size=1 (a literal, a config value, a
// helper's argument: the evaluation's value).
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { batchNormClasses, trainingLoaders } from '../facts/loaders';
import { batchNormRank, layerName } from '../facts/models';
import type { RuleReport } from '../types';

export const cc24 = defineRule('CC-24', (context) => {
  const facts = context.facts();
  const norms = batchNormClasses(facts);
  if (norms.size === 0) return [];
  const reports: RuleReport[] = [];
  for (const loader of trainingLoaders(facts)) {
    if (loader.batchSize !== 1) continue;
    // A 1-d batch norm on (N, C) raises with one sample; over images the statistics are the image's own.
    const bn1dModule = [...norms.values()].find((m) => batchNormRank(m) === 1);
    const bn1d = bn1dModule !== undefined;
    reports.push({
      message: bn1d
        ? `batch_size=1 with ${layerName(bn1dModule)}: training raises "Expected more than 1 value per channel when training". BN normalises with the batch statistics.`
        : `batch_size=1 with ${[...norms.keys()].join(', ')}: BN normalises each image by its own statistics, which do not match the running statistics used at eval.`,
      range: loader.batchSizeArg.r,
      ...(bn1d ? { severity: 'error' as const } : {}),
      fixes: [fix('Use batch_size=16', replace(loader.batchSizeArg.r, '16'))],
    });
  }
  return reports;
});
