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

/**
 * V8's tiering for a `check` process, set by the loader before the bundle runs (worker threads share the process's
 * flags): a function is optimized by TurboFan only after sixteen times the default interrupt budget (67,584 bytes of
 * bytecode run). Over the checks corpus (332 files, 2 workers) more than half of the process's CPU was V8's
 * background threads, almost all of it TurboFan compiling and recompiling the interpreter's large functions
 * (evalExpr was compiled 16 times in one thread's run, each deoptimization a new compile): of ~20 s of CPU, ~10.8
 * on V8's threads and ~9.3 in the workers' JavaScript. Per-thread CPU of that check (workers' JavaScript / V8's
 * threads / whole process), 3 runs each in turns at load 8: 4x budget 9.0/6.1/15.3, 7.9/5.3/13.4, 8.0/5.3/13.5 s;
 * 8x 9.6/4.1/13.9, 8.0/3.9/12.1, 9.9/4.3/14.3; 16x 9.3/2.8/12.3, 9.2/2.9/12.3, 9.3/3.0/12.5; TurboFan off ~12/~1.9/14.1.
 * The output is the same. TurboFan stays on for the functions that run most, so a run over many more files keeps
 * their speed.
 */
export const CHECK_V8_FLAGS = '--interrupt-budget=1081344';

/** The V8 flags the loader sets for a command's run (the name of its code cache), if any. */
export const v8FlagsFor = (command: string): string | undefined => (command === 'check' || command === CHECK_WORKER_CACHE ? CHECK_V8_FLAGS : undefined);
