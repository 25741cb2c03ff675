// CC-39: an nn.Sequential holding more than 20 Linear/Conv layers with no normalization layer: a plain deep
// stack (a Sequential has no residual path) whose gradients vanish; the notes add skips and normalization.
import { defineRule } from '../rule';
import type { RuleReport } from '../types';
import type { ObjectV } from '../../interp/values';
import type { CheckFacts } from '../facts/facts';
import { allModules, isDense, isNormalization, isSequential } from '../facts/models';

const DEPTH = 20;

/** The leaf layers of a Sequential, nested Sequentials flattened (other modules are opaque blocks). */
function leaves(facts: CheckFacts, m: ObjectV, out: ObjectV[] = [], depth = 0): ObjectV[] {
  for (const [, c] of facts.driven.session.torch.childrenOf(m)) {
    if (isSequential(c) && depth < 6) leaves(facts, c, out, depth + 1);
    else out.push(c);
  }
  return out;
}

export const cc39 = defineRule('CC-39', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const seen = new Set<string>();
  const nested = new Set<ObjectV>();
  const sequentials = allModules(facts).filter(isSequential);
  for (const s of sequentials) for (const [, c] of facts.driven.session.torch.childrenOf(s)) if (isSequential(c)) nested.add(c);
  for (const s of sequentials) {
    const at = s.module?.constructedAt;
    if (nested.has(s) || !at || at.file !== context.path) continue;
    const layers = leaves(facts, s);
    // Only a stack of plain layers: any other module could hold a residual path.
    if (layers.some((l) => !l.cls.layer)) continue;
    const weighted = layers.filter(isDense).length;
    if (weighted <= DEPTH || layers.some(isNormalization)) continue;
    const key = `${at.range.start.line}:${at.range.start.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    reports.push({
      message: `A plain stack of ${weighted} Linear/Conv layers with no normalization and no residual path: gradients shrink layer after layer and deeper trains worse than shallower. Add residual connections and normalization (BatchNorm/LayerNorm).`,
      range: at.range,
    });
  }
  return reports;
});
