// Frame-time measurement for the simulations, callable from the benchmark and the tests: the panels must
// stay under one 60 Hz frame (16 ms) per update on the default sizes.

import { at, last } from '../invariant';

export const FRAME_BUDGET_MS = 16;

export interface FrameTiming {
  readonly label: string;
  /** 'cpu': this process's CPU time (Node), unaffected by other processes competing for the cores; 'wall': elapsed time. */
  readonly clock: Clock;
  readonly samples: number;
  readonly medianMs: number;
  readonly maxMs: number;
  readonly withinBudget: boolean;
}

export type Clock = 'cpu' | 'wall';

interface CpuUsageSource {
  cpuUsage(): { user: number; system: number };
}

/** Node's process.cpuUsage when present (µs of user + system time); browsers only have the wall clock. */
function cpuClock(): (() => number) | undefined {
  const processLike = (globalThis as { process?: Partial<CpuUsageSource> }).process;
  if (typeof processLike?.cpuUsage !== 'function') return undefined;
  const source = processLike as CpuUsageSource;
  return () => {
    const usage = source.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
}

/** The high-resolution clock of the host (Node and browsers have one; the core declares no host globals). */
const performanceClock = (globalThis as { performance?: { now(): number } }).performance;
const wallClock = (): number => (performanceClock ? performanceClock.now() : Date.now());

/** The preferred clock: CPU time where available, so a loaded CI machine does not fail the frame budget. */
function pickClock(preferred: Clock): { clock: Clock; now: () => number } {
  const cpu = preferred === 'cpu' ? cpuClock() : undefined;
  return cpu ? { clock: 'cpu', now: cpu } : { clock: 'wall', now: wallClock };
}

/** Times `frame` `repeats` times after one warm-up call (JIT), and reports the median and the worst frame. */
export function measureFrames(label: string, frame: () => unknown, repeats = 10, budgetMs = FRAME_BUDGET_MS, preferredClock: Clock = 'cpu'): FrameTiming {
  const { clock, now } = pickClock(preferredClock);
  frame();
  const times: number[] = [];
  for (let i = 0; i < Math.max(1, repeats); i++) {
    const start = now();
    frame();
    times.push(now() - start);
  }
  times.sort((a, b) => a - b);
  const medianMs = at(times, Math.floor(times.length / 2), 'at least one frame is timed');
  return { label, clock, samples: times.length, medianMs, maxMs: last(times, 'at least one frame is timed'), withinBudget: medianMs <= budgetMs };
}

/**
 * Times a stepped computation (a generator that yields between chunks of work, like varianceSteps): every
 * chunk must fit in one frame even when the whole run does not.
 */
export function measureSteps(label: string, start: () => Iterator<unknown, unknown, void>, budgetMs = FRAME_BUDGET_MS, preferredClock: Clock = 'cpu'): FrameTiming {
  const { clock, now } = pickClock(preferredClock);
  // One full run first, so the JIT has compiled the hot loops before anything is timed.
  for (const warmUp = start(); !warmUp.next().done; );
  const times: number[] = [];
  const steps = start();
  for (;;) {
    const begin = now();
    const next = steps.next();
    times.push(now() - begin);
    if (next.done) break;
  }
  const sorted = [...times].sort((a, b) => a - b);
  const maxMs = last(sorted, 'at least one step is timed');
  const medianMs = at(sorted, Math.floor(sorted.length / 2), 'at least one step is timed');
  return { label, clock, samples: times.length, medianMs, maxMs, withinBudget: medianMs <= budgetMs };
}
