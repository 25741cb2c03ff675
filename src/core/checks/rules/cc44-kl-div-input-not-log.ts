// CC-44: F.kl_div / nn.KLDivLoss given probabilities (softmax) instead of log-probabilities.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { describeProducer, lossInputs } from '../loss-inputs';
import type { RuleReport, QuickFix } from '../types';
import type { CallExpr } from '../../python/syntax';

/** Renames softmax → log_softmax in the producing call (`F.softmax` or `x.softmax`). */
function toLogSoftmax(call: CallExpr): QuickFix | undefined {
  const fn = call.fn;
  if (fn.k === 'name' && fn.id === 'softmax') return fix('Use log_softmax', replace(fn.r, 'log_softmax'));
  if (fn.k !== 'attr' || fn.name !== 'softmax') return undefined;
  const nameStart = { line: fn.r.end.line, character: fn.r.end.character - fn.name.length };
  return fix('Use log_softmax', replace({ start: nameStart, end: fn.r.end }, 'log_softmax'));
}

export const cc44 = defineRule('CC-44', (context) => {
  const reports: RuleReport[] = [];
  for (const { kind, input, producer } of lossInputs(context)) {
    if (kind !== 'kl_div' || producer.activation !== 'softmax') continue;
    const quickFix = producer.call ? toLogSoftmax(producer.call) : undefined;
    reports.push({
      message: `kl_div expects log-probabilities as its input (it computes Σ t·(log t − input)); this input is a softmax${describeProducer(producer)}, so the value is wrong and can be negative.`,
      range: input.r,
      ...(quickFix ? { fixes: [quickFix] } : {}),
    });
  }
  return reports;
});
