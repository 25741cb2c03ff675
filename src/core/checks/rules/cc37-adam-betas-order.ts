// CC-37: an Adam-family optimizer built with betas=(b1, b2), b1 > b2 or b2 < 0.9: the second-moment average
// must be the slow one.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import type { RuleReport } from '../types';
import { numbersOf, optimizerConstructions } from '../facts/optimizers';

const ADAM_FAMILY = /^(Adam|AdamW|NAdam|RAdam|Adamax|SparseAdam)$/;

export const cc37 = defineRule('CC-37', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  for (const { call, info } of optimizerConstructions(facts)) {
    if (call.file !== context.path || !ADAM_FAMILY.test(info.name)) continue;
    const betas = numbersOf(info.args.get('betas'));
    if (!betas || betas.length !== 2) continue;
    const [b1, b2] = betas as [number, number];
    if (!(b1 > b2 || b2 < 0.9)) continue;
    // The argument as written: `betas=...` or the third positional.
    const arg = call.expr.args.find((a) => a.kind === 'kw' && a.name === 'betas') ?? call.expr.args.filter((a) => a.kind === 'pos')[2];
    const range = arg?.value.r ?? call.expr.r;
    reports.push({
      message:
        b1 > b2
          ? `betas=(${b1}, ${b2}) looks swapped: β₁ averages the gradient (fast, ~0.9) and β₂ the squared gradient (slow, ~0.999); v must change slowly.`
          : `β₂ = ${b2} averages the squared gradient over only ~${Math.round(1 / (1 - b2))} steps: v̂ becomes noisy and the steps erratic. The standard is β₂ = 0.999.`,
      range,
      ...(arg ? { fixes: [fix('Use betas=(0.9, 0.999)', replace(arg.value.r, '(0.9, 0.999)'))] } : {}),
    });
  }
  return reports;
});
