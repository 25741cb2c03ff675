// CC-46: torch's unbiased var/std (correction=1) and numpy's biased var/std (ddof=0) in the same
// statement, neither with an explicit correction: they differ by n/(n−1).
import type { Expr, Stmt } from '../../python/ast';
import { defineRule } from '../rule';
import type { CallExpr } from '../../python/syntax';
import { calledName, dottedName, keywordArg, ownExprs, walkExpr, walkStmts } from '../../python/syntax';
import { scopesOf } from '../training';
import type { Scope } from '../training';
import type { RuleReport } from '../types';

const NUMPY = /^(np|numpy)\.(var|std|nanvar|nanstd)$/;
const TORCH_FUNCTION = /^torch\.(var|std)$/;

/** True when a value is visibly a torch tensor: it comes from a `torch.*` call (through names in this scope). */
function isTorchValue(e: Expr, scope: Scope): boolean {
  let torch = false;
  walkExpr(scope.resolve(e), (n) => {
    if (n.k === 'call' && /^torch\./.test(dottedName(n.fn) ?? '')) torch = true;
  });
  return torch;
}

function classify(call: CallExpr, scope: Scope): 'numpy' | 'torch' | undefined {
  const name = dottedName(call.fn) ?? '';
  if (NUMPY.test(name)) return keywordArg(call, 'ddof') ? undefined : 'numpy';
  // A .var()/.std() method counts only on a visible torch tensor (numpy arrays have the same methods).
  const method = call.fn.k === 'attr' && /^(var|std)$/.test(call.fn.name) && isTorchValue(call.fn.obj, scope);
  if (!TORCH_FUNCTION.test(name) && !method) return undefined;
  return keywordArg(call, 'unbiased') || keywordArg(call, 'correction') ? undefined : 'torch';
}

export const cc46 = defineRule('CC-46', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    walkStmts(scope.body, (stmt: Stmt) => {
      const kinds = new Map<'numpy' | 'torch', CallExpr>();
      for (const root of ownExprs(stmt))
        walkExpr(root, (e) => {
          if (e.k !== 'call') return;
          const kind = classify(e, scope);
          if (kind && !kinds.has(kind)) kinds.set(kind, e);
        });
      const torchCall = kinds.get('torch');
      if (!torchCall || !kinds.has('numpy')) return;
      reports.push({
        message: `${calledName(torchCall)}() here is torch's unbiased estimator (÷(n−1)) while numpy's is biased (÷n): the two differ by a factor n/(n−1). Pass correction= / ddof= explicitly.`,
        range: torchCall.r,
      });
    });
  }
  return reports;
});
