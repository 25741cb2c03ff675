// The real-world corpus CI runs (test/corpus/models.json): model files from Debian's source packages
// (test/corpus/debian-src) and from installed Debian packages (read in place), each with its origin, and the
// models that do not match PyTorch yet (test/corpus/known-gaps.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CorpusEntry, InputDtype } from './manifest';

export const REAL_WORLD_DIR = fileURLToPath(new URL('../../corpus/', import.meta.url));
/** Where Debian installs the Python packages whose files the corpus reads in place. */
export const DIST_PACKAGES = '/usr/lib/python3/dist-packages';

export interface Origin {
  readonly repository: string;
  readonly tag: string;
  /** The file's path in the repository. */
  readonly path: string;
  readonly license: string;
  /** The Debian source or binary package and version the file was taken from. */
  readonly debian: string;
  readonly sha256: string;
}

export type ModelKind =
  | 'cnn'
  | 'gan'
  | 'rnn'
  | 'transformer'
  | 'audio'
  | 'detection'
  | 'segmentation'
  | 'video'
  | 'optical-flow'
  | 'super-resolution'
  | 'embedding'
  | 'mlp'
  | 'catalogue';

/** One entry of models.json as written: exactly one of `file` (under test/corpus) and `installed`. */
interface RealWorldRecord {
  readonly name: string;
  readonly kind: ModelKind;
  readonly file?: string;
  readonly installed?: string;
  readonly model: string;
  readonly inputs: readonly (readonly number[])[];
  readonly dtype: InputDtype;
  readonly dtypes?: readonly InputDtype[];
  readonly fills?: readonly (number | null)[];
  readonly barePackages?: readonly string[];
  readonly origin: Origin;
}

/** A corpus entry whose `file` is absolute, with what the real-world corpus adds. */
export interface RealWorldEntry extends CorpusEntry {
  readonly kind: ModelKind;
  readonly source: 'debian-src' | 'installed';
  readonly origin: Origin;
}

export interface KnownGap {
  readonly name: string;
  /** The first call (or total) that differs, as the comparison reports it. */
  readonly firstWrongCall: string;
  readonly cause: string;
  /** Who is expected to close it: an item of an issue, or "corpus" for this corpus's own follow-ups. */
  readonly owner: string;
}

function toEntry(record: RealWorldRecord): RealWorldEntry {
  const { installed, file, ...rest } = record;
  if ((installed === undefined) === (file === undefined)) throw new Error(`models.json: ${record.name} needs exactly one of file and installed`);
  return installed !== undefined
    ? { ...rest, file: join(DIST_PACKAGES, installed), source: 'installed' }
    : { ...rest, file: join(REAL_WORLD_DIR, file!), source: 'debian-src' };
}

export function loadRealWorldCorpus(dir: string = REAL_WORLD_DIR): RealWorldEntry[] {
  const parsed = JSON.parse(readFileSync(join(dir, 'models.json'), 'utf8')) as { entries: RealWorldRecord[] };
  return parsed.entries.map(toEntry);
}

export function loadKnownGaps(dir: string = REAL_WORLD_DIR): KnownGap[] {
  return (JSON.parse(readFileSync(join(dir, 'known-gaps.json'), 'utf8')) as { gaps: KnownGap[] }).gaps;
}
