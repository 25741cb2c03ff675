// Work the checks take from where it was done once (issue 16): each top-level statement's calls are walked once for
// the editor's statement index and for every check unit's evaluation (the unit's core is in every unit); each
// function's flow is built once for the class index (a forward's) and the rules' scopes; the modules the evaluation
// built are listed in one walk, in the order the union of every root's named_modules gave.
import { describe, expect, it } from 'vitest';
import { parseModule } from '../../../src/core/python/parse';
import { allCalls, statementCalls } from '../../../src/core/python/syntax';
import { statementIndex } from '../../../src/core/editor/statementIndex';
import { buildContext } from '../../../src/core/checks';
import { scopesOf } from '../../../src/core/checks/training';
import { flowOf } from '../../../src/core/checks/flow';
import { CheckFacts } from '../../../src/core/checks/facts/facts';
import { driveFile } from '../../../src/core/checks/facts/drive';
import { allModules, layerName, parentsOf } from '../../../src/core/checks/facts/models';
import type { ObjectV } from '../../../src/core/interp/values';

const TEXT = `import torch.nn as nn

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 3, 3)
        self.act = nn.ReLU()

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.shared = nn.Linear(4, 4)
        self.body = nn.Sequential(Block(), self.shared)
        self.head = self.shared

    def forward(self, x):
        y = self.head(x)
        return self.body(y)

net = Net()
`;

describe('work the checks share', () => {
  it("walks a statement's calls once: the statement index's list is the one the checks' evaluation reads", () => {
    const module = parseModule(TEXT);
    const net = module.body[2]!;
    const calls = statementCalls(net);
    // super(), super().__init__(), nn.Linear(4, 4), nn.Sequential(...), Block(), self.head(x), self.body(y).
    expect(calls.map((c) => c.r.start.line)).toEqual([10, 10, 11, 12, 12, 16, 17]);
    expect(calls).toEqual(allCalls([net]));
    expect(statementCalls(net)).toBe(calls);
    expect(statementIndex(net).callList).toBe(calls);
  });

  it("builds a function's flow once: the class index's forward flow is its scope's flow, in every context", () => {
    const module = parseModule(TEXT);
    const first = buildContext('net.py', TEXT, undefined, undefined, module);
    const info = first.classes.get('Net')!;
    const forwardScope = scopesOf(first).find((s) => s.def === info.forward)!;
    expect(forwardScope.flow).toBe(info.forwardFlow);
    expect(flowOf(info.forward!)).toBe(info.forwardFlow);
    // A second context of the same syntax (another check unit holding the class) takes the same flow.
    const second = buildContext('net.py', TEXT, undefined, undefined, module);
    expect(second.classes.get('Net')!.forwardFlow).toBe(info.forwardFlow);
    expect(forwardScope.flow.definitionsOf('y').map((d) => d.stmt.r.start.line)).toEqual([16]);
  });

  it('lists every module the evaluation built once, in the order of the union of each root’s named_modules', () => {
    const module = parseModule(TEXT);
    const facts = new CheckFacts(driveFile({ path: 'net.py', module, text: TEXT }));
    // Constructions return innermost first: the shared Linear, Block's Conv2d and ReLU, Block, the Sequential, Net;
    // then the same six again, for the Net the driver builds to call forward on. Each later root adds only itself
    // (its children were listed already), and the Linear each Net reaches three times is listed once.
    const built = ['Linear', 'Conv2d', 'ReLU', 'Block', 'Sequential', 'Net'];
    expect(allModules(facts).map(layerName)).toEqual([...built, ...built]);
    expect(facts.driven.instances.map(layerName)).toEqual(['Net']);
    // The driver's Net is built by the driver, not by a call of the file's code: a root through `instances`.
    const roots = [...facts.objectResultCalls.map((c) => c.result), ...facts.driven.instances].filter((v): v is ObjectV => facts.isModule(v));
    const union = new Set(roots.flatMap((r) => facts.namedModulesOf(r).map(([, m]) => m)));
    expect(allModules(facts)).toEqual([...union]);
  });

  it("gives each module its containers and its first position in each, None slots not counted (a guard: the same on the old code)", () => {
    const text = `import torch.nn as nn

class Pair(nn.Module):
    def __init__(self):
        super().__init__()
        self.act = nn.ReLU()
        self.register_module('skip', None)
        self.fc = nn.Linear(2, 2)
        self.again = self.act

pair = Pair()
`;
    const facts = new CheckFacts(driveFile({ path: 'pair.py', module: parseModule(text), text }));
    // One Pair, built by the file (the driver builds none: __init__ ran, there is no other method).
    const pairs = allModules(facts).filter((m) => layerName(m) === 'Pair');
    expect(pairs).toHaveLength(1);
    expect([...pairs[0]!.module!.children.values()].map((c) => (c === null ? null : layerName(c)))).toEqual(['ReLU', null, 'Linear', 'ReLU']);
    const children = (name: string) => allModules(facts).filter((m) => layerName(m) === name);
    // act is registered at 0 and again at 3 (after the None slot and fc): its first position, once.
    expect(parentsOf(facts, children('ReLU')[0]!)).toEqual([{ parent: pairs[0], index: 0 }]);
    // fc comes after act and the None slot: position 1 among the registered children.
    expect(parentsOf(facts, children('Linear')[0]!)).toEqual([{ parent: pairs[0], index: 1 }]);
  });
});
