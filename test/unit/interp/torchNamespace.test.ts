// The torch module's own attributes (dtypes, settings without effect on shapes, torch.compile by release), as
// a session builds them: every name PyTorch has resolves to its value, and nothing else is added.
import { describe, expect, it } from 'vitest';
import { createSession } from '../../../src/core/interp/session';
import { parseModule } from '../../../src/core/python/parse';
import { parseTorchVersion } from '../../../src/core/frameworks/torch/version';
import type { Value } from '../../../src/core/interp/values';

/** The module-level variables after running `code` after `import torch`. */
function run(code: string, version = '2.4'): Map<string, Value> {
  const session = createSession({ torchVersion: parseTorchVersion(version)! });
  const scope = session.interp.newModuleScope('/ws/m.py');
  session.interp.execModule(parseModule(`import torch\n${code}`), scope);
  return scope.vars;
}

const text = (v: Value | undefined): string | undefined => (v?.kind === 'str' ? v.value : undefined);

describe('the torch namespace', () => {
  it('names every dtype, modelled or not, as torch.<name>', () => {
    const vars = run('a = torch.float32\nb = torch.long\nc = torch.cdouble\nd = torch.qint8\ne = torch.float8_e5m2fnuz\n');
    expect(['a', 'b', 'c', 'd', 'e'].map((n) => text(vars.get(n)))).toEqual(['torch.float32', 'torch.long', 'torch.cdouble', 'torch.qint8', 'torch.float8_e5m2fnuz']);
  });

  it('runs the settings that change no shape (thread counts, determinism, print options) as calls returning None', () => {
    const vars = run('a = torch.set_num_threads(4)\nb = torch.use_deterministic_algorithms(True)\nc = torch.set_printoptions(precision=2)\nd = torch.seed()\n');
    expect(['a', 'b', 'c', 'd'].map((n) => vars.get(n)?.kind)).toEqual(['none', 'none', 'none', 'none']);
  });

  it('has torch.compile from PyTorch 2.0 on only', () => {
    expect(run('c = torch.compile\n', '2.0').get('c')?.kind).toBe('builtin');
    expect(run('c = torch.compile\n', '1.13').get('c')?.kind).not.toBe('builtin');
  });

  it('keeps the names written out beside the generated ones', () => {
    const vars = run('v = torch.__version__\np = torch.pi\nm = torch.manual_seed(0)\n', '2.1');
    expect(text(vars.get('v'))).toBe('2.1.0');
    expect(vars.get('p')).toMatchObject({ kind: 'float', value: Math.PI });
    expect(vars.get('m')?.kind).toBe('none');
  });
});
