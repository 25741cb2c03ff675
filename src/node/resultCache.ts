// The CLI's result cache (issue 16): a `summary` or `check` answer kept in the user's cache folder with every
// input it depended on, as ruff, mypy and `eslint --cache` keep theirs. An entry is valid for
// - the build: a digest of the bundle's and the loader's bytes (with Node's version and the platform), which names
//   the entry's folder — never the package version, so a rebuilt bundle never meets an old answer;
// - its key: the command line as given, the working directory and the environment variables the io reads
//   (VIRTUAL_ENV, CONDA_PREFIX: where site-packages and the user's torch are found), compared in full;
// - its read set (readSet.ts): every file system call the run made and what it saw — each file read with its
//   content's digest, each probed path that did not exist, each folder listed.
// An entry's first line is the digest of the rest. A hit makes every call again and compares; any difference, a
// damaged (its digest differs), truncated or foreign entry, or an unreadable folder is a miss, and an unwritable
// folder only means nothing is kept. `check` also keeps one entry
// per checked file (its path, its text's digest, the options and its own read set), so an edit re-checks only
// the files whose inputs changed. This module is in the loader (dist/cli.js): a hit never loads the analysis.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { textDigest } from '../core/textDigest';
import { capFolder, pruneStale } from './cacheFolders';
import { type ReadSet, readSetHolds } from './readSet';

/** The commands whose whole answer is kept (the others are quick, or print what no file decides). */
const CACHED_COMMANDS: ReadonlySet<string> = new Set(['summary', 'check']);
/** Skips every cache (parses, code, results), as before the result cache. */
export const NO_CACHE_FLAG = '--no-cache';
/** Skips only the result cache: the analysis runs, with the parse and code caches (the bench measures it so). */
export const NO_RESULT_CACHE_FLAG = '--no-result-cache';
/** The environment variables the io reads: they choose the Python environment (site-packages, torch's version). */
const ENVIRONMENT_INPUTS = ['VIRTUAL_ENV', 'CONDA_PREFIX'] as const;
/** The entries kept per build: past either bound, the oldest are removed until half is left. */
export const MAX_RESULT_FILES = 5_000;
export const MAX_RESULT_BYTES = 200 * 1024 * 1024;
/** Entries of this layout; another layout's entry (an older version) is a miss. */
const ENTRY_VERSION = 1;
/** An answer that reports an internal error (a stack overflow depends on the stack's state) is not kept. */
const INTERNAL_ERROR = 'internal error';

type Env = Readonly<Record<string, string | undefined>>;

/** A command's answer as the process writes it. */
export interface StoredAnswer {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: 0 | 1 | 2;
}

/** A digest usable as a file name. */
const nameOf = (text: string): string => textDigest(text).replace(/:/g, '-');

const resultsFolder = (cacheDir: string): string => join(cacheDir, 'results');

const BUILDS = 'builds';

/** The files a build is: the bundle and the loader beside it, when this code runs from the bundle. */
export function bundleFiles(bundle: string): string[] | undefined {
  // Run from the sources (tests in process), the code the answer comes from is not one file: nothing is kept.
  return basename(bundle) === 'cli-main.js' ? [bundle, join(dirname(bundle), 'cli.js')] : undefined;
}

/**
 * The build's identity: a digest of its files' bytes, Node's version and the platform. Digesting the 1.4 MB bundle
 * takes milliseconds, so it is done once per version of the files (their device, inode, size, modification and
 * change times: any rewrite changes the change time) and remembered in the cache folder.
 */
export function buildIdentity(cacheDir: string, files: readonly string[]): string | undefined {
  try {
    const stamps = files
      .map((file) => {
        const s = statSync(file);
        return `${file}:${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
      })
      .join('\n');
    const builds = join(resultsFolder(cacheDir), BUILDS);
    const memo = join(builds, `${nameOf(stamps)}.txt`);
    try {
      const [stampsThen, identity] = readFileSync(memo, 'utf8').split('\n\n');
      if (stampsThen === stamps && identity && /^[\w-]+$/.test(identity)) return identity;
    } catch {
      // Not remembered yet: digest the files.
    }
    const identity = nameOf([process.version, process.platform, process.arch, ...files.map((file) => textDigest(readFileSync(file).toString('latin1')))].join('\n'));
    writeAside(memo, `${stamps}\n\n${identity}`, () => pruneStale(builds, (name) => name !== basename(memo)));
    return identity;
  } catch {
    return undefined;
  }
}

/** Writes `content` to `file` through a temporary file (a concurrent reader sees all or nothing); failures are ignored. */
function writeAside(file: string, content: string, beforeWrite?: () => void): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    beforeWrite?.();
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, content);
    renameSync(temporary, file);
  } catch {
    // A cache that cannot be written is no cache.
  }
}

/**
 * The key of a command line's answer, or undefined when it is not kept: another command, or a flag that skips
 * the cache. The command line is kept as given: a different spelling of the same options is a miss, never a
 * wrong answer (normalising it would need each command's option parser here, in the loader).
 */
export function commandKey(argv: readonly string[], cwd: string, env: Env): string | undefined {
  if (!CACHED_COMMANDS.has(argv[0] ?? '') || argv.includes(NO_CACHE_FLAG) || argv.includes(NO_RESULT_CACHE_FLAG)) return undefined;
  return JSON.stringify({ argv, cwd, env: ENVIRONMENT_INPUTS.map((name) => env[name] ?? null) });
}

const isObservation = (o: unknown): boolean => Array.isArray(o) && o.length === 3 && o.every((part) => typeof part === 'string');

/** The entry stored for `key` in `folder` when it is whole, of this layout and its reads still hold. */
function validEntry(folder: string, prefix: string, key: string): Record<string, unknown> | undefined {
  try {
    const content = readFileSync(join(folder, `${prefix}${nameOf(key)}.json`), 'utf8');
    // The first line is the digest of the rest: a damaged entry that still parses is a miss too.
    const bodyStart = content.indexOf('\n');
    const body = content.slice(bodyStart + 1);
    if (bodyStart < 0 || content.slice(0, bodyStart) !== textDigest(body)) return undefined;
    const entry = JSON.parse(body) as Record<string, unknown>;
    if (entry.v !== ENTRY_VERSION || entry.key !== key || !Array.isArray(entry.reads) || !entry.reads.every(isObservation)) return undefined;
    return readSetHolds(entry.reads as ReadSet) ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** One build's entries: read, and written with the folder kept bounded (checked once per process, at its first write). */
function entryFolder(cacheDir: string, identity: string): { readonly folder: string; write(prefix: string, key: string, entry: object): void } {
  const folder = join(resultsFolder(cacheDir), identity);
  let bounded = false;
  return {
    folder,
    write(prefix, key, entry) {
      const body = JSON.stringify({ v: ENTRY_VERSION, key, ...entry });
      writeAside(join(folder, `${prefix}${nameOf(key)}.json`), `${textDigest(body)}\n${body}`, () => {
        if (bounded) return;
        bounded = true;
        // Other builds' entries go once unused for an hour (a build in use elsewhere keeps its folder).
        pruneStale(resultsFolder(cacheDir), (name) => name !== identity && name !== BUILDS);
        capFolder(folder, MAX_RESULT_FILES, MAX_RESULT_BYTES);
      });
    },
  };
}

const COMMAND_PREFIX = 'c-';
const FILE_PREFIX = 'f-';

/** The answer kept for this command line when every input it read is unchanged. */
export function lookupCommandAnswer(cacheDir: string, files: readonly string[], argv: readonly string[], cwd: string, env: Env): StoredAnswer | undefined {
  const key = commandKey(argv, cwd, env);
  const identity = key === undefined ? undefined : buildIdentity(cacheDir, files);
  if (key === undefined || identity === undefined) return undefined;
  const entry = validEntry(join(resultsFolder(cacheDir), identity), COMMAND_PREFIX, key);
  if (!entry || typeof entry.stdout !== 'string' || typeof entry.stderr !== 'string' || ![0, 1, 2].includes(entry.code as number)) return undefined;
  return { stdout: entry.stdout, stderr: entry.stderr, code: entry.code as StoredAnswer['code'] };
}

/** Keeps a command line's answer with what it read (nothing is kept for an answer reporting an internal error). */
export function storeCommandAnswer(cacheDir: string, files: readonly string[], argv: readonly string[], cwd: string, env: Env, answer: StoredAnswer, reads: ReadSet): void {
  const key = commandKey(argv, cwd, env);
  const identity = key === undefined ? undefined : buildIdentity(cacheDir, files);
  if (key === undefined || identity === undefined || answer.stderr.includes(INTERNAL_ERROR) || answer.stdout.includes(INTERNAL_ERROR)) return;
  entryFolder(cacheDir, identity).write(COMMAND_PREFIX, key, { reads, stdout: answer.stdout, stderr: answer.stderr, code: answer.code });
}

/** What one checked file's answer depends on besides its reads. */
export interface FileAnswerKey {
  readonly path: string;
  readonly text: string;
  readonly disabled: readonly string[];
  readonly budgetMs: number;
}

/** Per-file answers of `check`, kept with their own read sets; `T` is the answer (plain data). */
export interface FileAnswers<T> {
  get(file: FileAnswerKey): { readonly answer: T; readonly reads: ReadSet } | undefined;
  set(file: FileAnswerKey, answer: T, reads: ReadSet): void;
}

/**
 * The per-file answers of the build `files` (none when run from the sources); the build's identity is found at
 * the first use, so a run that never checks a file does not look for it.
 */
export function diskFileAnswers<T>(cacheDir: string, files: readonly string[] | undefined, cwd: string, env: Env, isAnswer: (answer: unknown) => answer is T): FileAnswers<T> {
  let store: ReturnType<typeof entryFolder> | null | undefined;
  const storeOf = (): ReturnType<typeof entryFolder> | null => {
    if (store === undefined) {
      const identity = files && buildIdentity(cacheDir, files);
      store = identity === undefined ? null : entryFolder(cacheDir, identity);
    }
    return store;
  };
  const environment = ENVIRONMENT_INPUTS.map((name) => env[name] ?? null);
  const keyOf = (file: FileAnswerKey): string =>
    JSON.stringify({ path: file.path, text: textDigest(file.text), disabled: [...file.disabled].sort(), budgetMs: file.budgetMs, cwd, env: environment });
  return {
    get(file) {
      const folder = storeOf()?.folder;
      const entry = folder === undefined ? undefined : validEntry(folder, FILE_PREFIX, keyOf(file));
      return entry && isAnswer(entry.answer) ? { answer: entry.answer, reads: entry.reads as ReadSet } : undefined;
    },
    set(file, answer, reads) {
      storeOf()?.write(FILE_PREFIX, keyOf(file), { reads, answer });
    },
  };
}
