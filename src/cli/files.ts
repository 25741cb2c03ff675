// How the commands read files through CliIo: the user's own files with a clear refusal, and imported files
// under the import rules, remembering what was skipped so the command can say so.
import type { CliIo, FileRead } from './types';

/** The text of a file the user named, or the refusal as a message. */
export function readText(io: CliIo, path: string, root?: string): FileRead {
  if (io.readSource) return io.readSource(path, root);
  const text = io.readFile(path);
  return text === undefined ? { error: 'cannot read it' } : { text };
}

/** A reader of imports for the core, and the imports it refused (path and why). */
export function importReader(io: CliIo, importer: string): { readonly read: (path: string) => string | undefined; readonly skipped: Map<string, string> } {
  const skipped = new Map<string, string>();
  const read = (path: string): string | undefined => {
    if (!io.readImport) return io.readFile(path);
    const outcome = io.readImport(path, importer);
    if (outcome === undefined) return undefined;
    if ('error' in outcome) {
      skipped.set(path, outcome.error);
      return undefined;
    }
    return outcome.text;
  };
  return { read, skipped };
}

/** One stderr line per skipped import. */
export const skippedLines = (skipped: ReadonlyMap<string, string>): string =>
  [...skipped].map(([path, why]) => `ml-notes: skipped import ${path}: ${why}\n`).join('');
