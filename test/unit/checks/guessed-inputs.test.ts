// `ml-notes check` reports shape errors only on inputs the file gives (a guessed input is no evidence), so it
// does not run a model it would have to guess an input for, unless shape comments in the class need a run.
import { describe, expect, it } from 'vitest';
import { checkDocument } from '../../../src/core/checkDocument';
import { createAnalyzer } from '../../../src/core';
import { analyzeForEditor } from '../../../src/core/editor/documentAnalysis';
import { parseDocument } from '../../../src/core/python/parse';

const net = (forwardComment: string): string =>
  ['import torch.nn as nn', '', 'class Net(nn.Module):', '    def __init__(self):', '        super().__init__()', '        self.conv = nn.Conv2d(3, 8, 3)', '', '    def forward(self, x):', `        return self.conv(x)${forwardComment}`, ''].join('\n');

const view = (text: string, skipGuessedInputs: boolean) =>
  analyzeForEditor(createAnalyzer(), parseDocument(text).module, { path: '/p/net.py', text, skipGuessedInputs });

describe('check and guessed inputs', () => {
  it('does not run a model whose input the file does not give', () => {
    const text = net('');
    expect(view(text, false).models[0]).toMatchObject({ className: 'Net', params: 3 * 8 * 9 + 8 });
    expect(view(text, true).models[0]).toMatchObject({ className: 'Net', error: expect.stringContaining('gives no input') });
  });

  it('still runs it when a shape comment in the class needs a run, and reports the comment that is wrong', () => {
    // Conv2d(3, 8, 3) gives 8 channels whatever the input; the comment says 9.
    const text = net('  # -> [B, 9, H, W]');
    const result = checkDocument({ path: '/p/net.py', text }, {}, createAnalyzer());
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'shape', range: expect.objectContaining({ start: expect.objectContaining({ line: 8 }) }) })]);
    expect(checkDocument({ path: '/p/net.py', text: net('  # -> [B, 8, H, W]') }, {}, createAnalyzer()).findings).toEqual([]);
  });
});
