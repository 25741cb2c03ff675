// Arguments that cannot change a shape never hide it: an unknown bias, affine, track_running_stats,
// inplace or dropout p keeps the layer's output and its other parameters, and a total never counts a
// parameter of unknown size or existence (it says "at least" and names it). Numbers are worked out by hand.
import { describe, expect, it } from 'vitest';
import { HEADER, outputs, summary } from './helpers';

const UNKNOWN = `${HEADER}import os\nFLAG = os.environ.get('FLAG') == '1'\nP = float(os.environ.get('P'))\nWIDTH = int(os.environ.get('WIDTH'))\n`;

describe('flags that only decide whether parameters exist', () => {
  it('keeps shapes and weights of Conv, BatchNorm, Linear and LayerNorm with unknown bias / affine', () => {
    const s = summary(`${UNKNOWN}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, bias=FLAG)
        self.bn = nn.BatchNorm2d(8, affine=FLAG, track_running_stats=FLAG)
        self.act = nn.ReLU(inplace=FLAG)
        self.drop = nn.Dropout(p=P)
        self.fc = nn.Linear(8, 4, bias=FLAG)
        self.ln = nn.LayerNorm(4, elementwise_affine=FLAG)

    def forward(self, x):
        x = self.drop(self.act(self.bn(self.conv(x))))
        return self.ln(self.fc(x.mean((2, 3))))
`, { inputs: ['2,3,16,16'] });
    // A 3x3 conv without padding: 16 -> 14.
    expect(outputs(s)).toEqual([
      ['conv', [2, 8, 14, 14]], ['bn', [2, 8, 14, 14]], ['act', [2, 8, 14, 14]], ['drop', [2, 8, 14, 14]], ['fc', [2, 4]], ['ln', [2, 4]],
    ]);
    // Known for sure: conv weight 8·3·3·3 = 216, fc weight 8·4 = 32. Open: conv bias 8, bn weight and
    // bias 8 + 8, fc bias 4, ln weight and bias 4 + 4.
    expect(s.calls.map((c) => [c.path, c.params, (c.paramsUnknown ?? []).map((u) => [u.path, u.params])])).toEqual([
      ['conv', 216, [['bias', 8]]],
      ['bn', 0, [['weight', 8], ['bias', 8]]],
      ['act', 0, []],
      ['drop', 0, []],
      ['fc', 32, [['bias', 4]]],
      ['ln', 0, [['weight', 4], ['bias', 4]]],
    ]);
    expect(s.params).toBe(248);
    expect(s.params_unknown?.map((u) => u.path)).toEqual(['conv.bias', 'bn.weight', 'bn.bias', 'fc.bias', 'ln.weight', 'ln.bias']);
    expect(s.params_unknown?.[0]?.reason).toMatch(/^exists only if bias=True, which is unknown/);
    expect(s.errors).toEqual([]);
  });

  it('keeps recurrent and attention layers with an unknown bias', () => {
    const s = summary(`${UNKNOWN}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(4, 6, batch_first=True, bias=FLAG)
        self.attn = nn.MultiheadAttention(6, 2, bias=FLAG, batch_first=True)

    def forward(self, x):
        y, _ = self.rnn(x)
        out, _ = self.attn(y, y, y)
        return out
`, { inputs: ['2,5,4'] });
    expect(outputs(s)).toEqual([['rnn', [[2, 5, 6], [1, 2, 6]]], ['attn', [[2, 5, 6], [2, 5, 5]]]]);
    // GRU weights 3·6·4 + 3·6·6 = 72 + 108 = 180 (biases 18 + 18 open); MHA in_proj 3·6·6 = 108 and
    // out_proj 36 (in_proj_bias 18 and out_proj.bias 6 open).
    expect(s.calls.map((c) => c.params)).toEqual([180, 144]);
    expect(s.params).toBe(324);
    expect(s.params_unknown?.map((u) => [u.path, u.params])).toEqual([
      ['rnn.bias_ih_l0', 18], ['rnn.bias_hh_l0', 18], ['attn.in_proj_bias', 18], ['attn.out_proj.bias', 6],
    ]);
  });
});

describe('parameters of unknown size', () => {
  it('are never counted as one element: the total says at least and names them', () => {
    const s = summary(`${UNKNOWN}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(WIDTH))
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        return self.fc(x)
`, { inputs: ['2,4'] });
    expect(s.params).toBe(20);
    expect(s.params_unknown).toEqual([{ path: 'scale', reason: 'its size is unknown' }]);
  });
});
