// CC-52: an activation right after the 1×1 projection of an expand → depthwise → project block, in a
// layer list: the low-dimensional output should stay linear (MobileNetV2's linear bottleneck).
import type { Expr } from '../../python/ast';
import { defineRule } from '../rule';
import { activationOfModuleCtor, torchClassOfCall } from '../models';
import type { CallExpr } from '../../python/syntax';
import { argument, isCall, numberValue, walkBodyExprs } from '../../python/syntax';
import { scopesOf } from '../training';
import type { RuleReport } from '../types';

const isConv2d = (e: Expr): e is CallExpr => isCall(e) && torchClassOfCall(e) === 'Conv2d';
/** A grouped conv (depthwise when groups = channels): Conv2d(..., groups=g) with g not the literal 1. */
const isGrouped = (e: Expr): boolean => isConv2d(e) && (() => {
  const groups = argument(e, 6, 'groups');
  return groups !== undefined && numberValue(groups) !== 1;
})();
const isPointwise = (e: Expr): boolean => isConv2d(e) && numberValue(argument(e, 2, 'kernel_size')) === 1;

export const cc52 = defineRule('CC-52', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    walkBodyExprs(scope.body, (e) => {
      const raw = e.k === 'list' || e.k === 'tuple' ? e.items : isCall(e) && torchClassOfCall(e) === 'Sequential' ? e.args.filter((a) => a.kind === 'pos').map((a) => a.value) : [];
      const items = raw.map((i) => scope.resolve(i));
      const depthwise = items.findIndex(isGrouped);
      // The expansion: a 1×1 conv before the depthwise one.
      if (depthwise <= 0 || !items.slice(0, depthwise).some(isPointwise)) return;
      const project = items.findIndex((item, i) => i > depthwise && isPointwise(item));
      if (project < 0) return;
      let next = project + 1;
      if (next < items.length && /^BatchNorm2d$/.test(torchClassOfCall(items[next]) ?? '')) next++;
      const after = items[next];
      const activation = after ? activationOfModuleCtor(after) : undefined;
      if (!after || !activation || activation === 'softmax' || activation === 'log_softmax') return;
      reports.push({
        message: 'An activation follows the 1×1 projection of this expand → depthwise → project block: the projection is low-dimensional, and a ReLU there destroys information. Keep the bottleneck output linear.',
        range: after.r,
      });
    });
  }
  return reports;
});
