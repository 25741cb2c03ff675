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
import type { CallExpr } from '../../python/syntax';
import { calledName, dottedName, isCall, isSelfAttr, lastPart, positionalArgs, walkBodyExprs, walkStmts } from '../../python/syntax';
import type { RuleReport } from '../types';
import type { TensorValue } from '../../values';
import type { Value } from '../../interp/values';
import type { CheckFacts } from '../facts/facts';
import type { RecordedEvent } from '../facts/recorder';
import { allModules, isSequential, layerName } from '../facts/models';
import type { ObjectV } from '../../interp/values';
import type { ChainLayer } from '../../formulas/init';
import { propagateSecondMoment } from '../../formulas/init';
import { varianceOfInit } from '../../analysis/init';
import { activationOfModule, weightInits, WEIGHTED_LAYER } from '../facts/inits';
import type { InitFact } from '../facts/inits';

const MATMUL_FUNCTIONS = new Set(['matmul', 'mm', 'bmm', 'linear', 'einsum']);

/** The `torch.randn(...)` / `torch.rand(...)` call with ≥ 2 dims directly inside `Parameter(...)`. */
function unscaledRandn(value: Expr): { randn: CallExpr; dims: Expr[] } | undefined {
  if (!isCall(value) || lastPart(dottedName(value.fn) ?? '') !== 'Parameter') return undefined;
  const inner = positionalArgs(value)[0];
  if (!isCall(inner) || !/^(torch\.)?(randn|rand)$/.test(dottedName(inner.fn) ?? '')) return undefined;
  const args = positionalArgs(inner);
  const dims = args.length === 1 && (args[0]!.k === 'tuple' || args[0]!.k === 'list') ? [...args[0]!.items] : args;
  return dims.length === 2 ? { randn: inner, dims } : undefined;
}

const isAttr = (e: Expr | undefined, attr: string): boolean => isSelfAttr(e) && e.name === attr;

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
function rescaledWhereUsed(facts: CheckFacts, className: string, attr: string): boolean {
  const tensors = allModules(facts).filter((m) => m.cls.name === className).map((m) => m.module?.params.get(attr)?.tensor).filter((t): t is TensorValue => t !== undefined);
  for (const t of tensors) {
    let frontier: Value[] = facts.events.filter((e) => (e.kind === 'op' ? e.operands.includes(t) : e.args.positional.includes(t))).map((e) => e.result);
    for (let hop = 0; hop < 4 && frontier.length > 0; hop++) {
      const next: Value[] = [];
      for (const v of frontier)
        for (const e of consumers(facts, v)) {
          if (e.kind === 'op' && /^[*/]=?$/.test(e.op) && e.operands.some((o) => o !== v && isScale(facts, o))) return true;
          if (e.kind === 'call' && e.callee.kind === 'builtin' && NORMALIZING.test(e.callee.name)) return true;
          if (e.kind === 'call' && facts.isModule(e.callee) && facts.driven.session.torch.namedModules(e.callee).some(([, m]) => /Norm/.test(layerName(m)))) return true;
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
const NORMALIZATION = /Norm/;

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
    if (layers.some((l) => !l.cls.layer || NORMALIZATION.test(layerName(l)))) continue;
    const chain: ChainLayer[] = [];
    // The gradient's recursion runs over fan_out (He et al.: preserving either direction keeps a deep net
    // trainable; `kaiming_normal_(mode='fan_out')` preserves the backward one). ReLU-family activations carry
    // the same ½ factor both ways; for others it is the forward factor, an approximation.
    const backward: ChainLayer[] = [];
    const touched: InitFact[] = [];
    for (const [i, layer] of layers.entries()) {
      if (!WEIGHTED_LAYER.test(layerName(layer))) continue;
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
  for (const info of context.classes.classes) {
    for (const [attr, value] of info.attributes) {
      const found = unscaledRandn(value);
      if (!found) continue;
      let usage: 'left' | 'right' | 'linear' | undefined;
      let reinitialised = false;
      for (const method of info.methods.values()) {
        walkStmts(method.body, (s) => {
          if (s.k === 'assign' && s.targets.some((t) => t.k === 'attr' && t.name === 'data' && isAttr(t.obj, attr))) reinitialised = true;
        });
        walkBodyExprs(method.body, (e) => {
          if (e.k === 'bin' && e.op === '@') {
            if (isAttr(e.right, attr)) usage ??= 'right';
            if (isAttr(e.left, attr)) usage ??= 'left';
          }
          if (!isCall(e)) return;
          const name = calledName(e) ?? '';
          const args = positionalArgs(e);
          if (MATMUL_FUNCTIONS.has(name) && args.some((a) => isAttr(a, attr))) usage ??= name === 'linear' ? 'linear' : isAttr(args[0], attr) ? 'left' : 'right';
          // Any later in-place init or nn.init call on the parameter means the randn is only a placeholder.
          const receiver = e.fn.k === 'attr' ? e.fn.obj : undefined;
          const receiverBase = receiver?.k === 'attr' && receiver.name === 'data' ? receiver.obj : receiver;
          if (name.endsWith('_') && isAttr(receiverBase, attr)) reinitialised = true;
          if (args.some((a) => isAttr(a, attr) || (a.k === 'attr' && a.name === 'data' && isAttr(a.obj, attr))) && /init/.test(dottedName(e.fn) ?? '')) reinitialised = true;
        });
      }
      if (!usage || reinitialised) continue;
      if (rescaledWhereUsed(facts, info.cls.name, attr)) continue;
      // x @ W with W (a, b): fan_in = a. W @ x: fan_in = b. F.linear(x, W) with W (out, in): fan_in = b.
      const fanIn = usage === 'right' ? found.dims[0]! : found.dims[1]!;
      const fanText = context.source.textOf(fanIn.r);
      const fanCode = fanIn.k === 'name' || fanIn.k === 'num' || fanIn.k === 'attr' ? fanText : `(${fanText})`;
      reports.push({
        message: `self.${attr} is a matmul weight drawn from torch.${calledName(found.randn)} with unit variance: each output's variance is fan_in (${fanText}) times the input's, so activations grow by √fan_in per layer. Scale by 1/√fan_in or use nn.init.`,
        range: found.randn.r,
        fixes: [fix(`Scale by 1/√${fanText}`, replace(found.randn.r, `${context.source.textOf(found.randn.r)} * ${fanCode} ** -0.5`))],
      });
    }
  }
  return reports;
});
