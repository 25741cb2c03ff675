// `ml-notes check` parses each checked file once, through the CLI's persistent parse cache (issue 16): the first
// run stores the file's parse, a later run reads it and both the editor's analysis (shape findings) and the rules
// (CC-xx) use that module; a parse the deadline cut short is never stored.
import { describe, expect, it } from 'vitest';
import { checkDocument } from '../../../src/core/checkDocument';
import { createAnalyzer, parseDocument } from '../../../src/core/index';
import type { Module } from '../../../src/core/python/ast';
import type { ParseCache } from '../../../src/core/python/parseCache';

// A training script: nn.Linear(8, 4) fed a [2, 8] batch, gradients zeroed each step.
const GOOD = `import torch
from torch import nn

model = nn.Linear(8, 4)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(3):
    opt.zero_grad()
    y = model(torch.randn(2, 8))
    y.sum().backward()
    opt.step()
`;
// The same lines with two bugs: a [2, 5] batch (2x5 by 8x4 cannot be multiplied) and no zero_grad (CC-01).
const BAD = GOOD.replace('opt.zero_grad()', 'pass').replace('torch.randn(2, 8)', 'torch.randn(2, 5)');

/** A parse cache in memory that counts what was stored. */
function memoryCache(entries: [string, Module][] = []): ParseCache & { readonly stored: string[] } {
  const kept = new Map(entries);
  const stored: string[] = [];
  return {
    stored,
    get: (text) => kept.get(text),
    set: (text, module) => {
      stored.push(text);
      kept.set(text, module);
    },
  };
}

const summary = (findings: readonly { rule: string; range: { start: { line: number } } }[]): [string, number][] => findings.map((f) => [f.rule, f.range.start.line]);

describe('check: the checked file through the parse cache', () => {
  it('finds what a check without a cache finds, and stores the file', () => {
    const cache = memoryCache();
    const path = '/w/train.py';
    const cached = checkDocument({ path, text: BAD }, {}, createAnalyzer({ parseCache: cache }));
    const plain = checkDocument({ path, text: BAD }, {}, createAnalyzer());
    expect(cached).toEqual(plain);
    // The shape error at the call (0-based line 7) and the missing zero_grad at opt.step() (line 9).
    expect(summary(cached.findings)).toEqual(expect.arrayContaining([['shape', 7], ['CC-01', 9]]));
    expect(cache.stored).toContain(BAD);
  });

  it('analyses the stored module of the text, in the editor analysis and the rules alike', () => {
    // The cache answers GOOD's text with BAD's module: the findings show which module each pass ran.
    const cache = memoryCache([[GOOD, parseDocument(BAD).module]]);
    const fromCache = checkDocument({ path: '/w/train.py', text: GOOD }, {}, createAnalyzer({ parseCache: cache }));
    expect(summary(fromCache.findings)).toEqual(expect.arrayContaining([['shape', 7], ['CC-01', 9]]));
    expect(checkDocument({ path: '/w/train.py', text: GOOD }, {}, createAnalyzer()).findings).toEqual([]);
    expect(cache.stored).not.toContain(GOOD);
  });

  it('never stores a parse the deadline cut short', () => {
    const cache = memoryCache();
    const analyzer = createAnalyzer({ parseCache: cache });
    const cut = analyzer.parseChecked('/w/train.py', BAD, Date.now() - 1);
    expect(cut.parsed?.stoppedAtLine).toBeDefined();
    expect(cache.stored).not.toContain(BAD);
    // The next request parses again (nothing of the cut parse was kept for the path).
    expect(analyzer.parseChecked('/w/train.py', BAD).module.body).toHaveLength(parseDocument(BAD).module.body.length);
    expect(cache.stored).toContain(BAD);
  });
});
