// CC-48: a VAE loss that adds +½·Σ(1 + logvar − μ² − e^logvar), which is −KL, to the reconstruction loss.
// A query over the evaluation's values: the integrand 1 + logvar − μ² − exp(logvar) is found by what each
// term computes (the exponential of the same value that is added, a square), its sign is followed forward
// through sums, means, products by numbers, negations, variables and the functions that return it, to the
// sum or difference that combines it with another loss term.
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import type { Expr } from '../../python/ast';
import type { Range } from '../../values';
import type { Value } from '../../interp/values';
import type { CheckFacts } from '../facts/facts';
import type { RecordedEvent, RecordedOperation } from '../facts/recorder';
import { asOperation, computes, isOperation, numberOf, operandOf } from '../facts/dataflow';
import { usesOf } from '../facts/provenance';
import type { RuleReport } from '../types';
import type { SourceText } from '../source';

type Sign = 1 | -1;

const contains = (outer: Range, inner: Range): boolean =>
  (outer.start.line < inner.start.line || (outer.start.line === inner.start.line && outer.start.character <= inner.start.character)) &&
  (outer.end.line > inner.end.line || (outer.end.line === inner.end.line && outer.end.character >= inner.end.character));

/** Signed additive terms of a sum the evaluation computed within one expression: a + b − c → [+a, +b, −c]. */
function signedTerms(facts: CheckFacts, v: Value, within: RecordedOperation, sign: Sign = 1, depth = 0): { sign: Sign; value: Value }[] {
  const p = facts.producerOf(v);
  if (depth < 8 && isOperation(p, '+', '-') && p.file === within.file && contains(within.expr.r, p.expr.r))
    return [...signedTerms(facts, p.operands[0]!, within, sign, depth + 1), ...signedTerms(facts, p.operands[1]!, within, p.op === '-' ? (-sign as Sign) : sign, depth + 1)];
  return [{ sign, value: v }];
}

/** μ²: `mu ** 2`, `mu.pow(2)`, `torch.pow(mu, 2)`, `mu * mu`, `mu.square()`. */
function isSquare(facts: CheckFacts, v: Value): boolean {
  const p = facts.producerOf(v);
  const power = asOperation(p, '**');
  if (power) return numberOf(power.operands[1]) === 2;
  const product = asOperation(p, '*');
  if (product) return product.operands[0] === product.operands[1];
  const c = p ? computes(facts, p) : undefined;
  if (c === 'square') return true;
  return c === 'power' && p?.kind === 'call' && numberOf(p.args.positional.at(-1)) === 2;
}

/** The value exponentiated to give v (`lv.exp()`, `torch.exp(lv)`). */
function exponentOf(facts: CheckFacts, v: Value): Value | undefined {
  const p = facts.producerOf(v);
  return p?.kind === 'call' && computes(facts, p) === 'exponential' ? operandOf(p) : undefined;
}

/** 1 + logvar − μ² − exp(logvar) (in any order): twice the integrand of −KL(q‖N(0, I)). */
function isNegativeKlIntegrand(facts: CheckFacts, e: RecordedOperation): boolean {
  const terms = signedTerms(facts, e.result, e);
  if (terms.length !== 4) return false;
  const one = terms.find((t) => t.sign === 1 && numberOf(t.value) === 1);
  const exp = terms.find((t) => t.sign === -1 && exponentOf(facts, t.value) !== undefined);
  const square = terms.find((t) => t.sign === -1 && isSquare(facts, t.value));
  const logvar = exp && terms.find((t) => t.sign === 1 && t !== one && t.value === exponentOf(facts, exp.value));
  return one !== undefined && square !== undefined && logvar !== undefined;
}

interface Combination {
  readonly op: RecordedOperation;
  /** The sign the −KL term enters the combined value with. */
  readonly sign: Sign;
  /** The operand index the term is. */
  readonly side: 0 | 1;
}

const MAX_HOPS = 10;

/** Follows a value that is `sign`·(−KL) forward to the sums and differences that combine it with other terms. */
function combinations(facts: CheckFacts, start: Value): Combination[] {
  const out: Combination[] = [];
  const seen = new Set<RecordedEvent>();
  let frontier: { v: Value; sign: Sign }[] = [{ v: start, sign: 1 }];
  for (let hop = 0; hop < MAX_HOPS && frontier.length > 0; hop++) {
    const next: { v: Value; sign: Sign }[] = [];
    for (const { v, sign } of frontier)
      for (const use of usesOf(facts, v)) {
        if (seen.has(use)) continue;
        seen.add(use);
        if (use.kind === 'call') {
          const c = computes(facts, use);
          // Sums and means keep the sign; a function that returns the value hands it on.
          if (c === 'reduction' || c === 'conversion' || (use.callee.kind === 'function' && use.original === v)) next.push({ v: use.result, sign });
          continue;
        }
        const combined = asOperation(use, '+', '-', '+=', '-=');
        if (use.op === '-' && use.operands.length === 1) next.push({ v: use.result, sign: -sign as Sign });
        else if (asOperation(use, '*', '/')) {
          const other = use.operands[0] === v ? use.operands[1] : use.operands[0];
          const n = numberOf(other);
          // A weight the analysis cannot know (beta) is taken as positive, as KL weights are.
          next.push({ v: use.result, sign: n !== undefined && n < 0 ? (-sign as Sign) : sign });
        } else if (combined) {
          const side = combined.operands[1] === v ? 1 : 0;
          out.push({ op: combined, side, sign: side === 1 && combined.op.startsWith('-') ? (-sign as Sign) : sign });
        }
      }
    frontier = next;
  }
  return out;
}

/** The range of the operator token between two operands. */
function operatorRange(left: Expr, right: Expr, source: SourceText, op: string): Range | undefined {
  const from = source.offsetAt(left.r.end);
  const to = source.offsetAt(right.r.start);
  const at = source.text.slice(from, to).indexOf(op);
  if (at < 0) return undefined;
  const start = source.lines.position(from + at);
  return { start, end: { line: start.line, character: start.character + 1 } };
}

const MESSAGE = '½·Σ(1 + logvar − μ² − e^logvar) is −KL(q‖p), but it is added to the loss here; the loss to minimise is −ELBO = reconstruction + KL. Flip the sign.';

export const cc48 = defineRule('CC-48', (context) => {
  const facts = context.facts();
  const integrands = new Set<Value>();
  for (const e of facts.operations('-', '+')) if (isNegativeKlIntegrand(facts, e)) integrands.add(e.result);
  // The integrand's own inner sums are not loss combinations: only the outermost one is followed.
  const reports = new Map<Expr, RuleReport>();
  for (const integrand of integrands) {
    for (const { op, sign, side } of combinations(facts, integrand)) {
      if (sign !== 1 || op.file !== context.path || reports.has(op.expr)) continue;
      const stmt = facts.ancestorsOf(op).at(-1);
      // `loss += kld`: the statement is the range; `a + b`: the expression.
      if (op.op.endsWith('=') && stmt?.k === 'aug') {
        const opRange = operatorRange(stmt.target, stmt.value, context.source, op.op[0]!);
        reports.set(op.expr, { message: MESSAGE, range: stmt.r, ...(opRange ? { fixes: [fix('Flip the sign of the KL term', replace(opRange, op.op[0] === '+' ? '-' : '+'))] } : {}) });
        continue;
      }
      if (op.expr.k !== 'bin') continue;
      const opRange = side === 1 ? operatorRange(op.expr.left, op.expr.right, context.source, op.op) : undefined;
      reports.set(op.expr, { message: MESSAGE, range: op.expr.r, ...(opRange ? { fixes: [fix('Flip the sign of the KL term', replace(opRange, op.op === '+' ? '-' : '+'))] } : {}) });
    }
  }
  return [...reports.values()];
});
