// Probability formulas (notes topic kl-gaussians).

/** KL(N(μ1, σ1²) ‖ N(μ2, σ2²)) in 1-D: ln(σ2/σ1) + (σ1² + (μ1 − μ2)²)/(2σ2²) − 1/2, in nats. */
export function klGaussian1d(mu1: number, sigma1: number, mu2: number, sigma2: number): number {
  const diff = mu1 - mu2;
  return Math.log(sigma2 / sigma1) + (sigma1 * sigma1 + diff * diff) / (2 * sigma2 * sigma2) - 0.5;
}

/** KL between diagonal Gaussians: the sum of the 1-D terms over the dimensions. */
export function klDiagonalGaussians(mu1: readonly number[], sigma1: readonly number[], mu2: readonly number[], sigma2: readonly number[]): number {
  return perDimensionKl(mu1, sigma1, mu2, sigma2).reduce((a, b) => a + b, 0);
}

/** The 1-D KL of each dimension (equal-length lists; a caller that broadcasts does so first). */
export function perDimensionKl(mu1: readonly number[], sigma1: readonly number[], mu2: readonly number[], sigma2: readonly number[]): number[] {
  if (sigma1.length !== mu1.length || mu2.length !== mu1.length || sigma2.length !== mu1.length) {
    throw new RangeError(`perDimensionKl: the four lists must have one length (got ${mu1.length}, ${sigma1.length}, ${mu2.length}, ${sigma2.length})`);
  }
  return mu1.map((m, j) => klGaussian1d(m, sigma1[j]!, mu2[j]!, sigma2[j]!));
}

/** The VAE term KL(N(μ, σ²) ‖ N(0, 1)) per dimension: ½(σ² + μ² − 1 − ln σ²). */
export function klToStandardNormal(mu: number, sigma: number): number {
  return 0.5 * (sigma * sigma + mu * mu - 1 - Math.log(sigma * sigma));
}
