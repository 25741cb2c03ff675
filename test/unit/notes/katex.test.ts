// Every formula, derivation step, parameter symbol and substituted line renders with KaTeX in strict mode:
// any parse error or strict-mode warning fails the test.
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { topics } from '../../../src/core/notes';
import { substituteTopic, substitutableTopicIds } from '../../../src/core/notes/substitution';

function renderStrict(tex: string, displayMode = true): string {
  return katex.renderToString(tex, { throwOnError: true, strict: 'error', displayMode });
}

describe('KaTeX rendering of the notes', () => {
  for (const topic of topics) {
    it(`renders every formula and step of ${topic.id}`, () => {
      for (const f of topic.formulas) expect(() => renderStrict(f.tex), f.tex).not.toThrow();
      for (const s of topic.derivation) expect(() => renderStrict(s.tex), s.tex).not.toThrow();
      for (const p of topic.parameters) expect(() => renderStrict(p.tex, false), p.tex).not.toThrow();
      // KaTeX reports some problems as an error node instead of throwing; there must be none.
      const html = [...topic.formulas, ...topic.derivation].map((x) => renderStrict(x.tex)).join('');
      expect(html).not.toContain('katex-error');
    });
  }

  it('renders every substituted line, with defaults and with other numbers', () => {
    const others: Readonly<Record<string, Record<string, number>>> = {
      'conv-output-size': { L: 33, K: 5, S: 3, P: 0, D: 2 },
      'receptive-field': { L: 12, K: 5, S: 2 },
      'diffusion-forward-process': { t: 1000, T: 1000 },
      'kl-gaussians': { mu1: -2.5, sigma1: 0.01, mu2: 3, sigma2: 40 },
      adam: { t: 1000 },
    };
    for (const id of substitutableTopicIds) {
      for (const values of [{}, others[id] ?? {}]) {
        const result = substituteTopic(id, values);
        expect(result.ok, `${id}: ${result.ok ? '' : result.error}`).toBe(true);
        if (!result.ok) continue;
        for (const line of result.substitution.lines) expect(() => renderStrict(line.tex), line.tex).not.toThrow();
      }
    }
  });

  it('fails on broken LaTeX, so the checks above can fail', () => {
    expect(() => renderStrict('\\frac{1}{')).toThrow();
    expect(() => renderStrict('\\notacommand x')).toThrow();
    // Strict mode turns LaTeX-incompatible input (accented text in math mode) into an error.
    expect(() => renderStrict('x é y')).toThrow();
  });
});
