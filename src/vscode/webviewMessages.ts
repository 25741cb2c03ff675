// What the host accepts from its webviews: each message checked against its protocol type (field types,
// finite numbers, bounded sizes) before any handler sees it. A webview's script is ours, but its messages
// carry text from files and notes, so a malformed or unknown message is ignored and logged, never acted on.
// No `vscode` here: the checks are plain functions the unit tests call.
import type { DerivationToHost, SimulationToHost } from '../webview/protocol';
import type { SummaryToHost } from '../webview/summaryProtocol';
import { isCalculatorId } from '../core/calculators/ids';
import { isSimulationId } from '../core/simulations/catalog';

type Check<T> = (raw: Record<string, unknown>) => T | undefined;

const isString = (v: unknown, max = 1_000): v is string => typeof v === 'string' && v.length <= max;
const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `values` of a substitution: at most 64 names, each a finite number. */
function isNumberRecord(v: unknown): v is Readonly<Record<string, number>> {
  if (!isRecord(v)) return false;
  const entries = Object.entries(v);
  return entries.length <= 64 && entries.every(([k, n]) => k.length <= 64 && typeof n === 'number' && Number.isFinite(n));
}

const COMMON: Readonly<Record<string, Check<{ type: 'ready' } | { type: 'log'; level: 'info' | 'error'; message: string }>>> = {
  ready: () => ({ type: 'ready' }),
  log: (m) => ((m.level === 'info' || m.level === 'error') && isString(m.message, 10_000) ? { type: 'log', level: m.level, message: m.message } : undefined),
};

/** Validates `raw` with the table of its panel; undefined (to be logged) for an unknown type or a bad field. */
function validate<T>(raw: unknown, table: Readonly<Record<string, Check<T>>>): T | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') return undefined;
  const check = Object.hasOwn(table, raw.type) ? table[raw.type] : Object.hasOwn(COMMON, raw.type) ? (COMMON[raw.type] as Check<T>) : undefined;
  return check?.(raw);
}

const DERIVATION: Readonly<Record<string, Check<DerivationToHost>>> = {
  openSimulation: (m) => (isString(m.topicId, 100) && isSimulationId(m.simulation) ? { type: 'openSimulation', topicId: m.topicId, simulation: m.simulation } : undefined),
  openCalculator: (m) =>
    isString(m.topicId, 100) && isCalculatorId(m.calculator) && (m.values === undefined || isNumberRecord(m.values))
      ? { type: 'openCalculator', topicId: m.topicId, calculator: m.calculator, ...(m.values === undefined ? {} : { values: m.values }) }
      : undefined,
  // By topic id and index only: the host inserts the notes' own snippet, never code the webview sends.
  insertSnippet: (m) => (isString(m.topicId, 100) && isIndex(m.index) ? { type: 'insertSnippet', topicId: m.topicId, index: m.index } : undefined),
  openTopic: (m) => (isString(m.topic, 100) ? { type: 'openTopic', topic: m.topic } : undefined),
  substitute: (m) => (isString(m.topicId, 100) && isNumberRecord(m.values) ? { type: 'substitute', topicId: m.topicId, values: m.values } : undefined),
};

const SIMULATION: Readonly<Record<string, Check<SimulationToHost>>> = {
  simulationShown: (m) => (isSimulationId(m.simulation) ? { type: 'simulationShown', simulation: m.simulation } : undefined),
  openTopic: (m) => (isString(m.topic, 100) ? { type: 'openTopic', topic: m.topic } : undefined),
};

const SUMMARY: Readonly<Record<string, Check<SummaryToHost>>> = {
  revealLine: (m) => (isString(m.file, 4_096) && isIndex(m.line) ? { type: 'revealLine', file: m.file, line: m.line } : undefined),
};

export const derivationMessage = (raw: unknown): DerivationToHost | undefined => validate(raw, DERIVATION);
export const simulationMessage = (raw: unknown): SimulationToHost | undefined => validate(raw, SIMULATION);
export const summaryMessage = (raw: unknown): SummaryToHost | undefined => validate(raw, SUMMARY);

/** A short description of a refused message for the log (its type, or what it was). */
export function describeMessage(raw: unknown): string {
  if (isRecord(raw) && typeof raw.type === 'string') return `type '${raw.type.slice(0, 40)}'`;
  return raw === null ? 'null' : typeof raw;
}
