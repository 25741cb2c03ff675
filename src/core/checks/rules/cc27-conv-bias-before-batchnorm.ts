// CC-27: a ConvNd that keeps its bias (bias=True or the default, however the arguments were passed) whose
// output goes straight into the matching BatchNormNd: the next layer of an nn.Sequential, or the BN called
// on the conv's output in forward. BN subtracts the channel mean, cancelling the bias.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import type { CallExpr } from '../../python/syntax';
import { hasSplat, keywordArg } from '../../python/syntax';
import type { ObjectV } from '../../interp/values';
import type { CheckFacts } from '../facts/facts';
import type { RuleReport } from '../types';
import { ctorArg, layersBuiltHere } from '../facts/layers';
import { allModules, batchNormRank, convolutionRank, directProducers } from '../facts/models';


/** True when the conv keeps a bias: bias=True or left at its default; unknown (a parameter) is not a decision. */
const keepsBias = (m: ObjectV): boolean => {
  const bias = ctorArg(m, 'bias');
  return bias?.kind === 'bool' && bias.value;
};

/** The BatchNorm modules of the evaluation, by rank, and the modules whose output each is called on. */
function batchNormInputs(facts: CheckFacts): Map<ObjectV, number> {
  const out = new Map<ObjectV, number>();
  for (const bn of allModules(facts)) {
    const rank = batchNormRank(bn);
    if (rank === undefined) continue;
    for (const producer of directProducers(facts, bn)) out.set(producer, rank);
  }
  // Layer lists being assembled for an nn.Sequential (`layers += [conv, nn.BatchNorm2d(v), nn.ReLU()]`),
  // also where the evaluation could not follow the list into the container (a branch on an argument).
  for (const e of facts.sequenceInputEvents) {
    const values = e.kind === 'op' ? e.operands : [...e.args.positional, e.receiver];
    for (const v of values) {
      if (v?.kind !== 'list' && v?.kind !== 'tuple') continue;
      for (let i = 0; i + 1 < v.items.length; i++) {
        const [a, b] = [v.items[i]!, v.items[i + 1]!];
        const rank = facts.isModule(b) ? batchNormRank(b) : undefined;
        if (rank !== undefined && facts.isModule(a)) out.set(a, rank);
      }
    }
  }
  return out;
}

function report(conv: CallExpr): RuleReport {
  const bias = keywordArg(conv, 'bias');
  const last = conv.args[conv.args.length - 1];
  const edit = bias ? replace(bias.r, 'False') : last ? replace({ start: last.value.r.end, end: last.value.r.end }, ', bias=False') : undefined;
  return {
    message: 'This convolution\'s bias is cancelled by the BatchNorm that follows (BN subtracts each channel\'s mean; its β takes the bias\'s role). Pass bias=False.',
    range: conv.r,
    ...(edit ? { fixes: [fix('Set bias=False', edit)] } : {}),
  };
}

export const cc27 = defineRule('CC-27', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const convolutions = layersBuiltHere(facts, (m) => convolutionRank(m) !== undefined);
  // What feeds a BatchNorm is asked only of a file that builds convolutions.
  const feedsBatchNorm = convolutions.length > 0 ? batchNormInputs(facts) : new Map<ObjectV, number>();
  for (const { modules, call } of convolutions) {
    const rank = convolutionRank(modules[0]!);
    // `Conv2d(..., **kwargs)` with a dict the analysis cannot see may set bias=False.
    if (hasSplat(call) && !keywordArg(call, 'bias') && !facts.eventsAt(call).some((e) => e.kind === 'call' && e.args.keywords.has('bias'))) continue;
    if (modules.some((m) => keepsBias(m) && feedsBatchNorm.get(m) === rank)) reports.push(report(call));
  }
  return reports;
});
