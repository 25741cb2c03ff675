// The shape rule of each family of functional ops and tensor methods, in words and with one call's own
// numbers (`dims 1..-1 multiply: 512·1·1 = 512`), for the hover on an op in forward code. The rules
// themselves are implemented by the catalogue entries of this folder; this says what they do.

/** A shape as the analysis reports it: ints and symbolic dims as text. */
export type ShapeText = readonly (number | string)[];

export interface OpCallFacts {
  /** Positional tensor arguments' shapes (undefined for non-tensors or unknowns). */
  readonly inputs: readonly (ShapeText | undefined)[];
  /** Positional non-tensor arguments as text (`1`, `-1`, `(0, 2, 1)`), in order, after the tensors. */
  readonly scalars: readonly string[];
  /** Keyword arguments as text. */
  readonly keywords: Readonly<Record<string, string>>;
  /** The output's shape; a list of shapes for tuple outputs (split, chunk). */
  readonly output: ShapeText | readonly ShapeText[] | undefined;
}

const shapeText = (s: ShapeText): string => `[${s.join(', ')}]`;
const product = (s: ShapeText): string => (s.length === 0 ? '1' : s.map(String).join('·'));

/** An int-valued product when every dim is a number. */
function numericProduct(s: ShapeText): number | undefined {
  return s.every((d) => typeof d === 'number') ? (s as number[]).reduce((p, d) => p * d, 1) : undefined;
}

function normalizeDim(d: string | undefined, rank: number): number | undefined {
  if (d === undefined || !/^-?\d+$/.test(d)) return undefined;
  const n = Number(d);
  return n < 0 ? rank + n : n;
}

const arg = (facts: OpCallFacts, name: string, position: number): string | undefined => facts.keywords[name] ?? facts.scalars[position];

const singleOutput = (facts: OpCallFacts): ShapeText | undefined => {
  const o = facts.output;
  return o && !Array.isArray(o[0]) ? (o as ShapeText) : undefined;
};

type Rule = (facts: OpCallFacts) => string;

const ELEMENTWISE: Rule = () => 'elementwise: the output has the input\'s shape';

const BROADCAST: Rule = (f) => {
  const [a, b] = f.inputs;
  const out = singleOutput(f);
  const pair = a && b ? `${shapeText(a)} with ${shapeText(b)}` : a ? `${shapeText(a)} with a scalar` : 'the operands';
  return `broadcast: sizes align from the right, each pair equal or 1 — ${pair}${out ? ` → ${shapeText(out)}` : ''}`;
};

const ALONG_DIM: Rule = (f) => `normalises along dim ${arg(f, 'dim', 0) ?? '(all)'}: the output has the input's shape`;

const MATMUL: Rule = (f) => {
  const [a, b] = f.inputs;
  if (!a || !b || a.length < 1 || b.length < 1) return '[…, n, k] @ […, k, m] → […, n, m]; batch dims broadcast';
  const n = a.length >= 2 ? a[a.length - 2] : '(none)';
  const k = a[a.length - 1];
  const m = b.length >= 2 ? b[b.length - 1] : '(none)';
  return `[…, n, k] @ […, k, m] → […, n, m] with n = ${n}, k = ${k}, m = ${m}; batch dims broadcast`;
};

const VIEW: Rule = (f) => {
  const [a] = f.inputs;
  const out = singleOutput(f);
  if (!a || !out) return 'same number of elements in a new shape; -1 takes what is left';
  const total = numericProduct(a);
  return `same number of elements: ${product(a)}${total !== undefined && a.length > 1 ? ` = ${total.toLocaleString('en-US')}` : ''} = ${product(out)}; -1 takes what is left`;
};

const FLATTEN: Rule = (f) => {
  const [a] = f.inputs;
  const start = normalizeDim(arg(f, 'start_dim', 0) ?? '0', a?.length ?? 0);
  const end = normalizeDim(arg(f, 'end_dim', 1) ?? '-1', a?.length ?? 0);
  if (!a || start === undefined || end === undefined || start > end) return 'dims start_dim..end_dim multiply into one';
  const merged = a.slice(start, end + 1);
  const total = numericProduct(merged);
  return `dims ${start}..${end} multiply into one: ${product(merged)}${total !== undefined && merged.length > 1 ? ` = ${total.toLocaleString('en-US')}` : ''}`;
};

const TRANSPOSE: Rule = (f) => `dims ${arg(f, 'dim0', 0) ?? '?'} and ${arg(f, 'dim1', 1) ?? '?'} swap`;
const PERMUTE: Rule = (f) => `dims reordered as (${f.scalars.length ? f.scalars.join(', ') : f.keywords.dims ?? '…'}): output dim i is input dim dims[i]`;

const CONCAT: Rule = (f) => {
  const d = arg(f, 'dim', 0) ?? '0';
  const out = singleOutput(f);
  const parts = f.inputs.filter((s): s is ShapeText => s !== undefined);
  const at = normalizeDim(d, parts[0]?.length ?? 0);
  const sizes = at !== undefined ? parts.map((p) => p[at]) : [];
  return `sizes along dim ${d} add${sizes.length > 1 ? `: ${sizes.join(' + ')}${out && at !== undefined ? ` = ${out[at]}` : ''}` : ''}; the other dims must match`;
};

const STACK: Rule = (f) => `a new dim ${arg(f, 'dim', 0) ?? '0'} of size ${f.inputs.filter(Boolean).length} (one per tensor); all shapes must be equal`;

const SPLIT: Rule = (f) => {
  const [a] = f.inputs;
  const d = arg(f, 'dim', 1) ?? '0';
  const at = normalizeDim(d, a?.length ?? 0);
  const pieces = Array.isArray(f.output?.[0]) ? (f.output as readonly ShapeText[]) : [];
  const size = a && at !== undefined ? a[at] : undefined;
  const sizes = at !== undefined ? pieces.map((p) => p[at]) : [];
  return `dim ${d}${size !== undefined ? ` (size ${size})` : ''} cut into ${pieces.length || 'several'} pieces${sizes.length ? `: ${sizes.join(' + ')}` : ''}`;
};

const REDUCE: Rule = (f) => {
  const d = arg(f, 'dim', 0);
  const keep = f.keywords.keepdim === 'True';
  return d === undefined || d === 'None' ? 'reduces every element to one value' : `dim ${d} reduced${keep ? ' (kept as size 1: keepdim=True)' : ' and removed'}`;
};

const UNSQUEEZE: Rule = (f) => `a dim of size 1 inserted at ${arg(f, 'dim', 0) ?? '?'}`;
const SQUEEZE: Rule = (f) => (arg(f, 'dim', 0) !== undefined ? `dim ${arg(f, 'dim', 0)} removed if its size is 1` : 'every dim of size 1 removed');
const EXPAND: Rule = () => 'size-1 dims repeat (without copying) to the sizes given; -1 keeps a size';
const REPEAT: Rule = () => 'each dim tiled by its repeat count: size × count';
const INDEX: Rule = () => 'indexing: an int removes its dim, a slice keeps it with the slice\'s length, None inserts a size-1 dim';
const LINEAR: Rule = (f) => {
  const out = singleOutput(f);
  return `the last dim becomes out_features${out ? ` (${out[out.length - 1]})` : ''}; leading dims pass through`;
};
const EMBED: Rule = (f) => {
  const out = singleOutput(f);
  return `each index becomes a row of the weight table: [*] → [*, ${out ? out[out.length - 1] : 'embedding_dim'}]`;
};
const CREATE: Rule = () => 'a new tensor of the sizes given';
const INTERPOLATE: Rule = () => 'spatial dims resized (to size, or scaled by scale_factor and floored); batch and channels pass through';
const SDPA: Rule = () => 'softmax(q kᵀ/√d) v: [N, …, L, E] with keys [N, …, S, E] and values [N, …, S, Ev] → [N, …, L, Ev]';

/** Rules by the op's short name (`softmax` for `torch.nn.functional.softmax`, `add` for `Tensor.__add__`). */
const RULES: Readonly<Record<string, Rule>> = {
  ...Object.fromEntries(
    ['relu', 'relu6', 'gelu', 'silu', 'elu', 'selu', 'celu', 'leaky_relu', 'sigmoid', 'tanh', 'hardtanh', 'hardswish', 'hardsigmoid', 'mish', 'softplus', 'exp', 'log', 'sqrt', 'rsqrt', 'abs', 'neg', 'sin', 'cos', 'erf', 'dropout', 'dropout2d', 'contiguous', 'clone', 'detach', 'float', 'half', 'double', 'long', 'int', 'bool', 'to', 'type', 'type_as', 'clamp', 'clip', 'masked_fill', 'pos', 'invert', 'pow', 'square', 'reciprocal', 'sign', 'round', 'floor', 'ceil', 'logical_not'].map((n) => [n, ELEMENTWISE]),
  ),
  ...Object.fromEntries(['add', 'sub', 'subtract', 'mul', 'multiply', 'div', 'divide', 'truediv', 'floordiv', 'mod', 'and', 'or', 'xor', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'maximum', 'minimum', 'where', 'lerp', 'addcmul'].map((n) => [n, BROADCAST])),
  ...Object.fromEntries(['softmax', 'log_softmax', 'normalize', 'cumsum', 'cumprod', 'layer_norm', 'batch_norm', 'group_norm', 'instance_norm'].map((n) => [n, ALONG_DIM])),
  ...Object.fromEntries(['matmul', 'mm', 'bmm', 'mv', 'rmatmul'].map((n) => [n, MATMUL])),
  ...Object.fromEntries(['view', 'reshape', 'view_as', 'reshape_as', 'unflatten'].map((n) => [n, VIEW])),
  flatten: FLATTEN,
  ...Object.fromEntries(['transpose', 'swapaxes', 'swapdims', 't'].map((n) => [n, TRANSPOSE])),
  permute: PERMUTE,
  ...Object.fromEntries(['cat', 'concat', 'concatenate'].map((n) => [n, CONCAT])),
  stack: STACK,
  ...Object.fromEntries(['split', 'chunk', 'unbind', 'tensor_split'].map((n) => [n, SPLIT])),
  ...Object.fromEntries(['mean', 'sum', 'max', 'min', 'amax', 'amin', 'argmax', 'argmin', 'prod', 'std', 'var', 'norm', 'logsumexp', 'all', 'any', 'nansum', 'nanmean'].map((n) => [n, REDUCE])),
  unsqueeze: UNSQUEEZE,
  squeeze: SQUEEZE,
  ...Object.fromEntries(['expand', 'expand_as', 'broadcast_to'].map((n) => [n, EXPAND])),
  repeat: REPEAT,
  getitem: INDEX,
  linear: LINEAR,
  embedding: EMBED,
  ...Object.fromEntries(['zeros', 'ones', 'randn', 'rand', 'empty', 'full', 'arange', 'zeros_like', 'ones_like', 'randn_like', 'rand_like', 'empty_like', 'full_like', 'tril', 'triu', 'eye'].map((n) => [n, CREATE])),
  ...Object.fromEntries(['interpolate', 'upsample'].map((n) => [n, INTERPOLATE])),
  scaled_dot_product_attention: SDPA,
};

/** The short name of an op: `torch.nn.functional.softmax` → softmax, `Tensor.__iadd__` → add, `Tensor.relu_` → relu. */
export function opShortName(name: string): string {
  const last = name.slice(name.lastIndexOf('.') + 1);
  const dunder = /^__(?:r|i)?(\w+?)__$/.exec(last);
  if (dunder) return dunder[1] === 'matmul' || dunder[1] === 'rmatmul' ? 'matmul' : dunder[1]!;
  return last.endsWith('_') && last.length > 1 ? last.slice(0, -1) : last;
}

/** The shape rule of an op call in words, with its numbers; undefined for ops without one here. */
export function opShapeRule(name: string, facts: OpCallFacts): string | undefined {
  return RULES[opShortName(name)]?.(facts);
}
