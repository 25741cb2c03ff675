// `npm run survey:editor -- OUT.jsonl DIR_OR_FILE... [--only TEXT] [--fresh]`: the editor's analysis of every .py
// file under the folders (first view, then a keystroke; see scripts/corpus/surveyEditor.ts), one JSON line per file
// in OUT.jsonl and a summary here. `--fresh` also analyses the edited text afresh and records that view's digest.
// `npm run survey:editor -- --diff BASE.jsonl NEW.jsonl`: the files whose views differ, and the times side by side.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const read = (file) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const percentile = (xs, p) => sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const sum = (xs) => xs.reduce((a, b) => a + b, 0);

function summary(rows) {
  const first = rows.map((r) => r.firstMs);
  const edit = rows.map((r) => r.editMs);
  return {
    files: rows.length,
    first_total_s: +(sum(first) / 1000).toFixed(1),
    edit_total_s: +(sum(edit) / 1000).toFixed(1),
    edit_p50_ms: percentile(edit, 0.5),
    edit_p95_ms: percentile(edit, 0.95),
    edit_max_ms: Math.max(...edit),
    edits_over_500_ms: edit.filter((x) => x > 500).length,
    models: sum(rows.map((r) => r.models)),
    built: sum(rows.map((r) => r.built)),
    ran: sum(rows.map((r) => r.ran)),
    findings: sum(rows.map((r) => r.findings)),
    fresh_mismatches: rows.filter((r) => r.editFreshDigest !== undefined && r.editFreshDigest !== r.editDigest).map((r) => r.path),
  };
}

if (args[0] === '--diff') {
  const base = read(args[1]);
  const next = new Map(read(args[2]).map((r) => [r.path, r]));
  const changed = base.filter((r) => next.has(r.path) && (next.get(r.path).digest !== r.digest || next.get(r.path).editDigest !== r.editDigest)).map((r) => r.path);
  const slowest = base.filter((r) => next.has(r.path)).map((r) => [r.path, r.editMs, next.get(r.path).editMs]).sort((a, b) => b[1] - a[1]).slice(0, 10);
  console.log(JSON.stringify({ base: summary(base), new: summary([...next.values()]), views_changed: changed, slowest_keystrokes_base_vs_new: slowest }, null, 1));
} else {
  const work = mkdtempSync(join(tmpdir(), 'ml-notes-survey-'));
  try {
    const bundle = join(work, 'surveyEditor.cjs');
    await esbuild.build({ entryPoints: ['scripts/corpus/surveyEditor.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'error' });
    const run = spawnSync(process.execPath, ['--max-old-space-size=4096', bundle, ...args], { stdio: 'inherit' });
    if (run.status === 0) console.log(JSON.stringify(summary(read(args[0])), null, 1));
    process.exitCode = run.status ?? 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
