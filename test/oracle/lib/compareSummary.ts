// Compares the CLI's summary with PyTorch's, field by field, and describes the differences for a human.
import type { CallJson, ShapeJson, SummaryJson } from './summaryJson';

/** The per-call fields compared, in the order they are reported. */
const CALL_FIELDS = ['path', 'type', 'output', 'params', 'macs'] as const satisfies readonly (keyof CallJson)[];
/**
 * Model-level fields compared: the oracle's field and the CLI's. The oracle counts MACs with forward hooks on
 * modules, so its `macs` is the CLI's `macs_modules` (the CLI's `macs` adds functional ops).
 */
const TOTAL_FIELDS = [
  ['output', 'output'],
  ['params', 'params'],
  ['trainable_params', 'trainable_params'],
  ['macs', 'macs_modules'],
] as const satisfies readonly (readonly [keyof SummaryJson, keyof SummaryJson])[];

export interface SummaryDifference {
  /** Short, stable description of what differs (e.g. 'call count', 'total params'). */
  readonly what: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

const show = (value: unknown): string => (value === undefined ? 'missing' : JSON.stringify(value));

function sameValue(expected: unknown, actual: unknown): boolean {
  return JSON.stringify(expected) === JSON.stringify(actual ?? null) && actual !== undefined;
}

export function sameShape(expected: ShapeJson, actual: ShapeJson | undefined): boolean {
  return sameValue(expected, actual);
}

function callDifferences(index: number, expected: CallJson | undefined, actual: CallJson | undefined): SummaryDifference[] {
  if (!expected || !actual) return [{ what: `call #${index}`, expected: expected ?? 'no call', actual: actual ?? 'no call' }];
  return CALL_FIELDS.filter((field) => !sameValue(expected[field], actual[field])).map((field) => ({
    what: `call #${index} (${expected.path || '<root>'}) ${field}`,
    expected: expected[field],
    actual: actual[field],
  }));
}

/**
 * Every model-level difference, then the differences of the first call (in execution order) whose path,
 * type, output shape, params or MACs differ; later calls usually differ only as a consequence.
 */
export function compareSummaries(expected: SummaryJson, actual: SummaryJson): SummaryDifference[] {
  const differences: SummaryDifference[] = [];
  for (const [field, actualField] of TOTAL_FIELDS) {
    // A summary without `macs_modules` (the oracle's own JSON) counts module calls in `macs`; a field that is
    // present stays as it is, null included (an output that is a dict or None).
    const actualValue = actualField in actual ? actual[actualField] : actualField === 'macs_modules' ? actual.macs : undefined;
    if (!sameValue(expected[field], actualValue)) differences.push({ what: `total ${field}`, expected: expected[field], actual: actualValue });
  }
  const actualCalls = callsOf(actual);
  if (expected.calls.length !== actualCalls.length) {
    differences.push({ what: 'call count', expected: expected.calls.length, actual: actualCalls.length });
  }
  const longest = Math.max(expected.calls.length, actualCalls.length);
  for (let i = 0; i < longest; i++) {
    const found = callDifferences(i, expected.calls[i], actualCalls[i]);
    if (found.length > 0) return [...differences, ...found];
  }
  return differences;
}

const callsOf = (summary: SummaryJson): readonly CallJson[] => (Array.isArray(summary.calls) ? summary.calls : []);

/** How many calls, position by position, differ in any compared field. */
export function countDifferingCalls(expected: SummaryJson, actual: SummaryJson): number {
  const actualCalls = callsOf(actual);
  let count = 0;
  for (let i = 0; i < Math.max(expected.calls.length, actualCalls.length); i++) {
    if (callDifferences(i, expected.calls[i], actualCalls[i]).length > 0) count++;
  }
  return count;
}

/** A readable report: one difference per line, how many calls differ, and the CLI's first unknowns. */
export function formatDifferences(name: string, expected: SummaryJson, actual: SummaryJson): string {
  const differences = compareSummaries(expected, actual);
  const lines = differences.map((d) => `  ${d.what}: PyTorch ${show(d.expected)}, ml-notes ${show(d.actual)}`);
  const total = Math.max(expected.calls.length, callsOf(actual).length);
  const counted = `  ${countDifferingCalls(expected, actual)} of ${total} calls differ`;
  const unknowns = (actual.unknown ?? []).slice(0, 8).map((u) => `  unknown at line ${u.line}: ${u.reason}`);
  return [`${name}: ml-notes summary differs from PyTorch`, ...lines, counted, ...unknowns].join('\n');
}
