// What the code a model runs produced, statement by statement and call by call, as plain data: the
// values of assignments, returns and loops in forward code, every call of a module that holds other
// modules (a Sequential, a block), every functional op and tensor method, and which call consumed each
// layer's output. The editor's hints and hovers and `ml-notes annotate` read only this.
import * as dims from '../dims/dims';
import type { Range } from '../values';
import type { Assumption, CallRecord, OpRecord } from '../interp/torch';
import type { LoopIterationRecord, StatementRecord } from '../interp/interpreter';
import type { ObjectV, Value } from '../interp/values';

/** A value as the editor shows it: a tensor's shape, a tuple of values, or unknown with its reason. */
export type ValueShape =
  | { readonly kind: 'tensor'; readonly shape: readonly (number | string)[] | null; readonly dtype: string }
  | { readonly kind: 'tuple' | 'list'; readonly items: readonly ValueShape[] }
  | { readonly kind: 'unknown'; readonly reason: string }
  | { readonly kind: 'none' }
  | { readonly kind: 'scalar'; readonly text: string }
  | { readonly kind: 'other'; readonly text: string };

/** Where a value computed past a shape error comes from (1-based line). */
export interface AssumedReport {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface StatementReport {
  readonly file: string;
  readonly range: Range;
  readonly kind: StatementRecord['kind'];
  readonly value: ValueShape;
  /** Which run of its function it belongs to: statements of one call share it. */
  readonly frame: number;
  readonly assumed?: AssumedReport;
}

/** One `for` loop of forward code: the carried variables' values after each iteration. */
export interface LoopReport {
  readonly file: string;
  readonly range: Range;
  readonly iterations: readonly (readonly { readonly name: string; readonly value: ValueShape }[])[];
  readonly assumed?: AssumedReport;
}

/** One call of a functional op or tensor method. */
export interface OpReport {
  /** The catalogue entry: 'torch.nn.functional.softmax', 'Tensor.view', 'Tensor.__add__'. */
  readonly name: string;
  readonly file: string;
  readonly callRange: Range;
  readonly inputs: readonly ValueShape[];
  /** Keyword arguments that are plain values (`dim=-1`), as text. */
  readonly keywords: Readonly<Record<string, string>>;
  readonly output: ValueShape;
  /** Multiply-adds of the call (1 MAC = one multiply-add); null when they cannot be known. */
  readonly macs: number | string | null;
  /** The path of the module whose forward made the call ('' for the model itself); absent outside any module. */
  readonly module?: string;
  readonly onlyIf?: string;
  readonly error?: string;
  readonly assumed?: AssumedReport;
}

const MAX_ITEMS = 16;

export function assumedReport(a: Assumption | undefined): AssumedReport | undefined {
  return a ? { file: a.file, line: a.range.start.line + 1, message: a.message } : undefined;
}

/** The editor's view of an interpreter value. */
export function valueShape(v: Value | undefined): ValueShape {
  if (!v) return { kind: 'unknown', reason: 'no value' };
  switch (v.kind) {
    case 'tensor':
      return { kind: 'tensor', shape: v.shape ? v.shape.map(dims.dimToJson) : null, dtype: v.dtype };
    case 'tuple':
    case 'list':
      return { kind: v.kind, items: v.items.slice(0, MAX_ITEMS).map(valueShape) };
    case 'unknown':
      return { kind: 'unknown', reason: v.reason };
    case 'none':
      return { kind: 'none' };
    case 'int':
      return { kind: 'scalar', text: String(dims.dimToJson(v.value)) };
    case 'float':
      return { kind: 'scalar', text: String(v.value) };
    case 'bool':
      return { kind: 'scalar', text: v.value ? 'True' : 'False' };
    case 'str':
      return { kind: 'scalar', text: JSON.stringify(v.value.slice(0, 40)) };
    case 'object':
      return { kind: 'other', text: `${v.cls.name} object` };
    default:
      return { kind: 'other', text: v.kind };
  }
}

/** True when a value holds a tensor somewhere (a tensor, or a tuple/list with one). */
export function holdsTensor(v: ValueShape): boolean {
  if (v.kind === 'tensor') return true;
  if (v.kind === 'tuple' || v.kind === 'list') return v.items.some(holdsTensor);
  return false;
}

export function statementReports(records: readonly StatementRecord[], assumptionOf: (v: Value) => Assumption | undefined): StatementReport[] {
  return records.map((r) => {
    const assumed = assumedReport(assumptionOf(r.value));
    return { file: r.file, range: r.range, kind: r.kind, value: valueShape(r.value), frame: r.frame, ...(assumed ? { assumed } : {}) };
  });
}

/** Iterations grouped per loop statement, in the order loops first ran. */
export function loopReports(records: readonly LoopIterationRecord[], assumptionOf: (v: Value) => Assumption | undefined): LoopReport[] {
  const byLoop = new Map<string, { file: string; range: Range; iterations: { name: string; value: ValueShape }[][]; assumed?: AssumedReport }>();
  for (const r of records) {
    const key = `${r.file}:${r.range.start.line}:${r.range.start.character}`;
    const loop = byLoop.get(key) ?? { file: r.file, range: r.range, iterations: [] };
    byLoop.set(key, loop);
    loop.iterations.push(r.values.map(({ name, value }) => ({ name, value: valueShape(value) })));
    if (!loop.assumed) {
      const found = r.values.map((x) => assumptionOf(x.value)).find((a) => a !== undefined);
      if (found) loop.assumed = assumedReport(found);
    }
  }
  return [...byLoop.values()].map((l) => ({ file: l.file, range: l.range, iterations: l.iterations, ...(l.assumed ? { assumed: l.assumed } : {}) }));
}

function scalarText(v: Value): string | undefined {
  if (v.kind === 'int') return String(dims.dimToJson(v.value));
  if (v.kind === 'float') return String(v.value);
  if (v.kind === 'bool') return v.value ? 'True' : 'False';
  if (v.kind === 'str') return JSON.stringify(v.value);
  if (v.kind === 'none') return 'None';
  return undefined;
}

export function opReports(records: readonly OpRecord[], assumptionOf: (v: Value) => Assumption | undefined, pathOf: (m: ObjectV) => string | undefined = () => undefined): OpReport[] {
  return records.map((r) => {
    const keywords: Record<string, string> = {};
    for (const [k, v] of r.keywords) {
      const text = scalarText(v);
      if (text !== undefined) keywords[k] = text;
    }
    const assumed = assumedReport(assumptionOf(r.output));
    return {
      name: r.name,
      file: r.file,
      callRange: r.range,
      inputs: r.inputs.slice(0, MAX_ITEMS).map(valueShape),
      keywords,
      output: valueShape(r.output),
      macs: r.macs === null ? null : dims.dimToJson(r.macs),
      ...(r.module && pathOf(r.module) !== undefined ? { module: pathOf(r.module)! } : {}),
      ...(r.onlyIf !== undefined ? { onlyIf: r.onlyIf } : {}),
      ...(r.error ? { error: r.error } : {}),
      ...(assumed ? { assumed } : {}),
    };
  });
}

/** How many consumers deep `consumersOf` follows a layer's output. */
const CONSUMER_DEPTH = 4;

/**
 * For each module call, the chain of calls that consumed its output, first consumer first: a call's
 * output goes to the next call (module or op) that takes that very tensor as an argument, whose output
 * goes on in turn (`conv1 → BatchNorm2d → ReLU`, `fc1 → torch.nn.functional.relu`). Names are module
 * types and op catalogue names.
 */
export function consumersOf(calls: readonly CallRecord[], ops: readonly OpRecord[], typeOf: (r: CallRecord) => string): Map<CallRecord, string[]> {
  type Event = { seq: number; name: string; inputs: readonly Value[]; output: Value };
  // Built with loops (calls first, then ops, as the stable sort expects): the spreads and filter-then-map copies
  // were most of this function's allocation, once per summary.
  const events: Event[] = [];
  for (const c of calls) if (c.atomic) events.push({ seq: c.seq, name: typeOf(c), inputs: c.inputs, output: c.output });
  for (const o of ops) events.push({ seq: o.seq, name: o.name, inputs: o.keywords.size === 0 ? o.inputs : [...o.inputs, ...o.keywords.values()], output: o.output });
  events.sort((a, b) => a.seq - b.seq);
  // The events that take each tensor, in execution order.
  const takers = new Map<Value, Event[]>();
  for (const e of events) {
    for (const input of e.inputs) {
      if (input.kind !== 'tensor') continue;
      const list = takers.get(input) ?? [];
      list.push(e);
      takers.set(input, list);
    }
  }
  const out = new Map<CallRecord, string[]>();
  for (const c of calls) {
    if (!c.atomic) continue;
    const chain: string[] = [];
    let value: Value = c.output;
    let after = c.seq;
    for (let depth = 0; depth < CONSUMER_DEPTH && value.kind === 'tensor'; depth++) {
      const next = takers.get(value)?.find((e) => e.seq > after);
      if (!next) break;
      chain.push(next.name);
      value = next.output;
      after = next.seq;
    }
    if (chain.length > 0) out.set(c, chain);
  }
  return out;
}
