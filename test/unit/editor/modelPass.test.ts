// The model pass after an edit keeps what each unchanged model contributed (its parts, its modules, its inits) and
// makes the inits by module path only when they are read (the view leaves them out; hovers and models run twice read
// them). Whatever it keeps, the answer after each edit must be a fresh analysis's: an edit in a model another model
// runs, a module-level constant the models read, a helper function a model calls, and a class renamed and back.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer, parseDocument, type Analyzer } from '../../../src/core/index';
import type { ParsedDocument } from '../../../src/core/python/parse';
import { analyzeForEditor, type EditorAnalysis } from '../../../src/core/editor/documentAnalysis';
import { editorView } from '../../../src/core/editor/view';
import { hoverSites } from '../../../src/core/editor/hover';

const path = join(__dirname, 'model_pass.py');

const FILE = `import torch
import torch.nn as nn

WIDTH = 16


def activation():
    return nn.ReLU()


# ml-notes: input=[2, 3, 8, 8]
class Block(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)
        self.act = activation()

    def forward(self, x):
        return self.act(self.conv(x))


# ml-notes: input=[2, 3, 8, 8]
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, WIDTH, 3, padding=1)
        self.block = Block(WIDTH)
        self.head = nn.Linear(WIDTH, 10)

    def forward(self, x):
        x = self.block(self.stem(x))
        return self.head(x.mean(dim=(2, 3)))


# ml-notes: input=[2, 16]
class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(WIDTH, 32)
        self.fc2 = nn.Linear(32, 32)
        self.fc3 = nn.Linear(32, 4)

    def forward(self, x):
        return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))
`;

function analyze(analyzer: Analyzer, text: string, previous: ParsedDocument | undefined): { parsed: ParsedDocument; analysis: EditorAnalysis } {
  const parsed = parseDocument(text, previous);
  return { parsed, analysis: analyzeForEditor(analyzer, parsed.module, { path, text, parsed, user: {}, checks: { disabled: [] }, varianceGainRange: [0.1, 10] }) };
}

/** What the editor shows (the view, every hover) and what the worker keeps for its hovers. */
function shown(analysis: EditorAnalysis): unknown {
  const { elapsedMs: _elapsed, ...view } = structuredClone(editorView(analysis));
  const { calls, containerCalls, ops, statements, loops, modules, layerWeights, layerBiases } = analysis;
  return { view, hovers: hoverSites(analysis), kept: structuredClone({ calls, containerCalls, ops, statements, loops, modules, layerWeights, layerBiases }) };
}

/**
 * Applies the edits one after another in one analyzer, each parse incremental from the last, checks every answer
 * against a fresh analysis of the same text, and returns the incremental answers.
 */
function analyzeEdits(text: string, edits: readonly (readonly [string, string])[]): EditorAnalysis[] {
  const warm = createAnalyzer();
  let previous = analyze(warm, text, undefined).parsed;
  const answers: EditorAnalysis[] = [];
  for (const [from, to] of edits) {
    expect(text).toContain(from);
    text = text.replace(from, to);
    const incremental = analyze(warm, text, previous);
    previous = incremental.parsed;
    const fresh = analyze(createAnalyzer(), text, undefined).analysis;
    expect(fresh.calls.length).toBeGreaterThan(0);
    expect(shown(incremental.analysis)).toEqual(shown(fresh));
    answers.push(incremental.analysis);
  }
  return answers;
}

describe('the model pass after an edit', () => {
  it('answers as a fresh analysis after edits in a block, a constant, a helper and a class name', () => {
    const edits: [string, string][] = [
      // Inside a model that another model runs.
      ['nn.Conv2d(channels, channels, 3, padding=1)', 'nn.Conv2d(channels, channels, 5, padding=2)'],
      // A module-level constant every model reads.
      ['WIDTH = 16', 'WIDTH = 24'],
      // A helper function a model calls.
      ['return nn.ReLU()', 'return nn.Tanh()'],
      // A class renamed, then named back.
      ['class Mlp(nn.Module)', 'class Perceptron(nn.Module)'],
      ['class Perceptron(nn.Module)', 'class Mlp(nn.Module)'],
      // A layer of the renamed-back class.
      ['nn.Linear(32, 32)', 'nn.Linear(32, 48)'],
    ];
    expect(analyzeEdits(FILE, edits)).toHaveLength(edits.length);
  });

  it("keeps the view's entries of the models an edit did not touch as the objects of the last view", () => {
    const warm = createAnalyzer();
    const first = analyze(warm, FILE, undefined);
    const before = editorView(first.analysis);
    const after = editorView(analyze(warm, FILE.replace('nn.Linear(32, 4)', 'nn.Linear(32, 5)'), first.parsed).analysis);
    const entry = (view: typeof before, name: string) => view.models.find((m) => m.className === name);
    // Net and Block (run as Net's part) are unchanged: the same entries; Mlp's changed.
    expect(entry(after, 'Net')).toBe(entry(before, 'Net'));
    expect(entry(after, 'Block')).toBe(entry(before, 'Block'));
    expect(entry(after, 'Mlp')).not.toBe(entry(before, 'Mlp'));
    expect(entry(after, 'Mlp')?.output).toEqual([2, 5]);
    // The simulations' dense layers: Mlp's three (fan_out 32, 32, then 4 -> 5), then Net's stem, block.conv and head as
    // they were (a conv's fan_out is out_channels × kernel area, as torch.nn.init computes it: 16·3·3 = 144).
    const [layersBefore, layersAfter] = [before.layerSeed.layers ?? [], after.layerSeed.layers ?? []];
    expect(layersAfter.map((l) => l.fan_out)).toEqual([32, 32, 5, 144, 144, 10]);
    expect(layersAfter.slice(3)).toHaveLength(3);
    layersAfter.slice(3).forEach((layer, i) => expect(layer).toBe(layersBefore[3 + i]));
  });

  it('makes the inits by module path when they are first read, from every model that ran', () => {
    const { analysis } = analyze(createAnalyzer(), FILE, undefined);
    // Nothing computed them for the view: they are read through an accessor.
    expect(Object.getOwnPropertyDescriptor(analysis, 'layerWeights')?.get).toBeTypeOf('function');
    expect(Object.getOwnPropertyDescriptor(analysis, 'layerBiases')?.get).toBeTypeOf('function');
    editorView(analysis);
    const weights = analysis.layerWeights;
    expect(analysis.layerWeights).toBe(weights);
    // Net (stem, block.conv, head: Block runs as its part) and Mlp (fc1-fc3), keyed by model expression and path.
    expect(Object.keys(weights).map((k) => k.replace('\u0000', ' '))).toEqual(['Mlp() fc1', 'Mlp() fc2', 'Mlp() fc3', 'Net() stem', 'Net() block.conv', 'Net() head']);
    // PyTorch's default init of Linear(16, 32): kaiming_uniform_(a=√5) gives U(±1/√16), variance (2·0.25)²/12 = 1/48.
    expect(weights['Mlp()\u0000fc1']?.variance).toBeCloseTo(1 / 48, 10);
    expect(Object.keys(analysis.layerBiases ?? {})).toEqual(Object.keys(weights));
    expect(analysis.models.map((m) => [m.className, m.partOf ?? m.expression])).toEqual([
      ['Block', 'Net'],
      ['Net', 'Net()'],
      ['Mlp', 'Mlp()'],
    ]);
  });
  it("takes each model's input from the file's sample calls as a fresh analysis does, after edits that change them or not", () => {
    // No input comments: Net's input comes from the call of its instance, Head's from a factory's model called once.
    const file = `import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        return self.fc(x)


class Head(nn.Module):
    def __init__(self, width=6):
        super().__init__()
        self.fc = nn.Linear(width, 2)

    def forward(self, x):
        return self.fc(x)


def make_head():
    return Head()


net = Net()
net(torch.randn(3, 8))
make_head()(torch.randn(5, 6))
`;
    const edits: [string, string][] = [
      // Inside a class: no call the inputs come from changes.
      ['nn.Linear(8, 4)', 'nn.Linear(8, 5)'],
      // The sample call of Net's instance.
      ['net(torch.randn(3, 8))', 'net(torch.randn(7, 8))'],
      // A second instance whose call comes first, then the factory made one that needs an argument.
      ['net = Net()', 'first = Net()\nfirst(torch.randn(9, 8))\nnet = Net()'],
      ['def make_head():', 'def make_head(width):'],
      ['def make_head(width):', 'def make_head():'],
      // A statement that calls as many names as before but assigns a model to a name.
      ['    return Head()', '    head = Head()\n    return head'],
    ];
    const inputs = (analysis: EditorAnalysis) => analysis.models.map((m) => [m.className, m.input?.shapes.join(' ') ?? m.error ?? m.partOf]);
    expect(analyzeEdits(file, edits).map(inputs)).toEqual([
      [['Net', '3,8'], ['Head', '5,6']],
      [['Net', '7,8'], ['Head', '5,6']],
      [['Net', '9,8'], ['Head', '5,6']],
      [['Net', '9,8'], ['Head', undefined]],
      [['Net', '9,8'], ['Head', '5,6']],
      [['Net', '9,8'], ['Head', '5,6']],
    ]);
  });
});
