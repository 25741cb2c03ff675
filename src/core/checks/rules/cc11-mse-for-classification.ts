// CC-11: MSE on softmax probabilities (or on one-hot class targets): use cross-entropy.
import { defineRule } from '../rule';
import { describeProducer, lossInputs } from '../loss-inputs';
import type { RuleReport } from '../types';

export const cc11 = defineRule('CC-11', (context) => {
  const reports: RuleReport[] = [];
  for (const { kind, input, producer } of lossInputs(context)) {
    // Sigmoid outputs with MSE are common for bounded regression (pixel reconstructions), so only softmax counts.
    if (kind !== 'mse' || producer.activation !== 'softmax') continue;
    reports.push({
      message: `MSE on softmax probabilities${describeProducer(producer)} is a classification loss in disguise: its gradient carries ŷ(1−ŷ), which vanishes when the output is saturated and wrong. Use CrossEntropyLoss on the logits.`,
      range: input.r,
    });
  }
  return reports;
});
