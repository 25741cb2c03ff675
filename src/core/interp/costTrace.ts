// The interpreter's cost trace: applies each call's catalogue cost rule (frameworks/torch/costs.ts) to the
// call's real tensors. It follows which tensors require grad (trainable parameters and what is computed
// from them), which storage each tensor lives in (views and in-place results share their input's; strides
// decide whether a reshape is a view, as ATen's computeStride does, layout.ts), and what autograd keeps for
// backward, deduplicated by storage as PyTorch keeps it. Pure bookkeeping over WeakMaps: no global state.
import * as dims from '../dims/dims';
import type { Dim } from '../dims/dims';
import { ELEMENT_BYTES, type ElementType } from '../formulas/costs';
import type { AutocastKind, OpCost, SavedElement, TensorName } from '../frameworks/types';
import { contiguousStrides, expandStrides, isContiguous, sampleSize, viewStrides } from '../frameworks/torch/layout';
import type { TensorValue } from '../values';
import type { Value } from './values';

/** One storage autograd may keep: its bytes (elements × element size) and whether the model holds it anyway. */
export interface Storage {
  readonly id: number;
  readonly bytes: Dim;
  /** Parameters and buffers: held by the model whether or not autograd keeps them. */
  readonly held: boolean;
}

/** What one call adds to a training step, as its cost rule says for its actual tensors. */
export interface CallCost {
  /** Multiply-adds of the gradients its backward computes (only those whose tensor requires grad). */
  readonly backwardMacs: Dim;
  /** Forward arithmetic that is not multiply-adds (one per element-step). */
  readonly otherOps: Dim;
  readonly backwardOtherOps: Dim;
  /** Storages autograd keeps for this call's backward (empty when its output needs no gradient). */
  readonly saved: readonly Storage[];
}

/** How a call's named tensors are found: bound arguments, the result, a layer's own parameters. */
export interface CallTensors {
  tensor(name: TensorName): TensorValue | undefined;
  /** All tensors the call reads (arguments and a layer's parameters), for 'parameters' and requires-grad. */
  readonly inputs: readonly TensorValue[];
  /** The layer's own parameters (empty for ops). */
  readonly parameters: readonly TensorValue[];
  readonly output: Value;
}

/** The cost of a call that computes nothing for the model (config arithmetic on known values). */
export const NO_TRAIN_COST: CallCost = { backwardMacs: 0, otherOps: 0, backwardOtherOps: 0, saved: [] };

/** Two parts of one call's cost added (a layer subclass's own forward running several ops); unknown stays unknown. */
export function addCallCosts(a: CallCost | null | undefined, b: CallCost | null): CallCost | null {
  if (a === undefined) return b;
  if (a === null || b === null) return null;
  return {
    backwardMacs: dims.add(a.backwardMacs, b.backwardMacs),
    otherOps: dims.add(a.otherOps, b.otherOps),
    backwardOtherOps: dims.add(a.backwardOtherOps, b.backwardOtherOps),
    saved: [...a.saved, ...b.saved],
  };
}

const bytesOf = (dtype: string): number | undefined => ELEMENT_BYTES[dtype as ElementType];

/** The first tensor of a value (a tuple's first item), or undefined. */
function firstTensor(v: Value): TensorValue | undefined {
  if (v.kind === 'tensor') return v;
  if (v.kind === 'tuple' || v.kind === 'list') {
    for (const item of v.items) {
      const t = firstTensor(item);
      if (t) return t;
    }
  }
  return undefined;
}

function tensorsOf(v: Value, out: TensorValue[] = []): TensorValue[] {
  if (v.kind === 'tensor') out.push(v);
  else if (v.kind === 'tuple' || v.kind === 'list') v.items.forEach((item) => tensorsOf(item, out));
  return out;
}

/**
 * matmul (and linear on 3-D input) folds (b, n, m) to (b·n, m) for one mm, except when the last two axes are
 * transposed and the first is slowest (a permute(0, 2, 1)): then ATen's should_fold runs bmm on the tensor as
 * it is, and no copy is made (aten/src/ATen/native/LinearAlgebra.cpp).
 */
function keptUnfolded(shape: readonly Dim[], strides: readonly number[], reshapedTo: readonly Dim[]): boolean {
  if (shape.length !== 3 || reshapedTo.length !== 2) return false;
  const sizes = shape.map(sampleSize);
  return strides[2] !== 1 && strides[0] === sizes[1]! * sizes[2]!;
}

const FLOATING = new Set(['float32', 'float64', 'float16', 'bfloat16', 'complex64']);

/**
 * How a training run holds its floating tensors: the model and inputs in `dtype` (model.to(dtype); float32
 * unless set), and with `autocast` torch.autocast's op lists of that device, running each listed op in the
 * lower type or float32 while the model stays float32 (master weights).
 */
export interface TrainingPrecision {
  readonly dtype: 'float32' | 'bfloat16' | 'float16';
  readonly autocast?: { readonly dtype: 'bfloat16' | 'float16'; readonly device: 'cpu' | 'cuda' };
}

const FLOAT32: TrainingPrecision = { dtype: 'float32' };

/** What CostTrace.runState saves. */
export interface CostRunState {
  readonly nextStorage: number;
  readonly indexingSaves: number;
  readonly precision: TrainingPrecision;
}

export class CostTrace {
  // The tables keyed by tensors start empty again for each run of a kept session (restoreRunState).
  private grad = new WeakSet<TensorValue>();
  private storages = new WeakMap<TensorValue, Storage>();
  /** Strides in elements on a generic instance (layout.ts); absent = contiguous; null = irregular (never a view). */
  private strides = new WeakMap<TensorValue, number[] | null>();
  private nextStorage = 0;
  /** What indexing keeps (it is no op record): the index tensors of advanced indexing on tensors that require grad. */
  readonly indexingSaves: Storage[] = [];
  private precision: TrainingPrecision = FLOAT32;
  /** The floating type a tensor has under autocast, where it differs from the interpreter's float32. */
  private runsIn = new WeakMap<TensorValue, ElementType>();
  /** Autocast's cached lower-precision copy of each parameter (one per forward, however often it is used). */
  private castCopies = new WeakMap<TensorValue, Storage>();

  constructor(
    /** Whether a tensor is a trainable parameter (the model's own requires_grad). */
    private readonly isTrainable: (t: TensorValue) => boolean,
    /** Whether a tensor is a parameter or buffer the model holds. */
    private readonly isHeld: (t: TensorValue) => boolean,
  ) {
    // Written a second time, as the torch runtime's tables are (TorchRuntime.emptyTensorTables says why).
    this.emptyTables();
    this.nextStorage = 0;
    this.precision = FLOAT32;
  }

  /** The counters and logs a run adds to (a kept session puts them back after each run). */
  runState(): CostRunState {
    return { nextStorage: this.nextStorage, indexingSaves: this.indexingSaves.length, precision: this.precision };
  }

  restoreRunState(state: CostRunState): void {
    this.nextStorage = state.nextStorage;
    this.indexingSaves.length = state.indexingSaves;
    this.precision = state.precision;
    this.emptyTables();
  }

  /** New tables keyed by tensors. */
  private emptyTables(): void {
    this.grad = new WeakSet();
    this.storages = new WeakMap();
    this.strides = new WeakMap();
    this.runsIn = new WeakMap();
    this.castCopies = new WeakMap();
  }

  /** Sets how this run holds its floating tensors (float32 by default). */
  setPrecision(precision: TrainingPrecision): void {
    this.precision = precision;
  }

  /**
   * The element type a tensor has in this run: its type under autocast, else the model's floating type
   * for the interpreter's float32 tensors (model.to(bfloat16) turns them all), else its own.
   */
  dtypeOf(t: TensorValue): string {
    const cast = this.runsIn.get(t);
    if (cast) return cast;
    return t.dtype === 'float32' ? this.precision.dtype : t.dtype;
  }

  requiresGrad(t: TensorValue): boolean {
    return this.grad.has(t) || this.isTrainable(t);
  }

  storageOf(t: TensorValue): Storage | undefined {
    const known = this.storages.get(t);
    if (known) return known;
    const bytes = bytesOf(this.dtypeOf(t));
    if (!t.shape || bytes === undefined) return undefined;
    const storage: Storage = { id: this.nextStorage++, bytes: dims.mul(dims.product(t.shape), bytes), held: this.isHeld(t) };
    this.storages.set(t, storage);
    return storage;
  }

  private stridesOf(t: TensorValue): number[] | null {
    const s = this.strides.get(t);
    if (s !== undefined) return s;
    return t.shape ? contiguousStrides(t.shape) : null;
  }

  private freshStorage(shape: readonly Dim[], bytes: number): Storage {
    return { id: this.nextStorage++, bytes: dims.mul(dims.product(shape), bytes), held: false };
  }

  /**
   * Applies one call's cost rule. Its output requires grad when it can carry one and any tensor it reads
   * does; autograd keeps the rule's saved tensors only then. Without a rule (undefined), the requires-grad
   * flow still follows the data and the call's cost is unknown.
   */
  apply(cost: OpCost | undefined, call: CallTensors): CallCost | undefined {
    const anyGrad = call.inputs.some((t) => this.requiresGrad(t));
    const outputs = tensorsOf(call.output);
    const carriesGrad = anyGrad && !cost?.noGrad;
    for (const t of outputs) if (carriesGrad && FLOATING.has(t.dtype)) this.grad.add(t);
    const cast = this.autocastKind(cost);
    this.placeAutocastOutputs(cost, cast, call, outputs);
    if (!cost || cast === 'inside') return undefined;
    const needs = (name: TensorName): boolean => {
      if (name === 'parameters') return call.parameters.some((t) => this.requiresGrad(t)) || (call.parameters.length === 0 && anyGrad);
      const t = call.tensor(name);
      return t !== undefined && this.requiresGrad(t);
    };
    this.placeOutput(cost, call, outputs);
    let backwardMacs: Dim = 0;
    let backwardOtherOps: Dim = 0;
    for (const g of cost.gradients ?? []) {
      if (!needs(g.of)) continue;
      backwardMacs = dims.add(backwardMacs, g.macs);
      if (g.otherOps !== undefined) backwardOtherOps = dims.add(backwardOtherOps, g.otherOps);
    }
    const saved: Storage[] = [];
    if (carriesGrad) {
      for (const s of cost.saves ?? []) {
        if (s.forGradOf && !s.forGradOf.some(needs)) continue;
        const storage = this.savedStorage(s.tensor, s.reshapedTo, s.shape, s.element, call, cast);
        if (storage === null) return undefined;
        if (storage) saved.push(storage);
      }
    }
    return { backwardMacs, otherOps: cost.otherOps ?? 0, backwardOtherOps, saved };
  }

  /**
   * `x[...]`: basic indexing (ints, slices, None, ...) is a view of x's storage with these strides (per
   * output axis, null when a step is unknown); advanced indexing (tensor or list indices) makes new storage
   * and keeps its tensor indices for the backward's index_put.
   */
  index(source: TensorValue, output: TensorValue, strides: readonly (number | null)[] | undefined, indices: readonly TensorValue[]): void {
    if (this.requiresGrad(source) && FLOATING.has(output.dtype)) this.grad.add(output);
    if (strides === undefined) {
      if (!this.requiresGrad(source)) return;
      for (const t of indices) {
        const storage = this.storageOf(t);
        if (storage) this.indexingSaves.push(storage);
      }
      return;
    }
    const storage = this.storageOf(source);
    if (!storage || !output.shape) return;
    this.storages.set(output, storage);
    const known = strides.every((x) => x !== null) ? (strides as number[]) : null;
    if (known === null || !isContiguous(output.shape, known)) this.strides.set(output, known);
  }

  /** The strides of `t` for indexing (contiguous when never set), or null when irregular. */
  stridesFor(t: TensorValue): readonly number[] | null {
    return this.stridesOf(t);
  }

  /** A view or in-place result shares its input's storage; its strides follow the view's kind. */
  private placeOutput(cost: OpCost, call: CallTensors, outputs: readonly TensorValue[]): void {
    const alias = cost.aliases;
    if (!alias) return;
    const source = call.tensor(alias.tensor);
    const storage = source ? this.storageOf(source) : undefined;
    if (!source || !storage) return;
    const from = this.stridesOf(source);
    for (const out of outputs) {
      if (!out.shape || !source.shape) continue;
      const view = alias.view;
      let strides: number[] | null | undefined;
      switch (view.kind) {
        case 'alias':
          strides = from;
          break;
        case 'permute':
          strides = from && view.order.length === out.shape.length ? view.order.map((axis) => from[axis]!) : null;
          break;
        case 'slice': {
          const dropped = new Set(view.dropped ?? []);
          strides = from ? from.filter((_, i) => !dropped.has(i)) : null;
          if (strides && strides.length !== out.shape.length) strides = null;
          break;
        }
        case 'expand':
          strides = from ? expandStrides(source.shape, from, out.shape) : null;
          break;
        case 'strided':
          strides = null;
          break;
        case 'reshape':
        case 'contiguous': {
          // reshape copies when no view can express it; contiguous() copies a non-contiguous tensor.
          const viewed = view.kind === 'contiguous' ? (from && isContiguous(source.shape, from) ? from : undefined) : from ? viewStrides(source.shape, from, out.shape) : undefined;
          if (viewed === undefined) continue;
          strides = viewed;
          break;
        }
      }
      this.storages.set(out, storage);
      if (strides === null || (strides && !isContiguous(out.shape, strides))) this.strides.set(out, strides ?? null);
    }
  }

  /** Where autocast puts this call: 'lower', 'float32', or undefined (no autocast, or not on the device's lists). */
  private autocastKind(cost: OpCost | undefined): AutocastKind | undefined {
    const amp = this.precision.autocast;
    return amp ? cost?.autocast?.[amp.device] : undefined;
  }

  /**
   * The floating type of each output under autocast: the lower type or float32 for listed ops, the source's
   * for views, else the promoted type of the floating tensors the call reads (a layer's own parameters
   * aside: a norm layer's output has its input's type).
   */
  private placeAutocastOutputs(cost: OpCost | undefined, cast: AutocastKind | undefined, call: CallTensors, outputs: readonly TensorValue[]): void {
    const amp = this.precision.autocast;
    if (!amp) return;
    let dtype: ElementType | undefined;
    if (cast) dtype = cast === 'lower' ? amp.dtype : 'float32';
    // 'inside' (CPU's RNN) returns float32 whatever its steps ran in.
    else if (cost?.aliases) {
      const source = call.tensor(cost.aliases.tensor);
      dtype = source ? (this.runsIn.get(source) ?? undefined) : undefined;
    } else {
      const read = call.inputs.filter((t) => FLOATING.has(t.dtype) && !call.parameters.includes(t));
      const lower = read.length > 0 && read.every((t) => this.runsIn.get(t) === amp.dtype);
      dtype = lower ? amp.dtype : undefined;
    }
    if (dtype === undefined || dtype === 'float32') return;
    for (const t of outputs) if (t.dtype === 'float32') this.runsIn.set(t, dtype);
  }

  /**
   * The copy autocast makes of `t` for a listed op when `t` is not already of its type: a parameter's
   * lower-precision copy is cached for the forward (one storage however often it is used), any other
   * tensor is copied at each call. Undefined when no copy is made.
   */
  private castFor(t: TensorValue, cast: AutocastKind | undefined): Storage | undefined {
    const amp = this.precision.autocast;
    if (!amp || !cast || !t.shape || !FLOATING.has(t.dtype)) return undefined;
    if (cast === 'inside') return undefined;
    const target: ElementType = cast === 'lower' ? amp.dtype : 'float32';
    if (this.dtypeOf(t) === target) return undefined;
    const copy = (): Storage => this.freshStorage(t.shape!, ELEMENT_BYTES[target]);
    if (!this.isHeld(t) || cast !== 'lower') return copy();
    const cached = this.castCopies.get(t) ?? copy();
    this.castCopies.set(t, cached);
    return cached;
  }

  /** The storage a saved tensor lives in; undefined when there is nothing to keep; null when it cannot be known. */
  private savedStorage(name: TensorName | undefined, reshapedTo: readonly Dim[] | undefined, shape: readonly Dim[] | undefined, element: SavedElement | undefined, call: CallTensors, cast: AutocastKind | undefined): Storage | undefined | null {
    if (name !== undefined) {
      const t = call.tensor(name);
      // A Python scalar operand is kept as a 0-d tensor of a few bytes: not counted.
      if (!t) return undefined;
      // Autocast keeps the cast copy it passed the op (contiguous: any reshape of it is a view); an output is never cast.
      const castCopy = name === 'output' ? undefined : this.castFor(t, cast);
      if (castCopy) return castCopy;
      const storage = this.storageOf(t);
      if (!storage || !t.shape) return null;
      if (!reshapedTo) return storage;
      const from = this.stridesOf(t);
      if (from && (viewStrides(t.shape, from, reshapedTo) || keptUnfolded(t.shape, from, reshapedTo))) return storage;
      return this.freshStorage(reshapedTo, bytesOf(this.dtypeOf(t))!);
    }
    if (!shape) return undefined;
    const like = call.inputs.find((t) => !call.parameters.includes(t)) ?? firstTensor(call.output);
    const amp = this.precision.autocast;
    // Statistics are float32, except in a model turned to a lower type (CPU keeps them in that type);
    // what an op makes is in the type it runs in (a listed op's under autocast), else its input's.
    const ownType = cast && amp ? (cast === 'lower' ? amp.dtype : 'float32') : like ? this.dtypeOf(like) : undefined;
    const bytes = element === 'float32' ? ELEMENT_BYTES[this.precision.dtype] : element === 'int64' ? 8 : element === 'bool' ? 1 : ownType ? bytesOf(ownType) : undefined;
    // 'mask' is the input's element type on CPU, where the oracle measures (bool on CUDA).
    return bytes === undefined ? null : this.freshStorage(shape, bytes);
  }
}
