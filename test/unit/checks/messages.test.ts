// Numbers and names the messages print, checked against hand calculations.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../../src/core/checks';
import { cc13 } from '../../../src/core/checks/rules/cc13-xavier-before-relu';
import { cc22 } from '../../../src/core/checks/rules/cc22-mha-embed-dim-not-divisible';
import { cc40 } from '../../../src/core/checks/rules/cc40-flatten-linear-mismatch';
import { cc42 } from '../../../src/core/checks/rules/cc42-flatten-large-linear';
import { cc50 } from '../../../src/core/checks/rules/cc50-large-kernel-stack-hint';

const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

describe('CC-13 prints the forward variance gain of Xavier + ReLU', () => {
  const findings = runChecks({ path: 'cc13-pos.py', text: fixture('cc13-pos.py') }, {}, [cc13]).findings;

  it('gives 1/2 per square layer and (1/2)^L over the detected chain', () => {
    // fc1, fc2: Linear(512, 512), Var(W) = 2/(512+512) = 1/512, gain = 512 · (1/512) · ½ = 0.5; L = 2 → 0.25.
    expect(findings[0]!.message).toContain('self.fc1');
    expect(findings[0]!.message).toContain('≈ 0.5;');
    expect(findings[0]!.message).toContain('over the 2 layer(s) detected here 0.25');
  });

  it('uses fan_in and fan_out of each conv when they differ', () => {
    // Conv2d(3, 16, 3): fan_in = 3·9 = 27, fan_out = 16·9 = 144; gain = 27 · 2/(27+144) · ½ = 27/171 ≈ 0.158.
    // Conv2d(16, 16, 3): fan_in = fan_out = 144, gain 0.5. Chain: 0.1579 · 0.5 ≈ 0.0789.
    const conv = findings[2]!;
    expect(conv.message).toContain('self.features[0], self.features[2]');
    expect(conv.message).toContain('≈ 0.158;');
    expect(conv.message).toContain('0.0789');
  });
});

describe('CC-22 and CC-40 print the computed sizes', () => {
  it('CC-22 prints d/h and suggests the largest divisor', () => {
    const [first] = runChecks({ path: 'cc22-pos.py', text: fixture('cc22-pos.py') }, {}, [cc22]).findings;
    // 100 / 8 = 12.5; the largest divisor of 100 not above 8 is 5.
    expect(first!.message).toContain('12.50');
    expect(first!.fixes![0]!.title).toBe('Use num_heads=5');
  });

  it('CC-40 computes C·H′·W′ from the known input', () => {
    const findings = runChecks({ path: 'cc40-pos.py', text: fixture('cc40-pos.py') }, {}, [cc40]).findings;
    // Net: Conv2d(3, 16, 3, padding=1) keeps 32×32, MaxPool2d(2) halves it: 16·16·16 = 4096.
    expect(findings[0]!.message).toContain('are 4096');
    // Mnist: Conv2d(1, 8, 5) on 28×28 gives 24×24: 8·24·24 = 4608.
    expect(findings[1]!.message).toContain('are 4608');
    expect(findings[1]!.message).toContain('[2, 1, 28, 28]');
  });
});

describe('CC-42 and CC-50 print parameter counts', () => {
  it('CC-42 counts the flattened features and the GAP saving', () => {
    const [finding] = runChecks({ path: 'cc42-pos.py', text: fixture('cc42-pos.py') }, {}, [cc42]).findings;
    // 64×64 input, conv padding 1 keeps it, MaxPool2d(2) → 16×32×32 = 16,384 features; ×10 outputs = 163,840
    // weights; GAP keeps 16 features, 32·32 = 1024 times fewer.
    expect(finding!.message).toContain('16×32×32 map: 16,384 in_features (163,840 weights)');
    expect(finding!.message).toContain('reduces it to 16 features');
    expect(finding!.message).toContain('1024× fewer');
  });

  it('CC-50 compares K²·C² with 9·n·C²', () => {
    const findings = runChecks({ path: 'cc50-pos.py', text: fixture('cc50-pos.py') }, {}, [cc50]).findings;
    // 7×7, C = 64: 49·4096 = 200,704 vs n = 3 layers: 27·4096 = 110,592.
    expect(findings[0]!.message).toContain('200,704');
    expect(findings[0]!.message).toContain('3 stacked 3×3 convs');
    expect(findings[0]!.message).toContain('110,592');
    // 5×5, C = 32: 25·1024 = 25,600 vs n = 2: 18·1024 = 18,432.
    expect(findings[1]!.message).toContain('25,600');
    expect(findings[1]!.message).toContain('18,432');
  });
});

describe('CC-16 prints the variance gain of an explicit init through a plain stack', () => {
  it('N(0, 0.01²) on six Linear(256, 256) + ReLU and a Linear(256, 10) head', async () => {
    const { cc16 } = await import('../../../src/core/checks/rules/cc16-unscaled-randn-weights');
    const finding = runChecks({ path: 'cc16-pos.py', text: fixture('cc16-pos.py') }, {}, [cc16]).findings.find((f) => f.message.includes('plain stack'));
    // Per hidden layer: fan_in·Var(W)·½ = 256 · 10⁻⁴ · ½ = 0.0128; the head (no activation) 256 · 10⁻⁴ = 0.0256.
    // Whole stack: 0.0128⁶ · 0.0256 = 4.40e-12 · 0.0256 = 1.13e-13 (zero biases add nothing).
    expect(finding!.message).toContain('plain stack of 7 Linear/Conv layers');
    expect(finding!.message).toContain('≈ 0.0128');
    expect(finding!.message).toContain('by 1.1e-13');
    expect(finding!.message).toContain('vanish');
  });
});
