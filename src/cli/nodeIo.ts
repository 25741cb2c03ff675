// The CLI's file access on the real file system: a file the user names may be anywhere but must be a
// regular UTF-8 text file of at most 2 MB; imports follow the import rules of src/node/files.ts.
import { readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { CliIo, FileRead } from './types';
import { DEFAULT_IMPORT_MAX_BYTES, readFileSafelySync, realRootsSync } from '../node/files';
import { environmentSitePackages } from './environment';
import { diskParseCache, userCacheDir } from '../node/parseCache';

const SKIPPED_DIRS = new Set(['node_modules', '.git', '__pycache__', '.venv', 'venv', '.tox', '.ipynb_checkpoints']);
const ANALYSED_FILE = /\.(py|ipynb)$/i;

/** Files the user names larger than this are refused (real model files are far smaller; 5 MB took minutes). */
const MAX_SOURCE_BYTES = 2 * 1024 * 1024;

function listPythonFiles(dir: string): string[] | undefined {
  try {
    const out: string[] = [];
    const walk = (d: string): void => {
      // Symlinked folders are not followed (Dirent.isDirectory() is false for them), so no walk loops.
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

const toFileRead = (outcome: ReturnType<typeof readFileSafelySync>): FileRead => (outcome.ok ? { text: outcome.text } : { error: outcome.reason });

/**
 * Imported files' texts one run keeps (beyond it, imports are read again each time): 16 M characters, more than
 * timm's whole package; a run over hostile files must not hold a gigabyte of strings.
 */
const KEPT_IMPORT_CHARS = 16 * 1024 * 1024;

/** The CLI's file access on the real file system, rooted at `cwd` (imports may come from it or the importer's folder). */
export function nodeIo(cwd: string): CliIo {
  // Installed model libraries come from the Python environment's site-packages, which are allowed too. Found
  // once per importing folder: an import tries many candidate paths, and finding the environment reads folders.
  const rootsByFolder = new Map<string, string[]>();
  const importRoots = (folder: string): string[] => {
    let roots = rootsByFolder.get(folder);
    if (!roots) rootsByFolder.set(folder, (roots = realRootsSync([cwd, folder, ...environmentSitePackages(folder, process.env)])));
    return roots;
  };
  // One run (the files of a `check`) reads the same imports for every file and check unit, trying many
  // candidate paths that do not exist: each is resolved and read once per run and set of allowed folders.
  const importReads = new WeakMap<string[], Map<string, ReturnType<typeof readFileSafelySync>>>();
  let keptChars = 0;
  const readImportOnce = (path: string, roots: string[]): ReturnType<typeof readFileSafelySync> => {
    let reads = importReads.get(roots);
    if (!reads) importReads.set(roots, (reads = new Map()));
    const kept = reads.get(path);
    if (kept) return kept;
    const outcome = readFileSafelySync(path, { roots: [], maxBytes: DEFAULT_IMPORT_MAX_BYTES }, roots);
    const size = outcome.ok ? outcome.text.length : 0;
    if (keptChars + size <= KEPT_IMPORT_CHARS) {
      keptChars += size;
      reads.set(path, outcome);
    }
    return outcome;
  };
  return {
    cwd,
    readFile: (path) => {
      const outcome = readFileSafelySync(resolve(path), { roots: [], maxBytes: MAX_SOURCE_BYTES });
      return outcome.ok ? outcome.text : undefined;
    },
    // A file named on the command line may be anywhere; one found by walking a folder must stay inside it.
    readSource: (path, root) => {
      const outcome = readFileSafelySync(resolve(path), { roots: root ? [root] : [], maxBytes: MAX_SOURCE_BYTES });
      if (outcome.ok || outcome.reason !== 'ENOENT') return toFileRead(outcome);
      return { error: 'no such file' };
    },
    readImport: (path, importer) => {
      // The interpreter's candidates climb to the file system's root; a relative one would name the working directory.
      if (!isAbsolute(path)) return undefined;
      const outcome = readImportOnce(path, importRoots(dirname(importer)));
      if (!outcome.ok && (outcome.reason === 'ENOENT' || outcome.reason === 'ENOTDIR')) return undefined;
      return toFileRead(outcome);
    },
    listPythonFiles,
    sitePackages: (codeDir) => environmentSitePackages(codeDir, process.env),
    // With env, lets commands find the user's torch release (src/cli/torchVersion.ts).
    listDir: (path) => {
      try {
        return readdirSync(path);
      } catch {
        return [];
      }
    },
    env: { VIRTUAL_ENV: process.env.VIRTUAL_ENV, CONDA_PREFIX: process.env.CONDA_PREFIX },
    parseCache: diskParseCache(userCacheDir()),
    isDirectory: (path) => {
      try {
        return statSync(path).isDirectory();
      } catch {
        return false;
      }
    },
  };
}
