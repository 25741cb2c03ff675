// The CLI writes its answer by the file descriptor while it takes it, and the rest by the process's stream (a
// full pipe, a closed reader): the bytes arrive whole and in order either way. (resultCache.test.ts: a kept answer
// written to a pipe loads no node:net.)
import { describe, expect, it } from 'vitest';
import { writeOutput, type OutputChannel } from '../../../src/node/output';

/** A descriptor that takes `accepts` bytes per call, then fails with `failure` once `capacity` bytes are in. */
function channel(accepts: number, capacity: number, failure = 'EAGAIN'): { readonly channel: OutputChannel; readonly direct: number[]; readonly streamed: number[] } {
  const direct: number[] = [];
  const streamed: number[] = [];
  return {
    direct,
    streamed,
    channel: {
      fd: 1,
      writeSync: (_fd, data, offset) => {
        if (direct.length >= capacity) throw Object.assign(new Error(failure), { code: failure });
        const taken = data.subarray(offset, offset + Math.min(accepts, capacity - direct.length));
        direct.push(...taken);
        return taken.length;
      },
      stream: () => ({ write: (data: Uint8Array) => streamed.push(...data) }),
    },
  };
}

// Multi-byte characters across the split: '×' is 2 bytes in UTF-8, '→' 3.
const TEXT = `${'layer × 3 → out\n'.repeat(40)}`;
const BYTES = [...Buffer.from(TEXT, 'utf8')];

describe('the CLI output', () => {
  it('goes by the descriptor alone when it takes everything, in pieces', () => {
    const out = channel(7, Infinity);
    writeOutput(out.channel, TEXT);
    expect(out.direct).toEqual(BYTES);
    expect(out.streamed).toEqual([]);
  });

  it.each(['EAGAIN', 'EPIPE'])('goes on by the stream from where the descriptor stopped (%s)', (failure) => {
    const out = channel(100, 333, failure);
    writeOutput(out.channel, TEXT);
    expect(out.direct).toHaveLength(333);
    expect([...out.direct, ...out.streamed]).toEqual(BYTES);
    const none = channel(100, 0, failure);
    writeOutput(none.channel, TEXT);
    expect(none.streamed).toEqual(BYTES);
  });

  it('writes nothing for an empty answer', () => {
    const out = channel(100, Infinity);
    writeOutput(out.channel, '');
    expect(out.direct).toEqual([]);
    expect(out.streamed).toEqual([]);
  });

});
