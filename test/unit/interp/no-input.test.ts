// A model whose forward takes no input (it makes its own tensors, as PyTorch's mobile op tests do) is run with
// none when no --input is given, instead of being handed a guessed one it cannot take.
import { describe, expect, it } from 'vitest';
import { HEADER, outputs, summary } from './helpers';

describe('forward without inputs', () => {
  it('runs forward(self) with no arguments', () => {
    const text = `${HEADER}
class Ops(nn.Module):
    def __init__(self):
        super().__init__()
        self.input2d = torch.randn(1, 4, 30, 10)
        self.conv = nn.Conv2d(4, 33, 3)

    def forward(self):
        return len([self.conv(self.input2d)])
`;
    const s = summary(text, { model: 'Ops()' });
    // (30 - 3) + 1 = 28, (10 - 3) + 1 = 8.
    expect(outputs(s)).toEqual([['conv', [1, 33, 28, 8]]]);
    expect(s.input).toEqual([]);
    expect(s.errors).toEqual([]);
  });

  it('still guesses an input for a forward that takes one', () => {
    const text = `${HEADER}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 2)

    def forward(self, x, scale=1.0):
        return self.fc(x) * scale
`;
    const s = summary(text, { model: 'Net()' });
    expect(s.input).toEqual([['B', 8]]);
    expect(outputs(s)).toEqual([['fc', ['B', 2]]]);
  });
});
