// Questions about what a recorded value was computed from and what used it, asked in terms of what the
// ops compute (the catalogue's `opComputes`): noise drawn at random, a cumulative product, a square root,
// an exponential, a reduction. They read the evaluation's values, so a variable, a helper function or an
// argument the analysis cannot know does not hide the op that made a value.
import type { Expr } from '../../python/ast';
import type { Value } from '../../interp/values';
import type { Computation } from '../../frameworks/torch/computes';
import { opComputes } from '../../frameworks/torch/computes';
import type { CheckFacts } from './facts';
import { inOrder } from './facts';
import type { RecordedCall, RecordedEvent, RecordedOperation } from './recorder';
import { findUpstream, walkValues } from './provenance';

/** What a call computes: a torch function (`torch.sqrt`), or a method on a tensor or unknown value (`x.sqrt()`). */
export function computes(facts: CheckFacts, e: RecordedEvent): Computation | undefined {
  if (e.kind !== 'call') return undefined;
  if (e.callee.kind === 'builtin') return opComputes(e.callee.name);
  if (e.expr.fn.k !== 'attr' || (e.receiver?.kind !== 'tensor' && e.receiver?.kind !== 'unknown')) return undefined;
  if (e.callee.kind === 'function' || e.callee.kind === 'class' || facts.isModule(e.callee)) return undefined;
  return opComputes(e.expr.fn.name);
}

/**
 * The calls that compute `what`, in execution order: `computes` reads the builtin's name or the method's, so
 * only calls of builtins or of methods named for it are asked.
 */
export function callsComputing(facts: CheckFacts, what: Computation): RecordedCall[] {
  const named = (name: string): boolean => opComputes(name) === what;
  return inOrder([facts.builtinCalls(named), facts.callsNamedBy(named)]).filter((e) => computes(facts, e) === what);
}

/** The tensor a call computes on: a method's receiver, else its first argument. */
export function operandOf(e: RecordedCall): Value | undefined {
  const onTensor = e.expr.fn.k === 'attr' && (e.receiver?.kind === 'tensor' || e.receiver?.kind === 'unknown');
  return onTensor ? e.receiver : e.args.positional[0];
}

/** A known number (an int or float value), else undefined. */
export function numberOf(v: Value | undefined): number | undefined {
  if (v?.kind === 'float') return v.value;
  if (v?.kind === 'int' && typeof v.value === 'number') return v.value;
  if (v?.kind === 'bool') return v.value ? 1 : 0;
  return undefined;
}

/** The event as one of these operations (not a type guard: a `false` says nothing of the other operators). */
export const asOperation = (e: RecordedEvent | undefined, ...ops: string[]): RecordedOperation | undefined => (e?.kind === 'op' && ops.includes(e.op) ? e : undefined);

export const isOperation = (e: RecordedEvent | undefined, ...ops: string[]): e is RecordedOperation => e?.kind === 'op' && ops.includes(e.op);

/** The event that computed `v` when it is one of these computations (through dtype conversions). */
export function computedBy(facts: CheckFacts, v: Value | undefined, ...what: Computation[]): RecordedCall | undefined {
  let current = v;
  for (let hop = 0; hop < 4 && current; hop++) {
    const p = facts.producerOf(current);
    if (p?.kind !== 'call') return undefined;
    const c = computes(facts, p);
    if (c && what.includes(c)) return p;
    if (c !== 'conversion') return undefined;
    current = operandOf(p);
  }
  return undefined;
}

/** True when a value was computed, at some step back, by one of these computations (bounded walk). */
export function computedFrom(facts: CheckFacts, v: Value | undefined, what: readonly Computation[], stop?: (e: RecordedEvent) => boolean): boolean {
  return findUpstream(facts, v, (e) => !(stop?.(e) ?? false) && what.includes(computes(facts, e) as Computation), stopAt(stop)) !== undefined;
}

/** The inputs a walk follows past an event, none past a stopping one. */
function stopAt(stop: ((e: RecordedEvent) => boolean) | undefined): ((e: RecordedEvent) => readonly Value[]) | undefined {
  if (!stop) return undefined;
  return (e) => (stop(e) ? [] : e.kind === 'op' ? e.operands : [e.original, e.receiver, ...e.args.positional, ...e.args.keywords.values()].filter((x): x is Value => x !== undefined));
}

/** A square root on the way back to `v` (sqrt/rsqrt, `** 0.5`, `** -0.5`), not looking past events `stop` accepts. */
export function rootedOnTheWay(facts: CheckFacts, v: Value | undefined, stop?: (e: RecordedEvent) => boolean): boolean {
  let rooted = false;
  walkValues(
    facts,
    v,
    (e) => {
      if (rooted || stop?.(e)) return true;
      if (computes(facts, e) === 'square-root') rooted = true;
      else if (isOperation(e, '**', '**=')) {
        const exponent = numberOf(e.operands[1]);
        if (exponent === undefined || Math.abs(Math.abs(exponent) - 0.5) < 1e-12) rooted = true;
      } else if (e.kind === 'call' && computes(facts, e) === 'power') {
        const exponent = numberOf(e.args.positional.at(-1));
        if (exponent === undefined || Math.abs(Math.abs(exponent) - 0.5) < 1e-12) rooted = true;
      }
      return rooted;
    },
    stopAt(stop),
  );
  return rooted;
}

/** The event that computed a value, looking through the calls of functions that returned it (`return 1 - e`). */
export function computingEvent(facts: CheckFacts, v: Value | undefined): RecordedEvent | undefined {
  let p = facts.producerOf(v);
  for (let hop = 0; hop < 4 && p?.kind === 'call' && p.callee.kind === 'function' && p.original; hop++) p = facts.producerOf(p.original) ?? p;
  return p;
}

/** The factors of a product as the evaluation computed it (`a * b * c`, through variables), with the `*` events. */
export function factorsOf(facts: CheckFacts, v: Value, depth = 0): Value[] {
  const p = computingEvent(facts, v);
  if (depth > 6 || !isOperation(p, '*')) return [v];
  return p.operands.flatMap((o) => factorsOf(facts, o, depth + 1));
}

/** The expression a factor was written as in the product that took it (`eps` of `(1 - ab) * eps`), through the `*` chain. */
export function writtenAs(facts: CheckFacts, product: Value, factor: Value, depth = 0): Expr | undefined {
  const p = computingEvent(facts, product);
  if (depth > 6 || !isOperation(p, '*') || p.expr.k !== 'bin') return undefined;
  if (p.operands[0] === factor) return p.expr.left;
  if (p.operands[1] === factor) return p.expr.right;
  return writtenAs(facts, p.operands[0]!, factor, depth + 1) ?? writtenAs(facts, p.operands[1]!, factor, depth + 1);
}
