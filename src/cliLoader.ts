// The `ml-notes` executable: loads the CLI bundle (dist/cli-main.js) with V8's code cache kept in the user's
// cache folder (src/node/codeCache.ts), so a run does not compile the 1.4 MB bundle and its functions again. Without
// a usable cache it compiles as usual and stores one when the run ends; `--no-cache` skips it as it skips the parse
// cache. Before any of that, a `summary` or `check` whose kept answer still holds (every file it read unchanged:
// src/node/resultCache.ts) is answered without loading the bundle.
import { join } from 'node:path';
import { CHECK_WORKER_ARGUMENT, CHECK_WORKER_CACHE } from './node/checkWorker';
import { STDERR, STDOUT, writeOutput } from './node/output';
import { userCacheDir } from './node/cacheFolders';
import { lookupCommandAnswer } from './node/resultCache';
import { applyCommandV8Flags } from './node/v8Flags';
import { runWithCodeCache } from './node/codeCache';

const main = join(__dirname, 'cli-main.js');
const useCache = !process.argv.includes('--no-cache');
// A check worker thread (entered here too) only checks the files it is given: its argv names no command, so the
// lookup ends at once (node:worker_threads is not loaded to ask: it took 1.5-5 ms of a 70 ms answer).
const kept = useCache ? lookupCommandAnswer(userCacheDir(), [main, __filename], process.argv.slice(2), process.cwd(), process.env) : undefined;
if (kept) {
  writeOutput(STDOUT, kept.stdout);
  writeOutput(STDERR, kept.stderr);
  process.exitCode = kept.code;
} else runBundle();

function runBundle(): void {
  // Each command keeps its own cache: a cache holds the functions its first run compiled, and a summary started
  // from the cache `ml-notes --help` wrote compiled most of the analysis again on every run (+100 ms of 220).
  // A check worker thread keeps one too (written when it has checked its last file and exits).
  const command = process.argv.includes(CHECK_WORKER_ARGUMENT) ? CHECK_WORKER_CACHE : /^[a-z]{1,20}$/.test(process.argv[2] ?? '') ? process.argv[2]! : 'other';
  // Before the code cache is read, so it is made and read under the same flags on every run (a check's worker
  // threads share the flags its main thread set).
  applyCommandV8Flags([command]);
  runWithCodeCache({
    main,
    folder: useCache ? join(userCacheDir(), 'v8') : undefined,
    purpose: command,
    parent: module,
    require,
    // Made at exit, so the functions this run compiled are in it too.
    writeWhen: (write) => process.once('exit', write),
  });
}
