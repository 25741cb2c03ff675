// Runs the built CLI (`node dist/cli.js summary ... --json`) on one corpus entry.
import { buildSync } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CorpusEntry } from './manifest';
import { entryPath } from './manifest';
import { runProcess } from './process';
import type { SummaryJson } from './summaryJson';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLI_BUNDLE = resolve(REPO_ROOT, 'dist', 'cli.js');

/** The newest modification time of a file under a folder (the CLI's sources). */
function newestMtimeMs(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs);
  }, 0);
}

/**
 * Builds dist/cli.js from the current sources when it is missing or older than a file under src/, as
 * esbuild.config.mjs does, so a test never runs a stale or absent bundle. The bundle is written to a temporary
 * file and renamed over dist/cli.js, so test files building it at once never read half of one.
 */
export function assertCliBuilt(): void {
  if (existsSync(CLI_BUNDLE) && statSync(CLI_BUNDLE).mtimeMs >= newestMtimeMs(resolve(REPO_ROOT, 'src'))) return;
  const built = buildSync({
    entryPoints: [resolve(REPO_ROOT, 'src', 'cli.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    banner: { js: '#!/usr/bin/env node' },
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  const [bundle] = built.outputFiles;
  if (bundle === undefined) throw new Error('esbuild produced no CLI bundle from src/cli.ts');
  mkdirSync(dirname(CLI_BUNDLE), { recursive: true });
  const partial = `${CLI_BUNDLE}.${process.pid}.tmp`;
  writeFileSync(partial, bundle.contents);
  renameSync(partial, CLI_BUNDLE);
}

export { ORACLE_TORCH_VERSION } from './python';
import { ORACLE_TORCH_VERSION } from './python';

export function summaryArguments(entry: CorpusEntry): string[] {
  // An input whose dtype differs from the default one names it (`--input 2:long`), one with a fill gives it (`2:long=20`).
  const dtypeSuffix = (index: number): string => {
    const dtype = entry.dtypes?.[index] ?? entry.dtype;
    return dtype === entry.dtype ? '' : `:${dtype}`;
  };
  const fillSuffix = (index: number): string => {
    const fill = entry.fills?.[index];
    return fill === null || fill === undefined ? '' : `=${fill}`;
  };
  const inputs = entry.inputs.flatMap((shape, index) => ['--input', `${shape.join(',')}${dtypeSuffix(index)}${fillSuffix(index)}`]);
  return ['summary', entryPath(entry), '--model', entry.model, ...inputs, '--dtype', entry.dtype, '--torch-version', ORACLE_TORCH_VERSION, '--json'];
}

/** The command line as a user would type it, for failure messages. */
export const commandLine = (entry: CorpusEntry): string =>
  `node dist/cli.js ${summaryArguments(entry).map((a) => (/[\s()[\],'"]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`;

export type CliOutcome = { readonly ok: true; readonly summary: SummaryJson; readonly ms: number } | { readonly ok: false; readonly message: string };

/** Exit 0 and 1 (the analysis found errors) both carry a summary; anything else is a failure. */
export async function runCliSummary(entry: CorpusEntry, timeoutMs = 60_000): Promise<CliOutcome> {
  const run = await runProcess(process.execPath, [CLI_BUNDLE, ...summaryArguments(entry)], { cwd: REPO_ROOT, timeoutMs });
  const command = commandLine(entry);
  if (run.error !== undefined) return { ok: false, message: `${command}: ${run.error}` };
  if (run.status !== 0 && run.status !== 1) {
    return { ok: false, message: `${command} exited ${run.status}: ${run.stderr.trim().slice(0, 2000)}` };
  }
  try {
    return { ok: true, summary: JSON.parse(run.stdout) as SummaryJson, ms: run.ms };
  } catch {
    return { ok: false, message: `${command} printed no JSON (exit ${run.status}): ${run.stdout.slice(0, 500)} ${run.stderr.slice(0, 500)}` };
  }
}
