// The facts recorder gives every event the calls and loop iterations it ran inside, as they were when it
// ran: after a call returns or a loop ends, the next event no longer names them.
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/core/python/parse';
import { driveFile } from '../../../src/core/checks/facts/drive';

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
});
