// The checks run a file as the summary does: a plain `import nets` the file never mentions again runs at the
// import (it registers the models that another module's `get` builds), so the model a training loop uses is
// known and checked. Before, the checks' evaluation kept such an import deferred: the registry stayed empty,
// the model unknown, and a softmax fed to cross-entropy through it went unseen (CC-09). python3 runs the script.
import { describe, expect, it } from 'vitest';
import { checkDocument } from '../../../src/core/checkDocument';
import { createAnalyzer } from '../../../src/core';

const REGISTRY = "MODELS = {}\n\n\ndef register(fn):\n    MODELS[fn.__name__] = fn\n    return fn\n\n\ndef get(name, **kwargs):\n    return MODELS[name](**kwargs)\n";
const nets = (last: string): string =>
  `import torch.nn as nn\nfrom registry import register\n\n\n@register\ndef small(width=8):\n    return nn.Sequential(nn.Linear(16, width), nn.ReLU(), nn.Linear(width, 4)${last})\n`;

const script = (importLine: string): string =>
  [
    'import torch',
    'import torch.nn as nn',
    importLine,
    'from registry import get',
    '',
    "model = get('small', width=32)",
    'optimizer = torch.optim.SGD(model.parameters(), lr=0.1)',
    'loss_fn = nn.CrossEntropyLoss()',
    'for step in range(3):',
    '    x, y = torch.randn(2, 16), torch.randint(0, 4, (2,))',
    '    optimizer.zero_grad()',
    '    loss = loss_fn(model(x), y)',
    '    loss.backward()',
    '    optimizer.step()',
    '',
  ].join('\n');

const cc09Lines = (text: string, last: string): number[] => {
  const files: Record<string, string> = { '/ws/registry.py': REGISTRY, '/ws/nets.py': nets(last) };
  return checkDocument({ path: '/ws/train.py', text, readFile: (path) => files[path] }, {}, createAnalyzer())
    .findings.filter((f) => f.rule === 'CC-09')
    .map((f) => f.range.start.line + 1);
};

describe('imports run for their side effects, in the checks', () => {
  it.each(['import nets  # registers its models', 'import nets as _registered'])('sees the softmax of a model a registry builds (%s): CC-09 on the loss line', (importLine) => {
    expect(cc09Lines(script(importLine), ', nn.Softmax(dim=1)')).toEqual([12]);
  });

  it('finds nothing when the registered model ends in logits', () => {
    expect(cc09Lines(script('import nets  # registers its models'), '')).toEqual([]);
  });
});
