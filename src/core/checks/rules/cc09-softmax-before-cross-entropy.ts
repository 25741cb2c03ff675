// CC-09: softmax output fed to cross-entropy, which applies log-softmax itself.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { activationInput } from '../losses';
import { describeProducer, lossInputs } from '../loss-inputs';
import type { RuleReport } from '../types';

export const cc09 = defineRule('CC-09', (context) => {
  const reports: RuleReport[] = [];
  for (const { kind, input, producer } of lossInputs(context)) {
    if (kind !== 'cross_entropy' || (producer.activation !== 'softmax' && producer.activation !== 'log_softmax')) continue;
    const redundant = producer.activation === 'log_softmax';
    const rawInput = producer.call ? activationInput(producer.call) : undefined;
    const fixes = producer.call && rawInput ? [fix(`Remove the ${producer.activation} and pass raw logits`, replace(producer.call.r, context.source.textOf(rawInput.r)))] : [];
    reports.push({
      message: redundant
        ? `cross_entropy applies log_softmax itself; the log_softmax here${describeProducer(producer)} is redundant (log-softmax is idempotent). Pass raw logits.`
        : `cross_entropy applies log_softmax itself; this input is already a softmax${describeProducer(producer)}, so the loss cannot approach 0 and the gradients shrink. Pass raw logits.`,
      range: input.r,
      ...(redundant ? { severity: 'info' as const } : {}),
      ...(fixes.length > 0 ? { fixes } : {}),
    });
  }
  return reports;
});
