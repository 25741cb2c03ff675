import { describe, expect, it } from 'vitest';
import { sanitizeVariance, varianceSteps } from '../../../src/core/simulations/activationVariance';
import { simulateDiffusion, noisedCloud } from '../../../src/core/simulations/diffusionForward';
import { simulateQuadratic } from '../../../src/core/simulations/optimizers';
import { simulateReceptiveField } from '../../../src/core/simulations/receptiveField';
import { simulateRnn } from '../../../src/core/simulations/rnnDynamics';
import { sampleSoftmax, sanitizeSoftmax, sweepSoftmaxSteps } from '../../../src/core/simulations/softmaxSaturation';
import { FRAME_BUDGET_MS, measureFrames, measureSteps } from '../../../src/core/simulations/timing';

// What one slider move recomputes in each panel, on the default sizes. The budget is one 60 Hz frame. Times are
// this process's CPU time (other jobs on a shared CI machine do not count against us) and the medians are compared
// (one slow frame from a GC pause is not a regression); all numbers are printed for the bench.
describe('per-frame timing on default sizes', () => {
  const diffusion = simulateDiffusion({});
  const timings = [
    measureFrames('gd-momentum-adam', () => simulateQuadratic({})),
    measureFrames('softmax-saturation', () => sampleSoftmax(sanitizeSoftmax({}).params)),
    measureFrames('rnn-dynamics', () => simulateRnn({})),
    measureFrames('diffusion-forward (t slider)', () => noisedCloud(diffusion, 500)),
    measureFrames('receptive-field', () => simulateReceptiveField({})),
    measureSteps('activation-variance (bounded chunks of a layer per step)', () => varianceSteps(sanitizeVariance({}))),
    measureSteps('softmax sweep (one query per step)', () => sweepSoftmaxSteps({ keys: 128, seed: 1 })),
  ];

  for (const timing of timings) {
    it(`${timing.label} fits in ${FRAME_BUDGET_MS} ms`, () => {
      console.log(`${timing.label}: median ${timing.medianMs.toFixed(2)} ms, max ${timing.maxMs.toFixed(2)} ms over ${timing.samples} (${timing.clock} clock)`);
      expect(timing.samples).toBeGreaterThan(0);
      expect(timing.medianMs).toBeLessThanOrEqual(FRAME_BUDGET_MS);
    });
  }
});
