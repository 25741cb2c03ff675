// CC-16: nn.Parameter(torch.randn(a, b)) used as a matmul weight with no 1/√fan_in scaling or later init.
import type { Expr } from '../../python/ast';
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import type { CallExpr } from '../../python/syntax';
import { calledName, dottedName, isCall, isSelfAttr, lastPart, positionalArgs, walkBodyExprs, walkStmts } from '../../python/syntax';
import type { RuleReport } from '../types';

const MATMUL_FUNCTIONS = new Set(['matmul', 'mm', 'bmm', 'linear', 'einsum']);

/** The `torch.randn(...)` / `torch.rand(...)` call with ≥ 2 dims directly inside `Parameter(...)`. */
function unscaledRandn(value: Expr): { randn: CallExpr; dims: Expr[] } | undefined {
  if (!isCall(value) || lastPart(dottedName(value.fn) ?? '') !== 'Parameter') return undefined;
  const inner = positionalArgs(value)[0];
  if (!isCall(inner) || !/^(torch\.)?(randn|rand)$/.test(dottedName(inner.fn) ?? '')) return undefined;
  const args = positionalArgs(inner);
  const dims = args.length === 1 && (args[0]!.k === 'tuple' || args[0]!.k === 'list') ? [...args[0]!.items] : args;
  return dims.length === 2 ? { randn: inner, dims } : undefined;
}

const isAttr = (e: Expr | undefined, attr: string): boolean => isSelfAttr(e) && e.name === attr;

export const cc16 = defineRule('CC-16', (context) => {
  const reports: RuleReport[] = [];
  for (const info of context.classes.classes) {
    for (const [attr, value] of info.attributes) {
      const found = unscaledRandn(value);
      if (!found) continue;
      let usage: 'left' | 'right' | 'linear' | undefined;
      let reinitialised = false;
      for (const method of info.methods.values()) {
        walkStmts(method.body, (s) => {
          if (s.k === 'assign' && s.targets.some((t) => t.k === 'attr' && t.name === 'data' && isAttr(t.obj, attr))) reinitialised = true;
        });
        walkBodyExprs(method.body, (e) => {
          if (e.k === 'bin' && e.op === '@') {
            if (isAttr(e.right, attr)) usage ??= 'right';
            if (isAttr(e.left, attr)) usage ??= 'left';
          }
          if (!isCall(e)) return;
          const name = calledName(e) ?? '';
          const args = positionalArgs(e);
          if (MATMUL_FUNCTIONS.has(name) && args.some((a) => isAttr(a, attr))) usage ??= name === 'linear' ? 'linear' : isAttr(args[0], attr) ? 'left' : 'right';
          // Any later in-place init or nn.init call on the parameter means the randn is only a placeholder.
          const receiver = e.fn.k === 'attr' ? e.fn.obj : undefined;
          const receiverBase = receiver?.k === 'attr' && receiver.name === 'data' ? receiver.obj : receiver;
          if (name.endsWith('_') && isAttr(receiverBase, attr)) reinitialised = true;
          if (args.some((a) => isAttr(a, attr) || (a.k === 'attr' && a.name === 'data' && isAttr(a.obj, attr))) && /init/.test(dottedName(e.fn) ?? '')) reinitialised = true;
        });
      }
      if (!usage || reinitialised) continue;
      // x @ W with W (a, b): fan_in = a. W @ x: fan_in = b. F.linear(x, W) with W (out, in): fan_in = b.
      const fanIn = usage === 'right' ? found.dims[0]! : found.dims[1]!;
      const fanText = context.source.textOf(fanIn.r);
      const fanCode = fanIn.k === 'name' || fanIn.k === 'num' || fanIn.k === 'attr' ? fanText : `(${fanText})`;
      reports.push({
        message: `self.${attr} is a matmul weight drawn from torch.${calledName(found.randn)} with unit variance: each output's variance is fan_in (${fanText}) times the input's, so activations grow by √fan_in per layer. Scale by 1/√fan_in or use nn.init.`,
        range: found.randn.r,
        fixes: [fix(`Scale by 1/√${fanText}`, replace(found.randn.r, `${context.source.textOf(found.randn.r)} * ${fanCode} ** -0.5`))],
      });
    }
  }
  return reports;
});
