// Shape calculators: substituted formulas, validation messages and the receptive-field / parameter
// calculators on hand-worked cases. (Sizes themselves are checked against PyTorch in test/oracle/calculators.)
import { describe, expect, it } from 'vitest';
import { findCalculator } from '../../../src/core/calculators';
import type { CalculatorOutcome, RawInputs } from '../../../src/core/calculators';

function compute(id: string, inputs: RawInputs): CalculatorOutcome {
  const calculator = findCalculator(id);
  if (!calculator) throw new Error(`no calculator ${id}`);
  return calculator.compute(inputs);
}

function ok(id: string, inputs: RawInputs) {
  const outcome = compute(id, inputs);
  if (!outcome.ok) throw new Error(`${id} refused: ${outcome.errors.join('; ')}`);
  return outcome;
}

const errors = (id: string, inputs: RawInputs): readonly string[] => {
  const outcome = compute(id, inputs);
  return outcome.ok ? [] : outcome.errors;
};

describe('conv-out', () => {
  it('shows the substituted formula: ⌊(224 + 2·3 − 1·(7 − 1) − 1)/2⌋ + 1 = ⌊223/2⌋ + 1 = 112', () => {
    const out = ok('conv-out', { in: '224', kernel: '7', stride: '2', padding: '3', dilation: '1' });
    expect(out.result).toBe(112);
    expect(out.formula).toBe('L_out = ⌊(224 + 2·3 − 1·(7 − 1) − 1)/2⌋ + 1 = 112');
    expect(out.topic).toBe('conv-output-size');
    // 223 mod 2 = 1: one trailing position is never covered (CC-51's remark).
    expect(out.notes?.join(' ')).toContain('223 is not divisible by the stride 2');
  });

  it('broadcasts a single value over the axes of a per-axis list', () => {
    // Axis 0: ⌊(32 + 2 − 2 − 1)/1⌋ + 1 = 32; axis 1: ⌊(48 + 2 − 2 − 1)/2⌋ + 1 = ⌊47/2⌋ + 1 = 24.
    expect(ok('conv-out', { in: '32,48', kernel: '3', stride: '1,2', padding: '1' }).result).toEqual([32, 24]);
  });

  it("pads D·(K − 1) for 'same', the odd one on the right", () => {
    // K = 4, D = 1: total 3, left 1, right 2; the size is kept.
    const out = ok('conv-out', { in: '10', kernel: '4', padding: 'same' });
    expect(out.result).toBe(10);
    expect(out.formula).toContain('left 1, right 2');
  });

  it('gives the clear messages the issue asks for', () => {
    expect(errors('conv-out', { in: '5', kernel: '7' })).toEqual(['the kernel (7) is larger than the padded input (5)']);
    expect(errors('conv-out', { in: '5', kernel: '3', dilation: '3' })).toEqual(['the dilated kernel (3·(3 − 1) + 1 = 7) is larger than the padded input (5)']);
    expect(errors('conv-out', { in: '10', kernel: '3', stride: '0' })[0]).toMatch(/^stride must be a positive integer/);
    expect(errors('conv-out', { in: '10', kernel: '3', stride: '2', padding: 'same' })[0]).toContain("padding='same' is not supported for strided convolutions");
    expect(errors('conv-out', { in: '10,10', kernel: '3,3,3' })[0]).toContain('in has 2 values but kernel has 3');
    expect(errors('conv-out', { kernel: '3' })).toEqual(['in is required']);
    expect(errors('conv-out', { in: '10', kernel: '3', strid: '2' })[0]).toContain("unknown input 'strid'");
  });

  it('accepts PyTorch argument names as aliases and Python tuple syntax', () => {
    expect(ok('conv-out', { in: '(28, 28)', kernel_size: '(5,)', padding: '2' }).result).toEqual([28, 28]);
  });
});

describe('pool-out', () => {
  it("applies PyTorch's ceil_mode rule: ⌈(5 + 2 − 1 − 1)/3⌉ + 1 = 3, but (3 − 1)·3 = 6 ≥ 5 + 1, so 2", () => {
    const out = ok('pool-out', { in: '5', kernel: '2', stride: '3', padding: '1', ceil_mode: 'true' });
    expect(out.result).toBe(2);
    expect(out.formula).toContain('⌈(5 + 2·1 − 1·(2 − 1) − 1)/3⌉ + 1 = 3');
    expect(out.formula).toContain('PyTorch drops it: 2');
  });

  it('keeps the last window when it starts inside the input: 7, K 3, S 2 → ⌈4/2⌉ + 1 = 3, (3 − 1)·2 = 4 < 7', () => {
    expect(ok('pool-out', { in: '7', kernel: '3', stride: '2', ceil_mode: 'true' }).result).toBe(3);
  });

  it('defaults the stride to the kernel size (stride=None): 10, K 3 → ⌊7/3⌋ + 1 = 3', () => {
    expect(ok('pool-out', { in: '10', kernel: '3' }).result).toBe(3);
  });

  it('rejects padding above half the kernel and dilation on AvgPool', () => {
    expect(errors('pool-out', { in: '5', kernel: '3', stride: '1', padding: '2' })[0]).toContain('padding (2) must be at most half the kernel size (3)');
    expect(errors('pool-out', { in: '5', kernel: '3', dilation: '2', mode: 'avg' })[0]).toContain('AvgPool has no dilation');
  });
});

describe('convtranspose-out', () => {
  it('gives (15 − 1)·2 − 2·1 + 1·(4 − 1) + 0 + 1 = 28 − 2 + 3 + 1 = 30', () => {
    const out = ok('convtranspose-out', { in: '15', kernel: '4', stride: '2', padding: '1', output_padding: '0', dilation: '1' });
    expect(out.result).toBe(30);
    expect(out.formula).toBe('L_out = (15 − 1)·2 − 2·1 + 1·(4 − 1) + 0 + 1 = 30');
  });

  it('requires output_padding below stride or dilation', () => {
    expect(errors('convtranspose-out', { in: '5', kernel: '3', stride: '2', output_padding: '2' })[0]).toContain('output_padding (2) must be smaller than either stride (2) or dilation (1)');
  });
});

describe('conv-padding', () => {
  it('finds the padding that keeps 56 at stride 1 with dilation 2: D·(K − 1)/2 = 2', () => {
    // ⌊(56 + 2P − 2·2 − 1)/1⌋ + 1 = 56 ⇔ 2P = 4.
    expect(ok('conv-padding', { in: '56', out: '56', kernel: '3', dilation: '2' }).result).toEqual({ exists: true, padding: 2 });
  });

  it('halves 224 with a 7×7 stride-2 conv using padding 3 (any total 5..6 works, so P = 3 is the only symmetric one)', () => {
    // (112 − 1)·2 ≤ 224 + T − 7 ≤ 112·2 − 1 ⇔ 5 ≤ T ≤ 6; T = 2P ⇒ P = 3.
    expect(ok('conv-padding', { in: '224', out: '112', kernel: '7', stride: '2' }).result).toEqual({ exists: true, padding: 3 });
  });

  it('says when no symmetric padding exists and what uneven padding would do', () => {
    // Keep 10 with K = 4: T = 3 exactly, which is odd.
    const out = ok('conv-padding', { in: '10', out: '10', kernel: '4' });
    expect(out.result).toEqual({ exists: false, padding: null });
    expect(out.formula).toContain('no symmetric padding gives 10; a total padding of 3');
  });

  it('says when no padding at all exists (a smaller output than padding 0 gives)', () => {
    // Padding 0 already gives ⌊(10 − 3)/1⌋ + 1 = 8 > 5.
    const out = ok('conv-padding', { in: '10', out: '5', kernel: '3' });
    expect(out.result).toEqual({ exists: false, padding: null });
    expect(out.formula).toContain('no padding ≥ 0 gives 5');
  });

  it('solves padding and output_padding of a transposed conv: 15 → 30 with K 4, S 2', () => {
    // Excess (15 − 1)·2 + 3 + 1 − 30 = 2 = 2P − p ⇒ P = 1, p = 0.
    expect(ok('conv-padding', { in: '15', out: '30', kernel: '4', stride: '2', transposed: 'true' }).result).toEqual({ exists: true, padding: 1, output_padding: 0 });
    // 15 → 31 needs excess 1 = 2P − p ⇒ P = 1, p = 1 (< stride 2).
    expect(ok('conv-padding', { in: '15', out: '31', kernel: '4', stride: '2', transposed: 'true' }).result).toEqual({ exists: true, padding: 1, output_padding: 1 });
  });
});

describe('receptive-field', () => {
  it('tabulates conv3, conv3 s2, pool2, conv3 d2 (hand-worked)', () => {
    // r, j, start from (1, 1, 0.5):
    //   conv3 p1:        r = 1 + 2·1 = 3,  j = 1, start = 0.5 + (1 − 1)·1 = 0.5
    //   conv3 s2 p1:     r = 3 + 2·1 = 5,  j = 2, start = 0.5
    //   pool2 (s2, p0):  r = 5 + 1·2 = 7,  j = 4, start = 0.5 + (0.5 − 0)·2 = 1.5
    //   conv3 d2 (p2):   K_eff = 5, r = 7 + 4·4 = 23, j = 4, start = 1.5 + (2 − 2)·4 = 1.5
    const out = ok('receptive-field', { stack: 'conv3, conv3 s2, pool2, conv3 d2' });
    const result = out.result as { receptive_field: number; jump: number; start: number; layers: { size: number; jump: number; start: number }[] };
    expect(result.receptive_field).toBe(23);
    expect(result.jump).toBe(4);
    expect(result.layers.map((l) => [l.size, l.jump, l.start])).toEqual([
      [3, 1, 0.5],
      [5, 2, 0.5],
      [7, 4, 1.5],
      [23, 4, 1.5],
    ]);
  });

  it("reproduces the notes' check: (3,1), (3,2), (5,1), (3,2), (7,3) give 41", () => {
    // r = 1 + 2·1 + 2·1 + 4·2 + 2·2 + 6·4 = 1 + 2 + 2 + 8 + 4 + 24 = 41.
    expect((ok('receptive-field', { stack: 'conv3, conv3 s2, conv5, conv3 s2, conv7 s3' }).result as { receptive_field: number }).receptive_field).toBe(41);
  });

  it('grows as L(K − 1) + 1 for L stride-1 layers: three 3×3 give 7', () => {
    expect((ok('receptive-field', { stack: 'conv3,conv3,conv3' }).result as { receptive_field: number }).receptive_field).toBe(7);
  });

  it('names the layer that does not parse', () => {
    expect(errors('receptive-field', { stack: 'conv3, relu, pool2' })).toEqual(["layer 2 ('relu'): expected conv<K> or pool<K> first, e.g. conv3 or pool2"]);
    expect(errors('receptive-field', { stack: 'conv3 x2' })[0]).toContain("unknown option 'x2'");
    expect(errors('receptive-field', { stack: 'conv0' })[0]).toContain('kernel must be a positive integer');
    expect(errors('receptive-field', { stack: 'conv3,,conv3' })[0]).toContain('layer 2 is empty');
  });
});

describe('conv-params', () => {
  it('counts three 3×3 convs (27C²) against one 7×7 (49C²) with C = 64 and no bias', () => {
    // 27·64² = 27·4096 = 110592; 49·4096 = 200704; saved 1 − 27/49 = 22/49 ≈ 44.9%.
    const out = ok('conv-params', { in_channels: '64', out_channels: '64', kernel: '3', bias: 'false', layers: '3' });
    const result = out.result as { params: number; single_layer_params: number; receptive_field: number[]; saved_fraction: number };
    expect(result.params).toBe(110592);
    expect(result.single_layer_params).toBe(200704);
    expect(result.receptive_field).toEqual([7, 7]);
    expect(result.saved_fraction).toBeCloseTo(22 / 49, 12);
    expect(out.formula).toContain('27C² vs 49C²');
  });

  it("gives ResNet-50 conv1's parameters and MACs: 64·3·7·7 + 64 = 9472, 112²·9408 = 118013952", () => {
    const result = ok('conv-params', { in_channels: '3', out_channels: '64', kernel: '7', stride: '2', padding: '3', in: '224' }).result as { params: number; macs: number; output_size: number[] };
    expect(result.params).toBe(9472);
    expect(result.output_size).toEqual([112, 112]);
    expect(result.macs).toBe(118013952);
  });

  it('divides by groups (depthwise 3×3 on 32 channels: 32·1·9 + 32 = 320)', () => {
    expect((ok('conv-params', { in_channels: '32', out_channels: '32', kernel: '3', groups: '32' }).result as { params: number }).params).toBe(320);
    expect(errors('conv-params', { in_channels: '30', out_channels: '32', kernel: '3', groups: '4' })[0]).toBe('in_channels (30) must be divisible by groups (4)');
  });
});
