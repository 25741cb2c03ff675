// Shape annotations people already write, and their check against what the analysis inferred: comments
// (`# [B, 64, H/2, W/2]`, `# -> (N, C, H, W)`, `# shape: [B, T, D]`, `# shape = [*, width, grid ** 2]`)
// and jaxtyping / torchtyping annotations (`x: Float[Tensor, "b c h w"]`, `TensorType["b", "c"]`).
import * as dims from '../dims/dims';
import type { Expr } from '../python/ast';
import type { Range } from '../values';

export interface ShapeAnnotation {
  /** The dims as written; `...` stands for any number of dims, `_` for one dim of any size. */
  readonly dims: readonly string[];
  /** 0-based character range of the annotation (from its `#`) on its line. */
  readonly start: number;
  readonly end: number;
}

// Sticky: tried at the comment's `#` only (unanchored, a line of `#[#[#[…` was quadratic).
const ANNOTATION = /#\s*(?:->\s*|→\s*|(?:shape|out|output)\s*[:=]\s*)?([[(])([^\])]*)[\])]/y;
/** A further shape of a chain `# (N, C, H, W) -> (N, H, W, C)`: the comment walks the line's input to its output. */
const CHAIN = /(?:->|→)\s*([[(])([^\])]*)[\])]/y;
const DIM = /^(?:\.\.\.|\*|[A-Za-z_]\w*|\d+|[\w\s*/+\-()]+)$/;

/**
 * `*` (CLIP's `[*, width, grid]`) and a starred name (`[b, *spatial_dims, d]`, jaxtyping's `*batch`) stand
 * for any number of dims, like `...`.
 */
const normalizeDim = (d: string): string => (d === '*' || /^\*[A-Za-z_]\w*$/.test(d) ? '...' : d);

/** The shape annotation in a line's comment, if the comment starts with one. */
export function parseShapeAnnotation(line: string): ShapeAnnotation | undefined {
  const hash = line.indexOf('#');
  if (hash < 0) return undefined;
  ANNOTATION.lastIndex = hash;
  const first = ANNOTATION.exec(line);
  if (!first) return undefined;
  // A chain (`# [B, h, N, Ch] -> [B, N, h, Ch] -> [B, N, C]`) states the line's result last.
  let match: RegExpExecArray = first;
  let end = first.index + first[0].length;
  for (;;) {
    let at = end;
    while (line[at] === ' ' || line[at] === '\t') at++;
    CHAIN.lastIndex = at;
    const next = CHAIN.exec(line);
    if (!next) break;
    match = next;
    end = next.index + next[0].length;
  }
  const parts = match[2]!.split(',').map((d) => d.trim());
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 0 || !parts.every((d) => d.length > 0 && DIM.test(d))) return undefined;
  const dims = parts.map(normalizeDim);
  // Two runs of any length (`[*batch, C, *spatial]`) do not say which dims are which: nothing to check.
  if (dims.filter((d) => d === '...').length > 1) return undefined;
  return { dims, start: hash, end };
}

/** Sizes an input dimension typically has; floors make some forms agree on tiny sizes only. */
const TYPICAL_SIZES = [224, 97, 64];

/** Two symbolic dims that differ at the sizes models are run on (⌊H/4⌋ vs ⌊H/2⌋), or provably differ. */
function differAtTypicalSizes(a: dims.Dim, b: dims.Dim): boolean {
  if (dims.equal(a, b) !== undefined) return dims.equal(a, b) === false;
  const names = [...new Set([...dims.symbolsOf(a), ...dims.symbolsOf(b)])];
  return TYPICAL_SIZES.some((size) => {
    const env = Object.fromEntries(names.map((n) => [n, size]));
    const x = dims.substitute(a, env);
    const y = dims.substitute(b, env);
    return typeof x === 'number' && typeof y === 'number' && x !== y;
  });
}

const NAME = /^#?[A-Za-z_]\w*$/;

/** What each name of an annotation stands for, shared by the annotations of one call (input and output). */
export type Bindings = Map<string, number | string>;

/**
 * Why the written dims do not describe `actual`, or undefined when they do (or it cannot be decided).
 * A name matches any size, but the same name must match the same size throughout, across every shape
 * checked with the same `bound`; an expression (`H/2`, `grid ** 2`) is evaluated with the names bound so far.
 */
export function shapeMismatch(written: readonly string[], actual: readonly (number | string)[], bound: Bindings = new Map()): string | undefined {
  const ellipsis = written.indexOf('...');
  if (ellipsis < 0 && written.length !== actual.length) return `rank ${written.length} written, ${actual.length} inferred`;
  if (ellipsis >= 0 && written.length - 1 > actual.length) return `at least rank ${written.length - 1} written, ${actual.length} inferred`;
  const pairs: [string, number | string][] =
    ellipsis < 0
      ? written.map((w, i) => [w, actual[i]!])
      : [
          ...written.slice(0, ellipsis).map((w, i): [string, number | string] => [w, actual[i]!]),
          ...written.slice(ellipsis + 1).map((w, i, rest): [string, number | string] => [w, actual[actual.length - rest.length + i]!]),
        ];
  // Names first, so expressions can use names written after them (`[B, H*W, H]`).
  for (const [w, a] of pairs) {
    if (w === '_' || !NAME.test(w)) continue;
    const name = w.replace(/^#/, '');
    const previous = bound.get(name);
    if (previous !== undefined && String(previous) !== String(a)) return `${name} stands for both ${previous} and ${a}`;
    bound.set(name, a);
  }
  const env: Record<string, dims.Dim> = {};
  for (const [name, value] of bound) {
    const d = typeof value === 'number' ? value : dims.parseDim(value);
    if (d !== undefined) env[name] = d;
  }
  for (const [w, a] of pairs) {
    if (w === '_' || NAME.test(w)) continue;
    const parsed = dims.parseDim(w.replace(/\*\*/g, '^'));
    const writtenDim = parsed === undefined ? undefined : dims.substitute(parsed, env);
    const actualDim = typeof a === 'number' ? a : dims.parseDim(a);
    if (writtenDim === undefined || actualDim === undefined) continue;
    if (typeof writtenDim === 'number' && typeof actualDim === 'number' && writtenDim !== actualDim) return `${w} written, ${a} inferred`;
    if (typeof writtenDim !== 'number' && typeof actualDim !== 'number' && differAtTypicalSizes(writtenDim, actualDim)) return `${w} written, ${a} inferred`;
  }
  return undefined;
}

/** Why a shape comment does not describe the inferred shape (undefined when it does or cannot be decided). */
export function annotationMismatch(annotation: Pick<ShapeAnnotation, 'dims'>, inferred: readonly (number | string)[] | readonly unknown[] | null): string | undefined {
  if (!Array.isArray(inferred) || inferred.some((d) => typeof d !== 'number' && typeof d !== 'string')) return undefined;
  return shapeMismatch(annotation.dims, inferred as (number | string)[]);
}

// ---------------------------------------------------------------------------------------------------
// jaxtyping and torchtyping annotations.

/** A tensor type annotation: its dims (as in comments) and the dtype family it names. */
export interface TensorAnnotation {
  readonly dims: readonly string[];
  readonly dtype?: 'float' | 'long';
  readonly range: Range;
  /** The annotation as written, for messages. */
  readonly text: string;
}

/** jaxtyping's dtype markers (`Float[Tensor, "b c"]`), by the dtype family an input of them has. */
const JAXTYPING: Readonly<Record<string, 'float' | 'long' | undefined>> = {
  Float: 'float', Float16: 'float', Float32: 'float', Float64: 'float', BFloat16: 'float', Inexact: 'float', Real: undefined, Num: undefined, Shaped: undefined,
  Int: 'long', Int8: 'long', Int16: 'long', Int32: 'long', Int64: 'long', Integer: 'long', UInt: 'long', UInt8: 'long', Bool: undefined, Complex: undefined,
};
const TORCHTYPING = new Set(['TensorType', 'TT']);

const lastName = (e: Expr): string | undefined => (e.k === 'name' ? e.id : e.k === 'attr' ? e.name : undefined);

/** jaxtyping's dim string: `"b c h w"`, `"*batch c"`, `"... d"`, `"#b 3"`, `"_ n"`. */
function jaxtypingDims(spec: string): string[] | undefined {
  const tokens = spec.trim().split(/\s+/).filter((t) => t.length > 0);
  if (tokens.length === 0 && spec.trim() === '') return [];
  return tokens.map((t) => (t === '...' || t.startsWith('*') ? '...' : t.startsWith('#') ? t.slice(1) : t.replace(/^_\w+$/, '_')));
}

/** Reads `Float[Tensor, "b c h w"]` / `TensorType["b", "c", 224]`; undefined for any other annotation. */
export function parseTensorAnnotation(e: Expr | undefined, source: string): TensorAnnotation | undefined {
  if (!e || e.k !== 'sub') return undefined;
  const marker = lastName(e.obj);
  if (!marker) return undefined;
  const items = e.index.k === 'tuple' ? e.index.items : [e.index];
  const text = source;
  if (marker in JAXTYPING) {
    const spec = items[1];
    if (items.length !== 2 || spec?.k !== 'str') return undefined;
    const parsed = jaxtypingDims(spec.value);
    if (!parsed) return undefined;
    const dtype = JAXTYPING[marker];
    return { dims: parsed, ...(dtype ? { dtype } : {}), range: e.r, text };
  }
  if (TORCHTYPING.has(marker)) {
    const out: string[] = [];
    let dtype: 'float' | 'long' | undefined;
    for (const item of items) {
      if (item.k === 'str') out.push(item.value.replace(/^\*$/, '...'));
      else if (item.k === 'num' && item.isInt) out.push(String(item.value));
      else if (item.k === 'const' && item.value === 'Ellipsis') out.push('...');
      else if (item.k === 'name' || item.k === 'attr') {
        const name = lastName(item);
        if (name === 'float' || name === 'float32' || name === 'float64' || name === 'half') dtype = 'float';
        else if (name === 'long' || name === 'int' || name === 'int64') dtype = 'long';
        else return undefined;
      } else if (item.k === 'slice' && item.lower?.k === 'str') out.push(item.lower.value);
      else return undefined;
    }
    return { dims: out, ...(dtype ? { dtype } : {}), range: e.r, text };
  }
  return undefined;
}
