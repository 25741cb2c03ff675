// CC-36: torch.optim.Adam with weight_decay > 0: L2 through Adam's preconditioner is not decoupled decay.
import type { Stmt } from '../../python/ast';
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { argument, dottedName, numberValue } from '../../python/syntax';
import { locatedCalls, scopesOf } from '../training';
import type { RuleReport } from '../types';

/** Names bound to torch.optim.Adam by `from torch.optim import Adam [as X]`. */
function importedAdamNames(body: readonly Stmt[]): Set<string> {
  const names = new Set<string>();
  for (const s of body) {
    if (s.k !== 'from' || s.names === '*' || !/^torch\.optim(\.adam)?$/.test(s.module)) continue;
    for (const n of s.names) if (n.name === 'Adam') names.add(n.asName ?? n.name);
  }
  return names;
}

export const cc36 = defineRule('CC-36', (context) => {
  const reports: RuleReport[] = [];
  const bare = importedAdamNames(context.module.body);
  for (const scope of scopesOf(context)) {
    for (const { call } of locatedCalls(scope.body)) {
      const name = dottedName(call.fn);
      if (!name || !(/(^|\.)optim\.Adam$/.test(name) || bare.has(name))) continue;
      // Adam(params, lr, betas, eps, weight_decay, ...)
      const decayArg = argument(call, 4, 'weight_decay');
      const decay = decayArg ? numberValue(scope.resolve(decayArg)) : undefined;
      if (decay === undefined || decay <= 0) continue;
      const fixes = call.fn.k === 'attr' ? [fix('Use AdamW (decoupled weight decay)', replace(call.fn.r, `${name}W`))] : [];
      reports.push({
        message: `Adam with weight_decay=${decay} adds an L2 term that Adam then divides by √v̂, so parameters with large gradients are barely decayed. AdamW decouples the decay.`,
        range: call.fn.r,
        ...(fixes.length > 0 ? { fixes } : {}),
      });
    }
  }
  return reports;
});
