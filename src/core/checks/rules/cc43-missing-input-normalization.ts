// CC-43: a training image pipeline (Compose with ToTensor) with no Normalize: inputs should be standardised.
// The pipeline and its role are the evaluation's (facts/transforms.ts): named like training data, or given to
// a `train=True` / train-split / train-folder dataset.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import type { RuleReport } from '../types';
import { pipelines } from '../facts/transforms';
import { activationOfLayer, allModules, isSequential } from '../facts/models';
import type { ObjectV } from '../../interp/values';
import type { CheckFacts } from '../facts/facts';

/** True when an nn.Sequential's last leaf is a Sigmoid. */
function lastIsSigmoid(facts: CheckFacts, m: ObjectV): boolean {
  let current = m;
  for (let depth = 0; depth < 8 && isSequential(current); depth++) {
    const last = facts.driven.session.torch.childrenOf(current).at(-1)?.[1];
    if (!last) return false;
    current = last;
  }
  return activationOfLayer(current) === 'sigmoid';
}
import type { RecordedCall } from '../facts/recorder';

export const cc43 = defineRule('CC-43', (context) => {
  const facts = context.facts();
  const rootText = (c: RecordedCall): string | undefined => {
    const root = c.file === context.path ? c.expr.args.find((a) => a.kind === 'pos')?.value : undefined;
    return root ? context.source.textOf(root.r) : undefined;
  };
  // A model that outputs images through a Sigmoid (a generator, an autoencoder) needs its data in [0, 1]:
  // standardising the data there would be the bug.
  if (allModules(facts).some((m) => isSequential(m) && m.module?.constructedAt?.file === context.path && lastIsSigmoid(facts, m))) return [];
  const reports: RuleReport[] = [];
  const seen = new Set<unknown>();
  for (const { construction, items, roles } of pipelines(facts, rootText)) {
    const names = items.map((i) => i.cls.name);
    if (!roles.has('train') || roles.has('eval') || !names.includes('ToTensor') || names.some((n) => /Normalize|Lambda/.test(n)) || seen.has(construction.expr)) continue;
    seen.add(construction.expr);
    const list = construction.expr.args.find((a) => a.kind === 'pos')?.value;
    const fn = construction.expr.fn;
    const prefix = fn.k === 'attr' ? context.source.textOf(fn.obj.r) : '';
    const fixes =
      list && (list.k === 'list' || list.k === 'tuple')
        ? [fix('Add Normalize (ImageNet statistics)', replace(list.r, `[${[...list.items.map((i) => context.source.textOf(i.r)), `${prefix ? `${prefix}.` : ''}Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])`].join(', ')}]`))]
        : [];
    reports.push({
      message: 'This training transform converts images to tensors in [0, 1] but never standardises them: inputs ideally follow N(0, 1) per channel, which also improves the conditioning of the first layer.',
      range: construction.expr.r,
      ...(fixes.length > 0 ? { fixes } : {}),
    });
  }
  return reports;
});
