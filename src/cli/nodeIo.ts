// The CLI's file access on the real file system: a file the user names may be anywhere but must be a
// regular UTF-8 text file of at most 2 MB; imports follow the import rules of src/node/files.ts. Every call
// goes through one recorded file system (src/node/readSet.ts): the result cache keeps, with each answer,
// everything the run looked at, including what it answered from its own memory of earlier calls.
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { CliIo, FileRead } from './types';
import { isFileCheckOutcome } from './types';
import { DEFAULT_IMPORT_MAX_BYTES, readFileSafelySync, realRootsSync } from '../node/files';
import { environmentSitePackages } from './environment';
import { userCacheDir } from '../node/cacheFolders';
import { diskParseCache } from '../node/parseCache';
import { type ReadSet, type SyncFs, readRecorder } from '../node/readSet';
import { bundleFiles, diskFileAnswers } from '../node/resultCache';

const SKIPPED_DIRS = new Set(['node_modules', '.git', '__pycache__', '.venv', 'venv', '.tox', '.ipynb_checkpoints']);
const ANALYSED_FILE = /\.(py|ipynb)$/i;

/** Files the user names larger than this are refused (real model files are far smaller; 5 MB took minutes). */
const MAX_SOURCE_BYTES = 2 * 1024 * 1024;

function listPythonFiles(dir: string, fs: SyncFs): string[] | undefined {
  try {
    const out: string[] = [];
    const walk = (d: string): void => {
      // Symlinked folders are not followed (Dirent.isDirectory() is false for them), so no walk loops.
      for (const entry of fs.list(d)) {
        if (entry.isDirectory) {
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
  const build = bundleFiles(__filename);
  const recorder = readRecorder();
  const fs = recorder.fs;
  /** A value kept for the run with the calls that made it, which every later use records again. */
  const remembered = <T>(kept: { readonly value: T; readonly reads: ReadSet | undefined }): T => {
    recorder.include(kept.reads);
    return kept.value;
  };
  /**
   * Makes a value the run keeps, with its calls while a recording is under way; made without one, its calls are
   * unknown, and a recording that later uses it is not kept.
   */
  const made = <T>(make: () => T): { readonly value: T; readonly reads: ReadSet | undefined } => (recorder.recording() ? recorder.record(make) : { value: make(), reads: undefined });
  // Installed model libraries come from the Python environment's site-packages, which are allowed too. Found
  // once per importing folder: an import tries many candidate paths, and finding the environment reads folders.
  const rootsByFolder = new Map<string, { readonly value: string[]; readonly reads: ReadSet | undefined }>();
  const importRoots = (folder: string): string[] => {
    let roots = rootsByFolder.get(folder);
    if (!roots) rootsByFolder.set(folder, (roots = made(() => realRootsSync([cwd, folder, ...environmentSitePackages(folder, process.env, fs)], fs))));
    return remembered(roots);
  };
  // One run (the files of a `check`) reads the same imports for every file and check unit, trying many
  // candidate paths that do not exist: each is resolved and read once per run and set of allowed folders.
  type Kept = { readonly value: ReturnType<typeof readFileSafelySync>; readonly reads: ReadSet | undefined };
  const importReads = new WeakMap<string[], Map<string, Kept>>();
  let keptChars = 0;
  const readImportOnce = (path: string, roots: string[]): ReturnType<typeof readFileSafelySync> => {
    let reads = importReads.get(roots);
    if (!reads) importReads.set(roots, (reads = new Map()));
    const kept = reads.get(path);
    if (kept) return remembered(kept);
    const read = made(() => readFileSafelySync(path, { roots: [], maxBytes: DEFAULT_IMPORT_MAX_BYTES }, roots, fs));
    const size = read.value.ok ? read.value.text.length : 0;
    if (keptChars + size <= KEPT_IMPORT_CHARS) {
      keptChars += size;
      reads.set(path, read);
    }
    return read.value;
  };
  return {
    cwd,
    readFile: (path) => {
      const outcome = readFileSafelySync(resolve(path), { roots: [], maxBytes: MAX_SOURCE_BYTES }, undefined, fs);
      return outcome.ok ? outcome.text : undefined;
    },
    // A file named on the command line may be anywhere; one found by walking a folder must stay inside it.
    readSource: (path, root) => {
      const outcome = readFileSafelySync(resolve(path), { roots: root ? [root] : [], maxBytes: MAX_SOURCE_BYTES }, undefined, fs);
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
    listPythonFiles: (dir) => listPythonFiles(dir, fs),
    sitePackages: (codeDir) => environmentSitePackages(codeDir, process.env, fs),
    // With env, lets commands find the user's torch release (src/cli/torchVersion.ts).
    listDir: (path) => {
      try {
        return fs.list(path).map((entry) => entry.name);
      } catch {
        return [];
      }
    },
    env: { VIRTUAL_ENV: process.env.VIRTUAL_ENV, CONDA_PREFIX: process.env.CONDA_PREFIX },
    parseCache: diskParseCache(userCacheDir()),
    recorder,
    // Only the built CLI keeps answers: run from the sources (tests in process), no one file is the code.
    ...(build ? { fileResults: diskFileAnswers(userCacheDir(), build, cwd, process.env, isFileCheckOutcome) } : {}),
    isDirectory: (path) => {
      try {
        return fs.stat(path).isDirectory();
      } catch {
        return false;
      }
    },
  };
}
