// The JSON schema `ml-notes summary --json` prints and test/oracle/torch_summary.py reproduces with real
// PyTorch. Only the fields the oracle comparison reads are typed; more fields are welcome.

/** A tensor shape (ints; strings for symbolic dims), a tuple output as a list of shapes, null for None. */
export type ShapeJson = readonly (number | string | ShapeJson | null)[] | null;

export interface CallJson {
  readonly path: string;
  readonly type: string;
  readonly input?: readonly ShapeJson[];
  readonly output: ShapeJson;
  readonly params: number;
  readonly macs: number | null;
}

export interface SummaryJson {
  readonly model: string;
  readonly input: readonly ShapeJson[];
  readonly output: ShapeJson;
  readonly params: number;
  readonly trainable_params: number;
  /** Every op's MACs (the CLI); module calls' only (the oracle, which counts with forward hooks). */
  readonly macs: number | null;
  /** Module calls' MACs (the CLI only). */
  readonly macs_modules?: number | null;
  readonly calls: readonly CallJson[];
  readonly unknown?: readonly { readonly line: number; readonly reason: string }[];
  /** What the CLI says PyTorch would raise (the oracle never prints this field). */
  readonly errors?: readonly { readonly line: number; readonly message: string }[];
}

/** What the oracle prints for an entry it could not build or run. */
export interface OracleFailure {
  readonly error: string;
  readonly traceback?: string;
}

export const isOracleFailure = (value: SummaryJson | OracleFailure): value is OracleFailure => 'error' in value;
