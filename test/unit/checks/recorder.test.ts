// The facts recorder gives every event the calls and loop iterations it ran inside, as they were when it
// ran: after a call returns or a loop ends, the next event no longer names them.
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/core/python/parse';
import { driveFile } from '../../../src/core/checks/facts/drive';
import { NO_KEYWORDS } from '../../../src/core/interp/values';
import type { RecordedEvent } from '../../../src/core/checks/facts/recorder';

const CODE = `import torch

def inner(x):
    return x + 1

def outer():
    for i in range(2):
        y = torch.zeros(3)
        inner(y)
    z = torch.ones(2)
    return z

outer()
w = torch.ones(1)
`;

describe('the facts recorder', () => {
  it('gives each event the function calls and loop iterations around it when it ran', () => {
    const driven = driveFile({ path: '/ws/m.py', module: parseDocument(CODE).module });
    const contexts = (line: number): string[] =>
      driven.recorder.events
        .filter((e) => e.expr.r.start.line === line)
        .map((e) => `${e.kind} in [${e.context.functions.map((f) => f.fn.name).join(', ')}] loops [${e.context.loops.map((l) => `line ${l.stmt.r.start.line} #${l.iteration}`).join(', ')}]`);
    // Lines are 0-based: `return x + 1` is line 3, the loop line 6.
    expect(contexts(3)).toEqual(['op in [outer, inner] loops [line 6 #0]', 'op in [outer, inner] loops [line 6 #1]']);
    expect(contexts(7)).toEqual(['call in [outer] loops [line 6 #0]', 'call in [outer] loops [line 6 #1]']);
    expect(contexts(8)).toEqual(['call in [outer] loops [line 6 #0]', 'call in [outer] loops [line 6 #1]']);
    expect(contexts(9)).toEqual(['call in [outer] loops []']);
    expect(contexts(13)).toEqual(['call in [] loops []']);
  });

  it('gives a call result its own identity when the call returned an input, keeping the returned value and the receiver', () => {
    const driven = driveFile({ path: '/ws/m.py', module: parseDocument('import torch\ndef f(a):\n    b = a.cuda()\n    return b\n').module });
    // f runs with an unknown argument; a method on an unknown returns the unknown itself.
    const [cuda] = driven.recorder.events;
    expect(cuda?.kind).toBe('call');
    if (cuda?.kind !== 'call') return;
    expect(cuda.receiver?.kind).toBe('unknown');
    expect(cuda.original).toBe(cuda.receiver);
    expect(cuda.result).not.toBe(cuda.receiver);
    expect(cuda.result.kind).toBe('unknown');
  });

  // The facts keep every event's context and arguments for the whole file: what events can share, they share.
  // A loop the recorder stops early must not look finished: what follows is decided by no partial run.
  it('leaves what a loop cut short assigns unknown after it, not what its first iterations left', () => {
    const code = 'import torch\nn = 0\nfor i in range(5000):\n    n = n + 1\na = torch.zeros(n)\nm = 0\nwhile m < 5000:\n    m = m + 1\nb = torch.zeros(m)\n';
    const driven = driveFile({ path: '/ws/m.py', module: parseDocument(code).module });
    const zerosArgument = (line: number) => {
      const call = driven.recorder.events.find((e) => e.kind === 'call' && e.expr.r.start.line === line && e.expr.fn.k === 'attr' && e.expr.fn.name === 'zeros');
      return call?.kind === 'call' ? call.args.positional[0] : undefined;
    };
    // Python: n == m == 5000; a run stopped after some iterations knows neither.
    expect(zerosArgument(4)?.kind).toBe('unknown');
    expect(zerosArgument(8)?.kind).toBe('unknown');
    // The loop still ran from its first iteration, and not all 5,000 of them.
    const iterations = driven.recorder.events.filter((e) => e.expr.r.start.line === 3).map((e) => e.context.loops[0]?.iteration);
    expect(iterations[0]).toBe(0);
    expect(iterations.length).toBeGreaterThan(2);
    expect(iterations.length).toBeLessThan(1000);
  });

  it('shares a function stack between events whose loops changed but whose calls did not', () => {
    const code = 'import torch\n\ndef loop():\n    for i in range(2):\n        a = torch.zeros(3)\n        b = a + 1\n    inner = torch.ones(1)\n\nloop()\n';
    const driven = driveFile({ path: '/ws/m.py', module: parseDocument(code).module });
    const at = (line: number): RecordedEvent[] => driven.recorder.events.filter((e) => e.expr.r.start.line === line);
    const [first, second] = at(4);
    // Iterations 0 and 1 of the loop in loop(): new loop frames, one copy of the stack [loop].
    expect(first!.context.loops.map((l) => l.iteration)).toEqual([0]);
    expect(second!.context.loops.map((l) => l.iteration)).toEqual([1]);
    expect(first!.context.functions).toBe(second!.context.functions);
    expect(first!.context.functions.map((f) => f.fn.name)).toEqual(['loop']);
    // The loop's end changes only the loops: the event after it shares the stack too, and has no loop.
    const [after] = at(6);
    expect(after!.context.functions).toBe(first!.context.functions);
    expect(after!.context.loops).toEqual([]);
    // The call of loop() is recorded once it returned: the stack is empty again, in a copy of its own.
    const [call] = at(8);
    expect(call!.context.functions).toEqual([]);
    expect(call!.context.functions).not.toBe(first!.context.functions);
  });

  it('gives calls without keyword arguments one shared empty map, and calls with them their own', () => {
    const driven = driveFile({ path: '/ws/m.py', module: parseDocument('import torch\na = torch.zeros(3)\nb = torch.ones(2, dtype=torch.float32)\nc = torch.zeros(1, **{})\nd = torch.ones(1, **{"dtype": torch.float32})\n').module });
    const calls = driven.recorder.events.filter((e) => e.kind === 'call');
    const keywordsAt = (line: number): ReadonlyMap<string, unknown> => {
      const call = calls.find((e) => e.expr.r.start.line === line);
      if (call?.kind !== 'call') throw new Error(`no call on line ${line}`);
      return call.args.keywords;
    };
    expect(keywordsAt(1)).toBe(NO_KEYWORDS);
    expect(keywordsAt(2)).not.toBe(NO_KEYWORDS);
    expect([...keywordsAt(2).keys()]).toEqual(['dtype']);
    expect(keywordsAt(3)).toBe(NO_KEYWORDS);
    expect([...keywordsAt(4).keys()]).toEqual(['dtype']);
    expect(NO_KEYWORDS.size).toBe(0);
  });

  it('explores a recursion over unknown data three calls deep, and calls one after another without limit', () => {
    const code = `def walk(node, depth):
    if node.children:
        for child in node.children:
            walk(child, depth + 1)
    return depth

def step(x):
    return x * 2

def main(tree):
    for i in range(6):
        step(i)
    walk(tree, 0)
`;
    const driven = driveFile({ path: '/ws/m.py', module: parseDocument(code).module });
    const stepReturns = driven.recorder.events.filter((e) => e.kind === 'op' && e.expr.r.start.line === 7 && e.context.functions.at(-2)?.fn.name === 'main');
    expect(stepReturns).toHaveLength(6);
    const walkDepths = driven.recorder.events.filter((e) => e.expr.r.start.line === 3).map((e) => e.context.functions.filter((f) => f.fn.name === 'walk').length);
    // The call on line 3 runs inside walk() at depths 1 and 2 (the third walk() call is entered, the fourth declined).
    expect(Math.max(...walkDepths)).toBe(3);
    expect(driven.session.interp.diagnostics.unknowns.some((d) => d.message.includes('walk() recursion over unknown values is not explored'))).toBe(true);
    // Once main() returned, nothing is left on the stack: walk() driven on its own goes three deep again.
    const driverWalks = driven.recorder.events.filter((e) => e.expr.r.start.line === 3 && e.context.functions[0]?.fn.name === 'walk');
    expect(driverWalks.length === 0 || Math.max(...driverWalks.map((e) => e.context.functions.filter((f) => f.fn.name === 'walk').length)) === 3).toBe(true);
  });
});

