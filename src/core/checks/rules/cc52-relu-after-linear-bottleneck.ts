// CC-52: an activation right after the 1×1 projection of an expand → depthwise → project block: the
// low-dimensional output should stay linear (MobileNetV2's linear bottleneck). The blocks are the
// nn.Sequential containers (and layer lists) the evaluation built, with each conv's bound arguments.
import { defineRule } from '../rule';
import type { ObjectV, Value } from '../../interp/values';
import type { RuleReport } from '../types';
import { allModules, batchNormRank, convolutionRank, ctorNumbers, isSequential } from '../facts/models';
import { activationOfModule } from '../facts/inits';
import { ctorArg } from '../facts/layers';

const isConv2d = (m: ObjectV): boolean => convolutionRank(m) === 2;
/** A grouped conv: groups > 1, or groups the very value given as in_channels (depthwise, sizes unknown). */
const isGrouped = (m: ObjectV): boolean => {
  if (!isConv2d(m)) return false;
  const groups = ctorNumbers(m, 'groups')?.[0];
  if (groups !== undefined) return groups > 1;
  const value = ctorArg(m, 'groups');
  return value !== undefined && value === ctorArg(m, 'in_channels');
};
const isPointwise = (m: ObjectV): boolean => isConv2d(m) && (ctorNumbers(m, 'kernel_size') ?? []).every((k) => k === 1) && (ctorNumbers(m, 'kernel_size') ?? []).length > 0;

/** True when a conv's out_channels exceed its in_channels, false when fewer, undefined when unknown or equal. */
function widens(m: ObjectV): boolean | undefined {
  const cin = ctorNumbers(m, 'in_channels')?.[0];
  const cout = ctorNumbers(m, 'out_channels')?.[0];
  if (cin === undefined || cout === undefined || cin === cout) return undefined;
  return cout > cin;
}

/** The activation module that follows a linear bottleneck's projection in a row of layers, if any. */
function activationAfterProjection(items: readonly ObjectV[]): ObjectV | undefined {
  const depthwise = items.findIndex(isGrouped);
  // An inverted bottleneck: a 1×1 conv that widens, the depthwise conv, a 1×1 conv that narrows, with
  // channel counts the evaluation knows (ShuffleNetV2's equal-width unit ends in a ReLU by design).
  if (depthwise <= 0 || !items.slice(0, depthwise).some((m) => isPointwise(m) && widens(m) === true)) return undefined;
  const project = items.findIndex((m, i) => i > depthwise && isPointwise(m));
  if (project < 0 || widens(items[project]!) !== false) return undefined;
  let next = project + 1;
  if (next < items.length && batchNormRank(items[next]!) === 2) next++;
  const after = items[next];
  const activation = after ? activationOfModule(after) : undefined;
  return after && activation && activation !== 'softmax' ? after : undefined;
}

export const cc52 = defineRule('CC-52', (context) => {
  const facts = context.facts();
  const rows: ObjectV[][] = [];
  for (const m of allModules(facts)) if (isSequential(m)) rows.push(facts.driven.session.torch.childrenOf(m).map(([, c]) => c));
  // Layer lists being assembled (`layers += [...]`, `nn.Sequential(*layers)` the evaluation could not follow).
  for (const e of facts.sequenceInputEvents) {
    const values: (Value | undefined)[] = e.kind === 'op' ? [...e.operands] : [...e.args.positional];
    for (const v of values) if ((v?.kind === 'list' || v?.kind === 'tuple') && v.items.every((i) => facts.isModule(i))) rows.push(v.items as ObjectV[]);
  }
  const reports: RuleReport[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const after = activationAfterProjection(row);
    const at = after?.module?.constructedAt;
    if (!at || at.file !== context.path) continue;
    const key = `${at.range.start.line}:${at.range.start.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    reports.push({
      message: 'An activation follows the 1×1 projection of this expand → depthwise → project block: the projection is low-dimensional, and a ReLU there destroys information. Keep the bottleneck output linear.',
      range: at.range,
    });
  }
  return reports;
});
