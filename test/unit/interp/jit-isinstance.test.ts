// torch.jit.isinstance(obj, T) in model code (torchtext's RoBERTa: `if torch.jit.isinstance(output,
// List[Tensor])`): a mismatch of T's origin is certain, a container of the right kind is unknown because its
// element types are not checked. Expected answers are PyTorch 1.13's.
import { describe, expect, it } from 'vitest';
import { HEADER, summary } from './helpers';

function outFeatures(condition: string): { value: unknown; unknown: string[] } {
  const text = `${HEADER}from typing import List, Tuple\nfrom torch import Tensor\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        y = torch.zeros(2, 3)\n        self.fc = nn.Linear(1, 2 + int(${condition}))\n\n    def forward(self, x):\n        return self.fc(x)\n`;
  const s = summary(text, { model: 'Net()', inputs: ['1,1'] });
  const out = s.calls[0]?.output;
  return { value: Array.isArray(out) ? out[1] : undefined, unknown: s.unknown.map((u) => u.reason) };
}

describe('torch.jit.isinstance', () => {
  it('answers for a tensor', () => {
    expect(outFeatures('torch.jit.isinstance(y, List[Tensor])').value).toBe(2);
    expect(outFeatures('torch.jit.isinstance(y, Tensor)').value).toBe(3);
    expect(outFeatures('torch.jit.isinstance(3, Tuple[int, int])').value).toBe(2);
  });

  it('is unknown for a container of the right kind, whose element types it does not check', () => {
    const r = outFeatures('torch.jit.isinstance([y, y], List[int])');
    expect(typeof r.value).not.toBe('number');
    expect(r.unknown.some((u) => u.includes('element types'))).toBe(true);
  });
});
