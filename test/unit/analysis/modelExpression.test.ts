// A --model expression is checked before it is run: a plain call (`resnet50()`, `Net(num_classes=10)`) is known to
// be one Python expression without the parser, which the CLI otherwise loads only for this; anything else is parsed.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isPlainCall, modelExpressionProblem, parsedExpressionProblem } from '../../../src/core/analysis/summary';
import * as parse from '../../../src/core/python/parse';

vi.mock('../../../src/core/python/parse', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/core/python/parse')>();
  return { ...original, parseDocument: vi.fn(original.parseDocument) };
});

const PLAIN = [
  'resnet50()',
  'Net',
  'models.resnet50(weights=None)',
  'Net(num_classes=10, dropout=0.5)',
  "Net(3, 'relu', \"same\", -1, 0, 0.25,)",
  'torchvision.models.vit_b_16(image_size=224, num_classes=1000)',
  'Outer(Inner(4), block=Block(2, True), norm=None)',
  'Net ( 3 ) . half ( )',
  'Net(match=1, case=2, type=3, _=4)',
  'True.real',
  '1',
  '-2',
  "'s'",
];

const NOT_PLAIN = [
  'Net(010)',
  'Net(1e5)',
  'Net(1_000)',
  'Net([1, 2])',
  'Net(x=1, 2)',
  'Net(**kwargs)',
  'Net(lambda x: x)',
  'Net(a + b)',
  'Net(-x)',
  "Net(f'x')",
  "Net('a\\'b')",
  "Net('a' 'b')",
  'Net(True=1)',
  'Net(class=1)',
  'net.class',
  'a.True',
  'Net()  # comment',
  'Net(1 2)',
  'Net(,)',
  'Net(a,,b)',
  'Net(',
  'Net)',
  'not Net()',
  'await Net()',
  'Net()\u00a0',
  'Nét()',
];

describe('plain model expressions', () => {
  afterEach(() => vi.mocked(parse.parseDocument).mockClear());

  it('are each one expression the parser accepts', () => {
    for (const e of PLAIN) {
      expect(isPlainCall(e), e).toBe(true);
      expect(parsedExpressionProblem(e), e).toBeUndefined();
    }
  });

  it('leave everything else to the parser', () => {
    for (const e of NOT_PLAIN) expect(isPlainCall(e), e).toBe(false);
    // The parser still finds their problems: a keyword as a name, a missing bracket.
    expect(modelExpressionProblem('Net(class=1)')).toMatch(/syntax error/);
    expect(modelExpressionProblem('Net(')).toMatch(/syntax error/);
    expect(modelExpressionProblem('Net([1, 2])')).toBeUndefined();
  });

  it('are checked without parsing', () => {
    expect(modelExpressionProblem('models.resnet50(weights=None)')).toBeUndefined();
    expect(parse.parseDocument).not.toHaveBeenCalled();
    expect(modelExpressionProblem('Net(a + b)')).toBeUndefined();
    expect(parse.parseDocument).toHaveBeenCalledTimes(1);
  });
});
