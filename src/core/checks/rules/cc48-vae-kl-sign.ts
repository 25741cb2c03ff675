// CC-48: a VAE loss that adds +½·Σ(1 + logvar − μ² − e^logvar), which is −KL, to the reconstruction loss.
import type { Expr } from '../../python/ast';
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import { calledName, dottedName, isCall, numberValue, positionalArgs, walkBodyExprs, walkStmts } from '../../python/syntax';
import { scopesOf } from '../training';
import type { Scope } from '../training';
import type { RuleReport } from '../types';
import type { SourceText } from '../source';

type Sign = 1 | -1;

/** Signed additive terms of an expression: a + b − c → [+a, +b, −c]. */
function signedTerms(e: Expr, sign: Sign = 1): { sign: Sign; term: Expr }[] {
  if (e.k === 'bin' && (e.op === '+' || e.op === '-')) return [...signedTerms(e.left, sign), ...signedTerms(e.right, e.op === '-' ? (-sign as Sign) : sign)];
  return [{ sign, term: e }];
}

const textKey = (e: Expr, source: SourceText): string => source.textOf(e.r).replace(/\s+/g, '');

/** μ² as `mu ** 2`, `mu.pow(2)`, `torch.pow(mu, 2)`, `mu * mu`, `mu.square()`. */
function isSquare(e: Expr): boolean {
  if (e.k === 'bin' && e.op === '**') return numberValue(e.right) === 2;
  if (e.k === 'bin' && e.op === '*') return dottedName(e.left) !== undefined && dottedName(e.left) === dottedName(e.right);
  if (isCall(e) && calledName(e) === 'pow') return numberValue(positionalArgs(e)[positionalArgs(e).length - 1]) === 2;
  return isCall(e) && calledName(e) === 'square';
}

/** The exponentiated operand of `lv.exp()`, `torch.exp(lv)`, `exp(lv)`. */
function expOperand(e: Expr): Expr | undefined {
  if (!isCall(e) || calledName(e) !== 'exp') return undefined;
  const args = positionalArgs(e);
  return args[0] ?? (e.fn.k === 'attr' ? e.fn.obj : undefined);
}

/** 1 + logvar − μ² − exp(logvar) (in any order): the integrand of −KL(q‖N(0, I)) ×2. */
function isNegativeKlIntegrand(e: Expr, source: SourceText): boolean {
  const terms = signedTerms(e);
  if (terms.length !== 4) return false;
  const one = terms.find((t) => t.sign === 1 && numberValue(t.term) === 1);
  const exp = terms.find((t) => t.sign === -1 && expOperand(t.term));
  const square = terms.find((t) => t.sign === -1 && isSquare(t.term));
  const logvar = terms.find((t) => t.sign === 1 && t !== one && exp && textKey(t.term, source) === textKey(expOperand(exp.term)!, source));
  return one !== undefined && exp !== undefined && square !== undefined && logvar !== undefined;
}

const MAX_DEPTH = 6;

/** +1 when e is a positive multiple of Σ(integrand) (that is −KL), −1 for a negative multiple (KL), undefined otherwise. */
function klSign(e: Expr, scope: Scope, source: SourceText, depth = 0): Sign | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const resolved = e.k === 'name' ? scope.resolve(e) : e;
  if (resolved !== e) return klSign(resolved, scope, source, depth + 1);
  if (e.k === 'unary' && e.op === '-') {
    const inner = klSign(e.operand, scope, source, depth + 1);
    return inner === undefined ? undefined : (-inner as Sign);
  }
  if (e.k === 'bin' && (e.op === '*' || e.op === '/')) {
    const [a, b] = [klSign(e.left, scope, source, depth + 1), klSign(e.right, scope, source, depth + 1)];
    const other = a !== undefined ? e.right : e.left;
    const core = a ?? b;
    if (core === undefined || (a !== undefined && b !== undefined)) return undefined;
    const factor = numberValue(other);
    // A non-numeric factor (beta) is taken as positive, as KL weights are.
    return factor !== undefined && factor < 0 ? (-core as Sign) : core;
  }
  if (isCall(e) && /^(sum|mean)$/.test(calledName(e) ?? '')) {
    const inner = positionalArgs(e)[0] ?? (e.fn.k === 'attr' ? e.fn.obj : undefined);
    return inner ? klSign(inner, scope, source, depth + 1) : undefined;
  }
  return isNegativeKlIntegrand(e, source) ? 1 : undefined;
}

/** The range of the operator token between two operands. */
function operatorRange(left: Expr, right: Expr, source: SourceText, op: string): Expr['r'] | undefined {
  const from = source.offsetAt(left.r.end);
  const to = source.offsetAt(right.r.start);
  const at = source.text.slice(from, to).indexOf(op);
  if (at < 0) return undefined;
  const start = source.lines.position(from + at);
  return { start, end: { line: start.line, character: start.character + 1 } };
}

const MESSAGE = '½·Σ(1 + logvar − μ² − e^logvar) is −KL(q‖p), but it is added to the loss here; the loss to minimise is −ELBO = reconstruction + KL. Flip the sign.';

export const cc48 = defineRule('CC-48', (context) => {
  const reports: RuleReport[] = [];
  for (const scope of scopesOf(context)) {
    walkBodyExprs(scope.body, (e) => {
      if (e.k !== 'bin' || (e.op !== '+' && e.op !== '-')) return;
      const sign = klSign(e.right, scope, context.source);
      const wrong = (e.op === '+' && sign === 1) || (e.op === '-' && sign === -1);
      // The integrand's own inner + and − are not a loss combination.
      if (!wrong || klSign(e, scope, context.source) !== undefined) return;
      const opRange = operatorRange(e.left, e.right, context.source, e.op);
      reports.push({ message: MESSAGE, range: e.r, ...(opRange ? { fixes: [fix('Flip the sign of the KL term', replace(opRange, e.op === '+' ? '-' : '+'))] } : {}) });
    });
    walkStmts(scope.body, (s) => {
      if (s.k !== 'aug' || (s.op !== '+' && s.op !== '-')) return;
      const sign = klSign(s.value, scope, context.source);
      if (!((s.op === '+' && sign === 1) || (s.op === '-' && sign === -1))) return;
      const opRange = operatorRange(s.target, s.value, context.source, s.op);
      reports.push({ message: MESSAGE, range: s.r, ...(opRange ? { fixes: [fix('Flip the sign of the KL term', replace(opRange, s.op === '+' ? '-' : '+'))] } : {}) });
    });
  }
  return reports;
});
