// CC-36: torch.optim.Adam built with weight_decay > 0 (a literal, a config value, or a command-line
// argument's default): L2 through Adam's preconditioner is not decoupled decay.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import type { RuleReport } from '../types';
import { numberOf, optimizerConstructions } from '../facts/optimizers';

export const cc36 = defineRule('CC-36', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  for (const { call, info } of optimizerConstructions(facts)) {
    if (call.file !== context.path || info.name !== 'Adam') continue;
    const decay = numberOf(info.args.get('weight_decay'));
    if (!decay || decay.value <= 0) continue;
    const fn = call.expr.fn;
    const text = context.source.textOf(fn.r);
    const fixes = /(^|\.)Adam$/.test(text) ? [fix('Use AdamW (decoupled weight decay)', replace(fn.r, `${text}W`))] : [];
    reports.push({
      message:
        `Adam with weight_decay=${decay.value}${decay.likely ? ' (the default of a command-line argument)' : ''} adds an L2 term that Adam then divides by √v̂, ` +
        'so parameters with large gradients are barely decayed. AdamW decouples the decay.',
      range: fn.r,
      ...(fixes.length > 0 ? { fixes } : {}),
    });
  }
  return reports;
});
