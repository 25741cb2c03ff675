// CC-32: element-wise nn.Dropout on 4-D conv feature maps inside a layer list (Sequential / list): the
// neighbouring layer is a Conv2d/pooling/BatchNorm2d with no flatten in between. Dropout2d drops channels.
import type { Expr } from '../../python/ast';
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { torchClassOfCall } from '../models';
import { isCall, walkBodyExprs } from '../../python/syntax';
import { scopesOf } from '../training';
import type { RuleReport } from '../types';

const SPATIAL_2D = /^(Conv2d|ConvTranspose2d|MaxPool2d|AvgPool2d|BatchNorm2d)$/;
const SHAPE_KEEPING = /^(ReLU|ReLU6|LeakyReLU|GELU|SiLU|Hardswish|ELU|Tanh|Sigmoid|Identity)$/;

/** The nearest item in `direction` that is not a shape-keeping activation, and whether it is a 2-D spatial layer. */
function spatialNeighbour(items: readonly Expr[], from: number, direction: 1 | -1, resolve: (e: Expr) => Expr): boolean {
  for (let i = from + direction; i >= 0 && i < items.length; i += direction) {
    const cls = torchClassOfCall(resolve(items[i]!));
    if (cls === undefined) return false;
    if (SHAPE_KEEPING.test(cls)) continue;
    return SPATIAL_2D.test(cls);
  }
  return false;
}

export const cc32 = defineRule('CC-32', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    walkBodyExprs(scope.body, (e) => {
      const items = e.k === 'list' || e.k === 'tuple' ? e.items : isCall(e) && torchClassOfCall(e) === 'Sequential' ? e.args.filter((a) => a.kind === 'pos').map((a) => a.value) : [];
      items.forEach((item, i) => {
        const dropout = scope.resolve(item);
        if (!isCall(dropout) || torchClassOfCall(dropout) !== 'Dropout' || dropout.fn.k !== 'attr') return;
        if (!spatialNeighbour(items, i, -1, scope.resolve) && !spatialNeighbour(items, i, 1, scope.resolve)) return;
        const fn = dropout.fn;
        const nameStart = { line: fn.r.end.line, character: fn.r.end.character - fn.name.length };
        reports.push({
          message: 'nn.Dropout on 4-D conv feature maps zeroes single pixels, which their neighbours make redundant. Drop whole channels with nn.Dropout2d.',
          range: dropout.r,
          fixes: [fix('Use nn.Dropout2d', replace({ start: nameStart, end: fn.r.end }, 'Dropout2d'))],
        });
      });
    });
  }
  return reports;
});
