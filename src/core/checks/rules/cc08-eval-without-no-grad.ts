// CC-08: an evaluation loop not wrapped in torch.no_grad() / inference_mode(): it builds graphs for nothing.
import { defineRule } from '../rule';
import { fix, wrapStatement } from '../fixes';
import { callSitesOf, decoratedNoGrad, evalRegions, underNoGrad } from '../evaluation';
import type { RuleReport } from '../types';

export const cc08 = defineRule('CC-08', (context) => {
  const reports: RuleReport[] = [];
  for (const region of evalRegions(context)) {
    if (underNoGrad(region.modelCallAncestors)) continue;
    const def = region.scope.def;
    if (def && decoratedNoGrad(def)) continue;
    // Covered when every call site of the evaluation function sits under no_grad().
    const name = region.evalFunction?.name;
    const sites = name ? callSitesOf(context, name) : [];
    if (sites.length > 0 && sites.every((s) => underNoGrad(s.ancestors) || (s.scope.def !== undefined && decoratedNoGrad(s.scope.def)))) continue;
    reports.push({
      message: `This evaluation loop runs ${region.model}(...) with autograd on, building graphs that are never used (memory and time). Wrap it in torch.no_grad().`,
      range: region.modelCall.r,
      fixes: [fix('Wrap the loop in with torch.no_grad():', ...wrapStatement(context.source, region.loop, 'with torch.no_grad():'))],
    });
  }
  return reports;
});
