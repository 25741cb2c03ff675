// Command-line options of the CLI's commands, read once by node:util's parseArgs: each command declares
// its options as data and gets typed values or one message that says what is wrong. The options that
// name a model and its inputs (`--model`, `--input`, `--call`, `--dtype`, `--torch-version`,
// `--time-budget-ms`) are declared here once and shared by `summary` and `annotate`.
import { parseArgs } from 'node:util';
import { DEFAULT_CLI_BUDGET_MS, parseBudgetMs } from './types';

/** One option: a flag, or an option that takes a value (`--x V` or `--x=V`), given once or many times. */
export interface OptionDeclaration {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  /** What the value should be, for the message when it is missing: "a Python expression". */
  readonly value?: string;
}

export type OptionDeclarations = Readonly<Record<string, OptionDeclaration>>;

/** The values parseArgs gives for declared options. */
export type OptionValues<D extends OptionDeclarations> = {
  readonly [K in keyof D]?: D[K]['type'] extends 'boolean' ? boolean : D[K]['multiple'] extends true ? string[] : string;
};

export interface ParsedArgs<D extends OptionDeclarations> {
  readonly values: OptionValues<D>;
  readonly positionals: readonly string[];
}

/** The option a parseArgs error message names (`'--model <value>'` → `--model`). */
const optionNamed = (message: string): string | undefined => /'(--?[\w-]+)/.exec(message)?.[1];

/**
 * Parses `args` against the declared options, positionals allowed. Unknown options, a missing value and a
 * value given to a flag each give one message (never an exception).
 */
export function parseCommandArgs<D extends OptionDeclarations>(args: readonly string[], declarations: D): ParsedArgs<D> | string {
  const options = Object.fromEntries(Object.entries(declarations).map(([name, d]) => [name, { type: d.type, ...(d.multiple ? { multiple: true } : {}) }]));
  try {
    const parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
    return { values: parsed.values as OptionValues<D>, positionals: parsed.positionals };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : String(error);
    const flag = optionNamed(message);
    const declared = flag ? declarations[flag.replace(/^-+/, '')] : undefined;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${flag ?? message}`;
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && declared?.type === 'boolean') return `${flag} takes no value`;
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `${flag} needs ${declared?.value ?? 'a value'}${/ambiguous/.test(message) ? ` (a value starting with '-' is written ${flag}=-…)` : ''}`;
    return message.split('\n')[0]!;
  }
}

/** The one FILE positional of a command, or the message. */
export function singleFile(positionals: readonly string[]): string | { readonly problem: string } {
  if (positionals.length === 0) return { problem: 'missing FILE' };
  if (positionals.length > 1) return { problem: `unexpected argument ${positionals[1]}` };
  return positionals[0]!;
}

/** The options naming a model and what it is called with, as `summary` and `annotate` both read them. */
export const MODEL_INPUT_OPTIONS = {
  model: { type: 'string', value: 'a Python expression' },
  input: { type: 'string', multiple: true, value: 'a shape such as 1,3,224,224' },
  call: { type: 'string', value: "a call such as 'model(x, lengths=None)'" },
  dtype: { type: 'string', value: 'float or long' },
  'torch-version': { type: 'string', value: 'a release such as 2.1 or 1.13.1' },
  env: { type: 'string', multiple: true, value: 'an environment variable as NAME=VALUE' },
  'time-budget-ms': { type: 'string', value: 'a whole number of milliseconds' },
  json: { type: 'boolean' },
} as const satisfies OptionDeclarations;

/** How an --input is written, for the message that refuses a malformed one. */
export const INPUT_SPEC_HELP = 'use numbers or names: 1,3,224,224 or B,3,H,W; a dtype as 2,16:long; a keyword as lengths=2:long or mask=None; known contents as 2:long=20 (filled) or [20,18]:long';

/** What the model-input options mean once checked. */
export interface ModelInputOptions {
  readonly file: string;
  readonly model?: string;
  readonly call?: string;
  readonly inputs: string[];
  readonly dtype: 'float' | 'long';
  readonly json: boolean;
  readonly torchVersion?: string;
  /** Environment variables the code reads (os.environ.get, os.getenv); any other is unknown. */
  readonly environment: Readonly<Record<string, string>>;
  readonly budgetMs: number;
}

/** Checks the model-input options of a parse (the values' own syntax is checked where they are used). */
export function modelInputOptions(parsed: ParsedArgs<typeof MODEL_INPUT_OPTIONS>): ModelInputOptions | string {
  const v = parsed.values;
  const file = singleFile(parsed.positionals);
  if (typeof file !== 'string') return file.problem;
  if (v.dtype !== undefined && v.dtype !== 'float' && v.dtype !== 'long') return `--dtype must be float or long, got ${v.dtype}`;
  const budgetMs = v['time-budget-ms'] === undefined ? DEFAULT_CLI_BUDGET_MS : parseBudgetMs(v['time-budget-ms']);
  if (typeof budgetMs === 'string') return budgetMs;
  const environment: Record<string, string> = {};
  for (const entry of v.env ?? []) {
    const at = entry.indexOf('=');
    if (at <= 0) return `--env needs ${MODEL_INPUT_OPTIONS.env.value}, got '${entry}'`;
    environment[entry.slice(0, at)] = entry.slice(at + 1);
  }
  for (const name of ['model', 'call', 'torch-version'] as const) {
    if (v[name] !== undefined && v[name]!.trim() === '') return `--${name} needs ${MODEL_INPUT_OPTIONS[name].value}`;
  }
  return {
    file,
    ...(v.model ? { model: v.model } : {}),
    ...(v.call ? { call: v.call } : {}),
    inputs: [...(v.input ?? [])],
    dtype: (v.dtype as 'float' | 'long' | undefined) ?? 'float',
    json: v.json ?? false,
    ...(v['torch-version'] ? { torchVersion: v['torch-version'] } : {}),
    environment,
    budgetMs,
  };
}
