// CC-50: a dense Conv2d with kernel ≥ 5, stride 1 and C_in = C_out: (K−1)/2 stacked 3×3 convs have the
// same receptive field with fewer weights and more nonlinearities.
import type { Expr } from '../../python/ast';
import { defineRule } from '../rule';
import { constantInt } from '../constants';
import { torchClassOfCall } from '../models';
import { argument, hasSplat } from '../../python/syntax';
import { locatedCalls, scopesOf } from '../training';
import type { Scope } from '../training';
import type { RuleReport } from '../types';

/** A square kernel size given as K or (K, K). */
function squareKernel(e: Expr | undefined, scope: Scope): number | undefined {
  if (!e) return undefined;
  const resolved = scope.resolve(e);
  if (resolved.k === 'tuple' || resolved.k === 'list') {
    const sizes = resolved.items.map((i) => constantInt(i, scope));
    return sizes.length === 2 && sizes[0] !== undefined && sizes[0] === sizes[1] ? sizes[0] : undefined;
  }
  return constantInt(resolved, scope);
}

const isOneOrAbsent = (e: Expr | undefined, scope: Scope): boolean => !e || constantInt(e, scope) === 1;

export const cc50 = defineRule('CC-50', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    for (const { call } of locatedCalls(scope.body)) {
      if (torchClassOfCall(call) !== 'Conv2d' || hasSplat(call)) continue;
      const channelsIn = constantInt(argument(call, 0, 'in_channels'), scope);
      const channelsOut = constantInt(argument(call, 1, 'out_channels'), scope);
      const kernel = squareKernel(argument(call, 2, 'kernel_size'), scope);
      if (channelsIn === undefined || channelsIn !== channelsOut || kernel === undefined || kernel < 5 || kernel % 2 === 0) continue;
      // Conv2d(in, out, kernel_size, stride, padding, dilation, groups, ...): only dense, stride-1, undilated convs.
      if (!isOneOrAbsent(argument(call, 3, 'stride'), scope) || !isOneOrAbsent(argument(call, 5, 'dilation'), scope) || !isOneOrAbsent(argument(call, 6, 'groups'), scope)) continue;
      const layers = (kernel - 1) / 2;
      reports.push({
        message:
          `One ${kernel}×${kernel} conv (${channelsIn}→${channelsOut}) has ${kernel * kernel}·C² = ${(kernel * kernel * channelsIn * channelsOut).toLocaleString('en-US')} weights; ` +
          `${layers} stacked 3×3 convs see the same ${kernel}×${kernel} receptive field with ${9 * layers}·C² = ${(9 * layers * channelsIn * channelsOut).toLocaleString('en-US')} and ${layers - 1} more nonlinearities.`,
        range: call.r,
      });
    }
  }
  return reports;
});
