// The CLI's persistent parse cache (issue 16): one file per parsed source, named by a digest of the text and
// holding the text itself (a digest that collides gives a miss, never another file's AST; see storedParse.ts), in a folder named by
// the running bundle's identity (so a new version never reads an old AST), in the user's cache folder. The first write of a run prunes other bundles' stale folders and caps this one's. Reads and writes that fail (a read-only home, a full disk, a file another process is writing) fall
// back to parsing; the cache never changes a result.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParseCache } from '../core/python/parseCache';
import { textDigest } from '../core/textDigest';
import { capFiles, pruneStale } from './cacheFolders';
import { storedParse, storedParseText } from './storedParse';

/** What makes stored ASTs valid: this bundle (its path, size and time), so a rebuilt converter starts afresh. */
function bundleIdentity(): string {
  try {
    const s = statSync(__filename);
    return `${__filename}:${s.size}:${s.mtimeMs}`;
  } catch {
    return __filename;
  }
}

/**
 * Stored parses kept per bundle: 2,000 files, about 140 MB at the median stored AST's 68 kB (measured over
 * 3,970 entries in a development cache; the 90th percentile is 337 kB).
 */
export const MAX_CACHED_PARSES = 2_000;

/**
 * Characters of a text its stored parse's file name is made from: all of a shorter text's, evenly spaced ones of a
 * longer one's. Naming runs in cold code at each import of a CLI run: 4,096 characters a file took 2-3 ms of a
 * ResNet-50 summary's 8 files. Versions of a file that differ only between them share a name; the stored text
 * tells them apart (a miss, then the new version's parse replaces the old).
 */
const NAMED_CHARS = 1_024;

/**
 * The file name of a text's stored parse: a digest of its length and characters (node:crypto is not loaded
 * for it: loading it took 3-7 ms of a 180 ms run), in characters every file system takes. Two texts may share a
 * name; the stored text tells them apart.
 */
export const storedParseName = (text: string): string => `${textDigest(text, Math.max(1, Math.floor(text.length / NAMED_CHARS))).replace(/:/g, '-')}.json`;

export function diskParseCache(dir: string, identity: string = bundleIdentity(), maxFiles = MAX_CACHED_PARSES): ParseCache {
  const parent = join(dir, 'parse');
  const bundleFolder = textDigest(identity).replace(/:/g, '-');
  const folder = join(parent, bundleFolder);
  const fileOf = (text: string): string => join(folder, storedParseName(text));
  let pruned = false;
  // Once per run, and only when it writes (a run that only reads never lists the folders).
  const prune = (): void => {
    if (pruned) return;
    pruned = true;
    pruneStale(parent, (name) => name !== bundleFolder);
    capFiles(folder, maxFiles);
  };
  return {
    // Every text is kept, however short: a process that finds all its parses stored never runs the parser, whose
    // first parse in a process took 7.6 ms for a 934-character file (the code is cold).
    get(text) {
      try {
        return storedParse(readFileSync(fileOf(text), 'utf8'), text);
      } catch {
        return undefined;
      }
    },
    set(text, module) {
      try {
        mkdirSync(folder, { recursive: true });
        prune();
        const file = fileOf(text);
        // Written aside and renamed: a concurrent reader sees the whole file or none.
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, storedParseText(text, module));
        renameSync(temporary, file);
      } catch {
        // A cache that cannot be written is no cache.
      }
    },
  };
}
