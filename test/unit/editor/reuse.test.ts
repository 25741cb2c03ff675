// Re-running only what an edit touches (issue 16): an analyzer reuses a model's last result when none of
// the statements it depends on, the files it read or the request changed. Reuse must never change a
// result: every test compares the warm analyzer's answer with a fresh analyzer's on the same text.
// Parameter counts are worked by hand: Linear(i, o) has i*o + o parameters.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer, parseDocument, type ModelSummary } from '../../../src/core/index';
import { analyzeForEditor, type EditorAnalysis } from '../../../src/core/editor/documentAnalysis';
import { modelDependencies, type KeptReaches } from '../../../src/core/analysis/dependencies';

const PATH = '/ws/models.py';
const HEADER = 'import torch\nimport torch.nn as nn\n\n';

const TWO_MODELS = `${HEADER}class A(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 8)

    def forward(self, x):
        return self.fc(x)


class B(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 5)

    def forward(self, x):
        return self.fc(x)
`;

type Analyzer = ReturnType<typeof createAnalyzer>;

function summary(analyzer: Analyzer, text: string, model: string, inputs: string[], files: Record<string, string> = {}): ModelSummary {
  const s = analyzer.summarizeModel({ path: PATH, text, model, inputs, readFile: (p) => files[p], reuse: true });
  if ('error' in s) throw new Error(s.error);
  return s;
}

/** The editor's whole answer, without its timing. */
function editorAnswer(analyzer: Analyzer, text: string, files: Record<string, string> = {}): Omit<EditorAnalysis, 'elapsedMs'> {
  const { elapsedMs: _elapsed, ...rest } = analyzeForEditor(analyzer, parseDocument(text).module, { path: PATH, text, readFile: (p) => files[p], checks: { disabled: [] } });
  return rest;
}

describe('an edit inside one model', () => {
  it("leaves the other model's result identical to a fresh analysis and changes the edited one's", () => {
    const analyzer = createAnalyzer();
    const a1 = summary(analyzer, TWO_MODELS, 'A()', ['2,4']);
    const b1 = summary(analyzer, TWO_MODELS, 'B()', ['2,3']);
    expect(a1.params).toBe(4 * 8 + 8);
    expect(b1.params).toBe(3 * 5 + 5);

    const edited = TWO_MODELS.replace('nn.Linear(4, 8)', 'nn.Linear(4, 16)');
    const a2 = summary(analyzer, edited, 'A()', ['2,4']);
    const b2 = summary(analyzer, edited, 'B()', ['2,3']);
    // A ran again on the new text; B's result was reused, and equals a fresh analysis of the new text.
    expect(a2.params).toBe(4 * 16 + 16);
    expect(a2.output).toEqual([2, 16]);
    expect(b2).toBe(b1);
    expect(b2).toEqual(summary(createAnalyzer(), edited, 'B()', ['2,3']));
    expect(a2).toEqual(summary(createAnalyzer(), edited, 'A()', ['2,4']));
  });

  it('serves a request that leaves the dtype out (float, the default) with the result of one that names it', () => {
    // The editor names dtype 'float' for a model's own run; CC-40/42 ask for the same model without one and
    // ran every such model a second time on a file's first view.
    const analyzer = createAnalyzer();
    const named = analyzer.summarizeModel({ path: PATH, text: TWO_MODELS, model: 'A()', inputs: ['2,4'], dtype: 'float', readFile: () => undefined, reuse: true });
    const implicit = analyzer.summarizeModel({ path: PATH, text: TWO_MODELS, model: 'A()', inputs: ['2,4'], readFile: () => undefined, reuse: true });
    expect(implicit).toBe(named);
    expect((implicit as ModelSummary).params).toBe(4 * 8 + 8);
    // A long input is another request.
    const long = analyzer.summarizeModel({ path: PATH, text: TWO_MODELS, model: 'A()', inputs: ['2,4'], dtype: 'long', readFile: () => undefined, reuse: true });
    expect(long).not.toBe(named);
  });

  it("answers the checks' shape question with the model pass's run of the same model (one run per first view)", () => {
    // CC-40 asks for the summary of a class that flattens into a Linear on its known input (its input comment):
    // the model the editor's model pass has just run with that input. Conv2d(1, 8, 5) on 28x28 gives 24x24, so the
    // flattened input has 8 * 24 * 24 = 4,608 features, not the 8 * 28 * 28 = 6,272 the Linear was built for.
    const text = `${HEADER}# ml-notes: input=[2, 1, 28, 28]
class Mnist(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 5)
        self.fc = nn.Linear(8 * 28 * 28, 10)

    def forward(self, x):
        x = torch.relu(self.conv(x))
        return self.fc(x.view(x.size(0), -1))
`;
    const analyzer = createAnalyzer();
    const answer = editorAnswer(analyzer, text);
    expect(answer.findings.filter((f) => f.rule === 'CC-40').map((f) => [f.range.start.line, /entering this Linear are (\d+)/.exec(f.message)?.[1]])).toEqual([[8, String(8 * 24 * 24)]]);
    // The model pass ran Mnist() once; the checks' question was answered with that run, not a second one.
    expect({ runs: analyzer.counts.modelRuns, reused: analyzer.counts.modelsReused }).toEqual({ runs: 1, reused: 1 });
  });

  it("gives the editor's whole answer a fresh analyzer gives", () => {
    const analyzer = createAnalyzer();
    editorAnswer(analyzer, TWO_MODELS);
    const edited = TWO_MODELS.replace('nn.Linear(3, 5)', 'nn.Linear(3, 7)');
    const warm = editorAnswer(analyzer, edited);
    expect(warm).toEqual(editorAnswer(createAnalyzer(), edited));
    expect(warm.models.find((m) => m.className === 'B')?.params).toBe(3 * 7 + 7);
    expect(warm.models.find((m) => m.className === 'A')?.params).toBe(4 * 8 + 8);
  });

  it('on the bundled examples (three files in one), edit after edit', () => {
    const examples = ['resnet.py', 'transformer.py', 'unet.py'].map((f) => readFileSync(join(__dirname, '../../../examples', f), 'utf8').replace(/^if __name__ == "__main__":[\s\S]*$/m, ''));
    let text = examples.join('\n\n');
    const analyzer = createAnalyzer();
    editorAnswer(analyzer, text);
    // The ResNet stem's kernel, the GPT config's width (read by every GPT class), the UNet's first block.
    for (const [from, to] of [['kernel_size=7, stride=2, padding=3', 'kernel_size=5, stride=2, padding=2'], ['n_embd: int = 128', 'n_embd: int = 64'], ['self.inc = DoubleConv(n_channels, base)', 'self.inc = DoubleConv(n_channels, base * 2)']] as const) {
      expect(text).toContain(from);
      text = text.replace(from, to);
      expect(editorAnswer(analyzer, text)).toEqual(editorAnswer(createAnalyzer(), text));
    }
  });
});

describe('what a model depends on', () => {
  it('a module-level constant it reads, so editing it runs the model again', () => {
    const text = `${HEADER}WIDTH = 6\n\n${TWO_MODELS.slice(HEADER.length).replace('nn.Linear(3, 5)', 'nn.Linear(3, WIDTH)')}`;
    const analyzer = createAnalyzer();
    expect(summary(analyzer, text, 'B()', ['1,3']).params).toBe(3 * 6 + 6);
    expect(summary(analyzer, text.replace('WIDTH = 6', 'WIDTH = 9'), 'B()', ['1,3']).params).toBe(3 * 9 + 9);
  });

  it('a class another statement changes through a decorator with effects: every such statement stays a dependency', () => {
    const text = `${HEADER}SIZES = {}\n\ndef register(n):\n    def wrap(cls):\n        SIZES[cls.__name__] = n\n        return cls\n    return wrap\n\n@register(5)\nclass Other:\n    pass\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(2, SIZES['Other'])\n\n    def forward(self, x):\n        return self.fc(x)\n`;
    const analyzer = createAnalyzer();
    expect(summary(analyzer, text, 'Net()', ['1,2']).params).toBe(2 * 5 + 5);
    const edited = text.replace('@register(5)', '@register(7)');
    expect(summary(analyzer, edited, 'Net()', ['1,2']).params).toBe(2 * 7 + 7);
  });

  it('the imported files it read: a changed import runs it again', () => {
    const text = `${HEADER}from blocks import WIDTH\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(2, WIDTH)\n\n    def forward(self, x):\n        return self.fc(x)\n`;
    const analyzer = createAnalyzer();
    expect(summary(analyzer, text, 'Net()', ['1,2'], { '/ws/blocks.py': 'WIDTH = 3\n' }).params).toBe(2 * 3 + 3);
    expect(summary(analyzer, text, 'Net()', ['1,2'], { '/ws/blocks.py': 'WIDTH = 4\n' }).params).toBe(2 * 4 + 4);
  });

  it('everything, in a file that reaches its globals by name', () => {
    const text = `${HEADER}class A(nn.Module):\n    pass\n\nclass B(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.inner = globals()['A']()\n`;
    const module = parseDocument(text).module;
    expect(modelDependencies(module, text, 'B()').statements.length).toBe(module.body.length);
    // Without it, B does not depend on A.
    const plain = text.replace("globals()['A']()", 'nn.Identity()');
    expect(modelDependencies(parseDocument(plain).module, plain, 'B()').statements.map((s) => s.text.split('\n')[0])).toEqual(['import torch', 'import torch.nn as nn', 'class B(nn.Module):']);
  });

  it("takes what a model's names reached again while the definitions and the names they read are the same, and only then", () => {
    const kept: KeptReaches = {};
    const firstLines = (text: string): string[] => modelDependencies(parseDocument(text).module, text, 'B()', kept).statements.map((s) => s.text.split('\n')[0]!);
    const fresh = (text: string): string[] => modelDependencies(parseDocument(text).module, text, 'B()').statements.map((s) => s.text.split('\n')[0]!);
    const text = TWO_MODELS.replace('nn.Linear(3, 5)', 'nn.Linear(3, 5) if A else None');
    expect(firstLines(text)).toEqual(['import torch', 'import torch.nn as nn', 'class A(nn.Module):', 'class B(nn.Module):']);
    const reached = kept.reaches!.byExpression.get('B()');
    // A number and an attribute's name changed inside B: B still names A, and the same statements are taken again.
    const edited = text.replace('nn.Linear(3, 5)', 'nn.Linear(3, 6)').replaceAll('self.fc = nn.Linear(3, 6)', 'self.out = nn.Linear(3, 6)');
    expect(firstLines(edited)).toEqual(fresh(edited));
    expect(kept.reaches!.byExpression.get('B()')).toBe(reached);
    // B no longer names A: reached again, without A.
    const apart = edited.replace(' if A else None', '');
    expect(firstLines(apart)).toEqual(['import torch', 'import torch.nn as nn', 'class B(nn.Module):']);
    expect(firstLines(apart)).toEqual(fresh(apart));
    // A becomes module-level code (no longer a definition B can leave out): every model depends on it.
    const ran = `${apart}\nA = print('A')\n`;
    expect(firstLines(ran)).toEqual(fresh(ran));
  });

  it('a result the deadline cut short is computed again: with more time it could differ', () => {
    const analyzer = createAnalyzer();
    const late = { path: PATH, text: TWO_MODELS, model: 'A()', inputs: ['2,4'], budget: { deadline: Date.now() - 1 }, reuse: true };
    const first = analyzer.summarizeModel(late);
    expect('error' in first && first.error).toMatch(/time budget exceeded/);
    analyzer.summarizeModel(late);
    expect(analyzer.counts).toMatchObject({ modelRuns: 2, modelsReused: 0 });
    const full = summary(analyzer, TWO_MODELS, 'A()', ['2,4']);
    expect(full.params).toBe(4 * 8 + 8);
  });

  it('a result the step budget cut short is kept for the same budget: the same statements spend it at the same point', () => {
    const analyzer = createAnalyzer();
    const budget = { steps: 5 };
    const tight = analyzer.summarizeModel({ path: PATH, text: TWO_MODELS, model: 'A()', inputs: ['2,4'], budget, reuse: true });
    expect('error' in tight && tight.error).toMatch(/step budget of 5 exceeded/);
    // An edit in B, which A does not reach: A's run would stop where it stopped, as a fresh analyzer's does.
    const edited = TWO_MODELS.replace('nn.Linear(3, 5)', 'nn.Linear(3, 6)');
    const again = analyzer.summarizeModel({ path: PATH, text: edited, model: 'A()', inputs: ['2,4'], budget, reuse: true });
    expect(analyzer.counts).toMatchObject({ modelRuns: 1, modelsReused: 1 });
    expect(again).toEqual(createAnalyzer().summarizeModel({ path: PATH, text: edited, model: 'A()', inputs: ['2,4'], budget, reuse: true }));
    // Another budget is another request: run again, whole.
    const full = summary(analyzer, edited, 'A()', ['2,4']);
    expect(full.params).toBe(4 * 8 + 8);
    expect(analyzer.counts.modelRuns).toBe(2);
  });

  it('runs only the statements it depends on: definitions nothing reaches cost it no steps', () => {
    // 2,000 classes A never names: evaluating them takes more steps than the budget allows, A's own run does not.
    const unrelated = Array.from({ length: 2000 }, (_, i) => `class Unused${i}:\n    pass\n`).join('\n');
    const text = `${TWO_MODELS}\n${unrelated}`;
    const budget = { steps: 3000 };
    const whole = createAnalyzer().summarizeModel({ path: PATH, text, model: 'A()', inputs: ['2,4'], budget });
    expect('error' in whole && whole.error).toMatch(/step budget of 3000 exceeded/);
    const own = createAnalyzer().summarizeModel({ path: PATH, text, model: 'A()', inputs: ['2,4'], budget, reuse: true });
    expect('error' in own ? own.error : own.params).toBe(4 * 8 + 8);
  });
});

describe("a model built by the file's own call of its class (sampleOf)", () => {
  // Net needs a constructor argument: the editor builds it from main()'s call, which nothing else calls.
  const SAMPLED = `${HEADER}class Net(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.fc = nn.Linear(4, width)

    def forward(self, x):
        return self.fc(x)


class Other(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 5)


def main():
    net = Net(8)
    net(torch.randn(2, 4))
`;
  const sampled = (analyzer: Analyzer, text: string): ModelSummary => {
    const s = analyzer.summarizeModel({ path: PATH, text, sampleOf: 'Net', reuse: true });
    if ('error' in s) throw new Error(s.error);
    return s;
  };

  it('is reused after an edit elsewhere, and runs again when its class or the function holding its call changes', () => {
    const analyzer = createAnalyzer();
    // Linear(4, 8): 4*8 + 8 parameters, output [2, 8] for the sample's [2, 4].
    expect(sampled(analyzer, SAMPLED)).toMatchObject({ params: 4 * 8 + 8, output: [2, 8] });
    const edits = [
      { text: SAMPLED.replace('nn.Linear(3, 5)', 'nn.Linear(3, 6)'), runs: 0, params: 4 * 8 + 8, output: [2, 8] },
      { text: SAMPLED.replace('net = Net(8)', 'net = Net(16)'), runs: 1, params: 4 * 16 + 16, output: [2, 16] },
      { text: SAMPLED.replace('torch.randn(2, 4)', 'torch.randn(3, 4)'), runs: 1, params: 4 * 8 + 8, output: [3, 8] },
      { text: SAMPLED.replace('nn.Linear(4, width)', 'nn.Linear(4, width * 2)'), runs: 1, params: 4 * 16 + 16, output: [2, 16] },
    ];
    for (const edit of edits) {
      const before = analyzer.counts.modelRuns;
      const warm = sampled(analyzer, edit.text);
      expect(analyzer.counts.modelRuns - before).toBe(edit.runs);
      expect(warm).toMatchObject({ params: edit.params, output: edit.output });
      expect(warm).toEqual(sampled(createAnalyzer(), edit.text));
    }
  });
});

describe('a model whose run never called a function it depends on', () => {
  // timm's pattern: block classes reach the model only through factories (`block_fn=ResPostBlock`), and a sample
  // search runs every factory. ResPostBlock's sample is check_block()'s call; ParallelBlock is only ever built.
  const FACTORIES = `${HEADER}class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, x):
        return self.fc(x)


class ResPostBlock(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)

    def init_weights(self):
        nn.init.zeros_(self.fc.bias)

    def forward(self, x):
        return self.norm(self.fc(x))


class ParallelBlock(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, x):
        return x + self.fc(x)


class Net(nn.Module):
    def __init__(self, dim=8, depth=2, block_fn=Block):
        super().__init__()
        self.blocks = nn.Sequential(*[block_fn(dim) for _ in range(depth)])
        self.head = nn.Linear(dim, 3)

    def forward(self, x):
        return self.head(self.blocks(x))


def _create_net(variant, **kwargs):
    return Net(**kwargs)


def net_small(pretrained=False, **kwargs):
    return _create_net('net_small', dim=8, **kwargs)


def net_parallel(pretrained=False, **kwargs):
    return _create_net('net_parallel', dim=16, block_fn=ParallelBlock, **kwargs)


def check_block():
    block = ResPostBlock(16)
    block(torch.randn(2, 5, 16))
`;
  const sampleOf = (analyzer: Analyzer, text: string, className: string): ModelSummary | { error: string } => analyzer.summarizeModel({ path: PATH, text, sampleOf: className, reuse: true });

  it("finds a block's call in the function that names it, and runs its search again only when a body the search ran changes", () => {
    const analyzer = createAnalyzer();
    // Linear(16, 16): 16*16 + 16 parameters, LayerNorm(16): 16 + 16; on the sample's [2, 5, 16] the output keeps its shape.
    expect(sampleOf(analyzer, FACTORIES, 'ResPostBlock')).toMatchObject({ params: 16 * 16 + 16 + 2 * 16, output: [2, 5, 16] });
    const edits = [
      // Bodies the search never ran: Block's forward (no factory calls its model) and an uncalled method.
      { text: FACTORIES.replace('return self.fc(x)', 'return self.fc(x) * 2'), runs: 0, output: [2, 5, 16] },
      { text: FACTORIES.replace('nn.init.zeros_(self.fc.bias)', 'nn.init.ones_(self.fc.bias)'), runs: 0, output: [2, 5, 16] },
      // check_block() names the class, so the search runs it first and never runs the factories before it.
      { text: FACTORIES.replace("'net_small', dim=8", "'net_small', dim=12"), runs: 0, output: [2, 5, 16] },
      // Bodies it ran: the function with the call, and the block's forward (summing the last axis of [2, 5, 16] leaves [2, 5]).
      { text: FACTORIES.replace('torch.randn(2, 5, 16)', 'torch.randn(3, 5, 16)'), runs: 1, output: [3, 5, 16] },
      { text: FACTORIES.replace('return self.norm(self.fc(x))', 'return self.norm(self.fc(x)).sum(-1)'), runs: 1, output: [2, 5] },
    ];
    for (const edit of edits) {
      sampleOf(analyzer, FACTORIES, 'ResPostBlock');
      const before = analyzer.counts.modelRuns;
      const warm = sampleOf(analyzer, edit.text, 'ResPostBlock');
      expect(analyzer.counts.modelRuns - before).toBe(edit.runs);
      expect(warm).toMatchObject({ params: 16 * 16 + 16 + 2 * 16, output: edit.output });
      expect(warm).toEqual(sampleOf(createAnalyzer(), edit.text, 'ResPostBlock'));
    }
  });

  it('keeps a search that found no call after an edit in a body it never ran', () => {
    const analyzer = createAnalyzer();
    const failed = sampleOf(analyzer, FACTORIES, 'ParallelBlock');
    // net_parallel builds ParallelBlocks but calls none: no call, and the class needs `dim`.
    expect(failed).toEqual({ error: expect.stringMatching(/^no call of a model in the file and ParallelBlock needs: dim/) });
    const before = analyzer.counts.modelRuns;
    const edited = FACTORIES.replace('return x + self.fc(x)', 'return x - self.fc(x)');
    expect(sampleOf(analyzer, edited, 'ParallelBlock')).toEqual(failed);
    expect(analyzer.counts.modelRuns).toBe(before);
    // Its factory ran in the search: an edit there searches again.
    sampleOf(analyzer, edited.replace("'net_parallel', dim=16", "'net_parallel', dim=24"), 'ParallelBlock');
    expect(analyzer.counts.modelRuns).toBe(before + 1);
  });
});

describe("the search for a class's call", () => {
  // Four functions that each count to 20,000 (over 40,000 steps in all), then one that calls Net through a helper
  // without naming it: the search starts no function after SAMPLE_SEARCH_STEPS, so it reaches late() only when the
  // functions before it are light.
  const searched = (count: number): string => `${HEADER}class Net(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.fc = nn.Linear(4, width)

    def forward(self, x):
        return self.fc(x)


${[1, 2, 3, 4].map((i) => `def busy${i}():\n    n = 0\n    for _ in range(${count}):\n        n += 1\n    return n\n`).join('\n\n')}

def helper():
    return Net(8)


def late():
    model = helper()
    model(torch.randn(2, 4))
`;
  const sampleOf = (text: string): ModelSummary | { error: string } => createAnalyzer().summarizeModel({ path: PATH, text, sampleOf: 'Net' });

  it('stops starting functions once they have taken its steps', () => {
    // Linear(4, 8) on the sample's [2, 4]: [2, 8], 4*8 + 8 parameters.
    expect(sampleOf(searched(10))).toMatchObject({ params: 4 * 8 + 8, output: [2, 8] });
    expect(sampleOf(searched(20_000))).toEqual({ error: expect.stringMatching(/^no call of a model in the file and Net needs: width/) });
  });
});
