// What a CLI subcommand receives and returns. Commands are pure over this interface so tests can run
// them in-process; only src/cli.ts touches process.argv, stdout and the exit code.

/** Exit codes: 0 ok, 1 the analysis found errors, 2 bad usage or unreadable input. */
export type ExitCode = 0 | 1 | 2;

export interface CliIo {
  readonly readFile: (path: string) => string | undefined;
  /** The Python files (`.py`) and Jupyter notebooks (`.ipynb`) under a directory, sorted; undefined when unreadable. */
  readonly listPythonFiles: (dir: string) => string[] | undefined;
  readonly isDirectory: (path: string) => boolean;
  readonly cwd: string;
  /** The site-packages folders of the Python environment the code runs in (see src/cli/environment.ts). */
  readonly sitePackages?: (codeDir: string) => readonly string[];
  /** Names in a directory (empty when absent); with `env`, lets commands find the user's torch release. */
  readonly listDir?: (path: string) => readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: ExitCode;
}

export interface CliCommand {
  readonly name: string;
  /** One line for `ml-notes --help`. */
  readonly summary: string;
  readonly usage: string;
  run(args: readonly string[], io: CliIo): CliResult | Promise<CliResult>;
}

export const usageError = (message: string): CliResult => ({ stdout: '', stderr: `ml-notes: ${message}\n`, code: 2 });
