// The PyTorch release the analysis follows for a document: the mlNotes.torchVersion setting, else the
// release installed in the workspace's Python environment (read once per folder from its torch/version.py,
// a few small files), else the newest release the catalogue knows.
import * as vscode from 'vscode';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TorchVersion } from '../core/index';
import { DEFAULT_TORCH_VERSION, parseTorchVersion } from '../core/index';
import { findInstalledTorchVersion } from '../core/frameworks/torch/installedVersion';

const readFile = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

const listDir = (path: string): readonly string[] => {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
};

export class TorchVersionSource {
  /** Environment lookups by the folder they started from; cleared when the setting changes. */
  private readonly found = new Map<string, TorchVersion>();

  clear(): void {
    this.found.clear();
  }

  forDocument(uri: vscode.Uri): TorchVersion {
    const setting = vscode.workspace.getConfiguration('mlNotes', uri).get<string>('torchVersion', '').trim();
    const chosen = setting ? parseTorchVersion(setting) : undefined;
    if (chosen) return chosen;
    if (uri.scheme !== 'file') return DEFAULT_TORCH_VERSION;
    const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? dirname(uri.fsPath);
    const cached = this.found.get(folder);
    if (cached) return cached;
    const installed = findInstalledTorchVersion(dirname(uri.fsPath), { readFile, listDir, env: { VIRTUAL_ENV: process.env['VIRTUAL_ENV'], CONDA_PREFIX: process.env['CONDA_PREFIX'] } });
    const version = installed?.version ?? DEFAULT_TORCH_VERSION;
    this.found.set(folder, version);
    return version;
  }
}
