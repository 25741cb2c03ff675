// The editor's analysis worker process starts here (dist/analysisWorker.js): it runs the worker's bundle
// (dist/analysisWorker-main.js, src/worker/analysisWorker.ts) with V8's code cache from the user's cache folder, as the
// CLI does (src/node/codeCache.ts). A fresh worker otherwise compiles, on the thread that answers, every function
// its first view needs: with the cache, the first view of the 5k bench file took ~8% less of that thread's time.
import { join } from 'node:path';
import { runWithCodeCache, whenIdleAfterMessages } from '../node/codeCache';
import { userCacheDir } from '../node/cacheFolders';

// The worker is a child process of the extension host (src/worker/client.ts); ML_NOTES_NO_CODE_CACHE turns the cache
// off, as `--no-cache` does for the CLI.
runWithCodeCache({
  main: join(__dirname, 'analysisWorker-main.js'),
  folder: process.env.ML_NOTES_NO_CODE_CACHE ? undefined : join(userCacheDir(), 'v8'),
  purpose: 'editor',
  parent: module,
  require,
  writeWhen: (write) => whenIdleAfterMessages(write),
});
