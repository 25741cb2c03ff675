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

/**
 * Output shape of an einops op on `shape`, or an error message. `sizes` are the keyword axis sizes;
 * `mode` decides what may appear on one side only (reduce drops axes, repeat adds them).
 */
export function einopsShape(pattern: string, shape: readonly Dim[], sizes: Readonly<Record<string, Dim>>, mode: 'rearrange' | 'reduce' | 'repeat'): Dim[] | string {
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
      const parts = axis.names.map(sizeOf);
      if (parts.some((p) => p === undefined)) return `axis group (${axis.names.join(' ')}) has an unknown size`;
      out.push(dims.product(parts as Dim[]));
    }
  }
  return out;
}
