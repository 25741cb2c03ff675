// CC-38: an optimizer step that trains a model with RNN/LSTM/GRU layers with no gradient clipping in the same
// iteration. The model is the value the evaluation saw: built here, passed into `train(model, ...)`, or the
// one whose parameters the optimizer owns; the clipping may sit in a helper the loop calls.
import { defineRule } from '../rule';
import { fix, insertLineBefore } from '../fixes';
import type { ObjectV, Value } from '../../interp/values';
import type { CheckFacts } from '../facts/facts';
import type { RecordedCall } from '../facts/recorder';
import { trainingSteps } from '../facts/training';
import { traitsOf } from '../facts/models';
import type { RuleReport } from '../types';

/** A recurrent layer over a whole sequence (RNN, LSTM, GRU): its catalogue entry says so. */
const isRecurrent = (m: ObjectV): boolean => traitsOf(m)?.recurrent === 'sequence';
const CLIPPING = /(^|\.)clip_grad_(norm|value)_?$/;

const recurrent = (facts: CheckFacts, v: Value | undefined): v is ObjectV =>
  facts.isModule(v) && facts.namedModulesOf(v).some(([, m]) => isRecurrent(m));

export const cc38 = defineRule('CC-38', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const seen = new Set<unknown>();
  for (const { step, optimizer, iteration } of trainingSteps(facts)) {
    if (step.file !== context.path || seen.has(step.expr)) continue;
    const iterationCalls = facts.eventsInIteration(iteration).filter((c): c is RecordedCall => c.kind === 'call' && c.seq < step.seq);
    if (iterationCalls.some((c) => CLIPPING.test(facts.builtinName(c) ?? (c.expr.fn.k === 'attr' ? c.expr.fn.name : '')))) continue;
    // The model trained: one called in the iteration, or one whose parameters the optimizer owns.
    const called = iterationCalls.find((c) => recurrent(facts, c.callee) && !c.callee.cls.layer);
    const owned = facts.optimizerSources(optimizer).find((s) => recurrent(facts, s));
    if (!called && !owned) continue;
    seen.add(step.expr);
    const stmt = facts.ancestorsOf(step).at(-1);
    const modelText = called && called.file === context.path && facts.defOf(called) === facts.defOf(step) ? context.source.textOf(called.expr.fn.r) : undefined;
    reports.push({
      message: 'This loop trains a recurrent model without gradient clipping: backprop through time multiplies by the recurrent Jacobian at every step, so gradients can explode.',
      range: step.expr.r,
      ...(stmt && modelText ? { fixes: [fix('Clip the gradient norm before step()', insertLineBefore(context.source, stmt, `torch.nn.utils.clip_grad_norm_(${modelText}.parameters(), 1.0)`))] } : {}),
    });
  }
  return reports;
});
