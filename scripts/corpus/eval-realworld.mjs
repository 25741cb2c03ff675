// `npm run eval:realworld -- MIRROR [--record] [--only name,name] [--json FILE]`: the in-session real-world
// measurement. Bundles scripts/corpus/evalRealworld.ts with esbuild (as the benchmark does) and runs it; see
// that file and test/corpus/public-repos/manifest.json.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = process.cwd();
const work = mkdtempSync(join(tmpdir(), 'ml-notes-eval-'));
try {
  const bundle = join(work, 'evalRealworld.cjs');
  await esbuild.build({ entryPoints: ['scripts/corpus/evalRealworld.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'error' });
  const run = spawnSync(process.execPath, [bundle, root, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
