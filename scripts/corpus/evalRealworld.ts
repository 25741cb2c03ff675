// The in-session real-world measurement (test/corpus/public-repos): compares `ml-notes summary` with the
// PyTorch expectations recorded for model files of public repositories, call by call, reading the files from
// local snapshots (git directories) that are never committed. With --record it runs PyTorch
// (test/oracle/torch_summary.py) on the same files and rewrites expectations.json instead.
// Bundled and run by scripts/corpus/eval-realworld.mjs:
//   npm run eval:realworld -- MIRROR [--record] [--only name,name] [--json FILE]
import { spawnSync } from 'node:child_process';
import { ORACLE_TORCH_VERSION, TORCH_PYTHON } from '../../test/oracle/lib/python';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compareSummaries } from '../../test/oracle/lib/compareSummary';
import type { CallJson, OracleFailure, SummaryJson } from '../../test/oracle/lib/summaryJson';
import { isOracleFailure } from '../../test/oracle/lib/summaryJson';

type Dtype = 'float' | 'long';

interface PublicRepoEntry {
  readonly name: string;
  readonly kind: string;
  readonly repository: string;
  readonly path: string;
  readonly sha256: string;
  readonly model: string;
  readonly inputs: readonly (readonly number[])[];
  readonly dtype: Dtype;
  readonly dtypes?: readonly Dtype[];
  readonly barePackages?: readonly string[];
  /** Environment variables of the user's run the model reads (timm's TIMM_USE_NAFLEXVIT), as given to --env. */
  readonly environment?: Readonly<Record<string, string>>;
  readonly absentModules?: readonly string[];
}

interface Manifest {
  readonly repositories: Record<string, { readonly commit: string; readonly license: string }>;
  readonly entries: readonly PublicRepoEntry[];
}

interface Expectations {
  readonly description: string;
  /** PyTorch's summary (per-call inputs left out), or a hand-worked one, per entry name. */
  readonly summaries: Record<string, SummaryJson & { readonly source?: 'pytorch' | 'hand-worked' }>;
  /** Entries PyTorch could not run here (a dependency Debian lacks), with the reason. */
  readonly missing: Record<string, string>;
}

interface Options {
  readonly mirror: string;
  readonly record: boolean;
  readonly only?: readonly string[];
  readonly jsonOut?: string;
}

const root = process.argv[2]!;
const dataDir = join(root, 'test', 'corpus', 'public-repos');
const manifestPath = join(dataDir, 'manifest.json');
const expectationsPath = join(dataDir, 'expectations.json');

function parseOptions(args: readonly string[]): Options {
  let mirror: string | undefined;
  let record = false;
  let only: string[] | undefined;
  let jsonOut: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--record') record = true;
    else if (arg === '--only') only = (args[++i] ?? '').split(',').map((s) => s.trim());
    else if (arg === '--json') jsonOut = args[++i];
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else mirror = arg;
  }
  if (!mirror) throw new Error('usage: npm run eval:realworld -- MIRROR [--record] [--only name,name] [--json FILE]');
  return { mirror, record, ...(only ? { only } : {}), ...(jsonOut ? { jsonOut } : {}) };
}

/** The git directory of a repository's snapshot: MIRROR/owner+name, or the `repo` folder inside it. */
function gitDirOf(mirror: string, repository: string): string | undefined {
  const base = join(mirror, repository.replace('/', '+'));
  return [join(base, 'repo'), base].find((dir) => existsSync(join(dir, 'HEAD')) && existsSync(join(dir, 'objects')));
}

function git(gitDir: string, args: readonly string[], input?: string): Buffer {
  const run = spawnSync('git', ['--git-dir', gitDir, ...args], { input, maxBuffer: 1 << 30 });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr.toString().trim()}`);
  return run.stdout;
}

/** Writes every .py file of the snapshot at `commit` under `into` (imports may reach any of them). */
function extractPython(gitDir: string, commit: string, into: string): void {
  const listing = git(gitDir, ['ls-tree', '-r', '-z', commit]).toString('utf8').split('\0').filter(Boolean);
  const files = listing
    .map((line) => /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(line))
    .flatMap((m) => (m && m[2]!.endsWith('.py') ? [{ blob: m[1]!, path: m[2]! }] : []));
  // One `cat-file --batch` for all blobs: "<sha> blob <size>\n<bytes>\n" each.
  const batch = git(gitDir, ['cat-file', '--batch'], `${files.map((f) => f.blob).join('\n')}\n`);
  let offset = 0;
  for (const file of files) {
    const headerEnd = batch.indexOf(10, offset);
    const header = batch.subarray(offset, headerEnd).toString('utf8');
    const size = Number(header.split(' ')[2]);
    if (!Number.isFinite(size)) throw new Error(`cat-file: ${header}`);
    const target = join(into, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, batch.subarray(headerEnd + 1, headerEnd + 1 + size));
    offset = headerEnd + 1 + size + 1;
  }
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The first differences of a comparison, on one line. */
function describe(expected: SummaryJson, actual: SummaryJson): string {
  const shown = compareSummaries(expected, actual)
    .slice(0, 2)
    .map((d) => `${d.what}: PyTorch ${JSON.stringify(d.expected)}, ml-notes ${JSON.stringify(d.actual)}`);
  return shown.join('; ');
}

/** Calls that agree position by position (path, type, output, params, MACs). */
function matchedCalls(expected: SummaryJson, actual: SummaryJson): number {
  const actualCalls: readonly CallJson[] = Array.isArray(actual.calls) ? actual.calls : [];
  const fields = ['path', 'type', 'output', 'params', 'macs'] as const;
  return expected.calls.filter((call, i) => {
    const other = actualCalls[i];
    return other !== undefined && fields.every((f) => JSON.stringify(call[f]) === JSON.stringify(other[f] ?? null));
  }).length;
}

function summaryArguments(entry: PublicRepoEntry, file: string): string[] {
  const inputs = entry.inputs.flatMap((shape, i) => {
    const dtype = entry.dtypes?.[i] ?? entry.dtype;
    return ['--input', `${shape.join(',')}${dtype === entry.dtype ? '' : `:${dtype}`}`];
  });
  // The expectations were recorded by the oracle's PyTorch, so the analysis follows that version's API
  // (nanoGPT, for one, takes its manual-attention path where scaled_dot_product_attention is absent).
  const environment = Object.entries(entry.environment ?? {}).flatMap(([name, value]) => ['--env', `${name}=${value}`]);
  return ['summary', file, '--model', entry.model, ...inputs, '--dtype', entry.dtype, '--torch-version', ORACLE_TORCH_VERSION, ...environment, '--json'];
}

function record(entries: readonly PublicRepoEntry[], files: ReadonlyMap<string, string>, previous: Expectations): Expectations {
  const jobs = entries.map((e) => ({
    file: files.get(e.name)!,
    model: e.model,
    inputs: e.inputs,
    dtype: e.dtype,
    ...(e.dtypes ? { dtypes: e.dtypes } : {}),
    ...(e.barePackages ? { bare_packages: e.barePackages } : {}),
    ...(e.absentModules ? { absent_modules: e.absentModules } : {}),
  }));
  const run = spawnSync(TORCH_PYTHON, [join(root, 'test', 'oracle', 'torch_summary.py'), '--batch'], { input: JSON.stringify(jobs), maxBuffer: 1 << 30, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`torch_summary.py failed: ${run.stderr.slice(-2000)}`);
  const results = JSON.parse(run.stdout) as (SummaryJson | OracleFailure)[];
  const summaries = { ...previous.summaries };
  const missing = { ...previous.missing };
  entries.forEach((entry, i) => {
    const result = results[i]!;
    if (isOracleFailure(result)) {
      // A hand-worked expectation stands in for a model PyTorch cannot run here; keep it.
      if (summaries[entry.name]?.source !== 'hand-worked') delete summaries[entry.name];
      missing[entry.name] = result.error;
      return;
    }
    delete missing[entry.name];
    summaries[entry.name] = { ...result, source: 'pytorch', calls: result.calls.map(({ input: _input, ...call }) => call) };
  });
  return { ...previous, summaries, missing };
}

/** expectations.json with one summary per line, so a re-recording diffs model by model. */
function expectationsText(expectations: Expectations): string {
  const block = (record: Record<string, unknown>): string =>
    Object.entries(record)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => `  ${JSON.stringify(name)}: ${JSON.stringify(value)}`)
      .join(',\n');
  return `{\n "description": ${JSON.stringify(expectations.description)},\n "summaries": {\n${block(expectations.summaries)}\n },\n "missing": {\n${block(expectations.missing)}\n }\n}\n`;
}

function main(): void {
  const options = parseOptions(process.argv.slice(3));
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const previous: Expectations = existsSync(expectationsPath)
    ? (JSON.parse(readFileSync(expectationsPath, 'utf8')) as Expectations)
    : { description: '', summaries: {}, missing: {} };
  const entries = manifest.entries.filter((e) => !options.only || options.only.includes(e.name));
  const work = mkdtempSync(join(tmpdir(), 'ml-notes-realworld-'));
  try {
    // Snapshot files, one extraction per repository; entries whose snapshot is absent are skipped.
    const files = new Map<string, string>();
    const absent = new Set<string>();
    for (const repository of new Set(entries.map((e) => e.repository))) {
      const gitDir = gitDirOf(options.mirror, repository);
      const commit = manifest.repositories[repository]?.commit;
      if (!gitDir || !commit) {
        absent.add(repository);
        continue;
      }
      extractPython(gitDir, commit, join(work, repository.replace('/', '+')));
    }
    for (const entry of entries) {
      if (absent.has(entry.repository)) continue;
      const file = join(work, entry.repository.replace('/', '+'), entry.path);
      if (!existsSync(file)) throw new Error(`${entry.name}: ${entry.path} is not in ${entry.repository}`);
      if (sha256(file) !== entry.sha256) throw new Error(`${entry.name}: ${entry.path} differs from the recorded file (sha256)`);
      files.set(entry.name, file);
    }
    if (absent.size > 0) console.log(`no snapshot of: ${[...absent].join(', ')} (their models are skipped)`);
    const present = entries.filter((e) => files.has(e.name));

    if (options.record) {
      const updated = record(present, files, previous);
      writeFileSync(expectationsPath, expectationsText(updated));
      console.log(`recorded ${Object.keys(updated.summaries).length} expectations; PyTorch could not run: ${Object.keys(updated.missing).join(', ') || 'none'}`);
      return;
    }

    const cli = join(root, 'dist', 'cli.js');
    if (!existsSync(cli)) throw new Error(`${cli} is missing: npm run build first`);
    let exact = 0;
    let compared = 0;
    let matched = 0;
    let expectedCalls = 0;
    const rows: { name: string; exact: boolean; matched: number; calls: number; first: string }[] = [];
    for (const entry of present) {
      const expected = previous.summaries[entry.name];
      if (!expected) {
        console.log(`${entry.name}: no expectation (${previous.missing[entry.name] ?? 'not recorded'})`);
        continue;
      }
      compared++;
      expectedCalls += expected.calls.length;
      // Run from the repository's root, as its users do (`ml-notes summary timm/models/resnet.py`): its packages import each other from there.
      const cwd = join(work, entry.repository.replace('/', '+'));
      const run = spawnSync(process.execPath, [cli, ...summaryArguments(entry, files.get(entry.name)!)], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
      let actual: SummaryJson | undefined;
      try {
        actual = JSON.parse(run.stdout) as SummaryJson;
      } catch {
        actual = undefined;
      }
      if (!actual) {
        const reason = run.stderr.trim().split('\n')[0] ?? `exit ${run.status}`;
        rows.push({ name: entry.name, exact: false, matched: 0, calls: expected.calls.length, first: reason });
        continue;
      }
      const errors = actual.errors ?? [];
      const same = compareSummaries(expected, actual).length === 0 && errors.length === 0;
      const calls = matchedCalls(expected, actual);
      if (same) exact++;
      matched += calls;
      const first = same ? '' : describe(expected, actual) || errors.map((e) => `error at line ${e.line}: ${e.message}`).join('; ');
      rows.push({ name: entry.name, exact: same, matched: calls, calls: expected.calls.length, first });
    }
    for (const row of rows) console.log(`${row.exact ? 'exact' : 'DIFF '}  ${row.name}  ${row.matched}/${row.calls}${row.first ? `  ${row.first}` : ''}`);
    const repositories = new Set(present.filter((e) => previous.summaries[e.name]).map((e) => e.repository)).size;
    console.log(`models exact: ${exact}/${compared} (${repositories} repositories); calls matched: ${matched}/${expectedCalls}`);
    if (options.jsonOut) writeFileSync(options.jsonOut, `${JSON.stringify({ exact, compared, matched, expectedCalls, rows }, null, 1)}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
