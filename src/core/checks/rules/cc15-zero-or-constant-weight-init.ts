// CC-15: zeros_/constant_/ones_/fill_ on the weight of a hidden Linear/Conv (biases and norm layers excluded).
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { initCalls } from '../inits';
import type { RuleReport } from '../types';

const GATING = new Set(['sigmoid', 'softmax', 'log_softmax']);
const CONSTANT_INITS = new Set(['zeros_', 'ones_', 'constant_', 'fill_', 'zero_']);

export const cc15 = defineRule('CC-15', (context) => {
  const reports: RuleReport[] = [];
  for (const c of initCalls(context)) {
    if (!CONSTANT_INITS.has(c.fn)) continue;
    // Hidden layers: their output continues into an activation or another call. A residual branch's last
    // layer (output added to the skip) is the deliberate zero-init trick: info. Output layers are fine.
    // Gates and attention weights (sigmoid/softmax after a zero layer) are a deliberate neutral start: not counted.
    const hidden = c.layers.filter((l) => l.next === 'call' || (l.next === 'activation' && !GATING.has(l.activation ?? '')));
    const residual = c.layers.filter((l) => l.next === 'residual-add');
    if (hidden.length === 0 && residual.length === 0) continue;
    const layers = hidden.length > 0 ? hidden : residual;
    const fixes = c.prefix !== '' ? [fix(`Use ${c.prefix}.kaiming_normal_ (He init)`, replace(c.call.r, `${c.prefix}.kaiming_normal_(${context.source.textOf(c.weight.r)}, nonlinearity='relu')`))] : [];
    reports.push({
      message:
        hidden.length > 0
          ? `Constant init of the weight of ${layers.map((l) => l.label).join(', ')}: with zero weights no gradient flows back past the layer, and constant weights keep every unit identical forever. Use a random (He/Xavier) init.`
          : `Zero init of ${layers.map((l) => l.label).join(', ')}, the last layer of a residual branch: a deliberate trick (the block starts as the identity); make sure it is intended.`,
      range: c.call.r,
      ...(hidden.length === 0 ? { severity: 'info' as const } : {}),
      ...(fixes.length > 0 ? { fixes } : {}),
    });
  }
  return reports;
});
