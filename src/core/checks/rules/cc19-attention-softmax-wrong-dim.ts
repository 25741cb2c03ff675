// CC-19: the softmax over attention scores q·kᵀ taken over an axis that cannot be the key axis. The dim is
// the evaluation's value (a literal, a variable, nn.Softmax's constructor argument). Only provable cases
// fire: dim 0 or −2/−3 (never the last axis of a score matrix), or dim 1 on 3-D `bmm` scores (B, T_q, T_k).
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import type { RuleReport } from '../types';
import { scorePaths } from '../facts/attention';
import { numberOf } from '../facts/optimizers';

export const cc19 = defineRule('CC-19', (context) => {
  const reports: RuleReport[] = [];
  const seen = new Set<string>();
  for (const path of scorePaths(context.facts())) {
    if (!path.product) continue;
    const dim = numberOf(path.dim);
    if (!dim || dim.likely) continue;
    const wrong = dim.value === 0 || dim.value === -2 || dim.value === -3 || (dim.value === 1 && path.product.bmm);
    if (!wrong) continue;
    const range = path.dimExpr?.r ?? path.softmax.expr.r;
    const key = `${range.start.line}:${range.start.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    reports.push({
      message: `This softmax normalises the attention scores over dim ${dim.value}, which is not the key axis: each query's weights must sum to 1 over the keys (the last axis).`,
      range,
      ...(path.dimExpr ? { fixes: [fix('Use dim=-1', replace(path.dimExpr.r, '-1'))] } : {}),
    });
  }
  return reports;
});
