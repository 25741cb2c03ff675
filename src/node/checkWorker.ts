// What the CLI's loader (src/cliLoader.ts) and `check`'s worker threads (src/cli/parallelCheck.ts) share: how a
// worker thread is told apart. Here, not in parallelCheck.ts, so the loader stays free of the CLI's modules.

/**
 * The argument a check worker thread is started with. A run of the bundle asks node:worker_threads whether it is
 * a worker only when it has it: loading that module (and the streams it loads) took 1.5-5 ms of every command.
 */
export const CHECK_WORKER_ARGUMENT = '--ml-notes-check-worker';

/**
 * The name of the V8 code cache a check worker thread loads the bundle with: its own, as each command has, since
 * a worker compiles the analysis and the checks, which the `check` command's main thread never runs. Without it a
 * worker's argv named no command and it took the cache of `ml-notes` without one, which no worker ever wrote.
 */
export const CHECK_WORKER_CACHE = 'check-worker';
