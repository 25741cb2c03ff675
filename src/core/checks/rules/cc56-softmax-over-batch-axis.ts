// CC-56: softmax / log_softmax taken over dim 0 of a batch (a model's output, or data from a loader): each
// sample's probabilities then depend on the other samples of the batch.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import type { RuleReport } from '../types';
import type { Value } from '../../interp/values';
import type { CheckFacts } from '../facts/facts';
import type { RecordedCall } from '../facts/recorder';
import { layerName } from '../facts/models';
import { presumedModel } from '../facts/training';
import type { Expr } from '../../python/ast';

const SOFTMAX = /^(softmax|log_softmax)$/;

/** True when a value is batched data: a model's output, or something computed from one. */
function batched(facts: CheckFacts, v: Value | undefined, depth = 0): boolean {
  if (!v || depth > 8) return false;
  if (v.kind === 'tensor' && v.shape && typeof v.shape[0] === 'object') return true;
  const p = facts.producerOf(v);
  if (p?.kind === 'op' && p.op === '[]') return batched(facts, p.operands[0], depth + 1);
  if (!p || p.kind !== 'call') return false;
  if (facts.isModule(p.callee) && !p.callee.cls.layer) return true;
  if (p.callee.kind === 'unknown' && presumedModel(p.expr.fn) && !(p.expr.fn.k === 'attr' && p.receiver === p.callee)) return true;
  if (p.expr.fn.k === 'attr' && /^(view|reshape|float|to|contiguous|squeeze)$/.test(p.expr.fn.name)) return batched(facts, p.receiver, depth + 1);
  return false;
}

/** `x.softmax(0)`: the method form, on a tensor (or a value the analysis cannot see). */
const isMethodForm = (c: RecordedCall): boolean => c.expr.fn.k === 'attr' && (c.receiver?.kind === 'tensor' || c.receiver?.kind === 'unknown');

/** The softmax a call computes, if it is one: the function, the method, or an nn.Softmax module. */
function softmaxName(facts: CheckFacts, c: RecordedCall): string | undefined {
  if (facts.isModule(c.callee)) return layerName(c.callee) === 'Softmax' ? 'softmax' : layerName(c.callee) === 'LogSoftmax' ? 'log_softmax' : undefined;
  const own = c.callee.kind === 'builtin' ? c.callee.name.slice(c.callee.name.lastIndexOf('.') + 1) : isMethodForm(c) && c.expr.fn.k === 'attr' ? c.expr.fn.name : undefined;
  return own && SOFTMAX.test(own) ? own : undefined;
}

/** The dim argument as written, and its value when known. */
function dimOf(facts: CheckFacts, c: RecordedCall): { dim: number; argument?: Expr } | undefined {
  if (facts.isModule(c.callee)) {
    const d = c.callee.module?.ctorArgs?.get('dim');
    return d?.kind === 'int' && typeof d.value === 'number' ? { dim: d.value } : undefined;
  }
  const positionalIndex = isMethodForm(c) ? 0 : 1;
  const argument = c.expr.args.find((a) => a.kind === 'kw' && a.name === 'dim')?.value ?? c.expr.args.filter((a) => a.kind === 'pos')[positionalIndex]?.value;
  const v = c.args.keywords.get('dim') ?? c.args.positional[positionalIndex];
  return v?.kind === 'int' && typeof v.value === 'number' ? { dim: v.value, ...(argument ? { argument } : {}) } : undefined;
}

export const cc56 = defineRule('CC-56', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const seen = new Set<unknown>();
  for (const c of facts.calls) {
    if (c.file !== context.path || seen.has(c.expr)) continue;
    const own = softmaxName(facts, c);
    if (!own) continue;
    const d = dimOf(facts, c);
    if (!d || d.dim !== 0) continue;
    const input = isMethodForm(c) && !facts.isModule(c.callee) ? c.receiver : c.args.positional[0];
    if (!batched(facts, input)) continue;
    seen.add(c.expr);
    reports.push({
      message: `${own} over dim 0, the batch axis: each sample's probabilities are normalised across the batch, so they depend on the other samples. Use the class axis (dim=-1 or 1).`,
      range: c.expr.r,
      ...(d.argument ? { fixes: [fix('Normalise over the last axis (dim=-1)', replace(d.argument.r, '-1'))] } : {}),
    });
  }
  return reports;
});
