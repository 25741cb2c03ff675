// Runs a bundle with V8's code cache kept in the user's cache folder, so a process does not compile the bundle and
// the functions it used last time again (Node 20 has no module.enableCompileCache). Used by the CLI's executable
// (src/cliLoader.ts) and the editor's analysis worker (src/worker/analysisWorkerLoader.ts). Without a usable cache the
// bundle compiles as usual and a cache is stored when its owner says (`writeWhen`); V8 refuses a cache made by
// another V8 or under other flags, and the file's name keeps bundles and Node releases apart.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { pruneStale } from './cacheFolders';

export interface CodeCacheOptions {
  /** The bundle to run (a CommonJS file). */
  readonly main: string;
  /** The folder of the caches (the user's cache folder's `v8`); undefined runs without one (`--no-cache`). */
  readonly folder: string | undefined;
  /** What this run's cache is for within the bundle's caches (a CLI command, the worker): one file each. */
  readonly purpose: string;
  /** The module that loads the bundle, and its `require` (the bundle's node: imports resolve through it). */
  readonly parent: NodeJS.Module;
  readonly require: NodeJS.Require;
  /**
   * Called once, when the cache is missing or was refused, with the function that stores this run's: the owner
   * calls it when the functions worth keeping have been compiled (the CLI at exit, the worker when idle).
   */
  readonly writeWhen: (write: () => void) => void;
}

/**
 * The names of a bundle's caches: `bundle` is the file's name without `.js`; `prefix` is shared by every cache of this
 * build on this Node and V8 (its size and time name it, so a rebuilt bundle never meets an old cache).
 */
export function bundleCacheNames(main: string): { readonly bundle: string; readonly prefix: string } {
  const info = statSync(main);
  const bundle = basename(main, '.js');
  return { bundle, prefix: `${bundle}-${process.version}-${process.versions.v8}-${info.size}-${Math.round(info.mtimeMs)}-` };
}

/** Whether a file in the caches' folder is a code cache of another build of `bundle`, or an unfinished write. */
export function isOtherBuildsCache(name: string, bundle: string, prefix: string): boolean {
  if (!name.startsWith(`${bundle}-`) || !/\.bin(\.\d+\.tmp)?$/.test(name)) return false;
  return !name.startsWith(prefix) || name.endsWith('.tmp');
}

/** Compiles `main` with its cache when there is one, arranges the cache's writing, and runs it as a module. */
export function runWithCodeCache(options: CodeCacheOptions): void {
  const { main, folder, purpose, parent } = options;
  const source = readFileSync(main, 'utf8').replace(/^#!.*/, '');
  const names = folder === undefined ? undefined : bundleCacheNames(main);
  const cacheFile = folder === undefined || names === undefined ? undefined : join(folder, `${names.prefix}${purpose}.bin`);
  let cachedData: Buffer | undefined;
  if (cacheFile !== undefined) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new Script(Module.wrap(source), { filename: main, ...(cachedData ? { cachedData } : {}) });
  if (cacheFile !== undefined && names !== undefined && (!cachedData || script.cachedDataRejected)) {
    options.writeWhen(() => storeCache(cacheFile, script, (name) => isOtherBuildsCache(name, names.bundle, names.prefix)));
  }
  const bundleModule = new Module(main, parent);
  bundleModule.filename = main;
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  run.call(bundleModule.exports, bundleModule.exports, options.require, bundleModule, main, dirname(main));
}

function storeCache(cacheFile: string, script: Script, othersCache: (name: string) => boolean): void {
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    // Named apart per thread too: check's worker threads share the process id and may write at once.
    const temporary = `${cacheFile}.${process.pid}${String(Math.random()).slice(2, 8)}.tmp`;
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cacheFile);
    // Caches of other builds (earlier versions, other Node releases) and unfinished writes left untouched for an hour
    // are gone.
    pruneStale(dirname(cacheFile), othersCache);
  } catch {
    // No cache folder: the next run compiles again.
  }
}

/**
 * How long the editor's worker waits with no message from the host before it stores its code cache. The host
 * stops the worker with SIGKILL, so there is no exit to store it at; an analysis is cut at its time budget (500 ms by
 * default) long before this, so the ~45 ms of storing falls between requests.
 */
export const CODE_CACHE_IDLE_MS = 3000;

/**
 * How many times a worker stores its cache, at most: the first idle moment follows the first file's view; later
 * ones add what edits, hovers and summaries compiled. A worker whose cache was accepted at start stores none.
 */
export const CODE_CACHE_WRITES = 3;

/** Calls `write` after each quiet spell of `idleMs` following a message, up to `times` times. */
export function whenIdleAfterMessages(write: () => void, idleMs: number = CODE_CACHE_IDLE_MS, times: number = CODE_CACHE_WRITES): void {
  let timer: NodeJS.Timeout | undefined;
  let left = times;
  const onMessage = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      write();
      left--;
      if (left === 0) process.off('message', onMessage);
    }, idleMs);
    // A pending write never keeps the worker alive once the host has gone.
    timer.unref();
  };
  process.on('message', onMessage);
}
