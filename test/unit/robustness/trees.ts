// The installed Python trees the robustness tests read: the standard library, torch and torchvision.
import { execFileSync } from 'node:child_process';
import { TORCH_PYTHON } from '../../oracle/lib/python';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FileRun } from './harness';
import { analyzeTimed, cachedReader, listPythonFiles, statsOf } from './harness';

const DIST_PACKAGES = '/usr/lib/python3/dist-packages';
const INSTALL_HINT = 'apt-get install -y --no-install-recommends python3-torch python3-torchvision (ORACLE_APT_PACKAGES in scripts/e2e-env.sh; npm test and .ci/run install them)';

export function stdlibDirectory(): string {
  try {
    return execFileSync(TORCH_PYTHON, ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
  } catch (error) {
    throw new Error(`cannot ask ${TORCH_PYTHON} for its standard library: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function packageDirectory(name: string): string {
  const dir = join(DIST_PACKAGES, name);
  if (!existsSync(dir)) throw new Error(`${dir} is missing: the robustness test reads the installed ${name} sources; ${INSTALL_HINT}`);
  return dir;
}

/** Logs a batch's timings (total and max, wall and CPU, the five slowest files) under a title. */
export function logStats(title: string, runs: readonly FileRun[], root = '/'): void {
  const stats = statsOf(runs);
  const slowest = stats.slowest.map((s) => ({ ...s, path: relative(root, s.path) }));
  const internalErrors = runs.filter((r) => r.internalError).length;
  console.log(`${title}: ${JSON.stringify({ ...stats, slowest, internalErrors })}`);
}

/**
 * Analyzes every file of a tree as the editor would: imports are followed by reading the installed files
 * (measured: about 20 s of CPU for the standard library, 5 s for torchvision, with imports followed).
 */
export function analyzeTree(root: string): FileRun[] {
  const readFile = cachedReader();
  const runs = listPythonFiles(root).map((path) => analyzeTimed(path, readFile(path) ?? '', readFile));
  logStats(`analyzeFile over every file of ${root}, imports followed`, runs, root);
  return runs;
}
