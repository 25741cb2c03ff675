// Which PyTorch release a CLI command analyses for: --torch-version, else the one installed in the
// user's Python environment (found cheaply, without running Python), else the newest the catalogue knows.
import type { CliIo } from './types';
import type { TorchVersion } from '../core/index';
import { DEFAULT_TORCH_VERSION, formatTorchVersion, parseTorchVersion } from '../core/index';
import { findInstalledTorchVersion } from '../core/frameworks/torch/installedVersion';

export interface TorchVersionChoice {
  readonly version: TorchVersion;
  readonly text: string;
  /** Where it came from, for the report. */
  readonly source: string;
}

/** The chosen release, or a usage message when --torch-version is not a version. */
export function chooseTorchVersion(flag: string | undefined, codeDir: string, io: CliIo): TorchVersionChoice | string {
  if (flag !== undefined) {
    const version = parseTorchVersion(flag);
    if (!version) return `--torch-version must be a release such as 2.1 or 1.13.1, got '${flag}'`;
    return { version, text: formatTorchVersion(version), source: '--torch-version' };
  }
  const listDir = io.listDir;
  const installed = listDir ? findInstalledTorchVersion(codeDir, { readFile: io.readFile, listDir, isDirectory: io.isDirectory, env: io.env ?? {} }) : undefined;
  if (installed) return { version: installed.version, text: formatTorchVersion(installed.version), source: installed.path };
  return { version: DEFAULT_TORCH_VERSION, text: formatTorchVersion(DEFAULT_TORCH_VERSION), source: 'newest known; set --torch-version' };
}
