// CC-04: a loss tensor (one that backward() is called on) appended to a list or summed into a running
// total, which keeps every batch's autograd graph alive.
import type { Expr } from '../../python/ast';
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { calledName, dottedName, identifiersIn, positionalArgs, receiverOf } from '../../python/syntax';
import type { RuleReport } from '../types';
import { innermostLoop, isBackwardCall, locatedCalls, scopesOf } from '../training';
import { walkStmts } from '../../python/syntax';

export const cc04 = defineRule('CC-04', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    const calls = locatedCalls(scope.body);
    const backwardNames = new Set<string>();
    const backwardMentions = new Set<string>();
    for (const c of calls) {
      if (!isBackwardCall(c.call)) continue;
      const receiver = receiverOf(c.call);
      if (receiver?.k === 'name') {
        backwardNames.add(receiver.id);
        for (const id of identifiersIn(scope.flow.resolve(receiver))) backwardMentions.add(id);
      }
      if (receiver) for (const id of identifiersIn(receiver)) backwardMentions.add(id);
    }
    if (backwardNames.size === 0) continue;
    const report = (value: Expr, into: string): void => {
      if (value.k !== 'name' || !backwardNames.has(value.id) || backwardMentions.has(into)) return;
      reports.push({
        message: `'${value.id}' is a loss tensor with its autograd graph; keeping it in '${into}' keeps every batch's graph alive. Use ${value.id}.item().`,
        range: value.r,
        fixes: [fix(`Use ${value.id}.item()`, replace(value.r, `${value.id}.item()`))],
      });
    };
    for (const c of calls) {
      if (calledName(c.call) !== 'append' || !innermostLoop(c.ancestors)) continue;
      const list = dottedName(receiverOf(c.call));
      const value = positionalArgs(c.call)[0];
      if (list && value) report(value, list);
    }
    walkStmts(scope.body, (s, ancestors) => {
      if (s.k !== 'aug' || s.op !== '+' || !innermostLoop(ancestors)) return;
      const target = dottedName(s.target);
      if (target && !backwardNames.has(target)) report(s.value, target);
    });
  }
  return reports;
});
