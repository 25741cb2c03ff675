// V8 flags a CLI command sets for itself when it starts: the command line cannot pass them to node (the `ml-notes`
// launcher is a plain `#!/usr/bin/env node` script), and flags the optimising compiler reads per compilation take
// effect when set before the command's code runs hot. The loader (src/cliLoader.ts) sets them before it reads the
// bundle's code cache: V8 checks a cache against the flags, and a cache written after they changed was refused,
// and written again, on every run.
import { createRequire } from 'node:module';

/**
 * V8 11's default interrupt budget: the bytes of bytecode a function runs before V8 considers tiering it up. The
 * tuned budgets here and in the editor's worker (src/worker/client.ts) are multiples of it.
 */
export const V8_DEFAULT_INTERRUPT_BUDGET = 67_584;

/** The flag that makes V8 tier up `times` times later than its default. */
export function interruptBudgetFlag(times: number): string {
  return `--interrupt-budget=${times * V8_DEFAULT_INTERRUPT_BUDGET}`;
}

/**
 * `check` reads hundreds of files once each, so most of the optimising compiler's work is never paid back: with
 * inlining, its background compilations took ~15-25% of the run's processor time. Without inlining, the 332-file
 * check corpus took 17-20 s of CPU instead of 21-25 s (2 workers, four pairs in turns, identical output).
 * A later tier-up (sixteen times V8's default interrupt budget of 67,584 bytes of bytecode run) leaves TurboFan
 * only the functions that run most: the interpreter's large functions were compiled again after each
 * deoptimization (evalExpr 16 times in one thread's run). Per-thread CPU of the corpus check (workers' JavaScript /
 * V8's threads / whole process, 3 pairs in turns at load 8.5-10): default 8.2/10.3/18.6, 8.3/10.4/18.9,
 * 7.5/9.5/17.2 s; 16x 9.1/2.9/12.2, 9.5/3.0/12.7, 8.6/2.7/11.4 (4x and 8x measured between: 13.4-15.3, 12.1-14.3).
 * `summary` is over before the compiler matters, and the editor's worker is long-lived: its keystrokes ran 10-15%
 * slower without inlining, so neither sets them.
 */
const COMMAND_V8_FLAGS: Readonly<Record<string, readonly string[]>> = {
  check: ['--no-turbo-inlining', interruptBudgetFlag(16)],
};

/**
 * The V8 release line every tuning flag here and in the editor's worker (src/worker/client.ts) was measured on: Node
 * 20's V8 11. Other releases tier up differently and name their flags differently: Node 24's V8 has no
 * --interrupt-budget, a process started with it exits with "bad option" (the editor's worker never started under
 * code-server's Node 24) and v8.setFlagsFromString prints "unrecognized flag". Elsewhere V8's defaults stand.
 */
export const TUNED_V8_MAJOR = 11;

/** The flags where this V8 is the release line they were measured on, else none. */
export function tunedV8Flags(flags: readonly string[], v8Version: string = process.versions.v8): readonly string[] {
  return Number(v8Version.split('.')[0]) === TUNED_V8_MAJOR ? flags : [];
}

/** The V8 flags the command named first in argv runs with on this V8 (none for the other commands). */
export function commandV8Flags(argv: readonly string[], v8Version: string = process.versions.v8): readonly string[] {
  const command = argv[0];
  return command !== undefined && Object.hasOwn(COMMAND_V8_FLAGS, command) ? tunedV8Flags(COMMAND_V8_FLAGS[command]!, v8Version) : [];
}

/**
 * Sets the command's V8 flags for this process and the worker threads it starts after. node:v8 is loaded only for a
 * command that has flags (loading it took 4-8 ms, the loader runs for every command).
 */
export function applyCommandV8Flags(argv: readonly string[]): void {
  const flags = commandV8Flags(argv);
  if (flags.length === 0) return;
  const { setFlagsFromString } = createRequire(__filename)('node:v8') as typeof import('node:v8');
  for (const flag of flags) setFlagsFromString(flag);
}
