#!/usr/bin/env node
// Measures `ml-notes check` on public repositories the session tools brought as local snapshots (never
// committed): every finding is compared with the verdicts recorded in test/checks-eval/fetched.json
// (repository, commit, path, line, rule, verdict, reason), and the mutants listed there are applied to a
// temporary copy. A repository without a local snapshot is skipped and said so.
// Usage: npm run build && node scripts/eval-fetched.mjs [--mirrors DIR] [--unreviewed]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const mirrors = args.includes('--mirrors') ? args[args.indexOf('--mirrors') + 1] : (process.env.ML_NOTES_MIRRORS ?? '/work/.mirror');
const listUnreviewed = args.includes('--unreviewed');
const data = JSON.parse(readFileSync(join(repoRoot, 'test', 'checks-eval', 'fetched.json'), 'utf8'));
const cli = join(repoRoot, 'dist', 'cli.js');
if (!existsSync(cli)) {
  console.error('build first: npm run build');
  process.exit(2);
}

const git = (gitDir, ...rest) => execFileSync('git', ['--git-dir', gitDir, ...rest], { encoding: 'utf8', maxBuffer: 1 << 28 });

/** Writes the repository's Python files at the recorded commit into a temporary folder. */
function extract(entry) {
  const gitDir = join(mirrors, entry.repo.replace('/', '+'), 'repo');
  if (!existsSync(gitDir)) return undefined;
  const out = mkdtempSync(join(tmpdir(), 'ml-notes-fetched-'));
  const files = git(gitDir, 'ls-tree', '-r', '--name-only', entry.commit).split('\n').filter((f) => f.endsWith('.py'));
  for (const f of files) {
    try {
      const text = execFileSync('git', ['--git-dir', gitDir, 'show', `${entry.commit}:${f}`], { maxBuffer: 1 << 26 });
      mkdirSync(join(out, dirname(f)), { recursive: true });
      writeFileSync(join(out, f), text);
    } catch {
      // A blob the snapshot left out (large files) is skipped.
    }
  }
  return { dir: out, files: files.length };
}

function check(dir, targets) {
  try {
    return JSON.parse(execFileSync('node', [cli, 'check', '--json', '--fail-on', 'never', ...targets], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] })).findings;
  } catch (e) {
    return JSON.parse(e.stdout ?? '{"findings":[]}').findings;
  }
}

const verdicts = new Map(data.verdicts.map((v) => [`${v.repo}:${v.path}:${v.line} ${v.rule}`, v]));
const perRule = new Map();
const score = (rule) => perRule.get(rule) ?? (perRule.set(rule, { t: 0, f: 0, m: 0, found: 0 }), perRule.get(rule));
const unreviewed = [];
/** Findings seen, to list the verdicts no finding matches any more (stale). */
const found = new Set();
let files = 0;
let repos = 0;
const extracted = new Map();
for (const entry of data.repos) {
  const copy = extract(entry);
  if (!copy) {
    console.log(`skip ${entry.repo}: no local snapshot under ${mirrors}`);
    continue;
  }
  extracted.set(entry.repo, copy.dir);
  repos++;
  files += copy.files;
  for (const f of check(copy.dir, ['.'])) {
    const key = `${entry.repo}:${f.file}:${f.line} ${f.rule}`;
    found.add(key);
    const v = verdicts.get(key);
    if (!v) unreviewed.push(`${key} ${f.message}`);
    else if (v.verdict === 'true') score(f.rule).t++;
    else score(f.rule).f++;
  }
}
const missed = [];
for (const m of data.mutants ?? []) {
  const dir = extracted.get(m.repo);
  if (!dir) continue;
  const s = score(m.rule);
  s.m++;
  const path = join(dir, m.path);
  const original = readFileSync(path, 'utf8');
  const parts = original.split(m.find);
  if (parts.length - 1 < (m.occurrence ?? 1)) {
    missed.push(`${m.id}: does not apply`);
    continue;
  }
  const at = (m.occurrence ?? 1) - 1;
  writeFileSync(path, parts.slice(0, at + 1).join(m.find) + m.replace + parts.slice(at + 1).join(m.find));
  const found = check(dir, [m.path]).some((f) => f.rule === m.rule && f.line === m.line);
  writeFileSync(path, original);
  if (found) s.found++;
  else missed.push(`${m.id} (${m.rule} at ${m.repo}/${m.path}:${m.line})`);
}
for (const dir of extracted.values()) rmSync(dir, { recursive: true, force: true });

const pct = (a, b) => (b === 0 ? '—' : `${((100 * a) / b).toFixed(1)}%`);
let T = 0;
let F = 0;
let M = 0;
let FOUND = 0;
console.log(`${repos} repositories, ${files} Python files`);
console.log('| rule | true | false | precision | mutants | found | recall |\n|---|---:|---:|---:|---:|---:|---:|');
for (const [rule, s] of [...perRule.entries()].sort(([a], [b]) => a.localeCompare(b))) {
  T += s.t;
  F += s.f;
  M += s.m;
  FOUND += s.found;
  console.log(`| ${rule} | ${s.t} | ${s.f} | ${pct(s.t, s.t + s.f)} | ${s.m} | ${s.found} | ${pct(s.found, s.m)} |`);
}
console.log(`| **all** | ${T} | ${F} | ${pct(T, T + F)} | ${M} | ${FOUND} | ${pct(FOUND, M)} |`);
if (unreviewed.length > 0) console.log(`${unreviewed.length} finding(s) without a verdict${listUnreviewed ? ':' : ' (--unreviewed lists them)'}`);
if (listUnreviewed) for (const u of unreviewed) console.log(`  ${u}`);
for (const m of missed) console.log(`missed: ${m}`);
// A recorded verdict with no finding now: a true one is a lost finding, a false one a fixed false alarm.
for (const [key, v] of verdicts) if (extracted.has(v.repo) && !found.has(key)) console.log(`stale (${v.verdict}): ${key}`);
