// How an init call is written, for quick fixes: the nn.init module prefix (`nn.init`, empty for a tensor
// method like `w.data.zero_()`) and the weight expression's text.
import type { RecordedCall } from './facts/recorder';
import type { RuleContext } from './types';

export function initCallText(context: RuleContext, call: RecordedCall): { prefix: string; weight: string } {
  const fn = call.expr.fn;
  const method = fn.k === 'attr' && /^(normal_|uniform_|zero_|fill_|trunc_normal_)$/.test(fn.name) && call.receiver?.kind === 'tensor' && call.args.positional[0]?.kind !== 'tensor';
  if (method || fn.k !== 'attr') return { prefix: '', weight: fn.k === 'attr' ? context.source.textOf(fn.obj.r) : '' };
  const first = call.expr.args.find((a) => a.kind === 'pos' || (a.kind === 'kw' && a.name === 'tensor'));
  return { prefix: context.source.textOf(fn.obj.r), weight: first ? context.source.textOf(first.value.r) : '' };
}
