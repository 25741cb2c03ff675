// Runs the built CLI (`node dist/cli.js summary ... --json`) on one corpus entry.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CorpusEntry } from './manifest';
import { entryPath } from './manifest';
import { runProcess } from './process';
import type { SummaryJson } from './summaryJson';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLI_BUNDLE = resolve(REPO_ROOT, 'dist', 'cli.js');

export function assertCliBuilt(): void {
  if (!existsSync(CLI_BUNDLE)) {
    throw new Error(`${CLI_BUNDLE} is missing: run the build first (node esbuild.config.mjs, or npm run build)`);
  }
}

/** The oracle runs Debian's PyTorch 1.13.1: the CLI answers for that release. */
export const ORACLE_TORCH_VERSION = '1.13.1';

export function summaryArguments(entry: CorpusEntry): string[] {
  // An input whose dtype differs from the default one names it: `--input 2:long`.
  const dtypeSuffix = (index: number): string => {
    const dtype = entry.dtypes?.[index] ?? entry.dtype;
    return dtype === entry.dtype ? '' : `:${dtype}`;
  };
  const inputs = entry.inputs.flatMap((shape, index) => ['--input', `${shape.join(',')}${dtypeSuffix(index)}`]);
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
