// Evaluation code as CC-06 and CC-08 recognise it: functions named evaluate/validate/test (with a loop
// that calls a model), and loops over a val/test loader, plus the facts around them (eval(), no_grad()).
import type { Expr, FunctionDef, Stmt } from '../python/ast';
import type { CallExpr, LoopStmt } from '../python/syntax';
import { calledName, dottedName, isCall, lastPart, positionalArgs, receiverOf, walkStmts } from '../python/syntax';
import type { Scope } from './training';
import { isBackwardCall, locatedCalls, scopesOf } from './training';
import type { RuleContext } from './types';

const EVAL_FUNCTION = /^(evaluate|validate|validation|evaluation|eval|test|val|valid|run_eval|run_validation|run_test)(_(model|epoch|loop|one_epoch))?$/;
const EVAL_LOADER = /^(val|valid|validation|test|eval|dev)_?(loader|dl|dataloader|data_loader|batches)$/i;
const MODEL_NAME = /^(model|net|network|classifier|encoder|decoder|module)$/i;

export interface EvalRegion {
  readonly scope: Scope;
  /** The loop that runs the model on evaluation batches. */
  readonly loop: LoopStmt;
  readonly loopAncestors: readonly Stmt[];
  /** The model variable called in the loop. */
  readonly model: string;
  readonly modelCall: CallExpr;
  /** The statements enclosing the model call (the loop and any `with` inside it included). */
  readonly modelCallAncestors: readonly Stmt[];
  /** The function the region is (for call-site checks), when the whole function is evaluation code. */
  readonly evalFunction?: FunctionDef;
}

/** The data a loop iterates: `loader`, `enumerate(loader)`, `tqdm(loader)`. */
function iterated(e: Expr): string | undefined {
  if (isCall(e) && /^(enumerate|tqdm|iter)$/.test(lastPart(dottedName(e.fn) ?? ''))) {
    // `enumerate(loader)` iterates its argument; `root.iter()` (ElementTree) has none and names no loader.
    const inner = positionalArgs(e)[0];
    return inner ? iterated(inner) : undefined;
  }
  const name = dottedName(e);
  return name ? lastPart(name) : undefined;
}

export function evalRegions(context: RuleContext): EvalRegion[] {
  const out: EvalRegion[] = [];
  for (const scope of scopesOf(context)) {
    const isEvalFunction = scope.def !== undefined && EVAL_FUNCTION.test(scope.def.name);
    const calls = locatedCalls(scope.body);
    const backwards = calls.filter((c) => isBackwardCall(c.call));
    walkStmts(scope.body, (s, ancestors) => {
      if (s.k !== 'for') return;
      const data = iterated(s.iter);
      if (!isEvalFunction && !(data && EVAL_LOADER.test(data))) return;
      // A loop that runs backward() is training (or test-time adaptation), not evaluation.
      if (backwards.some((b) => b.ancestors.includes(s))) return;
      // A function named like evaluation that also trains elsewhere is a training function.
      if (!(data && EVAL_LOADER.test(data)) && backwards.length > 0) return;
      const modelCall = calls.find((c) => c.ancestors.includes(s) && c.call.fn.k === 'name' && MODEL_NAME.test(c.call.fn.id));
      if (!modelCall || modelCall.call.fn.k !== 'name') return;
      // Only the outermost such loop of a scope.
      if (out.some((r) => r.scope === scope && ancestors.includes(r.loop))) return;
      out.push({
        scope,
        loop: s,
        loopAncestors: ancestors,
        model: modelCall.call.fn.id,
        modelCall: modelCall.call,
        modelCallAncestors: [...modelCall.ancestors, modelCall.stmt],
        ...(isEvalFunction && scope.def ? { evalFunction: scope.def } : {}),
      });
    });
  }
  return out;
}

/** Every call site of a function name in the file, with its scope and enclosing statements. */
export function callSitesOf(context: RuleContext, name: string): { scope: Scope; ancestors: readonly Stmt[]; call: CallExpr }[] {
  const out: { scope: Scope; ancestors: readonly Stmt[]; call: CallExpr }[] = [];
  for (const scope of scopesOf(context))
    for (const c of locatedCalls(scope.body)) if (lastPart(dottedName(c.call.fn) ?? '') === name) out.push({ scope, ancestors: [...c.ancestors, c.stmt], call: c.call });
  return out;
}

export const isEvalModeCall = (call: CallExpr): boolean =>
  calledName(call) === 'eval' || (calledName(call) === 'train' && positionalArgs(call)[0]?.k === 'const' && (positionalArgs(call)[0] as { value: string }).value === 'False');

/** True when a scope switches some model to eval mode anywhere. */
export const scopeCallsEval = (scope: Scope): boolean => locatedCalls(scope.body).some((c) => isEvalModeCall(c.call) && receiverOf(c.call) !== undefined);

const NO_GRAD = /(^|\.)(no_grad|inference_mode)$/;

/** `with torch.no_grad():`, `with torch.inference_mode():`, `with torch.set_grad_enabled(False):`. */
export function isNoGradContext(e: Expr): boolean {
  const target = isCall(e) ? e.fn : e;
  const name = dottedName(target) ?? '';
  if (NO_GRAD.test(name)) return true;
  return isCall(e) && /(^|\.)set_grad_enabled$/.test(name) && positionalArgs(e)[0]?.k === 'const' && (positionalArgs(e)[0] as { value: string }).value === 'False';
}

export const underNoGrad = (ancestors: readonly Stmt[]): boolean => ancestors.some((s) => s.k === 'with' && s.items.some((i) => isNoGradContext(i.ctx)));

export const decoratedNoGrad = (def: FunctionDef): boolean => def.decorators.some((d) => isNoGradContext(d));
