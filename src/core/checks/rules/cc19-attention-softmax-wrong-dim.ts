// CC-19: the softmax over attention scores q·kᵀ taken over an axis that cannot be the key axis.
// Ranks are usually unknown statically, so only provable cases fire: dim 0 or −2/−3 (never the last
// axis of a score matrix), or dim 1 on 3-D `bmm` scores (B, T_q, T_k) whose key axis is 2.
import type { Expr } from '../../python/ast';
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { scorePaths } from '../attention';
import { torchClassOfCall } from '../models';
import type { CallExpr } from '../../python/syntax';
import { argument, calledName, isCall, isSelfAttr, numberValue, positionalArgs } from '../../python/syntax';
import { scopesOf } from '../training';
import type { Scope } from '../training';
import type { RuleReport } from '../types';

/** The `dim` argument of a softmax call: functional, tensor method, or the nn.Softmax module's constructor. */
function softmaxDim(call: CallExpr, scope: Scope): Expr | undefined {
  const moduleCtor = isSelfAttr(call.fn) ? scope.cls?.attributes.get(call.fn.name) : isCall(call.fn) ? call.fn : undefined;
  if (moduleCtor && isCall(moduleCtor) && torchClassOfCall(moduleCtor) === 'Softmax') return argument(moduleCtor, 0, 'dim');
  const functional = call.fn.k === 'attr' && call.fn.obj.k === 'name' && /^(F|torch|functional)$/.test(call.fn.obj.id);
  return argument(call, functional ? 1 : 0, 'dim');
}

export const cc19 = defineRule('CC-19', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    for (const path of scorePaths(scope)) {
      if (!path.product) continue;
      const dimArg = softmaxDim(path.softmax, scope);
      const dim = dimArg ? numberValue(dimArg) : undefined;
      if (!dimArg || dim === undefined) continue;
      const product = path.product.expr;
      const isBmm = isCall(product) && calledName(product) === 'bmm' && positionalArgs(product).length === 2;
      const wrong = dim === 0 || dim === -2 || dim === -3 || (dim === 1 && isBmm);
      if (!wrong) continue;
      reports.push({
        message: `This softmax normalises the attention scores over dim ${dim}, which is not the key axis: each query's weights must sum to 1 over the keys (the last axis).`,
        range: dimArg.r,
        fixes: [fix('Use dim=-1', replace(dimArg.r, '-1'))],
      });
    }
  }
  return reports;
});
