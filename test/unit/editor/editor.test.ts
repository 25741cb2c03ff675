// The editor's pure layer: what hovers, inlay hints, CodeLens and diagnostics show for a document.
// Expected numbers are worked by hand in the comments (PyTorch's own numbers are checked by the oracle).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAnalyzer, parseDocument, parseTorchVersion } from '../../../src/core/index';
import { analyzeForEditor, type EditorAnalysis } from '../../../src/core/editor/documentAnalysis';
import { hoverAt, hoverSites, escapeMarkdown } from '../../../src/core/editor/hover';
import { pooledBeforeNextLayer, varianceChains } from '../../../src/core/editor/varianceChain';
import { directiveAbove, literalTensorShape, parseInputDirective } from '../../../src/core/editor/modelInputs';
import { annotationMismatch, parseShapeAnnotation } from '../../../src/core/editor/shapeComments';
import { parseMarkers, type MarkedText } from './markers';

const fixtures = join(__dirname, 'fixtures');

function analyze(file: string): { doc: MarkedText; analysis: EditorAnalysis } {
  const doc = parseMarkers(readFileSync(join(fixtures, file), 'utf8'));
  const path = join(fixtures, file);
  const analysis = analyzeForEditor(createAnalyzer(), parseDocument(doc.text).module, { path, text: doc.text });
  return { doc, analysis };
}

const marker = (doc: MarkedText, name: string) => {
  const m = doc.markers.get(name);
  if (!m) throw new Error(`no marker ${name}`);
  return m;
};

describe('model inputs', () => {
  it('reads the input directive above a class, with several shapes and a dtype', () => {
    expect(parseInputDirective('[1, 3, 224, 224]')).toEqual({ shapes: ['1,3,224,224'], dtype: 'float' });
    expect(parseInputDirective('[B, T] long')).toEqual({ shapes: ['B,T'], dtype: 'long' });
    expect(parseInputDirective('[2, 5, 8], [2, 7, 8]')).toEqual({ shapes: ['2,5,8', '2,7,8'], dtype: 'float' });
    expect(parseInputDirective('224')).toBeUndefined();
    const lines = ['# a comment', '# ml-notes: input=[1, 3, 64, 64]', '@dataclass', 'class A:'];
    expect(directiveAbove(lines, 3)).toEqual({ shapes: ['1,3,64,64'], dtype: 'float' });
    expect(directiveAbove(['x = 1', 'class A:'], 1)).toBeUndefined();
  });

  it('takes the shape of literal tensor factories only', () => {
    const call = (src: string) => {
      const stmt = parseDocument(`x = ${src}\n`).module.body[0]!;
      return stmt.k === 'assign' && stmt.value ? literalTensorShape(stmt.value) : undefined;
    };
    expect(call('torch.randn(1, 3, 224, 224)')).toEqual({ shape: '1,3,224,224', dtype: 'float' });
    expect(call('torch.zeros((2, 64), dtype=torch.long)')).toEqual({ shape: '2,64', dtype: 'long' });
    expect(call('torch.randint(0, 50, (4, 16))')).toEqual({ shape: '4,16', dtype: 'long' });
    expect(call('torch.randn(n, 3)')).toBeUndefined();
  });
});

describe('hover of a transposed convolution', () => {
  // PyTorch 1.13: ConvTranspose2d(16, 8, 4, stride=2, padding=1) on 14x14 gives 28x28, and
  // ConvTranspose2d(8, 4, 3, stride=2, padding=1, output_padding=1) on 28x28 gives 56x56.
  const source = [
    'import torch.nn as nn',
    '',
    '# ml-notes: input=[1, 16, 14, 14]',
    'class Decoder(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.up1 = /*up1*/nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)',
    '        self.up2 = /*up2*/nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1, output_padding=1)',
    '',
    '    def forward(self, x):',
    '        return self.up2(self.up1(x))',
    '',
  ].join('\n');
  const doc = parseMarkers(source);
  const analysis = analyzeForEditor(createAnalyzer(), parseDocument(doc.text).module, { path: '/p/decoder.py', text: doc.text });

  it('shows the transposed size formula with the call\'s numbers: (L − 1)·S − 2P + D·(K − 1) + output_padding + 1', () => {
    // (14 − 1)·2 − 2·1 + 1·(4 − 1) + 0 + 1 = 28; (28 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1 = 56.
    const up1 = hoverAt(analysis, marker(doc, 'up1'))!.markdown;
    expect(up1).toContain('`H_out = (14 − 1)·2 − 2·1 + 1·(4 − 1) + 0 + 1 = 28`');
    expect(up1).toContain('`W_out = (14 − 1)·2 − 2·1 + 1·(4 − 1) + 0 + 1 = 28`');
    const up2 = hoverAt(analysis, marker(doc, 'up2'))!.markdown;
    expect(up2).toContain('`H_out = (28 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1 = 56`');
  });
});

describe('editor analysis of a small CNN (input from the directive)', () => {
  const { doc, analysis } = analyze('small_cnn.py');

  it('summarises the model for its CodeLens', () => {
    const net = analysis.models.find((m) => m.className === 'Net')!;
    expect(net.input?.source).toBe('comment');
    // conv1 16·3·5·5 + 16 = 1216; features.0 32·16·3·3 + 32 = 4640; fc 2048·10 + 10 = 20490; total 26346.
    expect(net.params).toBe(26346);
    expect(net.output).toEqual([2, 10]);
    // MACs: conv1 2·16·32·32 · 3·25 = 2,457,600; features.0 2·32·16·16 · 16·9 = 2,359,296; fc 2·10·2048 = 40,960.
    expect(net.macs).toBe(2457600 + 2359296 + 40960);
  });

  it('hovering the constructor shows the substituted size formula, shapes, params and links', () => {
    const hover = hoverAt(analysis, marker(doc, 'conv1'))!;
    expect(hover.markdown).toContain('**Conv2d** `conv1`');
    // (32 + 2·2 − 1·(5 − 1) − 1)/1 + 1 = 32 on both axes.
    expect(hover.markdown).toContain('H_out = ⌊(32 + 2·2 − 1·(5 − 1) − 1)/1⌋ + 1 = 32');
    expect(hover.markdown).toContain('W_out = ⌊(32 + 2·2 − 1·(5 − 1) − 1)/1⌋ + 1 = 32');
    expect(hover.markdown).toContain('`[2, 3, 32, 32] → [2, 16, 32, 32]`');
    expect(hover.markdown).toContain('**Params** 1,216');
    expect(hover.markdown).toContain('command:mlNotes.openDerivation');
    expect(hover.markdown).toContain('command:mlNotes.calculator');
    // PyTorch default init: Var(W) = 1/(3·fan_in) = 1/(3·75) = 4.44e-3.
    expect(hover.markdown).toContain('Var(W) = 4.44e-3');
  });

  it('hovering a call of the layer in forward shows the same layer', () => {
    const hover = hoverAt(analysis, marker(doc, 'call1'))!;
    expect(hover.markdown).toContain('`conv1`');
    expect(hover.markdown).toContain('→ [2, 16, 32, 32]');
  });

  it('puts an inlay hint after each assignment from a module call and each Sequential entry', () => {
    const at = (name: string) => analysis.hints.find((h) => h.position.line === marker(doc, name).line && h.position.character === marker(doc, name).character)?.label;
    expect(at('hint1')).toBe('→ [2, 16, 16, 16]');
    expect(at('hint2')).toBe('→ [2, 32, 8, 8]');
    expect(at('hint3')).toBe('→ [2, 10]');
    expect(at('seq0')).toBe('→ [2, 32, 16, 16]');
    expect(at('seq1')).toBe('→ [2, 32, 16, 16]');
  });

  it('reports no shape diagnostics on correct code, and no variance chain across its pools', () => {
    expect(analysis.diagnostics.filter((d) => d.code === 'shape')).toEqual([]);
    // Each conv's output is max-pooled before the next layer, and pooling changes E[x²] in a way the
    // recursion does not carry: PyTorch 1.13 (default init, 20 seeds of 64 inputs) measures the output's
    // E[y²]/E[x²] at 0.055 (0.023–0.10), where a pool-blind recursion said 0.019. No chain spans a pool.
    expect(analysis.diagnostics.filter((d) => d.code === 'init-variance')).toEqual([]);
    expect(varianceChains(analysis).every((c) => c.layers.length === 1)).toBe(true);
  });
});

describe('editor analysis of a model built by a factory and called in the file', () => {
  const { analysis } = analyze('gpt_tiny.py');
  it('uses the factory to build it and the sample call for the input', () => {
    const lm = analysis.models.find((m) => m.className === 'TinyLM')!;
    expect(lm.input).toEqual({ shapes: ['4,16'], dtype: 'long', source: 'call' });
    // Built as TinyLM() first (all defaults): Embedding 100·32 = 3200, Linear 32·100 + 100 = 3300.
    expect(lm.params).toBe(6500);
    expect(lm.output).toEqual([4, 16, 100]);
  });
});

describe('Markdown safety', () => {
  it('escapes names from user code', () => {
    expect(escapeMarkdown('[x](command:evil)')).toBe('\\[x\\]\\(command:evil\\)');
  });
});

describe('shape diagnostics with a quick fix', () => {
  const { doc, analysis } = analyze('linear_mismatch.py');

  it('flags the Linear whose in_features differs from the flattened size, naming both', () => {
    // conv: 3×3 without padding on 32×32 → 30×30 with 8 channels; flatten → 8·30·30 = 7200 ≠ 8·32·32 = 8192.
    const errors = analysis.diagnostics.filter((d) => d.code === 'shape');
    expect(errors).toHaveLength(1);
    const d = errors[0]!;
    expect(d.range.start).toEqual(marker(doc, 'call'));
    expect(d.message).toContain('[4, 7200]');
    expect(d.message).toContain('8192');
    expect(d.related?.some((r) => r.message.includes('constructed here'))).toBe(true);
  });

  it('offers to put the computed number into the constructor', () => {
    const fix = analysis.diagnostics[0]!.fixes![0]!;
    expect(fix.title).toContain('7200');
    const lines = doc.text.split('\n');
    const e = fix.edits[0]!;
    const line = lines[e.range.start.line]!;
    lines[e.range.start.line] = line.slice(0, e.range.start.character) + e.newText + line.slice(e.range.end.character);
    expect(lines[e.range.start.line]!.trim()).toBe('self.fc = nn.Linear(7200, 10)');
  });
});

describe('shape comments', () => {
  it('parses the annotation forms and leaves ordinary comments alone', () => {
    expect(parseShapeAnnotation('x = f(x)  # [B, 64, H/2, W/2]')?.dims).toEqual(['B', '64', 'H/2', 'W/2']);
    expect(parseShapeAnnotation('x = f(x)  # -> (N, C, H, W)')?.dims).toEqual(['N', 'C', 'H', 'W']);
    expect(parseShapeAnnotation('x = f(x)  # shape: [B, T, D]')?.dims).toEqual(['B', 'T', 'D']);
    expect(parseShapeAnnotation('x = f(x)  # see [1] for details, why')).toBeUndefined();
    expect(parseShapeAnnotation('x = f(x)  # TODO fix')).toBeUndefined();
    // A chain from the input to the output states the line's result last (timm's coat.py, edgenext.py).
    expect(parseShapeAnnotation('x = x.permute(0, 2, 3, 1)  # (N, C, H, W) -> (N, H, W, C)')?.dims).toEqual(['N', 'H', 'W', 'C']);
    expect(parseShapeAnnotation('x = x.transpose(1, 2).reshape(B, N, C)  # [B, h, N, Ch] -> [B, N, h, Ch] -> [B, N, C]')?.dims).toEqual(['B', 'N', 'C']);
    expect(parseShapeAnnotation('c = c.permute(0, 3, 1, 2)  # [B, H, W, C] → [B, C, H, W]')?.dims).toEqual(['B', 'C', 'H', 'W']);
  });

  it('checks numbers, repeated names and symbolic dims against the inferred shape', () => {
    const a = (text: string) => parseShapeAnnotation(`x  # ${text}`)!;
    expect(annotationMismatch(a('[B, 16, 8, 8]'), [2, 16, 8, 8])).toBeUndefined();
    expect(annotationMismatch(a('[B, 16, 16, 16]'), [2, 16, 8, 8])).toBe('16 written, 8 inferred');
    expect(annotationMismatch(a('[N, C, H, H]'), [2, 16, 8, 4])).toBe('H stands for both 8 and 4');
    expect(annotationMismatch(a('[B, C]'), [2, 16, 8])).toBe('rank 2 written, 3 inferred');
    expect(annotationMismatch(a('[B, ..., 10]'), [2, 7, 7, 10])).toBeUndefined();
    // lucidrains/vit-pytorch's vit_nd_rotary.py: `# (b, *spatial_dims, patch_dim)` on a 7-d tensor, and `(*spatial_dims, ndim)`.
    expect(annotationMismatch(a('(b, *spatial_dims, patch_dim)'), [2, 2, 4, 4, 8, 8, 512])).toBeUndefined();
    expect(annotationMismatch(a('(*spatial_dims, ndim)'), [2, 4, 4, 8, 8, 5])).toBeUndefined();
    expect(annotationMismatch(a('[b, *spatial, 3]'), [2, 8, 8, 4])).toBe('3 written, 4 inferred');
    expect(parseShapeAnnotation('x  # [*batch, C, *spatial]')).toBeUndefined();
    expect(annotationMismatch(a('[B, 64, H/2]'), ['B', 64, 'floor(H / 2)'])).toBeUndefined();
    expect(annotationMismatch(a('[B, 64, H/4]'), ['B', 64, 'floor(H / 2)'])).toBe('H/4 written, floor(H / 2) inferred');
  });

  it('warns on the one comment that disagrees with the analysis, naming both shapes', () => {
    const { doc, analysis } = analyze('shape_comments.py');
    // conv: ⌊(32 + 2 − 2 − 1)/2⌋ + 1 = 16 → [2, 16, 16, 16] matches; pool halves to 8 → [2, 16, 8, 8].
    expect(analysis.diagnostics).toHaveLength(1);
    const d = analysis.diagnostics[0]!;
    expect(d.severity).toBe('warning');
    expect(d.range.start).toEqual(marker(doc, 'wrong'));
    expect(d.message).toContain('[B, 16, 16, 16]');
    expect(d.message).toContain('[2, 16, 8, 8]');
  });
});

describe('tensor variable hovers', () => {
  const { doc, analysis } = analyze('small_cnn.py');
  const lineOf = (name: string) => doc.text.split('\n')[marker(doc, name).line]!;
  const hover = (name: string) => hoverAt(analysis, marker(doc, name), lineOf(name))?.markdown ?? '';

  it('shows the new shape on the assigned name and the previous one on the right-hand side', () => {
    // After pool(features(x)): [2, 32, 8, 8]; flatten(x, 1) → 32·8·8 = 2048.
    expect(hover('flatTarget')).toContain('`[2, 2048]`');
    expect(hover('flatArg')).toContain('`[2, 32, 8, 8]`');
    expect(hover('fcArg')).toContain('`[2, 2048]`');
  });
});

describe('forward variance through a chain of layers', () => {
  const { analysis } = analyze('deep_mlp.py');
  const chains = varianceChains(analysis);

  it('propagates E[a²] through 20 ReLU layers with their default biases and flags the default init only', () => {
    // PyTorch default: Var(W) = 1/(3·512) and Var(b) = (2/√512)²/12 = 1/1536, so from E[x²] = 1:
    // Var(z_l) = E[a_(l−1)²]/3 + 1/1536 and E[a_l²] = Var(z_l)/2 = E[a_(l−1)²]/6 + 1/3072. The first gain is
    // 1/6 + 1/3072; E[a²] settles at the fixed point m* = (1/3072)/(5/6) = 1/2560, and after 20 layers
    // m_20 = m* + (1 − m*)·6^−20 (PyTorch measures std ≈ 1.6e-2 at depth 20 with the default bias: test/oracle/formulas/activation-variance.test.ts;
    // √(m*·(1 − 1/π)) = 1.63e-2). Kaiming with zero biases: g = 512·(2/512)·½ = 1.
    const byModel = (name: string) => chains.find((c) => c.model === `${name}()`)!;
    expect(byModel('DeepDefault').layers).toHaveLength(20);
    expect(byModel('DeepDefault').layers[0]!.gain).toBeCloseTo(1 / 6 + 1 / 3072, 10);
    expect(byModel('DeepDefault').product / (1 / 2560 + (1 - 1 / 2560) * 6 ** -20)).toBeCloseTo(1, 10);
    expect(byModel('DeepKaiming').product).toBeCloseTo(1, 10);
    const warnings = analysis.diagnostics.filter((d) => d.code === 'init-variance');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('vanishes through 20 layers');
    expect(warnings[0]!.message).toContain('net.0');
  });

  it('ends a chain where a layer\'s output is pooled before the next layer, functional or module', () => {
    expect(pooledBeforeNextLayer({ next: ['torch.nn.functional.relu', 'MaxPool2d', 'torch.flatten', 'Linear'] })).toBe(true);
    expect(pooledBeforeNextLayer({ next: ['torch.nn.functional.relu', 'torch.nn.functional.max_pool2d', 'Tensor.flatten', 'Linear'] })).toBe(true);
    expect(pooledBeforeNextLayer({ next: ['AdaptiveAvgPool2d', 'torch.flatten', 'Linear'] })).toBe(true);
    // A pool after the next layer is that layer's business.
    expect(pooledBeforeNextLayer({ next: ['ReLU', 'Linear', 'MaxPool1d'] })).toBe(false);
    expect(pooledBeforeNextLayer({ next: ['ReLU', 'Dropout', 'Linear'] })).toBe(false);
    expect(pooledBeforeNextLayer({})).toBe(false);
  });

  it('shows each layer\'s gain in its hover', () => {
    const site = hoverSites(analysis).find((s) => s.markdown.includes('`net.0`') && s.markdown.includes('DeepDefault'))!;
    expect(site.markdown).toContain('forward variance gain');
    expect(site.markdown).toContain('= 0.167 (relu after it)');
    expect(site.markdown).toContain('command:mlNotes.openSimulation');
  });
});

describe('shape diagnostics of module-level script code', () => {
  it('underlines each top-level statement PyTorch would reject, once', () => {
    const text = [
      'import torch',
      'import torch.nn.functional as F',
      'x = torch.randn(8, 10)',
      'y = x @ torch.randn(11, 5)',
      'for _ in range(3):',
      '    z = torch.cat([x, torch.randn(8, 3, 1)], dim=1)',
      'loss = F.nll_loss(x, torch.zeros(8, dtype=torch.long), reduction="avg")',
      '',
    ].join('\n');
    const analysis = analyzeForEditor(createAnalyzer(), parseDocument(text).module, { path: '/w/script.py', text });
    const shapes = analysis.diagnostics.filter((d) => d.code === 'shape');
    // PyTorch: "mat1 and mat2 shapes cannot be multiplied (8x10 and 11x5)"; torch.cat of a 2-D and a 3-D
    // tensor raises "Tensors must have same number of dimensions"; nll_loss: "avg is not a valid value for reduction".
    expect(shapes.map((d) => [d.range.start.line, d.severity])).toEqual([
      [3, 'error'],
      [5, 'error'],
      [6, 'error'],
    ]);
    expect(shapes[0]!.message).toContain('8x10 and 11x5');
    expect(shapes[2]!.message).toContain('avg is not a valid value for reduction');
  });
});

describe('the torch release the editor follows', () => {
  it("runs GPT-style code's fused-attention branch only for a release that has it (mlNotes.torchVersion)", () => {
    const text = `import torch
import torch.nn as nn
import torch.nn.functional as F

# ml-notes: input=[2, 4, 10, 16]
class Probe(nn.Module):
    def __init__(self):
        super().__init__()
        self.flash = hasattr(F, 'scaled_dot_product_attention')
        self.out = nn.Linear(16, 32 if self.flash else 8)

    def forward(self, q):
        return self.out(q)
`;
    const at = (version: string) =>
      analyzeForEditor(createAnalyzer(), parseDocument(text).module, { path: '/w/probe.py', text, torchVersion: parseTorchVersion(version)! }).models.find((m) => m.className === 'Probe')!;
    // Linear 16 -> 32 when F.scaled_dot_product_attention exists (2.0 on), 16 -> 8 before.
    expect(at('2.1').output).toEqual([2, 4, 10, 32]);
    expect(at('1.13').output).toEqual([2, 4, 10, 8]);
  });
});

describe('an analysis that runs out of its budget', () => {
  const { text } = parseMarkers(readFileSync(join(fixtures, 'small_cnn.py'), 'utf8'));
  const run = (budget?: { steps: number; ms: number }) =>
    analyzeForEditor(createAnalyzer(), parseDocument(text).module, { path: join(fixtures, 'small_cnn.py'), text, ...(budget ? { budget } : {}) });

  it('says it stopped, and why, whenever it did not finish, so the status item can show it', () => {
    // Budgets from 10 steps (the CNN cannot even be built) up to past what building and running it takes.
    let partWay = 0;
    for (let steps = 10; steps <= 600; steps += 10) {
      const analysis = run({ steps, ms: 5_000 });
      const net = analysis.models.find((m) => m.className === 'Net');
      const finished = net?.error === undefined && JSON.stringify(net?.output) === '[2,10]';
      if (finished) continue;
      expect(analysis.stopped, `${steps} steps`).toMatch(new RegExp(`^Net: analysis stopped.*step budget of ${steps} exceeded`));
      // Built, but out of budget part-way through forward: no error, yet the stop is said.
      if (net?.error === undefined) partWay++;
    }
    expect(partWay).toBeGreaterThan(0);
  });

  it('says nothing when it finishes', () => {
    const finished = run();
    expect(finished.models.find((m) => m.className === 'Net')?.params).toBe(26346);
    expect(finished.stopped).toBeUndefined();
  });
});
