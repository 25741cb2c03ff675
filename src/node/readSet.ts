// What a CLI run saw of the file system, for the result cache (resultCache.ts): every call the node io makes
// (resolving a path, a stat, reading a file, listing a folder) goes through one `SyncFs`, which can report each
// call and what it saw as a fingerprint — a failure's code (a probed import that does not exist: ENOENT), a
// file's type and size, a read file's digest, a folder's sorted entries. An answer is a function of its inputs:
// the key (build, command line, working directory, environment) and these fingerprints. Making every call
// again and comparing what it sees now (`readSetHolds`) proves the stored answer still holds; the loader does
// it without loading the analysis, so this module uses node:fs and the digest only.
import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { textDigest } from '../core/textDigest';

/** The file system calls the node io makes. */
export type FsOp = 'realpath' | 'stat' | 'read' | 'list';

/** One call and what it saw. */
export type Observation = readonly [op: FsOp, path: string, seen: string];

/** Every call a run (or one checked file) made, each once; plain data (JSON, structured clone). */
export type ReadSet = readonly Observation[];

export interface FileStat {
  isFile(): boolean;
  isDirectory(): boolean;
  readonly size: number;
}

export interface DirEntry {
  readonly name: string;
  readonly isDirectory: boolean;
}

/** The synchronous file access of the CLI's io: the node:fs calls it uses, failures thrown as node:fs throws them. */
export interface SyncFs {
  realpath(path: string): string;
  stat(path: string): FileStat;
  read(path: string): Buffer;
  /** The entries sorted by name, so no caller sees the order of the directory (it is not an input). */
  list(path: string): readonly DirEntry[];
  exists(path: string): boolean;
}

const failure = (error: unknown): string => `!${error instanceof Error && 'code' in error ? String((error as { code: unknown }).code) : 'error'}`;

/** A byte content's digest: its bytes as Latin-1 characters (one per byte) through the two-lane digest and the length. */
const contentDigest = (bytes: Buffer): string => textDigest(bytes.toString('latin1'));

/** A stat's fingerprint: a file's size (its content is a `read`), a folder's or anything else's kind only. */
const statSeen = (info: FileStat): string => (info.isFile() ? `f${info.size}` : info.isDirectory() ? 'd' : 'o');

const listSeen = (entries: readonly DirEntry[]): string => entries.map((e) => `${e.name}${e.isDirectory ? '/' : ''}`).join('\0');

const byName = (a: DirEntry, b: DirEntry): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** What realpath throws for a path that does not exist (its code is all anyone reads of it), made once. */
const NO_SUCH_PATH: Error = Object.assign(new Error('ENOENT: no such file or directory, realpath'), { code: 'ENOENT' });

/**
 * The system's realpath (realpathSync.native: the JavaScript one lstat()s every folder of the path from JavaScript,
 * 20 µs a call against 12). Most paths a check resolves are import candidates that do not exist (~4,200 of ~4,700
 * a worker over the checks corpus), and realpath's failure is a system error made and thrown, ~14 µs; a stat that
 * answers "no entry" without an error takes ~3 µs. Any other failure is realpath's own.
 */
function realpathOf(path: string): string {
  if (statSync(path, { throwIfNoEntry: false }) === undefined) throw NO_SUCH_PATH;
  return realpathSync.native(path);
}

/** Each call, and the fingerprint of what it gave (made only while a recording is under way). */
const calls = {
  realpath: { make: realpathOf, seen: (value: string): string => value },
  stat: { make: (path: string): FileStat => statSync(path), seen: statSeen },
  read: { make: (path: string): Buffer => readFileSync(path), seen: contentDigest },
  list: {
    make: (path: string): DirEntry[] => readdirSync(path, { withFileTypes: true }).map((d) => ({ name: d.name, isDirectory: d.isDirectory() })).sort(byName),
    seen: listSeen,
  },
};

/** What the call sees now: its fingerprint, or its failure's. */
export function seenNow(op: FsOp, path: string): string {
  try {
    const call = calls[op] as { make(path: string): unknown; seen(value: unknown): string };
    return call.seen(call.make(path));
  } catch (error) {
    return failure(error);
  }
}

/** Whether every call of the set sees now what it saw then (the first difference stops the comparison). */
export function readSetHolds(reads: ReadSet): boolean {
  return reads.every(([op, path, seen]) => Object.hasOwn(calls, op) && seenNow(op, path) === seen);
}

/** Who is told of each call: only while `active()`, so a run that keeps nothing digests nothing. */
export interface FsObserver {
  active(): boolean;
  observe(op: FsOp, path: string, seen: string): void;
}

/** The plain file system, reporting each call and what it saw to `observer` while it is active. */
export function syncFs(observer?: FsObserver): SyncFs {
  const call = <T>(op: FsOp, path: string, how: { make(path: string): T; seen(value: T): string }): T => {
    if (!observer?.active()) return how.make(path);
    let value: T;
    try {
      value = how.make(path);
    } catch (error) {
      observer.observe(op, path, failure(error));
      throw error;
    }
    observer.observe(op, path, how.seen(value));
    return value;
  };
  return {
    realpath: (path) => call('realpath', path, calls.realpath),
    stat: (path) => call('stat', path, calls.stat),
    read: (path) => call('read', path, calls.read),
    list: (path) => call('list', path, calls.list),
    exists: (path) => {
      try {
        call('stat', path, calls.stat);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** One recording under way: ended, it gives every call made since it began, or undefined when the answer may not be kept. */
export interface Recording {
  end(): ReadSet | undefined;
}

/**
 * The io's file system with recordings: every call is added to each recording under way (a whole run's and one
 * checked file's nest). `include` adds calls made elsewhere (a worker thread, a stored answer, a call the io
 * answered from its own memory); `include(undefined)` marks the recordings as not to be kept (an answer close to
 * its time budget could differ on a faster run).
 */
export interface ReadRecorder {
  readonly fs: SyncFs;
  /** Whether a recording is under way (what the io remembers from a time without one cannot be kept). */
  recording(): boolean;
  begin(): Recording;
  include(reads: ReadSet | undefined): void;
  /** Runs `work` in a recording of its own, and gives what it read. */
  record<T>(work: () => T): { readonly value: T; readonly reads: ReadSet | undefined };
}

interface OpenRecording {
  readonly seen: Map<string, Observation>;
  spoiled: boolean;
}

export function readRecorder(): ReadRecorder {
  const open = new Set<OpenRecording>();
  const add = (observation: Observation): void => {
    const key = `${observation[0]}\0${observation[1]}`;
    for (const recording of open) {
      const before = recording.seen.get(key);
      // The same call seeing two things in one run (a file written meanwhile): no answer can be proven from it.
      if (before && before[2] !== observation[2]) recording.spoiled = true;
      else if (!before) recording.seen.set(key, observation);
    }
  };
  const fs = syncFs({ active: () => open.size > 0, observe: (op, path, seen) => add([op, path, seen]) });
  const begin = (): Recording => {
    const recording: OpenRecording = { seen: new Map(), spoiled: false };
    open.add(recording);
    return {
      end: () => {
        open.delete(recording);
        return recording.spoiled ? undefined : [...recording.seen.values()];
      },
    };
  };
  return {
    fs,
    recording: () => open.size > 0,
    begin,
    include(reads) {
      if (reads === undefined) for (const recording of open) recording.spoiled = true;
      else for (const observation of reads) add(observation);
    },
    record(work) {
      const recording = begin();
      try {
        const value = work();
        return { value, reads: recording.end() };
      } catch (error) {
        recording.end();
        throw error;
      }
    },
  };
}
