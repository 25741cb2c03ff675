// CC-08: an evaluation loop (as CC-06 finds it) whose model calls run with autograd on: no no_grad() /
// inference_mode() around them, here or in any caller, and no such decorator.
import { defineRule } from '../rule';
import { fix, wrapStatement } from '../fixes';
import type { RuleReport } from '../types';
import { evaluationRuns } from '../facts/training';
import { exprText } from '../facts/labels';

export const cc08 = defineRule('CC-08', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = [];
  const seen = new Set<unknown>();
  for (const run of evaluationRuns(facts)) {
    if (run.call.file !== context.path || seen.has(run.call.expr) || facts.underNoGrad(run.call)) continue;
    seen.add(run.call.expr);
    const name = exprText(context, run.call.expr.fn, 'model');
    const loop = run.loop?.stmt;
    reports.push({
      message: `This evaluation ${run.loop ? 'loop ' : ''}runs ${name}(...) with autograd on, building graphs that are never used (memory and time). Wrap it in torch.no_grad().`,
      range: run.call.expr.r,
      ...(loop && (loop.k === 'for' || loop.k === 'while') && run.loop?.file === context.path ? { fixes: [fix('Wrap the loop in with torch.no_grad():', ...wrapStatement(context.source, loop, 'with torch.no_grad():'))] } : {}),
    });
  }
  return reports;
});
