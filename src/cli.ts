// The `ml-notes` command line: the core's analyses, checks, calculators and notes in a terminal.
// The same bundle serves `check`'s worker threads (src/cli/parallelCheck.ts). A `summary` or `check` answer is
// kept with everything the run read (src/node/resultCache.ts); the loader (src/cliLoader.ts) answers from it.
import { availableParallelism } from 'node:os';
import { runCli } from './cli/main';
import { nodeIo } from './cli/nodeIo';
import { parallelChecker, serveCheckWorker } from './cli/parallelCheck';
import type { WorkerCaches } from './cli/types';
import { STDERR, STDOUT, writeOutput } from './node/output';
import { userCacheDir } from './node/cacheFolders';
import { bundleFiles, commandKey, storeCommandAnswer } from './node/resultCache';

// A worker records what each file's check reads only when the run keeps answers (checkFile.ts records with
// fileResults only): with --no-result-cache the reads were recorded, posted and dropped, ~4% of a worker's time.
const workerIo = (cwd: string, caches: WorkerCaches): ReturnType<typeof nodeIo> => {
  const { parseCache, fileResults, ...io } = nodeIo(cwd);
  return { ...io, ...(caches.parseCache ? { parseCache } : {}), ...(caches.keptAnswers && fileResults ? { fileResults } : {}) };
};

if (!serveCheckWorker(workerIo)) {
  const cwd = process.cwd();
  const argv = process.argv.slice(2);
  const io = nodeIo(cwd);
  const files = bundleFiles(__filename);
  // Recorded from the start: the answer depends on every file the command looks at.
  const recording = files && commandKey(argv, cwd, process.env) !== undefined ? io.recorder?.begin() : undefined;
  void runCli(argv, { ...io, parallelism: availableParallelism(), checkInParallel: parallelChecker(__filename, cwd) }).then((result) => {
    writeOutput(STDOUT, result.stdout);
    writeOutput(STDERR, result.stderr);
    process.exitCode = result.code;
    const reads = recording?.end();
    if (files && reads) storeCommandAnswer(userCacheDir(), files, argv, cwd, process.env, result, reads);
  });
}
