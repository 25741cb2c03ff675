// The init that applies to each parameter (PyTorch's default or the nn.init call that overrides it),
// its fans and the weight variance it gives.
import type { InitSpec } from '../frameworks/types';
import { calculateGain, fansOfShape } from '../formulas/init';
import type { Range } from '../values';
import type { ParamInfo } from '../interp/values';

export interface InitReport {
  readonly name: string;
  readonly shape: (number | string)[] | null;
  readonly init: InitSpec;
  /** 'default' when the layer's own reset_parameters applies; otherwise the overriding call. */
  readonly source: 'default' | 'override';
  readonly overriddenBy?: { readonly fn: string; readonly range: Range };
  readonly fanIn?: number;
  readonly fanOut?: number;
  /** Var(W) of the initial values; undefined when the init is unknown. */
  readonly variance?: number;
}

/** Variance of the values an init draws: Var(U(a, b)) = (b − a)²/12, Var(N(μ, σ²)) = σ², ... */
export function varianceOfInit(init: InitSpec, fans?: { fanIn: number; fanOut: number }): number | undefined {
  switch (init.kind) {
    case 'kaiming_uniform': {
      // bound = gain·√(3/fan) with gain = √(2/(1 + a²)): Var = gain²/fan.
      const gain = calculateGain('leaky_relu', init.a);
      const fan = init.mode === 'fan_in' ? init.fanIn : init.fanOut;
      return fan > 0 ? (gain * gain) / fan : undefined;
    }
    case 'uniform':
      return ((init.high - init.low) ** 2) / 12;
    case 'normal':
      return init.std * init.std;
    case 'xavier_uniform':
    case 'xavier_normal':
      // Both give Var = gain²·2/(fan_in + fan_out).
      return init.fanIn + init.fanOut > 0 ? (init.gain * init.gain * 2) / (init.fanIn + init.fanOut) : undefined;
    case 'constant':
      return 0;
    case 'orthogonal':
      // Rows (or columns) of unit norm: each entry has variance gain²/max(rows, cols).
      return fans ? (init.gain * init.gain) / Math.max(fans.fanOut, fans.fanIn) : undefined;
    case 'unknown':
      return undefined;
  }
}

export function initVariance(p: ParamInfo): InitReport {
  const shape = p.shape ? p.shape.map((d) => (typeof d === 'number' ? d : d.sym)) : null;
  const numericShape = p.shape && p.shape.every((d) => typeof d === 'number') ? (p.shape as number[]) : undefined;
  const fans = numericShape && numericShape.length >= 2 ? fansOfShape(numericShape) : undefined;
  const variance = varianceOfInit(p.init, fans);
  // Optional fields are set in the report's order rather than spread: a summary makes one report per parameter.
  const report: { -readonly [K in keyof InitReport]: InitReport[K] } = { name: p.name, shape, init: p.init, source: p.initOverride ? 'override' : 'default' };
  if (p.initOverride) report.overriddenBy = p.initOverride;
  if (fans) {
    report.fanIn = fans.fanIn;
    report.fanOut = fans.fanOut;
  }
  if (variance !== undefined && Number.isFinite(variance)) report.variance = variance;
  return report;
}
