// Symbolic dims: canonical forms, the floor identities shape formulas rely on, and substitution.
// Expected values are worked by hand in the comments.
import { describe, expect, it } from 'vitest';
import * as dims from '../../../src/core/dims/dims';
import { convOutputSize } from '../../../src/core/formulas/conv';
import { dimArith } from '../../../src/core/dims/dimArith';

const { sym, formatDim, substitute } = dims;
const B = sym('B');
const H = sym('H');
const W = sym('W');

describe('symbolic dims', () => {
  it('a 7×7/2 conv with padding 3 on H: ⌊(H + 6 − 6 − 1)/2⌋ + 1 = ⌊(H − 1)/2⌋ + 1 = ⌊(H + 1)/2⌋, 112 at H = 224', () => {
    const out = convOutputSize(dimArith, { size: H, kernel: 7, stride: 2, padding: 3, dilation: 1 });
    expect(formatDim(out)).toBe('floor((H + 1) / 2)');
    // (224 + 1) / 2 = 112.5 → 112.
    expect(substitute(out, { H: 224 })).toBe(112);
    // At an odd size: (225 + 6 − 6 − 1)/2 = 112 → 113 = ⌊226/2⌋.
    expect(substitute(out, { H: 225 })).toBe(113);
  });

  it('MaxPool2d(2): ⌊(H − 2)/2⌋ + 1 pulls the integer out and reads ⌊H/2⌋', () => {
    const out = convOutputSize(dimArith, { size: H, kernel: 2, stride: 2, padding: 0, dilation: 1 });
    expect(formatDim(out)).toBe('floor(H / 2)');
    expect(dims.equal(out, dims.floorDiv(H, 2))).toBe(true);
    expect(substitute(out, { H: 9 })).toBe(4);
  });

  it('a 3×3 conv with padding 1 keeps the size exactly: ⌊(H + 2 − 2 − 1)/1⌋ + 1 = H', () => {
    expect(convOutputSize(dimArith, { size: H, kernel: 3, stride: 1, padding: 1, dilation: 1 })).toEqual(H);
  });

  it('equal expressions have equal forms; undecidable comparisons say so', () => {
    expect(dims.equal(dims.add(H, H), dims.mul(2, H))).toBe(true);
    expect(dims.equal(dims.mul(dims.add(H, 1), W), dims.add(dims.mul(H, W), W))).toBe(true);
    expect(dims.equal(H, W)).toBeUndefined();
    expect(dims.equal(dims.add(H, 1), H)).toBe(false);
    expect(dims.greaterOrEqual(dims.add(H, 3), H)).toBe(true);
    expect(dims.greaterOrEqual(H, W)).toBeUndefined();
  });

  it('x.view(B, -1) on [B, 64, 7, 7] divides exactly: B·3136 / B = 3136', () => {
    const numel = dims.product([B, 64, 7, 7]);
    expect(formatDim(numel)).toBe('3136 * B');
    expect(dims.floorDiv(numel, B)).toBe(3136);
  });

  it("x.view(-1, x.size(1) * x.size(2) * x.size(3)) divides exactly: B·64·(H − 3)·(W − 3) / (64·(H − 3)·(W − 3)) = B", () => {
    // skorch's MNIST CNN flattens this way; expanded, both sides are 4-term polynomials, and B is the only quotient.
    const rest = dims.product([64, dims.add(H, -3), dims.add(W, -3)]);
    const numel = dims.product([B, rest]);
    expect(dims.floorDiv(numel, rest)).toEqual(B);
    expect(dims.ceilDiv(numel, rest)).toEqual(B);
    // Two batches of it over one: 2B. One element more is no multiple: the floor stays.
    expect(dims.equal(dims.floorDiv(dims.mul(2, numel), rest), dims.mul(2, B))).toBe(true);
    expect(formatDim(dims.floorDiv(dims.add(numel, 1), rest))).toMatch(/^floor\(/);
  });

  it('Python // and % on symbols: (2H + 1) % 2 = 1, (2H + 1) // 2 = H', () => {
    const odd = dims.add(dims.mul(2, H), 1);
    expect(dims.mod(odd, 2)).toBe(1);
    expect(dims.floorDiv(odd, 2)).toEqual(H);
    expect(dims.ceilDiv(odd, 2)).toEqual(dims.add(H, 1));
  });

  it('parses dim text from shape comments and the CLI: H/2, H//2, 2*C*H, floor((H - 1)/2) + 1', () => {
    expect(dims.equal(dims.parseDim('H/2')!, dims.floorDiv(H, 2))).toBe(true);
    expect(dims.equal(dims.parseDim('H//2')!, dims.floorDiv(H, 2))).toBe(true);
    expect(formatDim(dims.parseDim('2*C*H')!)).toBe('2 * C * H');
    expect(formatDim(dims.parseDim('floor((H - 1)/2) + 1')!)).toBe('floor((H + 1) / 2)');
    expect(dims.parseDim('64')).toBe(64);
    expect(dims.parseDim('H +')).toBeUndefined();
    expect(dims.parseDim('1.5')).toBeUndefined();
  });

  it('a dim that lost its cached form (JSON, a worker message) still computes from its text', () => {
    const copy = JSON.parse(JSON.stringify(dims.floorDiv(H, 2))) as dims.Dim;
    expect(copy).toEqual({ sym: 'floor(H / 2)' });
    expect(dims.equal(dims.mul(copy, 2), dims.mul(dims.floorDiv(H, 2), 2))).toBe(true);
    expect(substitute(copy, { H: 57 })).toBe(28);
  });

  it('substitutes dims for dims and lists the symbols a dim uses', () => {
    const out = dims.floorDiv(dims.add(H, W), 2);
    expect(dims.symbolsOf(out).sort()).toEqual(['H', 'W']);
    // ⌊(2W + W)/2⌋ with H := 2W = ⌊3W/2⌋ = W + ⌊W/2⌋.
    expect(formatDim(substitute(out, { H: dims.mul(2, W) }))).toBe('W + floor(W / 2)');
  });
});

describe('sum', () => {
  it('adds numbers as numbers and symbolic dims as one polynomial: 2 + H + 3 + 2H = 3H + 5; H − H = 0', () => {
    expect(dims.sum([])).toBe(0);
    expect(dims.sum([2, 3, 4])).toBe(9);
    expect(formatDim(dims.sum([2, H, 3, dims.mul(2, H)]))).toBe('3 * H + 5');
    expect(dims.sum([H, dims.mul(-1, H)])).toBe(0);
    // B·⌊H/2⌋ twice plus W: the floor term is one atom, its coefficient 2.
    expect(formatDim(dims.sum([dims.mul(B, dims.floorDiv(H, 2)), W, dims.mul(B, dims.floorDiv(H, 2))]))).toBe('2 * B * floor(H / 2) + W');
  });
});

describe('long opaque terms', () => {
  // x ↦ ⌊(7·⌊x/7⌋ + 7·⌊7x/8⌋)/8⌋ holds x twice, so its text doubles at each step: 14 steps were 753,624 characters.
  const step = (x: dims.Dim): dims.Dim => dims.floorDiv(dims.add(dims.mul(7, dims.floorDiv(x, 7)), dims.mul(7, dims.floorDiv(dims.mul(7, x), 8))), 8);
  const stepNumber = (x: number): number => Math.floor((7 * Math.floor(x / 7) + 7 * Math.floor((7 * x) / 8)) / 8);
  const steps = (n: number): dims.Dim => Array.from({ length: n }).reduce<dims.Dim>((x) => step(x), H);

  it('are named by a digest past 400 characters of key, and still evaluate exactly', () => {
    const x = steps(14);
    expect(formatDim(x).length).toBeLessThan(1000);
    expect(formatDim(x)).toContain('⋯#');
    for (const h of [224, 1000, 100_000]) {
      let expected = h;
      for (let k = 0; k < 14; k++) expected = stepNumber(expected);
      expect(substitute(x, { H: h })).toBe(expected);
    }
  });

  it('equal constructions are equal dims, different ones are not', () => {
    expect(dims.equal(steps(14), steps(14))).toBe(true);
    expect(formatDim(steps(14))).toBe(formatDim(steps(14)));
    expect(dims.equal(steps(14), steps(13))).toBeUndefined();
  });
});

describe('nested floors', () => {
  it('⌊(⌊(H + 1)/2⌋ + 1)/2⌋ = ⌊(H + 3)/4⌋ (two stride-2 layers), equal at every size', () => {
    const once = dims.floorDiv(dims.add(H, 1), 2);
    const twice = dims.floorDiv(dims.add(once, 1), 2);
    expect(formatDim(twice)).toBe('floor((H + 3) / 4)');
    for (let h = 1; h <= 300; h++) {
      // Evaluated the long way: ⌊(⌊(h + 1)/2⌋ + 1)/2⌋.
      expect(substitute(twice, { H: h })).toBe(Math.floor((Math.floor((h + 1) / 2) + 1) / 2));
    }
  });
});
