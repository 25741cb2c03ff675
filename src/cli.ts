// The `ml-notes` command line: the core's analyses, checks, calculators and notes in a terminal.
import { runCli } from './cli/main';
import { nodeIo } from './cli/nodeIo';

void runCli(process.argv.slice(2), nodeIo(process.cwd())).then((result) => {
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
});
