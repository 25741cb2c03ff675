import { describe, expect, it } from 'vitest';
import { logSlope, recurrentMatrix, sanitizeRnn, simulateRnn } from '../../../src/core/simulations/rnnDynamics';

describe('linear RNN h_t = W h_{t−1}', () => {
  it('‖h_t‖ grows exactly like ρ^t for ρ·orthogonal (slope of log‖h_t‖ = ln ρ)', () => {
    for (const rho of [0.9, 1, 1.05]) {
      const run = simulateRnn({ rho, steps: 60, kind: 'orthogonal' });
      expect(logSlope(run.stateNorm)).toBeCloseTo(Math.log(rho), 9);
      expect(run.stateNorm[60]).toBeCloseTo(rho ** 60, 6);
      // BPTT: ‖∂(uᵀh_T)/∂h_t‖ = ρ^{T−t} as ‖Wᵀg‖ = ρ‖g‖.
      expect(run.gradientNorm[0]).toBeCloseTo(rho ** 60, 6);
    }
  });

  it('with one dominant pole pair, log‖h_t‖ grows at ln ρ once the smaller modes have died out', () => {
    const run = simulateRnn({ rho: 1.1, kind: 'eigen', steps: 200, theta: 0.4, seed: 5 });
    expect(Math.abs(logSlope(run.stateNorm, 100, 200) - Math.log(1.1))).toBeLessThan(0.005);
  });

  it('the drawn eigenvalues are those of W (trace W = Σλ, trace W² = Σλ²) with max |λ| = ρ', () => {
    for (const kind of ['orthogonal', 'eigen'] as const) {
      const params = sanitizeRnn({ size: 9, rho: 0.95, kind, seed: 4 }).params;
      const { w, eigenvalues } = recurrentMatrix(params);
      const n = params.size;
      let trace = 0;
      let traceSquare = 0;
      for (let i = 0; i < n; i++) {
        trace += w.data[i * n + i]!;
        for (let k = 0; k < n; k++) traceSquare += w.data[i * n + k]! * w.data[k * n + i]!;
      }
      expect(eigenvalues).toHaveLength(n);
      expect(eigenvalues.reduce((s, l) => s + l.re, 0)).toBeCloseTo(trace, 10);
      expect(eigenvalues.reduce((s, l) => s + l.re * l.re - l.im * l.im, 0)).toBeCloseTo(traceSquare, 10);
      expect(Math.max(...eigenvalues.map((l) => Math.hypot(l.re, l.im)))).toBeCloseTo(0.95, 12);
    }
  });

  it('ρ·orthogonal has WᵀW = ρ²I', () => {
    const { w } = recurrentMatrix(sanitizeRnn({ size: 6, rho: 1.2 }).params);
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 6; j++) {
        let dot = 0;
        for (let k = 0; k < 6; k++) dot += w.data[k * 6 + i]! * w.data[k * 6 + j]!;
        expect(dot).toBeCloseTo(i === j ? 1.44 : 0, 10);
      }
    }
  });
});

describe('tanh RNN and limits', () => {
  it('tanh keeps the state bounded by √n when ρ > 1', () => {
    const run = simulateRnn({ rho: 1.5, nonlinearity: 'tanh', steps: 200, size: 16 });
    expect(Math.max(...run.stateNorm)).toBeLessThanOrEqual(4);
    expect([...run.gradientNorm].every(Number.isFinite)).toBe(true);
  });

  it('caps an exploding linear state and says so, never reaching Infinity', () => {
    const run = simulateRnn({ rho: 2, steps: 1000 });
    expect([...run.stateNorm, ...run.gradientNorm].every(Number.isFinite)).toBe(true);
    expect(run.messages.join(' ')).toMatch(/capped/);
  });

  it('is deterministic per seed and rejects garbage with messages', () => {
    expect([...simulateRnn({ seed: 3 }).stateNorm]).toEqual([...simulateRnn({ seed: 3 }).stateNorm]);
    expect(simulateRnn({ rho: 'big', size: 0, kind: 'weird' }).messages).toHaveLength(3);
  });
});
