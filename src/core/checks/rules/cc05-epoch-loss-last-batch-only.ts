// CC-05: the epoch's (or a logging interval's) loss is the last batch's only. Two forms:
// - after the batch loop, code in the epoch loop logs or stores the loss of the last batch (the value
//   backward() ran on in the loop's last iteration) instead of a mean over the batches;
// - in the batch loop, a batch's `loss.item()` is stored and later divided by a count (`total / (i + 1)`,
//   `total / len(loader)`) without being added to anything: the running sum was overwritten, so the
//   "average" is one batch's loss divided by the number of batches.
import { defineRule } from '../rule';
import type { RuleReport } from '../types';
import type { Expr } from '../../python/ast';
import type { Value } from '../../interp/values';
import type { CheckFacts } from '../facts/facts';
import { inRun } from '../facts/facts';
import { lossComponents, lossValues } from '../facts/training';
import { exprText } from '../facts/labels';
import type { RecordedCall, RecordedEvent } from '../facts/recorder';

/** `loss.item()`, `float(loss)`: the batch's loss as a Python number. */
function itemOf(facts: CheckFacts, c: RecordedCall, loss: Value): boolean {
  if (facts.methodOf(c) === 'item' && c.receiver === loss) return true;
  return c.callee.kind === 'builtin' && c.callee.name === 'float' && c.args.positional[0] === loss;
}

/** A divisor that counts samples of one batch (`len(x)`, `x.size(0)`, `x.shape[0]`): a per-sample loss, not an average over batches. */
function perSample(facts: CheckFacts, divisor: Value): boolean {
  const p = facts.producerOf(divisor);
  if (!p) return false;
  if (p.kind === 'call') {
    if (p.callee.kind === 'builtin' && p.callee.name === 'len') return p.args.positional[0]?.kind === 'tensor';
    return /^(size|numel|nelement)$/.test(facts.methodOf(p) ?? '');
  }
  return p.op === '[]' && p.operands[0]?.kind === 'tuple';
}

/** The statement of the innermost enclosing function (or module) that holds an event. */
const statementOf = (facts: CheckFacts, e: RecordedEvent): unknown => facts.ancestorsOf(e as RecordedCall).at(-1);

function overwrittenRunningSums(facts: CheckFacts, path: string, seen: Set<Expr>, name: (e: Expr) => string): RuleReport[] {
  const reports: RuleReport[] = [];
  // The loss backward() runs on, and the parts it sums (a style-transfer loop logs its content and style terms).
  for (const [loss, backward] of [...lossValues(facts), ...lossComponents(facts)]) {
    const batchLoop = backward.context.loops.at(-1);
    if (!batchLoop) continue;
    for (const item of facts.consumersOf(loss)) {
      if (item.kind !== 'call' || item.file !== path || !inRun(item, batchLoop) || !itemOf(facts, item, loss) || seen.has(item.expr)) continue;
      const holder = statementOf(facts, item);
      // Stored by a plain assignment of the number itself (`total = loss.item()`).
      if (!holder || (holder as { k: string }).k !== 'assign' || (holder as { value?: Expr }).value !== item.expr) continue;
      const uses = facts.consumersOf(item.result).filter((e) => e.seq > item.seq);
      // The number starts a sum that later adds to it (`total = loss.item()` … `total += …`).
      if (uses.some((e) => e.kind === 'op' && e.op === '+=' && e.operands[0] === item.result)) continue;
      const average = uses.find(
        (e): e is Extract<RecordedEvent, { kind: 'op' }> =>
          e.kind === 'op' && e.op === '/' && e.operands[0] === item.result && statementOf(facts, e) !== holder && !perSample(facts, e.operands[1]!),
      );
      if (!average) continue;
      seen.add(item.expr);
      const target = (holder as { targets: readonly Expr[] }).targets[0];
      const variable = target ? name(target) : 'the total';
      reports.push({
        message: `'${variable}' is overwritten with each batch's loss, yet it is averaged later as a running sum (line ${average.expr.r.start.line + 1}): the "mean" is the last batch's loss divided by the count. Accumulate with ${variable} += ${name(item.expr)}.`,
        range: item.expr.r,
      });
    }
  }
  return reports;
}

export const cc05 = defineRule('CC-05', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const seen = new Set<Expr>();
  for (const [loss, backward] of lossValues(facts)) {
    const batchLoop = backward.context.loops[backward.context.loops.length - 1];
    if (!batchLoop || facts.lossOfBackward(backward) !== loss) continue;
    const depth = backward.context.loops.length;
    const epoch = backward.context.loops[depth - 2];
    if (!epoch) continue;
    // Calls in the same epoch iteration, after the batch loop ended.
    for (const e of facts.eventsInIteration(epoch)) {
      if (e.kind !== 'call' || e.file !== context.path || e.seq <= backward.seq || inRun(e, batchLoop) || facts.isBackward(e)) continue;
      const positional = e.expr.args.filter((a) => a.kind === 'pos');
      const use = e.receiver === loss && e.expr.fn.k === 'attr' ? e.expr.fn.obj : positional[e.args.positional.indexOf(loss)]?.value;
      if (!use || seen.has(use)) continue;
      seen.add(use);
      const name = exprText(context, use, 'loss');
      reports.push({
        message: `After the batch loop, '${name}' holds only the last batch's loss, a noisy estimate of the epoch's. Accumulate ${name}.item() per batch and log the mean.`,
        range: use.r,
      });
    }
  }
  reports.push(...overwrittenRunningSums(facts, context.path, seen, (e) => exprText(context, e, 'loss')));
  return reports;
});
