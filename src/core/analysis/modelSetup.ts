// How the summary gets a model and what to call it with: a `--model` expression, the file's own call of
// one of its models (at module level, under `if __name__ == "__main__":`, or in a function that takes no
// arguments such as main() or test()), or a class that builds without arguments; and the inputs, from
// `--input` specs (a shape, a dtype per input, keyword and None arguments) or a `--call` expression.
import type { Dim } from '../dims/dims';
import * as dims from '../dims/dims';
import type { Expr, Module, Param, Stmt } from '../python/ast';
import type { DType, Range } from '../values';
import { NONE, tensor } from '../values';
import type { Session } from '../interp/session';
import { PyRaise, SampleCallFound } from '../interp/interpreter';
import type { CallArgs, ClassV, ObjectV, Scope, Value } from '../interp/values';
import type { SampleCalls } from '../interp/torch';

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Dtype names an input spec may carry after a colon (`2,16:long`), as torch spells them. */
const DTYPES: Readonly<Record<string, DType>> = {
  float: 'float32', float32: 'float32', double: 'float64', float64: 'float64', half: 'float16', float16: 'float16', bfloat16: 'bfloat16',
  long: 'int64', int64: 'int64', int: 'int32', int32: 'int32', int8: 'int8', uint8: 'uint8', bool: 'bool', complex64: 'complex64',
};

/** One `--input`: a tensor (shape and optional dtype) or None, positional or by keyword. */
export type InputSpec =
  | { readonly name?: string; readonly kind: 'tensor'; readonly shape: readonly Dim[]; readonly dtype?: DType }
  | { readonly name?: string; readonly kind: 'none' };

const SIZE = /^\d+$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const clipped = (p: string): string => (p.length > 20 ? `${p.slice(0, 20)}…` : p);

/** Why `1,3,224,224` / `B,3,H,W` is not a shape (an empty dim, a size past 2^53, anything else), or undefined. */
export function shapeProblem(text: string): string | undefined {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 1 && parts[0] === '') return 'no dimensions';
  for (const [i, p] of parts.entries()) {
    if (p === '') return `dimension ${i + 1} is empty`;
    if (SIZE.test(p)) {
      if (!Number.isSafeInteger(Number(p))) return `${clipped(p)} is past 2^53`;
    } else if (!NAME.test(p)) return `'${clipped(p)}' is neither a size nor a name`;
  }
  return undefined;
}

/** Parses `1,3,224,224` or `B,3,H,W` into dims; undefined when malformed (see shapeProblem). */
export function parseShape(text: string): Dim[] | undefined {
  if (shapeProblem(text) !== undefined) return undefined;
  return text.split(',').map((raw) => {
    const p = raw.trim();
    return SIZE.test(p) ? Number(p) : dims.sym(p);
  });
}

/** The parts of an input spec: an optional keyword name, then `None` or a shape with an optional `:dtype`. */
function splitInputSpec(text: string): { name?: string; body: string; dtypeText?: string } {
  const named = /^([A-Za-z_]\w*)=(.*)$/.exec(text.trim());
  const body = (named ? named[2]! : text).trim();
  const colon = body.lastIndexOf(':');
  return {
    ...(named ? { name: named[1]! } : {}),
    body: colon >= 0 ? body.slice(0, colon) : body,
    ...(colon >= 0 ? { dtypeText: body.slice(colon + 1).trim() } : {}),
  };
}

const dtypeOf = (text: string): DType | undefined => DTYPES[text.replace(/^torch\./, '')];

/** Why an input spec is malformed (its shape's problem or an unknown dtype), or undefined when it is fine. */
export function inputSpecProblem(text: string): string | undefined {
  const { body, dtypeText } = splitInputSpec(text);
  if (body === 'None' && dtypeText === undefined) return undefined;
  if (dtypeText !== undefined && dtypeOf(dtypeText) === undefined) return `unknown dtype '${clipped(dtypeText)}'`;
  return shapeProblem(body);
}

/**
 * Parses an input spec: `2,16000`, `2:long` (a dtype per input), `lengths=2:long` (by keyword),
 * `mask=None`; undefined when malformed.
 */
export function parseInputSpec(text: string): InputSpec | undefined {
  if (inputSpecProblem(text) !== undefined) return undefined;
  const { name, body, dtypeText } = splitInputSpec(text);
  const withName = <T extends object>(spec: T): T & { name?: string } => (name ? { ...spec, name } : spec);
  if (body === 'None') return withName({ kind: 'none' as const });
  const dtype = dtypeText === undefined ? undefined : dtypeOf(dtypeText);
  return withName({ kind: 'tensor' as const, shape: parseShape(body)!, ...(dtype ? { dtype } : {}) });
}

/** The model to summarise, how it was obtained, and (from a sample call) what to call it with. */
export interface BuiltModel {
  readonly model: ObjectV;
  readonly expression: string;
  /** The arguments of the file's own call of the model, when that is where it came from. */
  readonly sampleArgs?: CallArgs;
  /** The 1-based line of the analysed file where the file's own code built it, when it did. */
  readonly originLine?: number;
}

const isMainGuard = (e: Expr): boolean =>
  e.k === 'cmp' && e.op === '==' && [e.left, e.right].some((x) => x.k === 'name' && x.id === '__name__') && [e.left, e.right].some((x) => x.k === 'str' && x.value === '__main__');

/** The bodies of `if __name__ == "__main__":` blocks at module level. */
function mainBlocks(module: Module): (readonly Stmt[])[] {
  return module.body.flatMap((s) => (s.k === 'if' ? s.branches.filter((b) => isMainGuard(b.test)).map((b) => b.body) : []));
}

const takesNoArguments = (params: readonly Param[]): boolean => params.every((p) => p.default !== undefined || p.kind === 'star' || p.kind === 'dstar');

/** Module-level functions that take no arguments (main(), test(), demo()), in the order they are defined. */
function driverFunctions(module: Module): string[] {
  return module.body.filter((s): s is Extract<Stmt, { k: 'def' }> => s.k === 'def' && takesNoArguments(s.params)).map((s) => s.name);
}

/** The source text of a range of `text` (one line or several), trimmed; undefined when it is not there. */
function sourceOf(text: string, range: Range): string | undefined {
  const lines = text.split('\n');
  if (range.start.line >= lines.length) return undefined;
  const picked = lines.slice(range.start.line, range.end.line + 1);
  picked[picked.length - 1] = picked[picked.length - 1]!.slice(0, range.start.line === range.end.line ? range.end.character : range.end.character);
  picked[0] = picked[0]!.slice(range.start.character);
  const joined = picked.map((l) => l.trim()).join(' ');
  return joined.length > 0 && joined.length <= 200 ? joined : undefined;
}

/**
 * The file's own call of one of its models: top-level calls noted while the module ran, then the
 * `__main__` blocks and the functions that take no arguments, run until the first call with arguments
 * the analysis knows. A model called only with unknown arguments is still returned, without them.
 */
export function sampleCall(session: Session, scope: Scope, module: Module, capture: SampleCalls, text: string): BuiltModel | undefined {
  const { interp, torch } = session;
  const drivers: (() => void)[] = [
    ...mainBlocks(module).map((body) => () => void interp.execBlock(body, scope, true)),
    ...driverFunctions(module).map((name) => () => {
      const fn = scope.vars.get(name);
      if (fn?.kind === 'function') interp.call(fn, { positional: [], keywords: new Map() }, ZERO);
    }),
  ];
  torch.sampleCalls = capture;
  capture.stop = true;
  try {
    for (const run of drivers) {
      if (capture.found) break;
      try {
        run();
      } catch (e) {
        if (e instanceof SampleCallFound) break;
        if (!(e instanceof PyRaise)) throw e;
      }
    }
  } finally {
    torch.sampleCalls = undefined;
  }
  const model = capture.found?.model ?? capture.modelOnly;
  if (!model) return undefined;
  const at = model.module?.constructedAt;
  const written = at && at.file === scope.file ? sourceOf(text, at.range) : undefined;
  return {
    model,
    expression: written ?? `${model.cls.name}(…)`,
    ...(capture.found ? { sampleArgs: capture.found.args } : {}),
    ...(at && at.file === scope.file ? { originLine: at.range.start.line + 1 } : {}),
  };
}

/** For a class that needs constructor arguments: what they are and a call to try. */
export function constructorHint(session: Session, cls: ClassV, scope: Scope): string {
  const init = session.interp.findClassAttr(cls, '__init__');
  if (!init || init.kind !== 'function') return `${cls.name} needs constructor arguments`;
  const required = init.params.slice(1).filter((p) => (p.kind === 'normal' || p.kind === 'kwonly') && !init.defaults.has(p.name));
  const suggestion = required.map((p) => {
    // An annotation naming a class that builds without arguments (`cfg: Config`) suggests `Config()`.
    const annotated = p.annotation ? session.interp.evalExpr(p.annotation, scope) : undefined;
    const value = annotated?.kind === 'class' && buildsWithoutArguments(session, annotated) ? `${annotated.name}()` : undefined;
    return value && p.kind === 'normal' ? value : `${p.name}=${value ?? '...'}`;
  });
  return `${cls.name} needs: ${required.map((p) => p.name).join(', ')}; try --model '${cls.name}(${suggestion.join(', ')})'`;
}

export function buildsWithoutArguments(session: Session, cls: ClassV): boolean {
  const init = session.interp.findClassAttr(cls, '__init__');
  if (!init || init.kind !== 'function') return true;
  return init.params.slice(1).every((p) => (p.kind !== 'normal' && p.kind !== 'kwonly') || init.defaults.has(p.name));
}

/** Input tensors (and None) for the model's call from input specs; every input tensor starts its receptive field. */
export function inputsFromSpecs(session: Session, specs: readonly InputSpec[], defaultDtype: DType): CallArgs {
  const positional: Value[] = [];
  const keywords = new Map<string, Value>();
  for (const spec of specs) {
    const value: Value = spec.kind === 'none' ? NONE : tensor(spec.shape, spec.dtype ?? defaultDtype);
    if (value.kind === 'tensor') session.torch.seedRf(value);
    if (spec.name) keywords.set(spec.name, value);
    else positional.push(value);
  }
  return { positional, keywords };
}

/** Readable text of a call's arguments: shapes, dtypes other than float32, keywords, None. */
export function describeCall(args: CallArgs): string {
  const one = (v: Value): string => {
    if (v.kind === 'tensor') return `[${(v.shape ?? []).map(dims.formatDim).join(', ')}]${v.dtype === 'float32' ? '' : `:${v.dtype}`}`;
    if (v.kind === 'none') return 'None';
    if (v.kind === 'int' || v.kind === 'float' || v.kind === 'bool' || v.kind === 'str') return v.kind === 'str' ? `'${v.value}'` : v.kind === 'bool' ? (v.value ? 'True' : 'False') : v.kind === 'int' ? dims.formatDim(v.value) : String(v.value);
    return v.kind;
  };
  return [...args.positional.map(one), ...[...args.keywords].map(([k, v]) => `${k}=${one(v)}`)].join(', ');
}
