// Where the user's cache folder is, and bounds on the CLI's folders in it (parse cache, V8 code cache): the loaders
// (cliLoader.ts, analysisWorkerLoader.ts) find it here without bundling the parse cache. Without the bounds every rebuilt or
// updated bundle leaves its whole cache behind (745 MB of dead ASTs after a month of development), and one
// bundle's folder grows with every file version it ever read. Failures are ignored: pruning never stops a run.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The user's cache folder for ML Notes: $XDG_CACHE_HOME, else the platform's usual place. */
export function userCacheDir(env: Readonly<Record<string, string | undefined>> = process.env, platform: string = process.platform): string {
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'ml-notes');
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'ml-notes', 'Cache');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'ml-notes');
  return join(homedir(), '.cache', 'ml-notes');
}

/** Another bundle's cache untouched this long is presumed gone (an old version); a younger one may be in use. */
export const STALE_CACHE_MS = 60 * 60 * 1000;

function modifiedMs(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Removes the entries of `folder` for which `belongsToOthers(name)` holds and that were last modified more
 * than `staleMs` before `now`; returns the names removed.
 */
export function pruneStale(folder: string, belongsToOthers: (name: string) => boolean, now = Date.now(), staleMs = STALE_CACHE_MS): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names.filter((name) => {
    if (!belongsToOthers(name)) return false;
    const modified = modifiedMs(join(folder, name));
    if (modified === undefined || now - modified <= staleMs) return false;
    try {
      rmSync(join(folder, name), { recursive: true, force: true });
      return true;
    } catch {
      return false;
    }
  });
}

/** When `folder` holds more than `max` files, removes the least recently written until half of `max` are left. */
export function capFiles(folder: string, max: number): number {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return 0;
  }
  if (names.length <= max) return 0;
  const byAge = names.map((name) => ({ name, modified: modifiedMs(join(folder, name)) ?? 0 })).sort((a, b) => a.modified - b.modified);
  let removed = 0;
  for (const { name } of byAge.slice(0, names.length - Math.floor(max / 2))) {
    try {
      rmSync(join(folder, name), { force: true });
      removed++;
    } catch {
      // Another process removed or holds it: the next pruning tries again.
    }
  }
  return removed;
}

/**
 * When `folder` holds more than `maxFiles` files or `maxBytes` bytes, removes the least recently written until
 * at most half of each is left; returns how many it removed.
 */
export function capFolder(folder: string, maxFiles: number, maxBytes: number): number {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return 0;
  }
  const entries = names.map((name) => {
    try {
      const info = statSync(join(folder, name));
      return { name, modified: info.mtimeMs, size: info.size };
    } catch {
      return { name, modified: 0, size: 0 };
    }
  });
  let bytes = entries.reduce((sum, e) => sum + e.size, 0);
  if (entries.length <= maxFiles && bytes <= maxBytes) return 0;
  entries.sort((a, b) => a.modified - b.modified);
  let left = entries.length;
  let removed = 0;
  for (const entry of entries) {
    if (left <= Math.floor(maxFiles / 2) && bytes <= maxBytes / 2) break;
    try {
      rmSync(join(folder, entry.name), { force: true });
      removed++;
    } catch {
      // Another process removed or holds it: the next bounding tries again.
    }
    left--;
    bytes -= entry.size;
  }
  return removed;
}
