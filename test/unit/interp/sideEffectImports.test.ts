// A plain `import m` whose name the file never uses again is there for what the module does when it runs (a
// model file that registers its builders): it runs at the import, as in Python, so a registry another file reads
// is filled. An import whose name is used stays deferred until it is. Expected numbers: the same files run by
// /usr/bin/python3 with torch 1.13 (676 parameters: 16·32 + 32 + 32·4 + 4).
import { describe, expect, it } from 'vitest';
import { HEADER, outputs, summary } from './helpers';

const REGISTRY = "MODELS = {}\n\n\ndef register(fn):\n    MODELS[fn.__name__] = fn\n    return fn\n\n\ndef get(name, **kwargs):\n    return MODELS[name](**kwargs)\n";
const NETS = `${HEADER}from registry import register\n\n\n@register\ndef small(width=8):\n    return nn.Sequential(nn.Linear(16, width), nn.ReLU(), nn.Linear(width, 4))\n`;
const files = { '/ws/registry.py': REGISTRY, '/ws/nets.py': NETS };

/** A model file that imports `nets` with `importLine` and builds through the registry. */
const wrapper = (importLine: string): string =>
  `${HEADER}${importLine}\nfrom registry import get\n\n\nclass Wrapper(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.inner = get('small', width=32)\n\n    def forward(self, x):\n        return self.inner(x)\n`;

describe('imports for their side effects', () => {
  it.each(['import nets  # registers its models', 'import nets as _registered', "import nets  # fills MODELS with 'small'"])('fills a registry another file reads (%s)', (importLine) => {
    const s = summary(wrapper(importLine), { model: 'Wrapper()', inputs: ['2,16'], files });
    expect(s.errors).toEqual([]);
    expect(outputs(s)).toEqual([
      ['inner.0', [2, 32]],
      ['inner.1', [2, 32]],
      ['inner.2', [2, 4]],
    ]);
    expect(s.params).toBe(676);
  });

  it('keeps an import whose names are used deferred: a module nothing runs is never evaluated', () => {
    const broken = { ...files, '/ws/tools.py': "raise RuntimeError('needs a GPU at import')\n\n\ndef helper():\n    return 1\n" };
    const model = (importLine: string, use: string): string =>
      `${HEADER}import nets\n${importLine}\nfrom registry import get\n\n\ndef unused():\n    return ${use}\n\n\nclass Wrapper(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.inner = get('small')\n\n    def forward(self, x):\n        return self.inner(x)\n`;
    const deferred = summary(model('import tools', 'tools.helper()'), { model: 'Wrapper()', inputs: ['2,16'], files: broken });
    expect(deferred.params).toBe(16 * 8 + 8 + 8 * 4 + 4);
    expect(deferred.unknown.filter((u) => u.reason.includes('needs a GPU'))).toEqual([]);
    // Imported for its side effects only, it runs (and its failure is reported), as Python would run it.
    const run = summary(model('import tools', 'None'), { model: 'Wrapper()', inputs: ['2,16'], files: broken });
    expect(run.params).toBe(16 * 8 + 8 + 8 * 4 + 4);
    expect(run.unknown.some((u) => u.reason.includes('needs a GPU'))).toBe(true);
  });
});
