// Runs test/oracle/torch_summary.py once for many entries, so torch is imported once. Results are cached on
// disk by everything they depend on (the oracle script, the installed PyTorch packages' versions, the job and
// the model file's and its neighbours' bytes), so a rerun asks PyTorch only about what changed; a fresh machine asks about all.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CorpusEntry } from './manifest';
import { entryPath } from './manifest';
import { runProcess } from './process';
import type { OracleFailure, SummaryJson } from './summaryJson';

import { TORCH_PYTHON } from './python';

export { TORCH_PYTHON };
export const ORACLE_SCRIPT = fileURLToPath(new URL('../torch_summary.py', import.meta.url));

const INSTALL_HINT =
  'real PyTorch is needed for the oracle tests: apt-get install -y --no-install-recommends python3-torch python3-torchvision ' +
  '(ORACLE_APT_PACKAGES in scripts/e2e-env.sh; npm test and .ci/run install them)';

/** Throws with an install hint when TORCH_PYTHON cannot import torch and torchvision. */
export function assertTorchAvailable(): void {
  const probe = spawnSync(TORCH_PYTHON, ['-c', 'import torch, torchvision; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    const detail = probe.error ? probe.error.message : probe.stderr.trim().split('\n').pop();
    throw new Error(`${INSTALL_HINT}; ${TORCH_PYTHON} says: ${detail}`);
  }
}

function jobFor(entry: CorpusEntry) {
  return {
    file: entryPath(entry),
    model: entry.model,
    inputs: entry.inputs,
    dtype: entry.dtype,
    ...(entry.dtypes ? { dtypes: entry.dtypes } : {}),
    ...(entry.fills ? { fills: entry.fills } : {}),
    ...(entry.package ? { package: entry.package } : {}),
    ...(entry.barePackages ? { bare_packages: entry.barePackages } : {}),
  };
}

type OracleResult = SummaryJson | OracleFailure;

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ORACLE_CACHE_DIR = process.env.ML_NOTES_ORACLE_CACHE ?? join(homedir(), '.cache', 'ml-notes-oracle');

/** What every cached result depends on besides its own job: the oracle script and the PyTorch packages' versions. */
function oracleFingerprint(): string {
  const versions = spawnSync(
    'dpkg-query',
    ['-W', '-f', '${Package}=${Version} ', 'python3-torch', 'python3-torchvision', 'python3-torchaudio', 'python3-torchtext', 'python3-skorch'],
    { encoding: 'utf8' },
  ).stdout;
  return createHash('sha256').update(readFileSync(ORACLE_SCRIPT)).update(versions ?? '').digest('hex');
}

/** The job, the model file and the Python files beside it (which it may import). */
function cacheKey(fingerprint: string, entry: CorpusEntry): string {
  const job = jobFor(entry);
  // Paths inside the checkout count relative to it, so every clone and worktree shares the cache.
  const hash = createHash('sha256').update(fingerprint).update(JSON.stringify({ ...job, file: relative(REPO_ROOT, job.file) }));
  const folder = dirname(job.file);
  if (existsSync(folder)) {
    for (const name of readdirSync(folder).filter((file) => file.endsWith('.py')).sort()) hash.update(name).update(readFileSync(join(folder, name)));
  }
  return hash.digest('hex');
}

function readCached(key: string): OracleResult | undefined {
  const path = join(ORACLE_CACHE_DIR, `${key}.json`);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as OracleResult;
  } catch {
    return undefined;
  }
}

function writeCached(key: string, result: OracleResult): void {
  mkdirSync(ORACLE_CACHE_DIR, { recursive: true });
  const path = join(ORACLE_CACHE_DIR, `${key}.json`);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(result));
  renameSync(temporary, path);
}

/** One summary (or failure) per entry, in the same order. Throws when torch is missing or the script fails. */
export async function runTorchOracle(entries: readonly CorpusEntry[], timeoutMs = 540_000): Promise<OracleResult[]> {
  assertTorchAvailable();
  const fingerprint = oracleFingerprint();
  const keys = entries.map((entry) => cacheKey(fingerprint, entry));
  const results: (OracleResult | undefined)[] = keys.map(readCached);
  const missing = entries.flatMap((entry, index) => (results[index] === undefined ? [{ entry, index }] : []));
  if (missing.length === 0) return results as OracleResult[];
  const input = JSON.stringify(missing.map(({ entry }) => jobFor(entry)));
  const run = await runProcess(TORCH_PYTHON, [ORACLE_SCRIPT, '--batch'], { input, timeoutMs });
  if (run.error !== undefined || run.status !== 0) {
    throw new Error(`torch_summary.py failed (${run.error ?? `exit ${run.status}`}): ${run.stderr.slice(-2000)}`);
  }
  const fresh = JSON.parse(run.stdout) as OracleResult[];
  if (fresh.length !== missing.length) throw new Error(`torch_summary.py returned ${fresh.length} results for ${missing.length} jobs`);
  missing.forEach(({ index }, position) => {
    results[index] = fresh[position];
    writeCached(keys[index]!, fresh[position]!);
  });
  return results as OracleResult[];
}
