// CC-05: after the batch loop, the epoch's log uses the last batch's `loss` instead of a mean over batches.
import type { Expr, Stmt } from '../../python/ast';
import { defineRule } from '../rule';
import type { LoopStmt } from '../../python/syntax';
import { calledName, dottedName, receiverOf, walkExpr, ownExprs, walkStmts } from '../../python/syntax';
import { isBackwardCall, locatedCalls, scopesOf, trainingLoops } from '../training';
import type { RuleReport } from '../types';

const LOGGING = /^(print|append|info|log|add_scalar|write)$/;

/** A use of `name` itself or `name.item()` in an expression. */
function usesLoss(e: Expr, name: string): Expr | undefined {
  let found: Expr | undefined;
  walkExpr(e, (n) => {
    if (!found && n.k === 'name' && n.id === name) found = n;
  });
  return found;
}

export const cc05 = defineRule('CC-05', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    const calls = locatedCalls(scope.body);
    for (const { loop: inner, backward } of trainingLoops(scope)) {
      const lossName = backward.map((b) => receiverOf(b.call)).find((r) => r?.k === 'name');
      if (!lossName || lossName.k !== 'name') continue;
      const innerCall = calls.find((c) => c.ancestors.includes(inner as Stmt));
      const epoch = innerCall?.ancestors.slice(0, innerCall.ancestors.indexOf(inner as Stmt)).reverse().find((s): s is LoopStmt => s.k === 'for' || s.k === 'while');
      if (!epoch) continue;
      const at = epoch.body.indexOf(inner as Stmt);
      if (at < 0) continue;
      // Statements of the epoch body after the batch loop that log or store `loss`.
      for (const stmt of epoch.body.slice(at + 1)) {
        walkStmts([stmt], (s) => {
          for (const root of ownExprs(s))
            walkExpr(root, (e) => {
              if (e.k !== 'call' || !LOGGING.test(calledName(e) ?? '') || isBackwardCall(e)) return;
              const use = e.args.map((a) => usesLoss(a.value, lossName.id)).find((u) => u !== undefined);
              if (!use) return;
              reports.push({
                message: `After the batch loop, '${lossName.id}' holds only the last batch's loss, a noisy estimate of the epoch's. Accumulate per batch (${dottedName(receiverOf(e)) ? 'a list of loss.item()' : 'loss.item()'}) and log the mean.`,
                range: use.r,
              });
            });
        });
      }
    }
  }
  return reports;
});
