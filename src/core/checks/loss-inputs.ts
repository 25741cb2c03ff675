// Walks every loss call of a file with the activation that produced its first input.
import type { RuleContext } from './types';
import type { CallExpr } from '../python/syntax';
import { argument } from '../python/syntax';
import type { LossKind, Producer } from './losses';
import { lossKindOfCall, producerOf } from './losses';
import { locatedCalls, scopesOf } from './training';
import type { Expr } from '../python/ast';

export interface LossInput {
  readonly loss: CallExpr;
  readonly kind: LossKind;
  readonly input: Expr;
  readonly producer: Producer;
}

export function lossInputs(context: RuleContext): LossInput[] {
  const out: LossInput[] = [];
  for (const scope of scopesOf(context)) {
    for (const { call } of locatedCalls(scope.body)) {
      const kind = lossKindOfCall(call, scope);
      if (!kind) continue;
      const input = argument(call, 0, 'input');
      const producer = input ? producerOf(input, scope, context.classes) : undefined;
      if (input && producer) out.push({ loss: call, kind, input, producer });
    }
  }
  return out;
}

/** The text of a range minus the activation: the quick fix that passes the activation's input on. */
export const describeProducer = (p: Producer): string => (p.via ? ` (the last layer of ${p.via})` : '');
