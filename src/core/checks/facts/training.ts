// Training and evaluation as the recorded evaluation shows them: training steps (an optimizer stepped after
// a backward in the same loop iteration, wherever the functions doing it live), gradient resets per
// optimizer, evaluation loops (a model run in a loop with no backward), and each model's train/eval mode
// at any moment of the run.
import type { Expr } from '../../python/ast';
import type { ObjectV, Value } from '../../interp/values';
import type { CheckFacts } from './facts';
import { inIteration, inRun, sameIteration } from './facts';
import type { LoopFrame, RecordedCall, RecordedEvent } from './recorder';
import { walkGraph } from './provenance';
import { optimizerConstructions } from './optimizers';
import { lookupLayer } from '../../frameworks/torch/index';

export interface TrainingStep {
  readonly step: RecordedCall;
  readonly optimizer: Value;
  /** The innermost loop iteration that holds both a backward and this step. */
  readonly iteration: LoopFrame;
  /** Backward calls of the iteration that ran before the step. */
  readonly backwards: readonly RecordedCall[];
}

const memo = new WeakMap<CheckFacts, Map<string, unknown>>();
function cached<T>(facts: CheckFacts, key: string, build: () => T): T {
  let m = memo.get(facts);
  if (!m) memo.set(facts, (m = new Map()));
  if (!m.has(key)) m.set(key, build());
  return m.get(key) as T;
}

export function backwardCalls(facts: CheckFacts): RecordedCall[] {
  return cached(facts, 'backward', () => facts.backwardCandidates().filter((c) => facts.isBackward(c)));
}

/** Every optimizer step that follows a backward in the same loop iteration. */
export function trainingSteps(facts: CheckFacts): TrainingStep[] {
  return cached(facts, 'steps', () => {
    const backwards = backwardCalls(facts);
    const out: TrainingStep[] = [];
    for (const c of facts.callsNamed('step')) {
      const optimizer = facts.steppedOptimizer(c);
      if (!optimizer) continue;
      for (const loop of [...c.context.loops].reverse()) {
        const before = backwards.filter((b) => b.seq < c.seq && inIteration(b, loop));
        if (before.length === 0) continue;
        out.push({ step: c, optimizer, iteration: loop, backwards: before });
        break;
      }
    }
    return out;
  });
}

/** Events of one loop iteration, in execution order. */
export function iterationEvents(facts: CheckFacts, loop: LoopFrame): readonly RecordedEvent[] {
  return facts.eventsInIteration(loop);
}

/** A call that resets the gradients `optimizer` steps: its zero_grad, a model's zero_grad, `p.grad = None`, `p.grad.zero_()`. */
export function resetsGradientsOf(facts: CheckFacts, e: RecordedEvent, optimizer: Value): boolean {
  if (e.kind !== 'call') return false;
  const method = facts.methodOf(e);
  if (method === 'zero_grad') {
    const r = e.receiver;
    if (!r) return true;
    return facts.resetsFor(optimizer, r) !== false;
  }
  // `p.grad.zero_()`, `p.grad.detach_()`: in-place on a gradient.
  if (e.expr.fn.k === 'attr' && /^(zero_|detach_|fill_|requires_grad_|mul_)$/.test(e.expr.fn.name) && mentionsGrad(e.expr.fn.obj)) return true;
  return false;
}

/** Attribute writes of an iteration that clear a gradient (`p.grad = None`). */
export function gradientWrites(facts: CheckFacts, loop: LoopFrame): boolean {
  const writes = cached(facts, 'gradWrites', () => facts.driven.recorder.writes.filter((w) => w.name === 'grad'));
  return writes.some((w) => w.context.loops.some((l) => sameIteration(l, loop)));
}

/** True when an expression reads a tensor's `.grad` (not `torch.autograd.grad(...)`, a function). */
export function mentionsGrad(e: Expr): boolean {
  if (e.k === 'attr') return e.name === 'grad' || mentionsGrad(e.obj);
  if (e.k === 'sub') return mentionsGrad(e.obj);
  if (e.k === 'call') return (e.fn.k === 'attr' ? mentionsGrad(e.fn.obj) : mentionsGrad(e.fn)) || e.args.some((a) => mentionsGrad(a.value));
  if (e.k === 'bin') return mentionsGrad(e.left) || mentionsGrad(e.right);
  if (e.k === 'comp') return mentionsGrad(e.elt);
  return false;
}

// ---------------------------------------------------------------------------------------------------
// Models and their modes.

/**
 * A layer whose forward depends on train/eval mode: the catalogue's `training` trait (dropout, batch
 * statistics), or a layer built to track running statistics (`InstanceNorm2d(C, track_running_stats=True)`).
 */
function modeDependentLayer(m: ObjectV): boolean {
  if (m.cls.mro.some((c) => lookupLayer(c.name)?.traits?.training !== undefined)) return true;
  const tracks = m.module?.ctorArgs?.get('track_running_stats');
  return tracks?.kind === 'bool' && tracks.value;
}

/** Methods called on models (their mode, parameters, gradients, weights). */
const MODEL_METHODS = ['train', 'eval', 'parameters', 'named_parameters', 'zero_grad', 'state_dict', 'load_state_dict', 'requires_grad_'];

/** Values the code treats as models: nn.Module objects it calls on data, or whose mode or parameters it uses. */
export function modelValues(facts: CheckFacts): Set<Value> {
  return cached(facts, 'models', () => {
    const out = new Set<Value>();
    for (const c of facts.callsNamed(...MODEL_METHODS)) {
      if (c.receiver && (facts.isModule(c.receiver) || c.receiver.kind === 'unknown')) {
        if (!facts.libraryOf(c.receiver)) out.add(c.receiver);
      }
    }
    return out;
  });
}

/**
 * True when a model behaves differently in train() and eval() (Dropout, BatchNorm). For a model the
 * analysis cannot see into (a parameter, a zoo model), when the code switches its mode itself (it was
 * written to care) or when the models this file defines have such layers (it is most likely one of them).
 */
export function isModeDependent(facts: CheckFacts, model: Value): boolean {
  if (facts.isModule(model) && (modeDependentModule(facts, model) || !opaqueModule(facts, model))) return modeDependentModule(facts, model);
  if (facts.callsNamed('train', 'eval').some((c) => c.receiver !== undefined && modeReaches(facts, c.receiver, model))) return true;
  presumedFileModels.add(facts);
  return fileModels(facts).some((m) => modeDependentModule(facts, m));
}

/**
 * Facts whose answers presumed a model the analysis could not see is one of the file's models: a file-wide
 * inference, so a check run on part of the file (../units) runs such rules on the whole file instead.
 */
export const presumedFileModels = new WeakSet<CheckFacts>();

function modeDependentModule(facts: CheckFacts, m: ObjectV): boolean {
  return facts.namedModulesOf(m).some(([, sub]) => modeDependentLayer(sub));
}

/** A module holding something the analysis could not build (a zoo model, a wrapped unknown): its layers are not all known. */
function opaqueModule(facts: CheckFacts, m: ObjectV): boolean {
  return facts.namedModulesOf(m).some(([, sub]) => [...sub.attrs.values()].some((v) => v.kind === 'unknown'));
}

/** The nn.Module objects of classes this file defines that the evaluation built. */
export function fileModels(facts: CheckFacts): ObjectV[] {
  return cached(facts, 'fileModels', () => {
    const out = new Set<ObjectV>();
    const add = (v: Value | undefined): void => {
      if (facts.isModule(v) && v.cls.file === facts.path) out.add(v);
    };
    for (const c of facts.constructions) add(c.result);
    for (const i of facts.driven.instances) add(i);
    return [...out];
  });
}

/** A call that sets a model's mode: `m.train()`, `m.train(False)`, `m.eval()`; with the mode it sets. */
export function modeOf(facts: CheckFacts, c: RecordedCall): 'train' | 'eval' | undefined {
  const m = facts.methodOf(c);
  if (!c.receiver || (m !== 'train' && m !== 'eval') || c.expr.fn.k !== 'attr') return undefined;
  if (facts.libraryOf(c.receiver)) return undefined;
  if (m === 'eval') return c.args.positional.length === 0 ? 'eval' : undefined;
  const flag = c.args.positional[0] ?? c.args.keywords.get('mode');
  if (!flag) return 'train';
  return flag.kind === 'bool' ? (flag.value ? 'train' : 'eval') : undefined;
}

/** True when switching `target`'s mode also switches `model` (the same object, a wrapper, or a parent module). */
export function modeReaches(facts: CheckFacts, target: Value, model: Value): boolean {
  if (target === model) return true;
  if (facts.isModule(target) && facts.isModule(model)) return facts.contains(target, model);
  return false;
}

export function modeSwitches(facts: CheckFacts): RecordedCall[] {
  return cached(facts, 'modes', () => facts.callsNamed('train', 'eval').filter((c) => modeOf(facts, c) !== undefined));
}

/** The mode `model` is in when event `at` runs: the last switch that reaches it before, else train (PyTorch's default). */
export function modeAt(facts: CheckFacts, model: Value, at: RecordedEvent): { mode: 'train' | 'eval'; by?: RecordedCall } {
  let last: RecordedCall | undefined;
  for (const c of modeSwitches(facts)) {
    if (c.seq >= at.seq) break;
    if (modeReaches(facts, c.receiver!, model)) last = c;
  }
  return last ? { mode: modeOf(facts, last)!, by: last } : { mode: 'train' };
}

// ---------------------------------------------------------------------------------------------------
// Evaluation loops.

const EVAL_FUNCTION = /^_*(evaluate|validate|validation|evaluation|eval|test|val|valid|run_eval|run_validation|run_test|predict|inference)(_(model|epoch|loop|one_epoch|step))?$/;
export const isEvaluationFunction = (name: string): boolean => EVAL_FUNCTION.test(name);
const EVAL_DATA = /^(val|valid|validation|test|eval|dev)_?(loader|dl|dataloader|data_loader|batches|data|set|dataset|iter)?$|(^|_)(val|valid|test|eval)(_|$)/i;

export interface EvaluationRun {
  /** The evaluation loop (one run of it); undefined when an evaluation function runs the model once, with no loop of its own. */
  readonly loop?: LoopFrame;
  readonly model: Value;
  /** The first call of the model in the run. */
  readonly call: RecordedCall;
}

/** Calls of a model on data: `model(x)` where `model` is one of the code's models. */
export function modelCalls(facts: CheckFacts): RecordedCall[] {
  return cached(facts, 'modelCalls', () => {
    const models = modelValues(facts);
    const own = new Set<Value>(fileModels(facts));
    // `model(x)` or `self.model(x)`; not `model.train()`, whose callee is the unknown model itself. Each is a
    // call of an object or an unknown value.
    return facts.valueCalls.filter(
      (c) =>
        !(c.expr.fn.k === 'attr' && c.receiver === c.callee) &&
        (models.has(c.callee) || own.has(c.callee) || (c.callee.kind === 'unknown' && presumedModel(c.expr.fn)) || (facts.isModule(c.callee) && !c.callee.cls.layer && !isLoss(c.callee))),
    );
  });
}

/** Only where the analysis has no value (a parameter no call in the file gives): named like a model. */
export function presumedModel(e: Expr): boolean {
  const name = e.k === 'name' ? e.id : e.k === 'attr' ? e.name : undefined;
  return name !== undefined && /^(model|net|network|classifier|encoder|decoder|module|ddp_model|student|teacher|generator|discriminator|net[GD]|model_ema)$/i.test(name);
}

const isLoss = (m: ObjectV): boolean => m.cls.mro.some((c) => /Loss$/.test(c.name));


/**
 * Loops that run a model with no backward anywhere in the same run, and read as evaluation: under
 * no_grad/inference_mode, in a function named like evaluation, or over validation/test data. A function
 * named like evaluation that runs the model once with no loop of its own (full-batch evaluation of a graph
 * network, called after each training step) is an evaluation run too, when a training loop calls it and no
 * backward ran in that call.
 */
export function evaluationRuns(facts: CheckFacts): EvaluationRun[] {
  return cached(facts, 'evalRuns', () => {
    const backwards = backwardCalls(facts);
    const out: EvaluationRun[] = [];
    const seen = new Set<string>();
    for (const call of modelCalls(facts)) {
      // Calls inside a model's own methods (forward, generate, predict) are the model's code, not evaluation.
      if (call.context.functions.some((f) => f.fn.definingClass?.mro.includes(facts.driven.session.torch.moduleClass))) continue;
      // The innermost enclosing loop with no backward in its run (the evaluation loop may call a helper
      // that runs the model).
      const loop = [...call.context.loops].reverse().find((l) => !backwards.some((b) => inRun(b, l)));
      if (!loop) {
        const run = functionEvaluation(call, backwards);
        if (run && !seen.has(run)) {
          seen.add(run);
          out.push({ model: call.callee, call });
        }
        continue;
      }
      if (!isEvaluation(facts, call, loop)) continue;
      const key = `${loop.file}:${loop.stmt.r.start.line}:${loop.stmt.r.start.character}:${loop.run}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ loop, model: call.callee, call });
    }
    return out;
  });
}

/**
 * The call of an evaluation-named function that ran the model outside any loop of its own, with no backward
 * in that call: a key for the run, else undefined.
 */
function functionEvaluation(call: RecordedCall, backwards: readonly RecordedCall[]): string | undefined {
  const frames = call.context.functions;
  // Interleaved with training: called inside a loop that trains (a smoke test that builds a model and runs it once is no evaluation).
  if (call.context.loops.length === 0) return undefined;
  const at = frames.map((f) => EVAL_FUNCTION.test(f.fn.name)).lastIndexOf(true);
  const frame = frames[at];
  if (!frame) return undefined;
  // A loop inside the evaluation function (that also ran a backward) is not this case.
  if (call.context.loops.some((l) => l.depth > at)) return undefined;
  if (backwards.some((b) => b.context.functions[at]?.entry === frame.entry)) return undefined;
  return `call:${frame.entry}`;
}

function isEvaluation(facts: CheckFacts, call: RecordedCall, loop: LoopFrame): boolean {
  if (facts.underNoGrad(call)) return true;
  if (call.context.functions.some((f) => EVAL_FUNCTION.test(f.fn.name))) return true;
  const stmt = loop.stmt;
  const iter = stmt.k === 'for' ? stmt.iter : stmt.k === 'comp' ? stmt.clauses.find((c) => c.k === 'for')?.iter : undefined;
  const data = iter ? iteratedName(iter) : undefined;
  return data !== undefined && EVAL_DATA.test(data);
}

/** The data a loop iterates: `loader`, `enumerate(loader)`, `tqdm(loader)`, `self.val_loader`. */
export function iteratedName(e: Expr): string | undefined {
  if (e.k === 'call') {
    const fn = e.fn.k === 'name' ? e.fn.id : e.fn.k === 'attr' ? e.fn.name : '';
    const first = e.args.find((a) => a.kind === 'pos')?.value;
    if (/^(enumerate|tqdm|iter|log_every|zip)$/.test(fn) && first) return iteratedName(first);
    return undefined;
  }
  if (e.k === 'name') return e.id;
  if (e.k === 'attr') return e.name;
  return undefined;
}

export const isObject = (v: Value | undefined): v is ObjectV => v?.kind === 'object';

// ---------------------------------------------------------------------------------------------------
// Losses: the values backward() differentiates.

/**
 * The loss values of backward calls: the receiver, and what it was computed from when it is the loss
 * scaled (`scaler.scale(loss)`, `loss / accumulation_steps`).
 */
export function lossValues(facts: CheckFacts): Map<Value, RecordedCall> {
  return cached(facts, 'losses', () => {
    const out = new Map<Value, RecordedCall>();
    const add = (v: Value | undefined, b: RecordedCall, depth: number): void => {
      if (!v || out.has(v) || depth > 3) return;
      out.set(v, b);
      const p = facts.producerOf(v);
      if (p?.kind === 'call' && facts.methodOf(p) === 'scale' && facts.libraryOf(p.receiver)?.info.kind === 'scaler') add(p.args.positional[0], b, depth + 1);
      if (p?.kind === 'op' && /^[*/]$/.test(p.op)) add(p.operands[0], b, depth + 1);
    };
    for (const b of backwardCalls(facts)) add(facts.lossOfBackward(b), b, 0);
    return out;
  });
}

/** A call that computes a loss: a module whose class is a `…Loss`, or a functional loss (`F.mse_loss`, `F.cross_entropy`). */
export function computesLoss(facts: CheckFacts, c: RecordedCall): boolean {
  if (facts.isModule(c.callee)) return isLoss(c.callee);
  if (c.callee.kind !== 'builtin' || !c.callee.name.startsWith('torch.nn.functional.')) return false;
  return /(_loss|^cross_entropy|^binary_cross_entropy(_with_logits)?|^kl_div)$/.test(c.callee.name.slice('torch.nn.functional.'.length));
}

/**
 * The parts of each backward's loss: loss computations and the arithmetic combining them
 * (`content_loss = w * mse_loss(...)` in `total = content_loss + style_loss`), each with its graph.
 */
export function lossComponents(facts: CheckFacts): Map<Value, RecordedCall> {
  return cached(facts, 'lossParts', () => {
    const out = new Map<Value, RecordedCall>();
    for (const [loss, b] of lossValues(facts)) {
      walkGraph(facts, loss, (e, path) => {
        const partOfLoss = path.every((p) => p.kind === 'op' ? /^(\+|-|\*|\/|\+=|-=|\*=|\/=)$/.test(p.op) : computesLoss(facts, p));
        if (!partOfLoss) return true;
        // Only the event's own result: `original` may be one of its inputs (a call that returned its argument).
        if (!out.has(e.result) && !lossValues(facts).has(e.result)) out.set(e.result, b);
        // Below a loss computation are its inputs (the model's outputs), not parts of the loss.
        return e.kind === 'call';
      });
    }
    return out;
  });
}

// ---------------------------------------------------------------------------------------------------
// Which optimizers a backward feeds.

/** The optimizers the file builds or steps. */
export function optimizersOf(facts: CheckFacts): readonly Value[] {
  return cached(facts, 'optimizers', () => {
    const out = new Set<Value>(optimizerConstructions(facts).map((c) => c.call.result));
    for (const c of facts.callsNamed('step')) {
      const o = facts.steppedOptimizer(c);
      if (o) out.add(o);
    }
    return [...out];
  });
}

/**
 * The optimizers owning parameters of the models the loss was computed through; undefined when no model
 * is reached or the values do not tell for some optimizer and model (then ownership is unknown).
 */
export function owningOptimizers(facts: CheckFacts, b: RecordedCall): readonly Value[] | undefined {
  const known = cached(facts, 'owners', () => new Map<RecordedCall, readonly Value[] | undefined>());
  if (known.has(b)) return known.get(b);
  const owners = findOwningOptimizers(facts, b);
  known.set(b, owners);
  return owners;
}

function findOwningOptimizers(facts: CheckFacts, b: RecordedCall): Value[] | undefined {
  const models = new Set<Value>();
  walkGraph(facts, facts.lossOfBackward(b), (e) => {
    if (e.kind === 'call' && facts.isModule(e.callee) && !e.callee.cls.layer) models.add(e.callee);
    return false;
  }, 400);
  if (models.size === 0) return undefined;
  const owners: Value[] = [];
  for (const o of optimizersOf(facts)) {
    const answers = [...models].map((m) => facts.resetsFor(o, m));
    if (answers.includes(true)) owners.push(o);
    else if (answers.includes(undefined)) return undefined;
  }
  return owners.length > 0 ? owners : undefined;
}
