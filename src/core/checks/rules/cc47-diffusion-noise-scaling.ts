// CC-47: diffusion noising `a·x0 + b·eps` where a and b are ᾱ and 1 − ᾱ without square roots.
import type { Expr } from '../../python/ast';
import { defineRule } from '../rule';
import type { BinExpr } from '../../python/syntax';
import { identifiersIn, numberValue, walkBodyExprs, walkExpr } from '../../python/syntax';
import { scopesOf } from '../training';
import type { RuleReport } from '../types';

const ALPHA = /alpha|ab\b|abar|a_bar|alphas_cumprod|alpha_bar/i;
const NOISE = /^(noise|eps|epsilon|z)$/i;

/** The factors of a product chain. */
function factors(e: Expr): Expr[] {
  return e.k === 'bin' && e.op === '*' ? [...factors(e.left), ...factors(e.right)] : [e];
}

const mentionsAlpha = (e: Expr): boolean => identifiersIn(e).some((id) => ALPHA.test(id));
const hasRoot = (e: Expr): boolean => {
  let root = false;
  walkExpr(e, (n) => {
    if ((n.k === 'bin' && n.op === '**') || (n.k === 'call' && identifiersIn(n.fn).some((id) => /sqrt|rsqrt/.test(id))) || (n.k === 'attr' && /sqrt/.test(n.name))) root = true;
  });
  return root;
};
/** `1 - alpha_bar[t]` (the noise coefficient). */
const isOneMinusAlpha = (e: Expr): boolean => e.k === 'bin' && e.op === '-' && numberValue(e.left) === 1 && mentionsAlpha(e.right);

export const cc47 = defineRule('CC-47', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    walkBodyExprs(scope.body, (e) => {
      if (e.k !== 'bin' || e.op !== '+') return;
      const sides = [factors(e.left), factors(e.right)];
      const noiseSide = sides.findIndex((fs) => fs.some((f) => f.k === 'name' && NOISE.test(f.id)));
      if (noiseSide < 0) return;
      const signalFactors = sides[1 - noiseSide]!;
      const noiseFactors = sides[noiseSide]!;
      const noiseCoef = noiseFactors.find(isOneMinusAlpha);
      const signalCoef = signalFactors.find((f) => mentionsAlpha(f) && !isOneMinusAlpha(f));
      if (!noiseCoef || !signalCoef || hasRoot(noiseCoef) || hasRoot(signalCoef)) return;
      // Only the bare forms: a square root anywhere on either side means the formula is (being) written correctly.
      if (hasRoot(e as BinExpr)) return;
      reports.push({
        message: 'Noising as ᾱ·x₀ + (1 − ᾱ)·ε misses the square roots: q(x_t | x₀) = N(√ᾱ_t·x₀, (1 − ᾱ_t)·I), so the std of the noise is √(1 − ᾱ_t) and the signal is scaled by √ᾱ_t.',
        range: e.r,
      });
    });
  }
  return reports;
});
