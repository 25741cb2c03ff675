// jaxtyping / torchtyping annotations on a module's forward (`def forward(self, x: Float[Tensor, "b c h w"])
// -> Float[Tensor, "b n"]`): an input-shape source for the model (their names become its symbolic dims),
// and a check of every call of the module: each argument against its parameter's annotation and the
// output against the return annotation, with the names bound once per call.
import type { ClassDef, Expr, FunctionDef, Module } from '../python/ast';
import type { Range } from '../values';
import type { JsonShape } from '../analysis/summary';
import { formatShape } from './format';
import { parseTensorAnnotation, shapeMismatch, type Bindings, type TensorAnnotation } from './shapeComments';
import type { ModelInput } from './modelInputs';

export interface ForwardAnnotations {
  readonly className: string;
  /** One per forward parameter after `self`, in order; undefined where a parameter has no tensor annotation. */
  readonly params: readonly { readonly name: string; readonly annotation?: TensorAnnotation; readonly required: boolean }[];
  /** The return annotation: one tensor, or a tuple of them (`tuple[Float[...], Float[...]]`). */
  readonly returns?: TensorAnnotation | readonly (TensorAnnotation | undefined)[];
  readonly returnRange?: Range;
}

function sourceOf(lines: readonly string[], r: Range): string {
  if (r.start.line === r.end.line) return (lines[r.start.line] ?? '').slice(r.start.character, r.end.character);
  return `${(lines[r.start.line] ?? '').slice(r.start.character)}…`;
}

function forwardOf(cls: ClassDef): FunctionDef | undefined {
  return cls.body.find((s): s is FunctionDef => s.k === 'def' && s.name === 'forward');
}

const TUPLES = new Set(['tuple', 'Tuple']);

function returnAnnotation(e: Expr | undefined, lines: readonly string[]): ForwardAnnotations['returns'] {
  if (!e) return undefined;
  const single = parseTensorAnnotation(e, sourceOf(lines, e.r));
  if (single) return single;
  if (e.k === 'sub' && ((e.obj.k === 'name' && TUPLES.has(e.obj.id)) || (e.obj.k === 'attr' && TUPLES.has(e.obj.name)))) {
    const items = e.index.k === 'tuple' ? e.index.items : [e.index];
    const parsed = items.map((item) => parseTensorAnnotation(item, sourceOf(lines, item.r)));
    return parsed.some((p) => p !== undefined) ? parsed : undefined;
  }
  return undefined;
}

/** The annotations of one class's forward (null: none), kept with the class's object (an edit elsewhere keeps it, and its text). */
const CLASS_ANNOTATIONS = new WeakMap<ClassDef, ForwardAnnotations | null>();

function classAnnotations(s: ClassDef, lines: readonly string[]): ForwardAnnotations | null {
  const known = CLASS_ANNOTATIONS.get(s);
  if (known !== undefined) return known;
  const forward = forwardOf(s);
  let found: ForwardAnnotations | null = null;
  if (forward) {
    const params = forward.params.slice(1).filter((p) => p.kind === 'normal').map((p) => {
      const annotation = parseTensorAnnotation(p.annotation, p.annotation ? sourceOf(lines, p.annotation.r) : '');
      return { name: p.name, required: p.default === undefined, ...(annotation ? { annotation } : {}) };
    });
    const returns = returnAnnotation(forward.returns, lines);
    if (params.some((p) => p.annotation) || returns) found = { className: s.name, params, ...(returns ? { returns, returnRange: forward.returns!.r } : {}) };
  }
  CLASS_ANNOTATIONS.set(s, found);
  return found;
}

/** The tensor annotations of every module class's forward in a file (classes without any are left out). */
export function forwardAnnotations(module: Module, lines: readonly string[]): ForwardAnnotations[] {
  const out: ForwardAnnotations[] = [];
  for (const s of module.body) {
    const found = s.k === 'class' ? classAnnotations(s, lines) : null;
    if (found) out.push(found);
  }
  return out;
}

/** The model input the annotations give: every required parameter annotated with a fixed-rank shape. */
export function annotationInput(annotations: ForwardAnnotations | undefined): ModelInput | undefined {
  if (!annotations) return undefined;
  const required = annotations.params.filter((p) => p.required);
  if (required.length === 0 || !required.every((p) => p.annotation && !p.annotation.dims.includes('...'))) return undefined;
  let anonymous = 0;
  const shapes: string[] = [];
  for (const p of required) {
    const dims = p.annotation!.dims.map((d) => (d === '_' ? `anon${++anonymous}` : d));
    // Only names and numbers make an input; an expression (`n+1`) cannot be an input's size by itself.
    if (!dims.every((d) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(d) || /^\d+$/.test(d))) return undefined;
    shapes.push(dims.join(','));
  }
  return { shapes, dtype: required[0]!.annotation!.dtype ?? 'float', source: 'annotation' };
}

/** One observed call of a module class: what its forward received and returned. */
export interface ForwardCall {
  readonly className: string;
  readonly inputs: readonly JsonShape[];
  readonly output: JsonShape;
}

export interface AnnotationFinding {
  readonly range: Range;
  readonly message: string;
}

const plainShape = (s: JsonShape | undefined): (number | string)[] | undefined =>
  Array.isArray(s) && s.every((d) => typeof d === 'number' || typeof d === 'string') ? (s as (number | string)[]) : undefined;

/** Each call's arguments and output against the class's annotations; one finding per distinct problem. */
export function checkForwardAnnotations(annotations: readonly ForwardAnnotations[], calls: readonly ForwardCall[]): AnnotationFinding[] {
  const byClass = new Map(annotations.map((a) => [a.className, a] as const));
  const findings = new Map<string, AnnotationFinding>();
  const add = (range: Range, message: string): void => {
    findings.set(`${range.start.line}:${range.start.character}:${message}`, { range, message });
  };
  for (const call of calls) {
    const a = byClass.get(call.className);
    if (!a) continue;
    const bound: Bindings = new Map();
    a.params.forEach((p, i) => {
      const actual = plainShape(call.inputs[i]);
      if (!p.annotation || !actual) return;
      const why = shapeMismatch(p.annotation.dims, actual, bound);
      if (why) add(p.annotation.range, `${p.name} is annotated ${p.annotation.text} but receives ${formatShape(actual)} (${why})`);
    });
    if (!a.returns || !a.returnRange) continue;
    const returns = a.returns;
    if (!Array.isArray(returns)) {
      const single = returns as TensorAnnotation;
      const actual = plainShape(call.output);
      const why = actual ? shapeMismatch(single.dims, actual, bound) : undefined;
      if (why) add(single.range, `${call.className}.forward returns ${formatShape(actual!)} but is annotated ${single.text} (${why})`);
      continue;
    }
    const outputs = Array.isArray(call.output) && call.output.every((o) => o === null || Array.isArray(o)) ? (call.output as JsonShape[]) : undefined;
    if (!outputs) continue;
    (returns as readonly (TensorAnnotation | undefined)[]).forEach((r, i) => {
      const actual = plainShape(outputs[i]);
      const why = r && actual ? shapeMismatch(r.dims, actual, bound) : undefined;
      if (r && why) add(r.range, `${call.className}.forward returns ${formatShape(actual!)} as item ${i} but it is annotated ${r.text} (${why})`);
    });
  }
  return [...findings.values()];
}
