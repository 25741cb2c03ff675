// The `ml-notes` command line: the core's analyses, checks, calculators and notes in a terminal.
// The same bundle serves `check`'s worker threads (src/cli/parallelCheck.ts).
import { availableParallelism } from 'node:os';
import { runCli } from './cli/main';
import { nodeIo } from './cli/nodeIo';
import { parallelChecker, serveCheckWorker } from './cli/parallelCheck';

const workerIo = (cwd: string, useParseCache: boolean): ReturnType<typeof nodeIo> => {
  const { parseCache, ...io } = nodeIo(cwd);
  return useParseCache ? { ...io, parseCache } : io;
};

if (!serveCheckWorker(workerIo)) {
  const cwd = process.cwd();
  void runCli(process.argv.slice(2), { ...nodeIo(cwd), parallelism: availableParallelism(), checkInParallel: parallelChecker(__filename, cwd) }).then((result) => {
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.code;
  });
}
