// How the summary gets a model and what to call it with: a `--model` expression, the file's own call of
// one of its models (at module level, under `if __name__ == "__main__":`, or in a function that takes no
// arguments such as main() or test()), or a class that builds without arguments; and the inputs, from
// `--input` specs (a shape, a dtype per input, keyword and None arguments) or a `--call` expression.
import type { Dim } from '../dims/dims';
import * as dims from '../dims/dims';
import type { Expr, FunctionDef, Module, Param, Stmt } from '../python/ast';
import type { DType, Range } from '../values';
import { NONE, str, tensor } from '../values';
import { parseDType } from '../frameworks/torch/define';
import type { Session } from '../interp/session';
import { PyRaise, SampleCallFound } from '../interp/interpreter';
import { NO_KEYWORDS, NO_POSITIONAL, type CallArgs, type ClassV, type ObjectV, type Scope, type Value } from '../interp/values';
import type { SampleCalls } from '../interp/torch';

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };


/**
 * One `--input`: a tensor (shape, optional dtype, optional known contents) or None, positional or by keyword.
 * `values` are the contents row-major (`[20,18]:long`); `fill` fills the whole shape (`2:long=20`). Without
 * either, the contents are unknown.
 */
export type InputSpec =
  | { readonly name?: string; readonly kind: 'tensor'; readonly shape: readonly Dim[]; readonly dtype?: DType; readonly values?: readonly number[]; readonly fill?: number }
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

/** A dtype an input spec carries after a colon (`2,16:long`), as torch spells it (the catalogue's parseDType). */
const dtypeOf = (text: string): DType | undefined => parseDType(str(text));

/** Why an input spec is malformed (its shape, dtype, values or fill), or undefined when it is fine. */
export function inputSpecProblem(text: string): string | undefined {
  const parsed = parseInputSpecOrProblem(text);
  return 'problem' in parsed ? parsed.problem : undefined;
}

/**
 * Parses an input spec: `2,16000`, `2:long` (a dtype per input), `lengths=2:long` (by keyword), `mask=None`,
 * `2:long=20` (filled with 20), `[20,18]:long` (those values; without a dtype, ints make a long tensor and any
 * float a float one, as torch.tensor does); undefined when malformed.
 */
export function parseInputSpec(text: string): InputSpec | undefined {
  return problemOr(parseInputSpecOrProblem(text));
}

/** An input spec, or why it is malformed. */
function parseInputSpecOrProblem(text: string): InputSpec | { readonly problem: string } {
  const named = /^([A-Za-z_]\w*)=(.*)$/.exec(text.trim());
  const name = named?.[1];
  const body = (named ? named[2]! : text).trim();
  const withName = <T extends object>(spec: T): T & { name?: string } => (name ? { ...spec, name } : spec);
  if (body === 'None') return withName({ kind: 'none' as const });
  const equals = body.indexOf('=');
  const fillText = equals >= 0 ? body.slice(equals + 1).trim() : undefined;
  const typed = equals >= 0 ? body.slice(0, equals) : body;
  const colon = typed.lastIndexOf(':');
  const dtypeText = colon >= 0 ? typed.slice(colon + 1).trim() : undefined;
  const dtype = dtypeText === undefined ? undefined : dtypeOf(dtypeText);
  if (dtypeText !== undefined && dtype === undefined) return { problem: `unknown dtype '${clipped(dtypeText)}'` };
  const contents = (colon >= 0 ? typed.slice(0, colon) : typed).trim();
  if (contents.startsWith('[')) {
    if (fillText !== undefined) return { problem: 'give either values or a fill, not both' };
    const literal = parseValuesLiteral(contents);
    if (!literal) return { problem: `values must be a rectangular list of at most ${MAX_INPUT_VALUES.toLocaleString('en-US')} numbers` };
    const chosen = dtype ?? (literal.values.every(Number.isInteger) ? 'int64' : 'float32');
    if (!fitsDtype(literal.values, chosen)) return { problem: `the values do not fit ${chosen}` };
    return withName({ kind: 'tensor' as const, shape: literal.shape, dtype: chosen, values: literal.values });
  }
  const problem = shapeProblem(contents);
  if (problem) return { problem };
  const shape = parseShape(contents)!;
  if (fillText === undefined) return withName({ kind: 'tensor' as const, shape, ...(dtype ? { dtype } : {}) });
  // Number() reads decimal and exponent forms; the character class keeps out hex, 'Infinity' and the empty string.
  const fill = fillText !== '' && /^[-+.\de]+$/i.test(fillText) ? Number(fillText) : undefined;
  if (fill === undefined || !Number.isFinite(fill)) return { problem: `the fill '${clipped(fillText)}' is not a number` };
  if (dtype !== undefined && !fitsDtype([fill], dtype)) return { problem: `the fill ${fill} does not fit ${dtype}` };
  return withName({ kind: 'tensor' as const, shape, ...(dtype ? { dtype } : {}), fill });
}

const problemOr = (parsed: InputSpec | { readonly problem: string }): InputSpec | undefined => ('problem' in parsed ? undefined : parsed);

/** Tensors have at most a few dozen dims: a deeper literal is refused before it is parsed or walked. */
const MAX_VALUES_NESTING = 32;

function bracketDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (const c of text) {
    if (c === '[') deepest = Math.max(deepest, ++depth);
    else if (c === ']') depth--;
  }
  return deepest;
}

/** The most elements whose values an input carries (lengths, small index tables), as the interpreter's value tables. */
const MAX_INPUT_VALUES = 10_000;

/** `[20, 18]` or `[[1, 2], [3, 4]]`: a rectangular nest of numbers, row-major, with its shape. */
function parseValuesLiteral(text: string): { shape: number[]; values: number[] } | undefined {
  if (bracketDepth(text) > MAX_VALUES_NESTING) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const shapeOf = (v: unknown): number[] | undefined => {
    if (typeof v === 'number') return Number.isFinite(v) ? [] : undefined;
    if (!Array.isArray(v) || v.length === 0) return Array.isArray(v) ? [0] : undefined;
    const inner = v.map(shapeOf);
    const first = inner[0];
    if (!first || inner.some((s) => !s || s.join() !== first.join())) return undefined;
    return [v.length, ...first];
  };
  const shape = shapeOf(parsed);
  if (!shape || shape.length === 0) return undefined;
  const values = (parsed as unknown[]).flat(Infinity) as number[];
  return values.length <= MAX_INPUT_VALUES ? { shape, values } : undefined;
}

/** Integer dtypes take whole numbers only; bool takes 0 and 1. */
function fitsDtype(values: readonly number[], dtype: DType): boolean {
  if (dtype === 'bool') return values.every((v) => v === 0 || v === 1);
  if (dtype.startsWith('int') || dtype === 'uint8') return values.every(Number.isInteger);
  return true;
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

/** Module-level functions that take no arguments (main(), test(), demo(), a factory `resnet18(pretrained=False)`), in the order they are defined. */
function driverFunctions(module: Module): FunctionDef[] {
  return module.body.filter((s): s is FunctionDef => s.k === 'def' && takesNoArguments(s.params));
}

/**
 * The steps the driver functions of one sample search may take before it starts no further one: the interpreter's
 * steps, so the search ends at the same function on any machine. timm's vision_transformer.py has 157 factories that
 * each build a ViT and call none (~4,000 steps each); a search through all of them cost seconds, for each class.
 */
export const SAMPLE_SEARCH_STEPS = 40_000;

/** The driver functions in the order a search runs them: those whose text names the class first, each part in file order. */
function searchOrder(functions: readonly FunctionDef[], text: string, className: string | undefined): FunctionDef[] {
  if (className === undefined) return [...functions];
  const lines = text.split('\n');
  const word = new RegExp(`\\b${className}\\b`);
  const names = (f: FunctionDef): boolean => lines.slice(f.r.start.line, f.r.end.line + 1).some((line) => word.test(line));
  const naming = functions.filter(names);
  return [...naming, ...functions.filter((f) => !naming.includes(f))];
}

/**
 * The names a model found by its sample call (`sampleOf`) can depend on beyond the module-level code: its class
 * and the functions sampleCall may run to find the call (as an expression's names, for modelDependencies).
 */
export const sampleDriverNames = (module: Module, className: string): string => [className, ...driverFunctions(module).map((f) => f.name)].join(' ');

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
 * `__main__` blocks and the functions that take no arguments (those naming the class first), run until the first
 * call with arguments the analysis knows; no function starts once the functions have taken SAMPLE_SEARCH_STEPS.
 * A model called only with unknown arguments is still returned, without them.
 */
export function sampleCall(session: Session, scope: Scope, module: Module, capture: SampleCalls, text: string): BuiltModel | undefined {
  const { interp, torch } = session;
  let functionsFrom: number | undefined;
  const drivers: (() => void)[] = [
    ...mainBlocks(module).map((body) => () => void interp.execBlock(body, scope, true)),
    ...searchOrder(driverFunctions(module), text, capture.className).map(({ name }) => () => {
      functionsFrom ??= interp.stepsTaken;
      const fn = scope.vars.get(name);
      if (fn?.kind === 'function') interp.call(fn, { positional: NO_POSITIONAL, keywords: NO_KEYWORDS }, ZERO);
    }),
  ];
  torch.sampleCalls = capture;
  capture.stop = true;
  try {
    for (const run of drivers) {
      if (capture.found || (functionsFrom !== undefined && interp.stepsTaken - functionsFrom > SAMPLE_SEARCH_STEPS)) break;
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
    if (value.kind === 'tensor') {
      session.torch.seedRf(value);
      const values = spec.kind === 'tensor' ? inputValues(spec) : undefined;
      if (values) session.torch.setKnownValues(value, values);
    }
    if (spec.name) keywords.set(spec.name, value);
    else positional.push(value);
  }
  return { positional, keywords };
}

/**
 * The input specs with the batch dimension (the first of each tensor input, as `--batch` reads it) set to
 * `batch`, or why not: an input whose contents are listed has its own batch.
 */
export function specsWithBatch(specs: readonly InputSpec[], batch: number): InputSpec[] | { readonly error: string } {
  const out: InputSpec[] = [];
  for (const [i, spec] of specs.entries()) {
    if (spec.kind === 'none' || spec.shape.length === 0) {
      out.push(spec);
      continue;
    }
    if (spec.values) return { error: `--batch cannot resize input ${spec.name ?? i + 1}: its contents are listed; give them for ${batch} rows or use a fill (2:long=20)` };
    out.push({ ...spec, shape: [batch, ...spec.shape.slice(1)] });
  }
  return out;
}

/** The file's own sample call with the first dimension of each tensor argument set to `batch` (contents unknown). */
export function argsWithBatch(session: Session, args: CallArgs, batch: number): CallArgs | { readonly error: string } {
  const resize = (v: Value, at: string): Value | { readonly error: string } => {
    if (v.kind !== 'tensor' || !v.shape || v.shape.length === 0) return v;
    if (session.torch.hasKnownValues(v)) return { error: `--batch cannot resize the sample call's ${at}: its contents are known; pass --input` };
    const resized = tensor([batch, ...v.shape.slice(1)], v.dtype);
    session.torch.seedRf(resized);
    return resized;
  };
  const positional: Value[] = [];
  for (const [i, v] of args.positional.entries()) {
    const r = resize(v, `argument ${i + 1}`);
    if ('error' in r) return r;
    positional.push(r);
  }
  const keywords = new Map<string, Value>();
  for (const [k, v] of args.keywords) {
    const r = resize(v, k);
    if ('error' in r) return r;
    keywords.set(k, r);
  }
  return { positional, keywords };
}

/** The contents an input spec gives, when its shape is concrete and small enough to hold them. */
function inputValues(spec: Extract<InputSpec, { kind: 'tensor' }>): number[] | undefined {
  if (spec.values) return [...spec.values];
  if (spec.fill === undefined || !spec.shape.every((d): d is number => typeof d === 'number')) return undefined;
  const count = spec.shape.reduce((a, b) => a * b, 1);
  return count <= MAX_INPUT_VALUES ? Array<number>(count).fill(spec.fill) : undefined;
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
