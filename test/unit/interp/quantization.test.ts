// Eager-mode quantization before conversion (torchvision's quantizable models): QuantStub and DeQuantStub
// pass their input through, a FloatFunctional's operations call its activation_post_process (an Identity) as
// a module, and children swapped through `module._modules[name] = ...` replace the originals. Expected calls
// and counts are PyTorch 1.13's (test/oracle/torch_summary.py on this model: 148 params, 7,200 MACs).
import { describe, expect, it } from 'vitest';
import { outputs, summary } from './helpers';

const MODEL = `import torch
import torch.nn as nn
from torch.ao.quantization import QuantStub, DeQuantStub

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 4, 3, padding=1)
        self.act = nn.ReLU6()
        self.skip_add = nn.quantized.FloatFunctional()
        self.cat = torch.nn.quantized.FloatFunctional()

    def forward(self, x):
        y = self.skip_add.add(x, self.act(self.conv(x)))
        return self.cat.cat([y, x], 1)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.quant = QuantStub()
        self.block = Block()
        self.dequant = torch.ao.quantization.DeQuantStub()
        for name, mod in self.block.named_children():
            if type(mod) is nn.ReLU6:
                self.block._modules[name] = nn.ReLU(inplace=False)

    def forward(self, x):
        return self.dequant(self.block(self.quant(x)))
`;

describe('quantization stubs', () => {
  const s = summary(MODEL, { model: 'Net()', inputs: ['2,4,5,5'] });

  it('records the stubs and the FloatFunctional observers as PyTorch hooks see them', () => {
    expect(outputs(s)).toEqual([
      ['quant', [2, 4, 5, 5]],
      ['block.conv', [2, 4, 5, 5]],
      ['block.act', [2, 4, 5, 5]],
      ['block.skip_add.activation_post_process', [2, 4, 5, 5]],
      ['block.cat.activation_post_process', [2, 8, 5, 5]],
      ['dequant', [2, 8, 5, 5]],
    ]);
    expect(s.calls.map((c) => c.type)).toEqual(['QuantStub', 'Conv2d', 'ReLU', 'Identity', 'Identity', 'DeQuantStub']);
  });

  it('counts the parameters and MACs of the float model', () => {
    expect(s.params).toBe(148);
    expect(s.macs).toBe(7200);
  });
});
