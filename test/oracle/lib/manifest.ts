// The oracle corpus manifest (test/oracle/corpus/manifest.json): which model to build from which file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  readonly dtype: 'float' | 'long';
  /** For files copied out of an installed package: run them inside it (oracle only). */
  readonly package?: string;
}

export function loadManifest(dir: string = CORPUS_DIR): CorpusEntry[] {
  const parsed = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { entries: CorpusEntry[] };
  return parsed.entries;
}

export const entryPath = (entry: CorpusEntry, dir: string = CORPUS_DIR): string => join(dir, entry.file);
