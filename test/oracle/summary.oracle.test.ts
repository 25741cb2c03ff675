// Ground truth for `ml-notes summary`: every corpus model is built and run by real PyTorch
// (torch_summary.py, all entries in one python process) and summarised by the CLI; every call's path,
// type, output shape, params and MACs, and the totals, must agree. Expected values come only from PyTorch,
// at test time.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliOutcome } from './lib/cli';
import { assertCliBuilt, commandLine, runCliSummary } from './lib/cli';
import { compareSummaries, formatDifferences } from './lib/compareSummary';
import { CORPUS_DIR, loadManifest } from './lib/manifest';
import type { OracleFailure, SummaryJson } from './lib/summaryJson';
import { isOracleFailure } from './lib/summaryJson';
import { mapLimited } from './lib/process';
import { runTorchOracle } from './lib/torchOracle';

const manifest = loadManifest();
/** ORACLE_ONLY=name,name runs just those entries (the oracle then builds only them). */
const only = process.env['ORACLE_ONLY']?.split(',').map((name) => name.trim());
const entries = only ? manifest.filter((entry) => only.includes(entry.name)) : manifest;
const INSTALLED_TORCHVISION = '/usr/lib/python3/dist-packages/torchvision';
const TORCHVISION_COPY = join(CORPUS_DIR, 'torchvision');

function listPythonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listPythonFiles(join(dir, entry.name)) : entry.name.endsWith('.py') ? [join(dir, entry.name)] : [],
  );
}

describe('oracle corpus', () => {
  it('has unique names, existing files and at least 15 hand-written model files', () => {
    expect(new Set(manifest.map((e) => e.name)).size).toBe(manifest.length);
    expect(manifest.filter((e) => !existsSync(join(CORPUS_DIR, e.file))).map((e) => e.file)).toEqual([]);
    const handWritten = listPythonFiles(join(CORPUS_DIR, 'models')).filter((f) => !f.endsWith('__init__.py'));
    expect(handWritten.length).toBeGreaterThanOrEqual(15);
  });

  it('selects at least one entry (ORACLE_ONLY names entries of manifest.json)', () => {
    expect(entries.map((e) => e.name)).toEqual(only ? expect.arrayContaining([expect.any(String)]) : manifest.map((e) => e.name));
  });

  it('keeps the torchvision files byte-for-byte identical to the installed torchvision', () => {
    const copies = listPythonFiles(TORCHVISION_COPY);
    expect(copies.length).toBeGreaterThan(15);
    for (const copy of copies) {
      const original = join(INSTALLED_TORCHVISION, relative(TORCHVISION_COPY, copy));
      expect(readFileSync(copy, 'utf8'), relative(CORPUS_DIR, copy)).toBe(readFileSync(original, 'utf8'));
    }
  });
});

describe('ml-notes summary agrees with PyTorch', () => {
  let oracle: readonly (SummaryJson | OracleFailure)[] = [];
  let cli: readonly CliOutcome[] = [];

  beforeAll(async () => {
    assertCliBuilt();
    // PyTorch (one process, one thread) and the CLI runs (one at a time) share the two cores.
    [oracle, cli] = await Promise.all([runTorchOracle(entries), mapLimited(entries, 1, (entry) => runCliSummary(entry))]);
    const timings = cli.flatMap((outcome, i) => (outcome.ok ? [{ name: entries[i]!.name, ms: Math.round(outcome.ms) }] : []));
    console.log(`ml-notes summary wall time per entry (ms, node start included): ${JSON.stringify(timings)}`);
  }, 900_000);

  it.each(entries.map((entry, index) => ({ entry, index, name: entry.name })))('$name', ({ entry, index }) => {
    const expected = oracle[index];
    const outcome = cli[index];
    if (expected === undefined || outcome === undefined) throw new Error('the oracle or the CLI did not run');
    if (isOracleFailure(expected)) {
      throw new Error(`PyTorch could not build or run ${entry.file} ${entry.model}: ${expected.error}\n${expected.traceback ?? ''}`);
    }
    if (!outcome.ok) throw new Error(outcome.message);
    const differences = compareSummaries(expected, outcome.summary);
    if (differences.length > 0) throw new Error(formatDifferences(`${entry.name} (${commandLine(entry)})`, expected, outcome.summary));
    // Reaching here means every compared field agreed; state it so the test has an explicit assertion.
    expect(differences).toEqual([]);
  });
});
