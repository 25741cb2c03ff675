// The per-statement syntax index: lists made with the index, lookups by exact range (made on first use) find
// nested statements and calls, and the lists keep source order.
import { describe, expect, it } from 'vitest';
import { parseModule } from '../../../src/core/python/parse';
import { callAt, statementAt, statementIndex } from '../../../src/core/editor/statementIndex';
import type { CallExpr } from '../../../src/core/python/syntax';

const TEXT = `import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 8)

    def forward(self, x):
        if x is not None:
            x = self.fc(x)
        return x
`;

describe('statementIndex', () => {
  const module = parseModule(TEXT);
  const cls = module.body[1]!;

  it('lists every statement and call of a top-level statement in source order, and its functions', () => {
    const index = statementIndex(cls);
    // class, __init__, super().__init__(), self.fc = ..., forward, if, x = self.fc(x), return.
    expect(index.statementList.map((s) => s.k)).toEqual(['class', 'def', 'expr', 'assign', 'def', 'if', 'assign', 'return']);
    expect(index.functions.map((r) => r.start.line)).toEqual([3, 7]);
    // super() and super().__init__() on line 4, nn.Linear(4, 8), self.fc(x).
    expect(index.callList.map((c) => c.r.start.line)).toEqual([4, 4, 5, 9]);
    expect(statementIndex(cls)).toBe(index);
  });

  it('finds a nested statement and a call by their exact range', () => {
    const index = statementIndex(cls);
    for (const s of index.statementList) expect(statementAt(module, s.r)).toBe(s);
    for (const c of index.callList) expect(callAt(module, c.r)).toBe(c);
    const fc = index.callList.find((c: CallExpr) => c.r.start.line === 9)!;
    // A range that is no statement's or call's finds nothing.
    expect(callAt(module, { start: fc.r.start, end: { line: fc.r.end.line, character: fc.r.end.character - 1 } })).toBeUndefined();
  });
});
