// CC-24: a model with BatchNorm trained from a DataLoader with batch_size=1 (a literal, a config value, a
// helper's argument: the evaluation's value). Any BatchNorm of the file pairs with any loader of it, so the
// rule collects both per check unit and reports from the whole file's.
import { defineFileWideRule } from '../rule';
import { fix, replace } from '../fixes';
import { batchNormLoaderPart, mergeBatchNormLoaderParts } from '../facts/loaders';
import type { RuleReport } from '../types';

export const cc24 = defineFileWideRule('CC-24', {
  collect: (context) => batchNormLoaderPart(context.facts()),
  report: (parts) => {
    const { norms, loaders } = mergeBatchNormLoaderParts(parts);
    if (norms.length === 0) return [];
    const reports: RuleReport[] = [];
    for (const loader of loaders) {
      if (loader.batchSize !== 1) continue;
      // A 1-d batch norm on (N, C) raises with one sample; over images the statistics are the image's own.
      const bn1d = norms.find((n) => n.rankOne);
      reports.push({
        message: bn1d
          ? `batch_size=1 with ${bn1d.name}: training raises "Expected more than 1 value per channel when training". BN normalises with the batch statistics.`
          : `batch_size=1 with ${norms.map((n) => n.name).join(', ')}: BN normalises each image by its own statistics, which do not match the running statistics used at eval.`,
        range: loader.batchSizeArg,
        ...(bn1d ? { severity: 'error' as const } : {}),
        fixes: [fix('Use batch_size=16', replace(loader.batchSizeArg, '16'))],
      });
    }
    return reports;
  },
});
