// Dispatches `ml-notes <command> ...` to the command table.
import type { CliCommand, CliIo, CliResult } from './types';
import { usageError } from './types';
import { commands } from './commands';

export function helpText(table: readonly CliCommand[] = commands): string {
  const width = Math.max(...table.map((c) => c.name.length));
  return [
    'ml-notes: static analysis of PyTorch model code, checks, calculators and notes.',
    '',
    'Commands:',
    ...table.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `ml-notes <command> --help` for its options.',
    'Parses of imported files are kept in the user cache folder ($XDG_CACHE_HOME/ml-notes); --no-cache skips it.',
    '',
  ].join('\n');
}

/** Every command takes `--no-cache`: parse everything afresh, neither reading nor writing the parse cache. */
const NO_CACHE = '--no-cache';

export async function runCli(argv: readonly string[], given: CliIo, table: readonly CliCommand[] = commands): Promise<CliResult> {
  const { parseCache, ...uncached } = given;
  const io: CliIo = argv.includes(NO_CACHE) ? uncached : { ...uncached, ...(parseCache ? { parseCache } : {}) };
  const [name, ...rest] = argv.filter((a) => a !== NO_CACHE);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    return { stdout: helpText(table), stderr: '', code: name === undefined ? 2 : 0 };
  }
  const command = table.find((c) => c.name === name);
  if (!command) return usageError(`unknown command '${name}' (try: ${table.map((c) => c.name).join(', ')})`);
  try {
    const implementation = await command.load();
    if (rest.includes('--help') || rest.includes('-h')) return { stdout: `usage: ${implementation.usage}\n`, stderr: '', code: 0 };
    return await implementation.run(rest, io);
  } catch (error) {
    // A command must never crash with a stack trace; report it as a one-line failure.
    return { stdout: '', stderr: `ml-notes: internal error: ${error instanceof Error ? error.message : String(error)}\n`, code: 2 };
  }
}
