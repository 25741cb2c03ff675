// How the CLI writes its answer: straight to the file descriptor, so a run whose stdout is a pipe does not load
// Node's stream machinery for it (process.stdout on a pipe loads node:net and node:stream: 2-4 ms of a 100 ms
// answer from the result cache). What a descriptor does not take at once (a full non-blocking pipe, a closed
// reader) goes through the process's stream as before, after what was written, so it waits, or fails, as it did.
import { writeSync } from 'node:fs';

/** The system call and the stream an answer is written with (the process's own in the CLI; stand-ins in tests). */
export interface OutputChannel {
  readonly fd: number;
  readonly writeSync: (fd: number, data: Uint8Array, offset: number) => number;
  readonly stream: () => { write(data: Uint8Array): unknown };
}

export const STDOUT: OutputChannel = { fd: 1, writeSync: (fd, data, offset) => writeSync(fd, data, offset), stream: () => process.stdout };
export const STDERR: OutputChannel = { fd: 2, writeSync: (fd, data, offset) => writeSync(fd, data, offset), stream: () => process.stderr };

/** Writes `text` whole: by the descriptor while it takes it, the rest by the stream. Nothing is written for ''. */
export function writeOutput(channel: OutputChannel, text: string): void {
  if (text === '') return;
  const bytes = Buffer.from(text, 'utf8');
  let done = 0;
  try {
    while (done < bytes.length) {
      const wrote = channel.writeSync(channel.fd, bytes, done);
      if (wrote <= 0) break;
      done += wrote;
    }
  } catch {
    // EAGAIN (the pipe is full), EPIPE and the rest: the stream takes over from here.
  }
  if (done < bytes.length) channel.stream().write(bytes.subarray(done));
}
