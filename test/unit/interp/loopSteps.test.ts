// Budget.loopSteps: a run of a loop that has taken that many steps stops iterating, and its rest is explored as a
// loop over unknown items (one pass joined with stopping there), so what the rest would change is unknown after
// the loop, and the code after it still runs (issue 16: `ml-notes check` gives the checks' evaluation and its module-scope pass DRIVE_BUDGET.loopSteps, an eighth of their budget).
import { describe, expect, it } from 'vitest';
import { createSession } from '../../../src/core/interp/session';
import { parseModule } from '../../../src/core/python/parse';
import type { Budget } from '../../../src/core/interp/interpreter';
import type { Value } from '../../../src/core/interp/values';

function run(code: string, budget: Budget): Map<string, Value> {
  const session = createSession({ budget });
  const scope = session.interp.newModuleScope('/ws/m.py');
  session.interp.execModule(parseModule(code), scope);
  return scope.vars;
}

// Each loop's iterations take a few steps; 20,000 of them take far more than 40,000.
const LONG_LOOPS = `import torch
n = 0
for i in range(20000):
    n = n + 1
m = 0
while m < 20000:
    m = m + 1
size = 3
after = torch.zeros(size, 2)
`;

describe('a loop run past Budget.loopSteps', () => {
  it('stops iterating: what the rest would change is unknown after it, and the code after it runs', () => {
    const vars = run(LONG_LOOPS, { steps: 40_000, loopSteps: 4_000 });
    expect(vars.get('n')?.kind).toBe('unknown');
    expect(vars.get('m')?.kind).toBe('unknown');
    // Not changed by the loops: known after them.
    expect(vars.get('size')).toEqual({ kind: 'int', value: 3 });
    expect(vars.get('after')).toMatchObject({ kind: 'tensor', shape: [3, 2] });
  });

  it('runs a loop whose iterations take fewer steps whole', () => {
    const vars = run(LONG_LOOPS.replaceAll('20000', '300'), { steps: 40_000, loopSteps: 4_000 });
    expect(vars.get('n')).toEqual({ kind: 'int', value: 300 });
    expect(vars.get('m')).toEqual({ kind: 'int', value: 300 });
  });

  it('counts a nested loop in the steps of the loop around it', () => {
    const vars = run('n = 0\nfor i in range(200):\n    for j in range(100):\n        n = n + 1\n', { steps: 400_000, loopSteps: 10_000 });
    expect(vars.get('n')?.kind).toBe('unknown');
  });
});
