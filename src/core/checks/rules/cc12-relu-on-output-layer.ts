// CC-12: a ReLU/Softplus output layer feeding a logits loss: logits must be able to go negative.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { activationInput } from '../losses';
import { describeProducer, lossInputs } from '../loss-inputs';
import type { RuleReport } from '../types';

const LOGIT_LOSSES = new Set(['cross_entropy', 'bce_with_logits']);

export const cc12 = defineRule('CC-12', (context) => {
  const reports: RuleReport[] = [];
  for (const { kind, input, producer } of lossInputs(context)) {
    if (!LOGIT_LOSSES.has(kind) || (producer.activation !== 'relu' && producer.activation !== 'softplus')) continue;
    const rawInput = producer.call ? activationInput(producer.call) : undefined;
    reports.push({
      message: `The logits come out of ${producer.activation}${describeProducer(producer)}: they cannot go negative and clipped units get no gradient. Remove the final activation.`,
      range: input.r,
      ...(producer.call && rawInput ? { fixes: [fix('Remove the final activation', replace(producer.call.r, context.source.textOf(rawInput.r)))] } : {}),
    });
  }
  return reports;
});
