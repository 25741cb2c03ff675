// The user's PyTorch version as a catalogue input. Entries and arguments that exist only in some releases
// declare `since` / `until`; behaviour that changed inside an entry is a named feature in TORCH_FEATURES
// below. Nothing else in the code compares versions.

/** A release as major.minor.patch; local suffixes (`+cu118`, `a0`, `.dev2023`) are dropped when parsed. */
export interface TorchVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/**
 * The release assumed when the user's is not known: the newest the catalogue was checked against (the
 * 2.x name table in test/unit/torch/torch-2x-names.json was taken from it).
 */
export const NEWEST_TORCH_VERSION = '2.6.0';

/** Parses `2.1.0`, `2.1`, `2.1.0+cu118`, `2.6.0a0+git1eba9b3`; undefined for text that is not a version. */
export function parseTorchVersion(text: string): TorchVersion | undefined {
  const m = /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: m[3] === undefined ? 0 : Number(m[3]) };
}

export const DEFAULT_TORCH_VERSION: TorchVersion = parseTorchVersion(NEWEST_TORCH_VERSION)!;

export const formatTorchVersion = (v: TorchVersion): string => `${v.major}.${v.minor}.${v.patch}`;

export function compareTorchVersions(a: TorchVersion, b: TorchVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** Where an entry or feature exists: from `since` (inclusive) up to `until` (exclusive: the release that removed it). */
export interface Availability {
  readonly since?: string;
  readonly until?: string;
}

export function isAvailable(what: Availability, version: TorchVersion): boolean {
  const since = what.since === undefined ? undefined : parseTorchVersion(what.since);
  const until = what.until === undefined ? undefined : parseTorchVersion(what.until);
  if (since && compareTorchVersions(version, since) < 0) return false;
  if (until && compareTorchVersions(version, until) >= 0) return false;
  return true;
}

/**
 * Behaviour that changed inside an entry between releases, each with the release that brought it
 * (from PyTorch's release notes and the documentation of that release).
 */
export const TORCH_FEATURES = {
  /** Conv1d/2d/3d accept input without the batch dimension ((C, L), (C, H, W), (C, D, H, W)): PyTorch 1.11. */
  unbatchedConvInput: { since: '1.11.0' },
  /** torch.stft of a real input raises unless return_complex is given (1.13 only warned): PyTorch 2.0. */
  stftRequiresReturnComplex: { since: '2.0.0' },
} as const satisfies Record<string, Availability>;

export type TorchFeature = keyof typeof TORCH_FEATURES;

export const hasFeature = (feature: TorchFeature, version: TorchVersion): boolean => isAvailable(TORCH_FEATURES[feature], version);

/** Reads `__version__ = '2.1.0+cu118'` (or `version = ...`) from the text of an installed torch/version.py. */
export function torchVersionFromVersionPy(text: string): TorchVersion | undefined {
  const m = /^(?:__version__|version)\s*(?::\s*str\s*)?=\s*['"]([^'"]+)['"]/m.exec(text);
  return m ? parseTorchVersion(m[1]!) : undefined;
}
