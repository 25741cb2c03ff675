// Runs test/oracle/torch_summary.py once for many entries, so torch is imported once.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CorpusEntry } from './manifest';
import { entryPath } from './manifest';
import { runProcess } from './process';
import type { OracleFailure, SummaryJson } from './summaryJson';

/** Debian's interpreter: the `python3` first on PATH has no torch. */
export const TORCH_PYTHON = '/usr/bin/python3';
export const ORACLE_SCRIPT = fileURLToPath(new URL('../torch_summary.py', import.meta.url));

const INSTALL_HINT =
  'real PyTorch is needed for the oracle tests: apt-get install -y --no-install-recommends python3-torch python3-torchvision ' +
  '(see design.md §4; .ci/run installs them in CI)';

/** Throws with an install hint when /usr/bin/python3 cannot import torch and torchvision. */
export function assertTorchAvailable(): void {
  const probe = spawnSync(TORCH_PYTHON, ['-c', 'import torch, torchvision; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    const detail = probe.error ? probe.error.message : probe.stderr.trim().split('\n').pop();
    throw new Error(`${INSTALL_HINT}; ${TORCH_PYTHON} says: ${detail}`);
  }
}

function jobsFor(entries: readonly CorpusEntry[]): string {
  return JSON.stringify(
    entries.map((entry) => ({
      file: entryPath(entry),
      model: entry.model,
      inputs: entry.inputs,
      dtype: entry.dtype,
      ...(entry.dtypes ? { dtypes: entry.dtypes } : {}),
      ...(entry.fills ? { fills: entry.fills } : {}),
      ...(entry.package ? { package: entry.package } : {}),
      ...(entry.barePackages ? { bare_packages: entry.barePackages } : {}),
    })),
  );
}

/** One summary (or failure) per entry, in the same order. Throws when torch is missing or the script fails. */
export async function runTorchOracle(entries: readonly CorpusEntry[], timeoutMs = 540_000): Promise<(SummaryJson | OracleFailure)[]> {
  assertTorchAvailable();
  const run = await runProcess(TORCH_PYTHON, [ORACLE_SCRIPT, '--batch'], { input: jobsFor(entries), timeoutMs });
  if (run.error !== undefined || run.status !== 0) {
    throw new Error(`torch_summary.py failed (${run.error ?? `exit ${run.status}`}): ${run.stderr.slice(-2000)}`);
  }
  const results = JSON.parse(run.stdout) as (SummaryJson | OracleFailure)[];
  if (results.length !== entries.length) throw new Error(`torch_summary.py returned ${results.length} results for ${entries.length} jobs`);
  return results;
}
