// Set methods on known items, as config code uses them on layer names (torchvision's IntermediateLayerGetter
// checks `set(return_layers).issubset(names)` before it builds a segmentation backbone). Expected values are
// Python's, worked by hand.
import { describe, expect, it } from 'vitest';
import { HEADER, summary } from './helpers';

/** The value of `expr` (an int), read back as the out_features of a Linear built from it. */
function intValue(setup: string, expr: string): number | string | null | undefined {
  const text = `${HEADER}\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n${setup
    .split('\n')
    .map((line) => `        ${line}`)
    .join('\n')}\n        self.fc = nn.Linear(1, ${expr})\n\n    def forward(self, x):\n        return self.fc(x)\n`;
  const output = summary(text, { model: 'Net()', inputs: ['1,1'] }).calls[0]?.output;
  return Array.isArray(output) ? (output[1] as number | string) : undefined;
}

describe('set methods', () => {
  const names = "names = ['conv1', 'layer1', 'layer4', 'fc']";

  it('answers subset and superset tests', () => {
    expect(intValue(names, "10 + int(set({'layer4': 'out'}).issubset(names))")).toBe(11);
    expect(intValue(names, "10 + int(set(['layer4', 'aux']).issubset(names))")).toBe(10);
    expect(intValue(names, "10 + int(set(names).issuperset(['fc']))")).toBe(11);
    expect(intValue(names, "10 + int(set(names).isdisjoint(['aux', 'head']))")).toBe(11);
  });

  it('computes union, intersection and difference without duplicates', () => {
    expect(intValue(names, "len(set(names).union(['fc', 'head']))")).toBe(5);
    expect(intValue(names, "len(set(names).intersection(['fc', 'head', 'layer1']))")).toBe(2);
    expect(intValue(names, "len(set(names).difference(['fc']))")).toBe(3);
  });

  it('adds and discards items', () => {
    expect(intValue(`${names}\ns = set(names)\ns.add('fc')\ns.add('head')\ns.discard('conv1')`, 'len(s)')).toBe(4);
  });

  it('is unknown when membership depends on an unknown value', () => {
    const s = summary(`${HEADER}\nclass Net(nn.Module):\n    def __init__(self, name):\n        super().__init__()\n        self.fc = nn.Linear(1, 10 + int(set([name]).issubset(['a'])))\n\n    def forward(self, x):\n        return self.fc(x)\n`, {
      model: 'Net(unknown_name)',
      inputs: ['1,1'],
    });
    expect(s.unknown.some((u) => u.reason.includes('set.issubset of unknown items'))).toBe(true);
    const out = s.calls[0]?.output;
    expect(Array.isArray(out) && typeof out[1] === 'number').toBe(false);
  });
});
