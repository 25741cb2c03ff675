// The CLI's persistent parse cache (issue 16): one JSON file per parsed source, named by the SHA-256 of the
// text, in a folder named by the running bundle's identity (so a new version never reads an old AST), in the
// user's cache folder. The first write of a run prunes other bundles' stale folders and caps this one's. Reads and writes that fail (a read-only home, a full disk, a file another process is writing) fall
// back to parsing; the cache never changes a result.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Module } from '../core/python/ast';
import type { ParseCache } from '../core/python/parseCache';
import { capFiles, pruneStale } from './cacheFolders';

/** The user's cache folder for ML Notes: $XDG_CACHE_HOME, else the platform's usual place. */
export function userCacheDir(env: Readonly<Record<string, string | undefined>> = process.env, platform: string = process.platform): string {
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'ml-notes');
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'ml-notes', 'Cache');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'ml-notes');
  return join(homedir(), '.cache', 'ml-notes');
}

/** What makes stored ASTs valid: this bundle (its path, size and time), so a rebuilt converter starts afresh. */
function bundleIdentity(): string {
  try {
    const s = statSync(__filename);
    return `${__filename}:${s.size}:${s.mtimeMs}`;
  } catch {
    return __filename;
  }
}

/** Sources shorter than this parse faster than a cache file is found and read. */
const MIN_CACHED_CHARS = 2_000;

/**
 * Stored parses kept per bundle: 2,000 files, about 140 MB at the median stored AST's 68 kB (measured over
 * 3,970 entries in a development cache; the 90th percentile is 337 kB).
 */
export const MAX_CACHED_PARSES = 2_000;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function diskParseCache(dir: string, identity: string = bundleIdentity(), maxFiles = MAX_CACHED_PARSES): ParseCache {
  const parent = join(dir, 'parse');
  const bundleFolder = sha256(identity).slice(0, 16);
  const folder = join(parent, bundleFolder);
  const fileOf = (text: string): string => join(folder, `${sha256(text)}.json`);
  let pruned = false;
  // Once per run, and only when it writes (a run that only reads never lists the folders).
  const prune = (): void => {
    if (pruned) return;
    pruned = true;
    pruneStale(parent, (name) => name !== bundleFolder);
    capFiles(folder, maxFiles);
  };
  return {
    get(text) {
      if (text.length < MIN_CACHED_CHARS) return undefined;
      try {
        return JSON.parse(readFileSync(fileOf(text), 'utf8')) as Module;
      } catch {
        return undefined;
      }
    },
    set(text, module) {
      if (text.length < MIN_CACHED_CHARS) return;
      try {
        mkdirSync(folder, { recursive: true });
        prune();
        const file = fileOf(text);
        // Written aside and renamed: a concurrent reader sees the whole file or none.
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, JSON.stringify(module));
        renameSync(temporary, file);
      } catch {
        // A cache that cannot be written is no cache.
      }
    },
  };
}
