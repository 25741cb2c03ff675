// The path from an attention softmax back to its scores (CC-18, CC-20): through masked_fill, additive
// masks and names, to the q·kᵀ product, noting any scaling on the way.
import type { Expr } from '../python/ast';
import { activationOfCall } from './models';
import { activationInput } from './losses';
import type { CallExpr } from '../python/syntax';
import { calledName, identifiersIn, isCall, positionalArgs, argument } from '../python/syntax';
import type { Scope } from './training';
import { locatedCalls } from './training';

export interface ScorePath {
  readonly softmax: CallExpr;
  /** The q·kᵀ product, when the path reaches one. */
  readonly product?: { readonly expr: Expr; readonly q: Expr; readonly k: Expr };
  /** A `*` or `/` on the path (scaled scores), with the divisor when it is a division. */
  readonly scaling?: { readonly op: string; readonly factor: Expr };
  /** `masked_fill(mask, value)` calls on the path. */
  readonly maskFills: readonly CallExpr[];
  /** `scores * mask` products on the path. */
  readonly maskProducts: readonly Extract<Expr, { k: 'bin' }>[];
}

const MAX_PATH = 16;
const isMaskName = (e: Expr): boolean => identifiersIn(e).some((id) => /mask/i.test(id));

/** `k.transpose(-2, -1)`, `k.transpose(1, 2)`, `k.mT`, `k.T`, `k.permute(...)`: the key operand, untransposed. */
function transposedOperand(e: Expr): Expr | undefined {
  if (e.k === 'attr' && (e.name === 'T' || e.name === 'mT')) return e.obj;
  if (isCall(e) && e.fn.k === 'attr' && (e.fn.name === 'transpose' || e.fn.name === 'permute')) return e.fn.obj;
  return undefined;
}

function matmulOperands(e: Expr, scope: Scope): { q: Expr; k: Expr } | undefined {
  let left: Expr | undefined;
  let right: Expr | undefined;
  if (e.k === 'bin' && e.op === '@') [left, right] = [e.left, e.right];
  else if (isCall(e) && /^(matmul|bmm)$/.test(calledName(e) ?? '')) [left, right] = positionalArgs(e);
  if (!left || !right) return undefined;
  const k = transposedOperand(scope.resolve(right)) ?? transposedOperand(right);
  return k ? { q: left, k } : undefined;
}

export function scorePaths(scope: Scope): ScorePath[] {
  const out: ScorePath[] = [];
  for (const { call } of locatedCalls(scope.body)) {
    if (activationOfCall(call, scope.cls) !== 'softmax') continue;
    const input = activationInput(call);
    if (!input) continue;
    const maskFills: CallExpr[] = [];
    const maskProducts: Extract<Expr, { k: 'bin' }>[] = [];
    let scaling: ScorePath['scaling'];
    let product: ScorePath['product'];
    let current: Expr | undefined = input;
    for (let step = 0; current && step < MAX_PATH && !product; step++) {
      const e: Expr = scope.resolve(current);
      const operands = matmulOperands(e, scope);
      if (operands) {
        product = { expr: e, ...operands };
        break;
      }
      if (isCall(e) && /^masked_fill_?$/.test(calledName(e) ?? '') && e.fn.k === 'attr') {
        maskFills.push(e);
        current = e.fn.obj;
      } else if (e.k === 'bin' && (e.op === '+' || e.op === '-')) {
        current = isMaskName(e.left) ? e.right : e.left;
      } else if (e.k === 'bin' && (e.op === '*' || e.op === '/')) {
        if (e.op === '*' && (isMaskName(e.right) || isMaskName(e.left))) {
          maskProducts.push(e);
          current = isMaskName(e.right) ? e.left : e.right;
        } else {
          scaling ??= { op: e.op, factor: e.right };
          current = e.left;
        }
      } else if (isCall(e) && /^(float|to|type|contiguous)$/.test(calledName(e) ?? '') && e.fn.k === 'attr') {
        current = e.fn.obj;
      } else current = undefined;
    }
    out.push({ softmax: call, ...(product ? { product } : {}), ...(scaling ? { scaling } : {}), maskFills, maskProducts });
  }
  return out;
}

/** The fill value of a masked_fill call. */
export const fillValue = (call: CallExpr): Expr | undefined => argument(call, 1, 'value');
