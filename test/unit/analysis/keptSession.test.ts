// An analyzer keeps a file's session after its module level (src/core/analysis/keptSession.ts): later summaries of
// the same file run from the state the module level left, and everything a summary changes is put back after it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAnalyzer, summarizeModel } from '../../../src/core';
import { Interpreter } from '../../../src/core/interp/interpreter';

// The model's constructor changes module state of its own file (a list, a dict, a global) and of a module it
// imports on first use (a list, a dict, a class attribute): a run that saw what an earlier run left would build
// a wider layer. On a fresh run: register() -> 1, Config.width 4 -> 8, LAYERS has 2 items, STATE["calls"] 1,
// total 1, COUNTS["built"] 1, so fc = Linear(8 * 1 * 2 * 1 * 1 * 1 = 16, 3): 16 * 3 + 3 = 51 parameters.
const REGISTRY = (width: number): string => `SEEN = []
COUNTS = {"built": 0}

class Config:
    width = ${width}

def register(name):
    SEEN.append(name)
    COUNTS["built"] = COUNTS["built"] + 1
    Config.width = Config.width * 2
    return len(SEEN)
`;

const NET = `import torch.nn as nn
from registry import register, Config, COUNTS

LAYERS = [8]
STATE = {"calls": 0}
total = 0

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        global total
        n = register("net")
        LAYERS.append(16)
        STATE["calls"] += 1
        total += 1
        self.fc = nn.Linear(Config.width * n * len(LAYERS) * STATE["calls"] * total * COUNTS["built"], 3)

    def forward(self, x):
        return self.fc(x)
`;

const files = (registry: string) => (path: string): string | undefined => (path === '/ws/registry.py' ? registry : undefined);

describe("an analyzer's kept session", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('gives the answer of a fresh session every time, though the model changes module state', () => {
    const analyzer = createAnalyzer();
    const req = { path: '/ws/net.py', text: NET, readFile: files(REGISTRY(4)), model: 'Net()', inputs: ['2,16'] };
    const fresh = summarizeModel(req);
    // The session kept, then four runs in it (one with other inputs).
    const runs = [req, req, req, { ...req, inputs: ['5,16'] }, req].map((r) => analyzer.summarizeModel(r));
    for (const run of runs) if ('error' in run) throw new Error(run.error);
    const [first, , , other, last] = runs as Exclude<(typeof runs)[number], { error: string }>[];
    expect(first!.params).toBe(51);
    expect(first!.output).toEqual([2, 3]);
    expect(JSON.stringify(first)).toBe(JSON.stringify(fresh));
    for (const run of runs.slice(1, 3)) expect(JSON.stringify(run)).toBe(JSON.stringify(first));
    expect(JSON.stringify(last)).toBe(JSON.stringify(first));
    expect(other!.params).toBe(51);
    expect(other!.output).toEqual([5, 3]);
  });

  it("runs the file's module level for the first summary only, and the module its model imports on first use once too", () => {
    const exec = vi.spyOn(Interpreter.prototype, 'execModule');
    const analyzer = createAnalyzer();
    const req = { path: '/ws/net.py', text: NET, readFile: files(REGISTRY(4)), model: 'Net()', inputs: ['2,16'] };
    // The first keeps its session, the next three run in it and replay registry.py's load (the first test shows
    // that each gets a fresh session's answer although the constructor changes registry.py's list, dict and class).
    for (let i = 0; i < 4; i++) analyzer.summarizeModel(req);
    const ran = exec.mock.calls.map(([, scope]) => scope.file);
    expect(ran.filter((f) => f === '/ws/net.py')).toHaveLength(1);
    expect(ran.filter((f) => f === '/ws/registry.py')).toHaveLength(1);
  });

  it("replays a load on first use with its diagnostics in their place, and runs it again from another state", () => {
    // helpers.py, loaded when a constructor first calls width(): its unknown import is noted between the unknowns
    // of the constructor before the call and after it. Wide() creates objects before the call: its runs reach the
    // load with other object ids, so they load helpers.py again (and Net's runs after them too).
    const helpers = `import not_a_module_here\nKNOWN = {"w": 4}\n\ndef width(k):\n    KNOWN[k] = KNOWN.get(k, 0) + 4\n    return KNOWN[k]\n`;
    const net = `import torch.nn as nn\nfrom helpers import width\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        a = unknown_before\n        self.fc = nn.Linear(width("w"), 2)\n        b = unknown_after\n\n    def forward(self, x):\n        return self.fc(x)\n\nclass Wide(nn.Module):\n    def __init__(self):\n        super().__init__()\n        extra = [nn.ReLU(), nn.ReLU()]\n        self.fc = nn.Linear(width("v") * 2, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n`;
    const readFile = (path: string): string | undefined => (path === '/ws/helpers.py' ? helpers : undefined);
    const exec = vi.spyOn(Interpreter.prototype, 'execModule');
    const analyzer = createAnalyzer();
    const netReq = { path: '/ws/net.py', text: net, readFile, model: 'Net()', inputs: ['1,8'] };
    const wideReq = { ...netReq, model: 'Wide()' };
    const requests = [netReq, netReq, netReq, wideReq, wideReq, netReq, netReq];
    const kept = requests.map((r) => analyzer.summarizeModel(r));
    const ran = exec.mock.calls.map(([, scope]) => scope.file);
    exec.mockClear();
    const fresh = requests.map((r) => summarizeModel(r));
    expect(kept.map((k) => JSON.stringify(k))).toEqual(fresh.map((f) => JSON.stringify(f)));
    // width("w") = 4 + 4 = 8 each time: Linear(8, 2) = 18 parameters; width("v") * 2 = 8: 18 too.
    expect(kept.map((k) => ('error' in k ? k.error : k.params))).toEqual(requests.map(() => 18));
    const first = kept[0]!;
    if ('error' in first) throw new Error(first.error);
    expect(first.unknown.map((u) => u.reason.replace(/^.*?: /, ''))).toEqual([
      "name 'unknown_before' is not defined",
      'module not_a_module_here is not found or not modelled',
      "name 'unknown_after' is not defined",
    ]);
    // helpers.py runs in the first run, is replayed in the next two, runs for Wide() (other ids), is replayed for
    // the second Wide(), runs again for Net() and is replayed after that.
    expect(ran.filter((f) => f === '/ws/helpers.py')).toHaveLength(3);
  });

  it('keeps no session in an analyzer told it summarises once (the CLI)', () => {
    const exec = vi.spyOn(Interpreter.prototype, 'execModule');
    const analyzer = createAnalyzer({ keepsSessions: false });
    const req = { path: '/ws/net.py', text: NET, readFile: files(REGISTRY(4)), model: 'Net()', inputs: ['2,16'] };
    for (let i = 0; i < 3; i++) analyzer.summarizeModel(req);
    expect(exec.mock.calls.filter(([, scope]) => scope.file === '/ws/net.py')).toHaveLength(3);
  });

  it('reads a module its model imports on first use again in every run', () => {
    const analyzer = createAnalyzer();
    analyzer.summarizeModel({ path: '/ws/net.py', text: NET, readFile: files(REGISTRY(4)), model: 'Net()', inputs: ['2,16'] });
    const before = analyzer.summarizeModel({ path: '/ws/net.py', text: NET, readFile: files(REGISTRY(4)), model: 'Net()', inputs: ['2,16'] });
    // Config.width 5 -> 10: Linear(20, 3), 63 parameters.
    const after = analyzer.summarizeModel({ path: '/ws/net.py', text: NET, readFile: files(REGISTRY(5)), model: 'Net()', inputs: ['2,20'] });
    if ('error' in before || 'error' in after) throw new Error('no summary');
    expect(before.params).toBe(51);
    expect(after.params).toBe(63);
  });

  it('runs the module level again when a file it read changed', () => {
    // The module level reads Config.width (so registry.py is loaded by it); the model's width is that value.
    const net = `import torch.nn as nn\nfrom registry import Config\n\nWIDTH = Config.width\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(WIDTH, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n`;
    const analyzer = createAnalyzer();
    analyzer.summarizeModel({ path: '/ws/net.py', text: net, readFile: files(REGISTRY(4)), model: 'Net()', inputs: ['1,4'] });
    const before = analyzer.summarizeModel({ path: '/ws/net.py', text: net, readFile: files(REGISTRY(4)), model: 'Net()', inputs: ['1,4'] });
    const after = analyzer.summarizeModel({ path: '/ws/net.py', text: net, readFile: files(REGISTRY(6)), model: 'Net()', inputs: ['1,6'] });
    if ('error' in before || 'error' in after) throw new Error('no summary');
    // Linear(4, 2): 4 * 2 + 2 = 10 parameters; Linear(6, 2): 14.
    expect(before.params).toBe(10);
    expect(after.params).toBe(14);
  });

  it("puts back an attribute the model set on a built-in class", () => {
    // First run: uses = 0 + 1, Linear(4, 2): 10 parameters; a run that saw the last one's would build Linear(8, 2).
    const net = `import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        uses = getattr(nn.ReLU, "uses", 0) + 1\n        nn.ReLU.uses = uses\n        self.fc = nn.Linear(4 * uses, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n`;
    const analyzer = createAnalyzer();
    const req = { path: '/ws/net.py', text: net, model: 'Net()', inputs: ['1,4'] };
    const runs = [req, req, req].map((r) => analyzer.summarizeModel(r));
    expect(runs.map((run) => ('error' in run ? run.error : run.params))).toEqual([10, 10, 10]);
  });

  it("puts back a function's __wrapped__ and a generator's position the model changed", () => {
    // CPython 3.11 builds Linear(5 * 4, 18): 378 parameters; a run that saw the last one's wrapper and next()
    // would build Linear(18 * 8, 18).
    const net = `import functools
import torch.nn as nn

SIZES = (n for n in (4, 8, 12))


def other():
    pass


def a_much_longer_name():
    pass


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        width = len(other.__name__)
        functools.update_wrapper(other, a_much_longer_name)
        self.fc = nn.Linear(width * next(SIZES), len(other.__name__))

    def forward(self, x):
        return self.fc(x)
`;
    const analyzer = createAnalyzer();
    const req = { path: '/ws/net.py', text: net, model: 'Net()', inputs: ['1,20'] };
    const runs = [req, req, req].map((r) => analyzer.summarizeModel(r));
    expect(runs.map((run) => ('error' in run ? run.error : [run.params, run.unknown.length]))).toEqual([[378, 0], [378, 0], [378, 0]]);
  });

  it('keeps a session for training steps alone too, beside the eval one ("does it fit?")', () => {
    const exec = vi.spyOn(Interpreter.prototype, 'execModule');
    const analyzer = createAnalyzer();
    const summary = { path: '/ws/net.py', text: NET, readFile: files(REGISTRY(4)), model: 'Net()', inputs: ['2,16'] };
    const step = (batch: number) => ({ ...summary, train: true, trainOnly: true, batch });
    // A summary, a training step at four batches (as largestBatch tries them), then the summary twice more.
    const requests = [summary, step(2), step(4), step(3), step(5), summary, summary];
    const fresh = requests.map((r) => JSON.stringify(summarizeModel(r)));
    exec.mockClear();
    const kept = requests.map((r) => JSON.stringify(analyzer.summarizeModel(r)));
    expect(kept).toEqual(fresh);
    const steps = requests.slice(1, 5).map((r) => analyzer.summarizeModel(r));
    expect(steps.map((s) => ('error' in s ? s.error : [s.params, s.train?.memory.params_bytes]))).toEqual([2, 4, 3, 5].map(() => [51, 51 * 4]));
    // The file's module level runs for the first summary and the first step only: each keeps its session, and the
    // steps and summaries after them run in the kept training-step and eval sessions.
    expect(exec.mock.calls.filter(([, scope]) => scope.file === '/ws/net.py')).toHaveLength(2);
  });
});
