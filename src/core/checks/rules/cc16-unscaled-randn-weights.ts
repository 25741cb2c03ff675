// CC-16: nn.Parameter(torch.randn(a, b)) used as a matmul weight with no 1/√fan_in scaling or later init,
// and no use site that rescales (`* dim ** -0.5`) or normalizes (F.normalize, a LayerNorm after it) what the
// matmul produced: the evaluation's data flow decides that.
// Generalised to every explicit init: an `nn.init.*_` or in-place `normal_`/`uniform_` on the layers of a
// plain stack (an nn.Sequential with no normalization and no residual path) whose resulting per-layer
// variance gain, propagated through the stack's activations by the mean-field recursion (formulas/init),
// scales the signal's second moment by more than 100× either way over the stack's depth, forward (fan_in)
// and backward (fan_out) alike.
import type { Expr } from '../../python/ast';
import { defineRule } from '../rule';
import { fix, replace } from '../fixes';
import type { RuleReport } from '../types';
import type { Value } from '../../interp/values';
import type { CheckFacts } from '../facts/facts';
import type { RecordedCall, RecordedEvent } from '../facts/recorder';
import { computes } from '../facts/dataflow';
import { usesOf } from '../facts/provenance';
import { allModules, isDense, isNormalization, isSequential, normalizes } from '../facts/models';
import type { ObjectV } from '../../interp/values';
import type { ChainLayer } from '../../formulas/init';
import { propagateSecondMoment } from '../../formulas/init';
import { varianceOfInit } from '../../analysis/init';
import { activationOfModule, weightInits } from '../facts/inits';
import type { InitFact } from '../facts/inits';

/** A `Parameter(torch.randn(a, b))` the evaluation created: the creation call, the draw, and its two size arguments. */
interface RandomParameter {
  readonly create: RecordedCall;
  readonly draw: RecordedCall;
  readonly dims: readonly Expr[];
  readonly tensor: Value;
}

/** Parameters created straight from a unit-variance random draw of two sizes (a fresh `torch.randn`/`torch.rand`). */
function randomParameters(facts: CheckFacts): RandomParameter[] {
  const out: RandomParameter[] = [];
  for (const create of facts.constructions) {
    if (create.callee.kind !== 'class' || create.callee.name !== 'Parameter' || create.result.kind !== 'tensor') continue;
    const draw = facts.producerOf(create.args.positional[0]);
    if (draw?.kind !== 'call' || draw.callee.kind !== 'builtin' || !/^(uniform|gaussian)-noise$/.test(computes(facts, draw) ?? '')) continue;
    // Sizes as written: `randn(a, b)` or `randn((a, b))`; a `*_like` draw has none.
    const written = draw.expr.args.filter((a) => a.kind === 'pos').map((a) => a.value);
    const dims = written.length === 1 && (written[0]!.k === 'tuple' || written[0]!.k === 'list') ? written[0]!.items : written;
    if (dims.length !== 2 || draw.args.positional.some((v) => v.kind === 'tensor')) continue;
    out.push({ create, draw, dims, tensor: create.result });
  }
  return out;
}

/** A value and what the functions that returned it gave their callers (a helper `make_weight()` returning the parameter). */
function returnedAs(facts: CheckFacts, v: Value): Value[] {
  const out = [v];
  for (let i = 0; i < out.length && out.length < 8; i++)
    for (const use of usesOf(facts, out[i]!)) if (use.kind === 'call' && use.callee.kind === 'function' && use.original === out[i]) out.push(use.result);
  return out;
}

/** How a parameter enters a matrix product: `x @ W` (right), `W @ x` (left), `F.linear(x, W)` (linear, W is out × in). */
function matmulUsage(facts: CheckFacts, tensor: Value): 'left' | 'right' | 'linear' | undefined {
  for (const use of facts.consumersOf(tensor)) {
    if (use.kind === 'op' && use.op === '@') return use.operands[0] === tensor ? 'left' : 'right';
    if (use.kind !== 'call' || computes(facts, use) !== 'matrix-product') continue;
    if (facts.methodOf(use) === 'linear') return 'linear';
    return use.args.positional[0] === tensor ? 'left' : 'right';
  }
  return undefined;
}

/** Any later init of the parameter: an `nn.init.*_` call on it, an in-place method, `.data = …`, an init the catalogue recorded over the draw. */
function reinitialised(facts: CheckFacts, tensor: Value): boolean {
  for (const use of facts.consumersOf(tensor)) {
    if (use.kind !== 'call') continue;
    if (use.callee.kind === 'builtin' && /(^|\.)init\./.test(use.callee.name)) return true;
    if (use.receiver === tensor && /_$/.test(facts.methodOf(use) ?? '')) return true;
  }
  if (facts.driven.recorder.writes.some((w) => w.obj === tensor && w.name === 'data')) return true;
  return allModules(facts).some((m) => [...(m.module?.params.values() ?? [])].some((p) => p.tensor === tensor && p.initOverride !== undefined));
}

const NORMALIZING = /(^|\.)(normalize|layer_norm|group_norm|batch_norm|rms_norm)$/;

/** A number, or a value computed as one (`dim ** -0.5`, `math.sqrt(d)`): a rescale, not a tensor. */
function isScale(facts: CheckFacts, o: Value): boolean {
  if (o.kind === 'float' || o.kind === 'int') return true;
  const p = facts.producerOf(o);
  return (p?.kind === 'op' && p.op === '**') || (p?.kind === 'call' && p.callee.kind === 'builtin' && /(^|\.)(sqrt|rsqrt)$/.test(p.callee.name));
}

/** Events that take `v` as an input. */
function consumers(facts: CheckFacts, v: Value): readonly RecordedEvent[] {
  return facts.consumersOf(v);
}

/**
 * True when, in the evaluation, what a matmul with the parameter produced is multiplied or divided by a
 * number, or normalized (F.normalize, a module with a norm layer), within a few steps of data flow.
 */
function rescaledWhereUsed(facts: CheckFacts, tensors: readonly Value[]): boolean {
  for (const t of tensors) {
    let frontier: Value[] = facts.consumersOf(t).filter((e) => e.kind === 'op' || e.args.positional.includes(t)).map((e) => e.result);
    for (let hop = 0; hop < 4 && frontier.length > 0; hop++) {
      const next: Value[] = [];
      for (const v of frontier)
        for (const e of consumers(facts, v)) {
          if (e.kind === 'op' && /^[*/]=?$/.test(e.op) && e.operands.some((o) => o !== v && isScale(facts, o))) return true;
          if (e.kind === 'call' && e.callee.kind === 'builtin' && NORMALIZING.test(e.callee.name)) return true;
          if (e.kind === 'call' && facts.isModule(e.callee) && facts.namedModulesOf(e.callee).some(([, m]) => normalizes(m))) return true;
          next.push(e.result);
        }
      frontier = next;
    }
  }
  return false;
}

/** Two orders of magnitude of variance (10× in standard deviation) over the stack: far from 1. */
const FAR = 100;
const MIN_DEPTH = 3;

/** The leaf layers of a Sequential, nested Sequentials flattened. */
function leaves(facts: CheckFacts, m: ObjectV, out: ObjectV[] = [], depth = 0): ObjectV[] {
  for (const [, c] of facts.driven.session.torch.childrenOf(m)) {
    if (isSequential(c) && depth < 6) leaves(facts, c, out, depth + 1);
    else out.push(c);
  }
  return out;
}

const format = (x: number): string => (x >= 0.01 && x < 1e4 ? String(Number(x.toPrecision(3))) : x.toExponential(1));

/** Findings for explicit inits that leave a plain stack's signal far from unit variance. */
function deepStackFindings(facts: CheckFacts): RuleReport[] {
  const inits = weightInits(facts).filter((f) => f.final && f.fn !== 'zeros_' && f.fn !== 'zero_' && f.fn !== 'constant_' && f.fn !== 'ones_' && f.fn !== 'fill_');
  if (inits.length === 0) return [];
  const byLayer = new Map<ObjectV, InitFact>(inits.map((f) => [f.layer, f]));
  const sequentials = allModules(facts).filter(isSequential);
  const nested = new Set<ObjectV>();
  for (const s of sequentials) for (const [, c] of facts.driven.session.torch.childrenOf(s)) if (isSequential(c)) nested.add(c);
  const reports = new Map<string, RuleReport>();
  for (const stack of sequentials) {
    if (nested.has(stack)) continue;
    const layers = leaves(facts, stack);
    // Only plain layers: any other module could hold a residual path or a normalization.
    if (layers.some((l) => !l.cls.layer || isNormalization(l))) continue;
    const chain: ChainLayer[] = [];
    // The gradient's recursion runs over fan_out (He et al.: preserving either direction keeps a deep net
    // trainable; `kaiming_normal_(mode='fan_out')` preserves the backward one). ReLU-family activations carry
    // the same ½ factor both ways; for others it is the forward factor, an approximation.
    const backward: ChainLayer[] = [];
    const touched: InitFact[] = [];
    for (const [i, layer] of layers.entries()) {
      if (!isDense(layer)) continue;
      const weight = layer.module?.params.get('weight');
      const shape = weight?.shape;
      if (!weight || !shape || shape.length < 2 || !shape.every((d) => typeof d === 'number')) return [];
      const dims = shape as number[];
      const fanIn = dims.slice(1).reduce((p, d) => p * d, 1);
      const variance = varianceOfInit(weight.init, { fanIn, fanOut: dims[0]! * dims.slice(2).reduce((p, d) => p * d, 1) });
      const bias = layer.module?.params.get('bias');
      const biasVariance = bias ? varianceOfInit(bias.init) : 0;
      if (variance === undefined || biasVariance === undefined) return [];
      const next = layers[i + 1] ? activationOfModule(layers[i + 1]!) : undefined;
      if (next === 'softmax') return [];
      const fanOut = dims[0]! * dims.slice(2).reduce((p, d) => p * d, 1);
      chain.push({ fanIn, weightVariance: variance, biasVariance, activation: next ?? 'linear' });
      backward.push({ fanIn: fanOut, weightVariance: variance, activation: next ?? 'linear' });
      const init = byLayer.get(layer);
      if (init) touched.push(init);
    }
    if (chain.length < MIN_DEPTH || touched.length === 0) continue;
    const steps = propagateSecondMoment(chain);
    const total = steps[steps.length - 1]!.secondMoment;
    const backwardTotal = propagateSecondMoment(backward).at(-1)!.secondMoment;
    if ((total <= FAR && total >= 1 / FAR) || (backwardTotal <= FAR && backwardTotal >= 1 / FAR)) continue;
    const first = steps[0]!.gain;
    for (const f of touched) {
      const key = `${f.call.expr.r.start.line}:${f.call.expr.r.start.character}`;
      if (reports.has(key) || f.call.file !== facts.path) continue;
      reports.set(key, {
        message:
          `This ${f.fn} init leaves a plain stack of ${chain.length} Linear/Conv layers far from unit variance: the first layer scales the signal's second moment by ≈ ${format(first)} ` +
          `(fan_in·Var(W) through its activation), and the whole stack by ${format(total)}, so activations and gradients ${total < 1 ? 'vanish' : 'explode'} with depth. ` +
          'Use a variance-preserving init (Kaiming for ReLU, Xavier for tanh), or add normalization.',
        range: f.call.expr.r,
      });
    }
  }
  return [...reports.values()];
}

export const cc16 = defineRule('CC-16', (context) => {
  const facts = context.facts();
  const reports: RuleReport[] = deepStackFindings(facts);
  for (const { create, draw, dims, tensor } of randomParameters(facts)) {
    if (create.file !== context.path) continue;
    // The parameter as the code holds it: also the value a helper that created it returned.
    const held = returnedAs(facts, tensor);
    const usage = held.map((t) => matmulUsage(facts, t)).find((u) => u !== undefined);
    if (!usage || held.some((t) => reinitialised(facts, t)) || rescaledWhereUsed(facts, held)) continue;
    // x @ W with W (a, b): fan_in = a. W @ x: fan_in = b. F.linear(x, W) with W (out, in): fan_in = b.
    const fanIn = usage === 'right' ? dims[0]! : dims[1]!;
    const fanText = context.source.textOf(fanIn.r);
    const fanCode = fanIn.k === 'name' || fanIn.k === 'num' || fanIn.k === 'attr' ? fanText : `(${fanText})`;
    const drawText = context.source.textOf(draw.expr.r);
    const owner = facts.ancestorsOf(create).at(-1);
    const target = owner?.k === 'assign' ? owner.targets[0] : undefined;
    const named = target ? context.source.textOf(target.r) : 'This parameter';
    reports.push({
      message: `${named} is a matmul weight drawn from torch.${facts.methodOf(draw)} with unit variance: each output's variance is fan_in (${fanText}) times the input's, so activations grow by √fan_in per layer. Scale by 1/√fan_in or use nn.init.`,
      range: draw.expr.r,
      fixes: [fix(`Scale by 1/√${fanText}`, replace(draw.expr.r, `${drawText} * ${fanCode} ** -0.5`))],
    });
  }
  return reports;
});
