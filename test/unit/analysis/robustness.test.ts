// Truncated and mutated model files never make the core throw or run unbounded.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyzeFile, summarizeModel } from '../../../src/core/index';
import { HEADER } from '../interp/helpers';

const MODEL = `${HEADER}
class Block(nn.Module):
    expansion = 1
    def __init__(self, c, stride=1):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, stride, 1, bias=False)
        self.bn = nn.BatchNorm2d(c)
    def forward(self, x):
        return F.relu(self.bn(self.conv(x)) + x)

class Net(nn.Module):
    def __init__(self, depth=3):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.blocks = nn.Sequential(*[Block(8) for _ in range(depth)])
        self.head = nn.Linear(8, 4)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight)
    def forward(self, x):
        x = self.blocks(self.stem(x))
        return self.head(x.mean((2, 3)))
`;

describe('robustness', () => {
  it('survives every truncation and random character edits', () => {
    fc.assert(
      fc.property(fc.nat(MODEL.length), fc.array(fc.tuple(fc.nat(MODEL.length), fc.constantFrom('(', ')', ':', ' ', '\n', 'x', '*', '[', ',', '"', '\\', '#', 'while True:\n  pass\n')), { maxLength: 6 }), (cut, edits) => {
        let text = MODEL.slice(0, cut);
        for (const [at, ch] of edits) text = text.slice(0, at) + ch + text.slice(at);
        const started = Date.now();
        const analysis = analyzeFile({ path: '/ws/m.py', text, budget: { steps: 20_000, ms: 500 } });
        const result = summarizeModel({ path: '/ws/m.py', text, inputs: ['1,3,8,8'], budget: { steps: 50_000, ms: 1_000 } });
        expect(analysis.path).toBe('/ws/m.py');
        expect(typeof result).toBe('object');
        expect(Date.now() - started).toBeLessThan(4_000);
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});
