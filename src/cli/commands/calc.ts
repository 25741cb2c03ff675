// `ml-notes calc NAME key=value ... [--json]` and `ml-notes calc --list`: the core's calculators on the
// command line. Bad input exits 2 with one line naming every problem.
import { calculators, findCalculator } from '../../core/calculators';
import type { Calculator, CalculatorOutput, InputSpec } from '../../core/calculators';
import type { CliCommandImplementation, CliResult } from '../types';
import { usageError } from '../types';

const USAGE = 'ml-notes calc NAME key=value ... [--json] | ml-notes calc --list';

/** `name` or `name=default`, with `?` for optional inputs, as --list shows a key. */
function describeKey(spec: InputSpec): string {
  if (spec.default !== undefined) return `${spec.name}=${spec.default}`;
  return spec.optional ? `[${spec.name}]` : spec.name;
}

export function listText(table: readonly Calculator[] = calculators): string {
  const width = Math.max(...table.map((c) => c.id.length));
  const lines = table.flatMap((c) => [`${c.id.padEnd(width)}  ${c.title}`, `${' '.repeat(width)}    ${c.inputs.map(describeKey).join(' ')}`]);
  return `${lines.join('\n')}\n`;
}

/**
 * Splits `key=value` arguments. A word without '=' continues the previous value, so an unquoted
 * `stack=conv3, conv3 s2` split by the shell still reads as one stack.
 */
export function parseAssignments(args: readonly string[]): { values: Record<string, string> } | { error: string } {
  const values: Record<string, string> = {};
  let lastKey: string | undefined;
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) {
      if (lastKey === undefined) return { error: `expected key=value, got '${arg}'` };
      values[lastKey] = `${values[lastKey]} ${arg}`;
      continue;
    }
    const key = arg.slice(0, eq).trim();
    if (key in values) return { error: `${key} is given twice` };
    values[key] = arg.slice(eq + 1);
    lastKey = key;
  }
  const empty = Object.keys(values).find((key) => values[key]!.trim() === '');
  if (empty !== undefined) return { error: `${empty}= has no value` };
  return { values };
}

const formatValue = (value: unknown): string => (typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));

/** The readable form: the result (one line per field of an object), then the substituted formula and notes. */
export function readableText(id: string, output: CalculatorOutput): string {
  const { result } = output;
  const head =
    typeof result === 'number' || Array.isArray(result)
      ? [`${id}: ${formatValue(result)}`]
      : [`${id}:`, ...Object.entries(result).map(([key, value]) => `  ${key}: ${formatValue(value)}`)];
  const formula = output.formula.split('\n').map((line) => `  ${line}`);
  const notes = (output.notes ?? []).map((n) => `  note: ${n}`);
  return `${[...head, '', ...formula, ...notes, `  (notes topic: ${output.topic})`].join('\n')}\n`;
}

function run(args: readonly string[]): CliResult {
  if (args.includes('--list')) return { stdout: listText(), stderr: '', code: 0 };
  const json = args.includes('--json');
  const rest = args.filter((a) => a !== '--json');
  const [name, ...assignments] = rest;
  if (name === undefined) return usageError(`calc needs a calculator name (ml-notes calc --list shows them); usage: ${USAGE}`);
  const calculator = findCalculator(name);
  if (!calculator) return usageError(`unknown calculator '${name}' (try: ${calculators.map((c) => c.id).join(', ')})`);
  const parsed = parseAssignments(assignments);
  if ('error' in parsed) return usageError(`calc ${name}: ${parsed.error}`);
  const outcome = calculator.compute(parsed.values);
  if (!outcome.ok) return usageError(`calc ${name}: ${outcome.errors.join('; ')}`);
  const stdout = json ? `${JSON.stringify({ result: outcome.result, formula: outcome.formula })}\n` : readableText(name, outcome);
  return { stdout, stderr: '', code: 0 };
}

export const calcCommand: CliCommandImplementation = {
  usage: USAGE,
  run,
};
