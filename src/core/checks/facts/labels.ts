// How findings name the values they talk about: the code's own spelling of the expression at the event.
import type { Expr } from '../../python/ast';
import type { RuleContext } from '../types';
import type { RecordedCall } from './recorder';

/** The text of an expression of the checked file (a short fallback when it is long or elsewhere). */
export function exprText(context: RuleContext, e: Expr | undefined, fallback: string): string {
  if (!e) return fallback;
  const text = context.source.textOf(e.r);
  return text.length > 0 && text.length <= 40 && !text.includes('\n') ? text : fallback;
}

/** The optimizer a step call updates, as the code writes it: `opt` in `opt.step()` and in `scaler.step(opt)`. */
export function optimizerLabel(context: RuleContext, step: RecordedCall): string {
  if (step.expr.fn.k !== 'attr') return 'optimizer';
  if (context.facts().libraryOf(step.receiver)?.info.kind === 'scaler' || /scaler/i.test(context.source.textOf(step.expr.fn.obj.r))) return exprText(context, step.expr.args.find((a) => a.kind === 'pos')?.value, 'optimizer');
  return exprText(context, step.expr.fn.obj, 'optimizer');
}

/** The receiver of a method call as written: `model` in `model.eval()`. */
export function receiverLabel(context: RuleContext, call: RecordedCall, fallback: string): string {
  return call.expr.fn.k === 'attr' ? exprText(context, call.expr.fn.obj, fallback) : fallback;
}
