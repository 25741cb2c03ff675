// CC-34: random augmentation in the transform of a validation/test dataset: evaluation must be deterministic.
// The pipelines and the role of their data are the evaluation's (facts/transforms.ts): inline transforms of
// `ImageFolder(valdir, Compose([...]))`, a `train=False` dataset, a pipeline named like evaluation data.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import type { RuleReport } from '../types';
import { constructionsOf, pipelines } from '../facts/transforms';
import type { RecordedCall } from '../facts/recorder';

const RANDOM_TRANSFORM = /^(Random\w+|ColorJitter|RandAugment|AutoAugment|TrivialAugmentWide|AugMix|GaussianBlur|ElasticTransform)$/;

export const cc34 = defineRule('CC-34', (context) => {
  const facts = context.facts();
  const rootText = (c: RecordedCall): string | undefined => {
    const root = c.file === context.path ? c.expr.args.find((a) => a.kind === 'pos')?.value : undefined;
    return root ? context.source.textOf(root.r) : undefined;
  };
  const builtAt = constructionsOf(facts);
  const reports: RuleReport[] = [];
  const seen = new Set<unknown>();
  for (const { construction, items, roles } of pipelines(facts, rootText)) {
    if (!roles.has('eval')) continue;
    const listExpr = construction.expr.args.find((a) => a.kind === 'pos')?.value;
    for (const item of items) {
      if (!RANDOM_TRANSFORM.test(item.cls.name)) continue;
      const at = builtAt.get(item);
      if (!at || at.file !== context.path || seen.has(at.expr)) continue;
      seen.add(at.expr);
      const others = listExpr && (listExpr.k === 'list' || listExpr.k === 'tuple') ? listExpr.items.filter((e) => e !== at.expr) : undefined;
      reports.push({
        message: `${item.cls.name} is a random augmentation in an evaluation transform: augmentation is a training-time regulariser, and evaluation must be deterministic (use Resize / CenterCrop / ToTensor / Normalize).`,
        range: at.expr.r,
        ...(others && listExpr ? { fixes: [fix(`Remove ${item.cls.name}`, replace(listExpr.r, `[${others.map((o) => context.source.textOf(o.r)).join(', ')}]`))] } : {}),
      });
    }
  }
  return reports.sort((a, b) => a.range.start.line - b.range.start.line);
});
