// Constant integer arguments: literals, or names assigned a literal once in the function or module.
import type { Expr } from '../python/ast';
import { numberValue } from '../python/syntax';
import type { Scope } from './training';

export function constantInt(e: Expr | undefined, scope: Scope): number | undefined {
  if (!e) return undefined;
  const value = numberValue(scope.resolve(e));
  return value !== undefined && Number.isInteger(value) ? value : undefined;
}

/** The largest divisor of n that is ≤ limit (at least 1). */
export function largestDivisorAtMost(n: number, limit: number): number {
  for (let d = Math.min(n, limit); d >= 1; d--) if (n % d === 0) return d;
  return 1;
}
