// Runs a stepped computation (a generator that yields between bounded chunks of work) a frame budget at a
// time, so heavy simulations never block the panel for longer than one frame.
import { FRAME_BUDGET_MS } from '../../core/simulations/timing';

export interface FramedRun<R> {
  readonly done: Promise<R | undefined>;
  cancel(): void;
}

export function runInFrames<R>(steps: Iterator<number, R, void>, onProgress: (fraction: number) => void, budgetMs = FRAME_BUDGET_MS / 2): FramedRun<R> {
  let cancelled = false;
  const done = new Promise<R | undefined>((resolve) => {
    const tick = (): void => {
      if (cancelled) return resolve(undefined);
      const begin = performance.now();
      for (;;) {
        const next = steps.next();
        if (next.done) return resolve(next.value);
        if (performance.now() - begin > budgetMs) {
          onProgress(next.value);
          break;
        }
      }
      requestAnimationFrame(tick);
    };
    tick();
  });
  return {
    done,
    cancel: () => {
      cancelled = true;
    },
  };
}
