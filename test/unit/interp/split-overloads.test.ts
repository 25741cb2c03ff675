// tensor_split's overloads are told apart by their keyword (`indices=`, `sections=`); the name of the
// positional argument is not a keyword PyTorch accepts. Shapes are PyTorch 1.13's (tensor_split docs:
// indices (1,) on a size of 5 gives sizes 1 and 4; 7 in 3 sections gives 3, 2, 2).
import { describe, expect, it } from 'vitest';
import { HEADER, outputs, summary } from './helpers';

const model = (body: string) =>
  `${HEADER}\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n${body}\n`;

describe('tensor_split overloads by keyword', () => {
  it('splits at indices= (the MViT class token) and into sections=', () => {
    const s = summary(model('        cls, rest = torch.tensor_split(x, indices=(1,), dim=2)\n        a, b, c = rest.tensor_split(sections=3, dim=2)\n        return self.fc(cls), self.fc(a), self.fc(c)'), {
      model: 'Net()',
      inputs: ['1,2,8,4'],
    });
    expect(outputs(s)).toEqual([
      ['fc', [1, 2, 1, 2]],
      ['fc', [1, 2, 3, 2]],
      ['fc', [1, 2, 2, 2]],
    ]);
  });

  it('does not take the positional placeholder as a keyword (PyTorch rejects it): the split is not made', () => {
    const s = summary(model('        a, b = torch.tensor_split(x, indices_or_sections=2, dim=2)\n        return self.fc(a)'), { model: 'Net()', inputs: ['1,2,8,4'] });
    expect(s.calls[0]?.output).toBeNull();
    expect(s.unknown.map((u) => u.reason).join('\n')).toContain("unexpected keyword argument 'indices_or_sections'");
  });
});
