// A stand-in for src/core/interp/session whose createSession can be told to keep computing training costs
// whatever its caller asks, so a test compares an analysis that skips costs with one that computes them.
// Use: vi.mock('<path>/src/core/interp/session', (importOriginal) => sessionKeepingCosts(importOriginal)), with
// sessionKeepingCosts imported dynamically in the factory (vitest hoists vi.mock above the file's imports).
import type * as SessionModule from '../../../src/core/interp/session';

/** When on, every session made from now on computes costs (the run the answer is compared with). */
export const keepCosts = { on: false };

export async function sessionKeepingCosts(importOriginal: <T>() => Promise<T>): Promise<typeof SessionModule> {
  const original = await importOriginal<typeof SessionModule>();
  return {
    ...original,
    createSession: (options) => {
      const session = original.createSession(options);
      if (keepCosts.on) Object.defineProperty(session.torch, 'tracesCosts', { get: () => true, set: () => undefined });
      return session;
    },
  };
}
