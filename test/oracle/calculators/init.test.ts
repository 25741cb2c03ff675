// src/core/formulas/init.ts against torch.nn.init itself: calculate_gain for every nonlinearity, fans of
// Linear / ConvNd / ConvTransposeNd weights, and the uniform bounds of xavier_uniform_, kaiming_uniform_ and
// the default init (measured as the largest |w| of 200k samples, which lies within 0.1% of the bound).
import { spawnSync } from 'node:child_process';
import { TORCH_PYTHON } from '../lib/python';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  calculateGain,
  convTransposeWeightShape,
  convWeightShape,
  fansOfShape,
  GAIN_NONLINEARITIES,
  kaimingSpread,
  linearWeightShape,
  pytorchDefaultSpread,
  xavierSpread,
} from '../../../src/core/formulas/init';

const SCRIPT = String.raw`
import json, math
import torch
import torch.nn as nn
torch.set_num_threads(1)
torch.manual_seed(0)
out = {}
names = ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'selu']
out['gains'] = {n: nn.init.calculate_gain(n) for n in names}
out['leaky_0_2'] = nn.init.calculate_gain('leaky_relu', 0.2)
layers = {
    'linear': nn.Linear(300, 200),
    'conv2d': nn.Conv2d(6, 12, (3, 5), groups=3),
    'conv3d': nn.Conv3d(4, 8, 3),
    'convtranspose2d': nn.ConvTranspose2d(64, 6, 4, groups=2),
}
out['fans'] = {k: list(nn.init._calculate_fan_in_and_fan_out(m.weight)) for k, m in layers.items()}
out['shapes'] = {k: list(m.weight.shape) for k, m in layers.items()}
w = torch.empty(400, 500)
nn.init.xavier_uniform_(w, gain=nn.init.calculate_gain('tanh'))
out['xavier_tanh_max'] = w.abs().max().item()
nn.init.kaiming_uniform_(w, mode='fan_out', nonlinearity='relu')
out['kaiming_relu_fan_out_max'] = w.abs().max().item()
lin = nn.Linear(500, 400)
out['default_max'] = lin.weight.abs().max().item()
out['default_var'] = lin.weight.var().item()
print(json.dumps(out))
`;

interface TorchInit {
  gains: Record<string, number>;
  leaky_0_2: number;
  fans: Record<string, [number, number]>;
  shapes: Record<string, number[]>;
  xavier_tanh_max: number;
  kaiming_relu_fan_out_max: number;
  default_max: number;
  default_var: number;
}

let torch: TorchInit;
beforeAll(() => {
  const run = spawnSync(TORCH_PYTHON, ['-c', SCRIPT], { encoding: 'utf8', timeout: 300_000 });
  if (run.status !== 0) throw new Error(`${TORCH_PYTHON} failed: ${run.error?.message ?? run.stderr.slice(0, 2000)}`);
  torch = JSON.parse(run.stdout) as TorchInit;
});

describe('init formulas agree with torch.nn.init', () => {
  it('gives calculate_gain for every nonlinearity torch knows', () => {
    expect(Object.keys(torch.gains).sort()).toEqual([...GAIN_NONLINEARITIES].sort());
    for (const name of GAIN_NONLINEARITIES) expect(calculateGain(name), name).toBeCloseTo(torch.gains[name]!, 14);
    expect(calculateGain('leaky_relu', 0.2)).toBeCloseTo(torch.leaky_0_2, 14);
  });

  it('builds the weight shapes and fans torch uses for Linear, grouped ConvNd and ConvTransposeNd', () => {
    const shapes = {
      linear: linearWeightShape(300, 200),
      conv2d: convWeightShape(6, 12, [3, 5], 3),
      conv3d: convWeightShape(4, 8, [3, 3, 3]),
      convtranspose2d: convTransposeWeightShape(64, 6, [4, 4], 2),
    };
    for (const [name, shape] of Object.entries(shapes)) {
      expect(shape, name).toEqual(torch.shapes[name]);
      const fans = fansOfShape(shape);
      expect([fans?.fanIn, fans?.fanOut], name).toEqual(torch.fans[name]);
    }
  });

  it('bounds the uniform inits where torch samples them (max |w| of 200k draws within 0.1% below the bound)', () => {
    // A 400×500 weight: fan_in 500, fan_out 400.
    const fans = { fanIn: 500, fanOut: 400 };
    const cases: [string, number, number][] = [
      ['xavier_uniform_ gain 5/3', xavierSpread(fans, calculateGain('tanh')).uniformBound, torch.xavier_tanh_max],
      ['kaiming_uniform_ relu fan_out', kaimingSpread(fans.fanOut, calculateGain('relu')).uniformBound, torch.kaiming_relu_fan_out_max],
      ['nn.Linear default', pytorchDefaultSpread(fans.fanIn).uniformBound, torch.default_max],
    ];
    for (const [name, bound, sampledMax] of cases) {
      expect(sampledMax, name).toBeLessThanOrEqual(bound);
      expect(sampledMax, name).toBeGreaterThan(0.999 * bound);
    }
    // Var = 1/(3·500) = 6.667e-4; the sample variance of 200k draws is within 1%.
    expect(torch.default_var / pytorchDefaultSpread(500).variance).toBeCloseTo(1, 1);
  });
});
