// CC-13's message claims a forward variance gain per Xavier + ReLU layer (fan_in·Var(W)·½) and its
// product over the chain. Real PyTorch measures the same ratio E[h_out²]/E[h_in²] on the fixture's layers.
import { spawnSync } from 'node:child_process';
import { TORCH_PYTHON } from '../lib/python';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../../src/core/checks';
import { cc13 } from '../../../src/core/checks/rules/cc13-xavier-before-relu';

// One realisation of the weights fluctuates (a conv over ReLU outputs sums few, correlated, non-zero-mean
// inputs per channel), so the ratios are averaged over independent seeds: the claim is about expectations.
const SCRIPT = `
import json, torch
torch.set_num_threads(1)
def chain(layers, x):
    ratios = []
    for layer in layers:
        torch.nn.init.xavier_uniform_(layer.weight)
        torch.nn.init.zeros_(layer.bias)
        h = torch.relu(layer(x))
        ratios.append((h.pow(2).mean() / x.pow(2).mean()).item())
        x = h
    return ratios
def mean(rows):
    return [sum(r[i] for r in rows) / len(rows) for i in range(len(rows[0]))]
mlp, conv = [], []
with torch.no_grad():
    for seed in range(20):
        torch.manual_seed(seed)
        mlp.append(chain([torch.nn.Linear(512, 512), torch.nn.Linear(512, 512)], torch.randn(512, 512)))
    # The conv ratio varies more per seed (std ≈ 0.1), so it gets more seeds: standard error ≈ 0.007.
    for seed in range(200):
        torch.manual_seed(seed)
        conv.append(chain([torch.nn.Conv2d(3, 16, 3), torch.nn.Conv2d(16, 16, 3)], torch.randn(4, 3, 12, 12)))
print(json.dumps({"mlp": mean(mlp), "conv": mean(conv)}))
`;

/** The numbers CC-13 prints: "≈ g;" for the layer and "detected here P" for the chain. */
function printed(message: string): { layer: number; chain: number } {
  const layer = Number(/≈ ([\d.e-]+);/.exec(message)?.[1]);
  const chain = Number(/detected here ([\d.e-]+)\./.exec(message)?.[1]);
  return { layer, chain };
}

describe('CC-13 variance numbers against PyTorch', () => {
  it('match the measured second-moment ratios (mean over seeds) within 10%', () => {
    const run = spawnSync(TORCH_PYTHON, ['-c', SCRIPT], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const measured = JSON.parse(run.stdout) as { mlp: number[]; conv: number[] };
    const text = readFileSync(join(__dirname, '..', '..', 'unit', 'checks', 'fixtures', 'cc13-pos.py'), 'utf8');
    const findings = runChecks({ path: 'cc13-pos.py', text }, {}, [cc13]).findings;
    const mlp = printed(findings[0]!.message);
    const conv = printed(findings[2]!.message);
    const close = (claimed: number, actual: number): number => Math.abs(claimed / actual - 1);
    expect(close(mlp.layer, measured.mlp[0]!)).toBeLessThan(0.1);
    expect(close(mlp.chain, measured.mlp[0]! * measured.mlp[1]!)).toBeLessThan(0.1);
    expect(close(conv.layer, measured.conv[0]!)).toBeLessThan(0.1);
    expect(close(conv.chain, measured.conv[0]! * measured.conv[1]!)).toBeLessThan(0.1);
  });
});
