// What a torch op computes, for the checks' data-flow questions (a dropout mask drawn from uniform noise,
// a diffusion schedule's cumulative product, a square root on a coefficient), by the op's short name in
// every form it has (`torch.sqrt(x)`, `x.sqrt()`, `x.sqrt_()`, `F.one_hot`). One home for these facts: the
// checks ask `opComputes`, never a name list of their own.

export type Computation =
  /** Uniform noise in [0, 1): torch.rand, rand_like, Tensor.uniform_. */
  | 'uniform-noise'
  /** Standard normal noise: torch.randn, randn_like, normal, Tensor.normal_. */
  | 'gaussian-noise'
  /** A 0/1 draw with probability p: torch.bernoulli, Tensor.bernoulli_. */
  | 'bernoulli'
  | 'cumulative-product'
  /** A square root or its reciprocal (sqrt, rsqrt). */
  | 'square-root'
  | 'exponential'
  /** x² (Tensor.square; pow and `**` with exponent 2 are read from their arguments). */
  | 'square'
  | 'power'
  /** A sum or mean over elements. */
  | 'reduction'
  | 'one-hot'
  | 'divide'
  | 'multiply'
  /** Returns its input with another dtype or device (float(), to(), type()). */
  | 'conversion'
  | 'matrix-product'
  | 'attention';

const table: Record<Computation, readonly string[]> = {
  'uniform-noise': ['rand', 'rand_like', 'uniform_'],
  'gaussian-noise': ['randn', 'randn_like', 'normal', 'normal_'],
  bernoulli: ['bernoulli', 'bernoulli_'],
  'cumulative-product': ['cumprod', 'cumprod_'],
  'square-root': ['sqrt', 'sqrt_', 'rsqrt', 'rsqrt_'],
  exponential: ['exp', 'exp_'],
  square: ['square', 'square_'],
  power: ['pow', 'pow_', 'float_power'],
  reduction: ['sum', 'mean', 'nansum', 'nanmean'],
  'one-hot': ['one_hot'],
  divide: ['div', 'div_', 'divide', 'divide_', 'true_divide', 'true_divide_'],
  multiply: ['mul', 'mul_', 'multiply', 'multiply_'],
  conversion: ['float', 'half', 'double', 'bfloat16', 'to', 'type', 'type_as', 'bool', 'contiguous'],
  'matrix-product': ['matmul', 'mm', 'bmm', 'einsum', 'linear'],
  attention: ['scaled_dot_product_attention', 'multi_head_attention_forward'],
};

const byName = new Map<string, Computation>(Object.entries(table).flatMap(([computation, names]) => names.map((n) => [n, computation as Computation] as const)));

/** What an op computes, from its short name (`sqrt` for torch.sqrt and Tensor.sqrt_ alike); undefined when none of the above. */
export function opComputes(shortName: string | undefined): Computation | undefined {
  return shortName === undefined ? undefined : byName.get(shortName.slice(shortName.lastIndexOf('.') + 1));
}
