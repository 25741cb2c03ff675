// The oracle corpus manifest (test/oracle/corpus/manifest.json): which model to build from which file.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS_DIR = fileURLToPath(new URL('../corpus/', import.meta.url));

export interface CorpusEntry {
  /** Unique id, used as the test name. */
  readonly name: string;
  /** Relative to the corpus folder. */
  readonly file: string;
  /** The `--model` expression, evaluated in the file's scope. */
  readonly model: string;
  /** One `--input` per shape. */
  readonly inputs: readonly (readonly number[])[];
  readonly dtype: InputDtype;
  /** One dtype per input, where they differ (a waveform and its lengths): `--input 2:long`. */
  readonly dtypes?: readonly InputDtype[];
  /**
   * The value an input is filled with (lengths: a padding mask is max(lengths) long, packing needs them positive):
   * PyTorch gets torch.full(shape, fill) and the CLI `--input 2:long=20`. Inputs without one are zeros for
   * PyTorch and of unknown contents for the CLI.
   */
  readonly fills?: readonly (number | null)[];
  /** For files copied out of an installed package: run them inside it (oracle only). */
  readonly package?: string;
  /** Packages whose __init__ the oracle does not run (torchtext's loads a C extension Debian's build lacks). */
  readonly barePackages?: readonly string[];
}

export type InputDtype = 'float' | 'long';

export function loadManifest(dir: string = CORPUS_DIR): CorpusEntry[] {
  const parsed = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { entries: CorpusEntry[] };
  return parsed.entries;
}

/** The entry's file; `file` may be absolute (a file of an installed package). */
export const entryPath = (entry: CorpusEntry, dir: string = CORPUS_DIR): string => resolve(dir, entry.file);
