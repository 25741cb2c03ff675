// Init per module, receptive field and the CLI's JSON/table, with hand-worked expectations.
import { describe, expect, it } from 'vitest';
import { HEADER, summary } from '../interp/helpers';
import { runSummary } from '../../../src/cli/commands/summary';
import type { CliIo } from '../../../src/cli/types';
import { createAnalyzer, parseDocument, summarizeModel } from '../../../src/core/index';
import { analyzeForEditor } from '../../../src/core/editor/documentAnalysis';

const NET = `${HEADER}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3)
        self.conv2 = nn.Conv2d(4, 4, 3, stride=2, padding=1, bias=False)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(4 * 2 * 2, 10)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')
        self.fc.bias.data.zero_()

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = self.pool(self.conv2(x))
        return self.fc(torch.flatten(x, 1))
`;

describe('init per module', () => {
  const s = summary(NET, { inputs: ['1,1,9,9'] });
  const init = (path: string, name: string) => s.modules.find((m) => m.path === path)!.inits.find((i) => i.name === name)!;

  it('applies nn.init calls made in a self.modules() loop', () => {
    // conv1 weight [4, 1, 3, 3]: fan_out = 4·9 = 36; kaiming_normal relu: std = √2/√36, Var = 2/36.
    const w = init('conv1', 'weight');
    expect(w.source).toBe('override');
    expect(w.fanIn).toBe(9);
    expect(w.fanOut).toBe(36);
    expect(w.variance).toBeCloseTo(2 / 36, 12);
    // conv2 weight [4, 4, 3, 3]: fan_out = 36 as well.
    expect(init('conv2', 'weight').variance).toBeCloseTo(2 / 36, 12);
  });

  it('keeps PyTorch defaults elsewhere and sees .data.zero_()', () => {
    // Linear default kaiming_uniform(a=√5): Var = gain²/fan_in = (2/(1+5))/16 = 1/48.
    const w = init('fc', 'weight');
    expect(w.source).toBe('default');
    expect(w.variance).toBeCloseTo(1 / 48, 12);
    expect(init('fc', 'bias')).toMatchObject({ source: 'override', variance: 0 });
  });
});

describe('receptive field', () => {
  it('tracks size, jump and start through convs and pooling', () => {
    const s = summary(NET, { inputs: ['1,1,9,9'] });
    // conv1 k3 s1 p0: r = 3, j = 1, start = 0.5 + (1 - 0)·1 = 1.5.
    const r = (n: number, d = 1) => ({ n, d });
    expect(s.calls[0]!.rf).toEqual({ size: [3, 3], minSize: [3, 3], jump: [r(1), r(1)], start: [r(3, 2), r(3, 2)], exact: true });
    // conv2 k3 s2 p1: r = 3 + 2·1 = 5, j = 2, start = 1.5 + (1 - 1)·1 = 1.5.
    expect(s.calls[1]!.rf).toEqual({ size: [5, 5], minSize: [5, 5], jump: [r(2), r(2)], start: [r(3, 2), r(3, 2)], exact: true });
    // pool k2 s2: r = 5 + 1·2 = 7, j = 4, start = 1.5 + 0.5·2 = 2.5.
    expect(s.calls[2]!.rf).toEqual({ size: [7, 7], minSize: [7, 7], jump: [r(4), r(4)], start: [r(5, 2), r(5, 2)], exact: true });
    // Linear after flatten has no spatial axes.
    expect(s.calls[3]!.rf).toBeNull();
  });

  it('unites the fields of branches that meet: a 5×5 and a 1×1 branch with the same centre give 5×5, exactly', () => {
    const s = summary(`${HEADER}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.big = nn.Conv2d(1, 1, 5, padding=2)
        self.small = nn.Conv2d(1, 1, 1)
        self.after = nn.ReLU()
    def forward(self, x):
        return self.after(self.big(x) + self.small(x))
`, { inputs: ['1,1,8,8'] });
    // big reads rows −2…2 of each unit, small row 0: the sum reads −2…2 (centre ½), as PyTorch's gradient shows.
    expect(s.calls[2]!.rf).toMatchObject({ size: [5, 5], minSize: [5, 5], start: [{ n: 1, d: 2 }, { n: 1, d: 2 }], exact: true });
  });
});

describe('ml-notes summary', () => {
  const files: Record<string, string> = { '/ws/net.py': NET, '/ws/bad.py': `${HEADER}\nclass Bad(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(3, 2)\n    def forward(self, x):\n        return self.fc(x)\n` };
  const io: CliIo = { cwd: '/ws', readFile: (p) => files[p], listPythonFiles: () => [], isDirectory: () => false };

  it('prints the JSON schema of the issue', () => {
    const r = runSummary(['net.py', '--input', '1,1,9,9', '--json'], io);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['model', 'input', 'output', 'params', 'trainable_params', 'macs', 'calls', 'unknown']));
    expect(json.model).toBe('Net()');
    expect(json.input).toEqual([[1, 1, 9, 9]]);
    expect(json.output).toEqual([1, 10]);
    // conv1 4·9 + 4 = 40, conv2 4·4·9 = 144, fc 16·10 + 10 = 170: 354.
    expect(json.params).toBe(354);
    // conv1 out 7x7: 49·4·1·9 = 1764; conv2 out 4x4: 16·4·4·9 = 2304; fc 10·16 = 160: 4228.
    expect(json.macs).toBe(4228);
    // Line 18: three import lines, a blank line, then `class Net` on 5 ... `x = F.relu(self.conv1(x))` on 18.
    expect(json.calls[0]).toMatchObject({ path: 'conv1', type: 'Conv2d', line: 18, input: [[1, 1, 9, 9]], output: [1, 4, 7, 7], params: 40, macs: 1764 });
  });

  it('prints a table with totals', () => {
    const r = runSummary(['net.py', '--input', '1,1,9,9'], io);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Total params: 354');
    expect(r.stdout).toMatch(/conv2\s+Conv2d\s+\[1, 4, 4, 4\]\s+144\s+2,304/);
  });

  it('exits 1 when a layer would raise, and 2 on bad usage or unreadable files', () => {
    expect(runSummary(['bad.py', '--input', '1,4'], io).code).toBe(1);
    expect(runSummary(['missing.py'], io)).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read') });
    expect(runSummary(['net.py', '--dtype', 'int8'], io).code).toBe(2);
    expect(runSummary(['net.py', '--input', '1,3,x-1'], io).code).toBe(2);
    expect(runSummary([], io).code).toBe(2);
  });
});

describe('inputs, assignments and composites', () => {
  it('reads the input shape from an ml-notes comment and records tensor assignments in forward', () => {
    const s = summary(`${HEADER}# ml-notes: input=[2, 3, 8, 8]
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 5, 3)
    def forward(self, x):
        y = self.conv(x)
        z = y.flatten(1)
        return z
`);
    expect(s.input).toEqual([[2, 3, 8, 8]]);
    // 8 - 3 + 1 = 6; flatten(1) of [2, 5, 6, 6] is [2, 180].
    expect(s.assignments.map((a) => [a.target, a.shape])).toEqual([['y', [2, 5, 6, 6]], ['z', [2, 180]]]);
  });

  it('runs TransformerEncoderLayer with the sub-module calls of PyTorch 1.13 (norm_first=False)', () => {
    const s = summary(`${HEADER}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, batch_first=True)
    def forward(self, x):
        return self.enc(x)
`, { inputs: ['2,5,8'] });
    // Order of forward(): _sa_block (self_attn, dropout1), norm1, _ff_block (linear1, activation = F.relu,
    // dropout, linear2, dropout2), norm2 — F.relu is a function, not a module call.
    expect(s.calls.map((c) => c.path)).toEqual(['enc.self_attn', 'enc.dropout1', 'enc.norm1', 'enc.linear1', 'enc.dropout', 'enc.linear2', 'enc.dropout2', 'enc.norm2']);
    expect(s.output).toEqual([2, 5, 8]);
    // self_attn: in_proj 3·8·8 + 24 = 216, out_proj 8·8 + 8 = 72; linear1 8·16 + 16 = 144; linear2 16·8 + 8 = 136;
    // two LayerNorms 2·16 = 32: 600.
    expect(s.params).toBe(600);
  });
});

describe('createAnalyzer', () => {
  it('gives after an edit what a fresh analysis gives, reusing a parse the caller passes in', () => {
    const analyzer = createAnalyzer();
    const edited = NET.replace('nn.Linear(4 * 2 * 2, 10)', 'nn.Linear(4 * 2 * 2, 12)');
    analyzer.analyzeFile({ path: '/ws/net.py', text: NET });
    const incremental = analyzer.summarizeModel({ path: '/ws/net.py', text: edited, inputs: ['1,1,9,9'] });
    const fresh = summarizeModel({ path: '/ws/net.py', text: edited, inputs: ['1,1,9,9'] });
    expect(incremental).toEqual(fresh);
    // fc is now 16·12 + 12 = 204 parameters.
    expect('error' in incremental ? undefined : incremental.calls[3]!.params).toBe(204);
    const parsed = parseDocument(edited);
    const classes = analyzer.analyzeFile({ path: '/ws/net.py', text: edited, parsed }).classes;
    expect(classes.map((c) => [c.name, c.isModule, c.constructibleWithoutArgs])).toEqual([['Net', true, true]]);
  });
});

describe('MACs of every op', () => {
  const ATTENTION = `${HEADER}
class Block(nn.Module):
    def __init__(self, gated):
        super().__init__()
        self.qkv = nn.Linear(8, 24)
        self.gated = gated
        self.gate = nn.Parameter(torch.ones(8, 8))

    def forward(self, x):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        att = (q @ k.transpose(-2, -1)).softmax(-1)
        y = att @ v
        if self.gated:
            y = y @ self.gate
        return y

class Net(nn.Module):
    def __init__(self, gated=False):
        super().__init__()
        self.block = Block(gated)

    def forward(self, x):
        return self.block(x)
`;

  it('adds functional products to the module calls, each at its line and module', () => {
    const s = summary(ATTENTION, { model: 'Net()', inputs: ['2,5,8'] });
    // Lines: `class Block` on 5 (after the header's imports and a blank line), q @ kᵀ on 14, att @ v on 15, the gate on 17.
    // qkv: 2·5 rows · 8 · 24 = 1920 (module call); q @ kᵀ: 2·5·5·8 = 400; att @ v: 2·5·5·8 = 400.
    expect(s.macs_modules).toBe(1920);
    expect(s.macs).toBe(1920 + 400 + 400);
    expect(s.macs_unknown).toBeUndefined();
    expect(s.ops.filter((o) => o.macs !== 0).map((o) => [o.name, o.callRange.start.line + 1, o.module, o.macs])).toEqual([
      ['Tensor.__matmul__', 14, 'block', 400],
      ['Tensor.__matmul__', 15, 'block', 400],
    ]);
    expect(s.macs_convention).toBe('1 MAC = one multiply-add; FLOPs = 2·MACs');
  });

  it('leaves out, and names, an op that runs only under a condition it cannot decide', () => {
    const s = summary(ATTENTION.replace('Block(gated)', 'Block(torch.rand(1).item() > 0.5)'), { model: 'Net()', inputs: ['2,5,8'] });
    // y @ gate: 2·5 rows · 8 · 8 = 640, counted only if the gate runs.
    expect(s.macs).toBe(1920 + 400 + 400);
    expect(s.macs_unknown).toEqual([{ path: 'block line 17 Tensor.__matmul__', reason: expect.stringMatching(/^runs only if /) }]);
    expect(s.ops.find((o) => o.callRange.start.line + 1 === 17)?.macs).toBe(640);
  });
});

describe('a forward taking more inputs than the analysis has shapes for', () => {
  // Real example: skorch's Advanced_Usage notebook defines forward(self, X0, X1) and calls it through skorch.
  const TWO_INPUTS = `${HEADER}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(20, 10)
        self.b = nn.Linear(5, 10)

    def forward(self, X0, X1):
        return self.a(X0) + self.b(X1)
`;

  it('computes what the known input reaches and leaves the rest unknown, naming the missing input, with no error', () => {
    const s = summary(TWO_INPUTS, { inputs: ['4,20'] });
    expect(s.errors).toEqual([]);
    // a: Linear(20, 10) on [4, 20] gives [4, 10] with 20·10 + 10 = 210 params; b reads the missing input.
    const a = s.calls.find((c) => c.path === 'a')!;
    expect(a.output).toEqual([4, 10]);
    expect(a.params).toBe(210);
    expect(s.calls.find((c) => c.path === 'b')!.output).toBeNull();
    expect(s.output).toBeNull();
    expect(s.unknown.map((u) => u.reason)).toContainEqual(expect.stringContaining("forward's input 'X1'"));
  });

  it('raises no diagnostic in the editor, where the first input is inferred', () => {
    const path = '/ws/two.py';
    const module = parseDocument(TWO_INPUTS).module;
    const analysis = analyzeForEditor(createAnalyzer(), module, { path, text: TWO_INPUTS });
    expect(analysis.diagnostics.map((d) => d.message)).toEqual([]);
  });
});
