// CC-33: a dropout layer built with p ≥ 0.8 (a literal, a config value, a command-line argument's default),
// or with p given by a name like keep_prob: PyTorch's p is the drop probability.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { argument, dottedName, lastPart } from '../../python/syntax';
import type { RuleReport } from '../types';
import { ctorArg, layersBuiltHere } from '../facts/layers';
import { isDropout } from '../facts/models';
import { numberOf } from '../facts/optimizers';

const HIGH_DROP = 0.8;
const KEEP_NAME = /keep/i;

export const cc33 = defineRule('CC-33', (context) => {
  const reports: RuleReport[] = [];
  for (const { module, layer, call } of layersBuiltHere(context.facts(), isDropout)) {
    const p = argument(call, 0, 'p');
    if (!p) continue;
    const drop = numberOf(ctorArg(module, 'p'));
    const name = dottedName(p);
    if (drop && drop.value >= HIGH_DROP && drop.value < 1) {
      const value = drop.value;
      const keep = Number((1 - value).toFixed(6));
      const literal = p.k === 'num';
      reports.push({
        message: `${layer}(p=${value}${literal ? '' : drop.likely ? ', the default of a command-line argument' : ` from ${context.source.textOf(p.r)}`}) drops ${Math.round(value * 100)}% of the units: PyTorch's p is the drop probability, not the keep probability. If you meant to keep ${Math.round(value * 100)}%, use p=${keep}.`,
        range: p.r,
        fixes: [fix(literal ? `Use p=${keep}` : `Use 1 - ${context.source.textOf(p.r)}`, replace(p.r, literal ? String(keep) : `1 - ${name ?? `(${context.source.textOf(p.r)})`}`))],
      });
    } else if (name && KEEP_NAME.test(lastPart(name))) {
      reports.push({
        message: `${layer}(p=${name}): PyTorch's p is the drop probability, but this looks like a keep probability. Use p = 1 - ${name}.`,
        range: p.r,
        fixes: [fix(`Use 1 - ${name}`, replace(p.r, `1 - ${name}`))],
      });
    }
  }
  return reports;
});
