// CC-43: a training image pipeline (Compose with ToTensor) with no Normalize: inputs should be standardised.
// The pipeline and its role are the evaluation's (facts/transforms.ts): named like training data, or given to
// a `train=True` / train-split / train-folder dataset. It relates pipelines to models anywhere in the file, so
// it collects both per check unit and reports from the whole file's.
import { defineFileWideRule } from '../rule';
import { fix, replace } from '../fixes';
import type { QuickFix, Range, RuleContext, RuleReport } from '../types';
import { pipelines, type Role } from '../facts/transforms';
import type { RecordedCall } from '../facts/recorder';
import { rangeKey } from '../../ranges';
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

/** One Compose object the unit built: where, its transforms' class names, the roles its uses give it, the fix. */
interface PipelinePart {
  readonly range: Range;
  /**
   * Its count among this unit's objects built at `range` (the module-level code's come first in every unit, so
   * the same object has the same range and count in each). Data, not a key string: a reused unit's part moves.
   */
  readonly count: number;
  readonly names: readonly string[];
  readonly roles: readonly Role[];
  readonly fixes: readonly QuickFix[];
}

interface Cc43Part {
  /** The unit builds a model that outputs images through a Sigmoid. */
  readonly sigmoidImages: boolean;
  readonly pipelines: readonly PipelinePart[];
}

function collect(context: RuleContext): Cc43Part {
  const facts = context.facts();
  const rootText = (c: RecordedCall): string | undefined => {
    const root = c.file === context.path ? c.expr.args.find((a) => a.kind === 'pos')?.value : undefined;
    return root ? context.source.textOf(root.r) : undefined;
  };
  const sigmoidImages = allModules(facts).some((m) => isSequential(m) && m.module?.constructedAt?.file === context.path && lastIsSigmoid(facts, m));
  const built = new Map<string, number>();
  const parts = pipelines(facts, rootText).map(({ construction, items, roles }): PipelinePart => {
    const at = rangeKey(construction.expr.r);
    const count = built.get(at) ?? 0;
    built.set(at, count + 1);
    const list = construction.expr.args.find((a) => a.kind === 'pos')?.value;
    const fn = construction.expr.fn;
    const prefix = fn.k === 'attr' ? context.source.textOf(fn.obj.r) : '';
    const fixes =
      list && (list.k === 'list' || list.k === 'tuple')
        ? [fix('Add Normalize (ImageNet statistics)', replace(list.r, `[${[...list.items.map((i) => context.source.textOf(i.r)), `${prefix ? `${prefix}.` : ''}Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])`].join(', ')}]`))]
        : [];
    return { range: construction.expr.r, count, names: items.map((i) => i.cls.name), roles: [...roles], fixes };
  });
  return { sigmoidImages, pipelines: parts };
}

function report(parts: readonly Cc43Part[]): RuleReport[] {
  // A model that outputs images through a Sigmoid (a generator, an autoencoder) needs its data in [0, 1]:
  // standardising the data there would be the bug.
  if (parts.some((p) => p.sigmoidImages)) return [];
  // An object's roles come from all its uses; units that share it (module-level code) each saw some of them.
  const objects = new Map<string, { pipeline: PipelinePart; roles: Set<Role> }>();
  for (const pipeline of parts.flatMap((p) => p.pipelines)) {
    const object = `${rangeKey(pipeline.range)}#${pipeline.count}`;
    const known = objects.get(object);
    if (known) for (const role of pipeline.roles) known.roles.add(role);
    else objects.set(object, { pipeline, roles: new Set(pipeline.roles) });
  }
  const reports: RuleReport[] = [];
  const seen = new Set<string>();
  for (const { pipeline, roles } of objects.values()) {
    const { names, range, fixes } = pipeline;
    if (!roles.has('train') || roles.has('eval') || !names.includes('ToTensor') || names.some((n) => /Normalize|Lambda/.test(n)) || seen.has(rangeKey(range))) continue;
    seen.add(rangeKey(range));
    reports.push({
      message: 'This training transform converts images to tensors in [0, 1] but never standardises them: inputs ideally follow N(0, 1) per channel, which also improves the conditioning of the first layer.',
      range,
      ...(fixes.length > 0 ? { fixes } : {}),
    });
  }
  return reports;
}

export const cc43 = defineFileWideRule('CC-43', { collect, report });
