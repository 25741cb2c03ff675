// CC-43: a training image transform (Compose with ToTensor) with no Normalize: inputs should be standardised.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { calledName, dottedName, isCall, lastPart, positionalArgs } from '../../python/syntax';
import type { CallExpr } from '../../python/syntax';
import { locatedCalls, scopesOf } from '../training';
import type { RuleReport } from '../types';

const TRAIN_NAME = /(^|_)train(ing)?(_|$)/i;

/** The transform names inside `Compose([...])`, when it is a literal list. */
function itemNames(compose: CallExpr): string[] | undefined {
  const list = positionalArgs(compose)[0];
  if (!list || (list.k !== 'list' && list.k !== 'tuple')) return undefined;
  const names = list.items.map((i) => (isCall(i) ? lastPart(dottedName(i.fn) ?? '') : undefined));
  return names.every((n) => n !== undefined) ? (names as string[]) : undefined;
}

export const cc43 = defineRule('CC-43', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    for (const { call, stmt } of locatedCalls(scope.body)) {
      if (calledName(call) !== 'Compose') continue;
      const names = itemNames(call);
      if (!names || !names.includes('ToTensor') || names.some((n) => /Normalize|Lambda/.test(n))) continue;
      const assignedToTrain = stmt.k === 'assign' && stmt.value === call && stmt.targets.some((t) => TRAIN_NAME.test(lastPart(dottedName(t) ?? '')));
      if (!assignedToTrain) continue;
      const list = positionalArgs(call)[0]!;
      const prefix = dottedName(call.fn)?.replace(/\.?Compose$/, '') ?? 'transforms';
      const items = list.k === 'list' || list.k === 'tuple' ? list.items.map((i) => context.source.textOf(i.r)) : [];
      reports.push({
        message: 'This training transform converts images to tensors in [0, 1] but never standardises them: inputs ideally follow N(0, 1) per channel, which also improves the conditioning of the first layer.',
        range: call.r,
        fixes: [fix('Add Normalize (ImageNet statistics)', replace(list.r, `[${[...items, `${prefix ? `${prefix}.` : ''}Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])`].join(', ')}]`))],
      });
    }
  }
  return reports;
});
