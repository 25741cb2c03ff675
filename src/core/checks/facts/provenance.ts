// Walking a value back through the events that produced it (calls, operators, unpacking), as autograd would
// walk the graph: `.detach()`, a helper that detaches, and code under no_grad cut the walk.
import type { Value } from '../../interp/values';
import type { CheckFacts } from './facts';
import type { RecordedCall, RecordedEvent } from './recorder';

const DETACHING = /^(detach|detach_|item|tolist|numpy|data)$/;

/** True when the call returns its input cut from the graph, itself or in a helper it calls. */
export function detaches(facts: CheckFacts, p: RecordedCall): boolean {
  const method = p.expr.fn.k === 'attr' ? p.expr.fn.name : undefined;
  if (method && DETACHING.test(method)) return true;
  if (p.callee.kind !== 'function') return false;
  // A helper (`repackage_hidden(h)`): its own calls between its entry and its return.
  let entry = -1;
  for (const f of facts.framesOf(p.callee)) if (f.callRange === p.expr.r && f.entry < p.seq && f.entry > entry) entry = f.entry;
  if (entry < 0) return false;
  return facts.callsNamed('detach', 'detach_').some((c) => c.seq > entry && c.seq < p.seq && c.expr.fn.k === 'attr' && c.context.functions.some((f) => f.entry === entry));
}

/**
 * Visits the events a value depends on through the graph, nearest first; `visit` returns true to stop
 * the walk below that event. Bounded, and each event is visited once.
 */
export function walkGraph(facts: CheckFacts, start: Value | undefined, visit: (e: RecordedEvent, path: readonly RecordedEvent[]) => boolean, limit = 80): void {
  const seen = new Set<RecordedEvent>();
  const stack: { v: Value; path: readonly RecordedEvent[] }[] = start ? [{ v: start, path: [] }] : [];
  while (stack.length > 0 && seen.size < limit) {
    const { v, path } = stack.pop()!;
    const items = v.kind === 'tuple' || v.kind === 'list' ? v.items : [];
    for (const i of items) stack.push({ v: i, path });
    const p = facts.producerOf(v);
    if (!p || seen.has(p)) continue;
    seen.add(p);
    if (p.kind === 'call' && (detaches(facts, p) || facts.underNoGrad(p))) continue;
    const here = [...path, p];
    if (visit(p, here)) continue;
    const inputs = p.kind === 'call' ? [p.original, ...p.args.positional, ...p.args.keywords.values(), p.receiver] : p.operands;
    for (const i of inputs) if (i && (i.kind === 'tensor' || i.kind === 'unknown' || i.kind === 'tuple' || i.kind === 'list')) stack.push({ v: i, path: here });
  }
}

/** The values an event took as inputs: a call's receiver and arguments (and what a function returned), an operation's operands. */
export function inputsOf(e: RecordedEvent): readonly Value[] {
  if (e.kind === 'op') return e.operands;
  const out: Value[] = [];
  for (const v of [e.original, e.receiver, ...e.args.positional, ...e.args.keywords.values()]) if (v) out.push(v);
  return out;
}

const isData = (v: Value): boolean => v.kind === 'tensor' || v.kind === 'unknown' || v.kind === 'tuple' || v.kind === 'list';

/**
 * Visits the events a value was computed from, nearest first, as data flows (no autograd cuts: a value
 * computed under no_grad or detached was still computed from its inputs). `visit` returns true to stop the
 * walk below that event; `through` limits which inputs of an event are followed. Bounded; each event once.
 */
export function walkValues(
  facts: CheckFacts,
  start: Value | undefined,
  visit: (e: RecordedEvent) => boolean,
  through: (e: RecordedEvent) => readonly Value[] = inputsOf,
  limit = 64,
): void {
  const seen = new Set<RecordedEvent>();
  const joined = new Set<Value>();
  const stack: Value[] = start ? [start] : [];
  while (stack.length > 0 && seen.size < limit) {
    const v = stack.pop()!;
    if (v.kind === 'tuple' || v.kind === 'list') stack.push(...v.items.filter(isData));
    // A value joined after a branch the analysis could not decide stands for each value it may be.
    const alternatives = facts.alternativesOf(v);
    for (const a of alternatives) {
      if (a === v || joined.has(a)) continue;
      joined.add(a);
      stack.push(a);
    }
    const p = facts.producerOf(v);
    if (!p || seen.has(p)) continue;
    seen.add(p);
    if (visit(p)) continue;
    for (const i of through(p)) if (isData(i)) stack.push(i);
  }
}

/** The first event on a value's way back that satisfies `test` (within the walk's bounds), if any. */
export function findUpstream(facts: CheckFacts, start: Value | undefined, test: (e: RecordedEvent) => boolean, through?: (e: RecordedEvent) => readonly Value[]): RecordedEvent | undefined {
  let found: RecordedEvent | undefined;
  walkValues(
    facts,
    start,
    (e) => {
      if (found) return true;
      if (test(e)) found = e;
      return found !== undefined;
    },
    through,
  );
  return found;
}

const returnMemo = new WeakMap<CheckFacts, Map<Value, RecordedCall[]>>();

/**
 * The events that used a value next, in execution order: those taking it as an input, and the calls of
 * functions that returned it (the caller's value is the call's own result).
 */
export function usesOf(facts: CheckFacts, v: Value): readonly RecordedEvent[] {
  let returns = returnMemo.get(facts);
  if (!returns) {
    returns = new Map();
    for (const c of facts.calls) {
      if (!c.original || typeof c.original !== 'object') continue;
      const list = returns.get(c.original);
      if (list) list.push(c);
      else returns.set(c.original, [c]);
    }
    returnMemo.set(facts, returns);
  }
  const back = returns.get(v) ?? [];
  const uses = facts.consumersOf(v);
  return back.length === 0 ? uses : [...new Set([...uses, ...back])].sort((a, b) => a.seq - b.seq);
}
