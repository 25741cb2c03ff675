// Issue 12: a shape on every tensor line of forward, hovers on every call, analysis past shape errors,
// the variance chain through functional activations, annotations people already write, and annotate.
// Expected shapes are worked by hand in the comments (test/oracle/annotate.oracle.test.ts compares the
// same hints with real PyTorch on the examples and real files).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAnalyzer, parseDocument } from '../../../src/core/index';
import { analyzeForEditor, type EditorAnalysis } from '../../../src/core/editor/documentAnalysis';
import { hoverAt, hoverSites } from '../../../src/core/editor/hover';
import { varianceChains } from '../../../src/core/editor/varianceChain';
import { editorView } from '../../../src/core/editor/view';
import { annotateJson, annotateText } from '../../../src/core/editor/annotate';
import { parseShapeAnnotation, shapeMismatch, parseTensorAnnotation } from '../../../src/core/editor/shapeComments';
import { runCli } from '../../../src/cli/main';
import { parseMarkers, type MarkedText } from './markers';

const fixtures = join(__dirname, 'fixtures');
const examples = join(__dirname, '../../../examples');

function analyzeText(path: string, source: string, run?: Parameters<typeof analyzeForEditor>[2]['run']): { doc: MarkedText; analysis: EditorAnalysis } {
  const doc = parseMarkers(source);
  const analysis = analyzeForEditor(createAnalyzer(), parseDocument(doc.text).module, { path, text: doc.text, ...(run ? { run } : {}) });
  return { doc, analysis };
}

const fixture = (name: string) => analyzeText(join(fixtures, name), readFileSync(join(fixtures, name), 'utf8'));
const example = (name: string, run?: Parameters<typeof analyzeForEditor>[2]['run']) => analyzeText(join(examples, name), readFileSync(join(examples, name), 'utf8'), run);

const marker = (doc: MarkedText, name: string) => {
  const m = doc.markers.get(name);
  if (!m) throw new Error(`no marker ${name}`);
  return m;
};

/** The hint at the end of the line holding `text` (or at the position of a marker). */
function hintOn(doc: MarkedText, analysis: EditorAnalysis, text: string): string | undefined {
  const line = doc.text.split('\n').findIndex((l) => l.includes(text));
  return analysis.hints.find((h) => h.position.line === line)?.label;
}

function hoverOn(doc: MarkedText, analysis: EditorAnalysis, text: string, offset = 0): string {
  const lines = doc.text.split('\n');
  const line = lines.findIndex((l) => l.includes(text));
  const character = lines[line]!.indexOf(text) + offset;
  return hoverAt(analysis, { line, character }, lines[line])?.markdown ?? '';
}

describe('a hint on every statement of forward that produces a tensor', () => {
  const resnet = example('resnet.py');

  it('shows each ResNet stage\'s output on layer1..layer4, the flatten and the head', () => {
    const { doc, analysis } = resnet;
    // 224 → conv1 s2: 112 → maxpool s2: 56; layer1 keeps 56 (64 ch); layer2..4 halve: 28/128, 14/256, 7/512.
    expect(hintOn(doc, analysis, 'x = self.layer1(x)')).toBe('→ [1, 64, 56, 56]');
    expect(hintOn(doc, analysis, 'x = self.layer2(x)')).toBe('→ [1, 128, 28, 28]');
    expect(hintOn(doc, analysis, 'x = self.layer3(x)')).toBe('→ [1, 256, 14, 14]');
    expect(hintOn(doc, analysis, 'x = self.layer4(x)')).toBe('→ [1, 512, 7, 7]');
    // avgpool → [1, 512, 1, 1]; flatten(x, 1) → 512·1·1 = 512.
    expect(hintOn(doc, analysis, 'x = torch.flatten(x, 1)')).toBe('→ [1, 512]');
    expect(hintOn(doc, analysis, 'out += identity')).toBe('→ [1, 64, 56, 56] | [1, 128, 28, 28] | … (4 shapes)');
    // `return x` names a value the line above already shows.
    expect(hintOn(doc, analysis, '        return x')).toBeUndefined();
  });

  it('gives a container call its own output, not the shapes inside it', () => {
    const { doc, analysis } = example('train.py');
    // Symbolic input [B, 3, H, W]: two conv(pad 1)+pool(2) stages → 64 channels at ⌊⌊H/2⌋/2⌋ = ⌊H/4⌋.
    expect(hintOn(doc, analysis, 'x = self.features(x)')).toBe('→ [B, 64, floor(H / 4), floor(W / 4)]');
    expect(hintOn(doc, analysis, 'x = F.relu(self.fc1(x))')).toBe('→ [B, 128]');
    expect(hintOn(doc, analysis, 'return self.fc2(x)')).toBe('→ [B, 10]');
    // The per-layer hints inside nn.Sequential(...) stay (kind 'entry', a setting can hide them).
    const entry = analysis.hints.find((h) => h.kind === 'entry' && h.label === '→ [B, 32, floor(H / 2), floor(W / 2)]');
    expect(entry).toBeDefined();
  });

  it('shows residual lines, the loop over blocks once on its header, and tuples as tuples', () => {
    const { doc, analysis } = example('transformer.py');
    // GPT(): n_embd 128, 4 blocks, input [2, 64] token ids from the file's own sample call.
    expect(hintOn(doc, analysis, 'x = x + self.attn(self.ln_1(x))')).toBe('→ [2, 64, 128]');
    expect(hintOn(doc, analysis, 'x = x + self.mlp(self.ln_2(x))')).toBe('→ [2, 64, 128]');
    expect(hintOn(doc, analysis, 'for block in self.h:')).toBe('→ [2, 64, 128] ×4');
    const loop = analysis.hints.find((h) => h.kind === 'loop')!;
    expect(doc.text.split('\n')[loop.position.line]!.slice(0, loop.position.character).trimEnd().endsWith('for block in self.h:')).toBe(true);
    // The body's `x = block(x)` is what the loop hint stands for: no second hint.
    expect(hintOn(doc, analysis, 'x = block(x)')).toBeUndefined();
    // c_attn gives 3·128 = 384, split into 3 × 128.
    expect(hintOn(doc, analysis, 'q, k, v = self.c_attn(x).split')).toBe('→ ([2, 64, 128], [2, 64, 128], [2, 64, 128])');
    // view(B, T, 4, 32).transpose(1, 2) → [2, 4, 64, 32]; q @ kᵀ → [2, 4, 64, 64].
    expect(hintOn(doc, analysis, 'q = q.view(B, T')).toBe('→ [2, 4, 64, 32]');
    expect(hintOn(doc, analysis, 'att = (q @ k.transpose(-2, -1))')).toBe('→ [2, 4, 64, 64]');
    expect(hintOn(doc, analysis, 'y = y.transpose(1, 2).contiguous().view(B, T, C)')).toBe('→ [2, 64, 128]');
    // `B, T, C = x.size()` holds ints, not a tensor.
    expect(hintOn(doc, analysis, 'B, T, C = x.size()')).toBeUndefined();
  });

  it('shows a changing loop as its sequence of shapes', () => {
    const source = `import torch
import torch.nn as nn


# ml-notes: input=[1, 3, 64, 64]
class Pyramid(nn.Module):
    def __init__(self):
        super().__init__()
        self.stages = nn.ModuleList([nn.Conv2d(3 if i == 0 else 8 * 2 ** i, 8 * 2 ** (i + 1), 3, stride=2, padding=1) for i in range(4)])

    def forward(self, x):
        for stage in self.stages:
            x = torch.relu(stage(x))
        return x
`;
    const { doc, analysis } = analyzeText('/virtual/pyramid.py', source);
    // Each stride-2 conv halves 64 → 32 → 16 → 8 → 4 and doubles 16 → 32 → 64 → 128 channels.
    expect(hintOn(doc, analysis, 'for stage in self.stages:')).toBe('→ [1, 16, 32, 32] → … → [1, 128, 4, 4] (4 iterations)');
    const loop = analysis.hints.find((h) => h.kind === 'loop')!;
    expect(loop.tooltip).toContain('[1, 16, 32, 32], [1, 32, 16, 16], [1, 64, 8, 8], [1, 128, 4, 4]');
  });
});

describe('hovers on everything called in forward', () => {
  it('a called submodule shows in → out, params, MACs, children and a summary link', () => {
    const { doc, analysis } = example('resnet.py');
    const text = hoverOn(doc, analysis, 'self.layer2(x)', 5);
    expect(text).toContain('**Sequential** `layer2` · 2 children');
    expect(text).toContain('`[1, 64, 56, 56] → [1, 128, 28, 28]`');
    // Block 1: conv 64·128·9 = 73,728 + conv 128·128·9 = 147,456 + 2 BN·256 + downsample 64·128 + 256 = 230,144;
    // block 2: 2·147,456 + 2·256 = 295,424; together 525,568.
    expect(text).toContain('**Params** 525,568');
    // MACs on 28×28 outputs (100,352 values of 128 channels): 100,352·(576 + 1152 + 64 + 2·1152) = 411,041,792.
    expect(text).toContain('411,041,792');
    expect(text).toContain('command:mlNotes.showSummary');
    // The link sits in the hover's first lines.
    expect(text.split('\n')[1]).toContain('Show in summary');
  });

  it('a functional op shows its shapes and its shape rule with these numbers', () => {
    const { doc, analysis } = example('transformer.py');
    const softmax = hoverOn(doc, analysis, 'F.softmax(att', 2);
    expect(softmax).toContain('F\\.softmax');
    expect(softmax).toContain('`[2, 4, 64, 64] → [2, 4, 64, 64]` ×4');
    expect(softmax).toContain('dim=-1');
    expect(softmax).toContain('**Shape rule** normalises along dim \\-1');
    const flatten = hoverOn(example('resnet.py').doc, example('resnet.py').analysis, 'torch.flatten(x, 1)', 8);
    expect(flatten).toContain('dims 1\\.\\.3 multiply into one: 512·1·1 = 512');
    const view = hoverOn(doc, analysis, '.view(B, T, C)', 2);
    // view(B, T, C) of [2, 64, 4, 32]: 2·64·4·32 = 16,384 elements = 2·64·128.
    expect(view).toContain('same number of elements: 2·64·4·32 = 16,384 = 2·64·128');
  });

  it('a block called in a loop shows every call', () => {
    const { doc, analysis } = example('transformer.py');
    const text = hoverOn(doc, analysis, 'x = block(x)', 6);
    expect(text).toContain('**Block**');
    expect(text).toContain('`[2, 64, 128] → [2, 64, 128]` ×4');
  });
});

describe('after a shape error the analysis goes on', () => {
  const { doc, analysis } = fixture('two_errors.py');

  it('reports every independent error of the model', () => {
    const errors = analysis.diagnostics.filter((d) => d.code === 'shape');
    // conv2 is built for 8 channels and gets 16; fc1 for 64 features and gets 32 (conv2's assumed 32 channels, pooled).
    expect(errors.map((d) => d.range.start)).toEqual([marker(doc, 'conv2Call'), marker(doc, 'fc1Call')]);
    expect(errors[0]!.message).toContain('to have 8 channels, but got 16 channels instead');
    expect(errors[1]!.message).toContain('(2x32 and 64x10)');
  });

  it('continues with the output the layer would give had it accepted, marked as assumed', () => {
    const at = (name: string) => analysis.hints.find((h) => h.position.line === marker(doc, name).line)!;
    // Conv2d(8, 32, 3, padding=1) keeps 32×32 and gives 32 channels; pool + flatten → [2, 32]; Linear → 10; → 5.
    expect(at('conv2Hint').label).toBe('→ [2, 32, 32, 32] (assumed)');
    expect(at('flatHint').label).toBe('→ [2, 32] (assumed)');
    expect(at('fc1Hint').label).toBe('→ [2, 10] (assumed)');
    expect(at('returnHint').label).toBe('→ [2, 5] (assumed)');
    // Each value names the latest error it was computed past (1-based lines).
    expect(at('flatHint').tooltip).toContain(`assumed after the error at line ${marker(doc, 'conv2Call').line + 1}`);
    expect(at('returnHint').tooltip).toContain(`assumed after the error at line ${marker(doc, 'fc1Call').line + 1}`);
    const hover = hoverAt(analysis, marker(doc, 'fc1Call'))!.markdown;
    expect(hover).toContain('⚠');
    expect(hover).toContain('assumed after the error at line');
  });

  it('never says None in a hint, a hover or a lens', () => {
    expect(analysis.hints.filter((h) => /None/.test(h.label))).toEqual([]);
    expect(hoverSites(analysis).filter((s) => /None/.test(s.markdown))).toEqual([]);
    expect(analysis.models.every((m) => m.output !== null)).toBe(true);
  });

  it('offers the fix on the constructor line too', () => {
    const notes = analysis.diagnostics.filter((d) => d.code === 'shape-constructor');
    expect(notes.map((d) => d.range.start)).toEqual([marker(doc, 'conv2Arg'), marker(doc, 'fc1Arg')]);
    expect(notes[0]!.fixes![0]!.edits[0]!.newText).toBe('16');
    expect(notes[1]!.fixes![0]!.edits[0]!.newText).toBe('32');
    expect(notes[0]!.severity).toBe('hint');
  });
});

describe('an unknown shows ? with its reason', () => {
  it('hints ? on a line the analysis cannot follow, with the reason in the tooltip', () => {
    const source = `import torch
import torch.nn as nn
import mystery


# ml-notes: input=[2, 8]
class Odd(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        y = mystery.transform(x)
        return self.fc(x)
`;
    const { doc, analysis } = analyzeText('/virtual/odd.py', source);
    const hint = analysis.hints.find((h) => h.position.line === doc.text.split('\n').findIndex((l) => l.includes('mystery.transform')))!;
    expect(hint.label).toBe('→ ?');
    expect(hint.tooltip).toMatch(/\? = unknown: .*mystery/);
    expect(hintOn(doc, analysis, 'return self.fc(x)')).toBe('→ [2, 4]');
  });
});

describe('the variance chain reads the activations forward applies', () => {
  const { doc, analysis } = fixture('functional_acts.py');
  const layer = (model: string, path: string) => varianceChains(analysis).flatMap((c) => c.layers.map((l) => ({ ...l, model: c.model }))).find((l) => l.model === model && l.path === path)!;

  it('F.relu(...), x.relu() and F.gelu(...) are the activation after their layer', () => {
    expect(layer('FunctionalMLP()', 'fc1').activation).toBe('relu');
    expect(layer('FunctionalMLP()', 'fc2').activation).toBe('relu');
    expect(layer('FunctionalMLP()', 'fc3').activation).toBe('gelu');
    expect(layer('FunctionalMLP()', 'fc4').activation).toBe('linear');
    // PyTorch's default Var(W) = 1/(3·256) and bias U(±1/16) with Var(b) = (1/8)²/12 = 1/768: from a unit input,
    // Var(z) = 256·(1/768) + 1/768 = 257/768 and ReLU keeps half: g = 257/1536.
    expect(layer('FunctionalMLP()', 'fc1').gain).toBeCloseTo(257 / 1536, 10);
    const hover = hoverAt(analysis, marker(doc, 'fc1'))!.markdown;
    expect(hover).toContain('(relu after it)');
    expect(hover).not.toContain('linear after it');
  });

  it('torch.relu(conv(x)) and conv → BatchNorm → F.relu count as ReLU after the conv', () => {
    expect(layer('ConvNet()', 'conv1').activation).toBe('relu');
    expect(layer('ConvNet()', 'conv2').activation).toBe('relu');
  });

  it('ResNet\'s stem conv is followed by ReLU (through its BatchNorm), not "linear"', () => {
    const { doc: rdoc, analysis: resnet } = example('resnet.py');
    const hover = hoverOn(rdoc, resnet, 'x = self.conv1(x)', 9);
    expect(hover).toContain('(relu after it)');
  });
});

describe('hover details', () => {
  const { doc, analysis } = fixture('tokens.py');

  it('has no receptive-field line for token-wise layers', () => {
    for (const name of ['norm', 'attn', 'proj']) expect(hoverAt(analysis, marker(doc, name))!.markdown).not.toContain('Receptive field');
    const { doc: rdoc, analysis: resnet } = example('resnet.py');
    expect(hoverOn(rdoc, resnet, 'x = self.conv1(x)', 9)).toContain('**Receptive field** 7×7');
  });

  it('says a zero-initialised bias is zero instead of Var = 0', () => {
    const hover = hoverAt(analysis, marker(doc, 'proj'))!.markdown;
    expect(hover).toContain('bias: `nn.init.zeros_` · initialised to zero');
    expect(hover).not.toMatch(/Var\(b\) = 0\.00e\+0/);
  });

  it('shows the attention\'s tuple output on the unpacking line and the residual sum', () => {
    // batch_first MHA on [2, 16, 32]: output [2, 16, 32], averaged weights [2, 16, 16].
    expect(analysis.hints.find((h) => h.position.line === marker(doc, 'attnHint').line)!.label).toBe('→ ([2, 16, 32], [2, 16, 16])');
    expect(analysis.hints.find((h) => h.position.line === marker(doc, 'residualHint').line)!.label).toBe('→ [2, 16, 32]');
  });
});

describe('shape annotations people already write', () => {
  const { doc, analysis } = fixture('annotations.py');

  it('takes a jaxtyping / torchtyping annotation as the input, its names as symbolic dims', () => {
    const head = analysis.models.find((m) => m.className === 'Head')!;
    expect(head.input).toEqual({ shapes: ['batch,64'], dtype: 'float', source: 'annotation' });
    expect(head.output).toEqual(['batch', 10]);
    const stem = analysis.models.find((m) => m.className === 'Stem')!;
    expect(stem.input?.shapes).toEqual(['b,3,h,w']);
    // Conv 3, stride 2, padding 1: ⌊(h + 2 − 3)/2⌋ + 1 = ⌊(h − 1)/2⌋ + 1 = ⌊(h + 1)/2⌋.
    expect(stem.output).toEqual(['b', 16, 'floor((h + 1) / 2)', 'floor((w + 1) / 2)']);
  });

  it('checks the return annotation against the output, naming both', () => {
    const findings = analysis.diagnostics.filter((d) => d.code === 'shape-annotation');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.range.start).toEqual(marker(doc, 'wrongReturn'));
    expect(findings[0]!.message).toBe('Head.forward returns [batch, 10] but is annotated Float[Tensor, "batch 12"] (12 written, 10 inferred)');
  });

  it('checks CLIP-style `# shape = [*, width, grid ** 2]` comments, names shared across the lines of one run', () => {
    const comments = analysis.diagnostics.filter((d) => d.code === 'shape-comment');
    // Conv 4×4 stride 4 on 32×32: width 32, grid 8; reshape → [2, 32, 64] = grid ** 2; permute → [2, 64, 32];
    // mean(1) → [2, 32], but the last comment says [*, grid] with grid = 8.
    expect(comments).toHaveLength(1);
    expect(comments[0]!.range.start).toEqual(marker(doc, 'wrongComment'));
    expect(comments[0]!.message).toContain('grid stands for both 8 and 32');
  });

  it('parses the annotation forms', () => {
    expect(parseShapeAnnotation('x = f(x)  # shape = [*, width, grid ** 2]')?.dims).toEqual(['...', 'width', 'grid ** 2']);
    expect(shapeMismatch(['...', 'width', 'grid ** 2'], [2, 32, 64], new Map([['grid', 8]]))).toBeUndefined();
    expect(shapeMismatch(['...', 'width', 'grid ** 2'], [2, 32, 49], new Map([['grid', 8]]))).toBe('grid ** 2 written, 49 inferred');
    const jax = parseDocument('def f(x: Float[Tensor, "*batch c #h _"]): pass\n').module.body[0]!;
    expect(jax.k === 'def' && parseTensorAnnotation(jax.params[0]!.annotation, '')?.dims).toEqual(['...', 'c', 'h', '_']);
  });
});

describe('ml-notes annotate', () => {
  it('prints the editor\'s own hints as trailing comments', () => {
    const { doc, analysis } = example('resnet.py');
    const out = annotateText(doc.text, analysis.hints).split('\n');
    expect(out).toContain('        x = self.layer1(x)  # -> [1, 64, 56, 56]');
    expect(out).toContain('        x = torch.flatten(x, 1)  # -> [1, 512]');
    expect(out.length).toBe(doc.text.split('\n').length);
  });

  it('--json is exactly {"hints": [{line, character, label}]}, 1-based lines', () => {
    const { doc, analysis } = example('resnet.py');
    const json = annotateJson(analysis.hints);
    expect(Object.keys(json)).toEqual(['hints']);
    const layer1 = doc.text.split('\n').findIndex((l) => l.includes('x = self.layer1(x)'));
    expect(json.hints).toContainEqual({ line: layer1 + 1, character: doc.text.split('\n')[layer1]!.length, label: '→ [1, 64, 56, 56]' });
    for (const h of json.hints) expect(Object.keys(h)).toEqual(['line', 'character', 'label']);
  });

  it('the CLI runs the same analysis the editor view carries', async () => {
    const path = join(examples, 'transformer.py');
    const io = { cwd: examples, readFile: (p: string) => readFileSync(p, 'utf8'), listPythonFiles: () => [], isDirectory: () => false };
    const result = await runCli(['annotate', path, '--model', 'GPT()', '--input', '2,64', '--dtype', 'long', '--json'], io);
    expect(result.code).toBe(0);
    const editor = editorView(example('transformer.py', { expression: 'GPT()', input: { shapes: ['2,64'], dtype: 'long' }, only: true }).analysis);
    expect(JSON.parse(result.stdout)).toEqual(annotateJson(editor.hints));
    const text = await runCli(['annotate', path, '--input', '1,8', '--dtype', 'long'], io);
    // A sequence of 8 tokens: the loop carries [1, 8, 128] through the 4 blocks.
    expect(text.stdout).toContain('for block in self.h:  # -> [1, 8, 128] ×4');
    expect((await runCli(['annotate', path, '--model', 'NoSuch()'], io)).code).toBe(1);
    // A notebook: its hints are placed in their cell; the text output is the notebook with commented cells.
    const nb = join(__dirname, '../notebook/fixtures/small_cnn.v4.5.ipynb');
    const nbJson = JSON.parse((await runCli(['annotate', nb, '--json'], io)).stdout) as { hints: { cell: number; line: number; label: string }[] };
    // Cell 3 defines Net; Conv2d(3, 8, 3, padding=1) then MaxPool2d(2) on the file's [2, 3, 32, 32] sample → [2, 8, 16, 16].
    expect(nbJson.hints[0]).toEqual({ cell: 3, line: 9, character: 43, label: '→ [2, 8, 16, 16]' });
    const annotated = JSON.parse((await runCli(['annotate', nb], io)).stdout) as { cells: { source: string[] | string }[] };
    const cell3 = annotated.cells[2]!.source;
    expect((Array.isArray(cell3) ? cell3.join('') : cell3)).toContain('x = torch.flatten(x, 1)  # -> [2, 2048]');
    expect((await runCli(['annotate'], io)).code).toBe(2);
  });
});
