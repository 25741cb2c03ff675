// CC-55: an LR scheduler stepped before the optimizer it drives in the same training iteration (the first
// learning rate is skipped; PyTorch warns), or stepped once per batch while its schedule counts epochs
// (step_size / milestones / T_max that no batch count went into).
import { defineRule } from '../rule';
import type { RuleReport } from '../types';
import type { Value } from '../../interp/values';
import { trainingSteps } from '../facts/training';
import { inIteration, sameIteration } from '../facts/facts';
import type { CheckFacts } from '../facts/facts';
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
    // The training iteration, and the loops around it (an epoch loop that steps the scheduler first).
    const frames = step.step.context.loops.slice(0, step.step.context.loops.findIndex((l) => l === step.iteration) + 1);
    // The calls named step() of each of those iterations, in execution order: those of the file's calls named so that
    // ran inside it (an epoch's iteration holds every event of the epoch; only its few step() calls are asked about).
    const stepCalls = facts.callsNamed('step');
    for (const e of frames.flatMap((f) => stepCalls.filter((c) => inIteration(c, f)))) {
      if (e.file !== context.path || seen.has(e.expr)) continue;
      // The scheduler, or each one a conditional chose between, that drives this optimizer.
      const schedulers = facts.librariesOf(e.receiver).filter(({ object, info }) => {
        const optimizer = object.attrs.get('optimizer');
        return info.kind === 'scheduler' && optimizer !== undefined && facts.alternativesOf(optimizer).some((o) => o === step.optimizer || facts.alternativesOf(step.optimizer).includes(o));
      });
      if (schedulers.length === 0) continue;
      const name = exprText(context, e.expr.fn.k === 'attr' ? e.expr.fn.obj : undefined, 'scheduler');
      // Its own loop iteration: the optimizer's first step in it comes after the scheduler's step.
      const own = e.context.loops[e.context.loops.length - 1];
      const firstStep = trainingSteps(facts).filter((s) => s.optimizer === step.optimizer && own !== undefined && s.step.context.loops.some((l) => sameIteration(l, own))).map((s) => s.step.seq);
      if (firstStep.length > 0 && e.seq < Math.min(...firstStep)) {
        seen.add(e.expr);
        reports.push({
          message: `${name}.step() runs before the optimizer's step() in this iteration: the schedule advances before its first learning rate is used (PyTorch warns). Call it after optimizer.step().`,
          range: e.expr.r,
        });
        continue;
      }
      // Stepped per batch: in the training iteration itself.
      if (!e.context.loops.some((l) => sameIteration(l, step.iteration))) continue;
      const epochly = schedulers.find(({ info }) => {
        const period = EPOCH_PERIOD[info.name];
        const value = period ? info.args.get(period) : undefined;
        return value !== undefined && !fromBatchCount(facts, value);
      });
      if (!epochly) continue;
      const info = epochly.info;
      const period = EPOCH_PERIOD[info.name]!;
      seen.add(e.expr);
      reports.push({
        message: `${name} (${info.name}) is stepped once per batch, but its ${period} counts epochs (nothing scaled it by the batches per epoch): the schedule runs ${'~'}len(loader)× too fast. Step it once per epoch, or scale ${period} by len(loader).`,
        range: e.expr.r,
      });
    }
  }
  return reports;
});
