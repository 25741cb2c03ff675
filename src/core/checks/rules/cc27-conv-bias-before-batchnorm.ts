// CC-27: a ConvNd with its default bias immediately followed by the matching BatchNormNd, in a
// Sequential/list of layers or in forward's data flow. BN subtracts the channel mean, cancelling the bias.
import type { Expr } from '../../python/ast';
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { consumerOf, torchClassOfCall } from '../models';
import type { CallExpr } from '../../python/syntax';
import { hasSplat, isCall, isSelfAttr, keywordArg, walkBodyExprs } from '../../python/syntax';
import { scopesOf } from '../training';
import type { Scope } from '../training';
import type { RuleContext, RuleReport } from '../types';

/** The conv constructor call when it keeps a bias: no bias= (default True) or bias=True, no **kwargs. */
function biasedConv(e: Expr | undefined): { call: CallExpr; rank: string } | undefined {
  if (!isCall(e) || hasSplat(e)) return undefined;
  const match = /^Conv([123])d$/.exec(torchClassOfCall(e) ?? '');
  if (!match) return undefined;
  const bias = keywordArg(e, 'bias');
  if (bias && !(bias.k === 'const' && bias.value === 'True')) return undefined;
  return { call: e, rank: match[1]! };
}

const isBatchNorm = (e: Expr | undefined, rank: string): boolean => isCall(e) && torchClassOfCall(e) === `BatchNorm${rank}d`;

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

/** Conv → BN pairs among consecutive items of a Sequential, list or tuple of layers. */
function fromLayerLists(scope: Scope, seen: Set<CallExpr>, out: RuleReport[]): void {
  walkBodyExprs(scope.body, (e) => {
    const items = e.k === 'list' || e.k === 'tuple' ? e.items : isCall(e) && torchClassOfCall(e) === 'Sequential' ? e.args.map((a) => a.value) : [];
    for (let i = 0; i + 1 < items.length; i++) {
      const conv = biasedConv(scope.resolve(items[i]!));
      if (conv && isBatchNorm(scope.resolve(items[i + 1]!), conv.rank) && !seen.has(conv.call)) {
        seen.add(conv.call);
        out.push(report(conv.call));
      }
    }
  });
}

/** `self.bn(self.conv(x))` or `x = self.conv(x); x = self.bn(x)` in forward. */
function fromForward(context: RuleContext, seen: Set<CallExpr>, out: RuleReport[]): void {
  for (const info of context.classes.classes) {
    const forward = info.forward;
    const flow = info.forwardFlow;
    if (!forward || !flow) continue;
    walkBodyExprs(forward.body, (e) => {
      if (!isCall(e) || !isSelfAttr(e.fn)) return;
      const conv = biasedConv(info.attributes.get(e.fn.name));
      if (!conv || seen.has(conv.call)) return;
      const consumer = consumerOf(e, forward, context.classes, flow);
      if (consumer && isSelfAttr(consumer.fn) && isBatchNorm(info.attributes.get(consumer.fn.name), conv.rank)) {
        seen.add(conv.call);
        out.push(report(conv.call));
      }
    });
  }
}

export const cc27 = defineRule('CC-27', (context) => {
  const reports: RuleReport[] = [];
  const seen = new Set<CallExpr>();
  for (const scope of scopesOf(context)) fromLayerLists(scope, seen, reports);
  fromForward(context, seen, reports);
  return reports;
});
