// CC-23: a rotary embedding applied to v, or to only one of q / k. A query over the evaluation's values:
// every q·kᵀ product (`q @ k.transpose(-2, -1)`, matmul, bmm) and every product of attention weights with
// v (the left operand computed by a softmax) is walked back through the values that made its operands
// (variables, reshapes, helper functions, tuples they return) to the rotary calls on the way; the walk stops
// at a projection (a module call, another matrix product or attention), so a previous layer's rotation
// does not count for this one.
import { defineRule } from '../rule';
import type { Expr } from '../../python/ast';
import type { Value } from '../../interp/values';
import type { CheckFacts } from '../facts/facts';
import type { RecordedCall, RecordedEvent } from '../facts/recorder';
import { callsComputing, computes, isOperation } from '../facts/dataflow';
import { inOrder } from '../facts/facts';
import { inputsOf, walkValues } from '../facts/provenance';
import { productCandidates, productOf } from '../facts/attention';
import type { RuleReport } from '../types';

/** The names a rotary position embedding goes by: functions of the code (or of a package the analysis cannot read). */
const ROTARY = /^(apply_rotary\w*|apply_rope\w*|apply_rot_embed\w*|rope|rotate_half)$/;

/** The name a call was made by: its function's, or the written name of a callee the analysis has no value for. */
function calledAs(c: RecordedCall): string | undefined {
  if (c.callee.kind === 'function') return c.callee.name;
  // A callee the analysis has no value for: unknown, or a name of a module it could not read.
  if (c.callee.kind === 'unknown' || c.callee.kind === 'namespace') return c.expr.fn.k === 'name' ? c.expr.fn.id : c.expr.fn.k === 'attr' ? c.expr.fn.name : undefined;
  return undefined;
}

const isRotary = (e: RecordedEvent): e is RecordedCall => e.kind === 'call' && ROTARY.test(calledAs(e) ?? '');

/** A projection or another product ends the walk: what came before it belongs to another computation. */
function ends(facts: CheckFacts, e: RecordedEvent): boolean {
  if (isOperation(e, '@')) return true;
  if (e.kind !== 'call') return false;
  const c = computes(facts, e);
  if (c === 'matrix-product' || c === 'attention') return true;
  if (facts.isModule(e.callee) || e.callee.kind === 'class') return true;
  // `self.q_proj(x)` with a projection the analysis could not build: not a method of the tensor.
  return e.callee.kind === 'unknown' && e.receiver !== undefined && e.receiver.kind !== 'tensor' && e.receiver.kind !== 'unknown';
}

/** The rotary calls a value went through since its projection (outermost only: a helper's own rotate_half is part of it). */
function rotaryCallsBehind(facts: CheckFacts, v: Value): RecordedCall[] {
  const found: RecordedCall[] = [];
  walkValues(
    facts,
    v,
    (e) => {
      if (isRotary(e)) {
        found.push(e);
        return true;
      }
      return ends(facts, e);
    },
    inputsOf,
  );
  return found;
}

/** True when a value is attention weights: computed by a softmax (through dropout and dtype moves). */
function isAttentionWeights(facts: CheckFacts, v: Value): boolean {
  let softmax = false;
  walkValues(facts, v, (e) => {
    if (e.kind === 'call' && facts.methodOf(e) === 'softmax') softmax = true;
    return softmax || ends(facts, e);
  });
  return softmax;
}

/** The value operands of `weights @ v` products: the matmuls whose left operand is attention weights. */
function valueOperands(facts: CheckFacts): Value[] {
  const out: Value[] = [];
  for (const e of inOrder<RecordedEvent>([facts.operations('@'), callsComputing(facts, 'matrix-product')])) {
    const operands = isOperation(e, '@') ? e.operands : e.kind === 'call' && computes(facts, e) === 'matrix-product' ? e.args.positional : [];
    const [weights, v] = operands;
    if (weights && v && !productOf(facts, e) && isAttentionWeights(facts, weights)) out.push(v);
  }
  return out;
}

export const cc23 = defineRule('CC-23', (context) => {
  const facts = context.facts();
  const reports = new Map<Expr, RuleReport>();
  const report = (call: RecordedCall, message: string): void => {
    if (call.file !== context.path || reports.has(call.expr)) return;
    reports.set(call.expr, { message, range: call.expr.r });
  };
  for (const v of valueOperands(facts))
    for (const call of rotaryCallsBehind(facts, v))
      report(call, 'The rotary embedding is applied to v: only q and k are rotated (their dot product then depends on the relative position); v is never rotated.');
  for (const e of productCandidates(facts)) {
    const product = productOf(facts, e);
    if (!product) continue;
    const onQ = rotaryCallsBehind(facts, product.q);
    const onK = rotaryCallsBehind(facts, product.k);
    if (onQ.length > 0 === onK.length > 0) continue;
    const role = onQ.length > 0 ? 'q' : 'k';
    report((onQ[0] ?? onK[0])!, `The rotary embedding is applied to ${role} only: the relative-position property needs q and k rotated with the same positions.`);
  }
  return [...reports.values()];
});
