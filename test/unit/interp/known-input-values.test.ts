// Inputs with known contents (`--input 2:long=20`, `lengths=[20,18]:long`) and what their values feed: max()
// and item(), arithmetic, clamp, `arange < lengths` masks, and pack_padded_sequence / an LSTM on the packed
// sequence / pad_packed_sequence. Expected numbers are worked by hand or were printed by PyTorch 1.13.1
// (the packing cases). An input without values keeps unknown contents: nothing that depends on them is guessed.
import { describe, expect, it } from 'vitest';
import { parseInputSpec } from '../../../src/core/index';
import { HEADER, outputs, summary } from './helpers';

describe('input specs with known contents', () => {
  it('reads a fill after the dtype and a literal of values', () => {
    expect(parseInputSpec('2:long=20')).toEqual({ kind: 'tensor', shape: [2], dtype: 'int64', fill: 20 });
    expect(parseInputSpec('lengths=2:long=20')).toEqual({ kind: 'tensor', shape: [2], dtype: 'int64', fill: 20, name: 'lengths' });
    expect(parseInputSpec('2,3=0.5')).toEqual({ kind: 'tensor', shape: [2, 3], fill: 0.5 });
    expect(parseInputSpec('lengths=[20,18]:long')).toEqual({ kind: 'tensor', shape: [2], dtype: 'int64', values: [20, 18], name: 'lengths' });
    expect(parseInputSpec('[[1, 2, 3], [4, 5, 6]]:float')).toEqual({ kind: 'tensor', shape: [2, 3], dtype: 'float32', values: [1, 2, 3, 4, 5, 6] });
  });

  it('infers the dtype of a literal as torch.tensor does: ints make a long tensor, any float a float one', () => {
    expect(parseInputSpec('[20,18]')).toMatchObject({ dtype: 'int64' });
    expect(parseInputSpec('[20,18.5]')).toMatchObject({ dtype: 'float32' });
  });

  it('refuses a ragged literal, a fraction for an integer dtype, a fill and values together', () => {
    for (const bad of ['[[1,2],[3]]', '2:long=2.5', '[1.5]:long', '[1,2]:long=3', '2:long=x', '[1,2']) expect(parseInputSpec(bad), bad).toBeUndefined();
  });
});

const MASKED = `${HEADER}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(1, 3)

    def forward(self, x, lengths):
        max_len = int(torch.max(lengths).item())
        mask = torch.arange(max_len).expand(lengths.shape[0], max_len) < lengths.unsqueeze(1)
        return self.fc(mask.float().unsqueeze(-1))
`;

const ARITHMETIC = `${HEADER}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(1, 3)

    def forward(self, x, lengths):
        extra = 10 - torch.max(lengths).int()
        klengths = lengths + 3 + extra
        over = torch.clamp(lengths - 19, min=0).sum()
        rows = int(klengths.max()) + int(over)
        return self.fc(torch.zeros(rows, 1))
`;

describe('what known lengths feed', () => {
  it('makes a padding mask max(lengths) long', () => {
    expect(outputs(summary(MASKED, { model: 'Net()', inputs: ['2,5', '2:long=20'] }))).toEqual([['fc', [2, 20, 3]]]);
    expect(outputs(summary(MASKED, { model: 'Net()', inputs: ['2,5', 'lengths=[7,4]:long'] }))).toEqual([['fc', [2, 7, 3]]]);
  });

  it('leaves the mask unknown when the lengths have no values', () => {
    const s = summary(MASKED, { model: 'Net()', inputs: ['2,5', '2:long'] });
    expect(s.calls[0]?.output).toBeNull();
    expect(s.unknown.length).toBeGreaterThan(0);
  });

  it('follows arithmetic, int(), clamp and sum on the values', () => {
    // lengths [20, 18]: extra = 10 - 20 = -10; klengths = [13, 11]; clamp([1, -1], min=0) = [1, 0], sum 1; rows = 13 + 1.
    expect(outputs(summary(ARITHMETIC, { model: 'Net()', inputs: ['2,5', '[20,18]:long'] }))).toEqual([['fc', [14, 3]]]);
  });
});

const PACKED = `${HEADER}
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

class Net(nn.Module):
    def __init__(self, enforce_sorted=True):
        super().__init__()
        self.enforce_sorted = enforce_sorted
        self.lstm = nn.LSTM(4, 6, 2, bidirectional=True, batch_first=True)
        self.lstm.flatten_parameters()
        self.fc = nn.Linear(12, 2)

    def forward(self, x, lengths):
        packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=self.enforce_sorted)
        out, (h, c) = self.lstm(packed)
        rows = self.fc(out.data)
        padded, out_lengths = pad_packed_sequence(out, batch_first=True, total_length=7)
        return self.fc(padded), torch.zeros(int(out_lengths[1]), int(packed.batch_sizes[2]), len(out_lengths.tolist()))
`;

describe('packed sequences', () => {
  it('packs sum(lengths) rows, runs the LSTM on them and pads back (PyTorch 1.13.1)', () => {
    // PyTorch: pack of [3, 5, 4] with lengths [5, 3, 2] has data [10, 4] and batch_sizes [3, 3, 2, 1, 1];
    // the bidirectional 2-layer LSTM gives data [10, 12] and h [4, 3, 6]; padding to 7 steps gives [3, 7, 12].
    const s = summary(PACKED, { model: 'Net()', inputs: ['3,5,4', '[5,3,2]:long'] });
    expect(outputs(s)).toEqual([
      ['lstm', [[10, 12], [[4, 3, 6], [4, 3, 6]]]],
      ['fc', [10, 2]],
      ['fc', [3, 7, 2]],
    ]);
    // 10 packed steps × 2 directions × (4·6·(4+6) + 4·6·(12+6)) = 10 × 2 × (240 + 432).
    expect(s.calls[0]?.macs).toBe(13_440);
    // Lengths back [5, 3, 2] and batch_sizes [3, 3, 2, 1, 1]: zeros(3, 2, 3).
    expect(s.output).toEqual([[3, 7, 2], [3, 2, 3]]);
  });

  it('unsorts the lengths it gives back when the packing sorted them (enforce_sorted=False)', () => {
    const s = summary(PACKED.replace('return self.fc(padded),', 'return self.fc(padded[:, :int(out_lengths[0])]),'), {
      model: 'Net(enforce_sorted=False)',
      inputs: ['3,5,4', '[2,3,5]:long'],
    });
    // PyTorch gives lengths [2, 3, 5] back in the caller's order: the first sequence keeps 2 steps.
    expect(outputs(s).at(-1)).toEqual(['fc', [3, 2, 2]]);
  });

  it('raises what PyTorch raises on unsorted lengths, and is unknown without their values', () => {
    const unsorted = summary(PACKED, { model: 'Net()', inputs: ['3,5,4', '[2,3,5]:long'] });
    expect(unsorted.errors.map((e) => e.message).join('\n')).toContain('`lengths` array must be sorted in decreasing order');
    const unknownLengths = summary(PACKED, { model: 'Net()', inputs: ['3,5,4', '3:long'] });
    expect(unknownLengths.errors).toEqual([]);
    expect(unknownLengths.calls[0]?.output).toBeNull();
    expect(unknownLengths.unknown.map((u) => u.reason).join('\n')).toContain('the values of lengths are unknown');
  });
});
