// The `ml-notes` command line: the core's analyses, checks, calculators and notes in a terminal.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CliIo } from './cli/types';
import { environmentSitePackages } from './cli/environment';
import { runCli } from './cli/main';

const SKIPPED_DIRS = new Set(['node_modules', '.git', '__pycache__', '.venv', 'venv', '.tox', '.ipynb_checkpoints']);
const ANALYSED_FILE = /\.(py|ipynb)$/i;

function listPythonFiles(dir: string): string[] | undefined {
  try {
    const out: string[] = [];
    const walk = (d: string): void => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRS.has(entry.name)) walk(join(d, entry.name));
        } else if (ANALYSED_FILE.test(entry.name)) out.push(join(d, entry.name));
      }
    };
    walk(dir);
    return out.sort();
  } catch {
    return undefined;
  }
}

const io: CliIo = {
  cwd: process.cwd(),
  readFile: (path) => {
    try {
      return readFileSync(resolve(path), 'utf8');
    } catch {
      return undefined;
    }
  },
  listPythonFiles,
  isDirectory: (path) => {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  },
  sitePackages: (codeDir) => environmentSitePackages(codeDir, process.env),
  listDir: (path) => {
    try {
      return readdirSync(path);
    } catch {
      return [];
    }
  },
  env: { VIRTUAL_ENV: process.env.VIRTUAL_ENV, CONDA_PREFIX: process.env.CONDA_PREFIX },
};

void runCli(process.argv.slice(2), io).then((result) => {
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
});
