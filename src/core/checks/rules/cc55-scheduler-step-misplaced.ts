// CC-55: an LR scheduler stepped before the optimizer it drives in the same training iteration (the first
// learning rate is skipped; PyTorch warns), or stepped once per batch while its schedule counts epochs
// (step_size / milestones / T_max that no batch count went into).
import { defineRule } from '../rule';
import type { RuleReport } from '../types';
import type { Value } from '../../interp/values';
import { iterationEvents, trainingSteps } from '../facts/training';
import type { CheckFacts } from '../facts/facts';
import type { RecordedCall } from '../facts/recorder';
import { exprText } from '../facts/labels';

/** Schedulers whose period parameter counts epochs unless the code scaled it by the batches per epoch. */
const EPOCH_PERIOD: Readonly<Record<string, string>> = { StepLR: 'step_size', MultiStepLR: 'milestones', CosineAnnealingLR: 'T_max', CosineAnnealingWarmRestarts: 'T_0', ExponentialLR: 'gamma' };

/** True when a value was computed from a batch count (`len(loader)`, `iters_per_epoch * …`). */
function fromBatchCount(facts: CheckFacts, v: Value | undefined, depth = 0): boolean {
  if (!v || depth > 12) return false;
  if (v.kind === 'list' || v.kind === 'tuple') return v.items.some((i) => fromBatchCount(facts, i, depth + 1));
  const p = facts.producerOf(v);
  if (!p) return false;
  if (p.kind === 'call' && (p.callee.kind === 'builtin' && p.callee.name === 'len')) return true;
  const inputs = p.kind === 'call' ? [p.receiver, ...p.args.positional] : p.operands;
  return inputs.some((i) => fromBatchCount(facts, i, depth + 1));
}

export const cc55 = defineRule('CC-55', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const seen = new Set<unknown>();
  for (const step of trainingSteps(facts)) {
    for (const e of iterationEvents(facts, step.iteration)) {
      if (e.kind !== 'call' || e.file !== context.path || seen.has(e.expr)) continue;
      const scheduler = facts.libraryOf(e.receiver);
      const info = scheduler?.info;
      if (!scheduler || info?.kind !== 'scheduler' || facts.methodOf(e) !== 'step') continue;
      const optimizer = scheduler.object.attrs.get('optimizer');
      if (!optimizer || !facts.alternativesOf(step.optimizer).concat([step.optimizer]).some((o) => facts.alternativesOf(optimizer).includes(o))) continue;
      const name = exprText(context, (e as RecordedCall).expr.fn.k === 'attr' ? (e.expr.fn as { obj: typeof e.expr }).obj : undefined, 'scheduler');
      const firstStep = trainingSteps(facts).filter((s) => s.optimizer === step.optimizer && s.iteration === step.iteration).map((s) => s.step.seq);
      if (e.seq < Math.min(...firstStep)) {
        seen.add(e.expr);
        reports.push({
          message: `${name}.step() runs before the optimizer's step() in this iteration: the schedule advances before its first learning rate is used (PyTorch warns). Call it after optimizer.step().`,
          range: e.expr.r,
        });
        continue;
      }
      const period = EPOCH_PERIOD[info.name];
      if (!period) continue;
      const value = info.args.get(period);
      if (!value || fromBatchCount(facts, value)) continue;
      seen.add(e.expr);
      reports.push({
        message: `${name} (${info.name}) is stepped once per batch, but its ${period} counts epochs (nothing scaled it by the batches per epoch): the schedule runs ${'~'}len(loader)× too fast. Step it once per epoch, or scale ${period} by len(loader).`,
        range: e.expr.r,
      });
    }
  }
  return reports;
});
