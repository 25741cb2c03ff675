// CC-47: diffusion noising `a·x0 + b·eps` where a and b are ᾱ and 1 − ᾱ without square roots. A query over
// the evaluation's values: a sum of two products, one with Gaussian noise (randn/randn_like/normal_, or an
// unknown argument named like noise), whose coefficients are the cumulative product of the schedule and one
// minus it, with no square root on the way from the cumulative product (or, for a schedule passed in as an
// argument the analysis cannot know, from the value named like ᾱ) to the product.
import { defineRule } from '../rule';
import type { Expr } from '../../python/ast';
import type { Value } from '../../interp/values';
import type { CheckFacts } from '../facts/facts';
import type { RecordedEvent } from '../facts/recorder';
import { asOperation, computes, computedFrom, computingEvent, factorsOf, isOperation, numberOf, rootedOnTheWay, writtenAs } from '../facts/dataflow';
import { walkValues } from '../facts/provenance';
import type { RuleReport } from '../types';

const ALPHA = /alpha|ab\b|abar|a_bar|alphas_cumprod|alpha_bar/i;
const NOISE = /^(noise|eps|epsilon|z)$/i;

const nameOf = (e: Expr | undefined): string | undefined => (e?.k === 'name' ? e.id : e?.k === 'attr' ? e.name : e?.k === 'sub' ? nameOf(e.obj) : undefined);

const isCumulativeProduct = (facts: CheckFacts, e: RecordedEvent): boolean => computes(facts, e) === 'cumulative-product';

/**
 * ᾱ: a value computed from a cumulative product, or (the schedule is an argument the analysis cannot know)
 * read from a value written with an ᾱ-like name — with no square root between.
 */
function isAlphaBar(facts: CheckFacts, v: Value): boolean {
  if (v.kind !== 'tensor' && v.kind !== 'unknown' && v.kind !== 'float') return false;
  if (rootedOnTheWay(facts, v, (e) => isCumulativeProduct(facts, e))) return false;
  if (computedFrom(facts, v, ['cumulative-product'])) return true;
  let named = false;
  walkValues(facts, v, (e) => {
    if (e.kind === 'op' && e.op === '[]' && e.expr.k === 'sub' && ALPHA.test(nameOf(e.expr.obj) ?? '')) named = true;
    if (e.kind === 'call' && computes(facts, e) === undefined && e.callee.kind !== 'function' && !facts.isModule(e.callee)) return true;
    return named;
  });
  return named;
}

/** Methods that pick or lay out a schedule's entries without changing them (`a.gather(-1, t).reshape(b, 1, 1, 1)`). */
const PICKING = /^(gather|index_select|reshape|view|expand|expand_as|squeeze|unsqueeze|to|float|double|type|flatten)$/;

/** 1 − ᾱ, also once picked at the timestep and reshaped (an `extract(1 - alphas_cumprod, t, shape)` helper). */
function isOneMinusAlphaBar(facts: CheckFacts, v: Value): boolean {
  let current: Value | undefined = v;
  for (let hop = 0; hop < 8 && current; hop++) {
    const p = computingEvent(facts, current);
    if (isOperation(p, '-')) return numberOf(p.operands[0]) === 1 && isAlphaBar(facts, p.operands[1]!) && !rootedOnTheWay(facts, v, (e) => isCumulativeProduct(facts, e));
    const index = asOperation(p, '[]');
    if (index) current = index.operands[0];
    else if (p?.kind === 'call' && p.expr.fn.k === 'attr' && PICKING.test(p.expr.fn.name) && (p.receiver?.kind === 'tensor' || p.receiver?.kind === 'unknown')) current = p.receiver;
    else return false;
  }
  return false;
}

/** Gaussian noise: drawn in the evaluation, or an argument the analysis cannot know written with a noise name. */
function isNoise(facts: CheckFacts, v: Value, written: Expr | undefined): boolean {
  if (v.kind !== 'tensor' && v.kind !== 'unknown') return false;
  if (computedFrom(facts, v, ['gaussian-noise'])) return true;
  return facts.producerOf(v) === undefined && NOISE.test(nameOf(written) ?? '');
}

export const cc47 = defineRule('CC-47', (context) => {
  const facts = context.facts();
  const reports = new Map<Expr, RuleReport>();
  for (const e of facts.operations('+')) {
    if (e.expr.k !== 'bin' || e.file !== context.path || reports.has(e.expr)) continue;
    const sides = [
      { value: e.operands[0]!, factors: factorsOf(facts, e.operands[0]!) },
      { value: e.operands[1]!, factors: factorsOf(facts, e.operands[1]!) },
    ];
    const noisy = sides.findIndex((s) => s.factors.length >= 2 && s.factors.some((f) => isNoise(facts, f, writtenAs(facts, s.value, f))));
    if (noisy < 0) continue;
    const noise = sides[noisy]!;
    const signal = sides[1 - noisy]!;
    if (signal.factors.length < 2) continue;
    const noiseCoefficient = noise.factors.some((f) => isOneMinusAlphaBar(facts, f));
    const signalCoefficient = signal.factors.some((f) => !isOneMinusAlphaBar(facts, f) && isAlphaBar(facts, f));
    if (!noiseCoefficient || !signalCoefficient) continue;
    reports.set(e.expr, {
      message: 'Noising as ᾱ·x₀ + (1 − ᾱ)·ε misses the square roots: q(x_t | x₀) = N(√ᾱ_t·x₀, (1 − ᾱ_t)·I), so the std of the noise is √(1 − ᾱ_t) and the signal is scaled by √ᾱ_t.',
      range: e.expr.r,
    });
  }
  return [...reports.values()];
});
