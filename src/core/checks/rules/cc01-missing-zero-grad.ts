// CC-01: a loop that calls backward() and optimizer.step() but never resets gradients.
import { defineRule } from '../rule';
import { fix, insertLineBefore } from '../fixes';
import { dottedName, positionalArgs, receiverOf } from '../../python/syntax';
import type { CallExpr } from '../../python/syntax';
import type { RuleReport } from '../types';
import { resetsGradients, scopesOf, trainingLoops } from '../training';

/** The optimizer an optimizer step updates: `opt` in `opt.step()` and in `scaler.step(opt)`. */
function optimizerName(step: CallExpr): string {
  const receiver = dottedName(receiverOf(step)) ?? 'optimizer';
  return /scaler/i.test(receiver) ? (dottedName(positionalArgs(step)[0]) ?? 'optimizer') : receiver;
}

export const cc01 = defineRule('CC-01', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    if (resetsGradients(scope.body)) continue;
    for (const { loop, backward, steps } of trainingLoops(scope)) {
      const step = steps[0];
      if (backward.length === 0 || !step) continue;
      // Gradient accumulation steps under `if (i + 1) % k == 0:`; the catalogue downgrades it to info.
      const accumulating = step.ancestors.some((s) => s.k === 'if' && s.branches.some((b) => b.test.k === 'cmp' && b.test.left.k === 'bin' && b.test.left.op === '%'));
      const name = optimizerName(step.call);
      const first = loop.body[0];
      reports.push({
        message:
          `This loop calls backward() and ${name}.step() but never zeroes the gradients: PyTorch adds into .grad, ` +
          'so every step uses the sum of all past gradients. Call zero_grad() once per batch.',
        range: step.call.r,
        ...(accumulating ? { severity: 'info' as const } : {}),
        ...(first ? { fixes: [fix(`Insert ${name}.zero_grad(set_to_none=True) at the top of the loop`, insertLineBefore(context.source, first, `${name}.zero_grad(set_to_none=True)`))] } : {}),
      });
    }
  }
  return reports;
});
