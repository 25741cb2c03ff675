// Reading user files safely, for the CLI and the extension host alike (Node only, no `vscode`): regular
// files only (a FIFO blocks a read forever, a device never ends), under a size limit, inside the allowed
// roots once symlinks are resolved, and only UTF-8 text. Each refusal says why, so callers can report it.
// The synchronous reads (the CLI's) go through a `SyncFs` (readSet.ts), which the CLI's io records for its result cache.
import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { type SyncFs, syncFs } from './readSet';

export interface ReadPolicy {
  /** Folders a file must be inside (after resolving symlinks); empty means anywhere. */
  readonly roots: readonly string[];
  readonly maxBytes: number;
}

export type ReadOutcome =
  | { readonly ok: true; readonly text: string; readonly size: number }
  | { readonly ok: false; readonly reason: string };

/** Imported files past this are skipped (mlNotes.imports.maxFileKb; the CLI's --max-import-kb). */
export const DEFAULT_IMPORT_MAX_BYTES = 1024 * 1024;

const isInside = (path: string, root: string): boolean => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};

/** Whether `realPath` lies inside one of the roots (compared with their own real paths). */
export function insideRoots(realPath: string, realRoots: readonly string[]): boolean {
  return realRoots.length === 0 || realRoots.some((root) => isInside(realPath, root));
}

/** Why a file with this stat may not be read, or undefined when it may. */
function refusal(info: { isFile(): boolean; size: number }, maxBytes: number): string | undefined {
  if (!info.isFile()) return 'not a regular file';
  if (info.size > maxBytes) return `larger than ${Math.round(maxBytes / 1024)} KB`;
  return undefined;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text, or why they are not text: NUL bytes mean binary, invalid sequences mean another encoding. */
export function decodeText(bytes: Uint8Array): { ok: true; text: string } | { ok: false; reason: string } {
  if (bytes.includes(0)) return { ok: false, reason: 'a binary file (it contains NUL bytes)' };
  try {
    return { ok: true, text: UTF8.decode(bytes) };
  } catch {
    return { ok: false, reason: 'not UTF-8 text' };
  }
}

const message = (error: unknown): string => (error instanceof Error && 'code' in error ? String((error as { code: unknown }).code) : 'unreadable');

/** The plain file system, unrecorded. */
const plainFs = syncFs();

/** Resolves the roots once (a root that does not exist is dropped). */
export function realRootsSync(roots: readonly string[], fs: SyncFs = plainFs): string[] {
  return roots.flatMap((root) => {
    try {
      return [fs.realpath(root)];
    } catch {
      return [];
    }
  });
}

export async function realRoots(roots: readonly string[]): Promise<string[]> {
  const out = await Promise.all(roots.map((root) => realpath(root).catch(() => undefined)));
  return out.filter((r): r is string => r !== undefined);
}

/** Reads a file the way the policy allows, without blocking on FIFOs or devices (the CLI). */
export function readFileSafelySync(path: string, policy: ReadPolicy, roots?: readonly string[], fs: SyncFs = plainFs): ReadOutcome {
  try {
    const real = fs.realpath(path);
    if (!insideRoots(real, roots ?? realRootsSync(policy.roots, fs))) return { ok: false, reason: 'outside the allowed folders' };
    const info = fs.stat(real);
    const refused = refusal(info, policy.maxBytes);
    if (refused) return { ok: false, reason: refused };
    const decoded = decodeText(fs.read(real));
    return decoded.ok ? { ok: true, text: decoded.text, size: info.size } : decoded;
  } catch (error) {
    return { ok: false, reason: message(error) };
  }
}

/** The same checks, asynchronously (the extension host). */
export async function readFileSafely(path: string, policy: ReadPolicy, roots?: readonly string[]): Promise<ReadOutcome> {
  try {
    const real = await realpath(path);
    if (!insideRoots(real, roots ?? (await realRoots(policy.roots)))) return { ok: false, reason: 'outside the allowed folders' };
    const info = await stat(real);
    const refused = refusal(info, policy.maxBytes);
    if (refused) return { ok: false, reason: refused };
    const decoded = decodeText(await readFile(real));
    return decoded.ok ? { ok: true, text: decoded.text, size: info.size } : decoded;
  } catch (error) {
    return { ok: false, reason: message(error) };
  }
}

/** A file's identity for caching: the resolved path's size and mtime, or undefined when it may not be read. */
export async function fileStamp(path: string, policy: ReadPolicy, roots: readonly string[]): Promise<{ readonly stamp: string } | { readonly reason: string }> {
  try {
    const real = await realpath(path);
    if (!insideRoots(real, roots)) return { reason: 'outside the allowed folders' };
    const info = await stat(real);
    const refused = refusal(info, policy.maxBytes);
    return refused ? { reason: refused } : { stamp: `${real}:${info.size}:${info.mtimeMs}` };
  } catch (error) {
    return { reason: message(error) };
  }
}
