// CC-45: F.kl_div / nn.KLDivLoss with reduction='mean' (the default): it divides by the element count. The
// reduction is the evaluation's value (a literal, a variable, a config value); legacy size_average/reduce
// arguments and a reduction the analysis cannot read decide nothing.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import type { CallExpr } from '../../python/syntax';
import type { RuleReport, QuickFix } from '../types';
import type { Value } from '../../interp/values';
import { layersBuiltHere } from '../facts/layers';

function batchmeanFix(call: CallExpr): QuickFix {
  const reduction = call.args.find((a) => a.kind === 'kw' && a.name === 'reduction')?.value;
  if (reduction) return fix("Use reduction='batchmean'", replace(reduction.r, "'batchmean'"));
  const last = call.args[call.args.length - 1];
  if (last) return fix("Use reduction='batchmean'", replace({ start: last.value.r.end, end: last.value.r.end }, ", reduction='batchmean'"));
  return fix("Use reduction='batchmean'", replace({ start: call.fn.r.end, end: call.r.end }, "(reduction='batchmean')"));
}

/** 'mean' when the reduction is the default or the string 'mean'; legacy flags or unreadable values: undefined. */
function meanReduction(reduction: Value | undefined, legacy: boolean): 'default' | 'mean' | undefined {
  if (legacy) return undefined;
  if (!reduction || reduction.kind === 'none') return 'default';
  return reduction.kind === 'str' && reduction.value === 'mean' ? 'mean' : undefined;
}

export const cc45 = defineRule('CC-45', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const seen = new Set<unknown>();
  const report = (call: CallExpr, functional: boolean, how: 'default' | 'mean'): void => {
    if (seen.has(call)) return;
    seen.add(call);
    reports.push({
      message: `${functional ? 'kl_div' : 'KLDivLoss'} with reduction='mean'${how === 'default' ? ' (the default)' : ''} divides the sum by the number of elements, not the batch size, so the value is not the KL per sample. Use reduction='batchmean'.`,
      range: call.r,
      fixes: [batchmeanFix(call)],
    });
  };
  for (const c of facts.builtinCalls(/(^|\.)kl_div$/)) {
    if (c.file !== context.path) continue;
    // kl_div(input, target, size_average, reduce, reduction, log_target).
    const legacy = c.args.positional.length > 2 || c.args.keywords.has('size_average') || c.args.keywords.has('reduce');
    const how = meanReduction(c.args.keywords.get('reduction'), legacy);
    if (how) report(c.expr, true, how);
  }
  for (const { module, call } of layersBuiltHere(facts, /^KLDivLoss$/)) {
    const args = module.module?.ctorArgs;
    const legacy = [args?.get('size_average'), args?.get('reduce')].some((v) => v !== undefined && v.kind !== 'none');
    const explicit = call.args.some((a) => a.kind === 'kw' && a.name === 'reduction') || call.args.filter((a) => a.kind === 'pos').length > 2;
    const how = meanReduction(args?.get('reduction'), legacy);
    if (how) report(call, false, explicit ? 'mean' : 'default');
  }
  return reports.sort((a, b) => a.range.start.line - b.range.start.line);
});
