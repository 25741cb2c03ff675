// CC-25: BatchNorm trained with a batch size below 8 (the evaluation's value, wherever it comes from): noisy
// statistics; GroupNorm is batch-independent. Like CC-24 it pairs any BatchNorm of the file with any loader.
import { defineFileWideRule } from '../rule';
import { batchNormLoaderPart, mergeBatchNormLoaderParts } from '../facts/loaders';
import type { RuleReport } from '../types';

const SMALL_BATCH = 8;

export const cc25 = defineFileWideRule('CC-25', {
  collect: (context) => batchNormLoaderPart(context.facts()),
  report: (parts) => {
    const { norms, loaders } = mergeBatchNormLoaderParts(parts);
    if (norms.length === 0) return [];
    const reports: RuleReport[] = [];
    for (const loader of loaders) {
      if (loader.batchSize <= 1 || loader.batchSize >= SMALL_BATCH) continue;
      reports.push({
        message: `batch_size=${loader.batchSize} with ${norms.map((n) => n.name).join(', ')}: the per-batch mean and variance of ${loader.batchSize} samples are noisy. Use a batch of at least ${SMALL_BATCH}–16, or GroupNorm/LayerNorm.`,
        range: loader.batchSizeArg,
      });
    }
    return reports;
  },
});
