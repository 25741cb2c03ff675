// Attention scores as the evaluation computed them (CC-18, CC-19, CC-20): each softmax of the checked file
// walked back through the values that produced its input (masked_fill, additive masks, scalings, dtype
// moves) to a q·kᵀ product (`q @ k.transpose(-2, -1)`, `torch.matmul`, `torch.bmm`), across variables and
// helper functions, noting the scaling and the masks on the way.
import type { Expr } from '../../python/ast';
import type { Value } from '../../interp/values';
import type { CheckFacts } from './facts';
import { inOrder } from './facts';
import type { RecordedCall, RecordedEvent, RecordedOperation } from './recorder';
import { normalizes, traitsOf } from './models';

export interface ScoreProduct {
  readonly event: RecordedEvent;
  readonly expr: Expr;
  readonly q: Value;
  readonly k: Value;
  readonly bmm: boolean;
}

export interface ScorePath {
  readonly softmax: RecordedCall;
  /** The softmax's `dim` as a value (functional, method, or nn.Softmax's constructor argument). */
  readonly dim?: Value;
  /** The expression of the dim argument at the call, when written there. */
  readonly dimExpr?: Expr;
  readonly product?: ScoreProduct;
  /** A `*` or `/` on the path (scaled scores): the operation and its other operand. */
  readonly scaling?: { readonly op: RecordedOperation; readonly factor: Value; readonly factorExpr?: Expr };
  readonly maskFills: readonly RecordedCall[];
  readonly maskProducts: readonly RecordedOperation[];
}

const MAX_PATH = 16;
const TRANSPOSING = /^(transpose|permute|swapaxes|swapdims|t)$/;
const PASSING = /^(float|to|type|contiguous|half|double)$/;

/** Text-free mask test: a value named like a mask where the code writes it. */
const isMaskExpr = (e: Expr | undefined): boolean => e !== undefined && /mask/i.test(exprText(e));

function exprText(e: Expr): string {
  if (e.k === 'name') return e.id;
  if (e.k === 'attr') return `${exprText(e.obj)}.${e.name}`;
  if (e.k === 'call') return exprText(e.fn);
  if (e.k === 'sub') return exprText(e.obj);
  if (e.k === 'unary') return exprText(e.operand);
  if (e.k === 'cmp' || e.k === 'bin') return `${exprText(e.left)} ${exprText(e.right)}`;
  return '';
}

const methodName = (c: RecordedCall): string | undefined => (c.expr.fn.k === 'attr' ? c.expr.fn.name : undefined);

/** True when a value is a transposed key: produced by `.transpose(...)`/`.permute(...)` (or `.mT` read as such). */
function transposed(facts: CheckFacts, v: Value | undefined, e: Expr | undefined): boolean {
  const p = facts.producerOf(v);
  if (p?.kind === 'call' && TRANSPOSING.test(methodName(p) ?? (facts.builtinName(p) ?? '').replace(/^.*\./, ''))) return true;
  return e?.k === 'attr' && (e.name === 'T' || e.name === 'mT');
}

export function productOf(facts: CheckFacts, e: RecordedEvent): ScoreProduct | undefined {
  if (e.kind === 'op' && e.op === '@' && e.expr.k === 'bin') {
    const [q, k] = e.operands;
    return q && k && transposed(facts, k, e.expr.right) ? { event: e, expr: e.expr, q, k, bmm: false } : undefined;
  }
  if (e.kind === 'call') {
    const name = (facts.builtinName(e) ?? '').replace(/^.*\./, '');
    if (name !== 'matmul' && name !== 'bmm') return undefined;
    const [q, k] = e.args.positional;
    const kExpr = e.expr.args.filter((a) => a.kind === 'pos')[1]?.value;
    return q && k && transposed(facts, k, kExpr) ? { event: e, expr: e.expr, q, k, bmm: name === 'bmm' } : undefined;
  }
  return undefined;
}

/** The events `productOf` may accept: `@` operations and matmul/bmm calls, in execution order. */
export function productCandidates(facts: CheckFacts): readonly RecordedEvent[] {
  return inOrder<RecordedEvent>([facts.operations('@'), facts.builtinCalls(/(^|\.)(matmul|bmm)$/)]);
}

/** A call's positional argument expression at an index. */
const positionalExpr = (c: RecordedCall, at: number): Expr | undefined => c.expr.args.filter((a) => a.kind === 'pos')[at]?.value;

/** A call's keyword argument expression. */
const keywordExpr = (c: RecordedCall, name: string): Expr | undefined => c.expr.args.find((a) => a.kind === 'kw' && a.name === name)?.value;

/**
 * The input of a softmax call and its dim, or undefined when the call is not a softmax. Asked of every call of the
 * checked file: its argument expressions are looked up only once it is a softmax (listing them first for every call
 * was most of this question's cost).
 */
function softmaxOf(facts: CheckFacts, c: RecordedCall): { input?: Value; dim?: Value; dimExpr?: Expr } | undefined {
  if (facts.isModule(c.callee)) {
    if (traitsOf(c.callee)?.probabilities !== 'softmax') return undefined;
    const module = c.callee;
    const built = facts.constructionOf(module);
    const dimExpr = built?.expr.args.find((a) => a.kind === 'kw' && a.name === 'dim')?.value ?? built?.expr.args.find((a) => a.kind === 'pos')?.value;
    const dim = module.module?.ctorArgs?.get('dim');
    return { ...(c.args.positional[0] ? { input: c.args.positional[0] } : {}), ...(dim ? { dim } : {}), ...(dimExpr && built?.file === facts.path ? { dimExpr } : {}) };
  }
  const builtin = facts.builtinName(c) ?? '';
  // Every softmax below is a builtin whose name ends so or a method named so: any other call stops here.
  if (!builtin.endsWith('softmax') && methodName(c) !== 'softmax') return undefined;
  const method = /^Tensor\.softmax$/.test(builtin) || (methodName(c) === 'softmax' && c.callee.kind !== 'builtin' && (c.receiver?.kind === 'tensor' || c.receiver?.kind === 'unknown'));
  if (method) {
    const dim = c.args.keywords.get('dim') ?? c.args.positional[0];
    const dimExpr = keywordExpr(c, 'dim') ?? positionalExpr(c, 0);
    return { ...(c.receiver ? { input: c.receiver } : {}), ...(dim ? { dim } : {}), ...(dimExpr ? { dimExpr } : {}) };
  }
  if (/(^|\.)softmax$/.test(builtin)) {
    const dim = c.args.keywords.get('dim') ?? c.args.positional[1];
    const dimExpr = keywordExpr(c, 'dim') ?? positionalExpr(c, 1);
    return { ...(c.args.positional[0] ? { input: c.args.positional[0] } : {}), ...(dim ? { dim } : {}), ...(dimExpr ? { dimExpr } : {}) };
  }
  return undefined;
}

/** Every softmax of the checked file with the path back to its scores (computed once per facts, shared by the rules). */
export function scorePaths(facts: CheckFacts): readonly ScorePath[] {
  return facts.derived('scorePaths', () => findScorePaths(facts));
}

function findScorePaths(facts: CheckFacts): ScorePath[] {
  const out: ScorePath[] = [];
  const seen = new Set<unknown>();
  for (const c of facts.localCalls) {
    if (seen.has(c.expr)) continue;
    const softmax = softmaxOf(facts, c);
    if (!softmax) continue;
    seen.add(c.expr);
    const maskFills: RecordedCall[] = [];
    const maskProducts: RecordedOperation[] = [];
    let scaling: ScorePath['scaling'];
    let product: ScoreProduct | undefined;
    let current = softmax.input;
    for (let step = 0; current && step < MAX_PATH && !product; step++) {
      const p = facts.producerOf(current);
      if (!p) break;
      product = productOf(facts, p);
      if (product) break;
      if (p.kind === 'call') {
        const method = methodName(p);
        if (method && /^masked_fill_?$/.test(method)) {
          maskFills.push(p);
          current = p.receiver;
        } else if (method && PASSING.test(method)) current = p.receiver;
        else break;
      } else if (p.expr.k === 'bin' && (p.op === '+' || p.op === '-' || p.op === '+=' || p.op === '-=')) {
        current = isMaskExpr(p.expr.left) ? p.operands[1] : p.operands[0];
      } else if (p.expr.k === 'bin' && (p.op === '*' || p.op === '/' || p.op === '*=' || p.op === '/=')) {
        if (p.op.startsWith('*') && (isMaskExpr(p.expr.right) || isMaskExpr(p.expr.left))) {
          maskProducts.push(p);
          current = isMaskExpr(p.expr.right) ? p.operands[0] : p.operands[1];
        } else {
          scaling ??= { op: p, factor: p.operands[1]!, factorExpr: p.expr.right };
          current = p.operands[0];
        }
      } else break;
    }
    out.push({ softmax: c, ...softmax, ...(product ? { product } : {}), ...(scaling ? { scaling } : {}), maskFills, maskProducts });
  }
  return out;
}

/**
 * True when a value was scaled on its way (q = q * scale, F.normalize(q), q / temperature): a `*` or `/` by
 * a number or a computed scalar, or a normalization, within a few producers.
 */
export function scaledOnTheWay(facts: CheckFacts, v: Value | undefined): boolean {
  let current = v;
  for (let hop = 0; hop < 6 && current; hop++) {
    const p = facts.producerOf(current);
    if (!p) return false;
    if (p.kind === 'op') {
      if (/^[*/]=?$/.test(p.op) || p.op === '**') return true;
      current = p.operands[0];
      continue;
    }
    const name = (facts.builtinName(p) ?? '').replace(/^.*\./, '');
    if (/^(normalize|layer_norm|rms_norm)$/.test(name) || /^(mul|div|mul_|div_)$/.test(methodName(p) ?? '')) return true;
    // `self.q_norm(q)` with a norm layer the analysis could not build (a class from another package).
    if (p.expr.fn.k === 'attr' && /norm/i.test(p.expr.fn.name) && !facts.isModule(p.callee)) return true;
    if (facts.isModule(p.callee) && normalizes(p.callee)) return true;
    current = p.receiver?.kind === 'tensor' || p.receiver?.kind === 'unknown' ? p.receiver : p.args.positional[0];
  }
  return false;
}
