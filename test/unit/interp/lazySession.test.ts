// A session builds the namespaces of the modules it knows when code first imports them (src/core/interp/lazy.ts):
// an editor analysis makes a session per model run and per check unit, and each run imports a few modules.
import { describe, expect, it, vi } from 'vitest';
import { createSession } from '../../../src/core/interp/session';
import { parseModule } from '../../../src/core/python/parse';
import type { Value } from '../../../src/core/interp/values';
import { LazyModules, once } from '../../../src/core/interp/lazy';
import { staticNamespace } from '../../../src/core/interp/builtins';

const built = vi.hoisted(() => ({ re: 0 }));
vi.mock('../../../src/core/interp/reModule', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/core/interp/reModule')>();
  return { ...original, createReModule: (...args: Parameters<typeof original.createReModule>) => (built.re++, original.createReModule(...args)) };
});

function run(session: ReturnType<typeof createSession>, code: string): Map<string, Value> {
  const scope = session.interp.newModuleScope('/ws/m.py');
  session.interp.execModule(parseModule(code), scope);
  return scope.vars;
}

describe('lazy session modules', () => {
  it('builds the re module when code first uses it, once per session', () => {
    built.re = 0;
    const session = createSession();
    expect(built.re).toBe(0);
    run(session, 'import torch\nimport torch.nn as nn\nx = nn.Linear(2, 3)\n');
    expect(built.re).toBe(0);
    const vars = run(session, 'import re\np = re.compile("a+")\nimport re as again\nsame = re is again\n');
    expect(built.re).toBe(1);
    expect(vars.get('same')).toMatchObject({ kind: 'bool', value: true });
    run(session, 'import re\nq = re.compile("b")\n');
    expect(built.re).toBe(1);
    createSession();
    expect(built.re).toBe(1);
  });

  it('gives the same objects wherever a module or class is reached', () => {
    const vars = run(createSession(), [
      'import torch',
      'import torch.optim as optim',
      'from torch.utils.data import DataLoader',
      'from torch.utils.data.dataloader import DataLoader as Loader2',
      'import typing, typing_extensions, collections, collections.abc',
      'from collections import namedtuple',
      'import torch.autograd as autograd',
      'import torch.nn.utils.rnn as rnn',
      'import torch.nn as nn',
      'P = namedtuple("P", "a b")',
      'optim_same = torch.optim is optim',
      'loader_same = DataLoader is Loader2',
      'typing_same = typing.Dict is typing_extensions.Dict',
      'abc_same = collections.abc is collections.abc',
      'tuple_base = issubclass(P, typing.NamedTuple)',
      'autograd_same = torch.autograd is autograd',
      'rnn_same = nn.utils.rnn is rnn',
      'seq_same = nn.Sequential is torch.nn.Sequential',
    ].join('\n') + '\n');
    for (const name of ['optim_same', 'loader_same', 'typing_same', 'abc_same', 'tuple_base', 'autograd_same', 'rnn_same', 'seq_same']) expect([name, vars.get(name)]).toEqual([name, { kind: 'bool', value: true }]);
  });

  it('LazyModules builds each module on its first lookup and keeps it', () => {
    const builds: string[] = [];
    const modules = new LazyModules([['a', () => (builds.push('a'), staticNamespace('a', {}))], ['b', () => (builds.push('b'), staticNamespace('b', {}))]]);
    expect(builds).toEqual([]);
    const first = modules.get('a');
    expect(modules.get('a')).toBe(first);
    expect(modules.get('c')).toBeUndefined();
    expect(builds).toEqual(['a']);
    const counter = once(() => builds.push('once'));
    counter();
    counter();
    expect(builds).toEqual(['a', 'once']);
  });
});
