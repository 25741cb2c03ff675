// V8 flags a CLI command sets for itself when it starts: the command line cannot pass them to node (the `ml-notes`
// launcher is a plain `#!/usr/bin/env node` script), and flags the optimising compiler reads per compilation take
// effect when set before the command's code runs hot.
import { setFlagsFromString } from 'node:v8';

/**
 * `check` reads hundreds of files once each, so most of the optimising compiler's work is never paid back: with
 * inlining, its background compilations took ~15-25% of the run's processor time. Without inlining, the 332-file
 * check corpus took 17-20 s of CPU instead of 21-25 s (2 workers, four pairs in turns, identical output).
 * `summary` is over before the compiler matters, and the editor's worker is long-lived: its keystrokes ran 10-15%
 * slower without inlining, so neither sets it.
 */
const COMMAND_V8_FLAGS: Readonly<Record<string, readonly string[]>> = {
  check: ['--no-turbo-inlining'],
};

/** The V8 flags the command named first in argv runs with (none for the others). */
export function commandV8Flags(argv: readonly string[]): readonly string[] {
  const command = argv[0];
  return command !== undefined && Object.hasOwn(COMMAND_V8_FLAGS, command) ? COMMAND_V8_FLAGS[command]! : [];
}

/** Sets the command's V8 flags for this process and the worker threads it starts after. */
export function applyCommandV8Flags(argv: readonly string[]): void {
  for (const flag of commandV8Flags(argv)) setFlagsFromString(flag);
}
