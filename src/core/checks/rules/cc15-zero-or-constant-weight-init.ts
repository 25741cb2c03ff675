// CC-15: zeros_/constant_/ones_/fill_ on the weight of a hidden Linear/Conv (biases and norm layers excluded):
// one followed by an activation, a layer or a norm, wherever the call sits (a `self.modules()` loop, a
// helper) and whichever layer the evaluation says it set.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import type { RuleReport } from '../types';
import { layerLabel, weightInits } from '../facts/inits';
import type { InitFact } from '../facts/inits';
import { initCallText } from '../init-text';

const CONSTANT_INITS = new Set(['zeros_', 'ones_', 'constant_', 'fill_', 'zero_']);
/** Gates and attention weights (sigmoid/softmax after a zero layer) are a deliberate neutral start. */
const GATING = new Set(['sigmoid', 'softmax']);

/**
 * Hidden: its output continues into a (non-gating) activation, another weighted layer, or a norm layer (a
 * zero conv before BatchNorm gives the norm a constant input: every unit of the layer stays identical).
 */
const isHidden = (f: InitFact): boolean => f.next.kind === 'layer' || f.next.kind === 'norm' || (f.next.kind === 'activation' && !GATING.has(f.next.activation));

export const cc15 = defineRule('CC-15', (context) => {
  const reports: RuleReport[] = [];
  const bySite = new Map<string, InitFact[]>();
  for (const f of weightInits(context.facts())) {
    if (!CONSTANT_INITS.has(f.fn) || !f.final) continue;
    const key = `${f.call.expr.r.start.line}:${f.call.expr.r.start.character}`;
    bySite.set(key, [...(bySite.get(key) ?? []), f]);
  }
  for (const facts of bySite.values()) {
    // A residual branch's last layer (output added to the skip) is the deliberate zero-init trick: info.
    const hidden = facts.filter(isHidden);
    const residual = facts.filter((f) => f.next.kind === 'residual-add');
    if (hidden.length === 0 && residual.length === 0) continue;
    const call = facts[0]!.call;
    const text = initCallText(context, call);
    const what = [...new Set((hidden.length > 0 ? hidden : residual).map((f) => layerLabel(context.facts(), f).label))].join(', ');
    reports.push({
      message:
        hidden.length > 0
          ? `Constant init of the weight of ${what}: with zero weights no gradient flows back past the layer, and constant weights keep every unit identical forever. Use a random (He/Xavier) init.`
          : `Zero init of ${what}, the last layer of a residual branch: a deliberate trick (the block starts as the identity); make sure it is intended.`,
      range: call.expr.r,
      ...(hidden.length === 0 ? { severity: 'info' as const } : {}),
      ...(text.prefix ? { fixes: [fix(`Use ${text.prefix}.kaiming_normal_ (He init)`, replace(call.expr.r, `${text.prefix}.kaiming_normal_(${text.weight}, nonlinearity='relu')`))] } : {}),
    });
  }
  return reports;
});
