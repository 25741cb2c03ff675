import { describe, expect, it } from 'vitest';
import { axisPathCounts, layerSizes, receptiveFieldsPerLayer, simulateReceptiveField } from '../../../src/core/simulations/receptiveField';

const conv = (kernel: number, stride = 1, padding = 0, dilation = 1) => ({ kernel, stride, padding, dilation });

describe('receptive field', () => {
  it('three 3×3 convs see 7×7', () => {
    const layers = [conv(3, 1, 1), conv(3, 1, 1), conv(3, 1, 1)];
    expect(receptiveFieldsPerLayer(layers).map((f) => f.size)).toEqual([1, 3, 5, 7]);
    const run = simulateReceptiveField({ inputSize: 32, layers, layer: 3, row: 10, col: 10 });
    expect(run.box).toEqual({ first: 7, last: 13, firstCol: 7, lastCol: 13 });
    // Path counts are the coefficients of (1 + x + x²)³: 1 3 6 7 6 3 1.
    expect([...run.rows.slice(7, 14)]).toEqual([1, 3, 6, 7, 6, 3, 1]);
    expect(run.rows.reduce((a, b) => a + b, 0)).toBe(27);
  });

  // The catalogue's check: (k, s) = (3,1), (3,2), (5,1), (3,2), (7,3); r = 1 + Σ(k_l − 1)·Π_{i<l}s_i with the
  // stride products 1, 1, 2, 2, 4: r = 1 + 2·1 + 2·1 + 4·2 + 2·2 + 6·4 = 1 + 2 + 2 + 8 + 4 + 24 = 41.
  it('matches the catalogue example (41)', () => {
    const layers = [conv(3, 1), conv(3, 2), conv(5, 1), conv(3, 2), conv(7, 3)];
    expect(receptiveFieldsPerLayer(layers).at(-1)!.size).toBe(41);
  });

  it('a dilated kernel leaves holes that the formula box spans', () => {
    const layers = [conv(3, 1, 2, 2)];
    const run = simulateReceptiveField({ inputSize: 16, layers, layer: 1, row: 8, col: 8 });
    expect([...run.rows.slice(6, 11)]).toEqual([1, 0, 1, 0, 1]);
    expect(run.box.last - run.box.first + 1).toBe(5);
  });

  it('stride doubles the jump, and output sizes come from the conv formula', () => {
    const layers = [conv(3, 2, 1), conv(3, 1, 1)];
    expect(receptiveFieldsPerLayer(layers).map((f) => [f.size, f.jump])).toEqual([
      [1, { n: 1, d: 1 }],
      [3, { n: 2, d: 1 }],
      [7, { n: 2, d: 1 }],
    ]);
    // ⌊(32 + 2 − 2 − 1)/2⌋ + 1 = 16, then 16.
    expect(layerSizes(32, layers).sizes).toEqual([32, 16, 16]);
  });

  // PyTorch's gradients agree (test/oracle/analysis/receptive-field.oracle.test.ts): nearest ×2 then a 4-tap
  // conv reads input rows ⌊(o − 1)/2⌋ … ⌊(o + 2)/2⌋, i.e. 3 rows for even o and 2 for odd o; jump ½.
  it('upsampling halves the jump, and units after it see 2 or 3 inputs', () => {
    const layers = [{ kind: 'nearest', kernel: 1, stride: 2, padding: 0, dilation: 1 }, conv(4, 1, 1)] as const;
    const fields = receptiveFieldsPerLayer(layers);
    expect(fields.map((f) => [f.minSize, f.size, f.jump])).toEqual([
      [1, 1, { n: 1, d: 1 }],
      [1, 1, { n: 1, d: 2 }],
      [2, 3, { n: 1, d: 2 }],
    ]);
    expect(layerSizes(16, layers).sizes).toEqual([16, 32, 31]);
    // Unit 10 reads upsampled rows 9…12, i.e. input rows 4, 5, 5, 6: box 4…6, with 1 + 2 + 1 paths.
    const run = simulateReceptiveField({ inputSize: 16, layers, layer: 2, row: 10, col: 11 });
    expect([run.box.first, run.box.last, run.box.firstCol, run.box.lastCol]).toEqual([4, 6, 5, 6]);
    expect([...run.rows.slice(3, 8)]).toEqual([0, 1, 2, 1, 0]);
  });

  it('a k4 s2 p1 transposed conv reads 2 inputs per output, jump ½ (DCGAN)', () => {
    const layers = [{ kind: 'transposed', kernel: 4, stride: 2, padding: 1, dilation: 1 }] as const;
    expect(layerSizes(8, layers).sizes).toEqual([8, 16]);
    const [, field] = receptiveFieldsPerLayer(layers);
    expect(field).toEqual({ size: 2, minSize: 2, jump: { n: 1, d: 2 }, start: { n: 1, d: 4 } });
  });

  it('padding cells are dropped from the counts at the border', () => {
    const counts = axisPathCounts([8, 8], [conv(3, 1, 1)], 1, 0);
    expect([...counts.slice(0, 3)]).toEqual([1, 1, 0]);
  });

  it('stops at a layer with no output and clamps positions, with messages', () => {
    const run = simulateReceptiveField({ inputSize: 4, layers: [conv(3), conv(3)], layer: 2, row: 99, col: 0 });
    expect(run.sizes).toEqual([4, 2]);
    expect(run.params.layer).toBe(1);
    expect(run.messages.join(' ')).toMatch(/no output/);
    expect(run.messages.join(' ')).toMatch(/clamped/);
  });

  it('sanitizes garbage layer specs', () => {
    const run = simulateReceptiveField({ layers: [{ kernel: 'x', stride: -1 }, null], inputSize: 'big' });
    expect(run.messages.length).toBeGreaterThanOrEqual(3);
    expect(run.sizes.every(Number.isFinite)).toBe(true);
  });
});
