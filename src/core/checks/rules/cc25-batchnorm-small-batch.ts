// CC-25: BatchNorm trained with a batch size below 8 (the evaluation's value, wherever it comes from): noisy
// statistics; GroupNorm is batch-independent.
import { defineRule } from '../rule';
import { batchNormClasses, trainingLoaders } from '../facts/loaders';
import type { RuleReport } from '../types';

const SMALL_BATCH = 8;

export const cc25 = defineRule('CC-25', (context) => {
  const facts = context.facts();
  const norms = batchNormClasses(facts);
  if (norms.size === 0) return [];
  const reports: RuleReport[] = [];
  for (const loader of trainingLoaders(facts)) {
    if (loader.batchSize <= 1 || loader.batchSize >= SMALL_BATCH) continue;
    reports.push({
      message: `batch_size=${loader.batchSize} with ${[...norms].join(', ')}: the per-batch mean and variance of ${loader.batchSize} samples are noisy. Use a batch of at least ${SMALL_BATCH}–16, or GroupNorm/LayerNorm.`,
      range: loader.batchSizeArg.r,
    });
  }
  return reports;
});
