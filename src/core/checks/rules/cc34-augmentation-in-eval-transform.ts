// CC-34: random augmentation in the transform of a validation/test dataset: evaluation must be deterministic.
import type { Expr } from '../../python/ast';
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import type { CallExpr } from '../../python/syntax';
import { calledName, dottedName, isCall, keywordArg, lastPart, positionalArgs } from '../../python/syntax';
import { locatedCalls, scopesOf } from '../training';
import type { Scope } from '../training';
import type { RuleContext, RuleReport } from '../types';

const RANDOM_TRANSFORM = /^(Random\w+|ColorJitter|RandAugment|AutoAugment|TrivialAugmentWide|AugMix|GaussianBlur|ElasticTransform)$/;
const EVAL_NAME = /(^|_)(val|valid|validation|test|eval|dev)(_|$)/i;

/** The random transforms inside a `Compose([...])` call. */
function randomItems(compose: CallExpr): Expr[] {
  const list = positionalArgs(compose)[0];
  if (!list || (list.k !== 'list' && list.k !== 'tuple')) return [];
  return list.items.filter((i) => isCall(i) && RANDOM_TRANSFORM.test(lastPart(dottedName(i.fn) ?? '')));
}

/** Compose calls used for evaluation: assigned to an eval-named variable, or given to a `train=False` / val-split dataset. */
function evalComposes(context: RuleContext): { compose: CallExpr; scope: Scope }[] {
  const out: { compose: CallExpr; scope: Scope }[] = [];
  for (const scope of scopesOf(context)) {
    for (const { call, stmt } of locatedCalls(scope.body)) {
      if (calledName(call) === 'Compose' && stmt.k === 'assign' && stmt.value === call && stmt.targets.some((t) => EVAL_NAME.test(lastPart(dottedName(t) ?? '')))) {
        out.push({ compose: call, scope });
        continue;
      }
      const transform = keywordArg(call, 'transform');
      if (!transform) continue;
      const train = keywordArg(call, 'train');
      const split = keywordArg(call, 'split');
      const isEval = (train?.k === 'const' && train.value === 'False') || (split?.k === 'str' && /^(val|valid|test|eval)/.test(split.value));
      const compose = scope.resolve(transform);
      if (isEval && isCall(compose) && calledName(compose) === 'Compose') out.push({ compose, scope });
    }
  }
  return out;
}

export const cc34 = defineRule('CC-34', (context) => {
  const reports: RuleReport[] = [];
  const seen = new Set<CallExpr>();
  for (const { compose } of evalComposes(context)) {
    if (seen.has(compose)) continue;
    seen.add(compose);
    for (const item of randomItems(compose)) {
      const list = positionalArgs(compose)[0]!;
      const others = list.k === 'list' || list.k === 'tuple' ? list.items.filter((i) => i !== item) : [];
      const name = isCall(item) ? lastPart(dottedName(item.fn) ?? 'transform') : 'transform';
      reports.push({
        message: `${name} is a random augmentation in an evaluation transform: augmentation is a training-time regulariser, and evaluation must be deterministic (use Resize / CenterCrop / ToTensor / Normalize).`,
        range: item.r,
        fixes: [fix(`Remove ${name}`, replace(list.r, `[${others.map((o) => context.source.textOf(o.r)).join(', ')}]`))],
      });
    }
  }
  return reports;
});
