// The calculator contract. A declaration is plain data a UI can be generated from (a quick pick of
// calculators, one input box per InputSpec with its default and as-you-type validation); the functions
// take the inputs as the text a user typed, so the CLI, the quick input and the tests share one path.
import type { CalculatorId } from './ids';

export type InputKind = 'int' | 'float' | 'bool' | 'enum' | 'list' | 'string';

/** What a typed input must satisfy; checked by validateInput before any calculator runs. */
export interface ValidationRule {
  /** Smallest allowed number (each list item for lists). */
  readonly min?: number;
  /** Largest allowed number; every input has a sane bound so results stay finite. */
  readonly max?: number;
  /** The number must be strictly greater than min (for σ > 0, β > 0). */
  readonly exclusiveMin?: boolean;
  /** The number must be strictly smaller than max (for β < 1). */
  readonly exclusiveMax?: boolean;
  /** Allowed values of an 'enum'. */
  readonly options?: readonly string[];
  /** Kind of each item of a 'list'. */
  readonly item?: 'int' | 'float';
  /** Words a 'list' may hold instead of numbers (padding='same' / 'valid'). */
  readonly keywords?: readonly string[];
  readonly minItems?: number;
  readonly maxItems?: number;
  /** Longest accepted text of a 'string' input. */
  readonly maxLength?: number;
}

export interface InputSpec {
  /** Key on the command line and in prefill data; PyTorch's argument name where one exists. */
  readonly name: string;
  /** Other names accepted for prefill and on the command line (kernel_size for kernel). */
  readonly aliases?: readonly string[];
  readonly kind: InputKind;
  /** The default as text, exactly as a user would type it; absent means required (or optional, below). */
  readonly default?: string;
  /** May be left empty; the calculator then leaves out what needs it. */
  readonly optional?: boolean;
  readonly rule: ValidationRule;
  /** One sentence for the input box's prompt. */
  readonly description: string;
  /** A typical value as a user would type it, shown with the description (the default serves where there is one). */
  readonly example?: string;
}

/** Inputs as typed: name → text. The UI and the CLI both produce this. */
export type RawInputs = Readonly<Record<string, string | undefined>>;

/** A parsed input value. Lists may mix numbers and keywords ('same'). */
export type InputValue = number | boolean | string | readonly (number | string)[] | undefined;
export type ParsedInputs = Readonly<Record<string, InputValue>>;

export type ResultValue = number | readonly number[] | { readonly [key: string]: unknown };

export interface CalculatorOutput {
  /** A number, a per-axis list, or an object of named numbers (JSON-serialisable). */
  readonly result: ResultValue;
  /** The formula in Unicode with the numbers substituted, ending in the result. */
  readonly formula: string;
  /** The general formula in KaTeX-compatible LaTeX, for the derivation panel. */
  readonly latex?: string;
  /** Notes topic id (src/core/notes) the formula comes from. */
  readonly topic: string;
  /** Remarks worth showing with the result (trailing pixels ignored, a rounding, a convention). */
  readonly notes?: readonly string[];
}

export type CalculatorOutcome = ({ readonly ok: true } & CalculatorOutput) | { readonly ok: false; readonly errors: readonly string[] };

export interface CalculatorDeclaration {
  readonly id: CalculatorId;
  readonly title: string;
  readonly description: string;
  readonly topic: string;
  readonly inputs: readonly InputSpec[];
}

export interface Calculator extends CalculatorDeclaration {
  /** Every problem with the inputs, as clear one-line messages; empty when compute will succeed. Never throws. */
  validate(inputs: RawInputs): string[];
  /** The result, or the validation messages. Never throws and never returns NaN or Infinity. */
  compute(inputs: RawInputs): CalculatorOutcome;
}
