// Where the summary gets its model and inputs: the file's own call of a model that needs constructor
// arguments (module level, `__main__` block, main()/test()), what `--model Net` says when Net needs
// arguments, and inputs with a dtype each, by keyword and None. Numbers are worked out by hand.
import { describe, expect, it } from 'vitest';
import { HEADER, outputs, summary } from '../interp/helpers';
import { runSummary } from '../../../src/cli/commands/summary';
import type { CliIo } from '../../../src/cli/types';
import { createAnalyzer, parseDocument, parseInputSpec, summarizeModel } from '../../../src/core/index';
import { analyzeForEditor } from '../../../src/core/editor/documentAnalysis';

const CONFIGURED = `${HEADER}
class Config:
    def __init__(self, width=8, classes=3):
        self.width = width
        self.classes = classes

class Net(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        self.conv = nn.Conv2d(3, cfg.width, 3, padding=1)
        self.fc = nn.Linear(cfg.width, cfg.classes)

    def forward(self, x):
        return self.fc(self.conv(x).mean((2, 3)))
`;

describe('the file’s own call of a model', () => {
  it('is found at module level: constructor arguments and inputs come from it', () => {
    const s = summary(`${CONFIGURED}
cfg = Config(width=4)
model = Net(cfg)
out = model(torch.randn(16, 3, 8, 8))
`);
    expect(s.model).toBe('Net(cfg)');
    expect(s.input).toEqual([[16, 3, 8, 8]]);
    expect(outputs(s)).toEqual([['conv', [16, 4, 8, 8]], ['fc', [16, 3]]]);
    // conv 4·3·9 + 4 = 112; fc 4·3 + 3 = 15.
    expect(s.params).toBe(127);
  });

  it('is found under if __name__ == "__main__": and in a function without arguments', () => {
    const main = summary(`${CONFIGURED}
if __name__ == "__main__":
    net = Net(Config(classes=5))
    x = torch.zeros(2, 3, 16, 16)
    print(net(x).shape)
`);
    expect(main.model).toBe('Net(Config(classes=5))');
    expect(outputs(main)).toEqual([['conv', [2, 8, 16, 16]], ['fc', [2, 5]]]);
    const test = summary(`${CONFIGURED}
def test():
    net = Net(Config())
    y = net(torch.randn(1, 3, 32, 32))
    print(y.size())
`);
    expect(outputs(test)).toEqual([['conv', [1, 8, 32, 32]], ['fc', [1, 3]]]);
  });

  it('passes keyword, None and integer inputs as the call did', () => {
    const s = summary(`${HEADER}
class Tagger(nn.Module):
    def __init__(self, vocab, dim):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.out = nn.Linear(dim, 4)

    def forward(self, tokens, lengths=None, mask=None):
        h = self.emb(tokens)
        if mask is not None:
            h = h * mask.unsqueeze(-1)
        return self.out(h)

def main():
    model = Tagger(100, 8)
    tokens = torch.randint(0, 100, (2, 7))
    model(tokens, lengths=None, mask=None)

if __name__ == '__main__':
    main()
`);
    expect(s.model).toBe('Tagger(100, 8)');
    expect(s.call).toBe('model([2, 7]:int64, lengths=None, mask=None)');
    expect(outputs(s)).toEqual([['emb', [2, 7, 8]], ['out', [2, 7, 4]]]);
  });

  it('is found from the editor for a class that needs constructor arguments', () => {
    const text = `${CONFIGURED}
model = Net(Config(width=6))
model(torch.randn(1, 3, 8, 8))
`;
    const analysis = analyzeForEditor(createAnalyzer(), parseDocument(text).module, { path: '/w/net.py', text });
    const net = analysis.models.find((m) => m.className === 'Net');
    expect(net).toMatchObject({ expression: 'Net(Config(width=6))', ranOn: [[1, 3, 8, 8]], output: [1, 3] });
    // conv 6·3·9 + 6 = 168; fc 6·3 + 3 = 21.
    expect(net?.params).toBe(189);
  });
});

describe('a class that needs constructor arguments', () => {
  const io = (text: string): CliIo => ({ cwd: '/ws', readFile: (p) => (p === '/ws/net.py' ? text : undefined), listPythonFiles: () => [], isDirectory: () => false });

  it('is named by --model and the message says what it needs and a call to write', () => {
    const r = runSummary(['net.py', '--model', 'Net'], io(CONFIGURED));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("ml-notes: Net needs: cfg; try --model 'Net(Config())'\n");
    const built = runSummary(['net.py', '--model', 'Net(Config())', '--input', '1,3,4,4', '--json'], io(CONFIGURED));
    expect(JSON.parse(built.stdout).output).toEqual([1, 3]);
  });

  it('without --model and without a call in the file, gets the same advice', () => {
    const r = runSummary(['net.py'], io(CONFIGURED));
    expect(r.stderr).toContain("Net needs: cfg; try --model 'Net(Config())'");
  });
});

describe('inputs', () => {
  const TWO = `${HEADER}
class Speech(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(1, 4, 400, stride=160)
        self.head = nn.Linear(4, 2)

    def forward(self, wave, lengths, mask=None):
        h = self.conv(wave.unsqueeze(1)).mean(-1)
        if mask is not None:
            h = h * mask
        return self.head(h), lengths // 160
`;

  it('reads a dtype per input, keywords and None', () => {
    expect(parseInputSpec('2,16000')).toEqual({ kind: 'tensor', shape: [2, 16000] });
    expect(parseInputSpec('2:long')).toEqual({ kind: 'tensor', shape: [2], dtype: 'int64' });
    expect(parseInputSpec('mask=None')).toEqual({ kind: 'none', name: 'mask' });
    expect(parseInputSpec('lengths=2:int32')).toEqual({ kind: 'tensor', shape: [2], dtype: 'int32', name: 'lengths' });
    expect(parseInputSpec('2:unknowntype')).toBeUndefined();
    const s = summary(TWO, { inputs: ['2,16000', '2:long', 'mask=None'] });
    // Conv1d(1, 4, 400, stride 160) on 16000 samples: (16000 - 400) / 160 + 1 = 98.5 -> 98.
    expect(outputs(s)).toEqual([['conv', [2, 4, 98]], ['head', [2, 2]]]);
    expect(s.output).toEqual([[2, 2], [2]]);
    expect(s.call).toBe('model([2, 16000], [2]:int64, mask=None)');
  });

  it('runs a --call expression with the inputs bound to x0, x1', () => {
    const r = summarizeModel({ path: '/ws/s.py', text: TWO, inputs: ['2,16000', '2:long'], call: 'model(x0, lengths=x1, mask=None)' });
    if ('error' in r) throw new Error(r.error);
    expect(r.calls.map((c) => c.output)).toEqual([[2, 4, 98], [2, 2]]);
    expect(r.call).toBe('model(x0, lengths=x1, mask=None)');
  });
});
