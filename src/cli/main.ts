// Dispatches `ml-notes <command> ...` to the command table.
import type { CliCommand, CliIo, CliResult } from './types';
import { usageError } from './types';
import { commands } from './commands';
import { NO_CACHE_FLAG, NO_RESULT_CACHE_FLAG } from '../node/resultCache';

export function helpText(table: readonly CliCommand[] = commands): string {
  const width = Math.max(...table.map((c) => c.name.length));
  return [
    'ml-notes: static analysis of PyTorch model code, checks, calculators and notes.',
    '',
    'Commands:',
    ...table.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `ml-notes <command> --help` for its options.',
    'Parses of imported files, and the answers of summary and check with every file they read, are kept in the user',
    'cache folder ($XDG_CACHE_HOME/ml-notes): an answer is reused only while every file it read is unchanged.',
    '--no-cache skips every cache; --no-result-cache runs the analysis again (parses still cached).',
    '',
  ].join('\n');
}

/**
 * Every command takes `--no-cache`: parse everything afresh, neither reading nor writing the parse cache or kept
 * answers; and `--no-result-cache`: analyse afresh, with the parse cache (src/node/resultCache.ts).
 */
const CACHE_FLAGS: readonly string[] = [NO_CACHE_FLAG, NO_RESULT_CACHE_FLAG];

export async function runCli(argv: readonly string[], given: CliIo, table: readonly CliCommand[] = commands): Promise<CliResult> {
  const { parseCache, fileResults, ...uncached } = given;
  const noCache = argv.includes(NO_CACHE_FLAG);
  const io: CliIo = {
    ...uncached,
    ...(parseCache && !noCache ? { parseCache } : {}),
    ...(fileResults && !noCache && !argv.includes(NO_RESULT_CACHE_FLAG) ? { fileResults } : {}),
  };
  const [name, ...rest] = argv.filter((a) => !CACHE_FLAGS.includes(a));
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
