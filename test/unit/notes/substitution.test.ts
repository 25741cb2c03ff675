// Substituting the user's numbers into a derivation: the exact lines for a known layer, clear errors for
// bad input, and no exception, NaN or Infinity for any input (property test).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findTopic } from '../../../src/core/notes';
import { substituteTopic, substitutableTopicIds } from '../../../src/core/notes/substitution';
import { texNumber, textNumber } from '../../../src/core/notes/texArith';

describe('substituteTopic', () => {
  it('fills the conv formula with a Conv2d(3, 64, 7, 2, 3) on 224 px: ⌊(224 + 2·3 − 1·(7 − 1) − 1)/2⌋ + 1 = 112', () => {
    const result = substituteTopic('conv-output-size', { L: 224, K: 7, S: 2, P: 3, D: 1 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [kEff, out] = result.substitution.lines;
    expect(kEff!.text).toBe('K_eff = 1·(7 − 1) + 1 = 7');
    expect(out!.text).toBe('W′ = ⌊(224 + 2·3 − 1·(7 − 1) − 1)/2⌋ + 1 = 112');
    expect(out!.tex).toBe("W' = \\left\\lfloor \\frac{224 + 2 \\cdot 3 - 1 \\cdot (7 - 1) - 1}{2} \\right\\rfloor + 1 = 112");
    expect(result.substitution.values).toEqual({ L: 224, K: 7, S: 2, P: 3, D: 1 });
  });

  it('uses the declared defaults for missing values', () => {
    const result = substituteTopic('conv-output-size', { L: 32 });
    expect(result.ok && result.substitution.values).toEqual({ L: 32, K: 7, S: 2, P: 3, D: 1 });
    // ⌊(32 + 6 − 6 − 1)/2⌋ + 1 = 15 + 1 = 16
    expect(result.ok && result.substitution.lines[1]!.text.endsWith('= 16')).toBe(true);
  });

  it('evaluates the other topics with hand-checked numbers', () => {
    const value = (id: string, values: Record<string, number>, index: number): string => {
      const r = substituteTopic(id, values);
      if (!r.ok) throw new Error(r.error);
      return r.substitution.lines[index]!.text;
    };
    // 3·3·64·128 + 128 = 73856
    expect(value('conv-parameter-count', { Cin: 64, Cout: 128, K: 3, groups: 1, bias: 1 }, 0)).toMatch(/= 73856$/);
    // 3 layers of 3×3 stride 1: r = 1 + 2 + 2 + 2 = 7
    expect(value('receptive-field', { L: 3, K: 3, S: 1 }, 3)).toMatch(/= 7, {2}j_3 = 1·1 = 1$/);
    // 3·9·64² = 110592 vs 49·64² = 200704
    expect(value('stacked-3x3-vs-7x7', { C: 64 }, 1)).toBe('3·9·64² = 110592  vs  49·64² = 200704');
    // d_h = 512/8 = 64; 4·512² + 4·512 = 1050624
    expect(value('multi-head-attention', { d: 512, h: 8 }, 0)).toMatch(/= 64$/);
    expect(value('multi-head-attention', { d: 512, h: 8 }, 1)).toMatch(/= 1050624$/);
    // 2/10 = 0.2 and 1/10 = 0.1
    expect(value('gd-least-squares-convergence', { lmax: 10, lmin: 1 }, 0)).toContain('= 0.2');
    // KL(N(0,1) ‖ N(1,4)) = ln 2 − 1/4 = 0.4431
    expect(value('kl-gaussians', { mu1: 0, sigma1: 1, mu2: 1, sigma2: 2 }, 0)).toContain('= 0.4431 nats');
    // 2·32·8·128·4096·2 bytes = 536870912 = 5.369e8 for GQA with g = 8
    expect(value('multi-query-attention', {}, 1)).toContain('5.369·10⁸');
  });

  it('explains bad input instead of throwing', () => {
    const error = (id: string, values: Record<string, number>): string => {
      const r = substituteTopic(id, values);
      return r.ok ? '' : r.error;
    };
    expect(error('no-such-topic', {})).toBe("unknown topic 'no-such-topic'");
    expect(error('rope', {})).toMatch(/no numeric parameters/);
    expect(error('conv-output-size', { Q: 1 })).toMatch(/unknown parameter Q/);
    expect(error('conv-output-size', { K: 2.5 })).toMatch(/K \(kernel size\) must be an integer/);
    expect(error('conv-output-size', { S: 0 })).toMatch(/S \(stride\) must be at least 1/);
    expect(error('conv-output-size', { L: Number.NaN })).toMatch(/must be a finite number/);
    expect(error('conv-output-size', { L: 4, K: 11, P: 0 })).toMatch(/spans 11 positions but the padded input has only 4/);
    expect(error('conv-parameter-count', { Cin: 6, groups: 4 })).toMatch(/groups \(4\) must divide/);
    expect(error('multi-head-attention', { d: 100, h: 8 })).toMatch(/must be divisible/);
    expect(error('diffusion-forward-process', { t: 20, T: 10 })).toMatch(/must not exceed T/);
    expect(error('gd-least-squares-convergence', { lmax: 1, lmin: 2 })).toMatch(/must not exceed the largest/);
    expect(error('receptive-field', { L: 1000, S: 8 })).toMatch(/exceeds/);
  });

  it('never throws and never shows NaN or Infinity, whatever the numbers (property test)', () => {
    const anyNumber = fc.oneof(fc.integer({ min: -5, max: 5000 }), fc.double({ noNaN: false }), fc.constantFrom(0, 1, 1e308, -1e308, Number.POSITIVE_INFINITY));
    fc.assert(
      fc.property(fc.constantFrom(...substitutableTopicIds), fc.array(anyNumber, { minLength: 6, maxLength: 6 }), (id, numbers) => {
        const names = findTopic(id)!.parameters.map((p) => p.name);
        const values = Object.fromEntries(names.map((name, i) => [name, numbers[i]!]));
        const result = substituteTopic(id, values);
        if (result.ok) {
          for (const line of result.substitution.lines) expect(line.tex + line.text).not.toMatch(/NaN|Infinity/);
        } else {
          expect(result.error.length).toBeGreaterThan(5);
          expect(result.error).not.toContain('\n');
        }
      }),
      { numRuns: 400, seed: 1 },
    );
  });
});

describe('number formatting', () => {
  it('prints integers exactly, reals to 4 significant digits and extremes in scientific form', () => {
    expect(texNumber(112)).toBe('112');
    expect(texNumber(2 / 11)).toBe('0.1818');
    expect(texNumber(4.0358e-5)).toBe('4.036 \\times 10^{-5}');
    expect(textNumber(4.0358e-5)).toBe('4.036·10⁻⁵');
    expect(textNumber(-0.25)).toBe('−0.25');
    expect(textNumber(2147483648)).toBe('2.147·10⁹');
  });
});

describe('topicView', () => {
  it('builds the panel message: plain, with numbers, or with the reason the numbers were refused', async () => {
    const { topicView } = await import('../../../src/core/notes');
    expect(topicView('nope')).toBeUndefined();
    expect(topicView('rope')).toEqual({ type: 'showTopic', topic: findTopic('rope') });
    const withNumbers = topicView('conv-output-size', { L: 224 }, 'model.py:3 nn.Conv2d(3, 64, 7, 2, 3)');
    expect(withNumbers?.source).toBe('model.py:3 nn.Conv2d(3, 64, 7, 2, 3)');
    expect(withNumbers?.substitution?.lines[1]?.text).toMatch(/= 112$/);
    const refused = topicView('conv-output-size', { S: 0 });
    expect(refused?.substitution).toBeUndefined();
    expect(refused?.substitutionError).toMatch(/stride/);
  });
});
