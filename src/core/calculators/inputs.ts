// Parsing and validating typed inputs against their InputSpec, and `defineCalculator`, which turns a
// declaration plus two pure functions (cross-field checks, compute) into a Calculator that never throws.
import type {
  Calculator,
  CalculatorDeclaration,
  CalculatorOutcome,
  CalculatorOutput,
  InputSpec,
  InputValue,
  ParsedInputs,
  RawInputs,
} from './types';

const NUMBER_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off'];

type Parsed<T> = { readonly value: T } | { readonly error: string };

/** Formats a bound for a message: 1e-9 stays short, 2147483647 stays exact. */
const showNumber = (n: number): string => (Math.abs(n) >= 1e-4 && Math.abs(n) < 1e15) || n === 0 ? String(n) : n.toExponential();

/** What a number must be, in words: "a positive integer", "a number between 0 and 1 (exclusive)". */
export function describeNumberRule(kind: 'int' | 'float', spec: InputSpec): string {
  const { min, max, exclusiveMin, exclusiveMax } = spec.rule;
  const noun = kind === 'int' ? 'integer' : 'number';
  if (kind === 'int' && min === 1) return 'a positive integer';
  if (kind === 'int' && min === 0) return 'a non-negative integer';
  // A tiny positive floor only keeps results finite; in words it is "positive".
  const positive = (min === 0 && exclusiveMin) || (min !== undefined && min > 0 && min <= 1e-9);
  if (positive) return `a positive ${noun}${max !== undefined && max < 1e15 ? ` ${exclusiveMax ? '<' : '≤'} ${showNumber(max)}` : ''}`;
  if (min !== undefined && max !== undefined) {
    const left = exclusiveMin ? '>' : '≥';
    const right = exclusiveMax ? '<' : '≤';
    return `a ${noun} ${left} ${showNumber(min)} and ${right} ${showNumber(max)}`;
  }
  if (min !== undefined) return `a ${noun} ${exclusiveMin ? '>' : '≥'} ${showNumber(min)}`;
  if (max !== undefined) return `a ${noun} ${exclusiveMax ? '<' : '≤'} ${showNumber(max)}`;
  return `a${kind === 'int' ? 'n' : ''} ${noun}`;
}

function parseNumber(text: string, kind: 'int' | 'float', spec: InputSpec): Parsed<number> {
  const fail = { error: `${spec.name} must be ${describeNumberRule(kind, spec)}, got '${text}'` };
  if (!NUMBER_PATTERN.test(text)) return fail;
  const n = Number(text);
  if (!Number.isFinite(n)) return fail;
  if (kind === 'int' && !Number.isSafeInteger(n)) return fail;
  const { min, max, exclusiveMin, exclusiveMax } = spec.rule;
  if (min !== undefined && (exclusiveMin ? n <= min : n < min)) return fail;
  if (max !== undefined && (exclusiveMax ? n >= max : n > max)) {
    return { error: `${spec.name} must be ${exclusiveMax ? 'smaller than' : 'at most'} ${showNumber(max)}, got '${text}'` };
  }
  return { value: n };
}

/** `[1, 2]` or `(1, 2)` without its brackets and the blanks inside them (no regex: linear on any input). */
function stripBrackets(text: string): string {
  let body = text.trim();
  if (body.startsWith('[') || body.startsWith('(')) body = body.slice(1);
  if (body.endsWith(']') || body.endsWith(')')) body = body.slice(0, -1);
  return body.trim();
}

/** The items of a comma list: one more than its commas, less a trailing comma (Python's one-tuple, "(3,)"). */
function itemCount(body: string): number {
  let commas = 0;
  for (let at = body.indexOf(','); at >= 0; at = body.indexOf(',', at + 1)) commas++;
  return commas > 0 && body.slice(body.lastIndexOf(',') + 1).trim() === '' ? commas : commas + 1;
}

function parseList(text: string, spec: InputSpec): Parsed<readonly (number | string)[]> {
  const { item = 'float', keywords = [], minItems = 1, maxItems = 64 } = spec.rule;
  const word = text.toLowerCase().replace(/^['"]|['"]$/g, '');
  if (keywords.includes(word)) return { value: [word] };
  const body = stripBrackets(text);
  const alternatives = keywords.length > 0 ? ` or ${keywords.map((k) => `'${k}'`).join('/')}` : '';
  const itemRule = describeNumberRule(item, spec);
  // Counted before splitting, so a pasted megabyte of commas is refused without making half a million parts.
  const given = itemCount(body);
  if (given < minItems || given > maxItems) {
    const count = minItems === maxItems ? `${minItems}` : `${minItems} to ${maxItems}`;
    return { error: `${spec.name} must be ${count} comma-separated value${maxItems === 1 ? '' : 's'}${alternatives}, got ${given}` };
  }
  const parts = body.split(',').map((p) => p.trim());
  if (parts.length > given) parts.pop();
  const values: number[] = [];
  for (const part of parts) {
    const parsed = parseNumber(part, item, spec);
    if ('error' in parsed) {
      const tooLarge = spec.rule.max !== undefined && NUMBER_PATTERN.test(part) && Number(part) > spec.rule.max;
      return { error: tooLarge ? parsed.error : `${spec.name} must be ${itemRule} (or a comma list of them${alternatives}), got '${part}'` };
    }
    values.push(parsed.value);
  }
  return { value: values };
}

/** Parses one input's text; an error is a one-line message naming the input. */
export function parseInput(spec: InputSpec, text: string): Parsed<InputValue> {
  const trimmed = text.trim();
  switch (spec.kind) {
    case 'int':
    case 'float':
      return parseNumber(trimmed, spec.kind, spec);
    case 'bool': {
      const word = trimmed.toLowerCase();
      if (TRUE_WORDS.includes(word)) return { value: true };
      if (FALSE_WORDS.includes(word)) return { value: false };
      return { error: `${spec.name} must be true or false, got '${trimmed}'` };
    }
    case 'enum': {
      const options = spec.rule.options ?? [];
      const word = trimmed.toLowerCase().replace(/^['"]|['"]$/g, '');
      const match = options.find((o) => o.toLowerCase() === word);
      return match !== undefined ? { value: match } : { error: `${spec.name} must be one of ${options.join(', ')}, got '${trimmed}'` };
    }
    case 'list':
      return parseList(trimmed, spec);
    case 'string': {
      const limit = spec.rule.maxLength ?? 2000;
      return trimmed.length <= limit ? { value: trimmed } : { error: `${spec.name} is too long (more than ${limit} characters)` };
    }
  }
}

/**
 * Validates one input's text as the user types it (the quick input's validateInput): undefined when fine.
 * Empty text is fine when the input has a default or is optional.
 */
export function validateInput(spec: InputSpec, text: string): string | undefined {
  if (text.trim() === '') return spec.default !== undefined || spec.optional ? undefined : `${spec.name} is required`;
  const parsed = parseInput(spec, text);
  return 'error' in parsed ? parsed.error : undefined;
}

/** The raw text given for an input under its name or one of its aliases. */
function lookup(spec: InputSpec, raw: RawInputs): string | undefined {
  for (const key of [spec.name, ...(spec.aliases ?? [])]) {
    const value = raw[key];
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * Keeps only the entries a calculator knows (by name or alias), renamed to the input names: prefill data
 * taken from a hovered layer carries other arguments too.
 */
export function prefillInputs(declaration: CalculatorDeclaration, source: RawInputs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const spec of declaration.inputs) {
    const value = lookup(spec, source);
    if (value !== undefined) out[spec.name] = value;
  }
  return out;
}

function parseAll(declaration: CalculatorDeclaration, raw: RawInputs): { values: Record<string, InputValue>; errors: string[] } {
  const errors: string[] = [];
  const values: Record<string, InputValue> = {};
  const known = new Set(declaration.inputs.flatMap((s) => [s.name, ...(s.aliases ?? [])]));
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) errors.push(`unknown input '${key}' for ${declaration.id} (its inputs: ${declaration.inputs.map((s) => s.name).join(', ')})`);
  }
  for (const spec of declaration.inputs) {
    const given = lookup(spec, raw);
    const text = given === undefined || given.trim() === '' ? spec.default : given;
    if (text === undefined) {
      if (!spec.optional) errors.push(`${spec.name} is required`);
      values[spec.name] = undefined;
      continue;
    }
    const parsed = parseInput(spec, text);
    if ('error' in parsed) errors.push(parsed.error);
    else values[spec.name] = parsed.value;
  }
  return { values, errors };
}

/** True when every number in a result (nested objects and lists included) is finite. */
export function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (typeof value === 'object' && value !== null) return Object.values(value).every(allFinite);
  return true;
}

export interface CalculatorDefinition extends CalculatorDeclaration {
  /** Cross-input checks on parsed values ("the kernel (7) is larger than the padded input (5)"). */
  check(inputs: ParsedInputs): string[];
  /** Computes on inputs that passed parsing and check. */
  run(inputs: ParsedInputs): CalculatorOutput;
}

const describeError = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Wraps a definition so that validate/compute never throw and never return non-finite numbers. */
export function defineCalculator(definition: CalculatorDefinition): Calculator {
  const { check, run, ...declaration } = definition;
  const compute = (raw: RawInputs): CalculatorOutcome => {
    try {
      const { values, errors } = parseAll(declaration, raw);
      const problems = errors.length > 0 ? errors : check(values);
      if (problems.length > 0) return { ok: false, errors: problems };
      const output = run(values);
      if (!allFinite(output.result)) return { ok: false, errors: [`${declaration.id}: the result is out of the representable range for these inputs`] };
      return { ok: true, ...output };
    } catch (error) {
      return { ok: false, errors: [`${declaration.id}: ${describeError(error)}`] };
    }
  };
  // Validation runs the computation too, so a result out of range is reported the same way by both.
  const validate = (raw: RawInputs): string[] => {
    const outcome = compute(raw);
    return outcome.ok ? [] : [...outcome.errors];
  };
  return { ...declaration, validate, compute };
}

// Typed accessors for run/check: the parsing step guarantees the kinds, these only narrow the types.
export const num = (inputs: ParsedInputs, name: string): number => inputs[name] as number;
export const optNum = (inputs: ParsedInputs, name: string): number | undefined => inputs[name] as number | undefined;
export const bool = (inputs: ParsedInputs, name: string): boolean => inputs[name] as boolean;
export const str = (inputs: ParsedInputs, name: string): string => inputs[name] as string;
export const list = (inputs: ParsedInputs, name: string): readonly (number | string)[] => (inputs[name] as readonly (number | string)[] | undefined) ?? [];
export const numList = (inputs: ParsedInputs, name: string): readonly number[] => list(inputs, name).filter((x): x is number => typeof x === 'number');

/** Formats a result number for text: integers exactly, others to 6 significant digits. */
export function fmt(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return n.toExponential(4);
  return String(Number(n.toPrecision(6)));
}
