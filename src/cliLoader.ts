// The `ml-notes` executable: loads the CLI bundle (dist/cli-main.js) with V8's code cache kept in the user's
// cache folder, so a run does not compile the 1.4 MB bundle and its functions again (Node 20 has no
// module.enableCompileCache). Without a usable cache it compiles as usual and stores one when the run ends;
// `--no-cache` skips it as it skips the parse cache. Before any of that, a `summary` or `check` whose kept answer
// still holds (every file it read unchanged: src/node/resultCache.ts) is answered without loading the bundle.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { pruneStale } from './node/cacheFolders';
import { CHECK_WORKER_ARGUMENT, CHECK_WORKER_CACHE } from './node/checkWorker';
import { STDERR, STDOUT, writeOutput } from './node/output';
import { userCacheDir } from './node/parseCache';
import { lookupCommandAnswer } from './node/resultCache';
import { applyCommandV8Flags } from './node/v8Flags';

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
  const source = readFileSync(main, 'utf8').replace(/^#!.*/, '');
  // The bundle's size and time name its cache: a rebuilt bundle never meets an old one.
  const stamp = ((): string => {
    const info = statSync(main);
    return `${info.size}-${Math.round(info.mtimeMs)}`;
  })();
  // Each command keeps its own cache: a cache holds the functions its first run compiled, and a summary started
  // from the cache `ml-notes --help` wrote compiled most of the analysis again on every run (+100 ms of 220).
  // A check worker thread keeps one too (written when it has checked its last file and exits).
  const command = process.argv.includes(CHECK_WORKER_ARGUMENT) ? CHECK_WORKER_CACHE : /^[a-z]{1,20}$/.test(process.argv[2] ?? '') ? process.argv[2]! : 'other';
  // Before the code cache is read, so it is made and read under the same flags on every run (a check's worker
  // threads share the flags its main thread set).
  applyCommandV8Flags([command]);
  const bundleCaches = `cli-main-${process.version}-${stamp}-`;
  const cacheFile = join(userCacheDir(), 'v8', `${bundleCaches}${command}.bin`);
  let cachedData: Buffer | undefined;
  if (useCache) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new Script(Module.wrap(source), { filename: main, ...(cachedData ? { cachedData } : {}) });
  if (useCache && (!cachedData || script.cachedDataRejected)) {
    // Made at exit, so the functions this run compiled are in it too.
    process.once('exit', () => {
      try {
        mkdirSync(dirname(cacheFile), { recursive: true });
        // Named apart per thread too: check's worker threads share the process id and may write at once.
        const temporary = `${cacheFile}.${process.pid}${String(Math.random()).slice(2, 8)}.tmp`;
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, cacheFile);
        // Caches of other bundles (earlier versions, other Node releases) and unfinished writes left untouched for an
        // hour are gone.
        pruneStale(dirname(cacheFile), (name) => (!name.startsWith(bundleCaches) || name.endsWith('.tmp')) && /^cli-main-.*\.bin(\.\d+\.tmp)?$/.test(name));
      } catch {
        // No cache folder: the next run compiles again.
      }
    });
  }
  const bundle = new Module(main, module);
  bundle.filename = main;
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  run.call(bundle.exports, bundle.exports, require, bundle, main, dirname(main));
}
