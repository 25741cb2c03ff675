// The CLI built as it ships, into a fresh folder, for tests that run it as a process: the bundle
// (dist/cli-main.js) and the executable that loads it with V8's code cache (dist/cli.js).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

export const REPO_ROOT = join(__dirname, '../../..');

/** As esbuild.config.mjs builds the CLI bundle: mathjs is only its parser, @lezer/python decodes its grammar on first use (scripts/build). */
export const CLI_ALIASES = { mathjs: join(REPO_ROOT, 'scripts/build/mathjsParser.mjs'), '@lezer/python': join(REPO_ROOT, 'scripts/build/lezerPythonOnUse.mjs') };

/** Builds the CLI into a new temporary folder and returns it. */
export function buildCli(): string {
  const dist = mkdtempSync(join(tmpdir(), 'ml-notes-dist-'));
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'silent' } as const;
  buildSync({ ...common, entryPoints: [join(REPO_ROOT, 'src/cli.ts')], outfile: join(dist, 'cli-main.js'), alias: CLI_ALIASES });
  buildSync({ ...common, entryPoints: [join(REPO_ROOT, 'src/cliLoader.ts')], outfile: join(dist, 'cli.js') });
  return dist;
}
