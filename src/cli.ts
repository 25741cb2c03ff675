// The `ml-notes` command line: the core's analyses, checks, calculators and notes in a terminal.
// The same bundle serves `check`'s worker threads (src/cli/parallelCheck.ts). A `summary` or `check` answer is
// kept with everything the run read (src/node/resultCache.ts); the loader (src/cliLoader.ts) answers from it.
import { availableParallelism } from 'node:os';
import { runCli } from './cli/main';
import { nodeIo } from './cli/nodeIo';
import { parallelChecker, serveCheckWorker } from './cli/parallelCheck';
import { STDERR, STDOUT, writeOutput } from './node/output';
import { userCacheDir } from './node/parseCache';
import { bundleFiles, commandKey, storeCommandAnswer } from './node/resultCache';

const workerIo = (cwd: string, useParseCache: boolean): ReturnType<typeof nodeIo> => {
  const { parseCache, ...io } = nodeIo(cwd);
  return useParseCache ? { ...io, parseCache } : io;
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
