// The real-world corpus (test/corpus/models.json): model files nobody on this project wrote, unmodified, from
// Debian's PyTorch and torchvision source packages and from the installed torchvision, torchaudio, torchtext
// and skorch. Every model is built and run by real PyTorch at test time (one python process for all) and
// summarised by the CLI; every call's path, type, output shape, params and MACs, and the totals, must agree,
// and the CLI must report no error (PyTorch raised none). Models listed in test/corpus/known-gaps.json must
// still differ: one that starts matching fails here until its entry is removed, so the list stays honest.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliOutcome } from './lib/cli';
import { assertCliBuilt, commandLine, runCliSummary } from './lib/cli';
import { compareSummaries, formatDifferences } from './lib/compareSummary';
import { mapLimited, runProcess } from './lib/process';
import type { RealWorldEntry } from './lib/realWorld';
import { DIST_PACKAGES, REAL_WORLD_DIR, loadKnownGaps, loadRealWorldCorpus } from './lib/realWorld';
import type { OracleFailure, SummaryJson } from './lib/summaryJson';
import { isOracleFailure } from './lib/summaryJson';
import { TORCH_PYTHON, assertTorchAvailable, runTorchOracle } from './lib/torchOracle';

const corpus = loadRealWorldCorpus();
const knownGaps = loadKnownGaps();
const gapByName = new Map(knownGaps.map((gap) => [gap.name, gap]));
/** REALWORLD_ONLY=name,name runs just those entries. */
const only = process.env['REALWORLD_ONLY']?.split(',').map((name) => name.trim());
const entries = only ? corpus.filter((entry) => only.includes(entry.name)) : corpus;

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const isTorchvisionBuilder = (entry: RealWorldEntry): boolean => entry.source === 'installed' && entry.origin.path.startsWith('torchvision/models/');

interface DebianSourceFile {
  readonly file: string;
  readonly repository: string;
  readonly tag: string;
  readonly path: string;
  readonly license: string;
  readonly debianSource: string;
  readonly sha256: string;
}

describe('real-world corpus (test/corpus/models.json)', () => {
  it('has unique names and at least 40 models besides torchvision builders, from several packages, of every kind', () => {
    expect(new Set(corpus.map((e) => e.name)).size).toBe(corpus.length);
    const others = corpus.filter((e) => !isTorchvisionBuilder(e));
    expect(others.length).toBeGreaterThanOrEqual(40);
    expect(new Set(others.map((e) => e.origin.repository)).size).toBeGreaterThanOrEqual(5);
    const kinds = new Set(corpus.map((e) => e.kind));
    for (const kind of ['cnn', 'gan', 'rnn', 'transformer', 'audio', 'detection', 'segmentation', 'video'] as const) expect(kinds).toContain(kind);
  });

  it('records the origin of every file, and every file is unchanged since it was recorded', () => {
    const debianSources = (JSON.parse(readFileSync(join(REAL_WORLD_DIR, 'debian-src', 'manifest.json'), 'utf8')) as { files: DebianSourceFile[] }).files;
    const byFile = new Map(debianSources.map((f) => [f.file, f]));
    for (const entry of corpus) {
      const { origin } = entry;
      expect([origin.repository, origin.tag, origin.path, origin.license, origin.debian].every((v) => v.length > 0), entry.name).toBe(true);
      expect(existsSync(entry.file), `${entry.name}: ${entry.file} is missing (.ci/run installs the Debian packages)`).toBe(true);
      expect(sha256(entry.file), `${entry.name}: ${entry.file} differs from the recorded file`).toBe(origin.sha256);
      if (entry.source === 'debian-src') {
        const recorded = byFile.get(relative(REAL_WORLD_DIR, entry.file));
        expect(recorded, `${entry.name}: not in debian-src/manifest.json`).toBeDefined();
        expect({ ...origin }).toEqual({ repository: recorded!.repository, tag: recorded!.tag, path: recorded!.path, license: recorded!.license, debian: recorded!.debianSource, sha256: recorded!.sha256 });
      } else {
        expect(relative(DIST_PACKAGES, entry.file)).toBe(origin.path);
      }
    }
  });

  it('covers every classification and segmentation builder of the installed torchvision', async () => {
    assertTorchAvailable();
    const script = [
      'import json, torchvision.models as m',
      'names = m.list_models(module=m) + m.list_models(module=m.segmentation)',
      'print(json.dumps(sorted(names)))',
    ].join('\n');
    const run = await runProcess(TORCH_PYTHON, ['-c', script], { timeoutMs: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const builders = JSON.parse(run.stdout) as string[];
    const covered = new Set(corpus.filter(isTorchvisionBuilder).map((e) => /^(\w+)\(/.exec(e.model)?.[1]));
    expect(builders.filter((name) => !covered.has(name))).toEqual([]);
    expect(builders.length).toBeGreaterThanOrEqual(86);
  }, 180_000);

  it('lists as known gaps only corpus models, each once, with its first wrong call, cause and owner', () => {
    const names = new Set(corpus.map((e) => e.name));
    expect(knownGaps.filter((gap) => !names.has(gap.name)).map((gap) => gap.name)).toEqual([]);
    expect(new Set(knownGaps.map((gap) => gap.name)).size).toBe(knownGaps.length);
    for (const gap of knownGaps) expect([gap.firstWrongCall, gap.cause, gap.owner].every((v) => v.length > 0), gap.name).toBe(true);
  });
});

/** Why the CLI's summary is not PyTorch's, or undefined when it is (same calls, same totals, no error). */
function mismatch(entry: RealWorldEntry, expected: SummaryJson, outcome: CliOutcome): string | undefined {
  if (!outcome.ok) return outcome.message;
  const { summary } = outcome;
  const errors = summary.errors ?? [];
  const differences = compareSummaries(expected, summary);
  if (differences.length === 0 && errors.length === 0) return undefined;
  const report = differences.length > 0 ? formatDifferences(`${entry.name} (${commandLine(entry)})`, expected, summary) : `${entry.name} (${commandLine(entry)})`;
  const raised = errors.map((e) => `  error at line ${e.line} (PyTorch raised none): ${e.message}`);
  return [report, ...raised].join('\n');
}

describe('ml-notes summary agrees with PyTorch on real-world models', () => {
  let oracle: readonly (SummaryJson | OracleFailure)[] = [];
  let cli: readonly CliOutcome[] = [];

  beforeAll(async () => {
    assertCliBuilt();
    // PyTorch (one process, one thread) and the CLI runs (one at a time) share the two cores.
    [oracle, cli] = await Promise.all([runTorchOracle(entries, 1_500_000), mapLimited(entries, 1, (entry) => runCliSummary(entry))]);
    const matching = entries.filter((entry, i) => {
      const expected = oracle[i];
      return expected !== undefined && !isOracleFailure(expected) && mismatch(entry, expected, cli[i]!) === undefined;
    });
    console.log(`real-world corpus: ${matching.length} of ${entries.length} models match PyTorch exactly`);
  }, 1_800_000);

  it.each(entries.map((entry, index) => ({ entry, index, name: entry.name })))('$name', ({ entry, index }) => {
    const expected = oracle[index];
    const outcome = cli[index];
    if (expected === undefined || outcome === undefined) throw new Error('the oracle or the CLI did not run');
    if (isOracleFailure(expected)) {
      throw new Error(`PyTorch could not build or run ${entry.file} ${entry.model}: ${expected.error}\n${expected.traceback ?? ''}`);
    }
    const why = mismatch(entry, expected, outcome);
    const gap = gapByName.get(entry.name);
    if (gap) {
      if (why === undefined) throw new Error(`${entry.name} now matches PyTorch: remove it from test/corpus/known-gaps.json`);
      console.log(`known gap ${entry.name} (${gap.owner}): ${gap.cause}\n${why}`);
      expect(why).not.toBe('');
      return;
    }
    if (why !== undefined) throw new Error(why);
    expect(why).toBeUndefined();
  });
});
