// CC-10: sigmoid output fed to BCEWithLogitsLoss (a double sigmoid); the info variant is sigmoid → BCELoss.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { activationInput } from '../losses';
import { describeProducer, lossInputs } from '../loss-inputs';
import { dottedName } from '../../python/syntax';
import type { RuleReport, QuickFix } from '../types';

export const cc10 = defineRule('CC-10', (context) => {
  const reports: RuleReport[] = [];
  for (const { loss, kind, input, producer } of lossInputs(context)) {
    if (producer.activation !== 'sigmoid' || (kind !== 'bce_with_logits' && kind !== 'bce')) continue;
    const rawInput = producer.call ? activationInput(producer.call) : undefined;
    const dropSigmoid = producer.call && rawInput ? replace(producer.call.r, context.source.textOf(rawInput.r)) : undefined;
    const fixes: QuickFix[] = [];
    if (kind === 'bce_with_logits') {
      if (dropSigmoid) fixes.push(fix('Remove the sigmoid and pass logits', dropSigmoid));
      reports.push({
        message: `binary_cross_entropy_with_logits applies the sigmoid itself; this input is already a sigmoid${describeProducer(producer)}, so the loss is wrong and its gradients weak.`,
        range: input.r,
        ...(fixes.length > 0 ? { fixes } : {}),
      });
      continue;
    }
    const lossName = dottedName(loss.fn);
    if (dropSigmoid && lossName && /binary_cross_entropy$/.test(lossName)) {
      fixes.push(fix('Use binary_cross_entropy_with_logits on the logits', dropSigmoid, replace(loss.fn.r, `${lossName}_with_logits`)));
    }
    reports.push({
      message: `sigmoid followed by BCELoss${describeProducer(producer)}: BCEWithLogitsLoss on the logits is numerically stable and its gradient is σ(z) − y.`,
      range: input.r,
      severity: 'info',
      ...(fixes.length > 0 ? { fixes } : {}),
    });
  }
  return reports;
});
