// CC-23: a rotary embedding applied to v, or to only one of q / k, in the same function.
import { defineRule } from '../rule';
import { calledName, identifiersIn, positionalArgs } from '../../python/syntax';
import type { CallExpr } from '../../python/syntax';
import { locatedCalls, scopesOf } from '../training';
import type { RuleReport } from '../types';

const ROTARY = /^(apply_rotary\w*|apply_rope|rope|rotate_half)$/;
const ROLE_NAMES: Readonly<Record<string, 'q' | 'k' | 'v'>> = { q: 'q', query: 'q', queries: 'q', xq: 'q', k: 'k', key: 'k', keys: 'k', xk: 'k', v: 'v', value: 'v', values: 'v', xv: 'v' };

/** Which of q, k, v a rotary call's tensor arguments name. */
function rolesOf(call: CallExpr): Set<'q' | 'k' | 'v'> {
  const roles = new Set<'q' | 'k' | 'v'>();
  for (const arg of positionalArgs(call)) {
    const ids = arg.k === 'name' ? [arg.id] : identifiersIn(arg).slice(0, 1);
    for (const id of ids) {
      const role = ROLE_NAMES[id.toLowerCase()];
      if (role) roles.add(role);
    }
  }
  return roles;
}

export const cc23 = defineRule('CC-23', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    if (!scope.def || ROTARY.test(scope.def.name)) continue;
    const rotary = locatedCalls(scope.body).filter((c) => ROTARY.test(calledName(c.call) ?? ''));
    if (rotary.length === 0) continue;
    const rotated = new Set<'q' | 'k' | 'v'>();
    for (const { call } of rotary) {
      const roles = rolesOf(call);
      for (const r of roles) rotated.add(r);
      if (roles.has('v')) {
        reports.push({
          message: 'The rotary embedding is applied to v: only q and k are rotated (their dot product then depends on the relative position); v is never rotated.',
          range: call.r,
        });
      }
    }
    const onlyOne = rotated.has('q') !== rotated.has('k');
    if (onlyOne) {
      const first = rotary.find((c) => rolesOf(c.call).size > 0)!;
      reports.push({
        message: `The rotary embedding is applied to ${rotated.has('q') ? 'q' : 'k'} only: the relative-position property needs q and k rotated with the same positions.`,
        range: first.call.r,
      });
    }
  }
  return reports;
});
