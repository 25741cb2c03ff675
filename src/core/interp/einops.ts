// Shapes of einops' rearrange / repeat / reduce patterns ('b c (h p1) (w p2) -> b (h w) (p1 p2 c)'),
// as ViT-style model code uses them.
import type { Dim } from '../dims/dims';
import * as dims from '../dims/dims';

type Axis = { readonly kind: 'name'; readonly name: string } | { readonly kind: 'group'; readonly names: readonly string[] } | { readonly kind: 'ellipsis' } | { readonly kind: 'unit' };

function parseSide(side: string): Axis[] | string {
  const out: Axis[] = [];
  const tokens = side.replace(/\(/g, ' ( ').replace(/\)/g, ' ) ').replace(/\.\.\./g, ' … ').trim().split(/\s+/).filter(Boolean);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '(') {
      const names: string[] = [];
      for (i++; i < tokens.length && tokens[i] !== ')'; i++) names.push(tokens[i]!);
      if (tokens[i] !== ')') return 'unbalanced parentheses';
      out.push({ kind: 'group', names });
    } else if (t === '…') out.push({ kind: 'ellipsis' });
    else if (t === '1' || t === '()') out.push({ kind: 'unit' });
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(t)) out.push({ kind: 'name', name: t });
    else return `bad axis '${t}'`;
  }
  return out;
}

/** Why a shape cannot be given: an error einops would raise, or a size the analysis does not know. */
export type EinopsProblem = { readonly error: string } | { readonly unknown: string };

/**
 * Output shape of an einops op on `shape`, or what stops it. `sizes` are the keyword axis sizes known as
 * ints, `unknownSizes` the keywords given with values the analysis does not know; `mode` decides what
 * may appear on one side only (reduce drops axes, repeat adds them).
 */
export function einopsShape(
  pattern: string,
  shape: readonly Dim[],
  sizes: Readonly<Record<string, Dim>>,
  mode: 'rearrange' | 'reduce' | 'repeat',
  unknownSizes: ReadonlySet<string> = new Set(),
): Dim[] | EinopsProblem {
  const result = shapeOrMessage(pattern, shape, sizes, mode);
  if (typeof result !== 'string') return result;
  // A message about an axis given with an unknown value is a limit of the analysis, not an einops error.
  const mentioned = [...unknownSizes].find((name) => new RegExp(`\\b${name}\\b`).test(result));
  return mentioned !== undefined ? { unknown: `${result} (${mentioned} is unknown)` } : { error: result };
}

function shapeOrMessage(pattern: string, shape: readonly Dim[], sizes: Readonly<Record<string, Dim>>, mode: 'rearrange' | 'reduce' | 'repeat'): Dim[] | string {
  const [lhsText, rhsText, extra] = pattern.split('->');
  if (lhsText === undefined || rhsText === undefined || extra !== undefined) return `pattern '${pattern}' needs exactly one '->'`;
  const lhs = parseSide(lhsText);
  const rhs = parseSide(rhsText);
  if (typeof lhs === 'string') return lhs;
  if (typeof rhs === 'string') return rhs;
  const known = new Map<string, Dim>(Object.entries(sizes));
  const ellipsisAt = lhs.findIndex((a) => a.kind === 'ellipsis');
  const fixed = lhs.length - (ellipsisAt >= 0 ? 1 : 0);
  if (ellipsisAt < 0 ? fixed !== shape.length : fixed > shape.length) return `pattern has ${fixed} axes but the input has ${shape.length} dimensions`;
  const ellipsisDims = ellipsisAt >= 0 ? shape.slice(ellipsisAt, ellipsisAt + shape.length - fixed) : [];
  let d = 0;
  for (const axis of lhs) {
    if (axis.kind === 'ellipsis') {
      d += ellipsisDims.length;
      continue;
    }
    const size = shape[d++]!;
    if (axis.kind === 'name') known.set(axis.name, size);
    else if (axis.kind === 'group') {
      const missing = axis.names.filter((n) => !known.has(n));
      if (missing.length > 1) return `cannot infer the sizes of ${missing.join(', ')}`;
      const knownProduct = dims.product(axis.names.filter((n) => known.has(n)).map((n) => known.get(n)!));
      if (missing.length === 1) {
        if (typeof size === 'number' && typeof knownProduct === 'number' && size % knownProduct !== 0) return `dimension ${size} is not divisible by ${knownProduct}`;
        known.set(missing[0]!, dims.floorDiv(size, knownProduct));
      }
    }
  }
  const out: Dim[] = [];
  const sizeOf = (name: string): Dim | undefined => known.get(name);
  for (const axis of rhs) {
    if (axis.kind === 'ellipsis') out.push(...ellipsisDims);
    else if (axis.kind === 'unit') out.push(1);
    else if (axis.kind === 'name') {
      const s = sizeOf(axis.name);
      if (s === undefined) return mode === 'repeat' ? `size of new axis '${axis.name}' is not given` : `axis '${axis.name}' is not on the left side`;
      out.push(s);
    } else {
      // `(...)` inside a group stands for all the dims the ellipsis took (`b ... d -> b (...) d`).
      const parts = axis.names.flatMap((n) => (n === '…' ? ellipsisDims : [sizeOf(n)]));
      const missing = axis.names.filter((n) => n !== '…' && sizeOf(n) === undefined);
      if (missing.length > 0) return mode === 'repeat' ? `size of new axis '${missing[0]}' is not given` : `axis '${missing[0]}' is not on the left side`;
      out.push(dims.product(parts as Dim[]));
    }
  }
  return out;
}
